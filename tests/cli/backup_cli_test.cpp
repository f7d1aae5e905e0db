// `lxdpp export`, `import` and `image copy` as processes against the sandbox daemons; lxc
// (or incus) confirms each effect and reads and writes the same tarballs.
#include "cli/cli_support.hpp"
#include "integration/sandbox.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct BackupCli : cli_support::fixture {
    lxd::client c1 = sandbox::unix_client(1);
    lxd::client c2 = sandbox::unix_client(2);

    void SetUp() override { make_scratch("bcli"); }
    void TearDown() override {
        sandbox::remove_leftovers(c1);
        sandbox::remove_leftovers(c2);
        fs::remove_all(dir);
    }
    std::string lxc(const std::string& args) { return lxc_ok(args); }
};

}  // namespace

TEST_P(BackupCli, ExportImportBothWaysWithTheServersCli) {
    auto name = sandbox::unique_name("bce");
    auto box = sandbox::make_container(c1, name, false);
    box.files().put("/root/payload", "exported by lxdpp\n");
    auto tarball = (dir / "b.tar.gz").string();
    auto r = run("export d1:" + name + " " + tarball + " --instance-only");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "Backup exported successfully!\n");
    EXPECT_EQ(r.err, "");   // no terminal: no progress
    EXPECT_TRUE(fs::is_regular_file(tarball));
    EXPECT_TRUE(c1.instances().get(name).backups().all().empty());   // deleted on the server, as lxc does
    EXPECT_EQ(run("-q export d1:" + name + " " + (dir / "q.tar.gz").string()).out, "");

    // lxdpp's tarball imported by lxc, lxc's by lxdpp.
    auto by_lxc = sandbox::unique_name("bci");
    lxc("import d2: " + tarball + " " + by_lxc);
    EXPECT_EQ(c2.instances().get(by_lxc).files().get("/root/payload").data, "exported by lxdpp\n");
    auto lxc_tarball = (dir / "l.tar.gz").string();
    lxc("export d1:" + name + " " + lxc_tarball + " -q");
    auto by_lxdpp = sandbox::unique_name("bcj");
    r = run("import d2: " + lxc_tarball + " " + by_lxdpp + " --storage p");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(c2.instances().get(by_lxdpp).files().get("/root/payload").data, "exported by lxdpp\n");
    EXPECT_NE(lxc("list d2: --format csv -c n").find(by_lxdpp), std::string::npos);
}

TEST_P(BackupCli, TruncatedImportFailsWithTheServersErrorAndLeavesNothing) {
    auto name = sandbox::unique_name("bct");
    sandbox::make_container(c1, name, false);
    auto tarball = (dir / "t.tar.gz").string();
    ASSERT_EQ(run("export d1:" + name + " " + tarball).status, 0);
    fs::resize_file(tarball, 300000);
    auto target = sandbox::unique_name("bcu");
    auto r = run("import d2: " + tarball + " " + target);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("Error: "), std::string::npos) << r.err;
    // The server reports whichever of its gzip and tar fails first: gzip's "unexpected end of
    // file", or tar's exit status ("... exited with non-zero value 2").
    EXPECT_TRUE(r.err.find("unexpected end of file") != std::string::npos ||
                r.err.find("exited with non-zero value") != std::string::npos) << r.err;
    EXPECT_EQ(lxc("list d2: --format csv -c n").find(target), std::string::npos);
    auto missing = run("import d2: " + (dir / "nope.tar.gz").string());
    EXPECT_EQ(missing.status, 1);
    EXPECT_NE(missing.err.find("nope.tar.gz"), std::string::npos) << missing.err;
}

TEST_P(BackupCli, ImageCopyWithAliasesThenLaunch) {
    auto src = sandbox::unique_name("bcs");
    auto box = sandbox::make_container(c1, src, false);
    box.files().put("/root/marker", "image " + src + "\n");
    auto a1 = sandbox::unique_name("bca"), a2 = sandbox::unique_name("bcb");
    auto fp = lxd::image_fingerprint(box.publish({.aliases = {a1}}).wait(5min));
    auto r = run("image copy d1:" + a1 + " d2: --alias " + a2 + " --copy-aliases --public");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "Image copied successfully!\n");
    auto aliases = lxc("image alias list d2: --format csv");
    EXPECT_NE(aliases.find(a1 + "," + fp.substr(0, 12)), std::string::npos) << aliases;
    EXPECT_NE(aliases.find(a2 + "," + fp.substr(0, 12)), std::string::npos) << aliases;
    EXPECT_TRUE(c2.images().get(fp).is_public());
    auto name = sandbox::unique_name("bcl");
    r = run("launch d2:" + a2 + " d2:" + name + " -q");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(c2.instances().get(name).files().get("/root/marker").data, "image " + src + "\n");
    auto bad = run("image copy d1:" + a1 + " nosuchremote");
    EXPECT_EQ(bad.status, 1);
}

LXDPP_BOTH_SERVERS(BackupCli);
