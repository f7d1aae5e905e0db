// Exec's output websockets ending in ways a real LXD produces only rarely: the server's
// close frame followed at once by its hang-up (seen under load: our close reply then meets
// a closed socket), against a hang-up with no close frame at all.
#include "fault_server.hpp"
#include "support/code_of.hpp"

#include <lxd/lxd.hpp>

#include <gtest/gtest.h>

#include <sys/socket.h>

#include <unistd.h>

using namespace std::chrono_literals;
using faults::fault_server;
using test_support::code_of;

namespace {
const std::string server_info =
    R"({"api_version":"1.0","auth":"trusted","api_extensions":["instances"],"environment":{"server":"lxd","server_version":"9.9"}})";
const std::string instance_c1 =
    R"({"name":"c1","status":"Running","status_code":103,"type":"container","config":{},"devices":{},)"
    R"("expanded_config":{},"expanded_devices":{},"profiles":["default"],"project":"default"})";
const std::string exec_fds = R"({"fds":{"0":"s0","1":"s1","2":"s2","control":"sc"}})";

std::string exec_op(const std::string& status, int code, const std::string& metadata) {
    return R"({"id":"op1","class":"websocket","status":")" + status + R"(","status_code":)" + std::to_string(code) +
           R"(,"metadata":)" + metadata + R"(,"may_cancel":false,"err":""})";
}

// Plays LXD's side of one exec of `c1` that exits 0. Each websocket connection runs
// `stream(fd, secret)` ("s0", "s1", "s2", "sc") and is then held open until the test ends.
struct exec_server {
    std::function<void(int, const std::string&)> stream;
    std::atomic<bool> release{false};
    fault_server s{[this](int fd, int) {
        for (;;) {
            std::string req;
            bool upgraded = s.accept_websocket(fd, &req);
            if (req.empty()) return;
            if (upgraded) {
                auto at = req.find("secret=") + 7;
                stream(fd, req.substr(at, req.find_first_of(" &", at) - at));
                while (!release) std::this_thread::sleep_for(5ms);
                return;
            }
            if (req.rfind("POST /1.0/instances/c1/exec", 0) == 0)
                fault_server::write_all(fd, fault_server::async_response("op1", exec_op("Running", 103, exec_fds)));
            else if (req.rfind("GET /1.0/operations/op1/wait", 0) == 0)
                fault_server::write_all(fd, fault_server::sync_response(exec_op("Success", 200, R"({"return":0})")));
            else if (req.rfind("GET /1.0/instances/c1", 0) == 0)
                fault_server::write_all(fd, fault_server::sync_response(instance_c1));
            else
                fault_server::write_all(fd, fault_server::sync_response(server_info));
        }
    }};
    ~exec_server() { release = true; }
};

const std::string close_normal = std::string("\x03\xe8", 2);   // status 1000, no reason
}  // namespace

// stdout: output, then the server stops reading and sends its close frame, so our close
// reply fails with EPIPE. The close frame came after all the output: the run is complete.
TEST(ExecFaults, CloseFrameThenHangUpIsACompleteStream) {
    exec_server srv;
    srv.stream = [](int fd, const std::string& secret) {
        if (secret == "s1") {
            fault_server::ws_send(fd, 2, "hello");
            ::shutdown(fd, SHUT_RD);
            fault_server::ws_send(fd, 8, close_normal);
        } else if (secret == "s2") {
            fault_server::ws_send(fd, 1, "");   // LXD's end-of-stream barrier
        }
    };
    auto c = lxd::client::connect_unix(srv.s.path());
    auto r = c.instances().get("c1").execute({"true"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "hello");
    EXPECT_EQ(r.err, "");
}

// The same output, then a hang-up with no close frame and no barrier: output may be lost,
// so there is no exit code, only connection_lost.
TEST(ExecFaults, HangUpWithoutCloseFrameIsConnectionLost) {
    exec_server srv;
    srv.stream = [](int fd, const std::string& secret) {
        if (secret == "s1") {
            fault_server::ws_send(fd, 2, "hello");
            ::shutdown(fd, SHUT_RDWR);
        } else if (secret == "s2") {
            fault_server::ws_send(fd, 1, "");
        }
    };
    auto c = lxd::client::connect_unix(srv.s.path());
    auto inst = c.instances().get("c1");
    EXPECT_EQ(code_of([&] { (void)inst.execute({"true"}); }), lxd::errc::connection_lost);
}
