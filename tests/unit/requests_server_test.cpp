// The builders and decoders of the server's own resources: its configuration, resources,
// the trust store, warnings and raw requests. No daemon.
#include "protocol/protocol.hpp"
#include "protocol/trust.hpp"

#include <gtest/gtest.h>

#include "support/code_of.hpp"
#include "support/expect_request.hpp"

using namespace lxd::protocol;
using lxd::errc;
namespace api = lxd::api;
namespace json = boost::json;
using test_support::code_of;
using test_support::expect;

namespace {

const std::string pem = "-----BEGIN CERTIFICATE-----\nTUlJ\nQUFB\n-----END CERTIFICATE-----\n";
const std::string uuid = "0b1bb1f4-3a5e-4c1d-9d2e-0123456789ab";

}  // namespace

TEST(ServerRequests, ConfigPutAndPatchCarryTheConfigAndTheEtag) {
    auto put = server_put({{"core.https_allowed_origin", "*"}, {"images.auto_update_interval", "0"}}, "\"e1\"");
    expect(put, verb::put, "/1.0", {}, R"({"config":{"core.https_allowed_origin":"*","images.auto_update_interval":"0"}})");
    EXPECT_EQ(header_of(put, "If-Match"), "\"e1\"");
    EXPECT_TRUE(put.scoped);
    auto patch = server_patch({{"images.auto_update_interval", ""}}, "");
    expect(patch, verb::patch, "/1.0", {}, R"({"config":{"images.auto_update_interval":""}})");
    EXPECT_EQ(header_of(patch, "If-Match"), "");
    // A set trust password, shown as true, goes back as true (unchanged), not as "true".
    auto kept = server_put({{"core.trust_password", "true"}, {"x", "1"}, {"y", "2"}}, "", R"({"core.trust_password":true,"x":"1","y":3})");
    EXPECT_EQ(kept.body, R"({"config":{"core.trust_password":true,"x":"1","y":"2"}})");
    for (auto bad : {"", "a b", "a=b", "a\nb", "a\x7f"}) {
        EXPECT_EQ(code_of([&] { server_put({{bad, "1"}}, ""); }), errc::invalid_argument) << bad;
        EXPECT_EQ(code_of([&] { server_patch({{bad, "1"}}, ""); }), errc::invalid_argument) << bad;
    }
}

TEST(ServerRequests, ResourcesAreTheHostsWhateverTheProject) {
    auto r = resources_get();
    expect(r, verb::get, "/1.0/resources");
    EXPECT_FALSE(r.scoped);
}

TEST(ServerRequests, RawTakesAnyMethodPathQueryBodyAndEtag) {
    auto r = raw("POST", "/1.0/instances?x=1", {{"a b", "c&d"}}, R"({"name":"c1"})", "\"e\"");
    expect(r, verb::post, "/1.0/instances?x=1", {{"a b", "c&d"}}, R"({"name":"c1"})");
    EXPECT_EQ(r.target(), "/1.0/instances?x=1&a%20b=c%26d");
    EXPECT_EQ(header_of(r, "If-Match"), "\"e\"");
    expect(raw("DELETE", "/1.0", {}, "", ""), verb::delete_, "/1.0");
    expect(raw("PATCH", "/1.0/x", {}, "", ""), verb::patch, "/1.0/x");
    EXPECT_EQ(code_of([] { raw("get", "/1.0", {}, "", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { raw("HEAD", "/1.0", {}, "", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { raw("GET", "/2.0", {}, "", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { raw("GET", "/1.00", {}, "", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { raw("GET", "1.0/instances", {}, "", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { raw("GET", "/1.0/a b", {}, "", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { raw("PUT", "/1.0", {}, "{not json", ""); }), errc::invalid_argument);
}

TEST(ServerRequests, OperationCancelRefusesAnEmptyId) {
    expect(operation_cancel("abc"), verb::delete_, "/1.0/operations/abc");
    EXPECT_EQ(code_of([] { operation_cancel(""); }), errc::invalid_argument);
}

TEST(TrustRequests, ListGetDelete) {
    auto all = certificate_list(true);
    expect(all, verb::get, "/1.0/certificates", {{"recursion", "1"}});
    EXPECT_FALSE(all.scoped);
    expect(certificate_list(false), verb::get, "/1.0/certificates");
    expect(certificate_get("ABCdef01"), verb::get, "/1.0/certificates/ABCdef01");
    expect(certificate_delete("abc"), verb::delete_, "/1.0/certificates/abc");
    for (auto bad : {"", "xyz", "ab/cd", "../x"}) {
        EXPECT_EQ(code_of([&] { certificate_get(bad); }), errc::invalid_argument) << bad;
        EXPECT_EQ(code_of([&] { certificate_delete(bad); }), errc::invalid_argument) << bad;
    }
    EXPECT_EQ(code_of([] { certificate_get(std::string(65, 'a')); }), errc::invalid_argument);
}

TEST(TrustRequests, AddSendsTheDerAsBase64) {
    auto r = certificate_add(pem, "ci", "client", true, {"default", "p2"});
    expect(r, verb::post, "/1.0/certificates", {},
           R"({"type":"client","certificate":"TUlJQUFB","name":"ci","restricted":true,"projects":["default","p2"]})");
    EXPECT_FALSE(r.scoped);
    // A description (Incus) is sent only when given.
    expect(certificate_add(pem, "ci", "metrics", false, {}, "probe"), verb::post, "/1.0/certificates", {},
           R"({"type":"metrics","certificate":"TUlJQUFB","name":"ci","restricted":false,"projects":[],"description":"probe"})");
    EXPECT_EQ(certificate_der_base64("junk\n" + pem), "TUlJQUFB");
    EXPECT_EQ(code_of([] { certificate_add("not a pem", "", "client", false, {}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { certificate_add(pem + pem, "", "client", false, {}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { certificate_add("-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----", "", "client", false, {}); }),
              errc::invalid_argument);
    EXPECT_EQ(code_of([] { certificate_add(pem, "", "server", false, {}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { certificate_add(pem, "", "client", true, {"a b"}); }), errc::invalid_argument);
}

TEST(TrustRequests, PutKeepsUnknownFieldsAndSendsTheEtag) {
    api::certificate c;
    c.fingerprint = "abcd";
    c.name = "n2";
    c.type = "client";
    c.restricted = true;
    c.projects = {"default"};
    c.pem = "PEM";
    c.raw_json = R"({"name":"n1","fingerprint":"abcd","future":1,"projects":[]})";
    auto r = certificate_put(c, "\"e\"");
    expect(r, verb::put, "/1.0/certificates/abcd", {},
           R"({"name":"n2","certificate":"PEM","future":1,"projects":["default"],"type":"client","restricted":true})");
    EXPECT_EQ(header_of(r, "If-Match"), "\"e\"");
    c.projects = {"a/b"};
    EXPECT_EQ(code_of([&] { certificate_put(c, ""); }), errc::invalid_argument);
}

TEST(WarningRequests, ListGetAcknowledgeDelete) {
    auto mine = warning_list(false);
    expect(mine, verb::get, "/1.0/warnings", {{"recursion", "1"}});
    EXPECT_TRUE(mine.scoped);
    auto every = warning_list(true);
    expect(every, verb::get, "/1.0/warnings", {{"recursion", "1"}, {"all-projects", "true"}});
    EXPECT_FALSE(every.scoped);
    expect(warning_get(uuid), verb::get, "/1.0/warnings/" + uuid);
    expect(warning_status(uuid, true), verb::put, "/1.0/warnings/" + uuid, {}, R"({"status":"acknowledged"})");
    expect(warning_status(uuid, false), verb::put, "/1.0/warnings/" + uuid, {}, R"({"status":"new"})");
    expect(warning_delete(uuid), verb::delete_, "/1.0/warnings/" + uuid);
    for (auto bad : {"", "abc", "0b1bb1f4-3a5e-4c1d-9d2e-0123456789aZ", "0b1bb1f4x3a5e-4c1d-9d2e-0123456789ab",
                     "0b1bb1f4-3a5e-4c1d-9d2e-0123456789abc"}) {
        EXPECT_EQ(code_of([&] { warning_get(bad); }), errc::invalid_argument) << bad;
        EXPECT_EQ(code_of([&] { warning_status(bad, true); }), errc::invalid_argument) << bad;
        EXPECT_EQ(code_of([&] { warning_delete(bad); }), errc::invalid_argument) << bad;
    }
}

TEST(ServerCodecs, CertificateWarningAndServerConfig) {
    auto c = decode_certificate(json::parse(R"({"certificate":"P","fingerprint":"f","name":"n","type":"client","restricted":true,)"
                                            R"("projects":["a"],"description":"d"})"),
                                "GET x");
    EXPECT_EQ(c.pem, "P");
    EXPECT_EQ(c.fingerprint, "f");
    EXPECT_EQ(c.name, "n");
    EXPECT_TRUE(c.restricted);
    EXPECT_EQ(c.projects, std::vector<std::string>{"a"});
    EXPECT_EQ(c.description, "d");
    EXPECT_EQ(code_of([] { decode_certificate(json::parse(R"({"restricted":"yes"})"), "GET x"); }), errc::protocol_error);
    auto w = decode_warning(json::parse(R"({"uuid":"u","status":"new","severity":"low","type":"t","count":3,"project":"p",)"
                                        R"("location":"none","entity_url":"/1.0/x","first_seen_at":"a","last_seen_at":"b","last_message":"m"})"),
                            "GET x");
    EXPECT_EQ(w.uuid, "u");
    EXPECT_EQ(w.count, 3);
    EXPECT_EQ(w.last_message, "m");
    EXPECT_EQ(w.entity_url, "/1.0/x");
    EXPECT_EQ(code_of([] { decode_warning(json::parse("[]"), "GET x"); }), errc::protocol_error);
    auto s = decode_server_info(json::parse(R"({"config":{"a":"1","b":2}})"), "GET /1.0");
    EXPECT_EQ(s.config, (api::config_map{{"a", "1"}, {"b", "2"}}));
    EXPECT_EQ(code_of([] { decode_server_info(json::parse(R"({"config":[1]})"), "GET /1.0"); }), errc::protocol_error);
}
