// lxd/operation.hpp — a handle on a server-side operation.
#pragma once

#include <lxd/export.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>

#include <lxd/api/operation.hpp>

namespace lxd {

namespace detail { struct operation_state; struct core; struct access; }

/// A server operation (POST /1.0/instances, PUT .../state, ...).
///
/// From the moment the handle exists a background watcher follows the operation with
/// GET /1.0/operations/{id}/wait, so its final state is captured even when the caller waits
/// late (the server forgets finished operations after about 5 s).
///
/// Thread safety: handles are cheap copies of one shared state; all members are safe to
/// call from several threads. Do not call wait() from an lxdpp callback (it would block
/// the I/O thread that completes it); that is refused with errc::invalid_argument.
class LXDPP_API [[nodiscard]] operation {
public:
    operation() = default;

    /// The operation id (the last segment of its URL).
    const std::string& id() const;

    /// Blocks until the operation is final, or until `timeout` (if given) expires, which
    /// throws errc::timeout and leaves the operation running. Returns the final state on
    /// success; throws errc::operation_failed / operation_cancelled carrying the server's
    /// "err" text otherwise.
    api::operation_info wait(std::optional<std::chrono::milliseconds> timeout = std::nullopt) const;

    /// The asynchronous face of wait(): ready when the operation is final. No deadline:
    /// combine with std::future::wait_for.
    std::shared_future<api::operation_info> async_wait() const;

    /// DELETE /1.0/operations/{id}. The server refuses operations that cannot be
    /// cancelled (errc::bad_request with its message).
    void cancel() const;

    /// The latest state seen (the creation response until the first update arrives).
    api::operation_info info() const;
    bool done() const;

    /// Called on the I/O thread with each new state the watcher sees (progress metadata is
    /// in metadata_json) and with the final one; if the operation is already final, called
    /// at once (on the caller's thread) with the final state. Registering it makes the watcher ask
    /// the server every second, so progress arrives at least that often.
    void on_progress(std::function<void(const api::operation_info&)> callback) const;

    explicit operator bool() const noexcept { return st_ != nullptr; }

private:
    friend struct detail::access;
    operation(std::shared_ptr<detail::core> core, std::shared_ptr<detail::operation_state> st);
    std::shared_ptr<detail::core> core_;   // keeps the I/O thread alive
    std::shared_ptr<detail::operation_state> st_;
    std::shared_ptr<void> presence_;   // shared by the copies of this handle (see operation.cpp)
};

}  // namespace lxd
