// instance::console(): a running container's console over its websockets, against both
// servers. The test image has no getty on the console: what comes back is the echo of what
// was typed (the console's terminal echoes), which then is in the console log.
#include "sandbox.hpp"
#include "shared_box.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <lxd/console.hpp>

#include "support/code_of.hpp"

using namespace std::chrono_literals;
using test_support::code_of;

namespace {
struct Console : sandbox::shared_box_test<Console> {
    static constexpr const char* box_prefix = "con";
};

/// Reads until `needle` is in what came (returned); fails the test if the output ends or the
/// deadline passes first.
std::string read_until(lxd::console_session& s, const std::string& needle, std::chrono::seconds within) {
    std::string seen;
    auto deadline = std::chrono::steady_clock::now() + within;
    while (seen.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        auto chunk = s.read(200ms);
        if (chunk && chunk->empty()) {
            ADD_FAILURE() << "the console's output ended before " << needle << "; got: " << seen;
            return seen;
        }
        if (chunk) seen += *chunk;
    }
    EXPECT_NE(seen.find(needle), std::string::npos) << "no " << needle << " within " << within.count() << " s; got: " << seen;
    return seen;
}

/// The server attaches the console some time after the websockets are connected, and what
/// is typed before is discarded: type numbered probes, one a second, until one is echoed
/// (60 s at most), then a last marker, so that every echo before it has been read.
void wait_attached(lxd::console_session& s) {
    auto deadline = std::chrono::steady_clock::now() + 60s;
    std::string seen;
    for (int i = 0; seen.find("probe") == std::string::npos; ++i) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the console echoed nothing within 60 s";
        s.write("probe" + std::to_string(i) + "\r");
        auto until = std::chrono::steady_clock::now() + 1s;
        while (std::chrono::steady_clock::now() < until) {
            auto chunk = s.read(100ms);
            ASSERT_TRUE(!chunk || !chunk->empty()) << "the console's output ended: " << seen;
            if (chunk) seen += *chunk;
        }
    }
    s.write("synced\r");
    read_until(s, "synced\r\r\r\n", 30s);
}

/// Reads what remains until the output ends (within 30 s).
std::string read_to_end(lxd::console_session& s) {
    std::string rest;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
        auto chunk = s.read(200ms);
        if (chunk && chunk->empty()) return rest;
        if (chunk) rest += *chunk;
    }
    ADD_FAILURE() << "the console's output did not end within 30 s; got: " << rest;
    return rest;
}
}  // namespace

TEST_P(Console, TypedLineIsEchoedAndInTheLogAfterDetach) {
    auto s = box->console({.width = 100, .height = 30});
    wait_attached(s);
    if (HasFatalFailure()) return;
    s.write("hello console\r");
    auto echo = read_until(s, "hello console\r\r\r\n", 30s);
    EXPECT_EQ(echo, "hello console\r\r\r\n");
    s.detach(30s);
    EXPECT_TRUE(s.done());
    // The output ends (read_to_end fails otherwise). What comes last varies: LXD writes
    // "\n\r"; the console's echo of the reset the server writes to it may come or not.
    (void)read_to_end(s);
    auto log = box->console_log();
    EXPECT_NE(log.find("hello console\r\n"), std::string::npos) << log;
    EXPECT_NE(log.find("synced\r\n"), std::string::npos) << log;
}

TEST_P(Console, AStoppedInstanceIsRefused) {
    auto stopped = sandbox::make_container(*c, sandbox::unique_name("constop"), false);
    auto e = test_support::thrown_by([&] { (void)stopped.console(); });
    EXPECT_EQ(e.code_value(), lxd::errc::bad_request) << e.what();
    EXPECT_EQ(e.server_message(), "Instance is not running");
}

TEST_P(Console, VgaAndBadSizesAreRefusedBeforeAnyRequest) {
    EXPECT_EQ(code_of([] { (void)box->console({.type = "vga"}); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)box->console({.width = 0}); }), lxd::errc::invalid_argument);
}

TEST_P(Console, ASecondConsole) {
    auto first = box->console();
    wait_attached(first);
    if (HasFatalFailure()) return;
    if (sandbox::on_incus()) {
        // Incus lets one client hold the console; force takes it over, and the first one ends.
        auto e = test_support::thrown_by([] { (void)box->console(); });
        EXPECT_EQ(e.code_value(), lxd::errc::server_error) << e.what();
        EXPECT_EQ(e.http_status(), 500);
        EXPECT_EQ(e.server_message(), "This console is already connected. Force is required to take it over.");
        auto second = box->console({.force = true});
        read_to_end(first);
        auto deadline = std::chrono::steady_clock::now() + 30s;
        while (!first.done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(100ms);
        EXPECT_TRUE(first.done());
        wait_attached(second);
        if (HasFatalFailure()) return;
        second.detach(30s);
    } else {
        // LXD 5.0 does not refuse a second console (attaching it may fail later, in the
        // output: "Error: Failed running forkconsole: ..."). It is not opened here: once in
        // CI, LXD 5.0.2's daemon died while a second console, dropped at once, was being
        // set up (docs/networks.md); this test must not take the shared daemon down.
        first.detach(30s);
        EXPECT_TRUE(first.done());
    }
}

LXDPP_BOTH_SERVERS(Console);
