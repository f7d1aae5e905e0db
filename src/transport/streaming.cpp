// The streamed exchange: request bodies from a source and answers to a sink, in chunks,
// each chunk under the idle deadline and the whole under settings::transfer_timeout.
#include "http_client.hpp"

#include <algorithm>

#include "../protocol/errors.hpp"

namespace lxd::transport {

namespace {
using asio::use_awaitable;
constexpr std::size_t stream_chunk = 256 * 1024;
constexpr std::uint64_t max_error_body = 256u * 1024 * 1024;

/// One streamed exchange on one connection. Each step has the idle deadline, and none
/// outlives the whole transfer's.
struct streamed_exchange {
    connection& conn;
    http::request<http::buffer_body>& req;
    const transfer& t;
    std::chrono::milliseconds idle;
    clock::time_point whole;
    response& out;
    bool wrote = false;        ///< the request left completely
    bool keep_alive = false;   ///< the connection may be pooled again
    bool short_body = false;   ///< the source did not give `length` bytes
    std::vector<char> chunk = std::vector<char>(stream_chunk);

    void arm() { conn.stream.expires_at(std::min(clock::now() + idle, whole)); }

    asio::awaitable<boost::system::error_code> send() {
        boost::system::error_code ec;
        http::request_serializer<http::buffer_body> sr{req};
        req.body().data = nullptr;
        if (!t.source) {
            req.body().size = 0;
            req.body().more = false;
            arm();
            co_await http::async_write(conn.stream, sr, asio::redirect_error(use_awaitable, ec));
            co_return ec;
        }
        req.body().more = true;
        arm();
        co_await http::async_write_header(conn.stream, sr, asio::redirect_error(use_awaitable, ec));
        if (ec) co_return ec;
        std::uint64_t sent = 0;
        for (;;) {
            auto n = std::min(t.source(chunk.data(), chunk.size()), chunk.size());
            if (t.length && (n == 0 ? sent < *t.length : sent + n > *t.length)) {
                // The body does not match its Content-Length: never let the server see a
                // short (or long) body as complete. The caller closes the connection.
                short_body = true;
                co_return make_error_code(http::error::partial_message);
            }
            sent += n;
            req.body().data = n ? chunk.data() : nullptr;
            req.body().size = n;
            req.body().more = n != 0;
            arm();
            co_await http::async_write(conn.stream, sr, asio::redirect_error(use_awaitable, ec));
            if (ec == http::error::need_buffer) ec = {};
            if (ec) co_return ec;
            if (n == 0) co_return ec;
        }
    }

    asio::awaitable<boost::system::error_code> receive() {
        boost::system::error_code ec;
        http::response_parser<http::buffer_body> p;
        p.body_limit(boost::none);
        arm();
        co_await http::async_read_header(conn.stream, conn.buffer, p, asio::redirect_error(use_awaitable, ec));
        if (ec) co_return ec;
        out.status = static_cast<int>(p.get().result_int());
        copy_fields(p.get(), out);
        bool to_sink = out.status == 200 && t.sink && !(t.keep_body && t.keep_body(out));
        while (!p.is_done()) {
            p.get().body().data = chunk.data();
            p.get().body().size = chunk.size();
            arm();
            co_await http::async_read(conn.stream, conn.buffer, p, asio::redirect_error(use_awaitable, ec));
            if (ec == http::error::need_buffer) ec = {};
            if (ec) co_return ec;
            auto got = chunk.size() - p.get().body().size;
            if (to_sink) {
                if (got) t.sink(std::string_view(chunk.data(), got));
            } else {
                if (out.body.size() + got > max_error_body) co_return make_error_code(http::error::body_limit);
                out.body.append(chunk.data(), got);
            }
        }
        // A body that ends with the connection cannot be told from a cut one: never hand it
        // on as complete (LXD always sends a length or chunks).
        if (to_sink && p.need_eof()) co_return make_error_code(http::error::partial_message);
        keep_alive = p.get().keep_alive();
        co_return ec;
    }

    asio::awaitable<boost::system::error_code> run() {
        auto ec = co_await send();
        if (ec) co_return ec;
        wrote = true;
        co_return co_await receive();
    }
};
}  // namespace

asio::awaitable<response> http_client::exchange_streaming(protocol::request r, scope sc, transfer t) {
    auto idle = r.timeout.value_or(sc.timeout);
    const auto whole = clock::now() + settings_.transfer_timeout;
    auto target = target_for(r, sc);
    auto rl = r.line();
    http::request<http::buffer_body> req{beast_verb_of(r.method), target, 11};
    set_common_headers(req, r);
    if (t.source) {
        // A streamed body is raw bytes unless the caller says otherwise (multipart uploads).
        req.set(http::field::content_type, r.content_type == "application/json" ? "application/octet-stream" : r.content_type);
        if (t.length)
            req.content_length(*t.length);
        else
            req.chunked(true);
    }
    req.keep_alive(true);

    auto conn = take_idle();
    if (!conn) conn = co_await connect(clock::now() + idle, rl);
    requests.fetch_add(1, std::memory_order_relaxed);
    response out;
    out.request_line = rl;
    streamed_exchange x{*conn, req, t, idle, whole, out};
    auto ec = co_await x.run();
    if (x.short_body) {
        protocol::fail(errc::invalid_argument,
                       "the request body did not have its announced length of " + std::to_string(*t.length) +
                           " bytes (the source changed while being sent); the request was abandoned",
                       rl);
    }
    if (ec) {
        // Streams are never resent: the source has been consumed.
        if (ec == beast::error::timeout && clock::now() >= whole)
            fail_transport(errc::timeout, rl,
                           "the transfer did not complete within " + std::to_string(settings_.transfer_timeout.count()) +
                               " ms (client_options::transfer_timeout)",
                           ec);
        if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "no progress within " + std::to_string(idle.count()) + " ms", ec);
        if (ec == http::error::body_limit) fail_transport(errc::protocol_error, rl, "error body larger than 256 MiB", ec);
        fail_transport(errc::connection_lost, rl, "the transfer broke", ec);
    }
    if (x.keep_alive) keep_idle(std::move(conn));
    co_return out;
}

}  // namespace lxd::transport
