// The request builders and decoders of profiles and projects (src/protocol/profiles.*):
// method, path, query, headers, exact JSON body, and the input refused before any I/O.
#include "protocol/profiles.hpp"

#include <gtest/gtest.h>

#include "support/code_of.hpp"
#include "support/expect_request.hpp"

using namespace lxd::protocol;
using lxd::errc;
namespace api = lxd::api;
using test_support::code_of;
using test_support::expect;

TEST(ProfileRequests, ListGetDeleteAreScoped) {
    auto l = profile_list();
    expect(l, verb::get, "/1.0/profiles", {{"recursion", "1"}});
    EXPECT_TRUE(l.scoped);
    expect(profile_names(), verb::get, "/1.0/profiles");
    expect(profile_get("web tier"), verb::get, "/1.0/profiles/web%20tier");
    expect(profile_delete("p1"), verb::delete_, "/1.0/profiles/p1");
    EXPECT_TRUE(profile_delete("p1").scoped);
}

TEST(ProfileRequests, CreateSendsOnlyWhatIsGiven) {
    expect(profile_create({.name = "p1"}), verb::post, "/1.0/profiles", {}, R"({"name":"p1"})");
    lxd::profile_create p{.name = "p2", .description = "d", .config = {{"limits.cpu", "2"}},
                          .devices = {{"eth0", {{"type", "nic"}, {"nictype", "bridged"}}}}};
    expect(profile_create(p), verb::post, "/1.0/profiles", {},
           R"({"name":"p2","description":"d","config":{"limits.cpu":"2"},"devices":{"eth0":{"nictype":"bridged","type":"nic"}}})");
}

TEST(ProfileRequests, PutKeepsUnknownFieldsAndSendsTheEtag) {
    api::profile p;
    p.name = "p1";
    p.description = "new";
    p.config = {{"user.a", "1"}};
    p.raw_json = R"({"name":"p1","description":"old","config":{"x":"y"},"devices":{},"used_by":["/1.0/instances/c"],)"
                 R"("project":"default","future":{"k":1}})";
    auto r = profile_put(p, "\"abc\"");
    expect(r, verb::put, "/1.0/profiles/p1", {},
           R"({"description":"new","config":{"user.a":"1"},"devices":{},"future":{"k":1}})");
    p.raw_json.clear();   // a profile made here, never read: just the editable fields
    expect(profile_put(p, ""), verb::put, "/1.0/profiles/p1", {}, R"({"config":{"user.a":"1"},"devices":{},"description":"new"})");
    EXPECT_EQ(header_of(r, "If-Match"), "\"abc\"");
    EXPECT_EQ(header_of(profile_put(p, ""), "If-Match"), "");
}

TEST(ProfileRequests, PatchRenameAndRefusals) {
    auto r = profile_patch("p1", {.config = api::config_map{{"user.b", "2"}}}, "e1");
    expect(r, verb::patch, "/1.0/profiles/p1", {}, R"({"config":{"user.b":"2"}})");
    EXPECT_EQ(header_of(r, "If-Match"), "e1");
    EXPECT_EQ(code_of([] { (void)profile_patch("p1", {}, ""); }), errc::invalid_argument);
    expect(profile_rename("p1", "p2"), verb::post, "/1.0/profiles/p1", {}, R"({"name":"p2"})");
    for (std::string bad : {"", "a/b", ".", ".."}) {
        EXPECT_EQ(code_of([&] { (void)profile_get(bad); }), errc::invalid_argument) << bad;
        EXPECT_EQ(code_of([&] { (void)profile_create({.name = bad}); }), errc::invalid_argument) << bad;
        EXPECT_EQ(code_of([&] { (void)profile_rename("p1", bad); }), errc::invalid_argument) << bad;
    }
    EXPECT_EQ(code_of([] { (void)profile_create({.name = "p", .config = {{"bad key", "1"}}}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)profile_create({.name = "p", .config = {{"", "1"}}}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)profile_create({.name = "p", .devices = {{"a/b", {{"type", "nic"}}}}}); }),
              errc::invalid_argument);
    try {
        (void)profile_create({.name = "a/b"});
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_NE(std::string(e.what()).find("may not contain slashes"), std::string::npos) << e.what();
    }
}

TEST(ProjectRequests, AreNotScoped) {
    for (auto r : {project_list(), project_names(), project_get("p"), project_delete("p"), project_rename("p", "q"),
                   project_create({.name = "p"})})
        EXPECT_FALSE(r.scoped) << r.line();
    expect(project_list(), verb::get, "/1.0/projects", {{"recursion", "1"}});
    expect(project_get("p"), verb::get, "/1.0/projects/p");
    expect(project_delete("p"), verb::delete_, "/1.0/projects/p");
    expect(project_rename("p", "q"), verb::post, "/1.0/projects/p", {}, R"({"name":"q"})");
}

TEST(ProjectRequests, CreatePutAndRefusals) {
    expect(project_create({.name = "p", .description = "d", .config = {{"features.images", "false"}}}), verb::post,
           "/1.0/projects", {}, R"({"name":"p","description":"d","config":{"features.images":"false"}})");
    api::project p;
    p.name = "p";
    p.description = "x";
    p.config = {{"limits.instances", "3"}};
    p.raw_json = R"({"name":"p","used_by":[]})";
    auto r = project_put(p, "tag");
    expect(r, verb::put, "/1.0/projects/p", {}, R"({"config":{"limits.instances":"3"},"description":"x"})");
    EXPECT_EQ(header_of(r, "If-Match"), "tag");
    EXPECT_EQ(code_of([] { (void)project_create({.name = "a b"}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)project_rename("p", "a/b"); }), errc::invalid_argument);
}

TEST(ProfileCodecs, DecodeKeepsRawAndReadsFields) {
    auto v = boost::json::parse(R"({"name":"default","description":"Default","config":{"limits.cpu":"1"},)"
                                R"("devices":{"root":{"path":"/","pool":"default","type":"disk"}},)"
                                R"("used_by":["/1.0/instances/c1"],"project":"default"})");
    auto p = decode_profile(v, "GET /1.0/profiles/default");
    EXPECT_EQ(p.name, "default");
    EXPECT_EQ(p.description, "Default");
    EXPECT_EQ(p.config.at("limits.cpu"), "1");
    EXPECT_EQ(p.devices.at("root").at("pool"), "default");
    EXPECT_EQ(p.used_by, std::vector<std::string>{"/1.0/instances/c1"});
    EXPECT_EQ(p.project, "default");
    EXPECT_EQ(boost::json::parse(p.raw_json), v);
    EXPECT_EQ(code_of([] { (void)decode_profile(boost::json::parse(R"({"name":1})"), "x"); }), errc::protocol_error);
    auto q = decode_project(boost::json::parse(R"({"name":"p","config":{"features.images":"true"},"used_by":null})"), "x");
    EXPECT_EQ(q.config.at("features.images"), "true");
    EXPECT_TRUE(q.used_by.empty());
    EXPECT_EQ(code_of([] { (void)decode_project(boost::json::parse(R"({"description":"no name"})"), "x"); }),
              errc::protocol_error);
}
