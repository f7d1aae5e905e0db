// tools/lxdpp/commands/signals.cpp — transfer_signals: a sigwait thread turns SIGINT and
// SIGTERM into a stop request.
#include "signals.hpp"

#include <chrono>

#include <pthread.h>
#include <unistd.h>

namespace lxdpp_cli {

transfer_signals::transfer_signals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    // Blocked here, before the client's I/O thread exists, so every thread inherits it.
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
    waiter_ = std::thread([this] {
        int sig = 0;
        if (sigwait(&set_, &sig) != 0 || sig == 0) return;
        if (done_) return;
        signal_ = sig;
        stop_.request_stop();
        std::unique_lock lk(mu_);
        if (!cv_.wait_for(lk, std::chrono::seconds(5), [&] { return done_.load(); })) ::_exit(128 + sig);
    });
}

transfer_signals::~transfer_signals() {
    {
        std::lock_guard lk(mu_);
        done_ = true;
    }
    cv_.notify_all();
    if (signal_ == 0) pthread_kill(waiter_.native_handle(), SIGTERM);   // wake sigwait; ignored (done_)
    waiter_.join();
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

}  // namespace lxdpp_cli
