// The request that attaches to an instance's console (src/protocol/console.*): method,
// path, exact body, and the input refused before any I/O.
#include "protocol/console.hpp"

#include <functional>

#include <gtest/gtest.h>

#include "support/code_of.hpp"

using namespace lxd::protocol;
using lxd::errc;
using test_support::code_of;

namespace {
std::string message_of(const std::function<void()>& f) { return test_support::thrown_by(f).diag().detail; }
}  // namespace

TEST(ConsoleRequests, StartSendsTypeAndSize) {
    auto r = console_start("instances", "c1", "console", 132, 43, false);
    EXPECT_EQ(r.method, verb::post);
    EXPECT_EQ(r.path, "/1.0/instances/c1/console");
    EXPECT_TRUE(r.query.empty());
    EXPECT_EQ(r.body, R"({"type":"console","width":132,"height":43})");
    EXPECT_EQ(console_start("containers", "c1", "console", 1, 65535, false).path, "/1.0/containers/c1/console");
}

TEST(ConsoleRequests, ForceIsSentOnlyWhenAsked) {
    EXPECT_EQ(console_start("instances", "c1", "console", 80, 24, true).body, R"({"type":"console","width":80,"height":24,"force":true})");
}

TEST(ConsoleRequests, RefusesVgaOtherTypesSizesAndNames) {
    EXPECT_EQ(code_of([] { (void)console_start("instances", "c1", "vga", 80, 24, false); }), errc::invalid_argument);
    EXPECT_EQ(message_of([] { (void)console_start("instances", "c1", "vga", 80, 24, false); }),
              "console type \"vga\" (a virtual machine's SPICE display) is not supported by lxdpp; only \"console\"");
    EXPECT_EQ(message_of([] { (void)console_start("instances", "c1", "serial", 80, 24, false); }),
              "unknown console type \"serial\" (only \"console\")");
    EXPECT_EQ(code_of([] { (void)console_start("instances", "c1", "", 80, 24, false); }), errc::invalid_argument);
    EXPECT_EQ(message_of([] { (void)console_start("instances", "c1", "console", 0, 24, false); }),
              "console width and height must be 1..65535 (got 0x24)");
    EXPECT_EQ(code_of([] { (void)console_start("instances", "c1", "console", 80, 65536, false); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)console_start("instances", "bad/name", "console", 80, 24, false); }), errc::invalid_argument);
}
