// src/detail/core.hpp — the shared state behind every client copy: the transport to its
// server (src/transport/: the I/O thread, the connection pool, TLS) plus what the client
// layer keeps per server (options, the cached GET /1.0). Private: nothing here is in a
// public header.
//
// Lifetime: user-facing handles (client, operation, event_stream, ...) hold a
// shared_ptr<core>. Background coroutines (operation watchers, event readers) hold only a
// raw core*; the core's destructor stops and joins the I/O thread first, then the
// transport destroys the io_context, which destroys those coroutine frames before anything
// they point to.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include <lxd/client.hpp>
#include <lxd/error.hpp>

#include "../protocol/protocol.hpp"
#include "../transport/http_client.hpp"
#include "../transport/websocket.hpp"
#include "access.hpp"
#include "mailbox.hpp"

namespace lxd::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;

using transport::clock;
/// A client's scope (project, cluster member, timeout): the transport's, under the name
/// the public headers forward-declare.
struct scope : transport::scope {};
using http_request = protocol::request;   ///< the request value every protocol builder returns
using http_response = transport::response;
using transport::body_source;
using transport::body_sink;
using transport::transfer;
using ws_stream = transport::websocket_stream;
using transport::close_frame_watch;

struct core : transport::http_client {
    core(transport::endpoint ep, client_options o);
    ~core();

    client_options options;

    std::mutex info_mu;
    std::optional<api::server_info> info_cache;

    /// The cached GET /1.0 (fetched with `sc` if absent).
    api::server_info cached_info(const scope& sc);
};

/// Serializes JSON.
inline std::string to_json(const json::value& v) { return json::serialize(v); }

/// Parses JSON text that the library itself produced or stored (metadata_json, raw_json).
json::value parse_json(std::string_view text);

/// Turns an operation URL or id into an id.
inline std::string operation_id_of(std::string_view url) { return protocol::last_segment(url); }

// ---- operations -------------------------------------------------------------------------

/// Shared between the operation handles and the watcher coroutine.
struct operation_state {
    std::mutex mu;                // guards what follows, but `ended`
    std::string id;
    api::operation_info latest;
    /// Closed (under `mu`, with the failure when the operation did not succeed) once the
    /// operation is final; `latest` is then its final state. Nothing is queued in it.
    mailbox<api::operation_info> ended;
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
    mailbox<api::event> events;   ///< stream mode; closed at the end (with its failure, if any)
    std::mutex mu;                ///< guards what follows
    std::condition_variable cv;   ///< in_callback turned false
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
