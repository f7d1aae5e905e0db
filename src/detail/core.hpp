// src/detail/core.hpp — the shared state behind every client copy: the I/O thread, the
// connection pool, TLS settings and caches. Private: nothing here is in a public header.
//
// Lifetime: user-facing handles (client, operation, event_stream, ...) hold a
// shared_ptr<core>. Background coroutines (operation watchers, event readers) hold only a
// raw core*; the core's destructor stops and joins the I/O thread and then destroys the
// io_context, which destroys those coroutine frames before anything they point to.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <lxd/client.hpp>
#include <lxd/error.hpp>

#include "../protocol/protocol.hpp"

namespace lxd::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;

using clock = std::chrono::steady_clock;
using unix_stream = beast::basic_stream<asio::local::stream_protocol>;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;
using unix_ws = websocket::stream<unix_stream>;
using tls_ws = websocket::stream<tls_stream>;

struct scope {
    std::string project;
    std::string target;
    std::chrono::milliseconds timeout{30000};
};

/// The request value every protocol builder returns (src/protocol/request.hpp).
using http_request = protocol::request;

struct http_response {
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

/// One HTTP connection, pooled between requests.
struct connection {
    std::variant<std::unique_ptr<unix_stream>, std::unique_ptr<tls_stream>> stream;
    beast::flat_buffer buffer;
    bool reused = false;
    /// True if the peer has not closed it and sent nothing unasked (checked without blocking).
    bool looks_alive();
};

using any_ws = std::variant<std::unique_ptr<unix_ws>, std::unique_ptr<tls_ws>>;

/// The I/O thread and its context.
struct runtime {
    asio::io_context io{1};
    asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
    std::thread thread;
    runtime();
    ~runtime();
    void stop_and_join();
    bool on_io_thread() const { return thread.get_id() == std::this_thread::get_id(); }
};

struct core {
    // Endpoint.
    bool tls = false;
    std::string socket_path;   ///< unix
    std::string host, port;    ///< https
    std::string host_header;
    std::string base_url;      ///< for messages: "unix:/path" or "https://host:port"
    std::optional<asio::ssl::context> ssl;
    std::string pinned_fingerprint;   ///< lowercase hex, no colons; empty in CA mode
    client_options options;

    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> connects{0};

    std::mutex info_mu;
    std::optional<api::server_info> info_cache;

    core();
    ~core();
    core(const core&) = delete;
    core& operator=(const core&) = delete;

    asio::io_context& io() { return rt->io; }
    bool on_io_thread() const { return rt->on_io_thread(); }

    /// One HTTP exchange. Throws lxd::error (transport failures mapped; HTTP error
    /// statuses are NOT mapped here: see call()).
    asio::awaitable<http_response> exchange(http_request r, scope sc);
    /// A streaming exchange: the request body comes from `source` (when set; chunked unless
    /// `length` is given), and a 200 response's body goes to `sink` chunk by chunk unless
    /// `divert(response)` says to keep it (e.g. a JSON directory listing); other answers
    /// are kept in `body`. The deadline applies to each chunk, not to the whole transfer,
    /// so a large file may take as long as it needs while a stalled one still fails.
    asio::awaitable<http_response> exchange_streaming(http_request r, scope sc, body_source source,
                                                      std::optional<std::uint64_t> length, body_sink sink,
                                                      std::function<bool(const http_response&)> keep_body);
    /// exchange() + envelope parsing: returns the envelope, throws lxd::error for errors.
    asio::awaitable<std::pair<protocol::envelope, http_response>> call(http_request r, scope sc);
    /// A websocket on `target` (path + query, already escaped) over a fresh connection.
    /// `on`: the io_context the socket belongs to (default: this core's); a relay opens the
    /// websockets of two servers on one context so that one thread drives both.
    asio::awaitable<any_ws> open_websocket(std::string target, clock::time_point deadline, asio::io_context* on = nullptr);

    /// Runs `aw` on the I/O thread and blocks for its result (rethrowing its exception).
    template <class T>
    T run(asio::awaitable<T> aw) {
        refuse_on_io_thread();
        return asio::co_spawn(io(), std::move(aw), asio::use_future).get();
    }
    void refuse_on_io_thread() const;

    /// Maps a transport error to lxd::error.
    [[noreturn]] void fail_transport(errc code, const std::string& request_line, const std::string& what,
                                     const boost::system::error_code& ec) const;

    /// The cached GET /1.0 (fetched with `sc` if absent).
    api::server_info cached_info(const scope& sc);

    std::string target_for(const http_request& r, const scope& sc) const;

private:
    asio::awaitable<std::unique_ptr<connection>> connect(clock::time_point deadline, const std::string& rl,
                                                         asio::io_context* on = nullptr);
    /// Host, User-Agent and the request's own headers (never Origin or Sec-Fetch-*).
    template <class Body>
    void set_common_headers(http::request<Body>& req, const http_request& r) const {
        req.set(http::field::host, host_header);
        req.set(http::field::user_agent, options.user_agent);
        for (auto& [k, v] : r.headers) req.set(k, v);
    }
    /// A pooled connection the server has not closed, or nullptr.
    std::unique_ptr<connection> take_idle();
    std::vector<std::unique_ptr<connection>> idle_;   // touched only on the I/O thread
    std::unique_ptr<runtime> rt;                      // last member: destroyed first (see top)
    friend std::shared_ptr<core> make_core();
};

std::shared_ptr<core> make_core();


/// Serializes JSON.
inline std::string to_json(const json::value& v) { return json::serialize(v); }

/// Parses JSON text that the library itself produced or stored (metadata_json, raw_json).
json::value parse_json(std::string_view text);

/// Turns an operation URL or id into an id.
inline std::string operation_id_of(std::string_view url) { return protocol::last_segment(url); }

// ---- operations -------------------------------------------------------------------------

/// Shared between the operation handles and the watcher coroutine.
struct operation_state {
    std::mutex mu;
    std::condition_variable cv;
    std::string id;
    api::operation_info latest;
    bool final = false;
    std::exception_ptr failure;   // set with final when the operation did not succeed
    std::promise<api::operation_info> promise;
    std::shared_future<api::operation_info> future = promise.get_future().share();
    std::vector<std::function<void(const api::operation_info&)>> progress;
    /// Run when the operation succeeded: returns the next operation (URL) to follow, or ""
    /// to finish. Lets one handle cover "create, then start".
    std::function<asio::awaitable<std::string>(const api::operation_info&)> then;
    scope sc;
    std::atomic<bool> abandoned{false};   ///< every operation handle is gone
    bool future_taken = false;            ///< async_wait() handed out a future

    void publish(const api::operation_info& info);
    void finish(const api::operation_info& info, std::exception_ptr failure);
};

/// Starts following the operation described by an async envelope; returns its handle.
operation start_operation(const std::shared_ptr<core>& c, const scope& sc, const protocol::envelope& env,
                          const std::string& request_line,
                          std::function<asio::awaitable<std::string>(const api::operation_info&)> then = {});

/// Long-polls /1.0/operations/{id}/wait until the operation is final; returns its state.
asio::awaitable<api::operation_info> wait_operation_final(core* c, scope sc, std::string id, std::string rl);

using protocol::exec_exit_code;      // decoders of final operations, in src/protocol
using protocol::operation_failure;

// ---- events -----------------------------------------------------------------------------

struct event_channel {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<api::event> queue;
    bool ended = false;
    std::exception_ptr failure;
    bool closing = false;
    std::function<void()> closer;                           // set on the I/O thread
    std::function<void(const api::event&)> on_event;        // callback mode
    std::function<void(const std::exception_ptr&)> on_error;
    std::shared_ptr<core> owner;                            // keeps the I/O thread alive
    bool in_callback = false;                               // on_event is running
    /// Stops delivery; when called off the I/O thread, also waits for a callback that is
    /// running, so that what it uses may be destroyed as soon as close() returns.
    void close();
};

}  // namespace lxd::detail
