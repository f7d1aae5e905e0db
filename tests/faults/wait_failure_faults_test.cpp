// How the answer to an operation's /wait becomes the caller's error: a failed operation is
// errc::operation_failed whether the server says so as LXD does (200, the operation with
// status Failure) or as Incus 6.0 does (an error envelope, code 500, the operation's `err`).
#include "fault_server.hpp"

#include <lxd/lxd.hpp>

#include <gtest/gtest.h>

#include <functional>

using namespace std::chrono_literals;
using faults::fault_server;

namespace {
const std::string server_info =
    R"({"api_version":"1.0","auth":"trusted","api_extensions":["instances"],"environment":{"server":"incus","server_version":"6.0.4"}})";

std::string running_op() {
    return R"({"id":"op1","class":"task","status":"Running","status_code":103,"metadata":null,"may_cancel":false,"err":""})";
}

/// An error envelope as Incus sends it: HTTP 200, type "error", the code in the body.
std::string error_envelope(int code, const std::string& message) {
    std::string body = R"({"type":"error","status":"","status_code":0,"operation":"","error_code":)" + std::to_string(code) +
                       R"(,"error":")" + message + R"(","metadata":null})";
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           body;
}

// GET /1.0; POST /1.0/instances starts op1; every /wait of op1 gets `wait_answer`.
struct wait_server {
    std::string wait_answer;
    fault_server s{[this](int fd, int) {
        std::string req;
        while (s.read_request(fd, &req)) {
            if (req.rfind("GET /1.0/operations/op1/wait", 0) == 0)
                fault_server::write_all(fd, wait_answer);
            else if (req.rfind("POST /1.0/instances", 0) == 0)
                fault_server::write_all(fd, fault_server::async_response("op1", running_op()));
            else
                fault_server::write_all(fd, fault_server::sync_response(server_info));
        }
    }};
};

lxd::error error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const lxd::error& e) {
        return e;
    }
    return lxd::error(lxd::errc{}, {});
}

lxd::operation create_one(lxd::client& c) {
    lxd::instance_create cfg;
    cfg.name = "c1";
    return c.instances().create(cfg);
}
}  // namespace

TEST(WaitFailure, IncusErrorEnvelopeFromTheWaitIsAFailedOperation) {
    wait_server srv{error_envelope(500, "Image not provided for instance creation")};
    auto c = lxd::client::connect_unix(srv.s.path());
    auto op = create_one(c);
    auto e = error_of([&] { (void)op.wait(10s); });
    EXPECT_EQ(e.code_value(), lxd::errc::operation_failed) << e.what();
    EXPECT_EQ(e.server_message(), "Image not provided for instance creation");
    EXPECT_EQ(e.operation_id(), "op1");
    EXPECT_EQ(op.info().code, lxd::api::status_code::failure);
    EXPECT_EQ(op.info().err, "Image not provided for instance creation");
}

TEST(WaitFailure, LxdFailedOperationFromTheWaitIsAFailedOperation) {
    wait_server srv{fault_server::sync_response(
        R"({"id":"op1","class":"task","status":"Failure","status_code":400,"metadata":null,"may_cancel":false,"err":"Instance already exists"})")};
    auto c = lxd::client::connect_unix(srv.s.path());
    auto e = error_of([&] { (void)create_one(c).wait(10s); });
    EXPECT_EQ(e.code_value(), lxd::errc::operation_failed) << e.what();
    EXPECT_EQ(e.server_message(), "Instance already exists");
    EXPECT_EQ(e.operation_id(), "op1");
}

// Incus chooses the envelope's code from the operation's error (400 for exec's "Command not
// found", 404 for a missing source...): each is still the operation's failure. Only "Operation
// not found" means the operation is gone (connection_lost: its outcome is unknown), and an
// HTTP 500 without the server's words stays server_error.
TEST(WaitFailure, EveryErrorEnvelopeButOperationNotFoundIsTheOperationsFailure) {
    for (auto [code, message] : {std::pair{400, "Command not found"}, std::pair{404, "Storage volume not found"}}) {
        wait_server srv{error_envelope(code, message)};
        auto c = lxd::client::connect_unix(srv.s.path());
        auto e = error_of([&] { (void)create_one(c).wait(10s); });
        EXPECT_EQ(e.code_value(), lxd::errc::operation_failed) << e.what();
        EXPECT_EQ(e.server_message(), message);
        EXPECT_EQ(e.operation_id(), "op1");
    }
    {
        wait_server srv{error_envelope(404, "Operation not found")};
        auto c = lxd::client::connect_unix(srv.s.path());
        auto e = error_of([&] { (void)create_one(c).wait(10s); });
        EXPECT_EQ(e.code_value(), lxd::errc::connection_lost) << e.what();
        EXPECT_EQ(e.operation_id(), "op1");
    }
    {
        wait_server srv{"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nContent-Length: 4\r\n\r\noops"};
        auto c = lxd::client::connect_unix(srv.s.path());
        auto e = error_of([&] { (void)create_one(c).wait(10s); });
        EXPECT_EQ(e.code_value(), lxd::errc::server_error) << e.what();
    }
}
