// tools/lxdpp/commands/exec.cpp — `lxdpp exec`: a command in an instance, with its output
// piped through, or on a terminal (raw mode, window size followed).
#include <iostream>
#include <thread>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "commands.hpp"

namespace lxdpp_cli {

using namespace std::chrono_literals;

namespace {

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

void write_all(int fd, std::string_view d) {
    while (!d.empty()) {
        auto n = ::write(fd, d.data(), d.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        d.remove_prefix(static_cast<std::size_t>(n));
    }
}

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
    return tty ? run_interactive(inst, environment) : run_piped(inst, environment);
}

int exec_command::run_piped(lxd::instance& inst, const std::map<std::string, std::string>& environment) {
    lxd::exec_options o;
    o.environment = environment;
    o.cwd = cwd_;
    if (user_ >= 0) o.user = static_cast<std::uint32_t>(user_);
    if (group_ >= 0) o.group = static_cast<std::uint32_t>(group_);
    o.stdin_fd = 0;
    o.on_stdout = [](std::string_view d) { write_all(1, d); };
    o.on_stderr = [](std::string_view d) { write_all(2, d); };
    int code = inst.execute(command_, o).exit_code;
    if (code == 127) std::cerr << "Error: Command not found\n";   // as lxc
    return code;
}

int exec_command::run_interactive(lxd::instance& inst, const std::map<std::string, std::string>& environment) {
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
    raw_terminal terminal;
    std::thread input([&session] {
        char buf[4096];
        for (;;) {
            auto n = ::read(0, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;
            session.write(std::string_view(buf, static_cast<std::size_t>(n)));
        }
    });
    input.detach();   // blocked in read(0) until the process ends
    for (;;) {
        // The window size is followed by looking at it between reads (at least every 100 ms):
        // no signal handler, so no state outside this function.
        if (winsize now{}; ::ioctl(1, TIOCGWINSZ, &now) == 0 && (now.ws_col != ws.ws_col || now.ws_row != ws.ws_row)) {
            ws = now;
            session.resize(ws.ws_col, ws.ws_row);
        }
        auto chunk = session.read(100ms);
        if (!chunk) continue;
        if (chunk->empty()) break;
        (void)!::write(1, chunk->data(), chunk->size());
    }
    int code = session.wait(60s);
    terminal.restore();
    if (code == 127) std::cerr << "Error: Command not found\n";
    return code;
}

}  // namespace lxdpp_cli
