// execute: exact, binary-safe, streaming, concurrent, bounded — against a real daemon.
#include "sandbox.hpp"

#include <dirent.h>
#include <openssl/sha.h>

#include <gtest/gtest.h>

using namespace std::chrono_literals;

namespace {
struct Exec : ::testing::Test {
    static inline lxd::client* c = nullptr;
    static inline lxd::instance* box = nullptr;
    static void SetUpTestSuite() {
        c = new lxd::client(sandbox::unix_client(1));
        box = new lxd::instance(sandbox::make_container(*c, sandbox::unique_name("exec"), true));
    }
    static void TearDownTestSuite() {
        sandbox::remove_leftovers(*c);
        delete box;
        delete c;
    }
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

int open_fds() {
    int n = 0;
    DIR* d = opendir("/proc/self/fd");
    while (readdir(d)) ++n;
    closedir(d);
    return n;
}
}  // namespace

TEST_F(Exec, ExitCodes) {
    EXPECT_EQ(box->execute({"true"}).exit_code, 0);
    EXPECT_EQ(box->execute({"false"}).exit_code, 1);
    EXPECT_EQ(box->execute({"sh", "-c", "exit 42"}).exit_code, 42);
    EXPECT_EQ(box->execute({"sh", "-c", "exit 255"}).exit_code, 255);
    EXPECT_EQ(box->execute({"no-such-command-xyz"}).exit_code, 127);
}

TEST_F(Exec, OutputAndErrorSeparated) {
    auto r = box->execute({"sh", "-c", "echo out; echo err >&2; echo more"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "out\nmore\n");
    EXPECT_EQ(r.err, "err\n");
    EXPECT_FALSE(r.timed_out);
}

TEST_F(Exec, AllByteValuesRoundTrip) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    auto r = box->execute({"cat"}, {.stdin_data = all + all});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, all + all);
    auto invalid_utf8 = box->execute({"printf", "\\377\\376\\000x"});
    EXPECT_EQ(invalid_utf8.out, std::string("\xff\xfe\0x", 4));
}

TEST_F(Exec, SixteenMiBThroughCat) {
    std::string data = repeat_to("stdin-line-0123456789abcdef\n", 16u << 20);
    data[12345] = '\0';
    auto r = box->execute({"cat"}, {.stdin_data = data});
    EXPECT_EQ(r.exit_code, 0);
    ASSERT_EQ(r.out.size(), data.size());
    EXPECT_TRUE(r.out == data);
}

TEST_F(Exec, SixtyFourMiBOnEachStreamConcurrently) {
    const size_t n = 64u << 20;
    auto r = box->execute({"sh", "-c", "yes stdout-abcdefghij | head -c 67108864 & yes stderr-0123456789 | head -c 67108864 >&2; wait"});
    EXPECT_EQ(r.exit_code, 0);
    ASSERT_EQ(r.out.size(), n);
    ASSERT_EQ(r.err.size(), n);
    EXPECT_EQ(sha256(r.out), sha256(repeat_to("stdout-abcdefghij\n", n)));
    EXPECT_EQ(sha256(r.err), sha256(repeat_to("stderr-0123456789\n", n)));
}

TEST_F(Exec, StreamingCallbacksGetEverything) {
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

TEST_F(Exec, EnvironmentCwdUserGroup) {
    auto r = box->execute({"sh", "-c", "echo $FOO; pwd; id -u; id -g"},
                          {.environment = {{"FOO", "bar baz"}}, .cwd = "/tmp", .user = 1234, .group = 5678});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "bar baz\n/tmp\n1234\n5678\n");
}

TEST_F(Exec, OutputJustBeforeExitIsKept) {
    for (int i = 0; i < 20; ++i) {
        auto r = box->execute({"sh", "-c", "printf last-words; exit 3"});
        ASSERT_EQ(r.exit_code, 3);
        ASSERT_EQ(r.out, "last-words") << "run " << i;
    }
}

TEST_F(Exec, FiveHundredRunsLeakNoDescriptors) {
    (void)box->execute({"true"});
    int before = open_fds();
    for (int i = 0; i < 500; ++i) ASSERT_EQ(box->execute({"true"}).exit_code, 0);
    EXPECT_LE(open_fds(), before + 8);   // at most the idle keep-alive pool
}

TEST_F(Exec, ThirtyTwoConcurrentFromOneThread) {
    std::vector<std::shared_future<lxd::exec_result>> runs;
    for (int i = 0; i < 32; ++i) runs.push_back(box->async_execute({"sh", "-c", "sleep 0.2; echo run-" + std::to_string(i)}));
    for (int i = 0; i < 32; ++i) {
        ASSERT_EQ(runs[i].wait_for(60s), std::future_status::ready);
        auto r = runs[i].get();
        EXPECT_EQ(r.exit_code, 0);
        EXPECT_EQ(r.out, "run-" + std::to_string(i) + "\n");
    }
}

TEST_F(Exec, TimeoutKillsAndSaysSo) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = box->execute({"sleep", "600"}, {.timeout = 500ms});
    auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_TRUE(r.timed_out);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_LT(took, 10s);
    EXPECT_EQ(box->execute({"sh", "-c", "pgrep -x sleep || true"}).out, "");
}

TEST_F(Exec, StoppedInstanceAndEmptyArgvAreClearErrors) {
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

TEST_F(Exec, OverHttps) {
    auto h = sandbox::trusted_https_client(1);
    auto inst = h.containers().get(box->name());
    auto r = inst.execute({"sh", "-c", "cat; echo done >&2"}, {.stdin_data = "over tls\n"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "over tls\n");
    EXPECT_EQ(r.err, "done\n");
}
