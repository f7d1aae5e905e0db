// The edit verbs' YAML -> JSON rule (tools/lxdpp/commands/editor.hpp): no daemon.
#include "commands/editor.hpp"
#include "commands/context.hpp"

#include <gtest/gtest.h>

using lxdpp_cli::from_yaml;
namespace json = boost::json;

TEST(EditorYaml, ScalarsKeepTheTypeTheirPathHad) {
    auto before = json::parse(R"({"ephemeral":false,"count":3,"ratio":0.5,"big":18446744073709551615,"name":"c1",)"
                              R"("config":{"limits.cpu":"2"},"profiles":["default"],"gone":null})");
    auto after = from_yaml("ephemeral: yes\ncount: 7\nratio: 2\nbig: 18446744073709551614\nname: 123\n"
                           "config:\n  limits.cpu: 4\n  user.new: true\nprofiles:\n- default\n- 5\ngone:\n",
                           before);
    EXPECT_EQ(after, json::parse(R"({"ephemeral":true,"count":7,"ratio":2.0,"big":18446744073709551614,"name":"123",)"
                                 R"("config":{"limits.cpu":"4","user.new":"true"},"profiles":["default","5"],"gone":null})"));
    EXPECT_TRUE(after.at("ratio").is_double());
}

TEST(EditorYaml, NewPathsAreStringsButNewMappingsAndListsStayStructured) {
    auto after = from_yaml("devices:\n  eth0:\n    mtu: 1500\n    type: nic\nlist: [1, true]\nempty:\n", json::object());
    EXPECT_EQ(after, json::parse(R"({"devices":{"eth0":{"mtu":"1500","type":"nic"}},"list":["1","true"],"empty":""})"));
    // Emptied containers stay containers; comments (lxc's ### header) are ignored.
    auto cleared = from_yaml("### header\nconfig:\ndevices: {}\n", json::parse(R"({"config":{"a":"b"},"devices":{"x":{}}})"));
    EXPECT_EQ(cleared, json::parse(R"({"config":{},"devices":{}})"));
    EXPECT_EQ(from_yaml("", json::object()), json::object());
}

TEST(EditorYaml, AMismatchNamesItsPath) {
    auto before = json::parse(R"({"ephemeral":false,"config":{"k":"v"},"n":1})");
    auto message = [&](const std::string& text) {
        try {
            (void)from_yaml(text, before);
        } catch (const lxdpp_cli::usage_error& e) {
            return std::string(e.what());
        }
        return std::string("(accepted)");
    };
    EXPECT_EQ(message("ephemeral: maybe\n"), "expected true or false at ephemeral, got \"maybe\"");
    EXPECT_EQ(message("n: x\n"), "expected a number at n, got \"x\"");
    EXPECT_EQ(message("config: [a]\n"), "unexpected list at config");
    EXPECT_EQ(message("config:\n  k:\n    deep: 1\n"), "unexpected mapping at config.k");
    EXPECT_EQ(message("config: [unclosed\n").rfind("YAML: ", 0), 0u);
}
