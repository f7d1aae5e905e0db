// Faults between lxdpp and a real sandbox daemon: a TCP proxy on the HTTPS path that
// stalls, cuts or resets a connection at a given byte, or dies as a killed daemon does;
// and a tree that changes under a recursive push. Each case asserts a bounded time, the
// right errc, no partial data reported as complete, and nothing lost on either side.
#include "integration/sandbox.hpp"
#include "support/code_of.hpp"
#include "support/force_rest.hpp"
#include "tcp_proxy.hpp"

#include <lxd/lxd.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace std::chrono_literals;
using faults::tcp_proxy;
using test_support::code_of;
using test_support::force_rest;
namespace fs = std::filesystem;

namespace {

using fault = tcp_proxy::fault;
using dir = tcp_proxy::direction;

std::map<std::string, int>& outcomes() {
    static std::map<std::string, int> m;
    return m;
}

/// Prints how each case ended, once every suite of this binary has run.
struct print_outcomes : ::testing::Environment {
    void TearDown() override {
        int total = 0;
        for (auto& [k, v] : outcomes()) total += v;
        std::printf("fault cases (%d outcomes): ", total);
        for (auto& [k, v] : outcomes()) std::printf("%s=%d ", k.c_str(), v);
        std::printf("\n");
    }
};
[[maybe_unused]] auto* const registered = ::testing::AddGlobalTestEnvironment(new print_outcomes);

/// Each server (LXD, Incus) gets its own running container and trusted client certificate,
/// made by the first test that runs against it and removed after the last.
struct faults_target {
    std::unique_ptr<lxd::client> direct;
    std::unique_ptr<lxd::instance> box;
    std::string name;
    lxd::certificate_pair pair;
};

class DaemonFaults : public sandbox::server_test {
protected:
    static void TearDownTestSuite() {
        for (auto& [srv, t] : targets_) {
            try {
                t.box->remove(true).wait(std::chrono::minutes(2));
            } catch (...) {
            }
        }
        targets_.clear();
    }

    void SetUp() override {
        auto& t = targets_[srv()];
        if (!t.box) {
            t.direct = std::make_unique<lxd::client>(sandbox::unix_client(1));
            t.name = sandbox::unique_name("faults");
            t.box = std::make_unique<lxd::instance>(sandbox::make_container(*t.direct, t.name, true));
            t.pair = lxd::generate_client_certificate("lxdpp-faults");
            lxd::tls_options tls;
            tls.client_cert_pem = t.pair.cert_pem;
            tls.client_key_pem = t.pair.key_pem;
            tls.server_cert_pem = sandbox::server_cert(1);
            lxd::client::connect_https(sandbox::https_url(1), tls).authenticate(sandbox::trust_secret(1), "lxdpp-faults");
        }
        direct_ = t.direct.get();
        box_ = t.box.get();
        name_ = t.name;
        pair_ = t.pair;
        auto hp = sandbox::https_url(1).substr(std::string("https://").size());
        auto colon = hp.rfind(':');
        proxy_ = std::make_unique<tcp_proxy>(hp.substr(0, colon), static_cast<std::uint16_t>(std::stoi(hp.substr(colon + 1))));
        lxd::tls_options tls;
        tls.client_cert_pem = pair_.cert_pem;
        tls.client_key_pem = pair_.key_pem;
        tls.server_cert_pem = sandbox::server_cert(1);
        lxd::client_options opts;
        opts.timeout = 10s;
        client_ = std::make_unique<lxd::client>(lxd::client::connect_https("https://" + proxy_->address(), tls, opts));
        via_proxy_ = std::make_unique<lxd::instance>(client_->instances().get(name_));
        dir_ = fs::temp_directory_path() / sandbox::unique_name("faultdir");
        fs::create_directories(dir_);
    }
    void TearDown() override {
        via_proxy_.reset();
        client_.reset();
        proxy_.reset();
        fs::remove_all(dir_);
    }

    /// Runs `f`, returns its errc (errc{} if it succeeded) and records the outcome.
    template <class F>
    lxd::errc timed(const char* label, F&& f, std::chrono::seconds bound) {
        auto t0 = std::chrono::steady_clock::now();
        auto code = code_of(f);
        auto took = std::chrono::steady_clock::now() - t0;
        EXPECT_LT(took, bound) << label << " took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
        outcomes()[std::string(label) + ":" + (code == lxd::errc{} ? "ok" : lxd::make_error_code(code).message())]++;
        return code;
    }

    std::vector<std::string> entries_of(const fs::path& d) {
        std::vector<std::string> out;
        for (auto& e : fs::directory_iterator(d)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }

    void recursive_get_cut(const char* label, std::uint64_t cut_after, int max_cuts);
    void recursive_put_cut(const char* label, std::uint64_t cut_after);

    static inline std::map<sandbox::server, faults_target> targets_;
    lxd::client* direct_ = nullptr;
    lxd::instance* box_ = nullptr;
    std::string name_;
    lxd::certificate_pair pair_;
    std::unique_ptr<tcp_proxy> proxy_;
    std::unique_ptr<lxd::client> client_;
    std::unique_ptr<lxd::instance> via_proxy_;
    fs::path dir_;
};

const std::vector<std::string> big_output = {"sh", "-c", "head -c 33554432 /dev/zero"};

TEST_P(DaemonFaults, ExecStdoutResetMidStreamIsConnectionLostNotShortSuccess) {
    proxy_->arm(fault::reset, dir::to_client, 4 << 20);
    lxd::errc code = timed("exec-reset", [&] { (void)via_proxy_->execute(big_output); }, 60s);
    EXPECT_EQ(code, lxd::errc::connection_lost);
    EXPECT_EQ(proxy_->faults_applied(), 1);
}

TEST_P(DaemonFaults, ExecStdoutCutMidStreamIsConnectionLostNamingTheStream) {
    proxy_->arm(fault::cut, dir::to_client, 4 << 20);
    try {
        (void)via_proxy_->execute(big_output);
        ADD_FAILURE() << "a cut stdout was reported as success";
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::connection_lost);
        EXPECT_NE(std::string(e.what()).find("stdout"), std::string::npos) << e.what();
    }
}

TEST_P(DaemonFaults, ExecStdoutStallWithTimeoutEndsWithinTheDeadline) {
    proxy_->arm(fault::stall, dir::to_client, 4 << 20);
    lxd::exec_options o;
    o.timeout = 3s;
    o.drain_timeout = 3s;
    auto code = timed("exec-stall", [&] { (void)via_proxy_->execute(big_output, o); }, 40s);
    EXPECT_TRUE(code == lxd::errc::connection_lost || code == lxd::errc::timeout) << lxd::make_error_code(code).message();
}

TEST_P(DaemonFaults, ExecWhenTheDaemonDiesIsConnectionLostPromptly) {
    auto fut = std::async(std::launch::async, [&] { return code_of([&] { (void)via_proxy_->execute({"sleep", "30"}); }); });
    std::this_thread::sleep_for(1500ms);   // the command is running
    proxy_->die();
    ASSERT_EQ(fut.wait_for(20s), std::future_status::ready) << "exec hung after the daemon died";
    auto code = fut.get();
    EXPECT_EQ(code, lxd::errc::connection_lost) << lxd::make_error_code(code).message();
    outcomes()["exec-daemon-dies:" + lxd::make_error_code(code).message()]++;
}

TEST_P(DaemonFaults, ExecAfterTheFaultWorksAgain) {
    proxy_->arm(fault::reset, dir::to_client, 4 << 20);
    EXPECT_EQ(code_of([&] { (void)via_proxy_->execute(big_output); }), lxd::errc::connection_lost);
    auto r = via_proxy_->execute({"sh", "-c", "echo fine"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "fine\n");
}

TEST_P(DaemonFaults, InteractiveOutputResetIsConnectionLostNotAnExitCode) {
    proxy_->arm(fault::reset, dir::to_client, 4 << 20);
    auto code = timed("pty-reset",
                      [&] {
                          auto s = via_proxy_->execute_interactive({"sh", "-c", "head -c 33554432 /dev/zero"});
                          for (;;) {
                              auto chunk = s.read(30s);
                              if (!chunk || chunk->empty()) break;
                          }
                          (void)s.wait(30s);
                      },
                      40s);
    EXPECT_EQ(code, lxd::errc::connection_lost) << lxd::make_error_code(code).message();
}

TEST_P(DaemonFaults, FileGetCutKeepsTheExistingLocalFileAndLeavesNoPartial) {
    std::string big(8 << 20, 'x');
    box_->files().put("/root/big", big);
    auto local = dir_ / "big";
    { std::ofstream(local) << "precious"; }
    proxy_->arm(fault::reset, dir::to_client, 2 << 20);
    auto code = timed("file-get-reset", [&] { (void)via_proxy_->files().get_to_file("/root/big", local.string()); }, 30s);
    EXPECT_EQ(code, lxd::errc::connection_lost);
    std::ifstream in(local);
    std::string kept((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(kept, "precious");
    EXPECT_EQ(entries_of(dir_), std::vector<std::string>{"big"});
}

TEST_P(DaemonFaults, FileGetStallHitsTheDeadline) {
    std::string big(8 << 20, 'y');
    box_->files().put("/root/big2", big);
    proxy_->arm(fault::stall, dir::to_client, 2 << 20);
    auto local = dir_ / "big2";
    auto code = timed("file-get-stall", [&] { (void)via_proxy_->files().get_to_file("/root/big2", local.string()); }, 30s);
    EXPECT_EQ(code, lxd::errc::timeout);
    EXPECT_TRUE(entries_of(dir_).empty());
}

TEST_P(DaemonFaults, FilePutResetLeavesNoPartialFileInTheInstance) {
    auto local = dir_ / "up";
    { std::ofstream(local) << std::string(16 << 20, 'z'); }
    box_->files().put("/root/up", "old");
    proxy_->arm(fault::reset, dir::to_server, 4 << 20);
    auto code = timed("file-put-reset", [&] { via_proxy_->files().put_file("/root/up", local.string()); }, 30s);
    EXPECT_EQ(code, lxd::errc::connection_lost);
    EXPECT_FALSE(box_->files().exists("/root/up")) << "a partial upload stayed under the final name";
}

TEST_P(DaemonFaults, FileGetStoppedLeavesTheTargetUntouched) {
    std::string big(8 << 20, 'w');
    box_->files().put("/root/big3", big);
    auto local = dir_ / "big3";
    { std::ofstream(local) << "keep me"; }
    std::stop_source stop;
    std::atomic<std::size_t> seen{0};
    auto code = code_of([&] {
        std::thread t([&] {
            while (seen.load() == 0) std::this_thread::sleep_for(1ms);
            stop.request_stop();
        });
        struct join_t { std::thread& t; ~join_t() { t.join(); } } j{t};
        (void)direct_->instances().get(name_).files().get(
            "/root/big3", [&](std::string_view c) { seen += c.size(); });   // warm the path
        seen = 0;
        (void)via_proxy_->files().get_to_file("/root/big3", local.string(), {.stop = stop.get_token()});
    });
    EXPECT_EQ(code, lxd::errc::operation_cancelled);
    std::ifstream in(local);
    std::string kept((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(kept, "keep me");
    EXPECT_EQ(entries_of(dir_), std::vector<std::string>{"big3"});
}

// Whole trees ride one SFTP session, or over REST one request per file (4 in flight, on
// up to 4 pooled connections, each cut once it has carried `cut_after` bytes): cutting
// mid-tree fails the transfer with connection_lost, and no file is left looking complete
// (locally: no file under its final name but whole ones; in the instance: the partial
// files are removed again).
void DaemonFaults::recursive_get_cut(const char* label, std::uint64_t cut_after, int max_cuts) {
    std::string chunk(512 << 10, 'q');
    auto remote = "/root/" + sandbox::unique_name("cut-tree");
    auto f = box_->files();
    f.mkdir(remote);
    f.mkdir(remote + "/sub");
    for (int i = 0; i < 16; ++i) f.put(remote + (i % 2 ? "/sub/f" : "/f") + std::to_string(i), chunk);
    proxy_->arm(fault::cut, dir::to_client, cut_after);
    auto dst = dir_ / "tree";
    auto code = timed(label, [&] { via_proxy_->files().recursive_get(remote, dst.string(), {.parallel = 4}); }, 30s);
    EXPECT_EQ(code, lxd::errc::connection_lost);
    EXPECT_GE(proxy_->faults_applied(), 1);
    EXPECT_LE(proxy_->faults_applied(), max_cuts);   // the files in flight when the first cut came may meet theirs
    int whole = 0;
    for (auto& e : fs::recursive_directory_iterator(dst)) {
        if (e.is_directory()) continue;
        EXPECT_EQ(e.path().filename().string().find(".lxdpp-"), std::string::npos) << e.path();
        EXPECT_EQ(fs::file_size(e.path()), chunk.size()) << e.path();
        ++whole;
    }
    EXPECT_LT(whole, 16);
}

void DaemonFaults::recursive_put_cut(const char* label, std::uint64_t cut_after) {
    auto src = dir_ / "src";
    fs::create_directories(src / "sub");
    std::string chunk(1 << 20, 'p');
    for (int i = 0; i < 12; ++i) std::ofstream(src / ((i % 2 ? "sub/f" : "f") + std::to_string(i))) << chunk;
    auto remote = "/root/" + sandbox::unique_name("cut-put");
    proxy_->arm(fault::cut, dir::to_server, cut_after);
    auto code = timed(label, [&] { via_proxy_->files().recursive_put(src.string(), remote, {.parallel = 4}); }, 30s);
    EXPECT_EQ(code, lxd::errc::connection_lost);
    auto sizes = box_->execute({"sh", "-c", "find '" + remote + "' -type f -exec stat -c %s {} + | sort -u"}).out;
    EXPECT_TRUE(sizes.empty() || sizes == std::to_string(chunk.size()) + "\n") << sizes;
}

TEST_P(DaemonFaults, RecursiveGetCutMidTreeIsConnectionLostWithOnlyWholeFiles) { recursive_get_cut("tree-get-cut", 3 << 20, 1); }

TEST_P(DaemonFaults, RecursivePutCutMidTreeIsConnectionLostAndRemovesThePartialFiles) { recursive_put_cut("tree-put-cut", 5 << 20); }

TEST_P(DaemonFaults, RecursiveGetCutMidTreeOverRestIsConnectionLostWithOnlyWholeFiles) {
    force_rest rest;
    recursive_get_cut("tree-get-cut-rest", 256 << 10, 4);   // within the first file (512 KiB) on each connection
}

TEST_P(DaemonFaults, RecursivePutCutMidTreeOverRestIsConnectionLostAndRemovesThePartialFiles) {
    force_rest rest;
    recursive_put_cut("tree-put-cut-rest", 512 << 10);   // within the first file (1 MiB) on each connection
}

// A directory of the tree being pushed is swapped for a symlink to a directory outside it
// while the push runs. Whatever the timing, the outside file must never reach the instance.
TEST_P(DaemonFaults, RecursivePutNeverFollowsASymlinkSwappedIntoTheTree) {
    auto outside = dir_ / "outside";
    fs::create_directories(outside);
    { std::ofstream(outside / "secret") << "TOP-SECRET"; }
    auto tree = dir_ / "tree";
    int leaks = 0, runs = 10;
    for (int run = 0; run < runs; ++run) {
        fs::remove_all(tree);
        fs::create_directories(tree / "a");
        for (int i = 0; i < 40; ++i) std::ofstream(tree / "a" / ("f" + std::to_string(i))) << std::string(4096, 'a');
        fs::create_directories(tree / "sub");
        { std::ofstream(tree / "sub" / "secret") << "harmless"; }
        std::atomic<bool> done{false};
        std::thread swapper([&] {
            bool is_link = false;
            while (!done) {
                std::error_code ec;
                if (!is_link) {
                    fs::rename(tree / "sub", dir_ / "sub-away", ec);
                    fs::create_directory_symlink(outside, tree / "sub", ec);
                } else {
                    fs::remove(tree / "sub", ec);
                    fs::rename(dir_ / "sub-away", tree / "sub", ec);
                }
                is_link = !is_link;
                std::this_thread::sleep_for(200us);
            }
        });
        std::string remote = "/root/push" + std::to_string(run);
        (void)code_of([&] { box_->files().recursive_put(tree.string(), remote, {.parallel = 1}); });
        done = true;
        swapper.join();
        auto r = box_->execute({"sh", "-c", "cat " + remote + "/sub/secret 2>/dev/null; rm -rf " + remote});
        if (r.out.find("TOP-SECRET") != std::string::npos) ++leaks;
        fs::remove_all(dir_ / "sub-away");
    }
    outcomes()["recursive-put-race-leaks"] += leaks;
    EXPECT_EQ(leaks, 0) << "the outside file reached the instance in " << leaks << " of " << runs << " runs";
}

}  // namespace

namespace {

// The daemon itself killed with SIGKILL (daemon 2 of the sandbox's LXD or Incus daemons,
// over its Unix socket), during each kind of call; then revived, and the next call works.
class DaemonKilled : public sandbox::server_test {
protected:
    void SetUp() override {
        auto& n = names_[srv()];
        if (!n.empty()) return;
        auto c = sandbox::unix_client(2);
        n = sandbox::unique_name("killed");
        (void)sandbox::make_container(c, n, true);
    }
    static void TearDownTestSuite() {
        for (auto& [srv, n] : names_) {
            sandbox::use(srv);
            try {
                sandbox::unix_client(2).instances().get(n).remove(true).wait(std::chrono::minutes(2));
            } catch (...) {
            }
        }
        names_.clear();
    }
    /// The running container of the current server's daemon 2.
    static const std::string& name() { return names_[sandbox::current()]; }
    static void sandbox_cmd(const std::string& verb) {
        std::string k = sandbox::on_incus() ? "i2" : "2";
        std::string cmd = std::string(LXDPP_SOURCE_DIR) + "/scripts/sandbox " + verb + " " + sandbox::env("LXDPP_TEST_ROOT") + " " + k;
        ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
    /// Starts `call` on its own thread, kills the daemon after `delay`, and checks the call
    /// ends within `bound` with connection_lost; then revives the daemon and checks the
    /// same client works again.
    template <class F>
    void kill_during(const char* label, F call, std::chrono::milliseconds delay, std::chrono::seconds bound) {
        auto c = std::make_shared<lxd::client>(sandbox::unix_client(2));
        (void)c->host_info();
        auto fut = std::async(std::launch::async, [=] { return code_of([&] { call(*c); }); });
        std::this_thread::sleep_for(delay);
        auto t0 = std::chrono::steady_clock::now();
        sandbox_cmd("kill");
        bool ended = fut.wait_for(bound) == std::future_status::ready;
        auto took = std::chrono::steady_clock::now() - t0;
        sandbox_cmd("revive");
        ASSERT_TRUE(ended) << label << ": still waiting " << bound.count() << " s after the daemon died";
        auto code = fut.get();
        outcomes()[std::string("kill-") + label + ":" + lxd::make_error_code(code).message()]++;
        EXPECT_EQ(code, lxd::errc::connection_lost) << label << ": " << lxd::make_error_code(code).message();
        EXPECT_LT(took, bound);
        EXPECT_EQ(c->instances().get(name()).name(), name());   // the same client recovers
    }
    static inline std::map<sandbox::server, std::string> names_;
};

TEST_P(DaemonKilled, DuringExec) {
    kill_during("exec", [](lxd::client& c) { (void)c.instances().get(name()).execute({"sleep", "60"}); }, 1500ms, 15s);
}

TEST_P(DaemonKilled, DuringOperationWait) {
    kill_during("operation-wait",
                [](lxd::client& c) {
                    // An operation that runs until the daemon dies: a stop with a long timeout
                    // of a container whose init ignores the request (sleep as PID 1 is not
                    // used: the busybox init honours SIGPWR slowly, so a running exec is
                    // the operation waited on instead).
                    auto inst = c.instances().get(name());
                    lxd::exec_options o;
                    o.record_output = true;   // no websockets: only the operation wait is left
                    (void)inst.execute({"sleep", "60"}, o);
                },
                1500ms, 15s);
}

TEST_P(DaemonKilled, DuringFileGet) {
    {
        auto c = sandbox::unix_client(2);
        // 4 GiB, sparse (nothing on disk): one get outlasts the kill at 300 ms on both
        // servers (Incus sends 256 MiB in about 400 ms: two gets of that size let the kill
        // fall between them, where the second one's connect fails instead).
        (void)c.instances().get(name()).execute({"dd", "if=/dev/zero", "of=/root/big", "bs=1M", "count=0", "seek=4096"});
    }
    auto local = fs::temp_directory_path() / sandbox::unique_name("killget");
    { std::ofstream(local) << "before"; }
    kill_during("file-get",
                [local](lxd::client& c) { (void)c.instances().get(name()).files().get_to_file("/root/big", local.string()); },
                300ms, 15s);
    std::ifstream in(local);
    std::string kept((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(kept, "before") << "a partial download replaced the file";
    fs::remove(local);
}

TEST_P(DaemonKilled, DuringEvents) {
    kill_during("events",
                [](lxd::client& c) {
                    auto s = c.events();
                    for (;;) (void)s.next(std::chrono::seconds(60));
                },
                800ms, 15s);
}

}  // namespace

// Every case against LXD and Incus (Suite.Case/lxd, /incus).
LXDPP_BOTH_SERVERS(DaemonFaults);
LXDPP_BOTH_SERVERS(DaemonKilled);
