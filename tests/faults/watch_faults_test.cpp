// Hostile or broken servers under the two long-lived readers: the operation watcher (its
// /wait long-polls) and the event stream (its websocket).
#include "fault_server.hpp"
#include "support/code_of.hpp"

#include <lxd/lxd.hpp>

#include <gtest/gtest.h>

#include <sys/socket.h>

using namespace std::chrono_literals;
using faults::fault_server;
using test_support::code_of;
using steady = std::chrono::steady_clock;

namespace {
const std::string server_info =
    R"({"api_version":"1.0","auth":"trusted","api_extensions":["instances"],"environment":{"server":"lxd","server_version":"9.9"}})";

std::string op_json(const std::string& status, int code) {
    return R"({"id":"op1","class":"task","status":")" + status + R"(","status_code":)" + std::to_string(code) +
           R"(,"metadata":null,"may_cancel":false,"err":""})";
}

// GET /1.0, then POST /1.0/instances starts operation op1; each /wait is answered at once
// with `answer(n)` (n counts the waits from 1). Counts the waits.
struct operation_server {
    std::atomic<int> waits{0};
    std::function<std::string(int)> answer;
    fault_server s{[this](int fd, int) {
        std::string req;
        while (s.read_request(fd, &req)) {
            if (req.rfind("GET /1.0/operations/op1/wait", 0) == 0) {
                int n = ++waits;
                fault_server::write_all(fd, fault_server::sync_response(answer(n)));
            } else if (req.rfind("POST /1.0/instances", 0) == 0) {
                fault_server::write_all(fd, fault_server::async_response("op1", op_json("Running", 103)));
            } else {
                fault_server::write_all(fd, fault_server::sync_response(server_info));
            }
        }
    }};
};

lxd::operation create_one(lxd::client& c) {
    lxd::instance_create cfg;
    cfg.name = "c1";
    return c.instances().create(cfg);
}
}  // namespace

// The server answers /wait at once with "Running". The watcher backs off 50, 100, 200, 400,
// 800 ms ... (capped at 2 s): waits at 0, 0.05, 0.15, 0.35, 0.75, 1.55, 3.15 s. When wait()
// has given up and the handle is gone, it stops asking.
TEST(WatchFaults, WaitAnsweredAtOnceBacksOffAndStopsWithTheWaiter) {
    operation_server srv;
    srv.answer = [](int) { return op_json("Running", 103); };
    auto c = lxd::client::connect_unix(srv.s.path());
    auto t0 = steady::now();
    {
        auto op = create_one(c);
        EXPECT_EQ(code_of([&] { (void)op.wait(2500ms); }), lxd::errc::timeout);
        EXPECT_EQ(srv.waits.load(), 6);
    }
    std::this_thread::sleep_until(t0 + 3600ms);   // past the seventh wait's time (3.15 s)
    EXPECT_EQ(srv.waits.load(), 6);
}

// A future from async_wait() outlives the handle: the watcher goes on until the end.
TEST(WatchFaults, AsyncWaitFutureKeepsTheWatcherAfterTheHandleIsGone) {
    operation_server srv;
    srv.answer = [](int n) { return n < 3 ? op_json("Running", 103) : op_json("Success", 200); };
    auto c = lxd::client::connect_unix(srv.s.path());
    std::shared_future<lxd::api::operation_info> f = create_one(c).async_wait();
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(f.get().code, lxd::api::status_code::success);
    EXPECT_EQ(srv.waits.load(), 3);
}

namespace {
const std::string event_json =
    R"({"type":"lifecycle","timestamp":"2026-01-01T00:00:00Z","project":"default","metadata":{"action":"instance-started","source":"/1.0/instances/c1"}})";

// Answers GET /1.0 if asked, then upgrades the event request and runs `ws(fd)`.
struct event_server {
    std::function<void(int)> ws;
    std::atomic<bool> release{false};
    fault_server s{[this](int fd, int) {
        if (!s.accept_websocket(fd)) return;
        ws(fd);
        while (!release) std::this_thread::sleep_for(5ms);
    }};
    ~event_server() { release = true; }
};
}  // namespace

// TCP stays open, nothing comes and pings go unanswered: next() ends with connection_lost
// at the idle limit instead of waiting forever.
TEST(WatchFaults, StalledEventStreamIsConnectionLostAtTheIdleLimit) {
    event_server srv;
    srv.ws = [](int) {};
    auto c = lxd::client::connect_unix(srv.s.path());
    auto events = c.events({.idle_limit = 600ms});
    auto t0 = steady::now();
    try {
        (void)events.next(10s);
        ADD_FAILURE() << "next() returned";
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::connection_lost);
        EXPECT_NE(std::string(e.what()).find("idle limit"), std::string::npos) << e.what();
    }
    auto took = steady::now() - t0;
    EXPECT_GE(took, 550ms);
    EXPECT_LT(took, 1500ms);
}

// A quiet server that answers pings keeps the stream alive well past the idle limit, and
// it was pinged (a ping at half the limit each time).
TEST(WatchFaults, QuietStreamThatAnswersPingsStaysOpen) {
    std::atomic<int> pings{0};
    event_server srv;
    srv.ws = [&](int fd) {
        int op;
        std::string payload;
        while (fault_server::ws_read(fd, &op, &payload)) {
            if (op == 9) {
                ++pings;
                fault_server::ws_send(fd, 10, payload);
            }
            if (pings == 4) {
                fault_server::ws_send(fd, 1, event_json);
                return;
            }
        }
    };
    auto c = lxd::client::connect_unix(srv.s.path());
    auto events = c.events({.idle_limit = 400ms});
    auto ev = events.next(5s);   // four pings, 200 ms apart, then the event
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->action, "instance-started");
    EXPECT_EQ(pings.load(), 4);
}

// Garbage while TCP stays open: the events before it are delivered, then protocol_error.
TEST(WatchFaults, FrameThatIsNotAnEventEndsTheStreamWithProtocolError) {
    event_server srv;
    srv.ws = [](int fd) {
        fault_server::ws_send(fd, 1, event_json);
        fault_server::ws_send(fd, 1, "this is not JSON");
        fault_server::ws_send(fd, 1, event_json);
    };
    auto c = lxd::client::connect_unix(srv.s.path());
    auto events = c.events();
    auto ev = events.next(5s);
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->source, "/1.0/instances/c1");
    EXPECT_EQ(code_of([&] { (void)events.next(5s); }), lxd::errc::protocol_error);
}

TEST(WatchFaults, BinaryFrameEndsTheStreamWithProtocolError) {
    event_server srv;
    srv.ws = [](int fd) { fault_server::ws_send(fd, 2, event_json); };
    auto c = lxd::client::connect_unix(srv.s.path());
    auto events = c.events();
    EXPECT_EQ(code_of([&] { (void)events.next(5s); }), lxd::errc::protocol_error);
}

// The callback face gets the same end through on_error.
TEST(WatchFaults, StalledSubscriptionCallsOnErrorWithConnectionLost) {
    event_server srv;
    srv.ws = [](int) {};
    auto c = lxd::client::connect_unix(srv.s.path());
    std::promise<lxd::errc> got;
    auto sub = c.subscribe({.idle_limit = 300ms}, [](const lxd::api::event&) {},
                           [&](const std::exception_ptr& e) { got.set_value(code_of([&] { std::rethrow_exception(e); })); });
    auto f = got.get_future();
    ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(f.get(), lxd::errc::connection_lost);
}

TEST(WatchFaults, IdleLimitMustBePositive) {
    event_server srv;
    srv.ws = [](int) {};
    auto c = lxd::client::connect_unix(srv.s.path());
    EXPECT_EQ(code_of([&] { (void)c.events({.idle_limit = 0ms}); }), lxd::errc::invalid_argument);
}
