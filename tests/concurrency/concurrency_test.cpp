// Eight threads share one client and mix every kind of call against the sandbox daemon:
// listing, reads, exec (websockets and recorded output), file round trips and operation
// waits (sync and async). Run in the release and ASan builds, and under ThreadSanitizer in
// the tsan preset, where any report fails it (halt_on_error=1).
#include "integration/sandbox.hpp"

#include <lxd/lxd.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {
constexpr int threads = 8;
constexpr int rounds = 6;   // each thread does every kind of call once
}  // namespace

struct Concurrency : sandbox::server_test {};

TEST_P(Concurrency, EightThreadsShareOneClientForMixedCalls) {
    auto c = sandbox::unix_client(1);
    sandbox::remove_leftovers(c);
    const auto name = sandbox::unique_name("conc");
    (void)sandbox::make_container(c, name, true);

    std::atomic<int> done{0};
    std::vector<std::string> failures(threads);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            auto fail = [&](const std::string& what) { failures[t] += what + "\n"; };
            try {
                for (int k = 0; k < rounds; ++k) {
                    const std::string tag = "t" + std::to_string(t) + "-" + std::to_string(k);
                    switch ((t + k) % rounds) {
                    case 0: {
                        auto all = c.containers().all();
                        if (std::none_of(all.begin(), all.end(), [&](auto& i) { return i.name() == name; }))
                            fail(tag + ": list lacks " + name);
                        break;
                    }
                    case 1:
                        if (auto s = c.containers().get(name).status(); s != "Running") fail(tag + ": status " + s);
                        break;
                    case 2: {
                        auto r = c.containers().get(name).execute({"sh", "-c", "exit " + std::to_string(10 + t)});
                        if (r.exit_code != 10 + t) fail(tag + ": exit " + std::to_string(r.exit_code));
                        break;
                    }
                    case 3: {
                        auto r = c.containers().get(name).execute({"echo", tag}, {.record_output = true});
                        if (r.exit_code != 0 || r.out != tag + "\n") fail(tag + ": recorded '" + r.out + "'");
                        break;
                    }
                    case 4: {
                        auto f = c.containers().get(name).files();
                        const std::string path = "/tmp/" + tag;
                        const std::string body = tag + std::string(4096 * (t + 1), static_cast<char>('a' + t));
                        f.put(path, body, {.mode = 0640});
                        auto got = f.get(path);
                        if (got.data != body) fail(tag + ": file came back with " + std::to_string(got.data.size()) + " bytes");
                        if (got.info.mode != 0640) fail(tag + ": mode " + std::to_string(got.info.mode));
                        f.remove(path);
                        break;
                    }
                    case 5: {
                        // Operations waited for both ways: a container of this thread's own
                        // (LXD 5.0 refuses concurrent snapshots of one instance, and freezes
                        // a running one while it snapshots).
                        lxd::instance_create cfg;
                        cfg.name = name + "-" + std::to_string(t);
                        cfg.source = lxd::instance_source::image_alias(sandbox::image());
                        auto created = c.containers().create(cfg).async_wait();
                        if (created.wait_for(120s) != std::future_status::ready) {
                            fail(tag + ": not created in 120 s");
                            break;
                        }
                        (void)created.get();
                        c.containers().get(cfg.name).rename(cfg.name + "r").wait(120s);
                        c.containers().get(cfg.name + "r").remove().wait(std::chrono::minutes(2));
                        break;
                    }
                    }
                }
            } catch (const std::exception& e) {
                fail(std::string("exception: ") + e.what());
            }
            ++done;
        });
    }
    for (auto& th : pool) th.join();
    EXPECT_EQ(done.load(), threads);
    for (int t = 0; t < threads; ++t) EXPECT_EQ(failures[t], "") << "thread " << t;
    auto all = c.containers().all();
    EXPECT_EQ(std::count_if(all.begin(), all.end(), [&](auto& i) { return i.name().starts_with(name); }), 1);
    c.containers().get(name).remove(true).wait(std::chrono::minutes(2));
}

// The daemon answers the stream's pings: a quiet event stream outlives several idle limits
// (a ping every 500 ms here) without an error.
TEST_P(Concurrency, QuietEventStreamOfTheDaemonOutlivesItsIdleLimit) {
    auto c = sandbox::unix_client(1);
    auto events = c.events({.types = {"lifecycle"}, .idle_limit = 1s});
    const auto until = std::chrono::steady_clock::now() + 3500ms;
    for (auto now = std::chrono::steady_clock::now(); now < until; now = std::chrono::steady_clock::now())
        (void)events.next(std::chrono::duration_cast<std::chrono::milliseconds>(until - now));
}

// Every case against LXD and Incus (Concurrency.Case/lxd, /incus).
LXDPP_BOTH_SERVERS(Concurrency);
