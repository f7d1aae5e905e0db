#include "tls.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "../protocol/errors.hpp"
#include "../protocol/escape.hpp"

namespace lxd::transport {

void configure_tls13(asio::ssl::context& ctx) {
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_3_VERSION);
    // Offer HTTP/1.1 only: websocket upgrades need it and LXD would otherwise pick h2.
    static const unsigned char alpn[] = "\x08http/1.1";
    SSL_CTX_set_alpn_protos(ctx.native_handle(), alpn, sizeof alpn - 1);
}

void verify_server(tls_socket& s, const std::string& pin, const std::string& host, std::shared_ptr<std::string> seen) {
    s.set_verify_mode(asio::ssl::verify_peer);
    if (pin.empty()) {
        s.set_verify_callback(asio::ssl::host_name_verification(host));
        return;
    }
    // Pinned: the leaf's SHA-256 must equal the pin (chain errors of a self-signed
    // certificate are irrelevant then).
    s.set_verify_callback([pin, seen = std::move(seen)](bool, asio::ssl::verify_context& v) {
        auto* store = v.native_handle();
        if (X509_STORE_CTX_get_error_depth(store) > 0) return true;
        X509* cert = X509_STORE_CTX_get_current_cert(store);
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        if (!cert || !X509_digest(cert, EVP_sha256(), md, &len)) return false;
        *seen = protocol::hex_lower(md, len);
        return *seen == pin;
    });
}

namespace {
std::string pem_of(X509* cert) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return pem;
}
}  // namespace

std::string fetch_certificate_pem(const std::string& host, const std::string& port, std::chrono::milliseconds timeout,
                                  const std::string& rl) {
    asio::io_context io;
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    configure_tls13(ctx);
    ctx.set_verify_mode(asio::ssl::verify_none);   // we only look; the caller pins what it saw
    tls_socket s(io, ctx);
    boost::system::error_code ec;
    auto& tcp = beast::get_lowest_layer(s);
    tcp.expires_after(timeout);
    auto fail = [&](errc code, const std::string& what) {
        protocol::fail(code, what + (ec ? ": " + ec.message() : ""), rl);
    };
    asio::ip::tcp::resolver r(io);
    auto results = r.resolve(host, port, ec);
    if (ec) fail(errc::connection_failed, "cannot resolve " + host);
    tcp.async_connect(results, [&](boost::system::error_code e, auto) { ec = e; });
    io.run();
    io.restart();
    if (ec) fail(ec == beast::error::timeout ? errc::timeout : errc::connection_failed, "cannot connect");
    s.async_handshake(asio::ssl::stream_base::client, [&](boost::system::error_code e) { ec = e; });
    io.run();
    if (ec) fail(ec == beast::error::timeout ? errc::timeout : errc::tls_error, "TLS handshake failed");
    X509* cert = SSL_get1_peer_certificate(s.native_handle());
    if (!cert) fail(errc::tls_error, "server sent no certificate");
    auto pem = pem_of(cert);
    X509_free(cert);
    return pem;
}

}  // namespace lxd::transport
