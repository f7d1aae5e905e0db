// `lxdpp console [REMOTE:]NAME` on a pseudo-terminal, as a user runs it: the detach hint as
// lxc prints it, what is typed echoed by the console, ctrl+a q detaching with status 0, the
// terminal restored (also after SIGTERM); the refusals as lxc words them.
#include "cli/cli_support.hpp"
#include "integration/sandbox.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <lxd/console.hpp>

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct ConsoleCli : cli_support::fixture {
    lxd::client c1 = sandbox::unix_client(1);

    void SetUp() override { make_scratch("ccli"); }
    void TearDown() override {
        sandbox::remove_leftovers(c1);
        fs::remove_all(dir);
    }
};

/// The terminal settings a new pseudo-terminal starts with (cooked: ICANON, ECHO...).
termios cooked_settings() {
    int m = -1, s = -1;
    termios t{};
    if (::openpty(&m, &s, nullptr, nullptr, nullptr) == 0) {
        ::tcgetattr(s, &t);
        ::close(s);
        ::close(m);
    }
    return t;
}

/// lxdpp (as `tool`) run with ARGS on a new pseudo-terminal of 30x100 with cooked settings;
/// read and typed through its master side, every wait with a deadline.
struct on_pty {
    int master = -1;
    pid_t pid = -1;
    std::string out;
    termios start = cooked_settings();

    /// argv[0] `tool` names the client lxdpp plays: "lxdpp" (lxc's) or "incus".
    on_pty(const std::string& tool, const std::string& conf_assignment, std::vector<std::string> words) {
        // Everything the child needs is made before fork: the parent has threads.
        std::string conf = conf_assignment;
        std::vector<char*> argv, envp{conf.data(), nullptr};
        words.insert(words.begin(), tool);
        for (auto& w : words) argv.push_back(w.data());
        argv.push_back(nullptr);
        winsize ws{30, 100, 0, 0};
        pid = ::forkpty(&master, nullptr, &start, &ws);
        if (pid == 0) {
            ::execve(LXDPP_CLI_PATH, argv.data(), envp.data());
            ::_exit(127);
        }
    }
    ~on_pty() {
        if (pid > 0 && ::waitpid(pid, nullptr, WNOHANG) == 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        if (master >= 0) ::close(master);
    }
    bool read_until(const std::string& want, std::chrono::seconds within) {
        auto deadline = std::chrono::steady_clock::now() + within;
        while (out.find(want) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
            pollfd p{master, POLLIN, 0};
            if (::poll(&p, 1, 200) <= 0) continue;
            char buf[512];
            auto n = ::read(master, buf, sizeof buf);
            if (n <= 0) break;
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out.find(want) != std::string::npos;
    }
    /// Reads what is there now (the child must not block on a full pty).
    void drain() {
        char buf[512];
        for (pollfd p{master, POLLIN, 0}; ::poll(&p, 1, 0) > 0;) {
            auto n = ::read(master, buf, sizeof buf);
            if (n <= 0) return;
            out.append(buf, static_cast<std::size_t>(n));
        }
    }
    void type(std::string_view s) { (void)!::write(master, s.data(), s.size()); }
    /// The console attaches some time after lxdpp connects; what is typed before is
    /// discarded: type numbered probes, one a second, until one is echoed (60 s at most).
    bool wait_attached() {
        for (int i = 0; i < 60; ++i) {
            type("probe" + std::to_string(i) + "\r");
            if (read_until("probe", 1s)) return true;
        }
        return false;
    }
    /// The exit status (128 + N if killed by signal N), or -1 if it did not end in time.
    int wait_exit(std::chrono::seconds within) {
        auto deadline = std::chrono::steady_clock::now() + within;
        while (std::chrono::steady_clock::now() < deadline) {
            drain();
            int status = 0;
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(100ms);
        }
        return -1;
    }
    /// The terminal's settings are the ones it started with (raw mode undone).
    void expect_restored() {
        termios now{};
        ASSERT_EQ(::tcgetattr(master, &now), 0);
        EXPECT_EQ(now.c_lflag, start.c_lflag);
        EXPECT_EQ(now.c_iflag, start.c_iflag);
        EXPECT_EQ(now.c_oflag, start.c_oflag);
        EXPECT_NE(now.c_lflag & ICANON, 0u);
        EXPECT_NE(now.c_lflag & ECHO, 0u);
    }
};

}  // namespace

TEST_P(ConsoleCli, TypedLineEchoedThenCtrlAQDetaches) {
    auto box = sandbox::make_container(c1, sandbox::unique_name("cc"), true);
    on_pty p(sandbox::on_incus() ? "incus" : "lxdpp", conf_var() + (dir / "conf").string(), {"console", "d1:" + box.name()});
    ASSERT_GT(p.pid, 0);
    ASSERT_TRUE(p.read_until("To detach from the console, press: <ctrl>+a q\n\r", 60s)) << p.out;
    EXPECT_EQ(p.out.rfind("To detach from the console, press: <ctrl>+a q\n\r", 0), 0u) << p.out;
    ASSERT_TRUE(p.wait_attached()) << p.out;
    p.type("hello from the cli\r");
    EXPECT_TRUE(p.read_until("hello from the cli\r", 30s)) << p.out;
    p.type("\x01q");
    EXPECT_EQ(p.wait_exit(60s), 0) << p.out;
    p.expect_restored();
    EXPECT_NE(box.console_log().find("hello from the cli\r\n"), std::string::npos);
}

TEST_P(ConsoleCli, SigtermDetachesAndRestoresTheTerminal) {
    auto box = sandbox::make_container(c1, sandbox::unique_name("cs"), true);
    on_pty p(sandbox::on_incus() ? "incus" : "lxdpp", conf_var() + (dir / "conf").string(), {"console", "d1:" + box.name()});
    ASSERT_GT(p.pid, 0);
    ASSERT_TRUE(p.wait_attached()) << p.out;
    ::kill(p.pid, SIGTERM);
    EXPECT_EQ(p.wait_exit(60s), 128 + SIGTERM) << p.out;
    p.expect_restored();
    // The console was let go: a new one attaches (Incus would refuse it while held).
    auto again = box.console();
    again.detach(30s);
}

TEST_P(ConsoleCli, RefusalsAsLxcWordsThem) {
    auto box = sandbox::make_container(c1, sandbox::unique_name("cr"), true);
    // stdin not a terminal; an unknown type; --show-log with another type: as lxc.
    same_as_lxc("console d1:" + box.name());
    same_as_lxc("console d1:" + box.name() + " --type foo");
    same_as_lxc("console d1:" + box.name() + " --show-log --type vga");
    auto r = run("console d1:" + box.name() + " --type vga");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "Error: not supported by lxdpp: --type vga (a virtual machine's SPICE display); only --type console\n");
}

LXDPP_BOTH_SERVERS(ConsoleCli);
