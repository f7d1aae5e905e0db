#include "protocol/protocol.hpp"

#include <gtest/gtest.h>

using namespace lxd;
using namespace lxd::protocol;

namespace {
errc code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const error& e) {
        return e.code_value();
    }
    return errc{};
}
const std::string rl = "GET /1.0/test";
}  // namespace

TEST(Escape, SegmentsCannotAddPathOrQuery) {
    EXPECT_EQ(escape_segment("a/b?c#d e%"), "a%2Fb%3Fc%23d%20e%25");
    EXPECT_EQ(escape_segment("plain-name_1.2~"), "plain-name_1.2~");
    EXPECT_EQ(api_path({"instances", "c1", "snapshots", "s/1"}), "/1.0/instances/c1/snapshots/s%2F1");
    EXPECT_EQ(escape_segment("\xc3\xa9"), "%C3%A9");
}

TEST(Escape, QueryBuilding) {
    EXPECT_EQ(build_target("/1.0/instances", {}), "/1.0/instances");
    EXPECT_EQ(build_target("/1.0/instances", {{"recursion", "2;fields=state.disk"}, {"project", "a b"}}),
              "/1.0/instances?recursion=2%3Bfields%3Dstate.disk&project=a%20b");
    EXPECT_EQ(build_target("/1.0/x?a=1", {{"b", "2"}}), "/1.0/x?a=1&b=2");
    EXPECT_EQ(build_target("/1.0/x", {{"k", "&="}}), "/1.0/x?k=%26%3D");
}

TEST(Escape, LastSegment) {
    EXPECT_EQ(last_segment("/1.0/operations/abc-123"), "abc-123");
    EXPECT_EQ(last_segment("/1.0/instances/my%20c?project=p"), "my c");
    EXPECT_EQ(last_segment("/1.0/instances/c1/"), "c1");
    EXPECT_EQ(unescape("%2"), "%2");
    EXPECT_EQ(unescape("%zz%41"), "%zzA");
}

TEST(Envelope, Sync) {
    auto env = parse_envelope(200, "application/json",
                              R"({"type":"sync","status":"Success","status_code":200,"metadata":{"a":1}})", rl);
    EXPECT_EQ(env.type, envelope::kind::sync);
    EXPECT_EQ(env.status_code, 200);
    EXPECT_EQ(env.metadata.at("a").as_int64(), 1);
}

TEST(Envelope, Async) {
    auto env = parse_envelope(202, "application/json; charset=utf-8",
                              R"({"type":"async","status_code":100,"operation":"/1.0/operations/x1","metadata":{"id":"x1"}})", rl);
    EXPECT_EQ(env.type, envelope::kind::async);
    EXPECT_EQ(env.operation, "/1.0/operations/x1");
}

TEST(Envelope, ErrorsCarryTheServersMessage) {
    try {
        parse_envelope(404, "application/json", R"({"type":"error","error":"Instance not found","error_code":404})", rl);
        FAIL() << "no exception";
    } catch (const error& e) {
        EXPECT_EQ(e.code_value(), errc::not_found);
        EXPECT_EQ(e.server_message(), "Instance not found");
        EXPECT_EQ(e.http_status(), 404);
        EXPECT_EQ(e.request(), rl);
        EXPECT_NE(std::string(e.what()).find("Instance not found"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find(rl), std::string::npos);
    }
}

TEST(Envelope, StatusMapping) {
    struct { int status; errc code; } cases[] = {{400, errc::bad_request}, {401, errc::forbidden}, {403, errc::forbidden},
                                                 {404, errc::not_found},   {409, errc::conflict},   {412, errc::precondition_failed},
                                                 {500, errc::server_error}, {503, errc::server_error}};
    for (auto c : cases) {
        auto body = R"({"type":"error","error":"x","error_code":)" + std::to_string(c.status) + "}";
        EXPECT_EQ(code_of([&] { parse_envelope(c.status, "application/json", body, rl); }), c.code) << c.status;
    }
}

TEST(Envelope, MalformedIsProtocolError) {
    const char* bodies[] = {"", "{", R"({"type":"sync","metadata":)", "[1,2]", "null", "\xff\xfe", R"({"type":"weird"})",
                            R"({"type":"sync","status_code":"two hundred"})"};
    for (auto b : bodies)
        EXPECT_EQ(code_of([&] { parse_envelope(200, "application/json", b, rl); }), errc::protocol_error) << b;
}

TEST(Envelope, WrongContentTypeIsProtocolError) {
    EXPECT_EQ(code_of([&] { parse_envelope(200, "text/html", R"({"type":"sync"})", rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([&] { parse_envelope(200, "", "<html></html>", rl); }), errc::protocol_error);
}

TEST(Envelope, TypeMustMatchStatus) {
    EXPECT_EQ(code_of([&] { parse_envelope(200, "application/json", R"({"type":"async","operation":"/1.0/operations/x"})", rl); }),
              errc::protocol_error);
    EXPECT_EQ(code_of([&] { parse_envelope(202, "application/json", R"({"type":"sync"})", rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([&] { parse_envelope(202, "application/json", R"({"type":"async"})", rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([&] { parse_envelope(200, "application/json", R"({"type":"error","error":"x","error_code":200})", rl); }),
              errc::protocol_error);
}

TEST(Envelope, NonJsonErrorPageKeepsTheStatusMeaning) {
    try {
        parse_envelope(502, "text/html", "<html><body>Bad gateway</body></html>", rl);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code_value(), errc::server_error);
        EXPECT_EQ(e.http_status(), 502);
        EXPECT_NE(e.diag().detail.find("without an LXD error envelope"), std::string::npos);
    }
    EXPECT_EQ(code_of([&] { parse_envelope(404, "text/plain", "404 page not found\n", rl); }), errc::not_found);
    EXPECT_EQ(code_of([&] { parse_envelope(403, "application/json", "{truncated", rl); }), errc::forbidden);
}

TEST(Decode, InstanceKeepsUnknownFields) {
    auto v = boost::json::parse(R"({"name":"c1","status":"Running","status_code":103,"config":{"a":"b"},
        "devices":{"root":{"path":"/","type":"disk"}},"profiles":["default"],"ephemeral":true,
        "future_field":{"x":[1,2]}})");
    auto i = decode_instance(v, rl);
    EXPECT_EQ(i.name, "c1");
    EXPECT_EQ(i.status_code, api::status_code::running);
    EXPECT_EQ(i.config.at("a"), "b");
    EXPECT_EQ(i.devices.at("root").at("type"), "disk");
    EXPECT_EQ(i.profiles, std::vector<std::string>{"default"});
    EXPECT_TRUE(i.ephemeral);
    EXPECT_EQ(i.type, lxd::api::instance_type::container);
    auto back = boost::json::parse(i.raw_json);
    EXPECT_EQ(boost::json::serialize(back.at("future_field")), R"({"x":[1,2]})");
}

TEST(Decode, WrongTypesAreProtocolErrors) {
    EXPECT_EQ(code_of([] { decode_instance(boost::json::parse(R"({"name":1})"), rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { decode_instance(boost::json::parse(R"({"name":"a","profiles":"default"})"), rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { decode_instance(boost::json::parse(R"({"status":"Running"})"), rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { decode_operation(boost::json::parse(R"({"id":"x","status_code":"200"})"), rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { decode_server_info(boost::json::parse("[]"), rl); }), errc::protocol_error);
}

TEST(Decode, Operation) {
    auto op = decode_operation(boost::json::parse(R"({"id":"abc","class":"task","status":"Failure","status_code":400,
        "err":"boom","may_cancel":false,"resources":{"instances":["/1.0/instances/c1"]},"metadata":{"return":3}})"), rl);
    EXPECT_EQ(op.id, "abc");
    EXPECT_EQ(op.code, api::status_code::failure);
    EXPECT_TRUE(api::is_final(op.code));
    EXPECT_EQ(op.err, "boom");
    EXPECT_EQ(op.resources.at("instances").at(0), "/1.0/instances/c1");
    EXPECT_EQ(op.metadata_json, R"({"return":3})");
}

TEST(Decode, State) {
    auto s = decode_instance_state(boost::json::parse(R"({"status":"Running","status_code":103,"pid":42,"processes":3,
        "cpu":{"usage":1000},"memory":{"usage":10,"usage_peak":20,"swap_usage":1,"swap_usage_peak":2},
        "disk":{"root":{"usage":4096}},
        "network":{"eth0":{"addresses":[{"family":"inet","address":"10.0.0.2","netmask":"24","scope":"global"}],
          "counters":{"bytes_received":5,"bytes_sent":6,"packets_received":7,"packets_sent":8},"hwaddr":"aa","mtu":1500,"state":"up","type":"broadcast"}}})"),
                                    rl);
    EXPECT_EQ(s.pid, 42);
    EXPECT_EQ(s.processes, 3);
    EXPECT_EQ(s.cpu_usage_ns, 1000);
    EXPECT_EQ(s.memory_usage_peak, 20);
    EXPECT_EQ(s.disk_usage.at("root"), 4096);
    EXPECT_EQ(s.network.at("eth0").addresses.at(0).address, "10.0.0.2");
    EXPECT_EQ(s.network.at("eth0").counters.packets_sent, 8);
    EXPECT_EQ(s.network.at("eth0").mtu, 1500);
}

TEST(Names, InstanceRules) {
    for (const std::string& ok : std::vector<std::string>{"a", "c1", "my-container", "A-b-9", std::string(63, 'x')})
        EXPECT_NO_THROW(check_instance_name(ok)) << ok;
    for (auto bad : {"", "1abc", "-x", "x-", "a_b", "a/b", "a b", "ü", "a.b"})
        EXPECT_EQ(code_of([&] { check_instance_name(bad); }), errc::invalid_argument) << bad;
    EXPECT_EQ(code_of([] { check_instance_name(std::string(64, 'x')); }), errc::invalid_argument);
}

TEST(Names, SnapshotAndProject) {
    EXPECT_NO_THROW(check_snapshot_name("snap0"));
    for (auto bad : {"", ".", "..", "a/b", "a b"})
        EXPECT_EQ(code_of([&] { check_snapshot_name(bad); }), errc::invalid_argument) << bad;
    EXPECT_NO_THROW(check_project_name("p1"));
    EXPECT_EQ(code_of([] { check_project_name("a/b"); }), errc::invalid_argument);
}

// ---- images ---------------------------------------------------------------------------------

TEST(Decode, Image) {
    auto v = json::parse(R"({"fingerprint":"ab12","filename":"f.tar.xz","architecture":"x86_64","type":"container",
        "size":1234,"public":true,"auto_update":false,"cached":false,"properties":{"os":"busybox"},
        "aliases":[{"name":"a1","description":"d"}],"profiles":["default"],"created_at":"c","uploaded_at":"u",
        "expires_at":"e","last_used_at":"l","extra":1})");
    auto i = decode_image(v, rl);
    EXPECT_EQ(i.fingerprint, "ab12");
    EXPECT_EQ(i.size, 1234);
    EXPECT_TRUE(i.is_public);
    EXPECT_EQ(i.properties.at("os"), "busybox");
    ASSERT_EQ(i.aliases.size(), 1u);
    EXPECT_EQ(i.aliases[0].name, "a1");
    EXPECT_EQ(i.aliases[0].description, "d");
    EXPECT_EQ(i.profiles, std::vector<std::string>{"default"});
    EXPECT_NE(i.raw_json.find("\"extra\""), std::string::npos);
    EXPECT_EQ(code_of([&] { decode_image(json::parse(R"({"filename":"x"})"), rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([&] { decode_image(json::parse(R"({"fingerprint":"a","aliases":{}})"), rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([&] { decode_image(json::parse(R"({"fingerprint":"a","size":"big"})"), rl); }), errc::protocol_error);
}

TEST(Decode, ImageAlias) {
    auto a = decode_image_alias(json::parse(R"({"name":"n","target":"fp","description":"d","type":"container"})"), rl);
    EXPECT_EQ(a.name, "n");
    EXPECT_EQ(a.target, "fp");
    EXPECT_EQ(a.type, lxd::api::instance_type::container);
    EXPECT_EQ(code_of([&] { decode_image_alias(json::parse(R"({"target":"fp"})"), rl); }), errc::protocol_error);
}

TEST(Multipart, HeaderParameters) {
    EXPECT_EQ(header_parameter("multipart/form-data; boundary=abc123", "boundary"), "abc123");
    EXPECT_EQ(header_parameter("multipart/form-data; boundary=\"a;b c\"", "boundary"), "a;b c");
    EXPECT_EQ(header_parameter("form-data; name=\"rootfs\"; filename=\"x.squashfs\"", "name"), "rootfs");
    EXPECT_EQ(header_parameter("form-data; name=\"rootfs\"; filename=\"x.squashfs\"", "filename"), "x.squashfs");
    EXPECT_EQ(header_parameter("attachment; FILENAME=y.tar.xz", "filename"), "y.tar.xz");
    EXPECT_EQ(header_parameter("attachment", "filename"), "");
    EXPECT_EQ(header_parameter("form-data; filename=\"q\\\"uote\"", "filename"), "q\"uote");
}

TEST(Multipart, SafeFileNames) {
    EXPECT_EQ(safe_file_name("image.tar.xz"), "image.tar.xz");
    EXPECT_EQ(safe_file_name("../../etc/passwd"), "passwd");
    EXPECT_EQ(safe_file_name("/abs/x"), "x");
    EXPECT_EQ(safe_file_name("..\\..\\win"), "win");
    EXPECT_EQ(safe_file_name(".."), "");
    EXPECT_EQ(safe_file_name("dir/"), "");
    EXPECT_EQ(safe_file_name(""), "");
    EXPECT_EQ(safe_file_name("a\nb"), "");
}

namespace {
struct parsed_part {
    multipart_reader::part p;
    std::string data;
};
std::vector<parsed_part> parse_in_chunks(const std::string& body, const std::string& boundary, std::size_t chunk) {
    multipart_reader r(boundary, rl);
    std::vector<parsed_part> out;
    for (std::size_t i = 0; i < body.size(); i += chunk)
        r.feed(std::string_view(body).substr(i, chunk), [&](const multipart_reader::part& p) { out.push_back({p, {}}); },
               [&](std::string_view d) {
                   if (out.empty()) throw std::runtime_error("data before a part");
                   out.back().data.append(d);
               });
    r.finish();
    return out;
}
}  // namespace

TEST(Multipart, RoundTripAtEveryChunkSize) {
    multipart_writer w{"BoUnDaRy42"};
    // Bytes that look like the start of a delimiter, CRLFs, NULs and a near-boundary.
    std::string meta = std::string("meta\r\n--BoUnDaRy4\r\n--BoUnDaRx") + std::string(1, '\0') + "\r\n";
    std::string rootfs;
    for (int i = 0; i < 3000; ++i) rootfs.push_back(static_cast<char>(i * 7 % 256));
    std::string body = "preamble ignored\r\n" + w.part_header("metadata", "meta.tar.xz", true) + meta +
                       w.part_header("rootfs", "root.squashfs", false) + rootfs + w.closing() + "epilogue";
    for (std::size_t chunk : {1u, 2u, 3u, 7u, 13u, 64u, 4096u, 100000u}) {
        auto parts = parse_in_chunks(body, w.boundary, chunk);
        ASSERT_EQ(parts.size(), 2u) << chunk;
        EXPECT_EQ(parts[0].p.name, "metadata");
        EXPECT_EQ(parts[0].p.filename, "meta.tar.xz");
        EXPECT_EQ(parts[0].data, meta) << chunk;
        EXPECT_EQ(parts[1].p.name, "rootfs");
        EXPECT_EQ(parts[1].p.filename, "root.squashfs");
        EXPECT_EQ(parts[1].data, rootfs) << chunk;
    }
}

TEST(Multipart, EmptyPartAndNoHeaders) {
    std::string body = "--b\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--b--";
    auto parts = parse_in_chunks(body, "b", 5);
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].p.name, "");
    EXPECT_EQ(parts[0].data, "x");
    EXPECT_EQ(parts[1].p.name, "e");
    EXPECT_EQ(parts[1].data, "");
}

TEST(Multipart, TruncatedAndMalformedAreProtocolErrors) {
    multipart_writer w{"zz"};
    std::string body = w.part_header("metadata", "m", true) + "abc" + w.closing();
    for (std::size_t cut = 0; cut < body.size() - 2; ++cut)   // the last 2 bytes ("\r\n") are optional
        EXPECT_EQ(code_of([&] { parse_in_chunks(body.substr(0, cut), "zz", 3); }), errc::protocol_error) << cut;
    EXPECT_EQ(code_of([&] { parse_in_chunks("--zzXX", "zz", 3); }), errc::protocol_error);
    EXPECT_EQ(code_of([&] { parse_in_chunks("--zz\r\nno colon here\r\n\r\nx\r\n--zz--", "zz", 3); }), errc::protocol_error);
    EXPECT_EQ(code_of([&] { multipart_reader r("", rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([&] { parse_in_chunks("--zz\r\n" + std::string(20000, 'h'), "zz", 1000); }), errc::protocol_error);
}

TEST(Envelope, RedirectIsNamedWithItsTargetWithoutQuery) {
    try {
        (void)parse_envelope(301, "", "", rl, "https://other:8443/1.0?secret=x");
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code_value(), errc::protocol_error);
        EXPECT_EQ(e.http_status(), 301);
        EXPECT_EQ(e.diag().detail, "the server answered with a redirect (HTTP 301) to https://other:8443/1.0; "
                                   "lxdpp does not follow redirects");
    }
    EXPECT_EQ(code_of([] { (void)parse_envelope(307, "application/json", "{}", rl); }), errc::protocol_error);
}

// Found by tests/fuzz: an exit status that is not an int reached exec's decoder, which
// threw a Boost exception instead of an lxd::error ("return": -7777...7 as a double).
TEST(Operation, ExitStatusThatIsNotAnIntIsProtocolError) {
    auto op = [](const std::string& ret) {
        return json::parse(R"({"id":"x","status_code":200,"metadata":{"fds":{"0":"b"},"return":)" + ret + "}}");
    };
    EXPECT_EQ(code_of([&] { (void)decode_operation(op("-77777777777777777777777777777777777777"), rl); }),
              errc::protocol_error);
    EXPECT_EQ(code_of([&] { (void)decode_operation(op("1.5"), rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([&] { (void)decode_operation(op("4294967296"), rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([&] { (void)decode_operation(op("\"0\""), rl); }), errc::protocol_error);
    EXPECT_EQ(decode_operation(op("-1"), rl).metadata_json, R"({"fds":{"0":"b"},"return":-1})");
    EXPECT_EQ(decode_operation(op("127"), rl).code, api::status_code::success);
}

// A status code outside int64's range was converted with undefined behaviour.
TEST(Operation, StatusCodeOutOfRangeIsProtocolError) {
    EXPECT_EQ(code_of([] { (void)decode_operation(json::parse(R"({"id":"x","status_code":1e300})"), rl); }),
              errc::protocol_error);
    EXPECT_EQ(decode_operation(json::parse(R"({"id":"x","status_code":200.0})"), rl).code, api::status_code::success);
}
