// Images between servers: images::copy_from copies an image from the first daemon (its Unix
// socket) to the second by relay, pull and push, with aliases; the copy launches there.
#include "sandbox.hpp"
#include "support/code_of.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace std::chrono_literals;
using test_support::code_of;

namespace {
struct ImageCopy : sandbox::server_test {
    lxd::client u1 = sandbox::unix_client(1);
    lxd::client u2 = sandbox::unix_client(2);
    void TearDown() override {
        sandbox::remove_leftovers(u1);
        sandbox::remove_leftovers(u2);
    }
    /// An image of its own (published from a container holding `marker`) under `alias` on u1.
    std::string publish_marked(const std::string& alias, const std::string& marker) {
        auto box = sandbox::make_container(u1, sandbox::unique_name("icsrc"), false);
        box.files().put("/root/marker", marker);
        auto done = box.publish({.aliases = {alias}}).wait(5min);
        return lxd::image_fingerprint(done);
    }
    static bool has_alias(const lxd::image& img, const std::string& name) {
        auto& a = img.data().aliases;
        return std::any_of(a.begin(), a.end(), [&](auto& x) { return x.name == name; });
    }
};
}  // namespace

TEST_P(ImageCopy, CopiedImageLaunchesOnTheSecondDaemonWithItsAliases) {
    auto a1 = sandbox::unique_name("ica"), a2 = sandbox::unique_name("icb");
    auto marker = "copied from d1 " + a1 + "\n";
    auto fp = publish_marked(a1, marker);
    ASSERT_FALSE(u2.images().exists(fp));

    // An alias on the target that names another image: refused before anything moves.
    EXPECT_EQ(code_of([&] { (void)u2.images().copy_from(u1, a1, {.aliases = {"testimage"}}); }), lxd::errc::conflict);
    EXPECT_FALSE(u2.images().exists(fp));

    std::uint64_t down = 0, up = 0, total = 0;
    auto img = u2.images().copy_from(u1, a1, {.aliases = {a2}, .copy_aliases = true, .is_public = true,
                                              .mode = lxd::migration_mode::relay,
                                              .download_progress = [&](std::uint64_t d, std::uint64_t) { down = d; },
                                              .upload_progress = [&](std::uint64_t d, std::uint64_t t) { up = d; total = t; }});
    EXPECT_EQ(img.fingerprint(), fp);
    EXPECT_TRUE(img.is_public());
    EXPECT_FALSE(img.auto_update());
    EXPECT_TRUE(has_alias(img, a1));
    EXPECT_TRUE(has_alias(img, a2));
    EXPECT_EQ(u2.images().alias(a1).target(), fp);
    EXPECT_EQ(u2.images().alias(a2).target(), fp);
    EXPECT_GT(down, 0u);
    EXPECT_EQ(up, total);
    EXPECT_EQ(up, down);   // a unified tarball: the same bytes both ways
    auto listed = sandbox::lxc("image alias list d2: --format csv");
    EXPECT_NE(listed.find(a1 + "," + fp.substr(0, 12)), std::string::npos) << listed;
    EXPECT_NE(listed.find(a2 + "," + fp.substr(0, 12)), std::string::npos) << listed;

    auto name = sandbox::unique_name("iclaunch");
    lxd::instance_create cfg{.name = name, .source = lxd::instance_source::image_alias(a2), .start = true};
    u2.instances().create(cfg).wait(2min);
    EXPECT_EQ(u2.instances().get(name).files().get("/root/marker").data, marker);

    // Copied again: the image is there, so only auto_update changes (and no alias is added twice).
    auto again = u2.images().copy_from(u1, fp.substr(0, 16), {.aliases = {a2}, .auto_update = true});
    EXPECT_EQ(again.fingerprint(), fp);
    EXPECT_TRUE(again.auto_update());
    EXPECT_EQ(again.data().aliases.size(), 2u);
}

// The servers move the image themselves: the target pulls it from the source's network
// address with a one-time secret (a private image), or the source pushes it.
TEST_P(ImageCopy, PullAndPushBetweenTheServersThemselves) {
    for (auto mode : {lxd::migration_mode::pull, lxd::migration_mode::push}) {
        SCOPED_TRACE(mode == lxd::migration_mode::pull ? "pull" : "push");
        auto a1 = sandbox::unique_name("icp"), a2 = sandbox::unique_name("icq");
        auto marker = "moved by the servers " + a1 + "\n";
        auto fp = publish_marked(a1, marker);
        ASSERT_FALSE(u1.images().get(fp).is_public());
        auto img = u2.images().copy_from(u1, a1, {.aliases = {a2}, .copy_aliases = true, .mode = mode});
        EXPECT_EQ(img.fingerprint(), fp);
        EXPECT_FALSE(img.is_public());
        EXPECT_EQ(u2.images().alias(a1).target(), fp);
        EXPECT_EQ(u2.images().alias(a2).target(), fp);
        auto listed = sandbox::lxc("image list d2: --format csv -c f");
        EXPECT_NE(listed.find(fp.substr(0, 12)), std::string::npos) << listed;
        auto name = sandbox::unique_name("icl");
        u2.instances().create({.name = name, .source = lxd::instance_source::image_alias(a2), .start = true}).wait(2min);
        EXPECT_EQ(u2.instances().get(name).files().get("/root/marker").data, marker);
    }
}

TEST_P(ImageCopy, AMissingSourceImageIsNotFound) {
    EXPECT_EQ(code_of([&] { (void)u2.images().copy_from(u1, sandbox::unique_name("nosuch")); }), lxd::errc::not_found);
    EXPECT_EQ(code_of([&] { (void)u2.images().copy_from(u1, "abcdef0123"); }), lxd::errc::not_found);
}

LXDPP_BOTH_SERVERS(ImageCopy);
