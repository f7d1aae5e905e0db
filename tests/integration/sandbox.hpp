// tests/integration/sandbox.hpp — what the integration suites know about the sandbox
// daemons that scripts/test (scripts/sandbox) started, read from LXDPP_TEST_* variables.
// Missing variables fail the test: these suites never skip.
#pragma once

#include <lxd/lxd.hpp>

#include <string>

namespace sandbox {

/// The value of an environment variable; fails the current test (and throws) if unset.
std::string env(const std::string& name);
std::string socket(int k);          ///< daemon k's unix socket
std::string https_url(int k);       ///< "https://127.0.0.1:PORT"
std::string server_cert(int k);     ///< daemon k's server certificate (PEM)
std::string password();             ///< the trust password of every daemon
std::string image();                ///< alias of the busybox image on every daemon

lxd::client unix_client(int k = 1);
/// An HTTPS client with a fresh (untrusted) certificate, pinned to daemon k's certificate.
lxd::client untrusted_https_client(int k, lxd::certificate_pair* cert_out = nullptr);
/// An HTTPS client whose certificate the daemon trusts (trusted through the password).
lxd::client trusted_https_client(int k);

/// A name unique to this process and call ("t<pid>-<prefix><n>").
std::string unique_name(const std::string& prefix);

/// Runs the lxc CLI with the sandbox's client config (remotes d1..dN); returns stdout.
/// Fails the test if it exits non-zero (unless allow_failure).
std::string lxc(const std::string& args, bool allow_failure = false, int* status_out = nullptr);

/// Creates a container from the test image (optionally started) and waits.
lxd::instance make_container(lxd::client& c, const std::string& name, bool start);

/// Removes every instance whose name starts with this process's prefix, and every image
/// with an alias that does (test cleanup).
void remove_leftovers(lxd::client& c);

}  // namespace sandbox
