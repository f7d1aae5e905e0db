// tools/lxdpp/commands/signals.hpp — SIGINT and SIGTERM during file transfers.
//
// SIGINT and SIGTERM during `file push/pull` stop the transfer through a stop token: the
// library then removes its temporary file (pull: the existing local file stays as it was)
// or the partial file in the instance (push), and lxdpp exits 130 or 143 as a shell
// expects. The signals are taken by a thread of ours (sigwait), never by a handler, so
// the cleanup runs as ordinary code. Should the transfer not notice within 5 s (a network
// that stopped answering), the process exits anyway.
#pragma once

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <stop_token>
#include <thread>

#include "context.hpp"

namespace lxdpp_cli {

class transfer_signals {
public:
    transfer_signals();
    ~transfer_signals();
    transfer_signals(const transfer_signals&) = delete;
    transfer_signals& operator=(const transfer_signals&) = delete;
    std::stop_token token() const { return stop_.get_token(); }
    /// The signal that stopped the transfer (0: none): exit with 128 + it.
    int signal() const { return signal_; }

private:
    sigset_t set_{}, old_{};
    std::stop_source stop_;
    std::atomic<int> signal_{0};
    std::atomic<bool> done_{false};
    std::mutex mu_;
    std::condition_variable cv_;
    std::thread waiter_;
};

/// Runs a transfer under transfer_signals; a signal turns into exit code 128 + signal.
template <class F>
void with_transfer_signals(F&& f) {
    transfer_signals sig;
    try {
        f(sig.token());
    } catch (const lxd::error& e) {
        if (sig.signal() == 0 || e.code_value() != lxd::errc::operation_cancelled) throw;
    }
    if (int s = sig.signal()) throw exit_status(128 + s);
}

}  // namespace lxdpp_cli
