// One test per request builder of src/protocol: method, escaped path, query, headers and the
// exact JSON body, and the input each refuses before any I/O. No daemon.
#include "protocol/protocol.hpp"

#include <gtest/gtest.h>

#include "support/code_of.hpp"
#include "support/expect_request.hpp"

using namespace lxd::protocol;
using lxd::errc;
using lxd::instance_source;
using lxd::list_options;
namespace api = lxd::api;
using test_support::code_of;
using test_support::expect;

namespace {

api::instance sample_instance() {
    api::instance i;
    i.name = "c1";
    i.type = lxd::api::instance_type::container;
    i.architecture = "x86_64";
    i.config = {{"limits.cpu", "1"}, {"volatile.base_image", "abc"}, {"volatile.eth0.hwaddr", "x"}};
    i.devices = {{"root", {{"path", "/"}, {"type", "disk"}}}};
    i.profiles = {"default"};
    i.description = "d";
    i.raw_json =
        R"({"name":"c1","config":{"old":"1"},"status":"Running","status_code":103,"state":null,"expanded_config":{},)"
        R"("expanded_devices":{},"snapshots":null,"backups":null,"stateful":false,"future_field":{"x":1}})";
    return i;
}

const std::string fp64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

}  // namespace

// ---- request value --------------------------------------------------------------------------

TEST(Request, LineLeavesTheQueryOut) {
    auto r = make_request(verb::delete_, "/1.0/x%20y", {{"secret", "s"}});
    EXPECT_EQ(r.line(), "DELETE /1.0/x%20y");
    EXPECT_EQ(r.target(), "/1.0/x%20y?secret=s");
    EXPECT_EQ(verb_name(verb::patch), "PATCH");
    EXPECT_EQ(verb_name(verb::head), "HEAD");
    EXPECT_TRUE(r.scoped);
    EXPECT_EQ(r.content_type, "application/json");
}

TEST(Hex, LowerAndCheck) {
    EXPECT_EQ(hex_lower(std::string_view("\x00\x0f\xab\xff", 4)), "000fabff");
    EXPECT_TRUE(is_hex("09afAF"));
    EXPECT_FALSE(is_hex("0g"));
}

TEST(Errors, FactoryCarriesEverything) {
    auto e = make_error(errc::conflict, "m", "GET /1.0", {.http_status = 409, .server_message = "s", .operation_id = "op"});
    EXPECT_EQ(e.code_value(), errc::conflict);
    EXPECT_EQ(e.diag().detail, "m");
    EXPECT_EQ(e.request(), "GET /1.0");
    EXPECT_EQ(e.http_status(), 409);
    EXPECT_EQ(e.server_message(), "s");
    EXPECT_EQ(e.operation_id(), "op");
    EXPECT_EQ(code_of([] { fail_invalid("x"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { fail_protocol("GET /1.0", "x"); }), errc::protocol_error);
}

// ---- server, operations, events ------------------------------------------------------------------

TEST(ServerRequests, ServerGet) { expect(server_get(), verb::get, "/1.0"); }

TEST(ServerRequests, CertificateTrust) {
    expect(certificate_trust("pw", ""), verb::post, "/1.0/certificates", {}, R"({"type":"client","password":"pw"})");
    expect(certificate_trust("pw", "me"), verb::post, "/1.0/certificates", {},
           R"({"type":"client","password":"pw","name":"me"})");
    expect(certificate_trust("tok", "me", true), verb::post, "/1.0/certificates", {},
           R"({"type":"client","password":"tok","trust_token":"tok","name":"me"})");
    EXPECT_EQ(code_of([] { certificate_trust("", "me"); }), errc::invalid_argument);
}

TEST(ServerRequests, CertificateToken) {
    expect(lxd::protocol::certificate_token("ci"), verb::post, "/1.0/certificates", {}, R"({"type":"client","token":true,"name":"ci"})");
}

TEST(ServerRequests, RawGet) {
    expect(raw_get("/1.0/instances?recursion=1"), verb::get, "/1.0/instances?recursion=1");
    EXPECT_EQ(code_of([] { raw_get("/2.0"); }), errc::invalid_argument);
}

TEST(OperationRequests, List) { expect(operation_list(), verb::get, "/1.0/operations", {{"recursion", "1"}}); }

TEST(OperationRequests, Get) {
    expect(operation_get("a/b"), verb::get, "/1.0/operations/a%2Fb");
    EXPECT_EQ(code_of([] { operation_get(""); }), errc::invalid_argument);
}

TEST(OperationRequests, Cancel) { expect(operation_cancel("id 1"), verb::delete_, "/1.0/operations/id%201"); }

TEST(OperationRequests, Wait) {
    auto r = operation_wait("abc", 30);
    expect(r, verb::get, "/1.0/operations/abc/wait", {{"timeout", "30"}});
    ASSERT_TRUE(r.timeout);
    EXPECT_EQ(*r.timeout, std::chrono::seconds(60));
}

TEST(OperationRequests, Websocket) {
    expect(operation_websocket("abc", "s&t"), verb::get, "/1.0/operations/abc/websocket", {{"secret", "s&t"}});
    EXPECT_EQ(operation_websocket("abc", "s&t").target(), "/1.0/operations/abc/websocket?secret=s%26t");
}

TEST(OperationRequests, UrlForAnotherServer) {
    EXPECT_EQ(operation_url("10.0.0.1:8443", "a b"), "https://10.0.0.1:8443/1.0/operations/a%20b");
}

TEST(EventRequests, Events) {
    expect(events({}, false), verb::get, "/1.0/events");
    expect(events({"operation", "lifecycle"}, true), verb::get, "/1.0/events",
           {{"type", "operation,lifecycle"}, {"all-projects", "true"}});
}

// ---- instances ------------------------------------------------------------------------------

TEST(InstanceRequests, List) {
    expect(instance_list("instances", std::nullopt, {}), verb::get, "/1.0/instances", {{"recursion", "1"}});
    list_options o{.with_state = true, .fields = {"state.disk", "state.network"}, .all_projects = true, .filter = "name eq c"};
    expect(instance_list("containers", lxd::api::instance_type::container, o), verb::get, "/1.0/containers",
           {{"recursion", "2;fields=state.disk,state.network"}, {"instance-type", "container"}, {"all-projects", "true"},
            {"filter", "name eq c"}});
}

TEST(InstanceRequests, Names) {
    expect(instance_names("instances", std::nullopt), verb::get, "/1.0/instances");
    expect(instance_names("instances", lxd::api::instance_type::virtual_machine), verb::get, "/1.0/instances", {{"instance-type", "virtual-machine"}});
}

TEST(InstanceRequests, Get) {
    expect(instance_get("instances", "c1"), verb::get, "/1.0/instances/c1");
    EXPECT_EQ(code_of([] { instance_get("instances", "../x"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { instance_get("instances", ""); }), errc::invalid_argument);
}

TEST(InstanceRequests, Create) {
    lxd::instance_create c;
    c.name = "c1";
    c.source.type = instance_source::kind::image;
    c.source.alias = "busybox";
    expect(lxd::protocol::instance_create("instances", std::nullopt, c), verb::post, "/1.0/instances", {},
           R"({"name":"c1","source":{"type":"image","alias":"busybox"}})");
    c.profiles = std::vector<std::string>{"default"};
    c.config = {{"limits.cpu", "1"}};
    c.devices = {{"root", {{"type", "disk"}}}};
    c.ephemeral = true;
    c.description = "d";
    c.source.server = "https://images";
    expect(lxd::protocol::instance_create("instances", lxd::api::instance_type::container, c), verb::post, "/1.0/instances", {},
           R"({"name":"c1","source":{"type":"image","alias":"busybox","server":"https://images","protocol":"lxd","mode":"pull"},)"
           R"("profiles":["default"],"config":{"limits.cpu":"1"},"devices":{"root":{"type":"disk"}},"ephemeral":true,)"
           R"("description":"d","type":"container"})");
    lxd::instance_create copy{.name = "c2"};
    copy.source.type = instance_source::kind::copy;
    copy.source.source_name = "c1/snap0";
    copy.source.instance_only = true;
    expect(lxd::protocol::instance_create("instances", std::nullopt, copy), verb::post, "/1.0/instances", {},
           R"({"name":"c2","source":{"type":"copy","source":"c1/snap0","instance_only":true}})");
    lxd::instance_create none{.name = "c3"};
    EXPECT_EQ(lxd::protocol::instance_create("instances", std::nullopt, none).body, R"({"name":"c3","source":{"type":"none"}})");
    // Refused before any request: bad names, a bad copy source, an ambiguous image source.
    EXPECT_EQ(code_of([&] { auto b = c; b.name = "1c"; lxd::protocol::instance_create("instances", std::nullopt, b); }), errc::invalid_argument);
    EXPECT_EQ(code_of([&] { auto b = copy; b.source.source_name = "c1/a b"; lxd::protocol::instance_create("instances", std::nullopt, b); }),
              errc::invalid_argument);
    EXPECT_EQ(code_of([&] { auto b = c; b.source.fingerprint = "ab"; lxd::protocol::instance_create("instances", std::nullopt, b); }),
              errc::invalid_argument);
}

TEST(InstanceRequests, CheckCreateRefusesWhatCreateRefuses) {
    lxd::instance_create c{.name = "c1"};
    EXPECT_EQ(code_of([&] { check_instance_create(c); }), errc{});
    c.name = "c_1";
    EXPECT_EQ(code_of([&] { check_instance_create(c); }), errc::invalid_argument);
    c.name = "c1";
    c.source = instance_source::image_alias("a");
    c.source.properties = {{"os", "x"}};
    EXPECT_EQ(code_of([&] { check_instance_create(c); }), errc::invalid_argument);
}

TEST(InstanceRequests, PutKeepsUnknownFieldsAndDropsReadOnlyOnes) {
    // Boost.JSON's erase moves the last member into the hole: compare as JSON values.
    auto r = instance_put("instances", sample_instance(), "\"etag\"");
    expect(r, verb::put, "/1.0/instances/c1", {}, r.body);
    EXPECT_EQ(boost::json::parse(r.body), boost::json::parse(
           R"({"name":"c1","config":{"limits.cpu":"1","volatile.base_image":"abc","volatile.eth0.hwaddr":"x"},)"
           R"("stateful":false,"future_field":{"x":1},"devices":{"root":{"path":"/","type":"disk"}},)"
           R"("profiles":["default"],"description":"d","ephemeral":false})"));
    EXPECT_EQ(header_of(r, "If-Match"), "\"etag\"");
    auto bad = sample_instance();
    bad.raw_json = "[]";
    EXPECT_EQ(code_of([&] { instance_put("instances", bad, ""); }), errc::protocol_error);
    EXPECT_TRUE(instance_put("instances", sample_instance(), "").headers.empty());
}

TEST(InstanceRequests, Patch) {
    lxd::instance_patch p;
    p.config = api::config_map{{"a", "b"}};
    p.ephemeral = true;
    auto r = lxd::protocol::instance_patch("instances", "c 1", p, "e");
    expect(r, verb::patch, "/1.0/instances/c%201", {}, R"({"config":{"a":"b"},"ephemeral":true})");
    EXPECT_EQ(header_of(r, "If-Match"), "e");
    EXPECT_EQ(code_of([] { lxd::protocol::instance_patch("instances", "c1", {}, ""); }), errc::invalid_argument);
}

TEST(InstanceRequests, Delete) { expect(instance_delete("containers", "c1"), verb::delete_, "/1.0/containers/c1"); }

TEST(InstanceRequests, Rename) {
    expect(instance_rename("instances", "c1", "c2"), verb::post, "/1.0/instances/c1", {}, R"({"name":"c2"})");
    EXPECT_EQ(code_of([] { instance_rename("instances", "c1", "c-"); }), errc::invalid_argument);
}

TEST(InstanceRequests, StateGet) { expect(instance_state_get("instances", "c1"), verb::get, "/1.0/instances/c1/state"); }

TEST(InstanceRequests, StatePut) {
    expect(instance_state_put("instances", "c1", "start", {}), verb::put, "/1.0/instances/c1/state", {},
           R"({"action":"start","timeout":-1,"force":false,"stateful":false})");
    expect(instance_state_put("instances", "c1", "stop", {.timeout = std::chrono::seconds(5), .force = true, .stateful = true}),
           verb::put, "/1.0/instances/c1/state", {}, R"({"action":"stop","timeout":5,"force":true,"stateful":true})");
}

// ---- snapshots ------------------------------------------------------------------------------

TEST(SnapshotRequests, List) {
    expect(snapshot_list("/1.0/instances/c1"), verb::get, "/1.0/instances/c1/snapshots", {{"recursion", "1"}});
}

TEST(SnapshotRequests, Get) {
    expect(snapshot_get("/1.0/instances/c1", "s%1"), verb::get, "/1.0/instances/c1/snapshots/s%251");
    EXPECT_EQ(code_of([] { snapshot_get("/1.0/instances/c1", "a/b"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { snapshot_get("/1.0/instances/c1", ".."); }), errc::invalid_argument);
}

TEST(SnapshotRequests, Create) {
    expect(lxd::protocol::snapshot_create("/1.0/instances/c1", "s0", false, ""), verb::post, "/1.0/instances/c1/snapshots", {},
           R"({"name":"s0","stateful":false})");
    expect(lxd::protocol::snapshot_create("/1.0/instances/c1", "s0", true, "2030-01-01T00:00:00Z"), verb::post, "/1.0/instances/c1/snapshots",
           {}, R"({"name":"s0","stateful":true,"expires_at":"2030-01-01T00:00:00Z"})");
    EXPECT_EQ(code_of([] { lxd::protocol::snapshot_create("/1.0/instances/c1", "a b", false, ""); }), errc::invalid_argument);
}

TEST(SnapshotRequests, Rename) {
    expect(snapshot_rename("/1.0/instances/c1", "s0", "s1"), verb::post, "/1.0/instances/c1/snapshots/s0", {},
           R"({"name":"s1"})");
    EXPECT_EQ(code_of([] { snapshot_rename("/1.0/instances/c1", "s0", ""); }), errc::invalid_argument);
}

TEST(SnapshotRequests, Delete) {
    expect(snapshot_delete("/1.0/instances/c1", "s 0"), verb::delete_, "/1.0/instances/c1/snapshots/s%200");
}

TEST(SnapshotRequests, Restore) {
    expect(snapshot_restore("/1.0/instances/c1", "s0", true), verb::put, "/1.0/instances/c1", {},
           R"({"restore":"s0","stateful":true})");
}

TEST(SnapshotRequests, SetExpiry) {
    expect(snapshot_set_expiry("/1.0/instances/c1", "s0", ""), verb::put, "/1.0/instances/c1/snapshots/s0", {},
           R"({"expires_at":"0001-01-01T00:00:00Z"})");
    expect(snapshot_set_expiry("/1.0/instances/c1", "s0", "2030-01-01T00:00:00Z"), verb::put,
           "/1.0/instances/c1/snapshots/s0", {}, R"({"expires_at":"2030-01-01T00:00:00Z"})");
}

// ---- cluster --------------------------------------------------------------------------------

TEST(ClusterRequests, Get) {
    auto r = cluster_get();
    expect(r, verb::get, "/1.0/cluster");
    EXPECT_FALSE(r.scoped);
}

TEST(ClusterRequests, Members) {
    auto r = cluster_members();
    expect(r, verb::get, "/1.0/cluster/members", {{"recursion", "1"}});
    EXPECT_FALSE(r.scoped);
}

TEST(ClusterRequests, Member) {
    auto r = cluster_member("m%1");
    expect(r, verb::get, "/1.0/cluster/members/m%251");
    EXPECT_FALSE(r.scoped);
    EXPECT_EQ(code_of([] { cluster_member("a/b"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { cluster_member(""); }), errc::invalid_argument);
}

TEST(ClusterRequests, MemberState) {
    auto r = cluster_member_state("m1", "evacuate");
    expect(r, verb::post, "/1.0/cluster/members/m1/state", {}, R"({"action":"evacuate"})");
    EXPECT_FALSE(r.scoped);
    EXPECT_EQ(code_of([] { cluster_member_state("a b", "restore"); }), errc::invalid_argument);
}

// ---- images and aliases ---------------------------------------------------------------------

TEST(ImageRequests, List) { expect(image_list(), verb::get, "/1.0/images", {{"recursion", "1"}}); }
TEST(ImageRequests, Fingerprints) { expect(image_fingerprints(), verb::get, "/1.0/images"); }

TEST(ImageRequests, Get) {
    expect(image_get("abc"), verb::get, "/1.0/images/abc");
    EXPECT_EQ(code_of([] { image_get("xyz"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { image_get(""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { image_get(fp64 + "0"); }), errc::invalid_argument);
}

TEST(ImageRequests, Delete) {
    expect(image_delete(fp64), verb::delete_, "/1.0/images/" + fp64);
    EXPECT_EQ(code_of([] { image_delete("a/b"); }), errc::invalid_argument);
}

TEST(ImageRequests, Patch) {
    EXPECT_EQ(code_of([] { (void)lxd::protocol::image_patch("abc", {}, ""); }), errc::invalid_argument);
    auto r = lxd::protocol::image_patch("abc", {.is_public = true, .auto_update = false, .properties = api::config_map{{"os", "busybox"}}},
                                        "\"e\"");
    expect(r, verb::patch, "/1.0/images/abc", {}, R"({"public":true,"auto_update":false,"properties":{"os":"busybox"}})");
    EXPECT_EQ(header_of(r, "If-Match"), "\"e\"");
    EXPECT_TRUE(lxd::protocol::image_patch("abc", {.is_public = false}, "").headers.empty());
    EXPECT_EQ(code_of([] { (void)lxd::protocol::image_patch("q", {.is_public = true}, ""); }), errc::invalid_argument);
}

TEST(ImageRequests, Export) { expect(image_export(fp64), verb::get, "/1.0/images/" + fp64 + "/export"); }

TEST(ImageRequests, Secret) { expect(image_secret("abc"), verb::post, "/1.0/images/abc/secret", {}, "{}"); }

TEST(ImageRequests, Upload) {
    auto r = image_upload("X-LXD-", "application/octet-stream", fp64, "img.tar.gz", true, {{"os", "a b"}, {"x", "&"}});
    expect(r, verb::post, "/1.0/images");
    EXPECT_EQ(r.content_type, "application/octet-stream");
    EXPECT_EQ(r.headers, (header_list{{"X-LXD-fingerprint", fp64},
                                      {"X-LXD-filename", "img.tar.gz"},
                                      {"X-LXD-public", "1"},
                                      {"X-LXD-properties", "os=a%20b&x=%26"}}));
    auto i = image_upload("X-Incus-", "multipart/form-data; boundary=b", fp64, "m", false, {});
    EXPECT_EQ(i.headers, (header_list{{"X-Incus-fingerprint", fp64}, {"X-Incus-filename", "m"}}));
    EXPECT_EQ(i.content_type, "multipart/form-data; boundary=b");
}

TEST(ImageRequests, Publish) {
    expect(lxd::protocol::image_publish("c1", {}), verb::post, "/1.0/images", {},
           R"({"source":{"type":"instance","name":"c1"},"public":false})");
    lxd::image_publish o{.aliases = {"a1"}, .is_public = true};
    o.properties = {{"os", "busybox"}};
    o.compression_algorithm = "none";
    o.expires_at = "2030-01-01T00:00:00Z";
    expect(lxd::protocol::image_publish("c1/s0", o), verb::post, "/1.0/images", {},
           R"({"source":{"type":"snapshot","name":"c1/s0"},"public":true,"aliases":[{"name":"a1"}],)"
           R"("properties":{"os":"busybox"},"compression_algorithm":"none","expires_at":"2030-01-01T00:00:00Z"})");
    EXPECT_EQ(code_of([] { lxd::protocol::image_publish("c1/a b", {}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { lxd::protocol::image_publish("-c", {}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { lxd::protocol::image_publish("c1", {.aliases = {"a:b"}}); }), errc::invalid_argument);
}

TEST(AliasRequests, List) { expect(alias_list(), verb::get, "/1.0/images/aliases", {{"recursion", "1"}}); }

TEST(AliasRequests, Get) {
    expect(alias_get("my/alias"), verb::get, "/1.0/images/aliases/my%2Falias");
    EXPECT_EQ(code_of([] { alias_get(""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { alias_get("a\nb"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { alias_get(std::string("a\0b", 3)); }), errc::invalid_argument);
}

TEST(AliasRequests, Create) {
    expect(alias_create("a1", "abc", "d"), verb::post, "/1.0/images/aliases", {},
           R"({"name":"a1","target":"abc","description":"d"})");
    EXPECT_EQ(code_of([] { alias_create("a:1", "abc", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { alias_create("a1", "xyz", ""); }), errc::invalid_argument);
}

TEST(AliasRequests, Put) {
    auto r = alias_put("a1", "abc", "d", "\"t\"");
    expect(r, verb::put, "/1.0/images/aliases/a1", {}, R"({"target":"abc","description":"d"})");
    EXPECT_EQ(header_of(r, "If-Match"), "\"t\"");
    EXPECT_TRUE(alias_put("a1", "abc", "", "").headers.empty());
}

TEST(AliasRequests, Rename) {
    expect(alias_rename("a1", "a2"), verb::post, "/1.0/images/aliases/a1", {}, R"({"name":"a2"})");
    EXPECT_EQ(code_of([] { alias_rename("a1", "a\r2"); }), errc::invalid_argument);
}

TEST(AliasRequests, Delete) {
    expect(alias_delete("a 1"), verb::delete_, "/1.0/images/aliases/a%201");
    EXPECT_EQ(code_of([] { alias_delete(""); }), errc::invalid_argument);
}

// ---- exec -----------------------------------------------------------------------------------

TEST(ExecRequests, Start) {
    exec_command c{.argv = {"sh", "-c", "echo hi"}, .environment = {{"A", "1"}}};
    expect(exec_start("instances", "c1", c, false), verb::post, "/1.0/instances/c1/exec", {},
           R"({"command":["sh","-c","echo hi"],"wait-for-websocket":true,"interactive":false,"environment":{"A":"1"}})");
    c.cwd = "/tmp";
    c.user = 1000;
    c.group = 100;
    expect(exec_start("containers", "c1", c, true), verb::post, "/1.0/containers/c1/exec", {},
           R"({"command":["sh","-c","echo hi"],"wait-for-websocket":false,"interactive":false,"environment":{"A":"1"},)"
           R"("cwd":"/tmp","user":1000,"group":100,"record-output":true})");
}

TEST(ExecRequests, StartInteractive) {
    exec_command c{.argv = {"sh"}, .environment = {{"TERM", "xterm-256color"}}};
    expect(exec_start_interactive("instances", "c 1", c, 120, 40), verb::post, "/1.0/instances/c%201/exec", {},
           R"({"command":["sh"],"wait-for-websocket":true,"interactive":true,"environment":{"TERM":"xterm-256color"},)"
           R"("width":120,"height":40})");
}

TEST(ExecRequests, OutputGet) {
    expect(exec_output_get("/1.0/instances/c1/logs/exec_1.stdout?project=p"), verb::get,
           "/1.0/instances/c1/logs/exec_1.stdout");
}

TEST(ExecRequests, OutputDelete) {
    expect(exec_output_delete("/1.0/instances/c1/logs/exec_1.stderr"), verb::delete_, "/1.0/instances/c1/logs/exec_1.stderr");
}

// ---- files ----------------------------------------------------------------------------------

TEST(FileRequests, Path) {
    EXPECT_EQ(files_path("instances", "c 1"), "/1.0/instances/c%201/files");
    EXPECT_EQ(octal_mode(0644), "0644");
    EXPECT_EQ(octal_mode(04755), "04755");
    EXPECT_EQ(octal_mode(0), "00");
}

TEST(FileRequests, Get) {
    expect(file_get("/1.0/instances/c1/files", "/etc/a b&c"), verb::get, "/1.0/instances/c1/files", {{"path", "/etc/a b&c"}});
    EXPECT_EQ(file_get("/1.0/instances/c1/files", "/a b&c").target(), "/1.0/instances/c1/files?path=%2Fa%20b%26c");
    EXPECT_EQ(code_of([] { file_get("/1.0/instances/c1/files", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { file_get("/1.0/instances/c1/files", std::string("/a\0b", 4)); }), errc::invalid_argument);
}

TEST(FileRequests, Head) {
    expect(file_head("/1.0/instances/c1/files", "/etc"), verb::head, "/1.0/instances/c1/files", {{"path", "/etc"}});
    EXPECT_EQ(code_of([] { file_head("/1.0/instances/c1/files", ""); }), errc::invalid_argument);
}

TEST(FileRequests, Delete) {
    expect(file_delete("/1.0/instances/c1/files", "/tmp/x"), verb::delete_, "/1.0/instances/c1/files", {{"path", "/tmp/x"}});
    EXPECT_EQ(code_of([] { file_delete("/1.0/instances/c1/files", ""); }), errc::invalid_argument);
}

TEST(FileRequests, Push) {
    auto r = file_push("/1.0/instances/c1/files", "/tmp/x", "X-LXD-", {.mode = 0644, .uid = 0, .gid = 5, .append = true}, "file",
                       "data");
    expect(r, verb::post, "/1.0/instances/c1/files", {{"path", "/tmp/x"}}, "data");
    EXPECT_EQ(r.content_type, "application/octet-stream");
    EXPECT_EQ(r.headers, (header_list{{"X-LXD-type", "file"},
                                      {"X-LXD-mode", "0644"},
                                      {"X-LXD-uid", "0"},
                                      {"X-LXD-gid", "5"},
                                      {"X-LXD-write", "append"}}));
    auto l = file_push("/1.0/instances/c1/files", "/tmp/l", "X-Incus-", {}, "symlink", "/target");
    EXPECT_EQ(l.headers, (header_list{{"X-Incus-type", "symlink"}}));
    EXPECT_EQ(l.body, "/target");
    EXPECT_EQ(code_of([] { file_push("/1.0/instances/c1/files", "", "X-LXD-", {}, "directory"); }), errc::invalid_argument);
}

// ---- migration ------------------------------------------------------------------------------

TEST(MigrationRequests, Target) {
    auto r = migration_target("instances", sample_instance(), "c2", {.live = true},
                              boost::json::object{{"mode", "pull"}, {"operation", "https://h/1.0/operations/x"}});
    expect(r, verb::post, "/1.0/instances", {},
           R"({"name":"c2","type":"container","architecture":"x86_64","config":{"limits.cpu":"1","volatile.base_image":"abc"},)"
           R"("devices":{"root":{"path":"/","type":"disk"}},"profiles":["default"],"ephemeral":false,"description":"d",)"
           R"("source":{"mode":"pull","operation":"https://h/1.0/operations/x","type":"migration","live":true,)"
           R"("instance_only":false,"container_only":false,"base-image":"abc"}})");
    auto copy = migration_target("containers", sample_instance(), "c3", {.instance_only = true},
                                 boost::json::object{{"type", "copy"}, {"source", "c1"}});
    EXPECT_NE(copy.body.find(R"("source":{"type":"copy","source":"c1","live":false,"instance_only":true,"container_only":true,)"),
              std::string::npos)
        << copy.body;
    EXPECT_EQ(copy.path, "/1.0/containers");
    EXPECT_EQ(code_of([] { migration_target("instances", sample_instance(), "a b", {}, {}); }), errc::invalid_argument);
}

TEST(MigrationRequests, Source) {
    expect(migration_source("instances", "c1", {.live = true}), verb::post, "/1.0/instances/c1", {},
           R"({"migration":true,"live":true,"instance_only":false,"container_only":false})");
    boost::json::object to{{"target", boost::json::object{{"operation", "u"}}}};
    expect(migration_source("instances", "c1", {}, to), verb::post, "/1.0/instances/c1", {},
           R"({"migration":true,"live":false,"instance_only":false,"container_only":false,"target":{"operation":"u"}})");
}

TEST(MigrationRequests, MemberMove) {
    expect(migration_member_move("instances", "c1", "c2"), verb::post, "/1.0/instances/c1", {},
           R"({"name":"c2","migration":true})");
    EXPECT_EQ(code_of([] { migration_member_move("instances", "c1", "c_2"); }), errc::invalid_argument);
}
