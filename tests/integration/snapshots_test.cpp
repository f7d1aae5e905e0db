// Snapshots: create, list, restore, rename, remove, expiry, publish; CRIU's failure.
#include "sandbox.hpp"
#include "support/code_of.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace std::chrono_literals;
using test_support::code_of;

namespace {
struct Snapshots : sandbox::server_test {
    lxd::client c = sandbox::unix_client(1);
    void TearDown() override { sandbox::remove_leftovers(c); }
};
}  // namespace

TEST_P(Snapshots, SnapshotChangeRestore) {
    auto name = sandbox::unique_name("snap");
    auto box = sandbox::make_container(c, name, true);
    box.files().put("/root/state", "before\n");
    box.snapshots().create("s0").wait(1min);
    box.files().put("/root/state", "after\n");
    EXPECT_EQ(box.files().get("/root/state").data, "after\n");
    box.restore_snapshot("s0").wait(2min);
    EXPECT_EQ(box.files().get("/root/state").data, "before\n");
    EXPECT_NE(sandbox::lxc("info d1:" + name).find("s0"), std::string::npos);
}

TEST_P(Snapshots, ListRenameRemoveInOneRequestEach) {
    auto name = sandbox::unique_name("snl");
    auto box = sandbox::make_container(c, name, false);
    auto snaps = box.snapshots();
    snaps.create("a").wait(1min);
    snaps.create("b", {.expires_at = "2031-02-03T04:05:06Z"}).wait(1min);
    (void)c.api_extensions();
    auto before = c.request_count();
    auto all = snaps.all();
    EXPECT_EQ(c.request_count(), before + 1);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].name(), "a");
    EXPECT_EQ(all[1].name(), "b");
    EXPECT_FALSE(all[0].created_at().empty());
    EXPECT_EQ(all[0].expires_at(), "0001-01-01T00:00:00Z");
    EXPECT_EQ(all[1].expires_at(), "2031-02-03T04:05:06Z");
    EXPECT_FALSE(all[1].stateful());
    EXPECT_EQ(all[1].instance_name(), name);

    snaps.get("a").set_expires_at("2032-01-01T00:00:00Z");
    EXPECT_EQ(snaps.get("a").expires_at(), "2032-01-01T00:00:00Z");

    snaps.get("a").rename("renamed").wait(1min);
    EXPECT_FALSE(snaps.exists("a"));
    EXPECT_TRUE(snaps.exists("renamed"));
    snaps.get("b").remove().wait(1min);
    EXPECT_FALSE(snaps.exists("b"));
    auto csv = sandbox::lxc("query d1:/1.0/instances/" + name + "/snapshots");
    EXPECT_NE(csv.find("renamed"), std::string::npos);
    EXPECT_EQ(csv.find("/b\""), std::string::npos);
}

TEST_P(Snapshots, RenameTeachesTheHandleAndItsCopiesTheNewName) {
    auto name = sandbox::unique_name("snr");
    auto box = sandbox::make_container(c, name, false);
    box.snapshots().create("old").wait(1min);
    box.snapshots().create("taken").wait(1min);
    auto s = box.snapshots().get("old");
    auto copy = s;
    auto created = s.created_at();
    s.rename("new").wait(1min);
    EXPECT_EQ(s.name(), "new");
    EXPECT_EQ(copy.name(), "new");   // the copies share what the operation learned
    EXPECT_EQ(s.created_at(), created);
    EXPECT_FALSE(box.snapshots().exists("old"));
    s.refresh();                      // reads it under its new name
    EXPECT_EQ(s.name(), "new");
    // A refused rename (the name is taken): the handle keeps its name.
    EXPECT_NE(code_of([&] { s.rename("taken").wait(1min); }), lxd::errc{});
    EXPECT_EQ(s.name(), "new");
    // Its verbs use the new name.
    s.remove().wait(1min);
    EXPECT_FALSE(box.snapshots().exists("new"));
    EXPECT_TRUE(box.snapshots().exists("taken"));
    // Not waited for: the handle learns once the operation has succeeded.
    auto t = box.snapshots().get("taken");
    auto op = t.rename("later");
    auto deadline = std::chrono::steady_clock::now() + 1min;
    while (t.name() != "later" && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
    EXPECT_EQ(t.name(), "later");
    EXPECT_NE(sandbox::lxc("query d1:/1.0/instances/" + name + "/snapshots").find("/later\""), std::string::npos);
}

TEST_P(Snapshots, StatefulFailsWithTheServersWordsAndLeavesNothing) {
    auto name = sandbox::unique_name("criu");
    auto box = sandbox::make_container(c, name, true);
    try {
        box.snapshots().create("live", {.stateful = true}).wait(2min);
        FAIL() << "a stateful snapshot succeeded without CRIU";
    } catch (const lxd::error& e) {
        if (sandbox::on_incus())
            EXPECT_EQ(e.code_value(), lxd::errc::operation_failed) << e.what();   // the wait's HTTP 500: a failed operation
        else
            EXPECT_TRUE(e.code_value() == lxd::errc::operation_failed || e.code_value() == lxd::errc::bad_request) << e.what();
        if (sandbox::on_incus())
            EXPECT_EQ(e.server_message(), "Stateful snapshots require that the instance has migration.stateful be set to true");
        else
            EXPECT_NE(e.server_message().find("CRIU"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(box.snapshots().exists("live"));
    EXPECT_TRUE(box.snapshots().all().empty());
    EXPECT_EQ(box.state().status, "Running");
}

TEST_P(Snapshots, PublishAndLaunchFromIt) {
    auto name = sandbox::unique_name("pub");
    auto box = sandbox::make_container(c, name, true);
    box.files().put("/root/marker", "published\n");
    box.snapshots().create("golden").wait(1min);
    auto alias = sandbox::unique_name("img");
    auto done = box.snapshots().get("golden").publish({.aliases = {alias}}).wait(5min);
    EXPECT_NE(done.metadata_json.find("fingerprint"), std::string::npos) << done.metadata_json;
    auto clone = sandbox::unique_name("fromimg");
    lxd::instance_create cfg;
    cfg.name = clone;
    cfg.source = lxd::instance_source::image_alias(alias);
    cfg.start = true;
    c.containers().create(cfg).wait(2min);
    EXPECT_EQ(c.containers().get(clone).files().get("/root/marker").data, "published\n");
    sandbox::lxc("image delete d1:" + alias);
}

TEST_P(Snapshots, InvalidNamesAreRefused) {
    auto name = sandbox::unique_name("snbad");
    auto box = sandbox::make_container(c, name, false);
    for (std::string bad : {"", "a/b", "a b", "..", "."})
        EXPECT_EQ(code_of([&] { (void)box.snapshots().create(bad); }), lxd::errc::invalid_argument) << bad;
    EXPECT_EQ(code_of([&] { (void)box.snapshots().get("missing"); }), lxd::errc::not_found);
}

LXDPP_BOTH_SERVERS(Snapshots);
