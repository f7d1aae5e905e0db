// lxd/tls.hpp — client certificates and server identity for HTTPS connections.
#pragma once

#include <lxd/export.hpp>

#include <string>
#include <string_view>

namespace lxd {

/// How an HTTPS client proves itself and checks the server.
/// Exactly one way of checking the server must be given: a pinned certificate, a pinned
/// fingerprint, or a CA. There is no "don't verify" switch; to learn a new server's
/// certificate use fetch_server_certificate() and show its fingerprint to a human.
struct LXDPP_API tls_options {
    std::string client_cert_pem;     ///< PEM; may be empty for untrusted access (GET /1.0, trust)
    std::string client_key_pem;      ///< PEM; never logged or printed
    std::string server_cert_pem;     ///< pin: exactly this certificate
    std::string server_fingerprint;  ///< pin: SHA-256 of the DER, hex, ':' separators allowed
    std::string ca_pem;              ///< PKI: verify the chain and host name against this CA

    /// Reads client.crt/client.key style PEM files.
    static tls_options from_files(const std::string& cert_file, const std::string& key_file);
};

/// A freshly generated client certificate, as `lxc` makes on first use: ECDSA P-384,
/// self-signed, valid for 10 years, CN=user@host, O=linuxcontainers.org, clientAuth.
struct certificate_pair {
    std::string cert_pem;
    std::string key_pem;   ///< private key: keep it secret (write it with mode 0600)
};
LXDPP_API certificate_pair generate_client_certificate(std::string_view common_name = {});

/// Lowercase hex SHA-256 of a PEM certificate's DER bytes (LXD's fingerprint).
/// Throws errc::invalid_argument when the PEM does not hold a certificate.
LXDPP_API std::string certificate_fingerprint(std::string_view cert_pem);

/// What `lxc config trust list` shows of a certificate: its subject's common name and its
/// validity, as RFC 3339 UTC times ("2026-11-30T01:49:48Z"). errc::invalid_argument when
/// the PEM does not hold a certificate.
struct certificate_details {
    std::string common_name;
    std::string not_before;
    std::string not_after;
};
LXDPP_API certificate_details describe_certificate(std::string_view cert_pem);

/// Reads a whole file; throws errc::invalid_argument naming the path when it cannot.
LXDPP_API std::string read_text_file(const std::string& path);

}  // namespace lxd
