// lxd/exec.hpp — running commands in instances.
#pragma once

#include <lxd/export.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lxd {

namespace detail { struct exec_signal_state; struct access; }

/// Sends signals to a running non-interactive command (what `lxc exec` does with the
/// signals it receives). A handle: copies share one channel. Give a copy to
/// exec_options::signals, keep one, and call send() from any thread while execute() runs.
/// A signal sent before the command's control channel is open is held and delivered once it
/// is; one sent after the command has ended is dropped. Signals go out in the order sent.
class LXDPP_API exec_signals {
public:
    exec_signals();
    /// Thread-safe and non-blocking (it only queues; the client's I/O thread writes it).
    void send(int signal_number) const;

private:
    friend struct detail::access;
    std::shared_ptr<detail::exec_signal_state> state_;
};

struct exec_options {
    std::map<std::string, std::string> environment;
    std::string cwd;                          ///< empty: the server's default
    std::optional<std::uint32_t> user;        ///< uid inside the instance
    std::optional<std::uint32_t> group;       ///< gid inside the instance
    std::string stdin_data;                   ///< sent, then end-of-file
    /// Large input, pulled in chunks instead of stdin_data: fill `buffer` with up to
    /// `capacity` bytes and return how many; 0 means end-of-file. Runs on the client's I/O
    /// thread, one chunk at a time, only as fast as the command reads (constant memory).
    std::function<std::size_t(char* buffer, std::size_t capacity)> stdin_source;
    /// Input read from this file descriptor until end-of-file (e.g. 0 for the process's own
    /// stdin): pipes, terminals and sockets are read without blocking the I/O thread; a
    /// regular file is read directly. The descriptor is duplicated, not closed, and its flags
    /// are restored. Reading stops when the command ends, even if the input never ends.
    int stdin_fd = -1;
    /// When set, output goes here in chunks as it arrives (constant memory) instead of into
    /// exec_result::out / err. Runs on the client's I/O thread.
    std::function<void(std::string_view)> on_stdout;
    std::function<void(std::string_view)> on_stderr;
    /// When it expires the command gets SIGTERM, then SIGKILL 2 s later, through the control
    /// channel; the result says timed_out. nullopt: no limit.
    std::optional<std::chrono::milliseconds> timeout;
    /// Signals for the command from another thread while it runs (see exec_signals).
    /// Not available with record_output (no control channel; refused: errc::invalid_argument).
    std::optional<exec_signals> signals;
    /// Once the command has ended (its operation is final), stdout and stderr must reach
    /// their end with no gap longer than this; otherwise the output is incomplete and
    /// execute() throws errc::connection_lost naming the stream. While the command runs,
    /// a dead server or connection is noticed by the operation's long-poll (at most the
    /// client's timeout plus 30 s); a command may stay silent for as long as it likes.
    std::chrono::milliseconds drain_timeout{15000};
    /// No websockets: LXD writes stdout and stderr to log files, fetched (and deleted) once
    /// the command has ended. Lossless even where LXD 5.0's websocket mirror is not; stdin
    /// and timeout are not available in this mode (refused: errc::invalid_argument).
    bool record_output = false;
};

struct exec_result {
    int exit_code = -1;
    std::string out;        ///< bytes as the command wrote them (binary-safe)
    std::string err;
    bool timed_out = false;
};

struct interactive_options {
    std::map<std::string, std::string> environment;   ///< TERM is set to xterm-256color unless given
    std::string cwd;
    std::optional<std::uint32_t> user;
    std::optional<std::uint32_t> group;
    unsigned width = 80;
    unsigned height = 24;
};

namespace detail { struct session_base; struct core; }

/// A command running on a pseudo-terminal in an instance (what `lxc exec` does on a
/// terminal). Output (stdout and stderr merged, as a terminal shows them) is queued as it
/// arrives; input, window size and signals go to the command.
/// Thread safety: all members may be called from any thread; read() from one at a time.
class LXDPP_API exec_session {
public:
    exec_session() = default;
    exec_session(exec_session&&) noexcept = default;
    exec_session& operator=(exec_session&&) noexcept = default;
    /// Ends the session: if the command still runs it is killed (the control channel closes).
    ~exec_session();

    /// Sends bytes to the terminal (keystrokes). Queued; never blocks on the network.
    void write(std::string_view data);
    /// The next chunk of output; nullopt if none arrives within `timeout`; an empty string
    /// once the output has ended.
    std::optional<std::string> read(std::chrono::milliseconds timeout);
    void resize(unsigned width, unsigned height);
    void signal(int signal_number);
    /// Waits for the command's end (and the end of its output); returns its exit code.
    /// Throws errc::timeout if `timeout` expires first (the command goes on).
    int wait(std::optional<std::chrono::milliseconds> timeout = std::nullopt);
    bool done() const;

private:
    friend struct detail::access;
    exec_session(std::shared_ptr<detail::core> core, std::shared_ptr<detail::session_base> s);
    std::shared_ptr<detail::core> core_;
    std::shared_ptr<detail::session_base> s_;
};

}  // namespace lxd
