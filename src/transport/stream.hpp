// src/transport/stream.hpp — one byte stream for every connection lxdpp makes.
//
// A connection is a Unix socket or TCP with TLS. `byte_stream` hides which: HTTP
// exchanges, websockets (exec, events, migration) and any later protocol read and write a
// `byte_stream` (or a `websocket_stream` over one), so nothing above the transport is a
// template over the kind of socket. The two kinds are a closed set, so the stream holds a
// variant and forwards each operation, with the caller's completion handler unchanged
// (its executor, allocator and cancellation slot included), to the socket it holds: no
// allocation and no virtual call per read.
#pragma once

#include <chrono>
#include <cstddef>
#include <utility>
#include <variant>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace lxd::transport {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

using clock = std::chrono::steady_clock;
using unix_socket = beast::basic_stream<asio::local::stream_protocol>;
using tls_socket = beast::ssl_stream<beast::tcp_stream>;

class byte_stream {
public:
    using executor_type = asio::any_io_executor;

    explicit byte_stream(unix_socket s) : s_(std::in_place_type<unix_socket>, std::move(s)) {}
    explicit byte_stream(tls_socket s) : s_(std::in_place_type<tls_socket>, std::move(s)) {}
    byte_stream(byte_stream&&) = default;
    byte_stream& operator=(byte_stream&&) = default;

    executor_type get_executor() noexcept {
        return std::visit([](auto& s) -> executor_type { return s.get_executor(); }, s_);
    }

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        return asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const MutableBuffers& b) {
                std::visit([&](auto& s) { s.async_read_some(b, std::move(handler)); }, s_);
            },
            token, buffers);
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const ConstBuffers& b) {
                std::visit([&](auto& s) { s.async_write_some(b, std::move(handler)); }, s_);
            },
            token, buffers);
    }

    /// The next reads and writes fail with beast::error::timeout after this point.
    void expires_at(clock::time_point t) { tcp_layer([&](auto& l) { l.expires_at(t); }); }
    void expires_never() { tcp_layer([](auto& l) { l.expires_never(); }); }
    /// Closes the socket: pending operations end with operation_aborted.
    void close() noexcept {
        tcp_layer([](auto& l) {
            boost::system::error_code ignored;
            l.socket().close(ignored);
        });
    }
    int native_handle() {
        int fd = -1;
        tcp_layer([&](auto& l) { fd = static_cast<int>(l.socket().native_handle()); });
        return fd;
    }
    bool is_tls() const { return std::holds_alternative<tls_socket>(s_); }
    /// The TLS stream, for the handshake (nullptr over a Unix socket).
    tls_socket* tls() { return std::get_if<tls_socket>(&s_); }

    /// Beast closes a websocket's socket through this on a websocket timeout.
    friend void beast_close_socket(byte_stream& s) { s.close(); }

    // Websocket teardown (found by Beast through argument-dependent lookup): the socket's
    // own, TLS close_notify included.
    friend void teardown(beast::role_type role, byte_stream& s, boost::system::error_code& ec) {
        std::visit([&](auto& inner) {
            using beast::websocket::teardown;
            teardown(role, inner, ec);
        }, s.s_);
    }
    template <class Handler>
    friend void async_teardown(beast::role_type role, byte_stream& s, Handler&& handler) {
        std::visit([&](auto& inner) {
            using beast::websocket::async_teardown;
            async_teardown(role, inner, std::forward<Handler>(handler));
        }, s.s_);
    }

private:
    template <class F>
    void tcp_layer(F&& f) {
        std::visit([&](auto& s) { f(beast::get_lowest_layer(s)); }, s_);
    }
    std::variant<unix_socket, tls_socket> s_;
};

using websocket_stream = websocket::stream<byte_stream>;

}  // namespace lxd::transport
