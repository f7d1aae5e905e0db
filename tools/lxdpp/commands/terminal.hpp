// tools/lxdpp/commands/terminal.hpp — what exec and console share on a terminal: raw
// mode for as long as a session runs, stdin copied to the session on a thread, and the
// session's output to stdout.
#pragma once

#include <cerrno>
#include <chrono>
#include <functional>
#include <string_view>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <lxd/exec.hpp>

namespace lxdpp_cli {

/// The terminal on stdin in raw mode for as long as it lives (also when an error unwinds).
class raw_terminal {
public:
    raw_terminal() {
        if (::isatty(0) && ::tcgetattr(0, &saved_) == 0) {
            saved_ok_ = true;
            termios raw = saved_;
            ::cfmakeraw(&raw);
            ::tcsetattr(0, TCSANOW, &raw);
        }
    }
    ~raw_terminal() { restore(); }
    raw_terminal(const raw_terminal&) = delete;
    raw_terminal& operator=(const raw_terminal&) = delete;
    void restore() {
        if (saved_ok_) ::tcsetattr(0, TCSANOW, &saved_);
    }

private:
    termios saved_{};
    bool saved_ok_ = false;
};

inline void write_all(int fd, std::string_view d) {
    while (!d.empty()) {
        auto n = ::write(fd, d.data(), d.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        d.remove_prefix(static_cast<std::size_t>(n));
    }
}

/// Copies stdin to `sink` (until it returns false) on a thread of its own, which ends (and
/// is joined) when this goes out of scope, also while read(0) would block: it waits on stdin and on a pipe of
/// ours, never in read() alone. Declared after the session, so the session outlives it.
class stdin_pump {
public:
    explicit stdin_pump(std::function<bool(std::string_view)> sink) {
        if (::pipe2(wake_, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
        thread_ = std::thread([this, sink = std::move(sink)] {
            char buf[4096];
            for (;;) {
                pollfd p[2] = {{0, POLLIN, 0}, {wake_[0], POLLIN, 0}};
                int r = ::poll(p, 2, -1);
                if (r < 0 && errno == EINTR) continue;
                if (r < 0 || p[1].revents) return;
                if (p[0].revents & POLLNVAL) return;
                auto n = ::read(0, buf, sizeof buf);
                if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
                if (n <= 0) return;
                if (!sink(std::string_view(buf, static_cast<std::size_t>(n)))) return;
            }
        });
    }
    ~stdin_pump() {
        (void)!::write(wake_[1], "x", 1);
        thread_.join();
        ::close(wake_[0]);
        ::close(wake_[1]);
    }
    stdin_pump(const stdin_pump&) = delete;
    stdin_pump& operator=(const stdin_pump&) = delete;

private:
    int wake_[2] = {-1, -1};
    std::thread thread_;
};

/// Copies the session's output (an exec_session or a console_session) to stdout until it
/// ends or `stop` says so, following the window size `ws`: looked at between reads, at least
/// every 100 ms (no signal handler). True if the output ended.
template <class Session>
bool relay_output(Session& session, winsize& ws, const std::function<bool()>& stop = {}) {
    while (!stop || !stop()) {
        if (winsize now{}; ::ioctl(1, TIOCGWINSZ, &now) == 0 && (now.ws_col != ws.ws_col || now.ws_row != ws.ws_row)) {
            ws = now;
            session.resize(ws.ws_col, ws.ws_row);
        }
        auto chunk = session.read(std::chrono::milliseconds(100));
        if (!chunk) continue;
        if (chunk->empty()) return true;
        write_all(1, *chunk);
    }
    return false;
}

}  // namespace lxdpp_cli
