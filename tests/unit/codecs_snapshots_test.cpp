// The snapshot decoder (protocol::decode_snapshot): what lxd::snapshot holds.
#include "protocol/protocol.hpp"
#include "protocol/snapshots.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace lxd;

namespace {
const std::string rl = "GET /1.0/instances/c1/snapshots/s1";

api::snapshot decode(const char* text) { return protocol::decode_snapshot(boost::json::parse(text), rl); }

errc code_of(const char* text) {
    try {
        (void)decode(text);
    } catch (const error& e) {
        return e.code_value();
    }
    return errc{};
}
}  // namespace

TEST(CodecsSnapshots, EveryField) {
    auto s = decode(R"({"name":"s1","created_at":"2026-01-02T03:04:05Z","expires_at":"2030-01-01T00:00:00Z",
                        "stateful":true,"description":"before","size":4096,
                        "config":{"limits.cpu":"2","volatile.n":7},"unknown":[1]})");
    EXPECT_EQ(s.name, "s1");
    EXPECT_EQ(s.created_at, "2026-01-02T03:04:05Z");
    EXPECT_EQ(s.expires_at, "2030-01-01T00:00:00Z");
    EXPECT_TRUE(s.stateful);
    EXPECT_EQ(s.description, "before");
    EXPECT_EQ(s.size, 4096);
    EXPECT_EQ(s.config, (api::config_map{{"limits.cpu", "2"}, {"volatile.n", "7"}}));
    EXPECT_EQ(boost::json::parse(s.raw_json).at("unknown").as_array().size(), 1u);
}

TEST(CodecsSnapshots, InstancePrefixIsCutAndDefaultsStand) {
    auto s = decode(R"({"name":"c1/snap0","expires_at":null})");
    EXPECT_EQ(s.name, "snap0");
    EXPECT_EQ(s.expires_at, "");
    EXPECT_FALSE(s.stateful);
    EXPECT_EQ(s.size, -1);
    EXPECT_TRUE(s.config.empty());
    EXPECT_EQ(s.description, "");
}

TEST(CodecsSnapshots, MalformedIsAProtocolError) {
    EXPECT_EQ(code_of(R"([1])"), errc::protocol_error);
    EXPECT_EQ(code_of(R"({"description":"no name"})"), errc::protocol_error);
    EXPECT_EQ(code_of(R"({"name":"c1/"})"), errc::protocol_error);
    EXPECT_EQ(code_of(R"({"name":"s1","created_at":5})"), errc::protocol_error);
}
