// A hostile server answering recursive_get: symlink chains that look inside but resolve
// outside, setuid-root files, names a real LXD never sends. Nothing may be written outside
// the target, nothing setuid unless asked, and a refusal must come before any write.
#include "fault_server.hpp"
#include "support/code_of.hpp"

#include <lxd/lxd.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include <sys/socket.h>
#include <fstream>
#include <map>

#include <sys/stat.h>
#include <unistd.h>

using faults::fault_server;
using test_support::code_of;
namespace fs = std::filesystem;

namespace {

struct remote_entry {
    std::string type;     // file, directory, symlink
    std::string body;     // file bytes, symlink target, or a JSON array of names
    unsigned mode = 0644;
};

std::string url_decode(std::string s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

/// An LXD error envelope with its HTTP status line.
std::string error_response(int status, const std::string& reason) {
    std::string body = R"({"type":"error","error":")" + reason + R"(","error_code":)" + std::to_string(status) + R"(,"metadata":null})";
    return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// Serves GET /1.0, the instance "c" and its files from `tree`, keep-alive.
class hostile_server {
public:
    explicit hostile_server(std::map<std::string, remote_entry> tree)
        : tree_(std::move(tree)), server_([this](int fd, int) { serve(fd); }) {}
    const std::string& path() const { return server_.path(); }

private:
    void serve(int fd) {
        std::string req;
        while (server_.read_request(fd, &req)) {
            auto line = req.substr(0, req.find("\r\n"));
            auto sp1 = line.find(' '), sp2 = line.rfind(' ');
            auto method = line.substr(0, sp1);
            auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
            auto q = target.find("?path=");
            if (target == "/1.0") {
                fault_server::write_all(fd, fault_server::sync_response(
                    R"({"api_version":"1.0","auth":"trusted","api_extensions":["instances","file_symlinks","file_delete"],"environment":{"server":"lxd","server_version":"5.0.2"}})"));
            } else if (target.rfind("/1.0/instances/c/files", 0) == 0 && q != std::string::npos) {
                auto p = url_decode(target.substr(q + 6));
                p = p.substr(0, p.find('&'));
                auto it = tree_.find(p);
                if (it == tree_.end()) {
                    fault_server::write_all(fd, error_response(404, "Not Found"));
                    continue;
                }
                auto& e = it->second;
                char mode[16];
                std::snprintf(mode, sizeof mode, "0%o", e.mode);
                std::string body = e.type == "directory"
                                       ? R"({"type":"sync","status":"Success","status_code":200,"metadata":)" + e.body + "}"
                                       : e.body;
                std::string ct = e.type == "directory" ? "application/json" : "application/octet-stream";
                std::string head = "HTTP/1.1 200 OK\r\nContent-Type: " + ct + "\r\nX-LXD-type: " + e.type +
                                   "\r\nX-LXD-mode: " + mode + "\r\nX-LXD-uid: 0\r\nX-LXD-gid: 0\r\nContent-Length: " +
                                   std::to_string(body.size()) + "\r\n\r\n";
                fault_server::write_all(fd, method == "HEAD" ? head : head + body);
            } else if (target.rfind("/1.0/instances/c", 0) == 0) {
                fault_server::write_all(fd, fault_server::sync_response(
                    R"({"name":"c","type":"container","status":"Running","status_code":103,"config":{},"devices":{},"profiles":[],"expanded_config":{},"expanded_devices":{}})"));
            } else {
                fault_server::write_all(fd, error_response(400, "Bad Request"));
            }
        }
    }
    std::map<std::string, remote_entry> tree_;
    fault_server server_;
};

class HostileFiles : public ::testing::Test {
protected:
    void SetUp() override {
        base_ = fs::temp_directory_path() / ("lxdpp-hostile-" + std::to_string(::getpid()));
        fs::remove_all(base_);
        fs::create_directories(base_);
    }
    void TearDown() override { fs::remove_all(base_); }
    fs::path base_;
};

TEST_F(HostileFiles, SymlinkChainThatResolvesOutsideIsRefusedBeforeAnythingIsWritten) {
    hostile_server s({
        {"/t", {"directory", R"(["a","c","l1","l2"])", 0755}},
        {"/t/a", {"file", "first file", 0644}},
        {"/t/l2", {"symlink", ".", 0777}},
        {"/t/l1", {"symlink", "l2/..", 0777}},
        {"/t/c", {"symlink", "l1/../x", 0777}},
    });
    auto c = lxd::client::connect_unix(s.path());
    auto out = base_ / "pulled";
    auto code = code_of([&] { c.instances().get("c").files().recursive_get("/t", out.string()); });
    EXPECT_EQ(code, lxd::errc::protocol_error);
    EXPECT_FALSE(fs::exists(out / "a")) << "a file was written before the refusal";
    EXPECT_FALSE(fs::exists(fs::symlink_status(out / "c")));
}

TEST_F(HostileFiles, LinksThatStayInsideThroughOtherLinksAreKept) {
    hostile_server s({
        {"/t", {"directory", R"(["d","l","m"])", 0755}},
        {"/t/d", {"directory", R"(["f"])", 0755}},
        {"/t/d/f", {"file", "inside", 0644}},
        {"/t/l", {"symlink", "d", 0777}},
        {"/t/m", {"symlink", "l/../d/f", 0777}},
    });
    auto c = lxd::client::connect_unix(s.path());
    auto out = base_ / "pulled";
    c.instances().get("c").files().recursive_get("/t", out.string());
    EXPECT_EQ(fs::read_symlink(out / "m").string(), "l/../d/f");
    std::ifstream in(out / "m");
    std::string got((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(got, "inside");
}

TEST_F(HostileFiles, SetuidFromTheServerIsDroppedUnlessAsked) {
    hostile_server s({
        {"/t", {"directory", R"(["suid"])", 0755}},
        {"/t/suid", {"file", "#!/bin/sh\n", 04755}},
    });
    auto c = lxd::client::connect_unix(s.path());
    auto f = c.instances().get("c").files();
    f.recursive_get("/t", (base_ / "plain").string());
    struct stat st {};
    ASSERT_EQ(::stat((base_ / "plain" / "suid").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0755u);
    f.recursive_get("/t", (base_ / "kept").string(), {.keep_special_bits = true});
    ASSERT_EQ(::stat((base_ / "kept" / "suid").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 04755u);
    (void)f.get_to_file("/t/suid", (base_ / "single").string());
    ASSERT_EQ(::stat((base_ / "single").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0755u);
}

TEST_F(HostileFiles, BackslashAndAbsoluteLinksInsideTheTreeArePulledWhole) {
    hostile_server s({
        {"/t", {"directory", R"(["a\\b","abs","z"])", 0755}},
        {"/t/a\\b", {"file", "backslash", 0644}},
        {"/t/abs", {"symlink", "/t/z", 0777}},
        {"/t/z", {"file", "zed", 0600}},
    });
    auto c = lxd::client::connect_unix(s.path());
    auto out = base_ / "pulled";
    c.instances().get("c").files().recursive_get("/t", out.string());
    EXPECT_TRUE(fs::is_regular_file(out / "a\\b"));
    EXPECT_EQ(fs::read_symlink(out / "abs").string(), "z");
    EXPECT_TRUE(fs::is_regular_file(out / "z"));
}

TEST_F(HostileFiles, AbsoluteLinkOutsideIsRefusedBeforeAnythingIsWritten) {
    hostile_server s({
        {"/t", {"directory", R"(["a","evil"])", 0755}},
        {"/t/a", {"file", "first", 0644}},
        {"/t/evil", {"symlink", "/etc/shadow", 0777}},
    });
    auto c = lxd::client::connect_unix(s.path());
    auto out = base_ / "pulled";
    EXPECT_EQ(code_of([&] { c.instances().get("c").files().recursive_get("/t", out.string()); }), lxd::errc::protocol_error);
    EXPECT_FALSE(fs::exists(out / "a"));
}

}  // namespace

namespace {

// A file whose chunked body never ends: the transfer is cut at transfer_timeout, and
// nothing is left at the target.
TEST_F(HostileFiles, NeverEndingChunkedBodyIsCutAtTheTransferDeadline) {
    std::atomic<bool> stop{false};
    fault_server s([&](int fd, int) {
        std::string req;
        while (!stop && s.read_request(fd, &req)) {
            if (req.rfind("GET /1.0 ", 0) == 0) {
                fault_server::write_all(fd, fault_server::sync_response(
                    R"({"api_version":"1.0","auth":"trusted","api_extensions":["instances"],"environment":{"server":"lxd","server_version":"5.0.2"}})"));
                continue;
            }
            fault_server::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nX-LXD-type: file\r\n"
                                        "X-LXD-mode: 0644\r\nTransfer-Encoding: chunked\r\n\r\n");
            std::string chunk = "400\r\n" + std::string(1024, 'n') + "\r\n";
            while (!stop) {
                if (::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) <= 0) return;
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            return;
        }
    });
    lxd::client_options opts;
    opts.transfer_timeout = std::chrono::seconds(2);
    auto c = lxd::client::connect_unix(s.path(), opts);
    auto f = lxd::files(c, "/1.0/instances/c/files");
    auto t0 = std::chrono::steady_clock::now();
    auto code = code_of([&] { (void)f.get_to_file("/endless", (base_ / "endless").string()); });
    auto took = std::chrono::steady_clock::now() - t0;
    stop = true;
    EXPECT_EQ(code, lxd::errc::timeout);
    EXPECT_LT(took, std::chrono::seconds(6));
    EXPECT_GE(took, std::chrono::seconds(2));
    EXPECT_TRUE(fs::is_empty(base_)) << "a partial file was left behind";
}

}  // namespace
