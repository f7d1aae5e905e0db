// The server itself through the library: its configuration (ETag), resources, the trust
// store and its tokens, warnings, operations by id and raw requests; lxc (or incus)
// confirms each effect on the same daemon.
#include "sandbox.hpp"
#include "support/code_of.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

using namespace std::chrono_literals;
using test_support::code_of;
namespace json = boost::json;

namespace {

struct Server : sandbox::server_test {
    lxd::client c = sandbox::unix_client(1);
    void TearDown() override {
        auto s = c.server();
        if (s.config().count("images.remote_cache_expiry")) s.unset("images.remote_cache_expiry").save();
        sandbox::remove_leftovers(c);
    }
    std::string lxc_trim(const std::string& args) {
        auto out = sandbox::lxc(args);
        while (!out.empty() && out.back() == '\n') out.pop_back();
        return out;
    }
};

}  // namespace

TEST_P(Server, ConfigSaveIsSeenByLxcAndALostUpdateIsRefused) {
    auto s = c.server();
    EXPECT_FALSE(s.etag().empty());
    EXPECT_EQ(s.config().count("images.remote_cache_expiry"), 0u);
    s.set("images.remote_cache_expiry", "13").save();
    EXPECT_EQ(s.config().at("images.remote_cache_expiry"), "13");
    EXPECT_EQ(lxc_trim("config get d1: images.remote_cache_expiry"), "13");

    auto first = c.server(), second = c.server();
    first.set("images.remote_cache_expiry", "14").save();
    second.set("images.remote_cache_expiry", "15");
    EXPECT_EQ(code_of([&] { second.save(); }), lxd::errc::precondition_failed);
    EXPECT_EQ(lxc_trim("config get d1: images.remote_cache_expiry"), "14");
    second.refresh();
    second.patch({{"images.remote_cache_expiry", "16"}});
    EXPECT_EQ(second.config().at("images.remote_cache_expiry"), "16");
    EXPECT_EQ(lxc_trim("config get d1: images.remote_cache_expiry"), "16");

    second.unset("images.remote_cache_expiry").save();
    EXPECT_EQ(lxc_trim("config get d1: images.remote_cache_expiry"), "");
    auto unknown = c.server();
    unknown.set("no.such.key", "1");
    auto e = code_of([&] { unknown.save(); });
    EXPECT_EQ(e, lxd::errc::bad_request);

    if (!sandbox::on_incus()) {   // the trust password LXD shows as `true` survives every save
        lxd::certificate_pair pair;
        auto stranger = sandbox::untrusted_https_client(1, &pair);
        stranger.authenticate(sandbox::password());
        EXPECT_TRUE(stranger.trusted());
        c.certificates().get(lxd::certificate_fingerprint(pair.cert_pem)).remove();
    }
    auto before = c.request_count();
    EXPECT_EQ(code_of([&] { c.server().set("bad key", "1"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { s.set("a=b", "1"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(c.request_count(), before + 1);   // the one GET of c.server(); nothing after the refusal
}

TEST_P(Server, ResourcesDescribeTheHost) {
    auto r = json::parse(c.resources()).as_object();
    EXPECT_TRUE(r.contains("cpu"));
    EXPECT_TRUE(r.contains("memory"));
    EXPECT_GT(r.at("memory").as_object().at("total").to_number<std::int64_t>(), 0);
    auto lxc_total = json::parse(sandbox::lxc("query d1:/1.0/resources")).as_object().at("memory").as_object().at("total");
    EXPECT_EQ(r.at("memory").as_object().at("total"), lxc_total);
}

TEST_P(Server, CertificatesAddUpdateRemoveAsLxcSeesThem) {
    auto pair = lxd::generate_client_certificate("lxdpp-trust-test");
    auto fp = lxd::certificate_fingerprint(pair.cert_pem);
    auto certs = c.certificates();
    EXPECT_FALSE(certs.exists(fp));
    auto name = sandbox::unique_name("cert");
    certs.add({.pem = pair.cert_pem, .name = name});
    EXPECT_NE(sandbox::lxc("config trust list d1: -f csv").find(fp.substr(0, 12)), std::string::npos);
    auto cert = certs.get(fp.substr(0, 16));
    EXPECT_EQ(cert.fingerprint(), fp);
    EXPECT_EQ(cert.name(), name);
    EXPECT_EQ(cert.type(), "client");
    EXPECT_FALSE(cert.restricted());
    EXPECT_EQ(lxd::certificate_fingerprint(cert.pem()), fp);
    auto fps = certs.fingerprints();
    EXPECT_NE(std::find(fps.begin(), fps.end(), fp), fps.end());

    auto stale = certs.get(fp);
    cert.set_restricted(true).set_projects({"default"}).save();
    EXPECT_TRUE(cert.restricted());
    auto shown = sandbox::lxc("config trust show d1:" + fp);
    EXPECT_NE(shown.find("restricted: true"), std::string::npos) << shown;
    EXPECT_NE(shown.find("- default"), std::string::npos) << shown;
    stale.set_name("other");
    EXPECT_EQ(code_of([&] { stale.save(); }), lxd::errc::precondition_failed);
    EXPECT_EQ(certs.get(fp).name(), name);

    cert.remove();
    EXPECT_FALSE(certs.exists(fp));
    EXPECT_EQ(sandbox::lxc("config trust list d1: -f csv").find(fp.substr(0, 12)), std::string::npos);
    EXPECT_EQ(code_of([&] { cert.refresh(); }), lxd::errc::not_found);

    auto before = c.request_count();
    EXPECT_EQ(code_of([&] { certs.get("xyz"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { certs.add({.pem = "not a certificate"}); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { certs.add({.pem = pair.cert_pem, .type = "server"}); }), lxd::errc::invalid_argument);
    EXPECT_EQ(c.request_count(), before);
}

TEST_P(Server, ARevokedTokenCannotBeUsed) {
    auto certs = c.certificates();
    auto name = sandbox::unique_name("tok");
    auto op = certs.create_token(name);
    auto token = lxd::client::token_from_operation(op.info());
    auto pending = certs.tokens();
    auto it = std::find_if(pending.begin(), pending.end(), [&](auto& t) { return t.id == op.id(); });
    ASSERT_NE(it, pending.end());
    EXPECT_NE(sandbox::lxc("config trust list-tokens d1: -f csv").find(name), std::string::npos);

    certs.revoke_token(op.id());
    EXPECT_EQ(code_of([&] { (void)op.wait(30s); }), lxd::errc::operation_cancelled);
    EXPECT_EQ(sandbox::lxc("config trust list-tokens d1: -f csv").find(name), std::string::npos);
    auto stranger = sandbox::untrusted_https_client(1);
    auto refused = code_of([&] { stranger.authenticate(token); });
    EXPECT_EQ(refused, lxd::errc::forbidden);
    EXPECT_FALSE(stranger.trusted());

    // A token that is not revoked works, once.
    auto op2 = certs.create_token(name + "b");
    auto token2 = lxd::client::token_from_operation(op2.info());
    lxd::certificate_pair pair;
    auto newcomer = sandbox::untrusted_https_client(1, &pair);
    newcomer.authenticate(token2);
    EXPECT_TRUE(newcomer.trusted());
    certs.get(lxd::certificate_fingerprint(pair.cert_pem)).remove();
}

TEST_P(Server, OperationsByIdShowWaitAndCancel) {
    auto op = c.certificates().create_token(sandbox::unique_name("op"));
    auto by_id = c.get_operation(op.id());
    EXPECT_EQ(by_id.id(), op.id());
    EXPECT_EQ(by_id.info().operation_class, "token");
    EXPECT_EQ(by_id.info().code, lxd::api::status_code::running);
    auto all = c.operations();
    EXPECT_NE(std::find_if(all.begin(), all.end(), [&](auto& o) { return o.id == op.id(); }), all.end());
    EXPECT_EQ(code_of([&] { (void)by_id.wait(300ms); }), lxd::errc::timeout);
    EXPECT_NE(sandbox::lxc("operation list d1: -f csv").find(op.id()), std::string::npos);
    by_id.cancel();
    EXPECT_EQ(code_of([&] { (void)by_id.wait(30s); }), lxd::errc::operation_cancelled);
    EXPECT_EQ(code_of([&] { (void)c.get_operation("00000000-0000-0000-0000-000000000000"); }), lxd::errc::not_found);
}

TEST_P(Server, WarningsListShowAcknowledgeAndRemove) {
    ASSERT_TRUE(c.has_api_extension("warnings"));
    auto w = c.warnings();
    auto all = w.all();
    // Every sandbox daemon starts with warnings about what this machine lacks (AppArmor, ...).
    ASSERT_FALSE(all.empty());
    auto lxc_json = json::parse(sandbox::lxc("warning list d1: -a -f json")).as_array();
    EXPECT_EQ(all.size(), lxc_json.size());
    auto first = all.front();
    auto got = w.get(first.uuid);
    EXPECT_EQ(got.uuid, first.uuid);
    EXPECT_EQ(got.type, first.type);
    EXPECT_EQ(got.last_message, first.last_message);
    EXPECT_TRUE(w.exists(first.uuid));

    w.acknowledge(first.uuid);
    EXPECT_EQ(w.get(first.uuid).status, "acknowledged");
    EXPECT_NE(sandbox::lxc("warning list d1: -a -f csv").find(first.uuid + "," + first.type + ",ACKNOWLEDGED"), std::string::npos);
    w.acknowledge(first.uuid, false);
    EXPECT_EQ(w.get(first.uuid).status, "new");

    auto last = all.back();
    w.remove(last.uuid);
    EXPECT_FALSE(w.exists(last.uuid));
    EXPECT_EQ(code_of([&] { (void)w.get(last.uuid); }), lxd::errc::not_found);
    EXPECT_EQ(code_of([&] { w.remove(last.uuid); }), lxd::errc::not_found);
    EXPECT_EQ(sandbox::lxc("warning list d1: -a -f csv").find(last.uuid), std::string::npos);

    auto before = c.request_count();
    EXPECT_EQ(code_of([&] { (void)w.get("not-a-uuid"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { w.acknowledge("0b1bb1f4"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(c.request_count(), before);
}

TEST_P(Server, RawRequestsReturnTheEnvelopeOrWaitForTheOperation) {
    auto info = c.raw({.path = "/1.0"});
    EXPECT_EQ(info.type, "sync");
    EXPECT_EQ(info.status_code, 200);
    EXPECT_FALSE(info.etag.empty());
    EXPECT_EQ(json::parse(info.metadata_json).at("api_version").as_string(), "1.0");

    auto name = sandbox::unique_name("raw");
    auto body = json::serialize(json::object{{"name", name}, {"source", {{"type", "image"}, {"alias", sandbox::image()}}}});
    auto created = c.raw({.method = "POST", .path = "/1.0/instances", .body = body, .wait = true});
    EXPECT_EQ(created.type, "async");
    EXPECT_EQ(created.status_code, 100);
    EXPECT_EQ(created.operation.rfind("/1.0/operations/", 0), 0u);
    EXPECT_EQ(json::parse(created.metadata_json).at("status").as_string(), "Success");
    EXPECT_EQ(sandbox::lxc("list d1:" + name + " -c n -f csv"), name + "\n");

    auto listed = c.raw({.path = "/1.0/instances", .query = {{"recursion", "1"}}});
    EXPECT_NE(listed.metadata_json.find("\"name\":\"" + name + "\""), std::string::npos);
    auto gone = c.raw({.method = "DELETE", .path = "/1.0/instances/" + name});
    EXPECT_EQ(gone.type, "async");
    c.get_operation(gone.operation.substr(gone.operation.rfind('/') + 1)).wait(1min);
    EXPECT_EQ(sandbox::lxc("list d1:" + name + " -c n -f csv"), "");

    EXPECT_EQ(code_of([&] { c.raw({.path = "/1.0/instances/" + name}); }), lxd::errc::not_found);
    auto before = c.request_count();
    EXPECT_EQ(code_of([&] { c.raw({.method = "FETCH", .path = "/1.0"}); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { c.raw({.path = "/2.0"}); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { c.raw({.method = "PUT", .path = "/1.0", .body = "{x"}); }), lxd::errc::invalid_argument);
    EXPECT_EQ(c.request_count(), before);
}

LXDPP_BOTH_SERVERS(Server);
