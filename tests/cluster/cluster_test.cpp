// A real three-member cluster (scripts/sandbox cluster): placement, locations, forwarding,
// moves between members, evacuation, unknown members, and a dead member. The tests run in
// file order in one process; the last one kills member 3.
#include "integration/sandbox.hpp"
#include "support/code_of.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

using namespace std::chrono_literals;
using test_support::code_of;

namespace {

std::string cluster_socket(int k) { return sandbox::env("LXDPP_TEST_CLUSTER_SOCKET_" + std::to_string(k)); }

lxd::client member(int k) { return lxd::client::connect_unix(cluster_socket(k)); }

lxd::instance launch_on(lxd::client& c, const std::string& node, const std::string& name, bool start) {
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.source = lxd::instance_source::image_alias(sandbox::image());
    cfg.start = start;
    c.use_target(node).containers().create(cfg).wait(3min);
    return c.containers().get(name);
}

struct Cluster : ::testing::Test {
    lxd::client c1 = member(1);
    void TearDown() override { sandbox::remove_leftovers(c1); }
};

}  // namespace

TEST_F(Cluster, MembersAreTyped) {
    auto info = c1.cluster().info();
    EXPECT_TRUE(info.enabled);
    EXPECT_EQ(info.server_name, "node1");
    auto members = c1.cluster().members();
    ASSERT_EQ(members.size(), 3u);
    for (int k = 1; k <= 3; ++k) {
        auto& m = members[k - 1];
        EXPECT_EQ(m.name(), "node" + std::to_string(k));
        EXPECT_EQ(m.url(), "https://127.0.0.1" + std::to_string(k) + ":8443");
        EXPECT_EQ(m.status(), "Online");
        EXPECT_EQ(m.message(), "Fully operational");
        EXPECT_FALSE(m.architecture().empty());
        EXPECT_EQ(m.failure_domain(), "default");
    }
    EXPECT_EQ(c1.cluster().member("node2").name(), "node2");
    EXPECT_TRUE(c1.cluster().member_exists("node3"));
    EXPECT_FALSE(c1.cluster().member_exists("node9"));
    EXPECT_EQ(code_of([&] { c1.cluster().member("node9"); }), lxd::errc::not_found);
    EXPECT_EQ(code_of([&] { c1.cluster().member("bad/name"); }), lxd::errc::invalid_argument);
    EXPECT_FALSE(sandbox::unix_client(1).cluster().enabled());   // a standalone daemon
}

TEST_F(Cluster, MemberHandleSavesWithItsEtagAndRenames) {
    auto m = c1.cluster().member("node2");
    auto stale = m;
    auto description = m.description();
    m.set_description("lxdpp was here").set_config("user.lxdpp", "yes").save();
    EXPECT_EQ(m.description(), "lxdpp was here");
    EXPECT_EQ(m.config().at("user.lxdpp"), "yes");
    EXPECT_EQ(c1.cluster().member("node2").description(), "lxdpp was here");
    // A handle read before that change: refused, nothing lost.
    EXPECT_EQ(code_of([&] { stale.set_description("lost").save(); }), lxd::errc::precondition_failed);
    EXPECT_EQ(c1.cluster().member("node2").description(), "lxdpp was here");
    m.set_description(description).unset_config("user.lxdpp").save();
    EXPECT_EQ(m.config().count("user.lxdpp"), 0u);
    // Renamed there and back: the handle follows.
    m.rename("node2x");
    EXPECT_EQ(m.name(), "node2x");
    EXPECT_FALSE(c1.cluster().member_exists("node2"));
    m.rename("node2");
    EXPECT_EQ(m.name(), "node2");
    EXPECT_EQ(m.status(), "Online");
}

TEST_F(Cluster, PlacementByTargetAndLocationsInOneListing) {
    std::vector<std::string> names;
    for (int k = 1; k <= 3; ++k) {
        names.push_back(sandbox::unique_name("on" + std::to_string(k)));
        auto inst = launch_on(c1, "node" + std::to_string(k), names.back(), false);
        EXPECT_EQ(inst.location(), "node" + std::to_string(k));
    }
    (void)c1.api_extensions();
    auto before = c1.request_count();
    auto all = c1.containers().all();
    EXPECT_EQ(c1.request_count(), before + 1);
    for (int k = 1; k <= 3; ++k) {
        auto it = std::find_if(all.begin(), all.end(), [&](auto& i) { return i.name() == names[k - 1]; });
        ASSERT_NE(it, all.end());
        EXPECT_EQ(it->location(), "node" + std::to_string(k));
    }
    // A client scoped to a member places there by default.
    auto n3 = c1.use_target("node3");
    lxd::instance_create cfg;
    cfg.name = sandbox::unique_name("scoped");
    cfg.source = lxd::instance_source::image_alias(sandbox::image());
    n3.containers().create(cfg).wait(3min);
    EXPECT_EQ(c1.containers().get(cfg.name).location(), "node3");
}

TEST_F(Cluster, ExecAndFilesThroughMember1OnAnInstanceOfMember3) {
    auto name = sandbox::unique_name("fwd");
    launch_on(c1, "node3", name, true);
    auto via1 = c1.containers().get(name);
    EXPECT_EQ(via1.location(), "node3");
    auto r = via1.execute({"sh", "-c", "echo forwarded; cat", "x"}, {.stdin_data = "stdin too\n"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "forwarded\nstdin too\n");
    via1.files().put("/root/through-node1", "file data\n", {.mode = 0600});
    // Read it back through member 3 itself.
    auto c3 = member(3);
    EXPECT_EQ(c3.containers().get(name).files().get("/root/through-node1").data, "file data\n");
    EXPECT_EQ(c3.containers().get(name).files().stat("/root/through-node1").mode, 0600u);
}

TEST_F(Cluster, MoveBetweenMembersKeepsConfigAndSnapshots) {
    auto name = sandbox::unique_name("mv");
    auto inst = launch_on(c1, "node1", name, false);
    inst.set_config("user.keep", "yes").save();
    inst.snapshots().create("s1").wait(1min);
    inst.migrate(c1.use_target("node2")).wait(5min);
    auto moved = c1.containers().get(name);
    EXPECT_EQ(moved.location(), "node2");
    EXPECT_EQ(moved.config().at("user.keep"), "yes");
    auto snaps = moved.snapshots().all();
    ASSERT_EQ(snaps.size(), 1u);
    EXPECT_EQ(snaps[0].name(), "s1");
    // An unknown member: a clear error, nothing moved.
    try {
        moved.migrate(c1.use_target("node9")).wait(1min);
        ADD_FAILURE() << "moved to a member that does not exist";
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::not_found) << e.what();
        EXPECT_EQ(e.diag().server_message, "Failed to get target node: Cluster member not found");
        EXPECT_NE(std::string(e.what()).find("node9"), std::string::npos) << e.what();
    }
    EXPECT_EQ(c1.containers().get(name).location(), "node2");
}

TEST_F(Cluster, UnknownTargetIsAClearError) {
    lxd::instance_create cfg;
    cfg.name = sandbox::unique_name("nowhere");
    cfg.source = lxd::instance_source::image_alias(sandbox::image());
    try {
        c1.use_target("node9").containers().create(cfg).wait(1min);
        ADD_FAILURE() << "created on a member that does not exist";
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::not_found) << e.what();
        EXPECT_EQ(e.diag().server_message, "Cluster member not found");
        EXPECT_NE(std::string(e.what()).find("node9"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(c1.containers().exists(cfg.name));
}

TEST_F(Cluster, EvacuateMovesRunningInstancesAwayAndRestoreBringsThemBack) {
    auto name = sandbox::unique_name("evac");
    launch_on(c1, "node2", name, true);
    auto node2 = c1.cluster().member("node2");
    node2.evacuate().wait(5min);
    node2.refresh();
    EXPECT_EQ(node2.status(), "Evacuated");
    auto away = c1.containers().get(name);
    EXPECT_NE(away.location(), "node2");
    EXPECT_EQ(away.status(), "Running");
    EXPECT_EQ(away.execute({"true"}).exit_code, 0);
    node2.restore().wait(5min);
    EXPECT_EQ(c1.cluster().member("node2").status(), "Online");
    auto back = c1.containers().get(name);
    EXPECT_EQ(back.location(), "node2");
    EXPECT_EQ(back.status(), "Running");
}

TEST_F(Cluster, CliListsMembersPlacesByTargetAndMoves) {
    auto conf = "/tmp/" + sandbox::unique_name("cliconf");   // empty: "local" is $LXD_DIR's socket
    auto cli = [&](const std::string& args, int* status = nullptr) {
        std::string cmd = "LXD_CONF=" + conf + " LXD_DIR=" + sandbox::env("LXDPP_TEST_CLUSTER_DIR_1") + " timeout 120 " +
                          LXDPP_CLI_PATH + " " + args + " 2>&1";
        std::string out;
        FILE* p = popen(cmd.c_str(), "r");
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
        int rc = pclose(p);
        if (status) *status = WEXITSTATUS(rc);
        else EXPECT_EQ(WEXITSTATUS(rc), 0) << cmd << "\n" << out;
        return out;
    };
    auto list = cli("cluster list -f csv");
    for (int k = 1; k <= 3; ++k)
        EXPECT_NE(list.find("node" + std::to_string(k) + ",https://127.0.0.1" + std::to_string(k) + ":8443,"), std::string::npos)
            << list;
    EXPECT_NE(cli("cluster show node2").find("server_name: node2\n"), std::string::npos);   // unquoted, as lxc writes it
    auto name = sandbox::unique_name("clicl");
    cli("init " + sandbox::image() + " " + name + " --target node2");
    EXPECT_EQ(c1.containers().get(name).location(), "node2");
    EXPECT_EQ(cli("list " + name + " -c nL -f csv"), name + ",node2\n");
    cli("move " + name + " --target node3");
    EXPECT_EQ(c1.containers().get(name).location(), "node3");
    int status = 0;
    auto refused = cli("cluster evacuate node2", &status);   // no terminal, no --force
    EXPECT_EQ(status, 1);
    EXPECT_NE(refused.find("--force"), std::string::npos) << refused;
    EXPECT_EQ(c1.cluster().member("node2").status(), "Online");
    auto bad = cli("launch " + sandbox::image() + " " + name + "-x --target node9", &status);
    EXPECT_EQ(status, 1);
    EXPECT_NE(bad.find("\nError: Cluster member not found (aimed at cluster member 'node9')\n"), std::string::npos) << bad;
}

// Last: kills member 3's daemon.
TEST_F(Cluster, ADeadMemberFailsClearlyWithinTheDeadlineAndOthersStillList) {
    auto name = sandbox::unique_name("dead");
    launch_on(c1, "node3", name, false);
    std::ifstream pidfile(sandbox::env("LXDPP_TEST_CLUSTER_DIR_3") + "/lxd.pid");
    int pid = 0;
    pidfile >> pid;
    ASSERT_GT(pid, 0);
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    auto quick = c1.with_timeout(20s);
    auto start = std::chrono::steady_clock::now();
    auto all = quick.containers().all();   // still lists, from member 1
    EXPECT_TRUE(std::any_of(all.begin(), all.end(), [&](auto& i) { return i.name() == name; }));
    try {
        quick.containers().get(name).start().wait(30s);
        ADD_FAILURE() << "started an instance on a dead member";
    } catch (const lxd::error& e) {
        auto code = e.code_value();
        EXPECT_TRUE(code == lxd::errc::server_error || code == lxd::errc::operation_failed || code == lxd::errc::timeout ||
                    code == lxd::errc::bad_request)
            << e.what();
        EXPECT_FALSE(std::string(e.what()).empty());
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 60s);
}
