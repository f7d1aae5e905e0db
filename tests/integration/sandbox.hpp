// tests/integration/sandbox.hpp — what the integration suites know about the sandbox
// daemons that scripts/test (scripts/sandbox) started, read from LXDPP_TEST_* variables.
// Missing variables fail the test: these suites never skip.
#pragma once

#include <lxd/lxd.hpp>

#include <gtest/gtest.h>

#include <string>

namespace sandbox {

/// Which real server a test talks to. Every suite runs against both: one test body, the
/// server in the test's name (Suite.Test/lxd, Suite.Test/incus).
enum class server { lxd, incus };
const char* name_of(server s);
/// The server the running test uses (set by server_test::SetUp; lxd before any).
server current();
void use(server s);
inline bool on_incus() { return current() == server::incus; }

/// The base of parameterised fixtures: SetUp selects the server, so socket(k), https_url(k),
/// lxc(), trusted_https_client(k)... all name daemon k of that server.
struct server_test : ::testing::TestWithParam<server> {
    server_test() { use(GetParam()); }   // before the fixture's members connect
    server srv() const { return GetParam(); }
};
/// The parameter values and names for INSTANTIATE_TEST_SUITE_P (see LXDPP_BOTH_SERVERS).
::testing::internal::ParamGenerator<server> both_servers();
std::string param_name(const ::testing::TestParamInfo<server>& info);
#define LXDPP_BOTH_SERVERS(Suite) \
    INSTANTIATE_TEST_SUITE_P(, Suite, ::sandbox::both_servers(), ::sandbox::param_name)

/// The value of an environment variable; fails the current test (and throws) if unset.
std::string env(const std::string& name);
std::string socket(int k);          ///< daemon k's unix socket
std::string https_url(int k);       ///< "https://127.0.0.1:PORT"
std::string server_cert(int k);     ///< daemon k's server certificate (PEM)
std::string password();             ///< the trust password of every LXD daemon (Incus has none)
std::string image();                ///< alias of the busybox image on every daemon

lxd::client unix_client(int k = 1);
/// An HTTPS client with a fresh (untrusted) certificate, pinned to daemon k's certificate.
lxd::client untrusted_https_client(int k, lxd::certificate_pair* cert_out = nullptr);
/// An HTTPS client whose certificate the daemon trusts (LXD: through the trust password;
/// Incus: through a certificate add token issued over the unix socket).
lxd::client trusted_https_client(int k);

/// A name unique to this process and call ("t<pid>-<prefix><n>").
std::string unique_name(const std::string& prefix);

/// The version of the current server the sandbox runs ("5.0.2" or "6.0.4").
std::string server_version();

/// A secret that makes a daemon trust a client: LXD's trust password, or (Incus, which has
/// none) a fresh certificate add token of daemon k.
std::string trust_secret(int k);

/// The CLI that cross-checks the current server: "lxc" or "incus".
const char* cli_name();
/// Its client config dir (remotes d1..dN are the current server's daemons).
std::string cli_conf();

/// Runs the server's own CLI (lxc or incus) with the sandbox's client config (remotes
/// d1..dN of the current server); returns stdout.
/// Fails the test if it exits non-zero (unless allow_failure).
std::string lxc(const std::string& args, bool allow_failure = false, int* status_out = nullptr);

/// Creates a container from the test image (optionally started) and waits.
lxd::instance make_container(lxd::client& c, const std::string& name, bool start);

/// Removes every instance whose name starts with this process's prefix, and every image
/// with an alias that does (test cleanup).
void remove_leftovers(lxd::client& c);

}  // namespace sandbox
