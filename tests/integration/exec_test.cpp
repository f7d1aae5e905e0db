// execute: exact, binary-safe, streaming, concurrent, bounded — against a real daemon.
#include "sandbox.hpp"
#include "shared_box.hpp"
#include "support/process_usage.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <future>
#include <mutex>
#include <thread>

#include "support/code_of.hpp"

#include <cstring>
#include <openssl/sha.h>

#include <gtest/gtest.h>

#include <map>
#include <memory>

using namespace std::chrono_literals;
using test_support::code_of;

namespace {
struct Exec : sandbox::shared_box_test<Exec> {
    static constexpr const char* box_prefix = "exec";
};

std::string sha256(std::string_view data) {
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
    return std::string(reinterpret_cast<char*>(md), sizeof md);
}

std::string repeat_to(const std::string& line, size_t n) {
    std::string out;
    out.reserve(n);
    while (out.size() < n) out += line;
    out.resize(n);
    return out;
}

using test_support::open_fds;
using test_support::rss_kib;
}  // namespace

TEST_P(Exec, ExitCodes) {
    EXPECT_EQ(box->execute({"true"}).exit_code, 0);
    EXPECT_EQ(box->execute({"false"}).exit_code, 1);
    EXPECT_EQ(box->execute({"sh", "-c", "exit 42"}).exit_code, 42);
    EXPECT_EQ(box->execute({"sh", "-c", "exit 255"}).exit_code, 255);
    if (sandbox::on_incus()) {
        // Incus fails the operation of a command it cannot find (its wait answers 400 with the
        // operation's error) instead of running it to exit 127.
        try {
            (void)box->execute({"no-such-command-xyz"});
            ADD_FAILURE() << "a missing command ran";
        } catch (const lxd::error& e) {
            EXPECT_EQ(e.code_value(), lxd::errc::operation_failed) << e.what();
            EXPECT_EQ(e.server_message(), "Command not found");
        }
    } else {
        EXPECT_EQ(box->execute({"no-such-command-xyz"}).exit_code, 127);
    }
}

TEST_P(Exec, OutputAndErrorSeparated) {
    auto r = box->execute({"sh", "-c", "echo out; echo err >&2; echo more"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "out\nmore\n");
    EXPECT_EQ(r.err, "err\n");
    EXPECT_FALSE(r.timed_out);
}

TEST_P(Exec, AllByteValuesRoundTrip) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    auto r = box->execute({"cat"}, {.stdin_data = all + all});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, all + all);
    auto invalid_utf8 = box->execute({"printf", "\\377\\376\\000x"});
    EXPECT_EQ(invalid_utf8.out, std::string("\xff\xfe\0x", 4));
}

TEST_P(Exec, SixteenMiBThroughCat) {
    std::string data = repeat_to("stdin-line-0123456789abcdef\n", 16u << 20);
    data[12345] = '\0';
    auto r = box->execute({"cat"}, {.stdin_data = data});
    EXPECT_EQ(r.exit_code, 0);
    ASSERT_EQ(r.out.size(), data.size());
    EXPECT_TRUE(r.out == data);
}

TEST_P(Exec, SixtyFourMiBOnEachStreamConcurrently) {
    const size_t n = 64u << 20;
    auto r = box->execute({"sh", "-c", "yes stdout-abcdefghij | head -c 67108864 & yes stderr-0123456789 | head -c 67108864 >&2; wait"});
    EXPECT_EQ(r.exit_code, 0);
    ASSERT_EQ(r.out.size(), n);
    ASSERT_EQ(r.err.size(), n);
    EXPECT_EQ(sha256(r.out), sha256(repeat_to("stdout-abcdefghij\n", n)));
    EXPECT_EQ(sha256(r.err), sha256(repeat_to("stderr-0123456789\n", n)));
}

TEST_P(Exec, StreamingCallbacksGetEverything) {
    size_t out_bytes = 0, err_bytes = 0, chunks = 0;
    auto r = box->execute({"sh", "-c", "yes 0123456789 | head -c 10000000; echo tail >&2"},
                          {.on_stdout = [&](std::string_view s) { out_bytes += s.size(); ++chunks; },
                           .on_stderr = [&](std::string_view s) { err_bytes += s.size(); }});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(out_bytes, 10000000u);
    EXPECT_EQ(err_bytes, 5u);
    EXPECT_GT(chunks, 1u);
    EXPECT_TRUE(r.out.empty());
}

TEST_P(Exec, EnvironmentCwdUserGroup) {
    auto r = box->execute({"sh", "-c", "echo $FOO; pwd; id -u; id -g"},
                          {.environment = {{"FOO", "bar baz"}}, .cwd = "/tmp", .user = 1234, .group = 5678});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "bar baz\n/tmp\n1234\n5678\n");
}

TEST_P(Exec, OutputJustBeforeExitIsKept) {
    for (int i = 0; i < 20; ++i) {
        auto r = box->execute({"sh", "-c", "printf last-words; exit 3"});
        ASSERT_EQ(r.exit_code, 3);
        ASSERT_EQ(r.out, "last-words") << "run " << i;
    }
}

TEST_P(Exec, FiveHundredRunsLeakNoDescriptors) {
    (void)box->execute({"true"});
    for (int i = 0; i < 20; ++i) (void)box->execute({"true"});   // warm: pool, caches, allocator
    int before = open_fds();
    long rss_before = rss_kib();
    for (int i = 0; i < 500; ++i) ASSERT_EQ(box->execute({"true"}).exit_code, 0);
    EXPECT_LE(open_fds(), before + 8);   // at most the idle keep-alive pool
    if (!test_support::under_asan()) EXPECT_LT(rss_kib() - rss_before, 4096) << "RSS grew over 500 execs";
}

TEST_P(Exec, ThirtyTwoConcurrentFromOneThread) {
    std::vector<std::shared_future<lxd::exec_result>> runs;
    for (int i = 0; i < 32; ++i) runs.push_back(box->async_execute({"sh", "-c", "sleep 0.2; echo run-" + std::to_string(i)}));
    for (int i = 0; i < 32; ++i) {
        ASSERT_EQ(runs[i].wait_for(60s), std::future_status::ready);
        auto r = runs[i].get();
        EXPECT_EQ(r.exit_code, 0);
        EXPECT_EQ(r.out, "run-" + std::to_string(i) + "\n");
    }
}

TEST_P(Exec, TimeoutKillsAndSaysSo) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = box->execute({"sleep", "600"}, {.timeout = 500ms});
    auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_TRUE(r.timed_out);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_LT(took, 10s);
    EXPECT_EQ(box->execute({"sh", "-c", "pgrep -x sleep || true"}).out, "");
}

TEST_P(Exec, SignalsFromAnotherThreadReachTheCommandInOrder) {
    lxd::exec_signals to_command;
    lxd::exec_options o;
    o.signals = to_command;
    std::mutex mu;
    std::string seen;
    bool ready = false;
    std::condition_variable cv;
    o.on_stdout = [&](std::string_view d) {
        std::lock_guard lk(mu);
        seen += d;
        ready = seen.find("ready\n") != std::string::npos;
        cv.notify_all();
    };
    auto fut = box->async_execute(
        {"sh", "-c", "trap 'echo usr1' USR1; trap 'echo usr2; exit 6' USR2; echo ready; while :; do sleep 0.1; done"},
        o);
    {
        std::unique_lock lk(mu);
        ASSERT_TRUE(cv.wait_for(lk, 60s, [&] { return ready; })) << seen;
    }
    to_command.send(SIGUSR1);
    to_command.send(SIGUSR2);   // in order: usr1 first
    ASSERT_EQ(fut.wait_for(60s), std::future_status::ready);
    auto r = fut.get();
    EXPECT_EQ(r.exit_code, 6);
    EXPECT_FALSE(r.timed_out);
    std::lock_guard lk(mu);
    EXPECT_EQ(seen, "ready\nusr1\nusr2\n");
    to_command.send(SIGUSR1);   // after the end: dropped, no effect, no crash
}

TEST_P(Exec, StoppedInstanceAndEmptyArgvAreClearErrors) {
    auto stopped = sandbox::make_container(*c, sandbox::unique_name("stopped"), false);
    try {
        (void)stopped.execute({"true"});
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::bad_request) << e.what();
        EXPECT_FALSE(e.server_message().empty());
    }
    auto before = c->request_count();
    try {
        (void)box->execute({});
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::invalid_argument);
    }
    EXPECT_EQ(c->request_count(), before);
}

TEST_P(Exec, OverHttps) {
    auto h = sandbox::trusted_https_client(1);
    auto inst = h.containers().get(box->name());
    auto r = inst.execute({"sh", "-c", "cat; echo done >&2"}, {.stdin_data = "over tls\n"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "over tls\n");
    EXPECT_EQ(r.err, "done\n");
}

TEST_P(Exec, StdinFromASourceInChunks) {
    const size_t total = 8u << 20;
    size_t given = 0;
    auto r = box->execute({"sha256sum"}, {.stdin_source = [&](char* buf, size_t cap) {
                                              size_t n = std::min(cap, total - given);
                                              std::memset(buf, 'z', n);
                                              given += n;
                                              return n;
                                          }});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(given, total);
    std::string expected_hex;
    for (unsigned char b : sha256(std::string(total, 'z'))) {
        static const char* hex = "0123456789abcdef";
        expected_hex += hex[b >> 4];
        expected_hex += hex[b & 15];
    }
    EXPECT_EQ(r.out.substr(0, 64), expected_hex);
}

TEST_P(Exec, RecordOutputMode) {
    auto r = box->execute({"sh", "-c", "printf 'a\\0b'; echo problem >&2; exit 7"}, {.record_output = true});
    EXPECT_EQ(r.exit_code, 7);
    EXPECT_EQ(r.out, std::string("a\0b", 3));
    EXPECT_EQ(r.err, "problem\n");
    // The log files were deleted afterwards.
    auto logs = c->raw_get("/1.0/instances/" + box->name() + "/logs");
    EXPECT_EQ(logs.find("exec_"), std::string::npos) << logs;
    try {
        (void)box->execute({"cat"}, {.stdin_data = "x", .record_output = true});
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::invalid_argument);
    }
}

TEST_P(Exec, InteractiveSessionOnAPty) {
    auto s = box->execute_interactive({"sh"}, {.width = 100, .height = 30});
    s.write("stty size; tty; echo marker-$((6*7))\n");
    std::string seen;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (seen.find("marker-42") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        auto chunk = s.read(1s);
        ASSERT_TRUE(!chunk || !chunk->empty()) << "output ended early: " << seen;
        if (chunk) seen += *chunk;
    }
    EXPECT_NE(seen.find("30 100"), std::string::npos) << seen;
    EXPECT_NE(seen.find("/dev/pts/"), std::string::npos) << seen;
    s.resize(120, 40);
    s.write("stty size\n");
    seen.clear();
    deadline = std::chrono::steady_clock::now() + 10s;
    while (seen.find("40 120") == std::string::npos && std::chrono::steady_clock::now() < deadline)
        if (auto chunk = s.read(1s)) seen += *chunk;
    EXPECT_NE(seen.find("40 120"), std::string::npos) << seen;
    s.write("exit 5\n");
    EXPECT_EQ(s.wait(20s), 5);
    EXPECT_TRUE(s.done());
}

TEST_P(Exec, InteractiveSignal) {
    auto s = box->execute_interactive({"sleep", "600"});
    s.signal(9);
    EXPECT_EQ(s.wait(20s), 137);   // killed by SIGKILL, as a shell reports it
}

TEST_P(Exec, StdinFromAPipeThatNeverEndsDoesNotHoldExecOpen) {
    int p[2];
    ASSERT_EQ(pipe(p), 0);
    ASSERT_EQ(write(p[1], "hello world", 11), 11);
    int flags_before = fcntl(p[0], F_GETFL);
    auto start = std::chrono::steady_clock::now();
    auto r = box->execute({"head", "-c", "5"}, {.stdin_fd = p[0]});   // p[1] stays open
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "hello");
    EXPECT_EQ(fcntl(p[0], F_GETFL), flags_before);   // O_NONBLOCK not left behind
    close(p[1]);
    close(p[0]);
}

TEST_P(Exec, StdinFromAPipeAndFromAFileUntilEndOfFile) {
    int p[2];
    ASSERT_EQ(pipe(p), 0);
    std::string data = repeat_to("pipe line\n", 3 << 20);
    std::thread writer([&] {
        for (std::size_t off = 0; off < data.size();) {
            auto n = write(p[1], data.data() + off, data.size() - off);
            if (n <= 0) break;
            off += static_cast<std::size_t>(n);
        }
        close(p[1]);
    });
    auto r = box->execute({"sha256sum"}, {.stdin_fd = p[0]});
    writer.join();
    close(p[0]);
    EXPECT_EQ(r.exit_code, 0);
    auto hex = [](const std::string& raw) {
        static const char* d = "0123456789abcdef";
        std::string s;
        for (unsigned char ch : raw) s += {d[ch >> 4], d[ch & 15]};
        return s;
    };
    EXPECT_EQ(r.out.substr(0, 64), hex(sha256(data)));

    char path[] = "/tmp/lxdpp-stdin-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    unlink(path);
    ASSERT_EQ(write(fd, "from a file\n", 12), 12);
    lseek(fd, 0, SEEK_SET);
    auto f = box->execute({"cat"}, {.stdin_fd = fd});
    close(fd);
    EXPECT_EQ(f.out, "from a file\n");
    EXPECT_EQ(code_of([&] { box->execute({"cat"}, {.stdin_data = "x", .stdin_fd = 0}); }), lxd::errc::invalid_argument);
}

LXDPP_BOTH_SERVERS(Exec);
