// files over SFTP (GET /1.0/instances/NAME/sftp, upgraded) beside the REST files endpoint:
// both transports read what the other wrote, errors name the path, "new file only" modes
// and owners, a stop never leaves a partial local file. LXDPP_FILE_TRANSPORT=rest forces
// REST for one scope; the rest of the files suites run over SFTP on both servers.
#include "sandbox.hpp"
#include "shared_box.hpp"
#include "support/code_of.hpp"
#include "support/force_rest.hpp"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <random>

#include <gtest/gtest.h>

using test_support::code_of;
using test_support::force_rest;
namespace fs = std::filesystem;

namespace {
struct FilesSftp : sandbox::shared_box_test<FilesSftp> {
    static constexpr const char* box_prefix = "sftp";
    fs::path scratch = fs::path("/tmp") / sandbox::unique_name("sftp-local");
    void TearDown() override { fs::remove_all(scratch); }
    std::string sh(const std::string& cmd) { return box->execute({"sh", "-c", cmd}).out; }
};

std::string random_bytes(std::size_t n) {
    std::mt19937 gen(42);
    std::string s(n, '\0');
    for (auto& ch : s) ch = static_cast<char>(gen());
    return s;
}
}  // namespace

TEST_P(FilesSftp, EachTransportReadsWhatTheOtherWrote) {
    auto f = box->files();
    auto data = random_bytes(3 * 1024 * 1024 + 12345);   // many READs and WRITEs, a short last one
    f.put("/tmp/by-sftp", data);
    {
        force_rest rest;
        EXPECT_EQ(f.get("/tmp/by-sftp").data, data);
        f.put("/tmp/by-rest", data);
    }
    EXPECT_EQ(f.get("/tmp/by-rest").data, data);
    EXPECT_EQ(sh("md5sum < /tmp/by-sftp"), sh("md5sum < /tmp/by-rest"));
}

TEST_P(FilesSftp, ErrorsNameThePath) {
    auto f = box->files();
    try {
        (void)f.get("/etc/nope");
        FAIL() << "no error";
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::not_found);
        EXPECT_EQ(e.diag().detail, "/etc/nope");
        EXPECT_EQ(std::string(e.what()), "not_found: /etc/nope [SFTP LSTAT]");
    }
    try {
        f.put("/no/such/dir/file", "x");
        FAIL() << "no error";
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::not_found);
        EXPECT_EQ(e.diag().detail, "/no/such/dir/file");
        EXPECT_EQ(e.diag().request, "SFTP OPEN");
    }
    f.mkdir("/tmp/full-dir");
    f.put("/tmp/full-dir/a", "a");
    EXPECT_EQ(code_of([&] { f.remove("/tmp/full-dir"); }), lxd::errc::conflict);   // directory not empty
    EXPECT_EQ(code_of([&] { (void)f.get("/tmp/full-dir", [](std::string_view) {}); }), lxd::errc::invalid_argument);
}

TEST_P(FilesSftp, ModeAndOwnerOnlyWhenNew) {
    auto f = box->files();
    f.put("/tmp/owned", "1", {.mode = 0640, .uid = 1000, .gid = 100});
    EXPECT_EQ(sh("stat -c '%a %u %g' /tmp/owned"), "640 1000 100\n");
    f.put("/tmp/owned", "22", {.mode = 0600, .uid = 0, .gid = 0});
    EXPECT_EQ(sh("stat -c '%a %u %g %s' /tmp/owned"), "640 1000 100 2\n");
    auto i = f.stat("/tmp/owned");
    EXPECT_EQ(i.mode, 0640u);
    EXPECT_EQ(i.uid, 1000u);
    EXPECT_EQ(i.type, lxd::api::file_type::file);
    force_rest rest;
    auto r = f.stat("/tmp/owned");
    EXPECT_EQ(r.mode, i.mode);
    EXPECT_EQ(r.uid, i.uid);
    EXPECT_EQ(r.gid, i.gid);
}

TEST_P(FilesSftp, StoppedGetLeavesNoLocalFile) {
    auto f = box->files();
    f.put("/tmp/big", random_bytes(2 * 1024 * 1024));
    fs::create_directories(scratch);
    auto local = (scratch / "big").string();
    std::stop_source stop;
    EXPECT_EQ(code_of([&] {
                  f.get_to_file("/tmp/big", local, {.stop = stop.get_token(), .progress = [&](std::uint64_t n) {
                                                        if (n > 100000) stop.request_stop();
                                                    }});
              }),
              lxd::errc::operation_cancelled);
    EXPECT_TRUE(fs::is_empty(scratch));   // neither the target nor a temporary file
    f.get_to_file("/tmp/big", local);
    EXPECT_EQ(fs::file_size(local), 2u * 1024 * 1024);
}

TEST_P(FilesSftp, StoppedPutRemovesThePartialFile) {
    auto f = box->files();
    std::stop_source stop;
    std::size_t sent = 0;
    EXPECT_EQ(code_of([&] {
                  f.put("/tmp/partial", [&](char* buf, std::size_t cap) {
                      std::memset(buf, 'x', cap);
                      sent += cap;
                      if (sent > 1024 * 1024) stop.request_stop();
                      return cap;
                  }, {.stop = stop.get_token()});
              }),
              lxd::errc::operation_cancelled);
    EXPECT_FALSE(f.exists("/tmp/partial"));
}

// mkdir and symlink made over SFTP leave what REST leaves: the same modes (no special bits
// on a directory), owners, an existing directory unchanged, the same link targets.
TEST_P(FilesSftp, MkdirAndSymlinkLeaveWhatRestLeaves) {
    auto f = box->files();
    std::map<std::string, std::string> seen;
    for (std::string t : {"sftp", "rest"}) {
        std::unique_ptr<force_rest> rest;
        if (t == "rest") rest = std::make_unique<force_rest>();
        auto d = "/tmp/mk-" + t;
        f.mkdir(d + "/a/b", {.mode = 0700, .parents = true});
        f.mkdir(d + "/a/b", {.mode = 0750});                    // exists: kept as it is
        f.mkdir(d + "/a/b", {.mode = 0750, .parents = true});   // the same with parents
        f.mkdir(d + "/s", {.mode = 02750});
        f.mkdir(d + "/o", {.mode = 0711, .uid = 1000, .gid = 1001});
        f.put(d + "/a/file", "x");
        f.symlink(d + "/a/rel", "file");
        f.symlink(d + "/a/abs", d + "/a/file");
        EXPECT_EQ(f.readlink(d + "/a/rel"), d + "/a/file") << t;
        EXPECT_EQ(f.stat(d + "/a/abs").type, lxd::api::file_type::symlink) << t;
        seen[t] = sh("cd " + d + " && stat -c '%n %a %u:%g %F' a a/b s o a/rel a/abs && { readlink a/rel; readlink a/abs; } | sed s,/mk-" + t + "/,/mk-X/,");
    }
    EXPECT_EQ(seen["sftp"],
              "a 755 0:0 directory\n"
              "a/b 700 0:0 directory\n"
              "s 750 0:0 directory\n"
              "o 711 1000:1001 directory\n"
              "a/rel 777 0:0 symbolic link\n"
              "a/abs 777 0:0 symbolic link\n"
              "file\n"
              "/tmp/mk-X/a/file\n");
    EXPECT_EQ(seen["sftp"], seen["rest"]);
    // A file where a directory is asked for: refused over SFTP, named.
    try {
        f.mkdir("/tmp/mk-sftp/a/file");
        FAIL() << "no error";
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::conflict);
        EXPECT_EQ(e.diag().detail, "/tmp/mk-sftp/a/file exists and is not a directory");
    }
    EXPECT_EQ(sh("cat /tmp/mk-sftp/a/file"), "x");
}

LXDPP_BOTH_SERVERS(FilesSftp);
