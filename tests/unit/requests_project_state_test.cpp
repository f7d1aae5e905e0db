// GET /1.0/projects/{name}/state and its decoder (src/protocol/profiles.*): the path, the
// names refused before any I/O, and the servers' capitalised Limit/Usage keys.
#include "protocol/profiles.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/code_of.hpp"

using namespace lxd::protocol;
using lxd::errc;
using test_support::code_of;

TEST(ProjectStateRequests, GetIsUnscopedOnItsPath) {
    auto r = project_state_get("web-tier.1");
    EXPECT_EQ(r.method, verb::get);
    EXPECT_EQ(r.path, "/1.0/projects/web-tier.1/state");
    EXPECT_TRUE(r.query.empty());
    EXPECT_EQ(r.body, "");
    EXPECT_FALSE(r.scoped);
    EXPECT_EQ(code_of([] { project_state_get("a/b"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { project_state_get(""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { project_state_get("web tier"); }), errc::invalid_argument);
}

TEST(ProjectStateRequests, DecodesLimitsAndUsage) {
    auto v = boost::json::parse(R"({"resources":{"cpu":{"Limit":-1,"Usage":0},"memory":{"Limit":1073741824,"Usage":5},"disk":{"Usage":7}}})");
    auto st = decode_project_state(v, "GET /1.0/projects/p/state");
    ASSERT_EQ(st.resources.size(), 3u);
    EXPECT_EQ(st.resources.at("cpu").limit, -1);
    EXPECT_EQ(st.resources.at("memory").limit, 1073741824);
    EXPECT_EQ(st.resources.at("memory").usage, 5);
    EXPECT_EQ(st.resources.at("disk").limit, -1);   // no Limit: none
    EXPECT_EQ(st.resources.at("disk").usage, 7);
    EXPECT_EQ(decode_project_state(boost::json::parse("{}"), "x").resources.size(), 0u);
    EXPECT_EQ(code_of([] { decode_project_state(boost::json::parse(R"({"resources":[]})"), "x"); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { decode_project_state(boost::json::parse(R"({"resources":{"cpu":{"Usage":"x"}}})"), "x"); }),
              errc::protocol_error);
}
