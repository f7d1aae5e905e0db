// src/transport/http_client.hpp — HTTP/1.1 and websockets to one endpoint (a Unix socket
// or HTTPS), on one I/O thread, with a keep-alive pool and a deadline on every step.
//
// The transport knows an endpoint, the scope of a request (project, cluster member,
// timeout) and the request values the protocol layer builds; it knows nothing of
// lxd::client, handles or the server's objects. Of the public headers it uses only
// <lxd/error.hpp> (its failures are lxd::error: timeout, connection_failed,
// connection_lost, tls_error, protocol_error).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/http.hpp>

#include "../protocol/envelope.hpp"
#include "../protocol/request.hpp"
#include "runtime.hpp"
#include "stream.hpp"

namespace lxd::transport {

/// Where a request goes besides its path: the project and cluster member it is scoped to
/// (when the request is scoped) and how long it may take.
struct scope {
    std::string project;
    std::string target;
    std::chrono::milliseconds timeout{30000};
};

/// The server: a Unix socket path, or host and port with TLS settings.
struct endpoint {
    bool tls = false;
    std::string socket_path;   ///< unix
    std::string host, port;    ///< https
    std::string host_header;
    std::string base_url;      ///< for messages: "unix:/path" or "https://host:port"
    std::optional<asio::ssl::context> ssl;
    std::string pin;           ///< SHA-256 of the server certificate, lowercase hex; empty in CA mode
};

struct settings {
    std::string user_agent;
    std::size_t max_idle_connections = 8;
    std::chrono::milliseconds transfer_timeout{std::chrono::hours(24)};   ///< a whole streamed transfer
};

struct response {
    int status = 0;
    std::string content_type;
    std::string etag;
    std::string location;
    std::string body;
    std::string request_line;
    bool close_delimited = false;   ///< no Content-Length, not chunked: the body ended with the connection
    std::vector<std::pair<std::string, std::string>> fields;   ///< every header, names lowercased
    std::string field(std::string_view lower_name) const {
        for (auto& [k, v] : fields) if (k == lower_name) return v;
        return {};
    }
};

/// Fills `buffer` with up to `capacity` bytes of a request body; 0 means the end.
using body_source = std::function<std::size_t(char* buffer, std::size_t capacity)>;
/// Receives a response body in chunks.
using body_sink = std::function<void(std::string_view)>;

/// A streamed exchange's bodies: the request body comes from `source` (when set; chunked
/// unless `length` is given); a 200 answer's body goes to `sink` chunk by chunk unless
/// `keep_body(answer)` says to keep it (e.g. a JSON directory listing); other answers are
/// kept in `response::body`.
struct transfer {
    body_source source;
    std::optional<std::uint64_t> length;
    body_sink sink;
    std::function<bool(const response&)> keep_body;
};

/// The Beast verb of a request's method.
http::verb beast_verb_of(protocol::verb m);

/// Copies an answer's headers into `out` (names lowercased; content type, ETag, location).
void copy_fields(const http::fields& in, response& out);

/// One connection, pooled between requests.
struct connection {
    explicit connection(byte_stream s) : stream(std::move(s)) {}
    byte_stream stream;
    beast::flat_buffer buffer;
    bool reused = false;
    /// True if the peer has not closed it and sent nothing unasked (checked without blocking).
    bool looks_alive();
};

class http_client {
public:
    http_client(endpoint ep, settings s);
    ~http_client();
    http_client(const http_client&) = delete;
    http_client& operator=(const http_client&) = delete;

    const endpoint& where() const { return ep_; }
    asio::io_context& io() { return rt_->io(); }
    bool on_io_thread() const { return rt_->on_io_thread(); }

    /// One HTTP exchange. Throws lxd::error for transport failures; HTTP error statuses are
    /// not mapped here (see call()). A request whose outcome is unknown is never resent.
    asio::awaitable<response> exchange(protocol::request r, scope sc);
    /// A streamed exchange (see `transfer`). The deadline applies to each chunk, not to the
    /// whole transfer, so a large file may take as long as it needs while a stalled one still
    /// fails; settings::transfer_timeout bounds the whole.
    asio::awaitable<response> exchange_streaming(protocol::request r, scope sc, transfer t);
    /// exchange() + envelope parsing: returns the envelope, throws lxd::error for errors.
    asio::awaitable<std::pair<protocol::envelope, response>> call(protocol::request r, scope sc);
    /// A websocket on `target` (path + query, already escaped) over a fresh connection.
    /// `on`: the io_context the socket belongs to (default: this client's); a relay opens the
    /// websockets of two servers on one context so that one thread drives both.
    asio::awaitable<std::unique_ptr<websocket_stream>> open_websocket(std::string target, clock::time_point deadline,
                                                                      asio::io_context* on = nullptr);
    /// An HTTP upgrade (`r` carries the Upgrade header) on a fresh connection, never pooled:
    /// the stream (no expiry) and any bytes read past the 101 answer. A refusal is the
    /// server's error; a 101 without `Upgrade: <protocol>` is errc::protocol_error.
    asio::awaitable<std::pair<byte_stream, std::string>> open_upgraded(protocol::request r, scope sc,
                                                                       std::string protocol);
    /// The escaped path and query of `r`, with the scope's project and member when scoped.
    std::string target_for(const protocol::request& r, const scope& sc) const;

    /// Runs `aw` on the I/O thread and blocks for its result (rethrowing its exception).
    template <class T>
    T run(asio::awaitable<T> aw) {
        refuse_on_io_thread();
        return asio::co_spawn(io(), std::move(aw), asio::use_future).get();
    }
    void refuse_on_io_thread() const;

    /// Maps a transport error to lxd::error (the endpoint is named in the message).
    [[noreturn]] void fail_transport(errc code, const std::string& request_line, const std::string& what,
                                     const boost::system::error_code& ec) const;

    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> connects{0};

protected:
    /// Stops the I/O thread; a derived class calls it first in its destructor, so that no
    /// coroutine runs while the derived members are destroyed.
    void shutdown();

private:
    asio::awaitable<std::unique_ptr<connection>> connect(clock::time_point deadline, const std::string& rl,
                                                         asio::io_context* on = nullptr);
    asio::awaitable<byte_stream> connect_tls(asio::io_context& ctx, clock::time_point deadline, const std::string& rl);
    /// Host, User-Agent and the request's own headers (never Origin or Sec-Fetch-*).
    template <class Body>
    void set_common_headers(http::request<Body>& req, const protocol::request& r) const {
        req.set(http::field::host, ep_.host_header);
        req.set(http::field::user_agent, settings_.user_agent);
        for (auto& [k, v] : r.headers) req.set(k, v);
    }
    /// A pooled connection the server has not closed, or nullptr.
    std::unique_ptr<connection> take_idle();
    void keep_idle(std::unique_ptr<connection> conn);

    endpoint ep_;
    settings settings_;
    std::vector<std::unique_ptr<connection>> idle_;   // touched only on the I/O thread
    std::unique_ptr<runtime> rt_;
};

}  // namespace lxd::transport
