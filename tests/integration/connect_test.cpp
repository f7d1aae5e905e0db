// Connecting: Unix socket, HTTPS with pinning, trust, tokens, keep-alive, scoping, deadlines.
#include "sandbox.hpp"
#include "support/code_of.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;

namespace {
using test_support::code_of;
struct Connect : sandbox::server_test {};
}  // namespace

TEST_P(Connect, UnixSocketHostInfo) {
    auto c = sandbox::unix_client(1);
    auto info = c.host_info();
    EXPECT_EQ(info.auth, "trusted");
    EXPECT_EQ(info.api_version, "1.0");
    // Which server and which version (the ones the sandbox runs: Debian 12's LXD, and
    // Incus from bookworm-backports).
    EXPECT_EQ(info.environment.server, sandbox::on_incus() ? "incus" : "lxd");
    EXPECT_EQ(info.environment.server_version, sandbox::server_version());
    EXPECT_EQ(info.environment.storage, "dir");
    EXPECT_EQ(info.environment.certificate_fingerprint, lxd::certificate_fingerprint(sandbox::server_cert(1)));
    EXPECT_EQ(c.server_flavour(), sandbox::on_incus() ? lxd::flavour::incus : lxd::flavour::lxd);
    EXPECT_EQ(c.server_version(), sandbox::server_version());
    EXPECT_TRUE(c.trusted());
}

TEST_P(Connect, ApiExtensions) {
    auto c = sandbox::unix_client(1);
    EXPECT_TRUE(c.has_api_extension("instances"));
    EXPECT_TRUE(c.has_api_extension("certificate_token"));
    // Checked by extension: Incus 6.0 has instance_generation_id (volatile.uuid.generation),
    // LXD 5.0.2 does not; neither advertises explicit_trust_token.
    EXPECT_EQ(c.has_api_extension("instance_generation_id"), sandbox::on_incus());
    EXPECT_FALSE(c.has_api_extension("explicit_trust_token"));
    EXPECT_FALSE(c.has_api_extension("no_such_extension_xyz"));
    EXPECT_NO_THROW(c.assert_has_api_extension("instances"));
    try {
        c.assert_has_api_extension("no_such_extension_xyz");
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::unsupported);
        EXPECT_NE(std::string(e.what()).find("no_such_extension_xyz"), std::string::npos);
    }
    // The list is fetched once and cached.
    auto before = c.request_count();
    for (int i = 0; i < 10; ++i) (void)c.has_api_extension("instances");
    EXPECT_EQ(c.request_count(), before);
}

TEST_P(Connect, SocketDiscoveryHonoursTheServersVariables) {
    // Each server's own variables: LXD_SOCKET / LXD_DIR, INCUS_SOCKET / INCUS_DIR.
    auto sock = sandbox::socket(1);
    auto dir = sock.substr(0, sock.rfind('/'));
    const char* socket_var = sandbox::on_incus() ? "INCUS_SOCKET" : "LXD_SOCKET";
    const char* dir_var = sandbox::on_incus() ? "INCUS_DIR" : "LXD_DIR";
    auto flavour = sandbox::on_incus() ? lxd::flavour::incus : lxd::flavour::lxd;
    for (auto* v : {"LXD_SOCKET", "LXD_DIR", "INCUS_SOCKET", "INCUS_DIR"}) unsetenv(v);
    setenv(socket_var, sock.c_str(), 1);
    EXPECT_EQ(lxd::find_unix_socket(), sock);   // no other server's socket exists here
    EXPECT_EQ(lxd::find_unix_socket(flavour), sock);
    unsetenv(socket_var);
    setenv(dir_var, dir.c_str(), 1);
    EXPECT_EQ(lxd::find_unix_socket(), sock);
    EXPECT_EQ(lxd::find_unix_socket(flavour), sock);
    // Asking for the other server does not take this one's socket.
    auto other = sandbox::on_incus() ? lxd::flavour::lxd : lxd::flavour::incus;
    EXPECT_EQ(code_of([&] { (void)lxd::find_unix_socket(other); }), lxd::errc::connection_failed);
    // A client on the discovered socket says which server it is.
    auto c = lxd::client::connect_unix();
    EXPECT_EQ(c.server_flavour(), flavour);
    unsetenv(dir_var);
    // With both servers' variables set, an explicit choice picks each; no choice prefers LXD.
    sandbox::use(sandbox::server::lxd);
    auto lxd_sock = sandbox::socket(1);
    sandbox::use(sandbox::server::incus);
    auto incus_sock = sandbox::socket(1);
    sandbox::use(GetParam());
    setenv("LXD_SOCKET", lxd_sock.c_str(), 1);
    setenv("INCUS_SOCKET", incus_sock.c_str(), 1);
    EXPECT_EQ(lxd::find_unix_socket(lxd::flavour::incus), incus_sock);
    EXPECT_EQ(lxd::find_unix_socket(lxd::flavour::lxd), lxd_sock);
    EXPECT_EQ(lxd::find_unix_socket(), lxd_sock);
    unsetenv("LXD_SOCKET");
    unsetenv("INCUS_SOCKET");
}

TEST_P(Connect, UnreachableSocketIsConnectionFailed) {
    auto c = lxd::client::connect_unix("/tmp/lxdpp-no-such-dir/unix.socket");
    try {
        (void)c.host_info();
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::connection_failed);
        EXPECT_NE(std::string(e.what()).find("/tmp/lxdpp-no-such-dir/unix.socket"), std::string::npos);
    }
}

// LXD 5.0 trusts by password; Incus 6 has no trust password, so it is trusted by a token.
TEST_P(Connect, HttpsUntrustedThenTrustedWithPasswordOrToken) {
    lxd::certificate_pair pair;
    auto c = sandbox::untrusted_https_client(2, &pair);
    EXPECT_FALSE(c.trusted());
    EXPECT_EQ(code_of([&] { (void)c.instances().all(); }), lxd::errc::forbidden);

    // A wrong password is refused, and the secret does not appear in the error.
    const std::string wrong = "not-the-password-4711";
    try {
        c.authenticate(wrong);
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::forbidden);
        EXPECT_EQ(std::string(e.what()).find(wrong), std::string::npos);
    }
    EXPECT_FALSE(c.trusted());

    c.authenticate(sandbox::trust_secret(2), "lxdpp-test-trusted");
    EXPECT_TRUE(c.trusted());
    EXPECT_NO_THROW((void)c.instances().all());
    // The server now lists our certificate: confirmed with the lxc CLI.
    auto fp = lxd::certificate_fingerprint(pair.cert_pem);
    auto listing = sandbox::lxc("config trust list d2: --format csv");
    EXPECT_NE(listing.find(fp.substr(0, 12)), std::string::npos) << listing;
}

TEST_P(Connect, HttpsPinnedByFingerprint) {
    auto pair = lxd::generate_client_certificate();
    lxd::tls_options tls;
    tls.client_cert_pem = pair.cert_pem;
    tls.client_key_pem = pair.key_pem;
    auto fp = lxd::certificate_fingerprint(sandbox::server_cert(1));
    // Upper case with colons is accepted too.
    std::string colons;
    for (size_t i = 0; i < fp.size(); i += 2) colons += (i ? ":" : "") + fp.substr(i, 2);
    for (auto& ch : colons) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    tls.server_fingerprint = colons;
    auto c = lxd::client::connect_https(sandbox::https_url(1), tls);
    EXPECT_EQ(c.host_info().api_version, "1.0");
}

TEST_P(Connect, WrongPinIsRefusedBeforeAnyRequest) {
    auto pair = lxd::generate_client_certificate();
    lxd::tls_options tls;
    tls.client_cert_pem = pair.cert_pem;
    tls.client_key_pem = pair.key_pem;
    tls.server_cert_pem = sandbox::server_cert(2);   // daemon 2's certificate, for daemon 1
    auto c = lxd::client::connect_https(sandbox::https_url(1), tls);
    try {
        (void)c.host_info();
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::tls_error);
        EXPECT_NE(std::string(e.what()).find("does not match the pinned fingerprint"), std::string::npos) << e.what();
    }
    EXPECT_EQ(c.request_count(), 0u);
}

TEST_P(Connect, HttpsNeedsAWayToCheckTheServer) {
    lxd::tls_options tls;
    EXPECT_EQ(code_of([&] { lxd::client::connect_https(sandbox::https_url(1), tls); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { lxd::client::connect_https("http://127.0.0.1:1", tls); }), lxd::errc::invalid_argument);
}

TEST_P(Connect, FetchServerCertificateSeesTheRealOne) {
    auto pem = lxd::fetch_server_certificate(sandbox::https_url(1));
    EXPECT_EQ(lxd::certificate_fingerprint(pem), lxd::certificate_fingerprint(sandbox::server_cert(1)));
}

TEST_P(Connect, TokenTrustsAndIsSingleUse) {
    auto admin = sandbox::unix_client(2);
    auto op = admin.create_certificate_token("lxdpp-token-test");
    auto info = op.info();
    EXPECT_EQ(info.operation_class, "token");
    auto token = lxd::client::token_from_operation(info);

    auto c = sandbox::untrusted_https_client(2);
    EXPECT_FALSE(c.trusted());
    c.authenticate(token);
    EXPECT_TRUE(c.trusted());
    // Used tokens are gone: the operation ended (LXD cancels it on use).
    EXPECT_EQ(code_of([&] { op.wait(30s); }), lxd::errc::operation_cancelled);
    auto other = sandbox::untrusted_https_client(2);
    EXPECT_EQ(code_of([&] { other.authenticate(token); }), lxd::errc::forbidden);
    EXPECT_FALSE(other.trusted());
}

TEST_P(Connect, TokenOfAnotherServerIsRefusedClientSide) {
    auto admin = sandbox::unix_client(1);
    auto op = admin.create_certificate_token("lxdpp-wrong-server");
    auto token = lxd::client::token_from_operation(op.info());
    auto c = sandbox::untrusted_https_client(2);   // daemon 2 must never see daemon 1's token
    auto before = c.request_count();
    EXPECT_EQ(code_of([&] { c.authenticate(token); }), lxd::errc::forbidden);
    EXPECT_EQ(c.request_count(), before + 1);   // only GET /1.0, no POST with the secret
    op.cancel();
}

TEST_P(Connect, KeepAliveReusesOneConnection) {
    auto c = sandbox::unix_client(1);
    for (int i = 0; i < 20; ++i) (void)c.host_info();
    EXPECT_EQ(c.request_count(), 20u);
    EXPECT_EQ(c.connection_count(), 1u);

    auto h = sandbox::trusted_https_client(1);
    auto before = h.connection_count();
    for (int i = 0; i < 20; ++i) (void)h.host_info();
    EXPECT_EQ(h.connection_count(), before);   // the TLS connection is reused too
}

TEST_P(Connect, DeadlineExpiresPromptly) {
    auto admin = sandbox::unix_client(1);
    auto token = admin.create_certificate_token("lxdpp-deadline");   // an operation that waits
    auto c = admin.with_timeout(500ms);
    auto t0 = std::chrono::steady_clock::now();
    try {
        (void)c.raw_get("/1.0/operations/" + token.id() + "/wait?timeout=20");
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::timeout);
    }
    auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(took, 450ms);
    EXPECT_LT(took, 3s);
    token.cancel();
    // The client is still usable afterwards.
    EXPECT_EQ(c.host_info().auth, "trusted");
}

TEST_P(Connect, ProjectScopeAppliesToEveryRequest) {
    auto c = sandbox::unix_client(1);
    auto project = sandbox::unique_name("p");
    sandbox::lxc("project create d1:" + project + " -c features.images=false -c features.profiles=false");
    auto scoped = c.use_project(project);
    EXPECT_EQ(scoped.project(), project);
    auto name = sandbox::unique_name("c");
    sandbox::make_container(scoped, name, false);
    EXPECT_TRUE(scoped.containers().exists(name));
    EXPECT_FALSE(c.containers().exists(name));   // the default project does not have it
    auto listing = sandbox::lxc("list d1: --project " + project + " --format csv -c n");
    EXPECT_EQ(listing, name + "\n");
    scoped.containers().get(name).remove(true).wait(std::chrono::minutes(2));
    sandbox::lxc("project delete d1:" + project);
    // Requests in a project that no longer exists are refused by the server (404).
    lxd::instance_create gone;
    gone.name = sandbox::unique_name("gone");
    EXPECT_EQ(code_of([&] { (void)c.use_project(project).containers().create(gone); }), lxd::errc::not_found);
    EXPECT_EQ(code_of([&] { (void)c.use_project("bad/name"); }), lxd::errc::invalid_argument);
}

LXDPP_BOTH_SERVERS(Connect);
