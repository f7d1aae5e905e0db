// tools/lxdpp/commands/exec.cpp — `lxdpp exec`: a command in an instance, with its output
// piped through, or on a terminal (raw mode, window size followed).
//
// Signals, as `lxc exec` (LXD 5.0) does in both modes: SIGTERM, SIGHUP, SIGINT, SIGQUIT,
// SIGABRT, SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2, SIGSEGV and SIGCONT sent to lxdpp are
// forwarded to the command through the control channel, every time (a second Ctrl-C is
// forwarded too; lxdpp itself never dies of them). SIGHUP goes on as SIGTERM when lxdpp has
// no controlling terminal. lxdpp exits with the status the server reports (a command killed
// by signal N: 128 + N). On a terminal, Ctrl-C is a keystroke (raw mode), not a signal.
#include <atomic>
#include <csignal>
#include <functional>
#include <iostream>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "commands.hpp"
#include "terminal.hpp"

namespace lxdpp_cli {

using namespace std::chrono_literals;

/// The signals lxc forwards, taken by a sigwait thread (no handler) and passed to the
/// current target. Blocked from construction, which must come before the client's I/O
/// thread exists so that every thread inherits the mask.
class forwarded_signals {
public:
    forwarded_signals() {
        sigemptyset(&set_);
        for (int s : {SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGABRT, SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2, SIGSEGV, SIGCONT})
            sigaddset(&set_, s);
        pthread_sigmask(SIG_BLOCK, &set_, &old_);
        waiter_ = std::thread([this] {
            for (;;) {
                int sig = 0;
                if (sigwait(&set_, &sig) != 0) return;
                if (done_) return;
                if (sig == SIGHUP) {
                    // As lxc: a hang-up with no terminal left is passed on as SIGTERM.
                    int tty = ::open("/dev/tty", O_RDONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
                    if (tty >= 0) ::close(tty); else sig = SIGTERM;
                }
                std::lock_guard lk(mu_);
                if (target_) target_(sig);
            }
        });
    }
    ~forwarded_signals() {
        target(nullptr);
        done_ = true;
        pthread_kill(waiter_.native_handle(), SIGCONT);   // wakes sigwait; then ignored (done_)
        waiter_.join();
        // Signals that came too late for the command are dropped, not acted on by lxdpp
        // (lxc ignores them too) once the mask is restored.
        timespec zero{};
        while (sigtimedwait(&set_, nullptr, &zero) > 0) {}
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    forwarded_signals(const forwarded_signals&) = delete;
    forwarded_signals& operator=(const forwarded_signals&) = delete;
    /// Where signals go from now on (nullptr: dropped). Once it returns, the previous
    /// target is no longer running nor called.
    void target(std::function<void(int)> f) {
        std::lock_guard lk(mu_);
        target_ = std::move(f);
    }

private:
    sigset_t set_{}, old_{};
    std::mutex mu_;
    std::function<void(int)> target_;
    std::atomic<bool> done_{false};
    std::thread waiter_;
};

namespace {

/// Clears a forwarded_signals target when it goes out of scope (before what it refers to).
struct target_reset {
    forwarded_signals& s;
    ~target_reset() { s.target(nullptr); }
};

}  // namespace

void exec_command::add(CLI::App& app) {
    auto* ex = app.add_subcommand("exec", "Run a command in an instance: exec NAME [flags] [--] COMMAND...");
    ex->add_option("name", name_, "[REMOTE:]NAME")->required();
    ex->add_option("command", command_, "COMMAND... (after --)");
    ex->add_option("--env", env_, "KEY=VALUE (repeatable)");
    ex->add_option("--cwd", cwd_, "Working directory");
    ex->add_option("--user", user_, "UID");
    ex->add_option("--group", group_, "GID");
    ex->add_option("--mode", mode_, "auto, interactive or non-interactive");
    ex->add_flag("-n,--disable-stdin", no_stdin_, "Stdin from /dev/null");
    ex->add_flag("-t,--force-interactive", force_tty_, "Always use a terminal");
    ex->add_flag("-T,--force-noninteractive", no_tty_, "Never use a terminal");
    ex->callback([this] { ctx_.exit_code = run(); });
}

int exec_command::run() {
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    if (command_.empty()) throw usage_error("no command given: lxdpp exec NAME -- COMMAND...");
    if (mode_ != "auto" && mode_ != "interactive" && mode_ != "non-interactive") throw usage_error("Unknown interactive mode: " + mode_);
    forwarded_signals signals;   // before connect: the client's threads inherit the mask
    auto c = ctx_.connect(remote);
    auto inst = c.instances().get(name);
    bool tty = force_tty_ || mode_ == "interactive" || (!no_tty_ && mode_ != "non-interactive" && ::isatty(0) && ::isatty(1));
    std::map<std::string, std::string> environment;
    for (auto& e : env_) {
        // As lxc: "K=V"; a bare "K" sets K to "".
        auto eq = e.find('=');
        environment.insert_or_assign(e.substr(0, eq), eq == std::string::npos ? std::string() : e.substr(eq + 1));
    }
    if (no_stdin_) {
        int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (devnull >= 0) ::dup2(devnull, 0);
    }
    try {
        return tty ? run_interactive(inst, environment, signals) : run_piped(inst, environment, signals);
    } catch (const lxd::error& e) {
        // Incus refuses a command it cannot find (exit status 127) as a failed request with
        // these words; the incus CLI prints them and exits 127, as lxc does for LXD's 127.
        if (e.code_value() != lxd::errc::operation_failed || e.server_message() != "Command not found") throw;
        std::cerr << "Error: Command not found\n";
        return 127;
    }
}

int exec_command::run_piped(lxd::instance& inst, const std::map<std::string, std::string>& environment,
                            forwarded_signals& signals) {
    lxd::exec_options o;
    o.environment = environment;
    o.cwd = cwd_;
    if (user_ >= 0) o.user = static_cast<std::uint32_t>(user_);
    if (group_ >= 0) o.group = static_cast<std::uint32_t>(group_);
    o.stdin_fd = 0;
    o.on_stdout = [](std::string_view d) { write_all(1, d); };
    o.on_stderr = [](std::string_view d) { write_all(2, d); };
    lxd::exec_signals to_command;
    o.signals = to_command;
    signals.target([to_command](int sig) { to_command.send(sig); });
    target_reset reset{signals};
    int code = inst.execute(command_, o).exit_code;
    if (code == 127) std::cerr << "Error: Command not found\n";   // as lxc
    return code;
}

int exec_command::run_interactive(lxd::instance& inst, const std::map<std::string, std::string>& environment,
                                  forwarded_signals& signals) {
    lxd::interactive_options io;
    io.environment = environment;
    io.cwd = cwd_;
    if (user_ >= 0) io.user = static_cast<std::uint32_t>(user_);
    if (group_ >= 0) io.group = static_cast<std::uint32_t>(group_);
    winsize ws{};
    if (::ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col) {
        io.width = ws.ws_col;
        io.height = ws.ws_row;
    }
    auto session = inst.execute_interactive(command_, io);
    signals.target([&session](int sig) { session.signal(sig); });
    target_reset reset{signals};
    raw_terminal terminal;
    stdin_pump input([&session](std::string_view d) { session.write(d); return true; });
    relay_output(session, ws);
    int code = session.wait(60s);
    terminal.restore();
    if (code == 127) std::cerr << "Error: Command not found\n";
    return code;
}

}  // namespace lxdpp_cli
