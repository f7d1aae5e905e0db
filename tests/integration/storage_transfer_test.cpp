// Custom volumes copied and moved between the two sandbox daemons (relay, pull, push), with
// and without their snapshots; what a container wrote on one server is read back on the
// other, lxc (or incus) confirming. Refused transfers leave both servers as they were.
#include "sandbox.hpp"

#include <lxd/storage.hpp>
#include "support/code_of.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include <unistd.h>

using namespace std::chrono_literals;
using test_support::code_of;
using test_support::failure_of;

namespace {

const std::string pool = "p";   // the sandbox's pool, on each daemon

struct StorageTransfer : sandbox::server_test {
    lxd::client u1 = sandbox::unix_client(1);
    lxd::client u2 = sandbox::unix_client(2);

    void TearDown() override {
        for (auto* c : {&u1, &u2}) {
            sandbox::remove_leftovers(*c);
            for (auto& v : lxd::storage_volumes(*c, pool).all())
                if (v.name().starts_with("t" + std::to_string(::getpid()) + "-")) {
                    for (auto& s : v.snapshots()) s.remove();
                    v.remove();
                }
        }
    }
    std::string run(lxd::instance& i, const std::string& sh) {
        auto r = i.execute({"sh", "-c", sh});
        EXPECT_EQ(r.exit_code, 0) << sh << ": " << r.err;
        return r.out;
    }
    /// A volume on daemon 1 with user.k=v, "first" in f at snapshot s0, then "second" and 1 MiB
    /// of random data; returns the data's sha256sum line.
    std::string prepare(const std::string& name) {
        auto box = sandbox::make_container(u1, sandbox::unique_name("w"), true);
        auto v = lxd::storage_volumes(u1, pool).create({.name = name, .config = {{"user.k", "v"}}});
        v.attach(box, "/mnt/v");
        run(box, "echo first > /mnt/v/f");
        (void)v.create_snapshot("s0");
        auto sum = run(box, "echo second > /mnt/v/f && head -c 1048576 /dev/urandom > /mnt/v/rand && cd /mnt/v && sha256sum rand");
        v.detach(box);
        box.stop({.force = true}).wait(1min);
        return sum;
    }
    /// Reads the copy on daemon 2 through a container: f, the data's sum, and f at s0 if any.
    void expect_copy(lxd::instance& reader, const std::string& name, const std::string& sum, bool snapshots) {
        auto v = lxd::storage_volumes(u2, pool).get(name);
        EXPECT_EQ(v.config().at("user.k"), "v");
        EXPECT_EQ(sandbox::lxc("storage volume get d2:" + pool + " " + name + " user.k"), "v\n");
        std::vector<std::string> snaps;
        for (auto& s : v.snapshots()) snaps.push_back(s.name());
        EXPECT_EQ(snaps, snapshots ? std::vector<std::string>{"s0"} : std::vector<std::string>{});
        v.attach(reader, "/mnt/c");
        EXPECT_EQ(run(reader, "cat /mnt/c/f"), "second\n");
        EXPECT_EQ(run(reader, "cd /mnt/c && sha256sum rand"), sum);
        v.detach(reader);
        if (!snapshots) return;
        v.restore("s0");
        v.attach(reader, "/mnt/c");
        EXPECT_EQ(run(reader, "cat /mnt/c/f"), "first\n");
        EXPECT_EQ(run(reader, "ls /mnt/c"), "f\n");
        v.detach(reader);
    }
};

}  // namespace

TEST_P(StorageTransfer, CopyToTheOtherServerInEachModeWithSnapshots) {
    auto name = sandbox::unique_name("vol");
    auto sum = prepare(name);
    auto h1 = sandbox::trusted_https_client(1);
    auto h2 = sandbox::trusted_https_client(2);
    auto reader = sandbox::make_container(u2, sandbox::unique_name("r"), true);
    struct way {
        lxd::client* from;
        lxd::migration_mode mode;
    };
    for (auto w : {way{&u1, lxd::migration_mode::automatic}, way{&h1, lxd::migration_mode::pull}, way{&h1, lxd::migration_mode::push},
                   way{&h1, lxd::migration_mode::relay}}) {
        auto copy = sandbox::unique_name("copy");
        auto v = lxd::storage_volumes(*w.from, pool).get(name);
        v.copy_to(h2, {.pool = pool, .new_name = copy, .mode = w.mode}).wait(5min);
        SCOPED_TRACE(copy);
        expect_copy(reader, copy, sum, true);
        EXPECT_NE(sandbox::lxc("storage volume list d2:" + pool + " -f csv").find("custom (snapshot)," + copy + "/s0,"),
                  std::string::npos);
    }
    // The source is untouched.
    EXPECT_EQ(lxd::storage_volumes(u1, pool).get(name).snapshots().size(), 1u);
    reader.stop({.force = true}).wait(1min);
}

TEST_P(StorageTransfer, RefreshBringsTheOtherServersCopyUpToDate) {
    auto name = sandbox::unique_name("vol");
    auto sum = prepare(name);
    auto h1 = sandbox::trusted_https_client(1);
    auto h2 = sandbox::trusted_https_client(2);
    auto reader = sandbox::make_container(u2, sandbox::unique_name("r"), true);
    auto writer = sandbox::make_container(u1, sandbox::unique_name("w"), true);
    std::vector<std::string> expected{"s0"};   // the source's snapshots
    for (auto mode : {lxd::migration_mode::pull, lxd::migration_mode::relay}) {
        auto copy = sandbox::unique_name("copy");
        auto v = lxd::storage_volumes(h1, pool).get(name);
        v.copy_to(h2, {.pool = pool, .new_name = copy, .mode = mode, .volume_only = true}).wait(5min);
        // The source changes: a new file and a snapshot; the refresh brings both, and the
        // snapshot s0 the volume-only copy left behind.
        v.attach(writer, "/mnt/v");
        run(writer, "echo " + std::string(mode == lxd::migration_mode::pull ? "pulled" : "relayed") + " > /mnt/v/g");
        v.detach(writer);
        (void)v.create_snapshot("s" + copy);
        expected.push_back("s" + copy);
        std::sort(expected.begin(), expected.end());
        v.copy_to(h2, {.pool = pool, .new_name = copy, .mode = mode, .refresh = true}).wait(5min);
        SCOPED_TRACE(copy);
        std::vector<std::string> snaps;
        auto there = lxd::storage_volumes(u2, pool).get(copy);
        for (auto& s : there.snapshots()) snaps.push_back(s.name());
        std::sort(snaps.begin(), snaps.end());
        EXPECT_EQ(snaps, expected);
        there.attach(reader, "/mnt/c");
        EXPECT_EQ(run(reader, "cat /mnt/c/g"), mode == lxd::migration_mode::pull ? "pulled\n" : "relayed\n");
        EXPECT_EQ(run(reader, "cd /mnt/c && sha256sum rand"), sum);
        there.detach(reader);
    }
    reader.stop({.force = true}).wait(1min);
    writer.stop({.force = true}).wait(1min);
}

TEST_P(StorageTransfer, VolumeOnlyMoveAndRefusedTransfersLeaveBothServersAsTheyWere) {
    auto name = sandbox::unique_name("vol");
    auto sum = prepare(name);
    auto h2 = sandbox::trusted_https_client(2);
    auto reader = sandbox::make_container(u2, sandbox::unique_name("r"), true);
    auto v = lxd::storage_volumes(u1, pool).get(name);
    v.copy_to(h2, {.pool = pool, .volume_only = true}).wait(5min);   // same name on the other server
    expect_copy(reader, name, sum, false);

    // Onto an existing volume: refused before anything is sent; both stay as they were.
    auto [code, message] = failure_of([&] { (void)v.copy_to(h2, {.pool = pool}); });
    EXPECT_EQ(code, lxd::errc::conflict);
    EXPECT_EQ(message, "conflict: storage volume '" + name + "' already exists in pool 'p'");
    EXPECT_TRUE(lxd::storage_volumes(u2, pool).get(name).snapshots().empty());
    // Into an unknown pool: the target refuses, the source's operation is cancelled.
    EXPECT_EQ(code_of([&] { (void)v.copy_to(h2, {.pool = "no-such-pool", .new_name = "x"}); }), lxd::errc::not_found);
    EXPECT_EQ(sandbox::lxc("storage volume list d2:" + pool + " -f csv").find(",x,"), std::string::npos);
    // On the same server a copy needs another name or pool.
    EXPECT_EQ(code_of([&] { (void)v.copy_to(u1, {}); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { (void)lxd::storage_volumes(u1, pool).get("no-such-volume"); }), lxd::errc::not_found);

    // A volume in use is not moved.
    auto box = sandbox::make_container(u1, sandbox::unique_name("u"), false);
    v.attach(box, "/mnt/v");
    auto moved = sandbox::unique_name("moved");
    auto [c2, m2] = failure_of([&] { v.move_to(h2, {.pool = pool, .new_name = moved}); });
    EXPECT_EQ(c2, lxd::errc::invalid_argument);
    EXPECT_EQ(m2, "invalid_argument: storage volume '" + name + "' is in use (/1.0/instances/" + box.name() + "): detach it before moving it");
    EXPECT_FALSE(lxd::storage_volumes(u2, pool).exists(moved));
    v.detach(box);

    v.move_to(h2, {.pool = pool, .new_name = moved});
    EXPECT_EQ(v.name(), moved);
    EXPECT_EQ(v.snapshots().size(), 1u);   // the handle is the moved volume, on daemon 2
    EXPECT_FALSE(lxd::storage_volumes(u1, pool).exists(name));
    EXPECT_EQ(sandbox::lxc("storage volume list d1:" + pool + " -f csv").find(name), std::string::npos);
    expect_copy(reader, moved, sum, true);
    reader.stop({.force = true}).wait(1min);
}

TEST_P(StorageTransfer, BackupExportedHereIsImportedThereWithItsData) {
    auto name = sandbox::unique_name("vol");
    auto sum = prepare(name);
    auto v = lxd::storage_volumes(u1, pool).get(name);
    auto dir = std::filesystem::temp_directory_path() / ("lxdpp-vb-" + std::to_string(::getpid()) + name);
    std::filesystem::create_directories(dir);
    auto export_to = [&](const std::string& file, bool volume_only) {
        auto done = v.backups().create("", {.expires_at = "2099-01-01T00:00:00Z", .instance_only = volume_only}).wait(2min);
        auto b = v.backups().get(lxd::backup_name(done));
        EXPECT_EQ(b.instance_only(), volume_only);   // the volume's "volume_only"
        std::uint64_t last = 0;
        auto n = b.download((dir / file).string(), {.progress = [&](std::uint64_t d, std::uint64_t) { last = d; }});
        EXPECT_EQ(n, std::filesystem::file_size(dir / file));
        EXPECT_EQ(last, n);
        b.remove().wait(1min);
        EXPECT_TRUE(v.backups().all().empty());
    };
    export_to("full.tar.gz", false);
    export_to("only.tar.gz", true);

    auto reader = sandbox::make_container(u2, sandbox::unique_name("r"), true);
    auto there = lxd::storage_volumes(u2, pool);
    auto full = sandbox::unique_name("imp");
    there.import_backup((dir / "full.tar.gz").string(), {.name = full}).wait(2min);
    expect_copy(reader, full, sum, true);
    auto only = sandbox::unique_name("imp");
    there.import_backup((dir / "only.tar.gz").string(), {.name = only}).wait(2min);
    expect_copy(reader, only, sum, false);
    EXPECT_NE(sandbox::lxc("storage volume list d2:" + pool + " -f csv").find("custom," + only + ","), std::string::npos);

    // Refused before anything is sent: a pool in the options, a missing file, a bad name.
    EXPECT_EQ(code_of([&] { (void)there.import_backup((dir / "full.tar.gz").string(), {.name = "x", .pool = pool}); }),
              lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { (void)there.import_backup((dir / "missing.tar.gz").string(), {.name = "x"}); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { (void)there.import_backup((dir / "full.tar.gz").string(), {.name = "a/b"}); }), lxd::errc::invalid_argument);
    // A tarball cut in half: the import's operation fails on both servers; no volume is made.
    auto size = std::filesystem::file_size(dir / "full.tar.gz");
    std::filesystem::copy_file(dir / "full.tar.gz", dir / "cut.tar.gz");
    std::filesystem::resize_file(dir / "cut.tar.gz", size / 2);
    auto cut = sandbox::unique_name("cut");
    EXPECT_EQ(code_of([&] { (void)there.import_backup((dir / "cut.tar.gz").string(), {.name = cut}).wait(1min); }),
              lxd::errc::operation_failed);
    EXPECT_FALSE(there.exists(cut));
    // Cut to its first 100 bytes: LXD 5.0 and Incus 6 never answer the upload's POST (lxc
    // and incus then wait forever). lxdpp gives up after the client's request timeout
    // (here 3 s) with errc::timeout naming it; no volume is made.
    std::filesystem::resize_file(dir / "cut.tar.gz", 100);
    auto quick = lxd::client::connect_unix(sandbox::socket(2), {.timeout = std::chrono::seconds(3)});
    auto stub = sandbox::unique_name("cut");
    auto started = std::chrono::steady_clock::now();
    auto [tcode, tmessage] = failure_of([&] { (void)lxd::storage_volumes(quick, pool).import_backup((dir / "cut.tar.gz").string(), {.name = stub}); });
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(tcode, lxd::errc::timeout) << tmessage;
    EXPECT_NE(tmessage.find("3000 ms"), std::string::npos) << tmessage;
    EXPECT_GE(took, std::chrono::seconds(3));
    EXPECT_LT(took, std::chrono::seconds(10));
    EXPECT_FALSE(there.exists(stub));
    std::filesystem::remove_all(dir);
    reader.stop({.force = true}).wait(1min);
}

LXDPP_BOTH_SERVERS(StorageTransfer);
