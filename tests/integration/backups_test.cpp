// Instance backups: create, list, rename, remove (lxc confirming), download streamed to a
// file or a stream, import on the second daemon (100 MiB of random data hashed equal, the
// snapshots back), a truncated tarball refused with nothing left behind.
#include "sandbox.hpp"
#include "support/code_of.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

using namespace std::chrono_literals;
using test_support::code_of;
using test_support::failure_of;
namespace fs = std::filesystem;

namespace {
struct Backups : sandbox::server_test {
    lxd::client u1 = sandbox::unix_client(1);
    lxd::client u2 = sandbox::unix_client(2);
    fs::path dir = fs::path("/tmp") / sandbox::unique_name("bk");
    void SetUp() override { fs::create_directories(dir); }
    void TearDown() override {
        sandbox::remove_leftovers(u1);
        sandbox::remove_leftovers(u2);
        fs::remove_all(dir);
    }
    /// The files in `dir` (a download leaves no temporary file beside its target).
    std::vector<std::string> files_in_dir() const {
        std::vector<std::string> out;
        for (auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }
    std::string sha_in(lxd::instance& box, const std::string& path) {
        auto r = box.execute({"sha256sum", path});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out.substr(0, 64);
    }
};
}  // namespace

TEST_P(Backups, RandomDataAndSnapshotsComeBackOnTheSecondDaemon) {
    auto name = sandbox::unique_name("bkbig");
    auto box = sandbox::make_container(u1, name, true);
    auto w = box.execute({"sh", "-c", "head -c 104857600 /dev/urandom > /root/big && echo v1 > /root/marker"});
    ASSERT_EQ(w.exit_code, 0) << w.err;
    auto sha = sha_in(box, "/root/big");
    box.snapshots().create("s1").wait(2min);
    box.files().put("/root/marker", "v2\n");
    box.stop({.force = true}).wait(1min);

    auto op = box.backups().create("full", {.expires_at = "2031-01-01T00:00:00Z"});
    op.wait(10min);
    auto b = box.backups().get("full");
    std::uint64_t last = 0, calls = 0;
    auto path = (dir / "full.tar.gz").string();
    auto n = b.download(path, {.progress = [&](std::uint64_t d, std::uint64_t) { last = d; ++calls; }});
    EXPECT_EQ(n, fs::file_size(path));
    EXPECT_EQ(last, n);
    EXPECT_GT(calls, 1u);
    EXPECT_GT(n, 100u << 20);   // random data does not compress
    EXPECT_EQ(files_in_dir(), std::vector<std::string>{"full.tar.gz"});
    EXPECT_EQ(fs::status(path).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);

    auto copy = sandbox::unique_name("bkin");
    std::uint64_t sent = 0;
    u2.instances().import_backup(path, {.name = copy, .progress = [&](std::uint64_t d, std::uint64_t) { sent = d; }}).wait(10min);
    EXPECT_EQ(sent, n);
    auto back = u2.instances().get(copy);
    ASSERT_EQ(back.snapshots().all().size(), 1u);
    EXPECT_EQ(back.snapshots().all()[0].name(), "s1");
    back.start().wait(1min);
    EXPECT_EQ(sha_in(back, "/root/big"), sha);
    EXPECT_EQ(back.files().get("/root/marker").data, "v2\n");
    back.stop({.force = true}).wait(1min);
    back.restore_snapshot("s1").wait(2min);
    back.start().wait(1min);
    EXPECT_EQ(back.files().get("/root/marker").data, "v1\n");
    EXPECT_EQ(sha_in(back, "/root/big"), sha);
    EXPECT_NE(sandbox::lxc("list d2: --format csv -c n").find(copy), std::string::npos);
}

TEST_P(Backups, ListRenameRemoveAsTheCliSeesThem) {
    auto name = sandbox::unique_name("bkl");
    auto box = sandbox::make_container(u1, name, false);
    auto backups = box.backups();
    EXPECT_TRUE(backups.all().empty());
    auto op = backups.create("");   // the server picks the name
    EXPECT_EQ(lxd::backup_name(op.wait(2min)), "backup0");
    backups.create("b1", {.expires_at = "2031-02-03T04:05:06Z", .instance_only = true}).wait(2min);
    auto all = backups.all();
    ASSERT_EQ(all.size(), 2u);
    std::sort(all.begin(), all.end(), [](auto& x, auto& y) { return x.name() > y.name(); });   // the servers' order varies
    EXPECT_EQ(all[0].name(), "backup0");
    EXPECT_EQ(all[1].name(), "b1");
    EXPECT_FALSE(all[0].instance_only());
    EXPECT_TRUE(all[1].instance_only());
    EXPECT_FALSE(all[1].optimized_storage());
    EXPECT_EQ(all[1].expires_at(), "2031-02-03T04:05:06Z");
    EXPECT_EQ(all[1].instance_name(), name);
    auto q = "query d1:/1.0/instances/" + name + "/backups";
    auto listed = sandbox::lxc(q);
    EXPECT_NE(listed.find("/backups/b1\""), std::string::npos) << listed;

    auto b = all[1];
    auto copy = b;
    b.rename("b2").wait(1min);
    EXPECT_EQ(b.name(), "b2");
    EXPECT_EQ(copy.name(), "b2");   // copies of the handle learn it too
    EXPECT_TRUE(b.instance_only());
    listed = sandbox::lxc(q);
    EXPECT_EQ(listed.find("/backups/b1\""), std::string::npos) << listed;
    EXPECT_NE(listed.find("/backups/b2\""), std::string::npos) << listed;

    // The same tarball into a file and into a stream.
    std::ostringstream mem;
    auto n = b.download(mem);
    auto path = (dir / "b2.tar.gz").string();
    EXPECT_EQ(b.download(path), n);
    std::ifstream in(path, std::ios::binary);
    std::string onfile((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(onfile, mem.str());
    ASSERT_GT(onfile.size(), 2u);
    EXPECT_EQ(onfile.substr(0, 2), "\x1f\x8b");   // gzip, the servers' default

    b.remove().wait(1min);
    backups.get("backup0").remove().wait(1min);
    EXPECT_FALSE(backups.exists("b2"));
    EXPECT_EQ(sandbox::lxc(q).find("/backups/"), std::string::npos);
    EXPECT_EQ(code_of([&] { (void)backups.get("b2"); }), lxd::errc::not_found);
}

TEST_P(Backups, BadInputIsRefusedBeforeAnything) {
    auto name = sandbox::unique_name("bkbad");
    auto box = sandbox::make_container(u1, name, false);
    auto before = u1.request_count();
    EXPECT_EQ(code_of([&] { (void)box.backups().create("a/b"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { (void)u2.instances().import_backup((dir / "missing.tar.gz").string()); }),
              lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { (void)u2.instances().import_backup(dir.string(), {.name = "ok"}); }), lxd::errc::invalid_argument);
    EXPECT_EQ(u1.request_count(), before);
    EXPECT_TRUE(box.backups().all().empty());
    // A download that cannot write leaves nothing.
    box.backups().create("b").wait(1min);
    EXPECT_EQ(code_of([&] { (void)box.backups().get("b").download((dir / "no/such/dir/x.tar.gz").string()); }),
              lxd::errc::invalid_argument);
    EXPECT_TRUE(files_in_dir().empty());
}

TEST_P(Backups, TruncatedTarballFailsWithTheServersErrorAndLeavesNothing) {
    auto name = sandbox::unique_name("bkt");
    auto box = sandbox::make_container(u1, name, false);
    box.backups().create("b").wait(1min);
    auto path = (dir / "b.tar.gz").string();
    auto n = box.backups().get("b").download(path);
    ASSERT_GT(n, 400000u);
    fs::resize_file(path, 300000);
    auto copy = sandbox::unique_name("bkt2");
    auto names_before = u2.instances().names();
    auto [code, message] = failure_of([&] { u2.instances().import_backup(path, {.name = copy}).wait(2min); });
    EXPECT_EQ(code, lxd::errc::operation_failed) << message;
    // The server reports whichever of its gzip and tar fails first: gzip's "unexpected end of
    // file", or tar's exit status ("... exited with non-zero value 2").
    EXPECT_TRUE(message.find("unexpected end of file") != std::string::npos ||
                message.find("exited with non-zero value") != std::string::npos) << message;
    EXPECT_FALSE(u2.instances().exists(copy));
    EXPECT_EQ(u2.instances().names(), names_before);
    EXPECT_EQ(sandbox::lxc("list d2: --format csv -c n").find(copy), std::string::npos);
}

LXDPP_BOTH_SERVERS(Backups);
