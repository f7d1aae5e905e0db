// Storage pools, custom volumes and volume snapshots through the library, against both
// servers; lxc (or incus) on the same daemon confirms each effect. Pools made here are `dir`
// pools whose source is under the sandbox's root, removed by the test.
#include "sandbox.hpp"

#include <lxd/storage.hpp>
#include "support/code_of.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include <unistd.h>

using test_support::code_of;
using test_support::failure_of;

namespace {

namespace fs = std::filesystem;

std::string own_prefix() { return "t" + std::to_string(::getpid()) + "-"; }

/// A fresh directory under the sandbox root (the parent of daemon 1's directory).
std::string pool_source(const std::string& name) {
    auto daemon_dir = sandbox::env(sandbox::on_incus() ? "LXDPP_TEST_INCUS_DIR_1" : "LXDPP_TEST_DIR_1");
    auto dir = fs::path(daemon_dir).parent_path() / ("pools-" + name);
    fs::create_directories(dir);
    return dir.string();
}

struct Storage : sandbox::server_test {
    lxd::client c = sandbox::unix_client(1);
    const std::string pool = "p";   // the sandbox's pool (the default profile's root disk)

    void TearDown() override {
        sandbox::remove_leftovers(c);
        for (auto& p : c.storage_pools().all()) {
            for (auto& v : p.volumes().all())
                if (v.name().starts_with(own_prefix())) {
                    for (auto& s : v.snapshots()) s.remove();
                    v.remove();
                }
            if (p.name().starts_with(own_prefix())) p.remove();
        }
    }
    std::string run(lxd::instance& i, const std::string& sh) {
        auto r = i.execute({"sh", "-c", sh});
        EXPECT_EQ(r.exit_code, 0) << sh << ": " << r.err;
        return r.out;
    }
};

}  // namespace

TEST_P(Storage, PoolCreateReadChangeRemoveAsLxcSeesThem) {
    auto name = sandbox::unique_name("pool");
    auto source = pool_source(name);
    auto p = c.storage_pools().create({.name = name, .driver = "dir", .description = "made by lxdpp", .config = {{"source", source}}});
    EXPECT_EQ(p.name(), name);
    EXPECT_EQ(p.driver(), "dir");
    EXPECT_EQ(p.description(), "made by lxdpp");
    EXPECT_EQ(p.config().at("source"), source);
    EXPECT_EQ(p.status(), "Created");
    EXPECT_EQ(p.locations(), std::vector<std::string>{"none"});
    EXPECT_TRUE(p.used_by().empty());
    // LXD 5.0 sends no ETag for a pool; Incus does.
    EXPECT_EQ(p.etag().empty(), !sandbox::on_incus());
    EXPECT_TRUE(c.storage_pools().exists(name));
    EXPECT_EQ(sandbox::lxc("storage get d1:" + name + " source"), source + "\n");
    auto names = c.storage_pools().names();
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end());

    p.set_config("user.k", "v").set_description("changed");
    p.save();
    EXPECT_EQ(p.config().at("user.k"), "v");
    EXPECT_EQ(sandbox::lxc("storage get d1:" + name + " user.k"), "v\n");
    EXPECT_NE(sandbox::lxc("storage show d1:" + name).find("description: changed"), std::string::npos);
    p.patch({.description = std::string("patched")});
    EXPECT_EQ(p.description(), "patched");
    EXPECT_EQ(p.config().at("user.k"), "v");
    p.unset_config("user.k");
    p.save();
    EXPECT_FALSE(p.config().contains("user.k"));
    EXPECT_EQ(sandbox::lxc("storage get d1:" + name + " user.k"), "");   // lxc: nothing for an unset key

    auto res = p.resources();
    EXPECT_GT(res.space_total, 0u);
    EXPECT_LE(res.space_used, res.space_total);
    EXPECT_GT(res.inodes_total, 0u);

    // A lost update: b was read before a's change and is refused (Incus: by If-Match; LXD,
    // which sends no pool ETag: by the re-read before the PUT). Also for a handle from all().
    auto a = c.storage_pools().get(name), b = c.storage_pools().get(name);
    a.set_config("user.who", "a");
    a.save();
    b.set_config("user.who", "b");
    EXPECT_EQ(code_of([&] { b.save(); }), lxd::errc::precondition_failed);
    EXPECT_EQ(code_of([&] { b.patch({.description = std::string("lost")}); }), lxd::errc::precondition_failed);
    EXPECT_EQ(sandbox::lxc("storage get d1:" + name + " user.who"), "a\n");
    auto listed = c.storage_pools().all();
    auto from_list = std::find_if(listed.begin(), listed.end(), [&](auto& x) { return x.name() == name; });
    ASSERT_NE(from_list, listed.end());
    EXPECT_TRUE(from_list->etag().empty());
    a.set_config("user.who", "a2");
    a.save();
    from_list->set_config("user.who", "old");
    EXPECT_EQ(code_of([&] { from_list->save(); }), lxd::errc::precondition_failed);
    EXPECT_EQ(sandbox::lxc("storage get d1:" + name + " user.who"), "a2\n");

    p.remove();
    EXPECT_FALSE(c.storage_pools().exists(name));
    EXPECT_EQ(sandbox::lxc("storage list d1: -f csv").find(name), std::string::npos);
}

TEST_P(Storage, BadNamesUnknownPoolsAndAPoolInUse) {
    EXPECT_EQ(code_of([&] { (void)c.storage_pools().get("nope-pool"); }), lxd::errc::not_found);
    EXPECT_EQ(code_of([&] { (void)c.storage_pools().get(pool).volumes().get("nope-volume"); }), lxd::errc::not_found);
    EXPECT_FALSE(c.storage_pools().get(pool).volumes().exists("nope-volume"));
    for (auto bad : {"", "a/b", ".."}) {
        EXPECT_EQ(code_of([&] { (void)c.storage_pools().get(bad); }), lxd::errc::invalid_argument) << bad;
        EXPECT_EQ(code_of([&] { (void)c.storage_pools().create({.name = bad, .driver = "dir"}); }), lxd::errc::invalid_argument);
        EXPECT_EQ(code_of([&] { (void)lxd::storage_volumes(c, pool).create({.name = bad}); }), lxd::errc::invalid_argument);
    }
    EXPECT_EQ(code_of([&] { (void)lxd::storage_volumes(c, pool).create({.name = "v", .content_type = "iso"}); }),
              lxd::errc::invalid_argument);

    // A pool with a custom volume is in use: the server refuses, and both stay.
    auto name = sandbox::unique_name("busy");
    auto p = c.storage_pools().create({.name = name, .driver = "dir", .config = {{"source", pool_source(name)}}});
    auto vname = sandbox::unique_name("vol");
    (void)p.volumes().create({.name = vname});
    auto [code, message] = failure_of([&] { p.remove(); });
    EXPECT_EQ(code, lxd::errc::bad_request);
    EXPECT_NE(message.find("The storage pool is currently in use"), std::string::npos) << message;
    EXPECT_TRUE(p.volumes().exists(vname));
    p.volumes().get(vname).remove();
    p.remove();
    EXPECT_FALSE(c.storage_pools().exists(name));
}

TEST_P(Storage, VolumeCreateChangeRenameSnapshotsAndLostUpdate) {
    auto vols = c.storage_pools().get(pool).volumes();
    auto name = sandbox::unique_name("vol");
    auto v = vols.create({.name = name, .description = "d1", .config = {{"user.a", "1"}}});
    EXPECT_EQ(v.name(), name);
    EXPECT_EQ(v.pool(), pool);
    EXPECT_EQ(v.type(), "custom");
    EXPECT_EQ(v.content_type(), "filesystem");
    EXPECT_EQ(v.description(), "d1");
    EXPECT_EQ(v.config().at("user.a"), "1");
    EXPECT_TRUE(v.used_by().empty());
    EXPECT_EQ(sandbox::lxc("storage volume get d1:" + pool + " " + name + " user.a"), "1\n");
    auto listed = vols.all();
    EXPECT_EQ(std::count_if(listed.begin(), listed.end(), [&](auto& x) { return x.name() == name; }), 1);

    v.set_config("user.b", "2").set_description("d2");
    v.save();
    EXPECT_EQ(sandbox::lxc("storage volume get d1:" + pool + " " + name + " user.b"), "2\n");
    v.patch({.description = std::string("d3")});
    EXPECT_EQ(v.description(), "d3");
    EXPECT_EQ(v.config().at("user.b"), "2");

    auto a = vols.get(name), b = vols.get(name);
    a.set_config("user.who", "a");
    a.save();
    b.set_config("user.who", "b");
    EXPECT_EQ(code_of([&] { b.save(); }), lxd::errc::precondition_failed);
    EXPECT_EQ(sandbox::lxc("storage volume get d1:" + pool + " " + name + " user.who"), "a\n");

    auto s0 = v.create_snapshot("s0");
    EXPECT_EQ(s0.name(), "s0");
    EXPECT_EQ(s0.volume(), name);
    auto auto_named = v.create_snapshot("");
    EXPECT_EQ(auto_named.name(), "snap0");
    EXPECT_EQ(v.create_snapshot("").name(), "snap1");
    auto snaps = v.snapshots();
    ASSERT_EQ(snaps.size(), 3u);
    s0.rename("s1");
    EXPECT_EQ(s0.name(), "s1");
    EXPECT_EQ(code_of([&] { (void)v.snapshot("s0"); }), lxd::errc::not_found);
    auto csv = sandbox::lxc("storage volume list d1:" + pool + " -f csv");
    EXPECT_NE(csv.find("custom (snapshot)," + name + "/s1,"), std::string::npos) << csv;
    auto_named.remove();
    EXPECT_EQ(v.snapshots().size(), 2u);

    auto new_name = sandbox::unique_name("renamed");
    v.rename(new_name);
    EXPECT_EQ(v.name(), new_name);
    EXPECT_FALSE(vols.exists(name));
    EXPECT_EQ(v.snapshots().size(), 2u);   // the snapshots follow
    EXPECT_EQ(sandbox::lxc("storage volume get d1:" + pool + " " + new_name + " user.who"), "a\n");
    for (auto& s : v.snapshots()) s.remove();
    v.remove();
    EXPECT_FALSE(vols.exists(new_name));
}

TEST_P(Storage, VolumeCopyMoveBetweenPoolsAndFromASnapshot) {
    auto other = sandbox::unique_name("pool");
    auto p2 = c.storage_pools().create({.name = other, .driver = "dir", .config = {{"source", pool_source(other)}}});
    auto vols = lxd::storage_volumes(c, pool);
    auto name = sandbox::unique_name("src");
    auto v = vols.create({.name = name, .config = {{"user.k", "orig"}}});
    (void)v.create_snapshot("s0");
    v.set_config("user.k", "later");
    v.save();

    auto copied = sandbox::unique_name("copy");
    p2.volumes().copy({.name = copied, .source_pool = pool, .source = name}).wait(std::chrono::minutes(2));
    auto cv = p2.volumes().get(copied);
    EXPECT_EQ(cv.pool(), other);
    EXPECT_EQ(cv.config().at("user.k"), "later");
    EXPECT_EQ(cv.snapshots().size(), 1u);   // snapshots come along unless volume_only
    EXPECT_EQ(sandbox::lxc("storage volume get d1:" + other + " " + copied + " user.k"), "later\n");

    auto only = sandbox::unique_name("only");
    vols.copy({.name = only, .source = name, .volume_only = true}).wait(std::chrono::minutes(2));
    EXPECT_TRUE(vols.get(only).snapshots().empty());

    auto from_snap = sandbox::unique_name("fromsnap");
    vols.copy({.name = from_snap, .source = name + "/s0"}).wait(std::chrono::minutes(2));
    EXPECT_EQ(vols.get(from_snap).config().at("user.k"), "orig");

    auto moved = sandbox::unique_name("moved");
    cv.move_to(pool, moved);
    EXPECT_EQ(cv.pool(), pool);
    EXPECT_EQ(cv.name(), moved);
    EXPECT_EQ(cv.config().at("user.k"), "later");
    EXPECT_FALSE(p2.volumes().exists(copied));
    EXPECT_EQ(sandbox::lxc("storage volume get d1:" + pool + " " + moved + " user.k"), "later\n");

    // An unknown source: both servers fail the copy's operation (Incus's /wait answers with
    // the operation's error as a 404 envelope: still the operation's failure).
    auto [code, message] = failure_of([&] { (void)vols.copy({.name = "x", .source = "nope-volume"}).wait(std::chrono::minutes(1)); });
    EXPECT_EQ(code, lxd::errc::operation_failed);
    EXPECT_NE(message.find("not found"), std::string::npos) << message;
    EXPECT_FALSE(vols.exists("x"));
    p2.remove();
}

TEST_P(Storage, VolumeCopyToAnotherProjectAndARefreshOfTheCopy) {
    auto proj = sandbox::unique_name("proj");
    auto project = c.projects().create({.name = proj});   // features.storage.volumes: true by default
    auto there = c.use_project(proj);
    auto name = sandbox::unique_name("src");
    auto v = lxd::storage_volumes(c, pool).create({.name = name, .config = {{"user.k", "v1"}}});
    (void)v.create_snapshot("s0");

    v.copy_to(there, {.pool = pool}).wait(std::chrono::minutes(2));   // same name, other project
    auto copy = lxd::storage_volumes(there, pool).get(name);
    EXPECT_EQ(copy.config().at("user.k"), "v1");
    EXPECT_EQ(sandbox::lxc("storage volume list d1:" + pool + " --project " + proj + " -f csv -c tn"),
              "custom," + name + "\ncustom (snapshot)," + name + "/s0\n");
    // Again: refused, unless a refresh, which brings the snapshot it lacks.
    EXPECT_EQ(code_of([&] { (void)v.copy_to(there, {.pool = pool}); }), lxd::errc::conflict);
    (void)v.create_snapshot("s1");
    v.copy_to(there, {.pool = pool, .refresh = true}).wait(std::chrono::minutes(2));
    std::vector<std::string> snaps;
    for (auto& s : copy.snapshots()) snaps.push_back(s.name());
    EXPECT_EQ(snaps, (std::vector<std::string>{"s0", "s1"}));
    EXPECT_EQ(code_of([&] { v.move_to(there, {.pool = pool, .new_name = "x", .refresh = true}); }), lxd::errc::invalid_argument);

    // A move to the other project: the source goes.
    auto moved = sandbox::unique_name("moved");
    v.move_to(there, {.pool = pool, .new_name = moved});
    EXPECT_EQ(v.name(), moved);
    EXPECT_FALSE(lxd::storage_volumes(c, pool).exists(name));
    EXPECT_EQ(lxd::storage_volumes(there, pool).get(moved).snapshots().size(), 2u);
    for (auto& vol : lxd::storage_volumes(there, pool).all()) {
        for (auto& s : vol.snapshots()) s.remove();
        vol.remove();
    }
    project.remove();
}

TEST_P(Storage, AttachedVolumeKeepsWhatTheContainerWrote) {
    auto i = sandbox::make_container(c, sandbox::unique_name("c"), true);
    auto vols = lxd::storage_volumes(c, pool);
    auto name = sandbox::unique_name("data");
    auto v = vols.create({.name = name});
    v.attach(i, "/mnt/x");
    EXPECT_EQ(sandbox::lxc("config device get d1:" + i.name() + " " + name + " source"), name + "\n");
    EXPECT_EQ(sandbox::lxc("config device get d1:" + i.name() + " " + name + " pool"), pool + "\n");
    // Twice on the same instance: refused before any request, even under another device name.
    auto devices_before = i.devices();
    auto [code, message] = failure_of([&] { v.attach(i, "/mnt/other", "second"); });
    EXPECT_EQ(code, lxd::errc::conflict);
    EXPECT_NE(message.find("is already attached to instance '" + i.name() + "'"), std::string::npos) << message;
    i.refresh();
    EXPECT_EQ(i.devices(), devices_before);
    EXPECT_EQ(vols.get(name).used_by().size(), 1u);

    run(i, "echo one > /mnt/x/f");
    (void)v.create_snapshot("s0");
    run(i, "echo two > /mnt/x/f");
    v.detach(i);
    EXPECT_FALSE(i.devices().contains(name));
    EXPECT_EQ(sandbox::lxc("config device list d1:" + i.name()).find(name), std::string::npos);
    EXPECT_EQ(code_of([&] { v.detach(i); }), lxd::errc::not_found);

    v.attach(i, "/mnt/y", "again");
    EXPECT_EQ(run(i, "cat /mnt/y/f"), "two\n");
    v.detach(i, "again");
    v.restore("s0");
    v.attach(i, "/mnt/y", "again");
    EXPECT_EQ(run(i, "cat /mnt/y/f"), "one\n");
    v.detach(i);
    i.stop({.force = true}).wait(std::chrono::minutes(1));
}

LXDPP_BOTH_SERVERS(Storage);
