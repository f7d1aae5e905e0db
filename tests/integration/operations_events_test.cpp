// Operations (wait, cancel, failure, listing) and events, against a real daemon.
#include "sandbox.hpp"

#include <atomic>
#include <gtest/gtest.h>

using namespace std::chrono_literals;

namespace {
struct OperationsEvents : sandbox::server_test {
    lxd::client c = sandbox::unix_client(1);
    void TearDown() override { sandbox::remove_leftovers(c); }
};
}  // namespace

TEST_P(OperationsEvents, WaitedToCompletion) {
    auto name = sandbox::unique_name("op");
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.source = lxd::instance_source::image_alias(sandbox::image());
    auto op = c.containers().create(cfg);
    EXPECT_FALSE(op.id().empty());
    auto done = op.wait(2min);
    EXPECT_EQ(done.code, lxd::api::status_code::success);
    EXPECT_EQ(done.status, "Success");
    EXPECT_TRUE(op.done());
    EXPECT_EQ(c.containers().get(name).status(), "Stopped");
}

TEST_P(OperationsEvents, ProgressCallbackSeesTheFinalState) {
    auto name = sandbox::unique_name("prog");
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.source = lxd::instance_source::image_alias(sandbox::image());
    auto op = c.containers().create(cfg);
    std::mutex mu;
    std::vector<lxd::api::status_code> seen;
    op.on_progress([&](const lxd::api::operation_info& info) {
        std::lock_guard lk(mu);
        seen.push_back(info.code);
    });
    op.wait(2min);
    std::lock_guard lk(mu);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back(), lxd::api::status_code::success);
    for (size_t k = 0; k + 1 < seen.size(); ++k) EXPECT_EQ(seen[k], lxd::api::status_code::running);
}

TEST_P(OperationsEvents, LateWaitStillSeesTheResult) {
    // The server forgets a finished operation after ~5 s; the handle must not care.
    auto name = sandbox::unique_name("late");
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.source = lxd::instance_source::none();
    auto op = c.containers().create(cfg);
    std::this_thread::sleep_for(7s);
    EXPECT_EQ(op.wait(1s).code, lxd::api::status_code::success);
}

TEST_P(OperationsEvents, FailureCarriesTheServersMessage) {
    auto name = sandbox::unique_name("fail");
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.source = lxd::instance_source::image_alias("no-such-image-alias");
    try {
        c.containers().create(cfg).wait(1min);
        FAIL() << "created from a missing image";
    } catch (const lxd::error& e) {
        if (sandbox::on_incus()) {
            // Incus 6.0 answers the wait of a failed operation with an HTTP 500 error: lxdpp
            // reports it as the failed operation it is, with the operation's id.
            EXPECT_EQ(e.code_value(), lxd::errc::operation_failed) << e.what();
            EXPECT_EQ(e.server_message(), "Image not provided for instance creation");
            EXPECT_FALSE(e.operation_id().empty()) << e.what();
        } else {
            // LXD refuses this either at once (404) or in the operation; either way its words.
            EXPECT_TRUE(e.code_value() == lxd::errc::not_found || e.code_value() == lxd::errc::operation_failed) << e.what();
            EXPECT_FALSE(e.server_message().empty()) << e.what();
        }
    }
    EXPECT_FALSE(c.containers().exists(name));
}

TEST_P(OperationsEvents, CancelATokenOperation) {
    auto op = c.create_certificate_token("lxdpp-cancel-test");
    EXPECT_FALSE(op.done());
    auto listed = c.operations();
    bool found = false;
    for (auto& o : listed) found |= o.id == op.id();
    EXPECT_TRUE(found);
    op.cancel();
    try {
        op.wait(30s);
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::operation_cancelled);
        EXPECT_EQ(e.operation_id(), op.id());
    }
    // The revoked token cannot be used.
    auto token = lxd::client::token_from_operation(op.info());
    auto other = sandbox::untrusted_https_client(1);
    EXPECT_THROW(other.authenticate(token), lxd::error);
    EXPECT_FALSE(other.trusted());
}

TEST_P(OperationsEvents, CancelRefusedForTasksWithTheServersMessage) {
    auto name = sandbox::unique_name("nc");
    auto inst = sandbox::make_container(c, name, false);
    auto op = inst.start();
    try {
        op.cancel();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::bad_request);
        EXPECT_FALSE(e.server_message().empty());
    }
    op.wait(1min);
}

TEST_P(OperationsEvents, WaitTimeoutLeavesOperationRunning) {
    auto op = c.create_certificate_token("lxdpp-wait-timeout");
    auto t0 = std::chrono::steady_clock::now();
    try {
        op.wait(300ms);
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::timeout);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
    EXPECT_FALSE(op.done());
    op.cancel();
    EXPECT_THROW(op.wait(30s), lxd::error);
    EXPECT_TRUE(op.done());
}

TEST_P(OperationsEvents, AsyncWaitOfManyOperationsFromOneThread) {
    std::vector<lxd::operation> ops;
    std::vector<std::string> names;
    for (int i = 0; i < 5; ++i) {
        names.push_back(sandbox::unique_name("many"));
        lxd::instance_create cfg;
        cfg.name = names.back();
        cfg.source = lxd::instance_source::image_alias(sandbox::image());
        ops.push_back(c.containers().create(cfg));
    }
    for (auto& op : ops) {
        auto f = op.async_wait();
        ASSERT_EQ(f.wait_for(2min), std::future_status::ready);
        EXPECT_EQ(f.get().code, lxd::api::status_code::success);
    }
    for (auto& n : names) EXPECT_TRUE(c.containers().exists(n));
}

TEST_P(OperationsEvents, LifecycleEventsForARealAction) {
    auto stream = c.events({.types = {"lifecycle"}});
    auto name = sandbox::unique_name("ev");
    auto inst = sandbox::make_container(c, name, true);
    std::vector<std::string> actions;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
        auto ev = stream.next(5s);
        if (!ev) continue;
        EXPECT_EQ(ev->type, "lifecycle");
        if (ev->source.find(name) == std::string::npos) continue;
        actions.push_back(ev->action);
        if (ev->action == "instance-started") break;
    }
    ASSERT_FALSE(actions.empty());
    EXPECT_EQ(actions.front(), "instance-created");
    EXPECT_EQ(actions.back(), "instance-started");
    stream.close();
    EXPECT_THROW(stream.next(10ms), lxd::error);
}

TEST_P(OperationsEvents, CallbackSubscriptionAndOperationEvents) {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::string> seen_ops;
    auto sub = c.subscribe({.types = {"operation"}}, [&](const lxd::api::event& ev) {
        std::lock_guard lk(mu);
        seen_ops.push_back(ev.metadata_json);
        cv.notify_all();
    });
    auto name = sandbox::unique_name("evcb");
    auto inst = sandbox::make_container(c, name, false);
    std::unique_lock lk(mu);
    ASSERT_TRUE(cv.wait_for(lk, 10s, [&] { return !seen_ops.empty(); }));
    bool mentions = false;
    for (auto& s : seen_ops) mentions |= s.find(name) != std::string::npos;
    EXPECT_TRUE(mentions);
}

TEST_P(OperationsEvents, EventsOverHttps) {
    auto h = sandbox::trusted_https_client(1);
    auto stream = h.events({.types = {"lifecycle"}});
    auto name = sandbox::unique_name("evh");
    sandbox::make_container(c, name, false);
    bool created = false;
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!created && std::chrono::steady_clock::now() < deadline) {
        auto ev = stream.next(2s);
        created = ev && ev->action == "instance-created" && ev->source.find(name) != std::string::npos;
    }
    EXPECT_TRUE(created);
}

TEST_P(OperationsEvents, SynchronousCallFromACallbackIsRefused) {
    std::atomic<int> code{-1};
    std::promise<void> done;
    auto sub = c.subscribe({.types = {"lifecycle"}}, [&](const lxd::api::event&) {
        if (code != -1) return;
        try {
            (void)c.host_info();
            code = 0;
        } catch (const lxd::error& e) {
            code = static_cast<int>(e.code_value());
        }
        done.set_value();
    });
    sandbox::make_container(c, sandbox::unique_name("cb"), false);
    ASSERT_EQ(done.get_future().wait_for(20s), std::future_status::ready);
    EXPECT_EQ(code, static_cast<int>(lxd::errc::invalid_argument));
}

LXDPP_BOTH_SERVERS(OperationsEvents);
