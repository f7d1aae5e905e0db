// Whole trees over one SFTP session (recursive_get/put on servers with SFTP) and over REST
// (LXDPP_FILE_TRANSPORT=rest, as on servers without SFTP): nested and empty directories,
// symlinks, empty and multi-MiB files round-trip byte for byte, and each transport reads
// what the other wrote; many files in flight without a thread per file on both.
#include "sandbox.hpp"
#include "shared_box.hpp"
#include "support/code_of.hpp"
#include "support/force_rest.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include <sys/stat.h>

#include <gtest/gtest.h>

using test_support::code_of;
using test_support::force_rest;
namespace fs = std::filesystem;

namespace {
struct FilesTree : sandbox::shared_box_test<FilesTree> {
    static constexpr const char* box_prefix = "tree";
    fs::path scratch = fs::path("/tmp") / sandbox::unique_name("tree-local");
    void TearDown() override { fs::remove_all(scratch); }
    std::string sh(const std::string& cmd) { return box->execute({"sh", "-c", cmd}).out; }
    void round_trip(const std::function<void()>& other);
};

std::string random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::string s(n, '\0');
    for (auto& ch : s) ch = static_cast<char>(gen());
    return s;
}

void write_file(const fs::path& p, const std::string& data) { std::ofstream(p, std::ios::binary) << data; }
std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// relative path -> "type mode content-or-target", for comparing two trees whole.
std::map<std::string, std::string> listing(const fs::path& root) {
    std::map<std::string, std::string> out;
    for (auto& e : fs::recursive_directory_iterator(root)) {
        auto rel = e.path().lexically_relative(root).string();
        struct stat st {};
        ::lstat(e.path().c_str(), &st);
        char mode[8];
        std::snprintf(mode, sizeof mode, "%o", st.st_mode & 07777);
        if (S_ISLNK(st.st_mode)) out[rel] = "link " + fs::read_symlink(e.path()).string();
        else if (S_ISDIR(st.st_mode)) out[rel] = std::string("dir ") + mode;
        else out[rel] = std::string("file ") + mode + " " + read_file(e.path());
    }
    return out;
}

/// md5sum's output for `files` (relative to `dir`) on the host.
std::string host_md5(const fs::path& dir, const std::string& files) {
    std::string out;
    auto* p = ::popen(("cd '" + dir.string() + "' && md5sum " + files).c_str(), "r");
    char buf[512];
    while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
    return out;
}

int threads_now() {
    int n = 0;
    for ([[maybe_unused]] auto& e : fs::directory_iterator("/proc/self/task")) ++n;
    return n;
}
}  // namespace

/// Sends a tree of nested and empty directories, symlinks, empty and multi-MiB files,
/// checks it in the instance, reads it back with the transport in use, then with the
/// other one (`other` sets or clears the environment that picks it).
void FilesTree::round_trip(const std::function<void()>& other) {
    auto src = scratch / "src";
    fs::create_directories(src / "a" / "b" / "c");
    fs::create_directories(src / "empty" / "deeper-empty");
    write_file(src / "zero", "");
    write_file(src / "a" / "zero too", "");
    write_file(src / "a" / "big", random_bytes(5 * 1024 * 1024 + 777, 1));   // many READs/WRITEs, a short last one
    write_file(src / "a" / "b" / "c" / "big2", random_bytes(3 * 1024 * 1024, 2));
    for (int i = 0; i < 40; ++i) write_file(src / "a" / "b" / ("small" + std::to_string(i)), random_bytes(i * 997, 3 + i));
    ::chmod((src / "a" / "b" / "small1").c_str(), 0600);
    ::chmod((src / "a" / "b" / "small2").c_str(), 0755);
    ::chmod((src / "empty").c_str(), 0700);
    fs::create_symlink("a/big", src / "link-to-big");
    fs::create_symlink("c", src / "a" / "b" / "link-to-dir");
    fs::create_symlink("../zero", src / "a" / "up-link");

    auto f = box->files();
    auto remote = "/root/" + sandbox::unique_name("tree");
    f.recursive_put(src.string(), remote);
    EXPECT_EQ(sh("cd '" + remote + "' && md5sum a/big a/b/c/big2 zero"), host_md5(src, "a/big a/b/c/big2 zero"));
    EXPECT_EQ(sh("find '" + remote + "' -type f | wc -l; find '" + remote + "' -type l | wc -l; find '" + remote +
                 "' -type d | wc -l"),
              "44\n3\n6\n");   // directories: the root, a, a/b, a/b/c, empty, empty/deeper-empty
    EXPECT_EQ(sh("stat -c '%a %s' '" + remote + "/a/b/small1' '" + remote + "/a/b/small2' '" + remote + "/a/big'"),
              "600 997\n755 1994\n644 5243657\n");
    EXPECT_EQ(sh("stat -c '%a' '" + remote + "/empty'"), "700\n");
    EXPECT_EQ(sh("readlink '" + remote + "/a/up-link'"), "../zero\n");

    auto dst = scratch / "dst";
    f.recursive_get(remote, dst.string());
    EXPECT_EQ(listing(src), listing(dst));
    other();   // the other transport reads the same tree
    auto dst2 = scratch / "dst-other";
    f.recursive_get(remote, dst2.string());
    EXPECT_EQ(listing(src), listing(dst2));
}

TEST_P(FilesTree, NestedEmptyLinkedAndBigFilesRoundTrip) {
    std::optional<force_rest> rest;
    round_trip([&] { rest.emplace(); });
}

TEST_P(FilesTree, NestedEmptyLinkedAndBigFilesRoundTripOverRest) {
    force_rest rest;
    round_trip([] { ::unsetenv("LXDPP_FILE_TRANSPORT"); });
}

/// Samples the process's thread count every millisecond while alive (itself included).
struct thread_watch {
    std::atomic<bool> done{false};
    std::atomic<int> most{0};
    std::thread t;
    int before = 0;
    thread_watch() {
        t = std::thread([this] {
            while (!done) {
                most = std::max(most.load(), threads_now());
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        });
        while (most.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        before = threads_now();   // the watcher included
    }
    int stop() {
        done = true;
        t.join();
        return most.load();
    }
};

TEST_P(FilesTree, TwoHundredFilesUseNoExtraThread) {
    auto src = scratch / "src";
    for (int d = 0; d < 4; ++d) {
        fs::create_directories(src / ("d" + std::to_string(d)));
        for (int i = 0; i < 50; ++i)
            write_file(src / ("d" + std::to_string(d)) / ("f" + std::to_string(i)), random_bytes(20000 + i * 10, d * 100 + i));
    }
    auto f = box->files();
    auto round = [&](const std::string& remote, const fs::path& dst, unsigned parallel) {
        {
            thread_watch w;
            f.recursive_put(src.string(), remote, {.parallel = parallel});
            EXPECT_EQ(w.stop(), w.before);
        }
        EXPECT_EQ(sh("find '" + remote + "' -type f | wc -l"), "200\n");
        {
            thread_watch w;
            f.recursive_get(remote, dst.string(), {.parallel = parallel});
            EXPECT_EQ(w.stop(), w.before);
        }
        EXPECT_EQ(listing(src), listing(dst));
    };
    auto remote = "/root/" + sandbox::unique_name("many");
    round(remote, scratch / "dst", 32);
    force_rest rest;   // one request per file, 8 in flight, still on the client's I/O thread
    round(remote + "-rest", scratch / "dst-rest", 8);
}

TEST_P(FilesTree, StopLeavesNoCompleteLookingPartialFile) {
    auto f = box->files();
    auto remote = "/root/" + sandbox::unique_name("stop");
    f.mkdir(remote);
    auto big = random_bytes(4 * 1024 * 1024, 9);
    for (int i = 0; i < 8; ++i) f.put(remote + "/f" + std::to_string(i), big);
    auto dst = scratch / "dst";
    std::stop_source stop;
    std::atomic<bool> done{false};
    std::thread stopper([&] {   // stops once the first file is in place
        while (!done) {
            std::error_code ec;
            for (auto& e : fs::directory_iterator(dst, ec))
                if (e.path().filename().string()[0] == 'f') stop.request_stop();
            if (stop.stop_requested()) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    auto code = code_of([&] { f.recursive_get(remote, dst.string(), {.parallel = 2, .stop = stop.get_token()}); });
    done = true;
    stopper.join();
    EXPECT_EQ(code, lxd::errc::operation_cancelled);
    int complete = 0;
    for (auto& e : fs::directory_iterator(dst)) {
        EXPECT_EQ(e.path().filename().string().find(".lxdpp-"), std::string::npos) << e.path();
        EXPECT_EQ(read_file(e.path()), big) << e.path();
        ++complete;
    }
    EXPECT_GE(complete, 1);
    EXPECT_LT(complete, 8);
}

TEST_P(FilesTree, MissingRootAndFileRootAreRefused) {
    auto f = box->files();
    EXPECT_EQ(code_of([&] { f.recursive_get("/root/no-such-tree", (scratch / "x").string()); }), lxd::errc::not_found);
    f.put("/root/plain-file", "x");
    EXPECT_EQ(code_of([&] { f.recursive_get("/root/plain-file", (scratch / "y").string()); }), lxd::errc::invalid_argument);
    EXPECT_FALSE(fs::exists(scratch / "y"));
}

LXDPP_BOTH_SERVERS(FilesTree);
