// `lxdpp storage` and `storage volume` as processes against the sandbox daemons; lxc (or
// incus) on the same daemon and configuration confirms each effect, and the listings and
// documents are compared byte for byte.
#include "cli/cli_support.hpp"
#include "integration/sandbox.hpp"

#include <lxd/storage.hpp>

#include <gtest/gtest.h>

#include <filesystem>

#include <unistd.h>

namespace fs = std::filesystem;

namespace {

struct StorageCli : cli_support::fixture {
    lxd::client c1 = sandbox::unix_client(1);
    const std::string mine = "t" + std::to_string(::getpid()) + "-";

    void SetUp() override { make_scratch("scli"); }
    void TearDown() override {
        sandbox::remove_leftovers(c1);
        for (auto& p : lxd::storage_pools(c1).all()) {
            for (auto& v : p.volumes().all())
                if (v.name().starts_with(mine)) {
                    for (auto& s : v.snapshots()) s.remove();
                    v.remove();
                }
            if (p.name().starts_with(mine)) p.remove();
        }
        auto c2 = sandbox::unix_client(2);
        for (auto& v : lxd::storage_volumes(c2, "p").all())
            if (v.name().starts_with(mine)) {
                for (auto& s : v.snapshots()) s.remove();
                v.remove();
            }
        fs::remove_all(dir);
    }
    std::string lxc(const std::string& args) {
        auto r = lxc_run(args);
        EXPECT_EQ(r.status, 0) << sandbox::cli_name() << " " << args << "\n" << r.err;
        return r.out;
    }
    /// A new directory under the sandbox root for a dir pool's source.
    std::string pool_source(const std::string& name) {
        auto d = fs::path(sandbox::env(sandbox::on_incus() ? "LXDPP_TEST_INCUS_DIR_1" : "LXDPP_TEST_DIR_1")).parent_path() /
                 ("pools-" + name);
        fs::create_directories(d);
        return d.string();
    }
};

}  // namespace

TEST_P(StorageCli, PoolVerbsAsLxcSeesThem) {
    auto name = sandbox::unique_name("sp");
    auto source = pool_source(name);
    EXPECT_EQ(ok("storage create d1:" + name + " dir source=" + source), "Storage pool " + name + " created\n");
    EXPECT_EQ(lxc("storage get d1:" + name + " source"), source + "\n");
    EXPECT_EQ(ok("storage set d1:" + name + " user.a=1 user.b=2"), "");
    EXPECT_EQ(ok("storage set d1:" + name + " user.c 3"), "");
    EXPECT_EQ(lxc("storage get d1:" + name + " user.b"), "2\n");
    EXPECT_EQ(ok("storage get d1:" + name + " user.c"), "3\n");
    EXPECT_EQ(ok("storage unset d1:" + name + " user.a"), "");
    EXPECT_EQ(lxc("storage get d1:" + name + " user.a"), "");   // lxc prints nothing for an unset key
    same_as_lxc("storage get d1:" + name + " user.a");
    same_as_lxc("storage show d1:" + name);
    same_as_lxc("storage list d1:");
    same_as_lxc("storage list d1: -f csv");
    same_as_lxc("storage list d1: -f yaml");
    same_as_lxc("storage show d1:nope-pool");
    // edit: the YAML on stdin replaces config and description.
    EXPECT_EQ(ok("storage edit d1:" + name, "config:\n  source: " + source + "\n  user.e: x\ndescription: edited\n"), "");
    EXPECT_EQ(lxc("storage get d1:" + name + " user.e"), "x\n");
    EXPECT_EQ(lxc("storage get d1:" + name + " user.b"), "");
    EXPECT_NE(lxc("storage show d1:" + name).find("description: edited"), std::string::npos);
    // info: the sizes change with the host's disk; the rest is lxc's document.
    auto drop_sizes = [](std::string s) {
        std::string out;
        for (std::size_t at = 0, nl; (nl = s.find('\n', at)) != std::string::npos; at = nl + 1) {
            auto line = s.substr(at, nl + 1 - at);
            if (line.find("space used:") == std::string::npos && line.find("total space:") == std::string::npos) out += line;
        }
        return out;
    };
    auto info = ok("storage info d1:" + name);
    EXPECT_EQ(drop_sizes(info), drop_sizes(lxc("storage info d1:" + name)));
    EXPECT_NE(info.find("  total space: "), std::string::npos) << info;
    auto vol = sandbox::unique_name("inpool");
    lxc("storage volume create d1:" + name + " " + vol);
    same_as_lxc("storage delete d1:" + name);   // in use: the server's message
    lxc("storage volume delete d1:" + name + " " + vol);
    EXPECT_EQ(ok("storage delete d1:" + name), "Storage pool " + name + " deleted\n");
    EXPECT_EQ(lxc_run("storage show d1:" + name).status, 1);
    auto bad = run("storage create d1:a/b dir");
    EXPECT_EQ(bad.status, 1);
    EXPECT_EQ(bad.err, "Error: storage pool name 'a/b': storage pool names may not contain slashes\n");
}

TEST_P(StorageCli, VolumeVerbsAsLxcSeesThem) {
    auto v = sandbox::unique_name("sv");
    EXPECT_EQ(ok("storage volume create d1:p " + v + " user.a=1"), "Storage volume " + v + " created\n");
    EXPECT_EQ(lxc("storage volume get d1:p " + v + " user.a"), "1\n");
    EXPECT_EQ(ok("storage volume set d1:p " + v + " user.b=2"), "");
    EXPECT_EQ(ok("storage volume get d1:p " + v + " user.b"), "2\n");
    EXPECT_EQ(ok("storage volume unset d1:p " + v + " user.a"), "");
    EXPECT_EQ(lxc("storage volume get d1:p " + v + " user.a"), "");
    same_as_lxc("storage volume get d1:p " + v + " user.a");
    same_as_lxc("storage volume show d1:p " + v);
    same_as_lxc("storage volume show d1:p nope-volume");
    bool incus = sandbox::on_incus();
    std::string snap = incus ? "storage volume snapshot create d1:p " : "storage volume snapshot d1:p ";
    EXPECT_EQ(ok(snap + v), "");
    EXPECT_EQ(ok(snap + v + " s1"), "");
    same_as_lxc("storage volume list d1:p");
    same_as_lxc("storage volume list d1:p -f csv");
    same_as_lxc("storage volume list d1:p -f json");
    same_as_lxc(std::string(incus ? "storage volume snapshot show" : "storage volume show") + " d1:p " + v + "/s1");
    if (incus) same_as_lxc("storage volume snapshot list d1:p " + v);
    EXPECT_EQ(ok("storage volume set d1:p " + v + " user.b=3"), "");
    EXPECT_EQ(ok(incus ? "storage volume snapshot restore d1:p " + v + " s1" : "storage volume restore d1:p " + v + " s1"), "");
    // A restore brings back the content, not the config (both servers).
    EXPECT_EQ(lxc("storage volume get d1:p " + v + " user.b"), "3\n");
    EXPECT_EQ(ok(incus ? "storage volume snapshot rename d1:p " + v + " s1 s2" : "storage volume rename d1:p " + v + "/s1 " + v + "/s2"),
              incus ? "Renamed storage volume snapshot from \"s1\" to \"s2\"\n" : "Renamed storage volume from \"" + v + "/s1\" to \"s2\"\n");
    EXPECT_NE(lxc("storage volume list d1:p -f csv").find(v + "/s2,"), std::string::npos);
    EXPECT_EQ(ok(incus ? "storage volume snapshot delete d1:p " + v + " snap0" : "storage volume delete d1:p " + v + "/snap0"),
              incus ? "Storage volume snapshot snap0 deleted from " + v + "\n" : "Storage volume " + v + "/snap0 deleted\n");
    EXPECT_EQ(lxc("storage volume list d1:p -f csv").find(v + "/snap0,"), std::string::npos);

    auto v2 = sandbox::unique_name("sv2");
    EXPECT_EQ(ok("storage volume copy d1:p/" + v + " d1:p/" + v2), "Storage volume copied successfully!\n");
    EXPECT_EQ(lxc("storage volume get d1:p " + v2 + " user.b"), "3\n");
    auto v3 = sandbox::unique_name("sv3");
    EXPECT_EQ(ok("storage volume rename d1:p " + v2 + " " + v3), "Renamed storage volume from \"" + v2 + "\" to \"" + v3 + "\"\n");
    auto other = sandbox::unique_name("sp");
    lxc("storage create d1:" + other + " dir source=" + pool_source(other));
    EXPECT_EQ(ok("storage volume move d1:p/" + v3 + " d1:" + other + "/" + v3), "Storage volume moved successfully!\n");
    EXPECT_EQ(lxc("storage volume get d1:" + other + " " + v3 + " user.b"), "3\n");
    EXPECT_EQ(lxc_run("storage volume show d1:p " + v3).status, 1);
    EXPECT_EQ(ok("storage volume delete d1:" + other + " " + v3), "Storage volume " + v3 + " deleted\n");
    lxc("storage delete d1:" + other);

    // attach / detach, and a second attach refused before any request.
    auto box = sandbox::unique_name("sbox");
    lxc("init d1:" + sandbox::image() + " d1:" + box + " -q");
    EXPECT_EQ(ok("storage volume attach d1:p " + v + " " + box + " /mnt/x"), "");
    EXPECT_EQ(lxc("config device get d1:" + box + " " + v + " path"), "/mnt/x\n");
    auto twice = run("storage volume attach d1:p " + v + " " + box + " dev2 /mnt/y");
    EXPECT_EQ(twice.status, 1);
    EXPECT_EQ(twice.err, "Error: storage volume '" + v + "' of pool 'p' is already attached to instance '" + box + "' (device '" +
                             v + "')\n");
    EXPECT_EQ(ok("storage volume detach d1:p " + v + " " + box), "");
    EXPECT_EQ(lxc("config device list d1:" + box), "\n");
    EXPECT_EQ(ok("storage volume attach d1:p " + v + " " + box + " dev2 /mnt/y"), "");
    EXPECT_EQ(lxc("config device get d1:" + box + " dev2 source"), v + "\n");
    EXPECT_EQ(ok("storage volume detach d1:p " + v + " " + box + " dev2"), "");
    EXPECT_EQ(lxc("config device list d1:" + box), "\n");
}

TEST_P(StorageCli, VolumeCopyAndMoveBetweenServers) {
    auto name = sandbox::unique_name("xv");
    (void)lxd::storage_volumes(c1, "p").create({.name = name, .config = {{"user.k", "v"}}}).create_snapshot("s0");
    auto copy = sandbox::unique_name("xc");
    EXPECT_EQ(ok("storage volume copy d1:p/" + name + " d2:p/" + copy + " --mode push"), "Storage volume copied successfully!\n");
    EXPECT_EQ(lxc("storage volume get d2:p " + copy + " user.k"), "v\n");
    EXPECT_NE(lxc("storage volume list d2:p -f csv").find("custom (snapshot)," + copy + "/s0,"), std::string::npos);
    auto only = sandbox::unique_name("xo");
    EXPECT_EQ(ok("storage volume copy d1:p/" + name + " d2:p/" + only + " --volume-only"), "Storage volume copied successfully!\n");
    EXPECT_EQ(lxc("storage volume list d2:p -f csv").find(only + "/s0"), std::string::npos);
    EXPECT_EQ(lxc("storage volume get d2:p " + only + " user.k"), "v\n");

    auto again = run("storage volume copy d1:p/" + name + " d2:p/" + copy);
    EXPECT_EQ(again.status, 1);
    EXPECT_EQ(again.err, "Error: storage volume '" + copy + "' already exists in pool 'p'\n");
    // --refresh: the copy there gains the snapshot made since, as with lxc.
    (void)lxd::storage_volumes(c1, "p").get(name).create_snapshot("s1");
    EXPECT_EQ(ok("storage volume copy d1:p/" + name + " d2:p/" + copy + " --refresh"), "Storage volume copied successfully!\n");
    EXPECT_NE(lxc("storage volume list d2:p -f csv").find("custom (snapshot)," + copy + "/s1,"), std::string::npos);
    // --target-project on one server: the copy lands in that project.
    auto proj = sandbox::unique_name("xp");
    EXPECT_EQ(lxc("project create d1:" + proj), "Project " + proj + " created\n");
    EXPECT_EQ(ok("storage volume copy d1:p/" + name + " d1:p/" + name + " --target-project " + proj), "Storage volume copied successfully!\n");
    EXPECT_EQ(lxc("storage volume get d1:p " + name + " user.k --project " + proj), "v\n");
    EXPECT_EQ(ok("storage volume delete d1:p " + name + " --project " + proj), "Storage volume " + name + " deleted\n");
    EXPECT_EQ(lxc("project delete d1:" + proj), "Project " + proj + " deleted\n");
    auto bad_mode = run("storage volume copy d1:p/" + name + " d2:p/x --mode sideways");
    EXPECT_EQ(bad_mode.status, 1);
    EXPECT_EQ(lxc("storage volume list d2:p -f csv").find(",x,"), std::string::npos);

    auto moved = sandbox::unique_name("xm");
    EXPECT_EQ(ok("storage volume move d1:p/" + name + " d2:p/" + moved + " --mode relay"), "Storage volume moved successfully!\n");
    EXPECT_EQ(lxc("storage volume get d2:p " + moved + " user.k"), "v\n");
    EXPECT_NE(lxc("storage volume list d2:p -f csv").find(moved + "/s0,"), std::string::npos);
    EXPECT_EQ(lxc("storage volume list d1:p -f csv").find(name), std::string::npos);
}

TEST_P(StorageCli, VolumeEditTakesConfigAndDescription) {
    auto name = sandbox::unique_name("ed");
    (void)lxd::storage_volumes(c1, "p").create({.name = name, .config = {{"user.a", "1"}}});
    EXPECT_EQ(ok("storage volume edit d1:p " + name, "config:\n  user.e: x\ndescription: edited\nname: ignored\n"), "");
    EXPECT_EQ(lxc("storage volume get d1:p " + name + " user.e"), "x\n");
    EXPECT_EQ(lxc("storage volume get d1:p " + name + " user.a"), "");
    EXPECT_NE(lxc("storage volume show d1:p " + name).find("description: edited\n"), std::string::npos);
    auto bad = run("storage volume edit d1:p " + name, "config: [1, 2]\n");
    EXPECT_EQ(bad.status, 1);
    EXPECT_EQ(bad.err, "Error: unexpected list at config\n");   // the YAML reader refuses it
    EXPECT_EQ(lxc("storage volume get d1:p " + name + " user.e"), "x\n");
    EXPECT_EQ(run("storage volume edit d1:p no-such-volume", "config: {}\n").status, 1);
}

TEST_P(StorageCli, VolumeInfoAsIncusPrintsIt) {
    auto name = sandbox::unique_name("in");
    auto v = lxd::storage_volumes(c1, "p").create({.name = name, .description = "my desc"});
    (void)v.create_snapshot("s0");
    auto mine = ok("storage volume info d1:p " + name);
    const std::string snapshots = "\nSnapshots:\n+------+-------------+------------+\n| NAME | DESCRIPTION | EXPIRES AT |\n"
                                  "+------+-------------+------------+\n| s0   | my desc     |            |\n"
                                  "+------+-------------+------------+\n";
    if (sandbox::on_incus()) {
        EXPECT_EQ(mine, lxc("storage volume info d1:p " + name));
        EXPECT_EQ(mine.rfind("Name: " + name + "\nDescription: my desc\nType: custom\nContent type: filesystem\nCreated: ", 0), 0u) << mine;
        EXPECT_NE(mine.find(snapshots), std::string::npos) << mine;
    } else {
        // lxc 5.0 asks for the volume's state, which the dir driver does not give.
        auto theirs = lxc_run("storage volume info d1:p " + name);
        EXPECT_EQ(theirs.status, 1);
        EXPECT_EQ(theirs.err, "Error: Not supported\n");
        // LXD 5.0 sends the zero time as created_at: no Created line.
        EXPECT_EQ(mine, "Name: " + name + "\nDescription: my desc\nType: custom\nContent type: filesystem\n" + snapshots);
    }
    EXPECT_EQ(run("storage volume info d1:p no-such-volume").status, 1);
}

TEST_P(StorageCli, VolumeExportHereImportThere) {
    auto name = sandbox::unique_name("ev");
    (void)lxd::storage_volumes(c1, "p").create({.name = name, .config = {{"user.k", "v"}}}).create_snapshot("s0");
    auto file = (dir / "v.tar.gz").string();
    EXPECT_EQ(ok("storage volume export d1:p " + name + " " + file), "Backup exported successfully!\n");
    EXPECT_EQ(lxd::storage_volumes(c1, "p").get(name).backups().all().size(), 0u);   // removed after the download
    auto imported = sandbox::unique_name("ei");
    EXPECT_EQ(ok("storage volume import d2:p " + file + " " + imported), "");
    EXPECT_EQ(lxc("storage volume get d2:p " + imported + " user.k"), "v\n");
    EXPECT_NE(lxc("storage volume list d2:p -f csv").find("custom (snapshot)," + imported + "/s0,"), std::string::npos);

    // lxc's volume-only export, imported by lxdpp.
    auto only = (dir / "only.tar.gz").string();
    lxc("storage volume export d1:p " + name + " " + only + " --volume-only -q");
    auto imported2 = sandbox::unique_name("ei");
    EXPECT_EQ(ok("storage volume import d2:p " + only + " " + imported2), "");
    EXPECT_EQ(lxc("storage volume get d2:p " + imported2 + " user.k"), "v\n");
    EXPECT_EQ(lxc("storage volume list d2:p -f csv").find(imported2 + "/s0"), std::string::npos);

    auto missing = run("storage volume import d2:p " + (dir / "missing.tar.gz").string() + " x");
    EXPECT_EQ(missing.status, 1);
    EXPECT_EQ(missing.err.rfind("Error: cannot open " + (dir / "missing.tar.gz").string() + ": ", 0), 0u) << missing.err;
    auto unknown = run("storage volume export d1:p no-such-volume " + (dir / "x.tar.gz").string());
    EXPECT_EQ(unknown.status, 1);
    EXPECT_FALSE(fs::exists(dir / "x.tar.gz"));
}

LXDPP_BOTH_SERVERS(StorageCli);
