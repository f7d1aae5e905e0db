// client::raw with byte bodies and extra headers: the request builder (protocol::raw with a
// content type and headers). No daemon.
#include "protocol/protocol.hpp"

#include <gtest/gtest.h>

#include "support/code_of.hpp"
#include "support/expect_request.hpp"

using namespace lxd::protocol;
using lxd::errc;
using test_support::code_of;
using test_support::expect;

TEST(RawBytesRequests, ABodyWithAContentTypeIsSentAsItIsWithTheAllowedHeaders) {
    std::string bytes("\x00\xff not json {", 14);
    auto r = raw("POST", "/1.0/instances/c1/files", {{"path", "/tmp/x"}}, bytes, "", "application/octet-stream",
                 {{"X-LXD-mode", "0644"}, {"x-incus-uid", "0"}, {"X-LXD-write", "overwrite"}});
    expect(r, verb::post, "/1.0/instances/c1/files", {{"path", "/tmp/x"}}, bytes);
    EXPECT_EQ(r.content_type, "application/octet-stream");
    ASSERT_EQ(r.headers.size(), 3u);
    EXPECT_EQ(header_of(r, "X-LXD-mode"), "0644");
    EXPECT_EQ(header_of(r, "x-incus-uid"), "0");
    EXPECT_EQ(header_of(r, "X-LXD-write"), "overwrite");
    EXPECT_TRUE(r.scoped);
}

TEST(RawBytesRequests, ContentTypeAndIfMatchMayComeAsHeaders) {
    auto r = raw("PUT", "/1.0/x", {}, "abc", "", "", {{"content-type", "text/plain"}, {"If-Match", "\"e1\""}});
    EXPECT_EQ(r.content_type, "text/plain");
    EXPECT_EQ(r.body, "abc");
    EXPECT_EQ(header_of(r, "If-Match"), "\"e1\"");
    ASSERT_EQ(r.headers.size(), 1u);
    // The same value twice is fine; JSON as a header's Content-Type is still checked.
    auto same = raw("PUT", "/1.0/x", {}, "{}", "\"e\"", "application/json", {{"Content-Type", "application/json"}, {"if-match", "\"e\""}});
    EXPECT_EQ(same.content_type, "application/json");
    EXPECT_EQ(header_of(same, "If-Match"), "\"e\"");
    EXPECT_EQ(code_of([] { raw("PUT", "/1.0/x", {}, "{x", "", "", {{"Content-Type", "application/json"}}); }), errc::invalid_argument);
    // Without a content type the body is JSON, as before.
    EXPECT_EQ(raw("PUT", "/1.0/x", {}, "{}", "").content_type, "application/json");
}

TEST(RawBytesRequests, OtherHeadersAndBadValuesAreRefusedNamingTheHeader) {
    auto message_of = [](auto&& f) -> std::string {
        try {
            f();
        } catch (const lxd::error& e) {
            EXPECT_EQ(e.code_value(), errc::invalid_argument);
            return e.what();
        }
        return "not refused";
    };
    for (std::string bad : {"Authorization", "Host", "Cookie", "X-LXD-", "X-Other", "Transfer-Encoding"}) {
        auto msg = message_of([&] { raw("GET", "/1.0", {}, "", "", "", {{bad, "v"}}); });
        EXPECT_NE(msg.find("header '" + bad + "'"), std::string::npos) << msg;
    }
    EXPECT_NE(message_of([] { raw("GET", "/1.0", {}, "", "", "", {{"X-LXD-mode", "1\r\nHost: x"}}); }).find("'X-LXD-mode'"),
              std::string::npos);
    EXPECT_NE(message_of([] { raw("GET", "/1.0", {}, "", "", "", {{"X-LXD-a b", "1"}}); }).find("'X-LXD-a b'"), std::string::npos);
    // The request's own content type and ETag fields are header values too.
    EXPECT_NE(message_of([] { raw("PUT", "/1.0", {}, "x", "", "text/plain\r\nHost: x"); }).find("'Content-Type'"), std::string::npos);
    EXPECT_NE(message_of([] { raw("PUT", "/1.0", {}, "{}", "\"a\"\nX: y"); }).find("'If-Match'"), std::string::npos);
    EXPECT_NE(message_of([] { raw("PUT", "/1.0", {}, "x", "", "text/plain", {{"Content-Type", "text/html"}}); }).find("'Content-Type'"),
              std::string::npos);
    EXPECT_NE(message_of([] { raw("PUT", "/1.0", {}, "{}", "\"a\"", "", {{"If-Match", "\"b\""}}); }).find("'If-Match'"),
              std::string::npos);
}
