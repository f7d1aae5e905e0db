#include <lxd/client.hpp>
#include <lxd/instances.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "detail/core.hpp"
#include "transport/tls.hpp"

namespace lxd {

using namespace detail;

namespace {

std::string normalize_fingerprint(std::string_view fp) {
    std::string out;
    for (char c : fp) {
        if (c == ':' || c == ' ') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) protocol::fail_invalid("server fingerprint is not hexadecimal");
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    if (out.size() != 64) protocol::fail_invalid("server fingerprint must be a SHA-256 (64 hex digits)");
    return out;
}

struct parsed_url { std::string host, port; };

parsed_url parse_https_url(std::string_view url) {
    constexpr std::string_view scheme = "https://";
    if (url.substr(0, scheme.size()) != scheme) protocol::fail_invalid("URL must start with https://: " + std::string(url));
    auto rest = url.substr(scheme.size());
    rest = rest.substr(0, rest.find('/'));
    parsed_url p;
    if (!rest.empty() && rest.front() == '[') {   // [v6]:port
        auto close = rest.find(']');
        if (close == std::string_view::npos) protocol::fail_invalid("bad IPv6 address in URL");
        p.host = std::string(rest.substr(1, close - 1));
        auto after = rest.substr(close + 1);
        p.port = after.size() > 1 && after.front() == ':' ? std::string(after.substr(1)) : "8443";
    } else {
        auto colon = rest.rfind(':');
        p.host = std::string(rest.substr(0, colon));
        p.port = colon == std::string_view::npos ? "8443" : std::string(rest.substr(colon + 1));
    }
    if (p.host.empty()) protocol::fail_invalid("URL has no host: " + std::string(url));
    if (p.port.empty() || !std::all_of(p.port.begin(), p.port.end(), ::isdigit) || std::stoul(p.port) > 65535)
        protocol::fail_invalid("URL has a bad port: " + std::string(url));
    return p;
}

std::string base64_decode(std::string_view in) {
    std::string s(in);
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }), s.end());
    for (auto& c : s) { if (c == '-') c = '+'; else if (c == '_') c = '/'; }   // URL-safe alphabet too
    while (s.size() % 4) s.push_back('=');
    std::string out(s.size() / 4 * 3 + 3, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(s.data()),
                            static_cast<int>(s.size()));
    if (n < 0) return {};
    auto pad = static_cast<int>(std::count(s.end() - std::min<std::size_t>(2, s.size()), s.end(), '='));
    out.resize(static_cast<std::size_t>(n - pad));
    return out;
}

std::string base64_encode(std::string_view in) {
    std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(in.data()),
                            static_cast<int>(in.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

/// A certificate add token is base64 JSON with a "secret" (as `lxc` makes them).
std::optional<json::object> decode_token(std::string_view secret) {
    if (secret.size() < 16) return std::nullopt;
    auto raw = base64_decode(secret);
    if (raw.empty() || raw.front() != '{') return std::nullopt;
    boost::system::error_code ec;
    auto v = json::parse(raw, ec);
    if (ec || !v.is_object() || !v.get_object().contains("secret")) return std::nullopt;
    return v.get_object();
}

}  // namespace

std::optional<certificate_token> parse_certificate_token(std::string_view text) {
    auto o = decode_token(text);
    if (!o) return std::nullopt;
    auto str = [&](const char* k) -> std::string {
        auto it = o->find(k);
        return it != o->end() && it->value().is_string() ? std::string(it->value().get_string()) : "";
    };
    certificate_token t;
    t.client_name = str("client_name");
    t.fingerprint = str("fingerprint");
    t.secret = str("secret");
    t.expires_at = str("expires_at");
    if (auto it = o->find("addresses"); it != o->end() && it->value().is_array())
        for (auto& a : it->value().get_array())
            if (a.is_string()) t.addresses.emplace_back(a.get_string());
    return t;
}

std::string find_unix_socket(std::optional<flavour> want) {
    std::vector<std::string> lxd_c, incus_c;
    auto env = [](const char* n) -> std::string { const char* v = std::getenv(n); return v ? v : ""; };
    if (auto v = env("LXD_SOCKET"); !v.empty()) lxd_c.push_back(v);
    if (auto v = env("LXD_DIR"); !v.empty()) lxd_c.push_back(v + "/unix.socket");
    lxd_c.push_back("/var/snap/lxd/common/lxd/unix.socket");
    lxd_c.push_back("/var/lib/lxd/unix.socket");
    if (auto v = env("INCUS_SOCKET"); !v.empty()) incus_c.push_back(v);
    if (auto v = env("INCUS_DIR"); !v.empty()) incus_c.push_back(v + "/unix.socket");
    incus_c.push_back("/run/incus/unix.socket");
    incus_c.push_back("/var/lib/incus/unix.socket");
    std::vector<std::string> order;
    if (want == flavour::incus) order = incus_c;
    else if (want == flavour::lxd) order = lxd_c;
    else { order = lxd_c; order.insert(order.end(), incus_c.begin(), incus_c.end()); }
    std::string tried;
    for (auto& p : order) {
        std::error_code ec;
        if (std::filesystem::is_socket(p, ec)) return p;
        tried += (tried.empty() ? "" : ", ") + p;
    }
    protocol::fail(errc::connection_failed, "no LXD/Incus unix socket found (tried " + tried + ")");
}

client::client(std::shared_ptr<detail::core> core, std::shared_ptr<const detail::scope> scope)
    : core_(std::move(core)), scope_(std::move(scope)) {}

namespace {
std::shared_ptr<const detail::scope> make_scope(const client_options& o) {
    if (!o.project.empty()) protocol::check_project_name(o.project);
    if (o.timeout.count() <= 0) protocol::fail_invalid("timeout must be positive");
    return std::make_shared<const detail::scope>(detail::scope{o.project, o.target, o.timeout});
}
}  // namespace

client client::connect_unix(std::string path, client_options options) {
    if (path.empty()) path = find_unix_socket();
    if (path.size() > 107) protocol::fail_invalid("unix socket path longer than 107 bytes: " + path);
    auto sc = make_scope(options);
    transport::endpoint ep;
    ep.socket_path = path;
    ep.host_header = "unix.socket";
    ep.base_url = "unix:" + path;
    return client(std::make_shared<core>(std::move(ep), std::move(options)), std::move(sc));
}

client client::connect_https(std::string url, tls_options tls, client_options options) {
    auto p = parse_https_url(url);
    int checks = !tls.server_cert_pem.empty() + !tls.server_fingerprint.empty() + !tls.ca_pem.empty();
    if (checks == 0)
        protocol::fail_invalid("connect_https needs the server certificate, its fingerprint or a CA (see fetch_server_certificate)");
    if (checks > 1) protocol::fail_invalid("give only one of server_cert_pem, server_fingerprint, ca_pem");
    if (tls.client_cert_pem.empty() != tls.client_key_pem.empty())
        protocol::fail_invalid("client certificate and key go together");
    transport::endpoint ep;
    ep.tls = true;
    ep.host = p.host;
    ep.port = p.port;
    ep.host_header = (p.host.find(':') != std::string::npos ? "[" + p.host + "]" : p.host) + ":" + p.port;
    ep.base_url = "https://" + ep.host_header;
    auto& ssl = ep.ssl.emplace(asio::ssl::context::tls_client);
    transport::configure_tls13(ssl);
    boost::system::error_code ec;
    if (!tls.client_cert_pem.empty()) {
        ssl.use_certificate_chain(asio::buffer(tls.client_cert_pem), ec);
        if (ec) protocol::fail_invalid("client certificate is not valid PEM: " + ec.message());
        ssl.use_private_key(asio::buffer(tls.client_key_pem), asio::ssl::context::pem, ec);
        if (ec) protocol::fail_invalid("client key is not valid PEM (or does not match the certificate)");
    }
    if (!tls.server_cert_pem.empty()) ep.pin = certificate_fingerprint(tls.server_cert_pem);
    if (!tls.server_fingerprint.empty()) ep.pin = normalize_fingerprint(tls.server_fingerprint);
    if (!tls.ca_pem.empty()) {
        ssl.add_certificate_authority(asio::buffer(tls.ca_pem), ec);
        if (ec) protocol::fail_invalid("CA is not valid PEM: " + ec.message());
    }
    auto sc = make_scope(options);
    return client(std::make_shared<core>(std::move(ep), std::move(options)), std::move(sc));
}

std::string fetch_server_certificate(std::string_view url, std::chrono::milliseconds timeout) {
    auto p = parse_https_url(url);
    return transport::fetch_certificate_pem(p.host, p.port, timeout, "TLS " + std::string(url));
}

client client::use_project(std::string project) const {
    protocol::check_project_name(project);
    auto s = std::make_shared<detail::scope>(*scope_);
    s->project = std::move(project);
    return client(core_, std::move(s));
}

client client::use_target(std::string member) const {
    auto s = std::make_shared<detail::scope>(*scope_);
    s->target = std::move(member);
    return client(core_, std::move(s));
}

client client::with_timeout(std::chrono::milliseconds timeout) const {
    if (timeout.count() <= 0) protocol::fail_invalid("timeout must be positive");
    auto s = std::make_shared<detail::scope>(*scope_);
    s->timeout = timeout;
    return client(core_, std::move(s));
}

const std::string& client::project() const { return scope_->project; }
const std::string& client::target() const { return scope_->target; }

api::server_info client::host_info() const {
    auto info = core_->run([](core* c, detail::scope sc) -> asio::awaitable<api::server_info> {
        auto [env, res] = co_await c->call(protocol::server_get(), std::move(sc));
        co_return protocol::decode_server_info(env.metadata, res.request_line);
    }(core_.get(), *scope_));
    std::lock_guard lk(core_->info_mu);
    core_->info_cache = info;
    return info;
}

std::vector<std::string> client::api_extensions() const { return core_->cached_info(*scope_).api_extensions; }

bool client::has_api_extension(std::string_view name) const {
    auto ext = api_extensions();
    return std::find(ext.begin(), ext.end(), name) != ext.end();
}

void client::assert_has_api_extension(std::string_view name) const {
    if (has_api_extension(name)) return;
    protocol::fail(errc::unsupported, "the server lacks the API extension '" + std::string(name) + "'");
}

flavour client::server_flavour() const {
    return core_->cached_info(*scope_).environment.server == "incus" ? flavour::incus : flavour::lxd;
}

std::string client::server_version() const { return core_->cached_info(*scope_).environment.server_version; }

bool client::trusted() const { return host_info().auth == "trusted"; }

void client::authenticate(std::string_view secret, std::string_view name) const {
    auto token = decode_token(secret);
    auto request = protocol::certificate_trust(secret, name, token.has_value());   // refuses an empty secret
    if (token) {
        // The token names the certificate of the server it was issued by: refuse to hand it
        // to any other server.
        auto fp_it = token->find("fingerprint");
        std::string token_fp = fp_it != token->end() && fp_it->value().is_string() ? std::string(fp_it->value().get_string()) : "";
        auto info = host_info();
        std::string server_fp = info.environment.certificate.empty() ? "" : certificate_fingerprint(info.environment.certificate);
        if (core_->where().tls && !core_->where().pin.empty()) server_fp = core_->where().pin;
        if (token_fp.empty() || token_fp != server_fp) {
            protocol::fail(errc::forbidden, "the token was issued by a server with another certificate");
        }
    }
    core_->run([](core* c, detail::scope sc, http_request r) -> asio::awaitable<void> {
        co_await c->call(std::move(r), std::move(sc));
    }(core_.get(), *scope_, std::move(request)));
    std::lock_guard lk(core_->info_mu);
    core_->info_cache.reset();
}

operation client::create_certificate_token(std::string_view name) const {
    auto c = core_;
    return core_->run([](std::shared_ptr<core> c, detail::scope sc, http_request r) -> asio::awaitable<operation> {
        auto [env, res] = co_await c->call(std::move(r), sc);
        if (env.type != protocol::envelope::kind::async) protocol::fail_protocol(res.request_line, "expected an operation");
        co_return start_operation(c, sc, env, res.request_line);
    }(c, *scope_, protocol::certificate_token(name)));
}

std::string client::token_from_operation(const api::operation_info& op) {
    auto meta = parse_json(op.metadata_json);
    if (!meta.is_object()) protocol::fail_protocol("", "token operation without metadata");
    auto& m = meta.get_object();
    // The keys in the order lxc and incus encode them, so that the token is theirs byte for
    // byte. LXD 5.0 and Incus keep the name in metadata.request; a token needs it.
    json::object t;
    if (auto it = m.find("client_name"); it != m.end()) t["client_name"] = it->value();
    else if (auto rq = m.find("request"); rq != m.end() && rq->value().is_object())
        if (auto n = rq->value().get_object().find("name"); n != rq->value().get_object().end()) t["client_name"] = n->value();
    for (auto key : {"fingerprint", "addresses", "secret", "expires_at"})
        if (auto it = m.find(key); it != m.end()) t[key] = it->value();
    if (!t.contains("expires_at")) t["expires_at"] = "0001-01-01T00:00:00Z";
    if (!t.contains("secret")) protocol::fail_protocol("", "token operation without a secret");
    return base64_encode(json::serialize(t));
}

std::vector<api::operation_info> client::operations() const {
    return core_->run([](core* c, detail::scope sc) -> asio::awaitable<std::vector<api::operation_info>> {
        auto [env, res] = co_await c->call(protocol::operation_list(), std::move(sc));
        co_return protocol::decode_operation_list(env.metadata, res.request_line);
    }(core_.get(), *scope_));
}

operation client::get_operation(std::string_view id) const {
    auto request = protocol::operation_get(id);   // refuses an empty id
    auto c = core_;
    return core_->run([](std::shared_ptr<core> c, detail::scope sc, std::string id, http_request r) -> asio::awaitable<operation> {
        auto [env, res] = co_await c->call(std::move(r), sc);
        protocol::envelope as_async;
        as_async.type = protocol::envelope::kind::async;
        as_async.operation = "/1.0/operations/" + protocol::escape_segment(id);
        as_async.metadata = env.metadata;
        co_return start_operation(c, sc, as_async, res.request_line);
    }(c, *scope_, std::string(id), std::move(request)));
}

std::string client::raw_get(std::string_view path) const {
    return core_->run([](core* c, detail::scope sc, http_request r) -> asio::awaitable<std::string> {
        auto [env, res] = co_await c->call(std::move(r), std::move(sc));
        co_return json::serialize(env.metadata);
    }(core_.get(), *scope_, protocol::raw_get(path)));
}

std::uint64_t client::request_count() const { return core_->requests.load(); }
std::uint64_t client::connection_count() const { return core_->connects.load(); }

lxd::instances client::instances() const { return lxd::instances(*this, std::nullopt); }
lxd::instances client::containers() const { return lxd::instances(*this, api::instance_type::container); }
lxd::instances client::virtual_machines() const { return lxd::instances(*this, api::instance_type::virtual_machine); }

}  // namespace lxd
