// Migration and copy between the two sandbox daemons: relay (Unix socket source), pull and
// push (HTTPS to HTTPS); failures leave the source intact.
#include "sandbox.hpp"
#include "support/code_of.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using test_support::code_of;

namespace {
struct Migrate : ::testing::Test {
    lxd::client u1 = sandbox::unix_client(1);
    lxd::client u2 = sandbox::unix_client(2);
    void TearDown() override {
        sandbox::remove_leftovers(u1);
        sandbox::remove_leftovers(u2);
    }
    /// A stopped container with custom config, a file and two snapshots.
    lxd::instance prepare(lxd::client& on, const std::string& name) {
        auto box = sandbox::make_container(on, name, true);
        box.files().put("/root/payload", "moved intact\n");
        box.snapshots().create("s1").wait(1min);
        box.snapshots().create("s2").wait(1min);
        box.stop({.force = true}).wait(1min);
        box.refresh();
        box.set_config("user.origin", "lxdpp-test").save();
        return box;
    }
    void expect_arrived(lxd::client& target, const std::string& name, std::size_t snapshots) {
        ASSERT_TRUE(target.containers().exists(name));
        auto moved = target.containers().get(name);
        EXPECT_EQ(moved.config().at("user.origin"), "lxdpp-test");
        EXPECT_EQ(moved.snapshots().all().size(), snapshots);
        moved.start().wait(1min);
        EXPECT_EQ(moved.files().get("/root/payload").data, "moved intact\n");
    }
};
}  // namespace

TEST_F(Migrate, RelayFromUnixSocketToHttps) {
    auto name = sandbox::unique_name("mrelay");
    auto box = prepare(u1, name);
    auto h2 = sandbox::trusted_https_client(2);
    box.migrate(h2).wait(5min);
    EXPECT_FALSE(u1.containers().exists(name));
    expect_arrived(u2, name, 2);
    EXPECT_NE(sandbox::lxc("list d2: --format csv -c n").find(name), std::string::npos);
}

TEST_F(Migrate, PullBetweenHttpsServers) {
    auto h1 = sandbox::trusted_https_client(1);
    auto h2 = sandbox::trusted_https_client(2);
    auto name = sandbox::unique_name("mpull");
    prepare(u1, name);
    auto box = h1.containers().get(name);
    box.migrate(h2, {.mode = lxd::migration_mode::pull}).wait(5min);
    EXPECT_FALSE(u1.containers().exists(name));
    expect_arrived(u2, name, 2);
}

TEST_F(Migrate, PullWithAProjectScopedClient) {
    // The operation URL handed to the target must not carry ?project= (the target appends
    // "/websocket" to it as a string).
    auto h1 = sandbox::trusted_https_client(1).use_project("default");
    auto h2 = sandbox::trusted_https_client(2).use_project("default");
    auto name = sandbox::unique_name("mproj");
    prepare(u1, name);
    h1.containers().get(name).migrate(h2, {.mode = lxd::migration_mode::pull}).wait(5min);
    EXPECT_FALSE(u1.containers().exists(name));
    expect_arrived(u2, name, 2);
}

TEST_F(Migrate, PushBetweenHttpsServers) {
    auto h1 = sandbox::trusted_https_client(1);
    auto h2 = sandbox::trusted_https_client(2);
    auto name = sandbox::unique_name("mpush");
    prepare(u1, name);
    auto box = h1.containers().get(name);
    box.migrate(h2, {.mode = lxd::migration_mode::push, .new_name = name + "-b"}).wait(5min);
    EXPECT_FALSE(u1.containers().exists(name));
    expect_arrived(u2, name + "-b", 2);
}

TEST_F(Migrate, CopyLocallyAndRemotelyInstanceOnly) {
    auto name = sandbox::unique_name("mcopy");
    auto box = prepare(u1, name);
    box.copy(u1, {.new_name = name + "-c"}).wait(2min);
    EXPECT_TRUE(u1.containers().exists(name));
    expect_arrived(u1, name + "-c", 2);
    auto h2 = sandbox::trusted_https_client(2);
    box.copy(h2, {.instance_only = true}).wait(5min);
    EXPECT_TRUE(u1.containers().exists(name));
    expect_arrived(u2, name, 0);
    EXPECT_EQ(code_of([&] { (void)box.copy(u1); }), lxd::errc::invalid_argument);
}

TEST_F(Migrate, TakenNameFailsAndSourceStaysIntact) {
    auto name = sandbox::unique_name("mtaken");
    auto box = prepare(u1, name);
    sandbox::make_container(u2, name, false);   // the name is taken on the target
    auto h2 = sandbox::trusted_https_client(2);
    try {
        box.migrate(h2).wait(5min);
        FAIL() << "migrated onto a taken name";
    } catch (const lxd::error& e) {
        EXPECT_FALSE(e.server_message().empty()) << e.what();
    }
    ASSERT_TRUE(u1.containers().exists(name));
    auto still = u1.containers().get(name);
    EXPECT_EQ(still.config().at("user.origin"), "lxdpp-test");
    EXPECT_EQ(still.snapshots().all().size(), 2u);
}

TEST_F(Migrate, LiveMigrationReportsCriuAndKeepsTheSource) {
    auto name = sandbox::unique_name("mlive");
    auto box = sandbox::make_container(u1, name, true);
    auto h1 = sandbox::trusted_https_client(1);
    auto h2 = sandbox::trusted_https_client(2);
    auto src = h1.containers().get(name);
    try {
        src.migrate(h2, {.live = true, .mode = lxd::migration_mode::pull}).wait(5min);
        FAIL() << "live migration succeeded without CRIU";
    } catch (const lxd::error& e) {
        EXPECT_FALSE(e.server_message().empty()) << e.what();
    }
    ASSERT_TRUE(u1.containers().exists(name));
    EXPECT_EQ(u1.containers().get(name).status(), "Running");
}
