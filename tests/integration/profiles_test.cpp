// Profiles and projects through the library, against both servers; lxc (or incus) on the
// same daemon confirms each effect.
#include "sandbox.hpp"
#include "support/code_of.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <unistd.h>

using namespace std::chrono_literals;
using test_support::code_of;
using test_support::thrown_by;

namespace {

/// The prefix of every name this process makes (sandbox::unique_name).
std::string own_prefix() { return "t" + std::to_string(::getpid()) + "-"; }

struct Profiles : sandbox::server_test {
    lxd::client c = sandbox::unix_client(1);
    void TearDown() override {
        sandbox::remove_leftovers(c);
        for (auto& name : c.profiles().names())
            if (name.starts_with(own_prefix())) c.profiles().get(name).remove();
        for (auto& name : c.projects().names())
            if (name.starts_with(own_prefix())) {
                auto pc = c.use_project(name);
                for (auto& p : pc.profiles().names())
                    if (p != "default") pc.profiles().get(p).remove();
                c.projects().get(name).remove();
            }
    }
};
using Projects = Profiles;

}  // namespace

TEST_P(Profiles, CreateReadChangeAsLxcSeesThem) {
    auto name = sandbox::unique_name("prof");
    auto p = c.profiles().create({.name = name, .description = "made by lxdpp", .config = {{"limits.cpu", "1"}},
                                  .devices = {{"data", {{"type", "disk"}, {"source", "/tmp"}, {"path", "/mnt/data"}}}}});
    EXPECT_EQ(p.name(), name);
    EXPECT_EQ(p.description(), "made by lxdpp");
    EXPECT_EQ(p.config(), (lxd::api::config_map{{"limits.cpu", "1"}}));
    EXPECT_EQ(p.devices().at("data").at("path"), "/mnt/data");
    EXPECT_TRUE(p.used_by().empty());
    EXPECT_FALSE(p.etag().empty());
    // Incus says which project a profile is in; LXD 5.0 does not.
    EXPECT_EQ(p.data().project, sandbox::on_incus() ? "default" : "");
    EXPECT_EQ(sandbox::lxc("profile get d1:" + name + " limits.cpu"), "1\n");
    EXPECT_EQ(sandbox::lxc("profile device get d1:" + name + " data source"), "/tmp\n");

    p.set_config("user.k", "v").unset_config("limits.cpu").set_description("changed");
    p.save();
    EXPECT_EQ(p.config(), (lxd::api::config_map{{"user.k", "v"}}));
    EXPECT_EQ(sandbox::lxc("profile get d1:" + name + " user.k"), "v\n");
    EXPECT_EQ(sandbox::lxc("profile get d1:" + name + " limits.cpu"), "\n");
    EXPECT_NE(sandbox::lxc("profile show d1:" + name).find("description: changed"), std::string::npos);

    // PATCH merges maps on both servers: a device added, the others and the config kept.
    p.patch({.devices = lxd::api::device_map{{"more", {{"type", "disk"}, {"source", "/srv"}, {"path", "/srv"}}}}});
    EXPECT_EQ(p.devices().size(), 2u);
    EXPECT_EQ(p.config().at("user.k"), "v");
    // lxc and incus print a device list in Go's map order (random from run to run): compare
    // the names, sorted.
    auto listed = sandbox::lxc("profile device list d1:" + name);
    std::vector<std::string> device_names;
    for (std::size_t at = 0, nl; (nl = listed.find('\n', at)) != std::string::npos; at = nl + 1)
        device_names.push_back(listed.substr(at, nl - at));
    std::sort(device_names.begin(), device_names.end());
    EXPECT_EQ(device_names, (std::vector<std::string>{"data", "more"}));

    EXPECT_TRUE(c.profiles().exists(name));
    EXPECT_FALSE(c.profiles().exists(name + "x"));
    auto names = c.profiles().names();
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end());
}

TEST_P(Profiles, ListingIsOneRequest) {
    auto a = sandbox::unique_name("pla"), b = sandbox::unique_name("plb");
    (void)c.profiles().create({.name = a});
    (void)c.profiles().create({.name = b, .config = {{"user.x", "1"}}});
    (void)c.api_extensions();
    auto before = c.request_count();
    auto all = c.profiles().all();
    EXPECT_EQ(c.request_count(), before + 1);
    std::vector<std::string> got;
    for (auto& p : all) got.push_back(p.name());
    std::sort(got.begin(), got.end());
    std::vector<std::string> want{"default", a, b};
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want);
    for (auto& p : all)
        if (p.name() == b) EXPECT_EQ(p.config().at("user.x"), "1");
}

TEST_P(Profiles, ALostUpdateIsRefused) {
    auto name = sandbox::unique_name("plost");
    (void)c.profiles().create({.name = name});
    auto first = c.profiles().get(name), second = c.profiles().get(name);
    first.set_config("user.who", "first");
    first.save();
    second.set_config("user.who", "second");
    auto e = thrown_by([&] { second.save(); });
    EXPECT_EQ(e.code_value(), lxd::errc::precondition_failed) << e.what();
    EXPECT_EQ(e.http_status(), 412);
    EXPECT_EQ(sandbox::lxc("profile get d1:" + name + " user.who"), "first\n");
    EXPECT_EQ(code_of([&] { second.patch({.description = "late"}); }), lxd::errc::precondition_failed);
    second.refresh();
    second.set_config("user.who", "second");
    second.save();
    EXPECT_EQ(sandbox::lxc("profile get d1:" + name + " user.who"), "second\n");
}

TEST_P(Profiles, AProfileInUseCannotBeDeleted) {
    auto name = sandbox::unique_name("pused");
    (void)c.profiles().create({.name = name, .config = {{"user.from", "profile"}}});
    auto box_name = sandbox::unique_name("pbox");
    auto op = c.instances().create({.name = box_name, .source = lxd::instance_source::image_alias(sandbox::image()),
                                    .profiles = std::vector<std::string>{"default", name}});
    op.wait(2min);
    auto p = c.profiles().get(name);
    EXPECT_EQ(p.used_by(), std::vector<std::string>{"/1.0/instances/" + box_name});
    EXPECT_EQ(c.instances().get(box_name).expanded_config().at("user.from"), "profile");
    auto e = thrown_by([&] { p.remove(); });
    // Both servers answer 500 here, not 400.
    EXPECT_EQ(e.code_value(), lxd::errc::server_error);
    EXPECT_EQ(e.http_status(), 500);
    EXPECT_EQ(e.server_message(), "Profile is currently in use");
    EXPECT_TRUE(c.profiles().exists(name));
    c.instances().get(box_name).remove(true).wait(2min);
    p.remove();
    EXPECT_FALSE(c.profiles().exists(name));
}

TEST_P(Profiles, RenameAndTheDefaultProfilesRules) {
    auto name = sandbox::unique_name("pren");
    auto p = c.profiles().create({.name = name, .config = {{"user.a", "1"}}});
    p.rename(name + "-new");
    EXPECT_EQ(p.name(), name + "-new");
    EXPECT_EQ(p.config().at("user.a"), "1");
    EXPECT_FALSE(c.profiles().exists(name));
    EXPECT_EQ(sandbox::lxc("profile get d1:" + name + "-new user.a"), "1\n");
    auto def = c.profiles().get("default");
    auto e = thrown_by([&] { def.rename("other"); });
    EXPECT_EQ(e.code_value(), lxd::errc::forbidden);   // 403 from both
    EXPECT_EQ(e.server_message(), "The \"default\" profile cannot be renamed");
    e = thrown_by([&] { def.remove(); });
    EXPECT_EQ(e.code_value(), lxd::errc::forbidden);
    EXPECT_EQ(e.server_message(), "The \"default\" profile cannot be deleted");
}

TEST_P(Profiles, InvalidNamesAndKeysAreRefusedBeforeAnyRequest) {
    (void)c.api_extensions();
    auto before = c.request_count();
    for (std::string bad : {"", "a/b", ".", ".."}) {
        EXPECT_EQ(code_of([&] { (void)c.profiles().create({.name = bad}); }), lxd::errc::invalid_argument) << bad;
        EXPECT_EQ(code_of([&] { (void)c.profiles().get(bad); }), lxd::errc::invalid_argument) << bad;
    }
    EXPECT_EQ(code_of([&] { (void)c.profiles().create({.name = "ok", .config = {{"a key", "1"}}}); }), lxd::errc::invalid_argument);
    for (std::string bad : {"a_b", "a b", "a/b", "a'b", "*", ".."})
        EXPECT_EQ(code_of([&] { (void)c.projects().create({.name = bad}); }), lxd::errc::invalid_argument) << bad;
    EXPECT_EQ(c.request_count(), before);
    auto e = thrown_by([&] { (void)c.projects().create({.name = "a_b"}); });
    // The server's own words (LXD and Incus alike).
    EXPECT_NE(std::string(e.what()).find("Project names may not contain underscores"), std::string::npos) << e.what();
    EXPECT_EQ(code_of([&] { (void)c.profiles().get("missing-profile"); }), lxd::errc::not_found);
}

TEST_P(Projects, CreateWithTheServersDefaultFeatures) {
    auto name = sandbox::unique_name("proj");
    auto p = c.projects().create({.name = name, .description = "d"});
    lxd::api::config_map want{{"features.images", "true"}, {"features.profiles", "true"}, {"features.storage.volumes", "true"}};
    if (sandbox::on_incus()) want["features.storage.buckets"] = "true";   // LXD 5.0 has no buckets feature
    EXPECT_EQ(p.config(), want);
    EXPECT_EQ(p.description(), "d");
    EXPECT_EQ(p.used_by(), std::vector<std::string>{"/1.0/profiles/default?project=" + name});
    // The default project: networks on both; Incus also has buckets and network zones.
    auto def = c.projects().get("default");
    EXPECT_EQ(def.config().at("features.networks"), "true");
    EXPECT_EQ(def.config().count("features.networks.zones"), sandbox::on_incus() ? 1u : 0u);
    EXPECT_EQ(sandbox::lxc("project get d1:" + name + " features.images"), "true\n");

    p.set_config("limits.instances", "3").set_description("limited");
    p.save();
    EXPECT_EQ(sandbox::lxc("project get d1:" + name + " limits.instances"), "3\n");
    auto stale = c.projects().get(name);
    p.unset_config("limits.instances");
    p.save();
    stale.set_config("limits.containers", "1");
    EXPECT_EQ(code_of([&] { stale.save(); }), lxd::errc::precondition_failed);
    EXPECT_EQ(sandbox::lxc("project get d1:" + name + " limits.containers"), "\n");

    (void)c.api_extensions();
    auto before = c.request_count();
    auto all = c.projects().all();
    EXPECT_EQ(c.request_count(), before + 1);
    EXPECT_EQ(std::count_if(all.begin(), all.end(), [&](auto& x) { return x.name() == name; }), 1);
}

TEST_P(Projects, AProjectIsolatesInstancesImagesAndProfiles) {
    auto name = sandbox::unique_name("piso");
    (void)c.projects().create({.name = name});
    auto box_name = sandbox::unique_name("pisobox");
    (void)sandbox::make_container(c, box_name, false);
    auto in = c.use_project(name);
    EXPECT_TRUE(in.instances().all().empty());
    EXPECT_FALSE(in.instances().exists(box_name));
    EXPECT_TRUE(in.images().all().empty());   // features.images: the project has its own images
    EXPECT_FALSE(c.images().all().empty());
    auto prof = sandbox::unique_name("pinproj");
    (void)in.profiles().create({.name = prof});
    EXPECT_TRUE(in.profiles().exists(prof));
    EXPECT_FALSE(c.profiles().exists(prof));   // features.profiles: its own profiles
    std::string flavour = sandbox::on_incus() ? "Incus" : "LXD";
    EXPECT_EQ(sandbox::lxc("profile list d1: --project " + name + " -f csv"),
              "default,Default " + flavour + " profile for project " + name + ",0\n" + prof + ",,0\n");
    EXPECT_EQ(sandbox::lxc("list d1: --project " + name + " -f csv -c n"), "");
}

TEST_P(Projects, RenameAndDeleteFollowTheServer) {
    auto name = sandbox::unique_name("pmv");
    auto p = c.projects().create({.name = name});
    auto copy = p;
    auto op = p.rename(name + "-b");   // an operation on both servers, as instance::rename's
    EXPECT_EQ(op.wait(std::chrono::minutes(1)).status, "Success");
    EXPECT_EQ(p.name(), name + "-b");      // learned by the operation's last step
    EXPECT_EQ(copy.name(), name + "-b");   // by every copy of the handle
    EXPECT_EQ(sandbox::lxc("project list d1: -f csv").find(name + ","), std::string::npos);
    EXPECT_FALSE(c.projects().exists(name));
    auto def = c.projects().get("default");
    auto e = thrown_by([&] { def.remove(); });
    EXPECT_EQ(e.server_message(), "The 'default' project cannot be deleted");
    e = thrown_by([&] { def.rename("x").wait(std::chrono::minutes(1)); });
    EXPECT_EQ(e.server_message(), "The 'default' project cannot be renamed");
    p.remove();
    EXPECT_FALSE(c.projects().exists(name + "-b"));
}

LXDPP_BOTH_SERVERS(Profiles);
TEST_P(Projects, StateShowsLimitsAndUsage) {
    auto name = sandbox::unique_name("pst");
    auto p = c.projects().create({.name = name, .config = {{"limits.memory", "1GiB"}, {"limits.instances", "5"}}});
    auto st = p.state();
    EXPECT_EQ(st.resources.at("memory").limit, 1073741824);
    EXPECT_EQ(st.resources.at("memory").usage, 0);
    EXPECT_EQ(st.resources.at("instances").limit, 5);
    EXPECT_EQ(st.resources.at("instances").usage, 0);
    EXPECT_EQ(st.resources.at("cpu").limit, -1);   // no limit
    auto csv = sandbox::lxc("project info d1:" + name + " -f csv");
    EXPECT_NE(csv.find("MEMORY,1.00GiB,0B\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("INSTANCES,5,0\n"), std::string::npos) << csv;
    EXPECT_EQ(st.resources.size(), static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')));
    p.remove();
}

LXDPP_BOTH_SERVERS(Projects);
