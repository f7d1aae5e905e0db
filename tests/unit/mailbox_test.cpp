// detail::mailbox: the hand-off that operations, event streams and exec sessions share.
#include "detail/mailbox.hpp"

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

using lxd::detail::mailbox;
using namespace std::chrono_literals;

TEST(Mailbox, ValuesComeOutInOrder) {
    mailbox<std::string> m;
    EXPECT_TRUE(m.push("a"));
    EXPECT_TRUE(m.push("b"));
    EXPECT_EQ(m.pop(0ms), "a");
    EXPECT_EQ(m.pop(0ms), "b");
    EXPECT_EQ(m.pop(0ms), std::nullopt);
    EXPECT_FALSE(m.closed());
}

TEST(Mailbox, PopTimesOutAtItsDeadline) {
    mailbox<int> m;
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(m.pop(50ms), std::nullopt);
    auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(took, 50ms);
    EXPECT_LT(took, 5s);
    EXPECT_FALSE(m.closed());
}

TEST(Mailbox, CloseLetsTheQueuedBeTakenThenEnds) {
    mailbox<int> m;
    m.push(1);
    EXPECT_TRUE(m.close());
    EXPECT_FALSE(m.push(2));   // dropped: closed
    EXPECT_EQ(m.pop(0ms), 1);
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(m.pop(10s), std::nullopt);   // closed and drained: at once, not at the deadline
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    EXPECT_TRUE(m.closed());
    EXPECT_EQ(m.failure(), nullptr);
    EXPECT_NO_THROW(m.rethrow_failure());
}

TEST(Mailbox, TheFirstCloseWinsWithItsFailure) {
    mailbox<int> m;
    EXPECT_TRUE(m.close(std::make_exception_ptr(std::runtime_error("first"))));
    EXPECT_FALSE(m.close(std::make_exception_ptr(std::runtime_error("second"))));
    EXPECT_FALSE(m.close());
    try {
        m.rethrow_failure();
        FAIL() << "no failure kept";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "first");
    }
}

TEST(Mailbox, ACloseWithoutFailureIsKeptOverALaterFailure) {
    mailbox<int> m;
    m.close();
    m.close(std::make_exception_ptr(std::runtime_error("late")));
    EXPECT_EQ(m.failure(), nullptr);
}

TEST(Mailbox, WaitClosedWithAndWithoutDeadline) {
    mailbox<int> m;
    m.push(1);
    EXPECT_FALSE(m.wait_closed(std::chrono::steady_clock::now() + 20ms));   // values are not the end
    std::thread closer([&] {
        std::this_thread::sleep_for(20ms);
        m.close();
    });
    EXPECT_TRUE(m.wait_closed());
    closer.join();
    EXPECT_TRUE(m.wait_closed(std::chrono::steady_clock::now()));
    EXPECT_EQ(m.pop(0ms), 1);   // still there after the close
}

TEST(Mailbox, StopTokenEndsAPop) {
    mailbox<int> m;
    std::stop_source stop;
    std::thread stopper([&] {
        std::this_thread::sleep_for(20ms);
        stop.request_stop();
    });
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(m.pop(stop.get_token(), std::chrono::steady_clock::now() + 30s), std::nullopt);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
    stopper.join();
    EXPECT_FALSE(m.closed());
    m.push(3);
    EXPECT_EQ(m.pop(stop.get_token(), std::chrono::steady_clock::now()), 3);   // a value is still taken
}

TEST(Mailbox, HugeTimeoutsDoNotOverflow) {
    mailbox<int> m;
    m.push(7);
    EXPECT_EQ(m.pop(std::chrono::milliseconds::max()), 7);
    EXPECT_EQ(mailbox<int>::deadline_after(std::chrono::milliseconds::max()), std::chrono::steady_clock::time_point::max());
    EXPECT_EQ(mailbox<int>::deadline_after(std::chrono::hours::max()), std::chrono::steady_clock::time_point::max());
    std::thread closer([&] {
        std::this_thread::sleep_for(20ms);
        m.close();
    });
    EXPECT_EQ(m.pop(std::chrono::milliseconds::max()), std::nullopt);   // waits, then sees the close
    closer.join();
    EXPECT_TRUE(m.wait_closed(std::chrono::steady_clock::time_point::max()));
}

// Several producers and consumers at once (run under TSan in the tsan preset): every value
// pushed before the close is taken exactly once, and every consumer sees the end.
TEST(Mailbox, ConcurrentProducersAndConsumers) {
    mailbox<int> m;
    constexpr int producers = 4, consumers = 3, each = 2000;
    std::vector<std::atomic<int>> seen(producers * each);
    std::atomic<int> ended{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < consumers; ++c)
        threads.emplace_back([&] {
            for (;;) {
                auto v = m.pop(10s);
                if (!v) {
                    if (m.closed()) break;
                    continue;
                }
                seen[static_cast<std::size_t>(*v)]++;
            }
            ended++;
        });
    std::vector<std::thread> pushers;
    for (int p = 0; p < producers; ++p)
        pushers.emplace_back([&, p] {
            for (int i = 0; i < each; ++i) EXPECT_TRUE(m.push(p * each + i));
        });
    for (auto& t : pushers) t.join();
    m.close(std::make_exception_ptr(std::runtime_error("end")));
    for (auto& t : threads) t.join();
    EXPECT_EQ(ended.load(), consumers);
    for (std::size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i].load(), 1) << "value " << i;
    EXPECT_THROW(m.rethrow_failure(), std::runtime_error);
}

// A reader's end is "closed and nothing left" (drained), not "closed": a value pushed after
// a pop came back empty but before the close must still be read (exec output, events).
TEST(Mailbox, DrainedOnlyWhenClosedAndEmpty) {
    mailbox<std::string> m;
    EXPECT_EQ(m.pop(0ms), std::nullopt);   // the reader's pop times out...
    m.push("late");                        // ...then the last value and the close arrive
    m.close();
    EXPECT_TRUE(m.closed());
    EXPECT_FALSE(m.drained());
    EXPECT_EQ(m.pop(0ms), "late");
    EXPECT_TRUE(m.drained());
    EXPECT_FALSE(m.push("after"));
    EXPECT_TRUE(m.drained());
}

TEST(Mailbox, AReaderThatStopsAtDrainedGetsEveryValue) {
    for (int round = 0; round < 200; ++round) {
        mailbox<int> m;
        std::thread writer([&] {
            for (int i = 0; i < 50; ++i) m.push(i);
            m.close();
        });
        std::vector<int> got;
        for (;;) {   // the shape of exec_session::read and event_stream::next
            if (auto v = m.pop(0ms)) {
                got.push_back(*v);
                continue;
            }
            if (m.drained()) break;
        }
        writer.join();
        ASSERT_EQ(got.size(), 50u) << "round " << round;
        for (int i = 0; i < 50; ++i) ASSERT_EQ(got[static_cast<std::size_t>(i)], i);
    }
}
