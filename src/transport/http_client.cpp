#include "http_client.hpp"

#include <algorithm>
#include <cctype>

#include <sys/socket.h>

#include <boost/json.hpp>
#include <openssl/ssl.h>

#include <lxd/error.hpp>

#include "../protocol/errors.hpp"
#include "tls.hpp"

namespace lxd::transport {

namespace {
using asio::use_awaitable;
constexpr std::uint64_t max_body = 256u * 1024 * 1024;   // a REST answer larger than this is refused

bool idempotent(protocol::verb m) { return m == protocol::verb::get || m == protocol::verb::head; }

}  // namespace

http::verb beast_verb_of(protocol::verb m) {
    switch (m) {
        case protocol::verb::get: return http::verb::get;
        case protocol::verb::head: return http::verb::head;
        case protocol::verb::post: return http::verb::post;
        case protocol::verb::put: return http::verb::put;
        case protocol::verb::patch: return http::verb::patch;
        case protocol::verb::delete_: return http::verb::delete_;
    }
    return http::verb::get;
}

void copy_fields(const http::fields& in, response& out) {
    for (auto& f : in) {
        std::string name(f.name_string());
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        out.fields.emplace_back(std::move(name), std::string(f.value()));
    }
    out.content_type = std::string(in[http::field::content_type]);
    out.etag = std::string(in[http::field::etag]);
    out.location = std::string(in[http::field::location]);
}

http_client::http_client(endpoint ep, settings s)
    : ep_(std::move(ep)), settings_(std::move(s)), rt_(std::make_unique<runtime>()) {}

void http_client::shutdown() {
    if (!rt_) return;
    if (rt_->on_io_thread()) {
        runtime::abandon(std::move(rt_));   // the last handle died inside a callback
        return;
    }
    rt_->stop_and_join();
}

http_client::~http_client() {
    // Order matters: stop the thread, then close the pooled sockets (their services live in
    // the io_context), then destroy the io_context and the coroutine frames it holds.
    shutdown();
    idle_.clear();
    rt_.reset();
}

void http_client::refuse_on_io_thread() const {
    if (rt_->on_io_thread()) {
        protocol::fail_invalid("a synchronous lxdpp call was made on the client's I/O thread (from a callback); "
                               "it would wait for itself forever");
    }
}

void http_client::fail_transport(errc code, const std::string& rl, const std::string& what,
                                 const boost::system::error_code& ec) const {
    protocol::fail(code, what + " (" + ep_.base_url + ")" + (ec ? ": " + ec.message() : std::string()), rl);
}

bool connection::looks_alive() {
    char byte;
    auto n = ::recv(stream.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;   // open, quiet
    return false;   // 0: closed by the peer; >0: unexpected bytes (e.g. TLS close_notify); <0: broken
}

std::string http_client::target_for(const protocol::request& r, const scope& sc) const {
    auto q = r.query;
    if (r.scoped) {
        if (!sc.project.empty()) q.emplace_back("project", sc.project);
        if (!sc.target.empty()) q.emplace_back("target", sc.target);
    }
    return protocol::build_target(r.path, q);
}

asio::awaitable<std::unique_ptr<connection>> http_client::connect(clock::time_point deadline, const std::string& rl,
                                                                   asio::io_context* on) {
    auto& ctx = on ? *on : io();
    if (ep_.tls) {
        auto s = co_await connect_tls(ctx, deadline, rl);
        connects.fetch_add(1, std::memory_order_relaxed);
        co_return std::make_unique<connection>(std::move(s));
    }
    boost::system::error_code ec;
    unix_socket s(ctx);
    s.expires_at(deadline);
    co_await s.async_connect(asio::local::stream_protocol::endpoint(ep_.socket_path), asio::redirect_error(use_awaitable, ec));
    if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "connecting timed out", ec);
    if (ec) fail_transport(errc::connection_failed, rl, "cannot connect to " + ep_.socket_path, ec);
    connects.fetch_add(1, std::memory_order_relaxed);
    co_return std::make_unique<connection>(byte_stream(std::move(s)));
}

asio::awaitable<byte_stream> http_client::connect_tls(asio::io_context& ctx, clock::time_point deadline, const std::string& rl) {
    boost::system::error_code ec;
    tls_socket s(ctx, *ep_.ssl);
    auto& tcp = beast::get_lowest_layer(s);
    tcp.expires_at(deadline);
    std::vector<asio::ip::tcp::endpoint> endpoints;
    auto addr = asio::ip::make_address(ep_.host, ec);
    if (!ec) {
        endpoints.emplace_back(addr, static_cast<unsigned short>(std::stoi(ep_.port)));
    } else {
        asio::ip::tcp::resolver resolver(ctx);
        asio::steady_timer guard_timer(ctx, deadline);
        guard_timer.async_wait([&](boost::system::error_code e) { if (!e) resolver.cancel(); });
        auto results = co_await resolver.async_resolve(ep_.host, ep_.port, asio::redirect_error(use_awaitable, ec));
        guard_timer.cancel();
        if (ec == asio::error::operation_aborted) fail_transport(errc::timeout, rl, "resolving " + ep_.host + " timed out", ec);
        if (ec) fail_transport(errc::connection_failed, rl, "cannot resolve " + ep_.host, ec);
        for (auto& r : results) endpoints.push_back(r.endpoint());
        if (!SSL_set_tlsext_host_name(s.native_handle(), ep_.host.c_str()))
            fail_transport(errc::tls_error, rl, "cannot set TLS server name", {});
    }
    co_await tcp.async_connect(endpoints, asio::redirect_error(use_awaitable, ec));
    if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "connecting timed out", ec);
    if (ec) fail_transport(errc::connection_failed, rl, "cannot connect to " + ep_.host + ":" + ep_.port, ec);

    auto seen = std::make_shared<std::string>();
    verify_server(s, ep_.pin, ep_.host, seen);
    co_await s.async_handshake(asio::ssl::stream_base::client, asio::redirect_error(use_awaitable, ec));
    if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "TLS handshake timed out", ec);
    if (ec) {
        if (!ep_.pin.empty() && !seen->empty() && *seen != ep_.pin)
            fail_transport(errc::tls_error, rl,
                           "server certificate " + *seen + " does not match the pinned fingerprint " + ep_.pin, {});
        fail_transport(errc::tls_error, rl, "TLS handshake failed", ec);
    }
    co_return byte_stream(std::move(s));
}

std::unique_ptr<connection> http_client::take_idle() {
    while (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        if (conn->looks_alive()) return conn;   // else the server closed it while idle
    }
    return nullptr;
}

void http_client::keep_idle(std::unique_ptr<connection> conn) {
    if (idle_.size() >= settings_.max_idle_connections) return;
    conn->reused = true;
    idle_.push_back(std::move(conn));
}

namespace {
/// Writes the request and reads the answer; `wrote` says whether the request left.
asio::awaitable<boost::system::error_code> send_and_receive(connection& conn, http::request<http::string_body>& req,
                                                            http::response_parser<http::string_body>& parser,
                                                            clock::time_point deadline, bool& wrote) {
    boost::system::error_code ec;
    conn.stream.expires_at(deadline);
    co_await http::async_write(conn.stream, req, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return ec;
    wrote = true;
    co_await http::async_read(conn.stream, conn.buffer, parser, asio::redirect_error(use_awaitable, ec));
    co_return ec;
}

bool connection_cut(const boost::system::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated || ec == http::error::partial_message;
}
}  // namespace

asio::awaitable<response> http_client::exchange(protocol::request r, scope sc) {
    auto timeout = r.timeout.value_or(sc.timeout);
    auto deadline = clock::now() + timeout;
    auto target = target_for(r, sc);
    auto rl = r.line();

    http::request<http::string_body> req{beast_verb_of(r.method), target, 11};
    set_common_headers(req, r);
    if (!r.body.empty()) {
        req.set(http::field::content_type, r.content_type);
        req.body() = std::move(r.body);
    }
    req.keep_alive(true);
    req.prepare_payload();

    for (int attempt = 0;; ++attempt) {
        auto conn = take_idle();
        if (!conn) conn = co_await connect(deadline, rl);

        http::response_parser<http::string_body> parser;
        parser.body_limit(max_body);
        if (r.method == protocol::verb::head) parser.skip(true);   // headers only, whatever Content-Length says
        bool wrote = false;
        requests.fetch_add(1, std::memory_order_relaxed);
        auto ec = co_await send_and_receive(*conn, req, parser, deadline, wrote);
        if (ec) {
            if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "no answer within " + std::to_string(timeout.count()) + " ms", ec);
            if (ec == http::error::body_limit) fail_transport(errc::protocol_error, rl, "response body larger than 256 MiB", ec);
            // A pooled connection can die between the liveness check and the write. Only a
            // request that is safe to repeat is sent again; anything else has an unknown
            // outcome and is reported, never resent.
            bool nothing_received = !parser.got_some();
            if (conn->reused && nothing_received && attempt == 0 && (idempotent(r.method) || !wrote)) continue;
            if (connection_cut(ec))
                fail_transport(errc::connection_lost, rl, "the connection was closed before the answer was complete", ec);
            if (ec.category() == make_error_code(http::error::end_of_stream).category() || ec.category() == asio::error::get_ssl_category())
                fail_transport(errc::protocol_error, rl, "malformed HTTP answer", ec);
            fail_transport(errc::connection_lost, rl, "the connection broke", ec);
        }
        auto& res = parser.get();
        response out;
        out.status = static_cast<int>(res.result_int());
        copy_fields(res, out);
        out.request_line = rl;
        out.close_delimited = parser.need_eof();
        bool keep = res.keep_alive();
        out.body = std::move(res.body());
        if (keep) keep_idle(std::move(conn));
        co_return out;
    }
}

asio::awaitable<std::pair<protocol::envelope, response>> http_client::call(protocol::request r, scope sc) {
    bool placed = r.scoped && !sc.target.empty();
    std::string member = sc.target;
    auto res = co_await exchange(std::move(r), std::move(sc));
    if (res.close_delimited && res.status < 300 && res.content_type.starts_with("application/json")) {
        // No length: the body ended when the connection closed. If its JSON is incomplete,
        // the connection was lost mid-answer.
        boost::system::error_code jec;
        (void)boost::json::parse(res.body, jec);
        if (jec)
            fail_transport(errc::connection_lost, res.request_line,
                           "the answer had no length and the connection closed before its JSON was complete", {});
    }
    try {
        auto env = protocol::parse_envelope(res.status, res.content_type, res.body, res.request_line, res.location);
        co_return std::pair{std::move(env), std::move(res)};
    } catch (const error& e) {
        // The request line leaves out the query; say which member it was aimed at, since
        // LXD's own message ("Cluster member not found") does not.
        if (!placed || !e.diag().detail.empty()) throw;
        auto d = e.diag();
        d.detail = "aimed at cluster member '" + member + "'";
        throw error(e.code_value(), std::move(d));
    }
}

}  // namespace lxd::transport
