// HTTP answers that look finished but are not, and answers that point elsewhere.
#include "fault_server.hpp"
#include "support/code_of.hpp"

#include <lxd/lxd.hpp>

#include <gtest/gtest.h>

#include <sys/socket.h>

using faults::fault_server;
using test_support::code_of;

namespace {
const std::string server_info =
    R"({"api_version":"1.0","auth":"trusted","api_extensions":["instances"],"environment":{"server":"lxd","server_version":"9.9"}})";

// Answers every request with `answer` and then hangs up (no keep-alive).
struct one_answer_server {
    std::string answer;
    fault_server s{[this](int fd, int) {
        std::string req;
        if (!s.read_request(fd, &req)) return;
        fault_server::write_all(fd, answer);
        ::shutdown(fd, SHUT_RDWR);
    }};
};

std::string what_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const lxd::error& e) {
        return e.what();
    }
    return "(no error)";
}
}  // namespace

// No Content-Length, not chunked: the body ends when the connection closes. A JSON answer
// cut there is a lost connection, not a malformed server.
TEST(AnswersFaults, CloseDelimitedJsonCutShortIsConnectionLost) {
    one_answer_server srv{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                          R"({"type":"sync","status":"Success","status_code":200,"metadata":{"api_ver)"};
    auto c = lxd::client::connect_unix(srv.s.path());
    EXPECT_EQ(code_of([&] { (void)c.host_info(); }), lxd::errc::connection_lost);
}

TEST(AnswersFaults, CloseDelimitedCompleteJsonIsAccepted) {
    one_answer_server srv{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                          R"({"type":"sync","status":"Success","status_code":200,"metadata":)" +
                          server_info + "}"};
    auto c = lxd::client::connect_unix(srv.s.path());
    EXPECT_EQ(c.host_info().environment.server_version, "9.9");
}

// A file whose body has no length cannot be told from a cut one: never reported complete.
TEST(AnswersFaults, CloseDelimitedFileBodyIsNotReportedComplete) {
    fault_server s([&](int fd, int) {
        std::string req;
        while (s.read_request(fd, &req)) {
            if (req.rfind("GET /1.0/instances/c1/files", 0) == 0) {
                fault_server::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                                            "X-LXD-type: file\r\nX-LXD-mode: 0644\r\nX-LXD-uid: 0\r\nX-LXD-gid: 0\r\n"
                                            "Connection: close\r\n\r\nhello, wor");
                ::shutdown(fd, SHUT_RDWR);
                return;
            }
            fault_server::write_all(fd, fault_server::sync_response(server_info));
        }
    });
    auto c = lxd::client::connect_unix(s.path());
    lxd::files f(c, "/1.0/instances/c1/files");
    std::string got;
    EXPECT_EQ(code_of([&] { (void)f.get("/etc/motd", [&](std::string_view b) { got += b; }); }),
              lxd::errc::connection_lost)
        << "sink got '" << got << "'";
}

// A redirect says so and where to (without the query, which may carry secrets).
TEST(AnswersFaults, RedirectSaysItIsOneAndWhereTo) {
    one_answer_server srv{"HTTP/1.1 301 Moved Permanently\r\nLocation: https://other.example:8443/1.0?token=s3cret\r\n"
                          "Content-Length: 0\r\n\r\n"};
    auto c = lxd::client::connect_unix(srv.s.path());
    EXPECT_EQ(code_of([&] { (void)c.host_info(); }), lxd::errc::protocol_error);
    auto what = what_of([&] { (void)c.host_info(); });
    EXPECT_NE(what.find("redirect (HTTP 301) to https://other.example:8443/1.0;"), std::string::npos) << what;
    EXPECT_EQ(what.find("s3cret"), std::string::npos) << what;
}

TEST(AnswersFaults, FoundRedirectSaysWhereTo) {
    one_answer_server srv{"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n"};
    auto c = lxd::client::connect_unix(srv.s.path());
    auto what = what_of([&] { (void)c.host_info(); });
    EXPECT_NE(what.find("redirect (HTTP 302) to /elsewhere"), std::string::npos) << what;
}
