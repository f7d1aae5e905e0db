// src/detail/mailbox.hpp — the one hand-off between the I/O thread and the caller's threads:
// a queue of values that ends once, with or without a failure, and waits with a deadline
// or a stop token. Used by operations (their end), event streams (events) and interactive
// exec sessions (terminal output, the command's end).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <stop_token>
#include <utility>

namespace lxd::detail {

template <class T>
class mailbox {
public:
    using clock = std::chrono::steady_clock;

    /// Queues `v` and wakes a waiter; false (and `v` dropped) once the mailbox is closed.
    bool push(T v) {
        {
            std::lock_guard lk(mu_);
            if (closed_) return false;
            queue_.push_back(std::move(v));
        }
        cv_.notify_all();
        return true;
    }

    /// Ends the mailbox: what is queued can still be taken, then pop() reports the end.
    /// The first close wins (its failure is the one kept); true if this call closed it.
    bool close(std::exception_ptr failure = nullptr) {
        {
            std::lock_guard lk(mu_);
            if (closed_) return false;
            closed_ = true;
            failure_ = std::move(failure);
        }
        cv_.notify_all();
        return true;
    }

    /// The next value, waiting until `deadline`; nullopt on timeout or when closed and
    /// drained (closed() then tells which).
    std::optional<T> pop(clock::time_point deadline) {
        std::unique_lock lk(mu_);
        auto ready = [&] { return !queue_.empty() || closed_; };
        if (deadline == clock::time_point::max())
            cv_.wait(lk, ready);   // no deadline: no clock arithmetic at the far end
        else
            cv_.wait_until(lk, deadline, ready);
        return take(lk);
    }
    template <class Rep, class Period>
    std::optional<T> pop(std::chrono::duration<Rep, Period> timeout) {
        return pop(deadline_after(timeout));
    }
    /// As pop(deadline), also ending (nullopt) when `stop` is requested.
    std::optional<T> pop(std::stop_token stop, clock::time_point deadline) {
        std::unique_lock lk(mu_);
        auto ready = [&] { return !queue_.empty() || closed_; };
        if (deadline == clock::time_point::max())
            cv_.wait(lk, stop, ready);
        else
            cv_.wait_until(lk, stop, deadline, ready);
        return take(lk);
    }

    /// Waits until the mailbox is closed (values may still be queued); false on timeout.
    /// No deadline: waits as long as it takes.
    bool wait_closed(std::optional<clock::time_point> deadline = std::nullopt) {
        std::unique_lock lk(mu_);
        if (!deadline || *deadline == clock::time_point::max()) {
            cv_.wait(lk, [&] { return closed_; });
            return true;
        }
        return cv_.wait_until(lk, *deadline, [&] { return closed_; });
    }

    bool closed() const {
        std::lock_guard lk(mu_);
        return closed_;
    }
    /// Closed with nothing left to take: the end a reader reports after a pop() came back
    /// empty. (closed() alone is not that: a value pushed between the pop's timeout and
    /// the close would be dropped.) Once true it stays true.
    bool drained() const {
        std::lock_guard lk(mu_);
        return closed_ && queue_.empty();
    }
    /// The failure it was closed with (nullptr: none, or not closed).
    std::exception_ptr failure() const {
        std::lock_guard lk(mu_);
        return failure_;
    }
    /// Throws the failure it was closed with, if any.
    void rethrow_failure() const {
        if (auto f = failure()) std::rethrow_exception(f);
    }

    /// now + timeout, saturated (a huge timeout means "never", not an overflow).
    template <class Rep, class Period>
    static clock::time_point deadline_after(std::chrono::duration<Rep, Period> timeout) {
        auto now = clock::now();
        auto room = std::chrono::duration_cast<std::chrono::duration<Rep, Period>>(clock::time_point::max() - now);
        if (timeout >= room) return clock::time_point::max();
        return now + std::chrono::duration_cast<clock::duration>(timeout);
    }

private:
    std::optional<T> take(std::unique_lock<std::mutex>&) {
        if (queue_.empty()) return std::nullopt;
        auto v = std::move(queue_.front());
        queue_.pop_front();
        return v;
    }

    mutable std::mutex mu_;
    std::condition_variable_any cv_;
    std::deque<T> queue_;
    bool closed_ = false;
    std::exception_ptr failure_;
};

}  // namespace lxd::detail
