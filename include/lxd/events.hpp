// lxd/events.hpp — the /1.0/events websocket, pull-style or by callback.
#pragma once

#include <lxd/export.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <lxd/api/event.hpp>

namespace lxd {

struct event_options {
    std::vector<std::string> types;   ///< "operation", "logging", "lifecycle"; empty: all
    bool all_projects = false;        ///< every project instead of the client's
    /// A stream on which nothing arrives for half this time is sent a websocket ping; if
    /// nothing at all (an event, a ping, a pong) arrives within this time, the stream ends
    /// with errc::connection_lost. Must be positive (errc::invalid_argument otherwise).
    std::chrono::milliseconds idle_limit = std::chrono::seconds(30);
};

namespace detail { struct event_channel; struct access; }

/// A live subscription. Events are queued as they arrive (the I/O thread reads the socket
/// and answers the server's pings whether or not the caller is reading).
/// Destroying the stream or calling close() unsubscribes.
/// Thread safety: next() from one thread at a time; close() from any thread.
class LXDPP_API event_stream {
public:
    event_stream() = default;
    event_stream(event_stream&&) noexcept = default;
    event_stream& operator=(event_stream&&) noexcept;
    ~event_stream();

    /// The next event, or nullopt if none arrives within `timeout`. After the events
    /// received before it have been returned, throws errc::connection_lost when the server
    /// closed, the connection broke or the stream passed its idle limit
    /// (event_options::idle_limit), and errc::protocol_error when the server sent a frame
    /// that is not an event (binary, not JSON, not an event object); the stream is then over.
    std::optional<api::event> next(std::chrono::milliseconds timeout);
    void close();

private:
    friend struct detail::access;
    explicit event_stream(std::shared_ptr<detail::event_channel> ch) : ch_(std::move(ch)) {}
    std::shared_ptr<detail::event_channel> ch_;
};

/// A callback subscription: `on_event` runs on the I/O thread for each event; `on_error`
/// (optional) once when the stream ends for one of the reasons next() throws. Destroying it unsubscribes.
class LXDPP_API event_subscription {
public:
    event_subscription() = default;
    event_subscription(event_subscription&&) noexcept = default;
    event_subscription& operator=(event_subscription&&) noexcept;
    ~event_subscription();
    void close();

private:
    friend struct detail::access;
    explicit event_subscription(std::shared_ptr<detail::event_channel> ch) : ch_(std::move(ch)) {}
    std::shared_ptr<detail::event_channel> ch_;
};

}  // namespace lxd
