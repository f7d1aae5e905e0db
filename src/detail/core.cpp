#include "core.hpp"

#include <sys/socket.h>

#include <openssl/ssl.h>

namespace lxd::detail {

namespace {
using asio::use_awaitable;
constexpr std::uint64_t max_body = 256u * 1024 * 1024;   // a REST answer larger than this is refused

bool idempotent(protocol::verb m) { return m == protocol::verb::get || m == protocol::verb::head; }

http::verb beast_verb(protocol::verb m) {
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

template <class Fields>
void copy_fields(const Fields& in, http_response& out) {
    for (auto& f : in) {
        std::string name(f.name_string());
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        out.fields.emplace_back(std::move(name), std::string(f.value()));
    }
    out.content_type = std::string(in[http::field::content_type]);
    out.etag = std::string(in[http::field::etag]);
    out.location = std::string(in[http::field::location]);
}
}  // namespace

runtime::runtime() {
    thread = std::thread([this] { io.run(); });
}

void runtime::stop_and_join() {
    guard.reset();
    io.stop();
    if (thread.joinable()) {
        if (on_io_thread())
            thread.detach();   // the last handle died inside a callback; the thread ends by itself
        else
            thread.join();
    }
}

runtime::~runtime() { stop_and_join(); }

core::core() = default;

core::~core() {
    if (rt && rt->on_io_thread()) {
        // Destroying the io_context from inside its own run() would be undefined: let it go.
        rt->guard.reset();
        rt->io.stop();
        rt->thread.detach();
        (void)rt.release();
        return;
    }
    // Order matters: stop the thread, then close the pooled sockets (their services live
    // in the io_context), then destroy the io_context and the coroutine frames it holds.
    rt->stop_and_join();
    idle_.clear();
    rt.reset();
}

std::shared_ptr<core> make_core() {
    auto c = std::make_shared<core>();
    c->rt = std::make_unique<runtime>();
    return c;
}

void core::refuse_on_io_thread() const {
    if (rt->on_io_thread()) {
        protocol::fail_invalid("a synchronous lxdpp call was made on the client's I/O thread (from a callback); "
                               "it would wait for itself forever");
    }
}

json::value parse_json(std::string_view text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec) protocol::fail_protocol("", "invalid JSON: " + ec.message());
    return v;
}

void core::fail_transport(errc code, const std::string& rl, const std::string& what,
                          const boost::system::error_code& ec) const {
    protocol::fail(code, what + " (" + base_url + ")" + (ec ? ": " + ec.message() : std::string()), rl);
}

bool connection::looks_alive() {
    int fd = std::visit([](auto& s) { return static_cast<int>(beast::get_lowest_layer(*s).socket().native_handle()); },
                        stream);
    char byte;
    auto n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;   // open, quiet
    return false;   // 0: closed by the peer; >0: unexpected bytes (e.g. TLS close_notify); <0: broken
}

std::string core::target_for(const http_request& r, const scope& sc) const {
    auto q = r.query;
    if (r.scoped) {
        if (!sc.project.empty()) q.emplace_back("project", sc.project);
        if (!sc.target.empty()) q.emplace_back("target", sc.target);
    }
    return protocol::build_target(r.path, q);
}

asio::awaitable<std::unique_ptr<connection>> core::connect(clock::time_point deadline, const std::string& rl,
                                                            asio::io_context* on) {
    auto& ctx = on ? *on : io();
    auto conn = std::make_unique<connection>();
    boost::system::error_code ec;
    if (!tls) {
        auto s = std::make_unique<unix_stream>(ctx);
        s->expires_at(deadline);
        co_await s->async_connect(asio::local::stream_protocol::endpoint(socket_path),
                                  asio::redirect_error(use_awaitable, ec));
        if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "connecting timed out", ec);
        if (ec) fail_transport(errc::connection_failed, rl, "cannot connect to " + socket_path, ec);
        conn->stream = std::move(s);
        connects.fetch_add(1, std::memory_order_relaxed);
        co_return conn;
    }
    auto s = std::make_unique<tls_stream>(ctx, *ssl);
    auto& tcp = beast::get_lowest_layer(*s);
    tcp.expires_at(deadline);
    std::vector<asio::ip::tcp::endpoint> endpoints;
    auto addr = asio::ip::make_address(host, ec);
    if (!ec) {
        endpoints.emplace_back(addr, static_cast<unsigned short>(std::stoi(port)));
    } else {
        asio::ip::tcp::resolver resolver(ctx);
        asio::steady_timer guard_timer(ctx, deadline);
        guard_timer.async_wait([&](boost::system::error_code e) { if (!e) resolver.cancel(); });
        auto results = co_await resolver.async_resolve(host, port, asio::redirect_error(use_awaitable, ec));
        guard_timer.cancel();
        if (ec == asio::error::operation_aborted) fail_transport(errc::timeout, rl, "resolving " + host + " timed out", ec);
        if (ec) fail_transport(errc::connection_failed, rl, "cannot resolve " + host, ec);
        for (auto& r : results) endpoints.push_back(r.endpoint());
        if (!SSL_set_tlsext_host_name(s->native_handle(), host.c_str()))
            fail_transport(errc::tls_error, rl, "cannot set TLS server name", {});
    }
    co_await tcp.async_connect(endpoints, asio::redirect_error(use_awaitable, ec));
    if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "connecting timed out", ec);
    if (ec) fail_transport(errc::connection_failed, rl, "cannot connect to " + host + ":" + port, ec);

    // Certificate check. Pinned: the leaf's SHA-256 must equal the pin (chain errors of a
    // self-signed certificate are irrelevant then). CA: normal verification + host name.
    auto seen = std::make_shared<std::string>();
    if (!pinned_fingerprint.empty()) {
        s->set_verify_mode(asio::ssl::verify_peer);
        s->set_verify_callback([pin = pinned_fingerprint, seen](bool, asio::ssl::verify_context& v) {
            auto* store = v.native_handle();
            if (X509_STORE_CTX_get_error_depth(store) > 0) return true;
            X509* cert = X509_STORE_CTX_get_current_cert(store);
            unsigned char md[EVP_MAX_MD_SIZE];
            unsigned int len = 0;
            if (!cert || !X509_digest(cert, EVP_sha256(), md, &len)) return false;
            auto fp = protocol::hex_lower(md, len);
            *seen = fp;
            return fp == pin;
        });
    } else {
        s->set_verify_mode(asio::ssl::verify_peer);
        s->set_verify_callback(asio::ssl::host_name_verification(host));
    }
    co_await s->async_handshake(asio::ssl::stream_base::client, asio::redirect_error(use_awaitable, ec));
    if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "TLS handshake timed out", ec);
    if (ec) {
        if (!pinned_fingerprint.empty() && !seen->empty() && *seen != pinned_fingerprint)
            fail_transport(errc::tls_error, rl,
                           "server certificate " + *seen + " does not match the pinned fingerprint " + pinned_fingerprint, {});
        fail_transport(errc::tls_error, rl, "TLS handshake failed", ec);
    }
    conn->stream = std::move(s);
    connects.fetch_add(1, std::memory_order_relaxed);
    co_return conn;
}

namespace {
template <class Stream>
asio::awaitable<boost::system::error_code> send_and_receive(Stream& s, beast::flat_buffer& buf,
                                                            http::request<http::string_body>& req,
                                                            http::response_parser<http::string_body>& parser,
                                                            clock::time_point deadline, bool& wrote) {
    boost::system::error_code ec;
    beast::get_lowest_layer(s).expires_at(deadline);
    co_await http::async_write(s, req, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return ec;
    wrote = true;
    co_await http::async_read(s, buf, parser, asio::redirect_error(use_awaitable, ec));
    co_return ec;
}
}  // namespace

std::unique_ptr<connection> core::take_idle() {
    while (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        if (conn->looks_alive()) return conn;   // else the server closed it while idle
    }
    return nullptr;
}

asio::awaitable<http_response> core::exchange(http_request r, scope sc) {
    auto timeout = r.timeout.value_or(sc.timeout);
    auto deadline = clock::now() + timeout;
    auto target = target_for(r, sc);
    auto rl = r.line();

    http::request<http::string_body> req{beast_verb(r.method), target, 11};
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
        auto ec = co_await std::visit(
            [&](auto& s) { return send_and_receive(*s, conn->buffer, req, parser, deadline, wrote); }, conn->stream);
        if (ec) {
            if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "no answer within " + std::to_string(timeout.count()) + " ms", ec);
            if (ec == http::error::body_limit) fail_transport(errc::protocol_error, rl, "response body larger than 256 MiB", ec);
            // A pooled connection can die between the liveness check and the write. Only a
            // request that is safe to repeat is sent again; anything else has an unknown
            // outcome and is reported, never resent.
            bool nothing_received = !parser.got_some();
            if (conn->reused && nothing_received && attempt == 0 && (idempotent(r.method) || !wrote)) continue;
            if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
                ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated ||
                ec == http::error::partial_message)
                fail_transport(errc::connection_lost, rl, "the connection was closed before the answer was complete", ec);
            if (ec.category() == make_error_code(http::error::end_of_stream).category() || ec.category() == asio::error::get_ssl_category())
                fail_transport(errc::protocol_error, rl, "malformed HTTP answer", ec);
            fail_transport(errc::connection_lost, rl, "the connection broke", ec);
        }
        auto& res = parser.get();
        http_response out;
        out.status = static_cast<int>(res.result_int());
        copy_fields(res, out);
        out.request_line = rl;
        out.close_delimited = parser.need_eof();
        bool keep = res.keep_alive();
        out.body = std::move(res.body());
        if (keep && idle_.size() < options.max_idle_connections) {
            conn->reused = true;
            idle_.push_back(std::move(conn));
        }
        co_return out;
    }
}

namespace {
constexpr std::size_t stream_chunk = 256 * 1024;

template <class Stream>
asio::awaitable<boost::system::error_code> stream_exchange(Stream& s, beast::flat_buffer& buf, http::request<http::buffer_body>& req,
                                                           const body_source& source, http_response& out, const body_sink& sink,
                                                           const std::function<bool(const http_response&)>& keep_body,
                                                           std::chrono::milliseconds idle, clock::time_point whole,
                                                           bool& wrote, bool& keep_alive,
                                                           std::optional<std::uint64_t> length, bool& short_body) {
    boost::system::error_code ec;
    // Each step has the idle deadline, and none outlives the whole transfer's.
    auto& base = beast::get_lowest_layer(s);
    struct lowest_t {
        decltype(base)& b;
        std::chrono::milliseconds idle;
        clock::time_point whole;
        void expires_after(std::chrono::milliseconds) { b.expires_at(std::min(clock::now() + idle, whole)); }
    } lowest{base, idle, whole};
    http::request_serializer<http::buffer_body> sr{req};
    std::vector<char> chunk(stream_chunk);
    if (!source) {
        req.body().data = nullptr;
        req.body().size = 0;
        req.body().more = false;
        lowest.expires_after(idle);
        co_await http::async_write(s, sr, asio::redirect_error(use_awaitable, ec));
        if (ec) co_return ec;
    } else {
        req.body().data = nullptr;
        req.body().more = true;
        lowest.expires_after(idle);
        co_await http::async_write_header(s, sr, asio::redirect_error(use_awaitable, ec));
        if (ec) co_return ec;
        std::uint64_t sent = 0;
        for (;;) {
            auto n = source(chunk.data(), chunk.size());
            if (n > chunk.size()) n = chunk.size();
            if (length && (n == 0 ? sent < *length : sent + n > *length)) {
                // The body does not match its Content-Length: never let the server see a
                // short (or long) body as complete. The caller closes the connection.
                short_body = true;
                co_return make_error_code(http::error::partial_message);
            }
            sent += n;
            req.body().data = n ? chunk.data() : nullptr;
            req.body().size = n;
            req.body().more = n != 0;
            lowest.expires_after(idle);
            co_await http::async_write(s, sr, asio::redirect_error(use_awaitable, ec));
            if (ec == http::error::need_buffer) ec = {};
            if (ec) co_return ec;
            if (n == 0) break;
        }
    }
    wrote = true;
    http::response_parser<http::buffer_body> p;
    p.body_limit(boost::none);
    lowest.expires_after(idle);
    co_await http::async_read_header(s, buf, p, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return ec;
    out.status = static_cast<int>(p.get().result_int());
    copy_fields(p.get(), out);
    bool to_sink = out.status == 200 && sink && !(keep_body && keep_body(out));
    while (!p.is_done()) {
        p.get().body().data = chunk.data();
        p.get().body().size = chunk.size();
        lowest.expires_after(idle);
        co_await http::async_read(s, buf, p, asio::redirect_error(use_awaitable, ec));
        if (ec == http::error::need_buffer) ec = {};
        if (ec) co_return ec;
        auto got = chunk.size() - p.get().body().size;
        if (to_sink) {
            if (got) sink(std::string_view(chunk.data(), got));
        } else {
            if (out.body.size() + got > max_body) co_return make_error_code(http::error::body_limit);
            out.body.append(chunk.data(), got);
        }
    }
    // A body that ends with the connection cannot be told from a cut one: never hand it on as
    // complete (LXD always sends a length or chunks).
    if (to_sink && p.need_eof()) co_return make_error_code(http::error::partial_message);
    keep_alive = p.get().keep_alive();
    co_return ec;
}
}  // namespace

asio::awaitable<http_response> core::exchange_streaming(http_request r, scope sc, body_source source,
                                                        std::optional<std::uint64_t> length, body_sink sink,
                                                        std::function<bool(const http_response&)> keep_body) {
    auto idle = r.timeout.value_or(sc.timeout);
    const auto whole = clock::now() + options.transfer_timeout;
    auto target = target_for(r, sc);
    auto rl = r.line();
    http::request<http::buffer_body> req{beast_verb(r.method), target, 11};
    set_common_headers(req, r);
    if (source) {
        // A streamed body is raw bytes unless the caller says otherwise (multipart uploads).
        req.set(http::field::content_type, r.content_type == "application/json" ? "application/octet-stream" : r.content_type);
        if (length)
            req.content_length(*length);
        else
            req.chunked(true);
    }
    req.keep_alive(true);

    auto conn = take_idle();
    if (!conn) conn = co_await connect(clock::now() + idle, rl);
    requests.fetch_add(1, std::memory_order_relaxed);
    http_response out;
    out.request_line = rl;
    bool wrote = false, keep = false, short_body = false;
    auto ec = co_await std::visit(
        [&](auto& s) {
            return stream_exchange(*s, conn->buffer, req, source, out, sink, keep_body, idle, whole, wrote, keep, length, short_body);
        },
        conn->stream);
    if (short_body) {
        protocol::fail(errc::invalid_argument,
                       "the request body did not have its announced length of " + std::to_string(*length) +
                           " bytes (the source changed while being sent); the request was abandoned",
                       rl);
    }
    if (ec) {
        // Streams are never resent: the source has been consumed.
        if (ec == beast::error::timeout && clock::now() >= whole)
            fail_transport(errc::timeout, rl,
                           "the transfer did not complete within " + std::to_string(options.transfer_timeout.count()) +
                               " ms (client_options::transfer_timeout)",
                           ec);
        if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "no progress within " + std::to_string(idle.count()) + " ms", ec);
        if (ec == http::error::body_limit) fail_transport(errc::protocol_error, rl, "error body larger than 256 MiB", ec);
        fail_transport(errc::connection_lost, rl, "the transfer broke", ec);
    }
    if (keep && idle_.size() < options.max_idle_connections) {
        conn->reused = true;
        idle_.push_back(std::move(conn));
    }
    co_return out;
}

asio::awaitable<std::pair<protocol::envelope, http_response>> core::call(http_request r, scope sc) {
    bool placed = r.scoped && !sc.target.empty();
    std::string member = sc.target;
    auto res = co_await exchange(std::move(r), std::move(sc));
    if (res.close_delimited && res.status < 300 && res.content_type.starts_with("application/json")) {
        // No length: the body ended when the connection closed. If its JSON is incomplete,
        // the connection was lost mid-answer.
        boost::system::error_code jec;
        (void)json::parse(res.body, jec);
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

namespace {
template <class WS>
asio::awaitable<void> ws_handshake(WS& ws, const std::string& host, const std::string& target,
                                   const std::string& ua, clock::time_point deadline, boost::system::error_code& ec,
                                   websocket::response_type& res) {
    // The websocket's own timeouts replace the stream's (Beast's rule); no Origin and no
    // Sec-Fetch-* headers are ever sent (LXD refuses cross-site requests).
    beast::get_lowest_layer(ws).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - clock::now());
    if (t.handshake_timeout.count() <= 0) t.handshake_timeout = std::chrono::milliseconds(1);
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws.set_option(t);
    ws.set_option(websocket::stream_base::decorator([ua](websocket::request_type& req) {
        req.set(http::field::user_agent, ua);
    }));
    ws.read_message_max(64u * 1024 * 1024);
    co_await ws.async_handshake(res, host, target, asio::redirect_error(use_awaitable, ec));
}
}  // namespace

asio::awaitable<any_ws> core::open_websocket(std::string target, clock::time_point deadline, asio::io_context* on) {
    auto rl = std::string("GET ") + target.substr(0, target.find('?'));
    auto conn = co_await connect(deadline, rl, on);
    boost::system::error_code ec;
    websocket::response_type res;
    any_ws out;
    if (auto* u = std::get_if<std::unique_ptr<unix_stream>>(&conn->stream)) {
        auto ws = std::make_unique<unix_ws>(std::move(**u));
        co_await ws_handshake(*ws, host_header, target, options.user_agent, deadline, ec, res);
        out = std::move(ws);
    } else {
        auto& t = std::get<std::unique_ptr<tls_stream>>(conn->stream);
        auto ws = std::make_unique<tls_ws>(std::move(*t));
        co_await ws_handshake(*ws, host_header, target, options.user_agent, deadline, ec, res);
        out = std::move(ws);
    }
    requests.fetch_add(1, std::memory_order_relaxed);
    if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "websocket handshake timed out", ec);
    if (ec == websocket::error::upgrade_declined) {
        // The server answered with an ordinary response: its error envelope says why
        // (e.g. "Only running operations can be connected").
        auto status = static_cast<int>(res.result_int());
        protocol::parse_envelope(status >= 400 ? status : 500, res[http::field::content_type], res.body(), rl);
        protocol::fail(errc::protocol_error, "the server declined the websocket upgrade", rl, {.http_status = status});
    }
    if (ec) fail_transport(errc::connection_lost, rl, "websocket handshake failed", ec);
    co_return out;
}

api::server_info core::cached_info(const scope& sc) {
    {
        std::lock_guard lk(info_mu);
        if (info_cache) return *info_cache;
    }
    auto info = run([](core* self, scope s) -> asio::awaitable<api::server_info> {
        auto [env, res] = co_await self->call(protocol::server_get(), std::move(s));
        co_return protocol::decode_server_info(env.metadata, res.request_line);
    }(this, sc));
    std::lock_guard lk(info_mu);
    if (!info_cache || info.auth == "trusted") info_cache = info;
    return *info_cache;
}

}  // namespace lxd::detail
