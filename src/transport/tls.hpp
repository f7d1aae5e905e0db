// src/transport/tls.hpp — TLS for HTTPS endpoints: TLS 1.3 only, the server checked by a
// pinned SHA-256 fingerprint (or by a CA and the host name), and a first look at a
// server's certificate for pinning it.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "stream.hpp"

namespace lxd::transport {

/// Restricts a context to TLS 1.3 (LXD and Incus speak it; nothing older is offered).
void configure_tls13(asio::ssl::context& ctx);

/// Before the handshake: a pinned stream accepts exactly the leaf certificate whose SHA-256
/// (lowercase hex, no colons) is `pin` and records the fingerprint it saw in `*seen` (for
/// the error message); with an empty pin, normal verification against the context's CAs
/// and `host`.
void verify_server(tls_socket& s, const std::string& pin, const std::string& host, std::shared_ptr<std::string> seen);

/// Connects to host:port, completes a TLS handshake without verifying anything, and
/// returns the server's certificate as PEM (the caller pins what it saw). Throws lxd::error
/// (connection_failed, timeout, tls_error) with `request_line` in it.
std::string fetch_certificate_pem(const std::string& host, const std::string& port, std::chrono::milliseconds timeout,
                                  const std::string& request_line);

}  // namespace lxd::transport
