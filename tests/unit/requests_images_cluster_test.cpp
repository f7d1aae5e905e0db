// The requests and decoders behind the image, image alias and cluster member handles
// (src/protocol/images.*, cluster.*, codecs.*): method, path, exact body, If-Match, and the
// input refused before any I/O. No daemon.
#include "protocol/protocol.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/code_of.hpp"

using namespace lxd::protocol;
using lxd::errc;
namespace api = lxd::api;
namespace json = boost::json;
using test_support::code_of;

namespace {

const std::string fp64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const std::string rl = "GET /1.0/x";

api::image sample_image() {
    api::image i;
    i.fingerprint = fp64;
    i.is_public = true;
    i.auto_update = false;
    i.properties = {{"os", "busybox"}};
    i.expires_at = "2030-01-01T00:00:00Z";
    i.profiles = {"default", "p2"};
    i.raw_json = R"({"aliases":[{"name":"a","description":""}],"architecture":"x86_64","auto_update":true,)"
                 R"("cached":false,"fingerprint":")" + fp64 + R"(","filename":"f.tar.xz","properties":{"os":"old"},)"
                 R"("public":false,"expires_at":"0001-01-01T00:00:00Z","profiles":["default"],"size":5,)"
                 R"("type":"container","created_at":"c","last_used_at":"l","uploaded_at":"u",)"
                 R"("update_source":{"alias":"x"},"project":"default","future_field":{"k":1}})";
    return i;
}

api::cluster_member sample_member() {
    api::cluster_member m;
    m.server_name = "node2";
    m.description = "second";
    m.failure_domain = "rack1";
    m.roles = {"database", "event-hub"};
    m.groups = {"default"};
    m.config = {{"scheduler.instance", "manual"}};
    m.raw_json = R"({"server_name":"node2","url":"https://127.0.0.12:8443","database":true,"status":"Online",)"
                 R"("message":"Fully operational","architecture":"x86_64","failure_domain":"default",)"
                 R"("description":"","config":{},"groups":["default"],"roles":["database"],"future_field":7})";
    return m;
}

}  // namespace

// ---- images ---------------------------------------------------------------------------------

TEST(ImageHandleRequests, PutOverlaysTheEditableFieldsAndDropsTheReadOnlyOnes) {
    auto r = image_put(sample_image(), "\"etag\"");
    EXPECT_EQ(r.method, verb::put);
    EXPECT_EQ(r.path, "/1.0/images/" + fp64);
    EXPECT_EQ(header_of(r, "If-Match"), "\"etag\"");
    EXPECT_EQ(r.body,
              R"({"auto_update":false,"properties":{"os":"busybox"},"public":true,"expires_at":"2030-01-01T00:00:00Z",)"
              R"("profiles":["default","p2"],"future_field":{"k":1}})");
    // No If-Match without an ETag (an image from a listing).
    EXPECT_TRUE(image_put(sample_image(), "").headers.empty());
}

TEST(ImageHandleRequests, PutWithoutAStoredObjectSendsTheEditableFields) {
    api::image i;
    i.fingerprint = "abc";
    auto r = image_put(i, "");
    EXPECT_EQ(r.path, "/1.0/images/abc");
    EXPECT_EQ(r.body, R"({"public":false,"auto_update":false,"properties":{},"profiles":[]})");
    i.fingerprint = "not-hex";
    EXPECT_EQ(code_of([&] { (void)image_put(i, ""); }), errc::invalid_argument);
}

TEST(ImageDecoders, FingerprintOfAFinishedOperation) {
    EXPECT_EQ(decode_image_fingerprint(R"({"fingerprint":")" + fp64 + R"(","size":12})", "op1"), fp64);
    for (const char* bad : {"null", "{}", R"({"fingerprint":5})", R"({"fingerprint":""})", "[1]", "not json"}) {
        try {
            (void)decode_image_fingerprint(bad, "op1");
            ADD_FAILURE() << bad;
        } catch (const lxd::error& e) {
            EXPECT_EQ(e.code_value(), errc::protocol_error) << bad;
            EXPECT_NE(std::string(e.what()).find("op1"), std::string::npos) << e.what();
        }
    }
}

TEST(ImageDecoders, SecretOfTheSecretOperation) {
    EXPECT_EQ(decode_image_secret(json::parse(R"({"id":"o","metadata":{"secret":"s3cr3t"}})"), rl), "s3cr3t");
    for (const char* bad : {R"({"metadata":{}})", R"({"metadata":null})", R"({"metadata":{"secret":1}})",
                            R"({"metadata":{"secret":""}})", "[]"})
        EXPECT_EQ(code_of([&] { (void)decode_image_secret(json::parse(bad), rl); }), errc::protocol_error) << bad;
}

TEST(ImageDecoders, ImageKeepsEveryFieldItModels) {
    auto i = decode_image(json::parse(sample_image().raw_json), rl);
    EXPECT_EQ(i.fingerprint, fp64);
    EXPECT_EQ(i.filename, "f.tar.xz");
    EXPECT_EQ(i.architecture, "x86_64");
    EXPECT_EQ(i.type, lxd::api::instance_type::container);
    EXPECT_EQ(i.size, 5);
    EXPECT_FALSE(i.is_public);
    EXPECT_TRUE(i.auto_update);
    EXPECT_EQ(i.properties.at("os"), "old");
    ASSERT_EQ(i.aliases.size(), 1u);
    EXPECT_EQ(i.aliases[0].name, "a");
    EXPECT_EQ(i.profiles, (std::vector<std::string>{"default"}));
    EXPECT_EQ(i.uploaded_at, "u");
    // What image_put sends back from a decoded image: the server's own object, read-only cut.
    auto body = json::parse(image_put(i, "").body).as_object();
    EXPECT_FALSE(body.contains("fingerprint"));
    EXPECT_FALSE(body.contains("update_source"));
    EXPECT_EQ(body.at("auto_update"), true);
    EXPECT_EQ(body.at("future_field").at("k"), 1);
}

// ---- aliases --------------------------------------------------------------------------------

TEST(AliasHandleRequests, SaveIsAPutWithIfMatch) {
    auto r = alias_put("web/a", fp64, "", "\"t\"");
    EXPECT_EQ(r.method, verb::put);
    EXPECT_EQ(r.path, "/1.0/images/aliases/web%2Fa");
    EXPECT_EQ(r.body, R"({"target":")" + fp64 + R"(","description":""})");
    EXPECT_EQ(header_of(r, "If-Match"), "\"t\"");
    EXPECT_EQ(code_of([] { (void)alias_put("a:b", "abc", "", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)alias_put("a", "", "", ""); }), errc::invalid_argument);
}

TEST(AliasDecoders, AliasWithoutANameIsAProtocolError) {
    auto a = decode_image_alias(json::parse(R"({"name":"n","target":"abc","description":"d","type":"virtual-machine"})"), rl);
    EXPECT_EQ(a.name, "n");
    EXPECT_EQ(a.target, "abc");
    EXPECT_EQ(a.description, "d");
    EXPECT_EQ(a.type, lxd::api::instance_type::virtual_machine);
    EXPECT_EQ(code_of([] { (void)decode_image_alias(json::parse(R"({"target":"abc"})"), rl); }), errc::protocol_error);
}

// ---- cluster members ------------------------------------------------------------------------

TEST(ClusterMemberRequests, PutOverlaysTheEditableFields) {
    auto r = cluster_member_put(sample_member(), "\"m\"");
    EXPECT_EQ(r.method, verb::put);
    EXPECT_EQ(r.path, "/1.0/cluster/members/node2");
    EXPECT_FALSE(r.scoped);
    EXPECT_EQ(header_of(r, "If-Match"), "\"m\"");
    EXPECT_EQ(r.body,
              R"({"failure_domain":"rack1","description":"second","config":{"scheduler.instance":"manual"},)"
              R"("groups":["default"],"roles":["database","event-hub"],"future_field":7})");
    auto m = sample_member();
    m.config = {{"bad key", "x"}};
    EXPECT_EQ(code_of([&] { (void)cluster_member_put(m, ""); }), errc::invalid_argument);
    m = sample_member();
    m.server_name = "a/b";
    EXPECT_EQ(code_of([&] { (void)cluster_member_put(m, ""); }), errc::invalid_argument);
}

TEST(ClusterMemberRequests, RenameAndDelete) {
    EXPECT_EQ(code_of([] { (void)cluster_member_rename("node2", "node 2x"); }), errc::invalid_argument);
    auto r = cluster_member_rename("node2", "node2x");
    EXPECT_EQ(r.method, verb::post);
    EXPECT_EQ(r.path, "/1.0/cluster/members/node2");
    EXPECT_EQ(r.body, R"({"server_name":"node2x"})");
    EXPECT_FALSE(r.scoped);
    auto d = cluster_member_delete("node3", false);
    EXPECT_EQ(d.method, verb::delete_);
    EXPECT_EQ(d.path, "/1.0/cluster/members/node3");
    EXPECT_TRUE(d.query.empty());
    EXPECT_FALSE(d.scoped);
    EXPECT_EQ(cluster_member_delete("node3", true).query, (query_list{{"force", "1"}}));
    EXPECT_EQ(code_of([] { (void)cluster_member_delete("", false); }), errc::invalid_argument);
}

TEST(ClusterMemberDecoders, EveryFieldIncludingConfig) {
    auto m = decode_cluster_member(json::parse(R"({"server_name":"n1","url":"https://h:8443","roles":["database"],
        "database":true,"status":"Evacuated","message":"m","architecture":"aarch64","failure_domain":"fd",
        "description":"d","config":{"scheduler.instance":"group","user.n":3},"groups":["g1","g2"]})"),
                                   rl);
    EXPECT_EQ(m.server_name, "n1");
    EXPECT_EQ(m.url, "https://h:8443");
    EXPECT_EQ(m.roles, (std::vector<std::string>{"database"}));
    EXPECT_TRUE(m.database);
    EXPECT_EQ(m.status, "Evacuated");
    EXPECT_EQ(m.message, "m");
    EXPECT_EQ(m.architecture, "aarch64");
    EXPECT_EQ(m.failure_domain, "fd");
    EXPECT_EQ(m.description, "d");
    EXPECT_EQ(m.config, (api::config_map{{"scheduler.instance", "group"}, {"user.n", "3"}}));
    EXPECT_EQ(m.groups, (std::vector<std::string>{"g1", "g2"}));
    EXPECT_EQ(code_of([] { (void)decode_cluster_member(json::parse(R"({"url":"x"})"), rl); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { (void)decode_cluster_member(json::parse(R"({"server_name":"n","config":[]})"), rl); }),
              errc::protocol_error);
}

TEST(ImageCopyRequests, PullNamesTheSourceAndItsSecret) {
    image_transfer t{.fingerprint = fp64, .aliases = {"web", "db"}, .is_public = true, .auto_update = true};
    auto r = image_copy_pull(t, "https://10.0.0.1:8443", "PEM", "s3cr3t");
    EXPECT_EQ(r.method, verb::post);
    EXPECT_EQ(r.path, "/1.0/images");
    EXPECT_EQ(json::parse(r.body),
              json::parse(R"({"source":{"type":"image","mode":"pull","server":"https://10.0.0.1:8443","protocol":"lxd",)"
                          R"("certificate":"PEM","fingerprint":")" + fp64 + R"(","secret":"s3cr3t"},)"
                          R"("public":true,"auto_update":true,"aliases":[{"name":"web"},{"name":"db"}]})"));
    // A public image: no secret, no aliases.
    auto pub = json::parse(image_copy_pull({.fingerprint = fp64}, "https://h:1", "PEM", "").body).as_object();
    EXPECT_FALSE(pub.at("source").as_object().contains("secret"));
    EXPECT_FALSE(pub.contains("aliases"));
}

TEST(ImageCopyRequests, PushTokenOnTheTargetAndExportOnTheSource) {
    image_transfer t{.fingerprint = fp64, .aliases = {"web"}};
    auto tok = image_push_token(t);
    EXPECT_EQ(tok.method, verb::post);
    EXPECT_EQ(tok.path, "/1.0/images");
    EXPECT_EQ(json::parse(tok.body),
              json::parse(R"({"source":{"type":"image","mode":"push","fingerprint":")" + fp64 + R"("},)"
                          R"("public":false,"auto_update":false,"aliases":[{"name":"web"}]})"));
    auto ex = image_push_export(t, "https://10.0.0.2:8443", "PEM2", "tok");
    EXPECT_EQ(ex.method, verb::post);
    EXPECT_EQ(ex.path, "/1.0/images/" + fp64 + "/export");
    EXPECT_EQ(json::parse(ex.body), json::parse(R"({"target":"https://10.0.0.2:8443","certificate":"PEM2","secret":"tok",)"
                                                R"("aliases":[{"name":"web"}]})"));
}

TEST(ImageCopyRequests, BadInputIsRefusedBeforeAnythingIsSent) {
    EXPECT_EQ(code_of([] { (void)image_copy_pull({.fingerprint = "abc"}, "https://h:1", "P", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)image_copy_pull({.fingerprint = fp64}, "http://h:1", "P", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)image_copy_pull({.fingerprint = fp64}, "https://", "P", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)image_push_token({.fingerprint = fp64, .aliases = {"a:b"}}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)image_push_export({.fingerprint = fp64}, "https://h:1", "P", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)image_push_export({.fingerprint = fp64}, "https://h:1\r\nX: y", "P", "s"); }), errc::invalid_argument);
}
