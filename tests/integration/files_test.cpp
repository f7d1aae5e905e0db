// files: get/put (bytes, files, streams), modes and owners, append, mkdir, symlinks,
// listing, stat, remove, recursive transfer and traversal refusal — on a real daemon.
#include "sandbox.hpp"
#include "shared_box.hpp"
#include "support/process_usage.hpp"
#include "support/code_of.hpp"

#include <filesystem>
#include <fstream>
#include <cstring>
#include <map>
#include <random>

#include <boost/json.hpp>

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <map>
#include <memory>

using namespace std::chrono_literals;
using test_support::code_of;
namespace fs = std::filesystem;

namespace {
struct Files : sandbox::shared_box_test<Files> {
    static constexpr const char* box_prefix = "files";
    fs::path scratch = fs::path("/tmp") / sandbox::unique_name("local");
    void TearDown() override { fs::remove_all(scratch); }
    std::string sh(const std::string& cmd) { return box->execute({"sh", "-c", cmd}).out; }
};

void write_file(const fs::path& p, const std::string& data) {
    std::ofstream(p, std::ios::binary) << data;
}
std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
}  // namespace

TEST_P(Files, PutGetBytesAndMetadata) {
    auto f = box->files();
    std::string data("binary\0data\xff", 12);
    f.put("/tmp/a.bin", data, {.mode = 0640, .uid = 1000, .gid = 2000});
    auto got = f.get("/tmp/a.bin");
    EXPECT_EQ(got.data, data);
    EXPECT_EQ(got.info.type, lxd::api::file_type::file);
    EXPECT_EQ(got.info.mode, 0640u);
    EXPECT_EQ(got.info.uid, 1000u);
    EXPECT_EQ(got.info.gid, 2000u);
    EXPECT_EQ(sh("stat -c '%a %u %g %s' /tmp/a.bin"), "640 1000 2000 12\n");
    // The lxc CLI reads the same bytes.
    EXPECT_EQ(sandbox::lxc("file pull d1:" + box->name() + "/tmp/a.bin -"), data);
}

TEST_P(Files, ModesRoundTripAsOctal) {
    auto f = box->files();
    for (std::uint32_t mode : {0600u, 0755u, 04755u}) {
        std::string p = "/tmp/mode-" + std::to_string(mode);
        f.put(p, "x", {.mode = mode});
        EXPECT_EQ(f.stat(p).mode, mode & 0777) << std::oct << mode;   // LXD 5.0 hides 07000 bits
        char buf[8];
        std::snprintf(buf, sizeof buf, "%o\n", mode);
        EXPECT_EQ(sh("stat -c %a " + p), buf);
    }
}

TEST_P(Files, AppendAppends) {
    auto f = box->files();
    f.put("/tmp/log", "one\n");
    f.put("/tmp/log", "two\n", {.append = true});
    EXPECT_EQ(f.get("/tmp/log").data, "one\ntwo\n");
    f.put("/tmp/log", "over\n");
    EXPECT_EQ(f.get("/tmp/log").data, "over\n");
}

TEST_P(Files, EmptyFile) {
    auto f = box->files();
    f.put("/tmp/empty", "");
    auto got = f.get("/tmp/empty");
    EXPECT_EQ(got.data, "");
    EXPECT_EQ(sh("stat -c %s /tmp/empty"), "0\n");
}

TEST_P(Files, MissingIsNotFound) {
    auto f = box->files();
    EXPECT_EQ(code_of([&] { (void)f.get("/no/such/file"); }), lxd::errc::not_found);
    EXPECT_EQ(code_of([&] { (void)f.stat("/no/such/file"); }), lxd::errc::not_found);
    EXPECT_FALSE(f.exists("/no/such/file"));
    EXPECT_EQ(code_of([&] { f.get_to_file("/no/such/file", (scratch.string() + "-x")); }), lxd::errc::not_found);
    EXPECT_FALSE(fs::exists(scratch.string() + "-x"));
}

TEST_P(Files, StreamsFromAndToLocalFiles) {
    fs::create_directories(scratch);
    std::string data(5 << 20, '\0');
    std::mt19937 rng(7);
    for (auto& ch : data) ch = static_cast<char>(rng());
    write_file(scratch / "src", data);
    ::chmod((scratch / "src").c_str(), 0751);
    auto f = box->files();
    f.put_file("/tmp/big", (scratch / "src").string());
    EXPECT_EQ(f.stat("/tmp/big").mode, 0751u);   // the local mode travels by default
    auto info = f.get_to_file("/tmp/big", (scratch / "dst").string());
    EXPECT_EQ(info.mode, 0751u);
    EXPECT_TRUE(read_file(scratch / "dst") == data);
    std::size_t chunks = 0, bytes = 0;
    f.get("/tmp/big", [&](std::string_view s) { ++chunks; bytes += s.size(); });
    EXPECT_EQ(bytes, data.size());
    EXPECT_GT(chunks, 1u);
    // From a source, chunked.
    std::size_t given = 0;
    f.put("/tmp/streamed", [&](char* buf, std::size_t cap) {
        auto n = std::min<std::size_t>(cap, 3'000'000 - given);
        std::memset(buf, 'q', n);
        given += n;
        return n;
    });
    EXPECT_EQ(sh("wc -c < /tmp/streamed"), "3000000\n");
}

TEST_P(Files, DirectoriesListingSymlinksRemove) {
    auto f = box->files();
    f.mkdir("/tmp/d1/d2/d3", {.mode = 0700, .parents = true});
    EXPECT_EQ(sh("stat -c %a /tmp/d1/d2/d3"), "700\n");
    EXPECT_EQ(f.stat("/tmp/d1/d2").type, lxd::api::file_type::directory);
    f.put("/tmp/d1/file with space", "s");
    f.symlink("/tmp/d1/link", "file with space");
    EXPECT_EQ(f.readlink("/tmp/d1/link"), "/tmp/d1/file with space");   // LXD resolves it
    EXPECT_EQ(sh("readlink /tmp/d1/link"), "file with space\n");
    auto names = f.list("/tmp/d1");
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"d2", "file with space", "link"}));
    EXPECT_EQ(f.stat("/tmp/d1/link").type, lxd::api::file_type::symlink);
    f.remove("/tmp/d1/link");
    f.remove("/tmp/d1/file with space");
    EXPECT_FALSE(f.exists("/tmp/d1/link"));
    EXPECT_EQ(sh("ls /tmp/d1"), "d2\n");
    EXPECT_EQ(code_of([&] { (void)f.list("/tmp/a-file-not-dir"); }), lxd::errc::not_found);
}

TEST_P(Files, RecursiveTreeSurvivesPutThenGet) {
    // 1,000 files in nested directories, empty directories, symlinks, spaces and non-ASCII.
    auto src = scratch / "src";
    std::mt19937 rng(42);
    for (int d = 0; d < 10; ++d) {
        auto dir = src / ("dir " + std::to_string(d)) / "inner-é";
        fs::create_directories(dir);
        for (int i = 0; i < 100; ++i) {
            std::string data(rng() % 3000, '\0');
            for (auto& ch : data) ch = static_cast<char>(rng());
            auto p = dir / ("f" + std::to_string(i) + (i % 7 == 0 ? " spaced ü.bin" : ".bin"));
            write_file(p, data);
            ::chmod(p.c_str(), i % 3 == 0 ? 0600 : (i % 3 == 1 ? 0644 : 0755));
        }
    }
    fs::create_directories(src / "empty dir");
    fs::create_symlink("dir 0/inner-é/f1.bin", src / "link to f1");
    fs::create_symlink("inner-é", src / "dir 1" / "dirlink");

    auto f = box->files();
    auto remote = "/root/" + sandbox::unique_name("tree");
    f.recursive_put(src.string(), remote);
    EXPECT_EQ(sh("find '" + remote + "' -type f | wc -l"), "1000\n");
    auto dst = scratch / "dst";
    f.recursive_get(remote, dst.string());

    auto listing = [](const fs::path& root) {
        std::map<std::string, std::string> out;   // relative path -> "type mode content/target"
        for (auto& e : fs::recursive_directory_iterator(root)) {
            auto rel = e.path().lexically_relative(root).string();
            struct stat st {};
            ::lstat(e.path().c_str(), &st);
            char mode[8];
            std::snprintf(mode, sizeof mode, "%o", st.st_mode & 07777);
            if (S_ISLNK(st.st_mode))
                out[rel] = "link " + fs::read_symlink(e.path()).string();
            else if (S_ISDIR(st.st_mode))
                out[rel] = std::string("dir ") + mode;
            else
                out[rel] = std::string("file ") + mode + " " + read_file(e.path());
        }
        return out;
    };
    auto a = listing(src), b = listing(dst);
    EXPECT_EQ(a.size(), 1000u + 10 + 10 + 1 + 2);
    EXPECT_EQ(a, b);
}

TEST_P(Files, TraversalIsRefusedOnGet) {
    auto f = box->files();
    auto remote = "/root/" + sandbox::unique_name("evil");
    f.mkdir(remote);
    f.put(remote + "/ok", "fine");
    f.symlink(remote + "/escape", "../../../../../../tmp/lxdpp-escaped");
    auto dst = scratch / "dst";
    EXPECT_EQ(code_of([&] { f.recursive_get(remote, dst.string()); }), lxd::errc::protocol_error);
    EXPECT_FALSE(fs::exists("/tmp/lxdpp-escaped"));
    EXPECT_FALSE(fs::is_symlink(dst / "escape"));

    f.remove(remote + "/escape");
    f.symlink(remote + "/abs", "/etc/passwd");
    EXPECT_EQ(code_of([&] { f.recursive_get(remote, (scratch / "dst2").string()); }), lxd::errc::protocol_error);
    EXPECT_FALSE(fs::is_symlink(scratch / "dst2" / "abs"));
}

TEST_P(Files, TraversalIsRefusedOnPutBeforeAnythingIsSent) {
    auto src = scratch / "src";
    fs::create_directories(src / "sub");
    write_file(src / "sub" / "a", "a");
    fs::create_symlink("../../outside", src / "sub" / "out");
    auto remote = "/root/" + sandbox::unique_name("refused");
    auto f = box->files();
    EXPECT_EQ(code_of([&] { f.recursive_put(src.string(), remote); }), lxd::errc::invalid_argument);
    EXPECT_FALSE(f.exists(remote));
}

TEST_P(Files, BadPathsAreRefused) {
    auto f = box->files();
    EXPECT_EQ(code_of([&] { f.put("", "x"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { f.put(std::string("/tmp/a\0b", 8), "x"); }), lxd::errc::invalid_argument);
}

TEST_P(Files, FiveHundredRoundTripsLeakNoDescriptorsNorMemory) {
    fs::create_directories(scratch);
    auto local = scratch / "rt";
    { std::ofstream(local) << std::string(64 * 1024, 'r'); }
    auto round = [&] {
        box->files().put_file("/root/rt", local.string());
        (void)box->files().get_to_file("/root/rt", (scratch / "back").string());
    };
    for (int i = 0; i < 20; ++i) round();
    int fds = test_support::open_fds();
    long rss = test_support::rss_kib();
    for (int i = 0; i < 500; ++i) round();
    EXPECT_LE(test_support::open_fds(), fds + 8);
    if (!test_support::under_asan()) EXPECT_LT(test_support::rss_kib() - rss, 4096) << "RSS grew over 500 round trips";
    EXPECT_EQ(fs::file_size(scratch / "back"), 64u * 1024);
    std::vector<std::string> names;
    for (auto& e : fs::directory_iterator(scratch)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"back", "rt"}));   // no temporary files left behind
}

TEST_P(Files, ErrorsNameThePath) {
    try {
        (void)box->files().get("/no/such/file-xyz");
        ADD_FAILURE() << "a missing file was read";
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::not_found);
        EXPECT_NE(std::string(e.what()).find("/no/such/file-xyz"), std::string::npos) << e.what();
    }
    try {
        box->files().put("/no/such/dir/f", "x");
        ADD_FAILURE() << "a file was written into a missing directory";
    } catch (const lxd::error& e) {
        EXPECT_NE(std::string(e.what()).find("/no/such/dir/f"), std::string::npos) << e.what();
    }
}

LXDPP_BOTH_SERVERS(Files);

// client::raw with a byte body and X-LXD-*/X-Incus-* headers (the raw interface; files()
// streams), and a file GET answered without an envelope: status, headers and bytes.
TEST_P(Files, RawRequestsCarryBytesAndHeadersAndReturnTheUnparsedAnswer) {
    std::string prefix = sandbox::on_incus() ? "X-Incus-" : "X-LXD-";
    std::string lower = sandbox::on_incus() ? "x-incus-" : "x-lxd-";
    std::string path = "/1.0/instances/" + box->name() + "/files";
    std::string data("raw\0bytes\xff{", 11);
    auto put = c->raw({.method = "POST", .path = path, .query = {{"path", "/tmp/raw.bin"}}, .body = data,
                       .content_type = "application/octet-stream",
                       .headers = {{prefix + "mode", "0604"}, {prefix + "uid", "7"}, {prefix + "gid", "8"}},
                       .envelope = false});
    EXPECT_EQ(put.http_status, 200);
    EXPECT_EQ(boost::json::parse(put.body).at("type").as_string(), "sync");
    EXPECT_EQ(sh("stat -c '%a %u %g %s' /tmp/raw.bin; sleep 0.2"), "604 7 8 11\n");
    EXPECT_EQ(sandbox::lxc("file pull d1:" + box->name() + "/tmp/raw.bin -"), data);

    auto got = c->raw({.path = path, .query = {{"path", "/tmp/raw.bin"}}, .envelope = false});
    EXPECT_EQ(got.http_status, 200);
    EXPECT_EQ(got.body, data);
    EXPECT_TRUE(got.type.empty());
    std::map<std::string, std::string> h(got.headers.begin(), got.headers.end());
    EXPECT_EQ(h[lower + "mode"], "0604");
    EXPECT_EQ(h[lower + "uid"], "7");
    EXPECT_EQ(h[lower + "type"], "file");
    // The envelope form of the same client still works, and an error still throws.
    EXPECT_EQ(code_of([&] { c->raw({.path = path, .query = {{"path", "/tmp/no-such"}}, .envelope = false}); }),
              lxd::errc::not_found);
    auto before = c->request_count();
    EXPECT_EQ(code_of([&] { c->raw({.path = path, .headers = {{"Authorization", "x"}}, .envelope = false}); }),
              lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { c->raw({.method = "POST", .path = path, .body = "{x"}); }), lxd::errc::invalid_argument);
    EXPECT_EQ(c->request_count(), before);
}
