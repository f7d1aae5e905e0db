// Migration and copy between the two sandbox daemons: relay (Unix socket source), pull and
// push (HTTPS to HTTPS); failures leave the source intact.
#include "sandbox.hpp"
#include "support/code_of.hpp"

#include <gtest/gtest.h>

#include <openssl/sha.h>

#include <cstdio>

using namespace std::chrono_literals;
using test_support::code_of;

namespace {
struct Migrate : sandbox::server_test {
    lxd::client u1 = sandbox::unix_client(1);
    lxd::client u2 = sandbox::unix_client(2);
    void TearDown() override {
        sandbox::remove_leftovers(u1);
        sandbox::remove_leftovers(u2);
    }
    /// A stopped container with custom config, a file and two snapshots.
    lxd::instance prepare(lxd::client& on, const std::string& name) {
        auto box = sandbox::make_container(on, name, true);
        box.files().put("/root/payload", "moved intact\n");
        box.snapshots().create("s1").wait(1min);
        box.snapshots().create("s2").wait(1min);
        box.stop({.force = true}).wait(1min);
        box.refresh();
        box.set_config("user.origin", "lxdpp-test").save();
        return box;
    }
    void expect_arrived(lxd::client& target, const std::string& name, std::size_t snapshots) {
        ASSERT_TRUE(target.containers().exists(name));
        auto moved = target.containers().get(name);
        EXPECT_EQ(moved.config().at("user.origin"), "lxdpp-test");
        EXPECT_EQ(moved.snapshots().all().size(), snapshots);
        moved.start().wait(1min);
        EXPECT_EQ(moved.files().get("/root/payload").data, "moved intact\n");
    }
};
}  // namespace

TEST_P(Migrate, RelayFromUnixSocketToHttps) {
    auto name = sandbox::unique_name("mrelay");
    auto box = prepare(u1, name);
    auto h2 = sandbox::trusted_https_client(2);
    box.migrate(h2).wait(5min);
    EXPECT_FALSE(u1.containers().exists(name));
    expect_arrived(u2, name, 2);
    EXPECT_NE(sandbox::lxc("list d2: --format csv -c n").find(name), std::string::npos);
}

TEST_P(Migrate, PullBetweenHttpsServers) {
    auto h1 = sandbox::trusted_https_client(1);
    auto h2 = sandbox::trusted_https_client(2);
    auto name = sandbox::unique_name("mpull");
    prepare(u1, name);
    auto box = h1.containers().get(name);
    box.migrate(h2, {.mode = lxd::migration_mode::pull}).wait(5min);
    EXPECT_FALSE(u1.containers().exists(name));
    expect_arrived(u2, name, 2);
}

TEST_P(Migrate, PullWithAProjectScopedClient) {
    // The operation URL handed to the target must not carry ?project= (the target appends
    // "/websocket" to it as a string).
    auto h1 = sandbox::trusted_https_client(1).use_project("default");
    auto h2 = sandbox::trusted_https_client(2).use_project("default");
    auto name = sandbox::unique_name("mproj");
    prepare(u1, name);
    h1.containers().get(name).migrate(h2, {.mode = lxd::migration_mode::pull}).wait(5min);
    EXPECT_FALSE(u1.containers().exists(name));
    expect_arrived(u2, name, 2);
}

TEST_P(Migrate, PushBetweenHttpsServers) {
    auto h1 = sandbox::trusted_https_client(1);
    auto h2 = sandbox::trusted_https_client(2);
    auto name = sandbox::unique_name("mpush");
    prepare(u1, name);
    auto box = h1.containers().get(name);
    box.migrate(h2, {.mode = lxd::migration_mode::push, .new_name = name + "-b"}).wait(5min);
    EXPECT_FALSE(u1.containers().exists(name));
    expect_arrived(u2, name + "-b", 2);
}

TEST_P(Migrate, CopyLocallyAndRemotelyInstanceOnly) {
    auto name = sandbox::unique_name("mcopy");
    auto box = prepare(u1, name);
    box.copy(u1, {.new_name = name + "-c"}).wait(2min);
    EXPECT_TRUE(u1.containers().exists(name));
    expect_arrived(u1, name + "-c", 2);
    auto h2 = sandbox::trusted_https_client(2);
    box.copy(h2, {.instance_only = true}).wait(5min);
    EXPECT_TRUE(u1.containers().exists(name));
    expect_arrived(u2, name, 0);
    EXPECT_EQ(code_of([&] { (void)box.copy(u1); }), lxd::errc::invalid_argument);
}

TEST_P(Migrate, TakenNameFailsAndSourceStaysIntact) {
    auto name = sandbox::unique_name("mtaken");
    auto box = prepare(u1, name);
    sandbox::make_container(u2, name, false);   // the name is taken on the target
    auto h2 = sandbox::trusted_https_client(2);
    try {
        box.migrate(h2).wait(5min);
        FAIL() << "migrated onto a taken name";
    } catch (const lxd::error& e) {
        EXPECT_FALSE(e.server_message().empty()) << e.what();
    }
    ASSERT_TRUE(u1.containers().exists(name));
    auto still = u1.containers().get(name);
    EXPECT_EQ(still.config().at("user.origin"), "lxdpp-test");
    EXPECT_EQ(still.snapshots().all().size(), 2u);
}

TEST_P(Migrate, LiveMigrationReportsCriuAndKeepsTheSource) {
    auto name = sandbox::unique_name("mlive");
    auto box = sandbox::make_container(u1, name, true);
    auto h1 = sandbox::trusted_https_client(1);
    auto h2 = sandbox::trusted_https_client(2);
    auto src = h1.containers().get(name);
    try {
        src.migrate(h2, {.live = true, .mode = lxd::migration_mode::pull}).wait(5min);
        FAIL() << "live migration succeeded without CRIU";
    } catch (const lxd::error& e) {
        EXPECT_FALSE(e.server_message().empty()) << e.what();
    }
    ASSERT_TRUE(u1.containers().exists(name));
    EXPECT_EQ(u1.containers().get(name).status(), "Running");
}

TEST_P(Migrate, TheHandleIsTheTargetInstanceAfterAWaitedMigrate) {
    auto name = sandbox::unique_name("mhnd");
    auto box = prepare(u1, name);
    auto h2 = sandbox::trusted_https_client(2);
    box.migrate(h2, {.new_name = name + "t"}).wait(5min);
    EXPECT_EQ(box.name(), name + "t");
    EXPECT_EQ(box.owner().host_info().environment.certificate, h2.host_info().environment.certificate);
    EXPECT_NE(box.owner().host_info().environment.certificate, u1.host_info().environment.certificate);
    EXPECT_EQ(box.etag(), u2.containers().get(name + "t").etag());
    EXPECT_EQ(box.config().at("user.origin"), "lxdpp-test");
    box.start().wait(1min);   // its verbs act on the target
    EXPECT_EQ(box.status_code(), lxd::api::status_code::running);
    EXPECT_EQ(box.files().get("/root/payload").data, "moved intact\n");
    EXPECT_FALSE(u1.containers().exists(name));
}

LXDPP_BOTH_SERVERS(Migrate);

// Between the two servers: LXD 5.0 and Incus 6.0 speak the same migration protocol, but
// Incus sets a snapshot config key (volatile.uuid.generation) that LXD 5.0 refuses.
namespace {
std::string sha256_hex(std::string_view data) {
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
    std::string out;
    char b[3];
    for (auto x : md) {
        std::snprintf(b, sizeof b, "%02x", x);
        out += b;
    }
    return out;
}
/// The user.* config of an instance as one hash (what must survive a move).
std::string user_config_hash(const lxd::api::config_map& config) {
    std::string all;
    for (auto& [k, v] : config)
        if (k.rfind("user.", 0) == 0) all += k + "=" + v + "\n";
    return sha256_hex(all);
}
lxd::client client_of(sandbox::server s, int k, bool https) {
    sandbox::use(s);
    return https ? sandbox::trusted_https_client(k) : sandbox::unix_client(k);
}
struct Checked {
    std::string now_hash, snap_hash, config_hash;
};
/// The instance on `c`: its config hash, its file now, and the file as its snapshot s0 had it.
Checked check(lxd::client& c, const std::string& name) {
    auto box = c.containers().get(name);
    Checked out;
    out.config_hash = user_config_hash(box.config());
    auto snaps = box.snapshots().all();
    EXPECT_EQ(snaps.size(), 1u);
    if (snaps.size() == 1) {
        EXPECT_EQ(snaps[0].name(), "s0");
        EXPECT_EQ(snaps[0].config().at("user.origin"), "lxdpp-cross");
    }
    box.start().wait(1min);
    out.now_hash = sha256_hex(box.files().get("/root/payload").data);
    box.stop({.force = true}).wait(1min);
    box.snapshots().get("s0").restore().wait(1min);
    box.start().wait(1min);
    out.snap_hash = sha256_hex(box.files().get("/root/payload").data);
    box.stop({.force = true}).wait(1min);
    return out;
}
}  // namespace

TEST(MigrateBetweenServers, LxdToIncusAndBackWithASnapshot) {
    auto lxd1 = client_of(sandbox::server::lxd, 1, false);
    auto incus1 = client_of(sandbox::server::incus, 1, false);
    auto name = sandbox::unique_name("cross");
    sandbox::use(sandbox::server::lxd);
    auto box = sandbox::make_container(lxd1, name, true);
    std::string before(100000, '\0'), after(70000, '\0');
    for (std::size_t i = 0; i < before.size(); ++i) before[i] = static_cast<char>(i * 7 + 3);
    for (std::size_t i = 0; i < after.size(); ++i) after[i] = static_cast<char>(i * 13 + 1);
    box.set_config("user.origin", "lxdpp-cross").set_config("user.second", "two words").save();
    box.files().put("/root/payload", before);
    box.snapshots().create("s0").wait(1min);
    box.files().put("/root/payload", after);
    box.stop({.force = true}).wait(1min);
    box.refresh();
    Checked expected{sha256_hex(after), sha256_hex(before), user_config_hash(box.config())};

    // LXD -> Incus (relay: both are Unix socket clients).
    box.migrate(incus1).wait(5min);
    EXPECT_FALSE(lxd1.containers().exists(name));
    ASSERT_TRUE(incus1.containers().exists(name));
    EXPECT_EQ(incus1.containers().get(name).snapshots().all().at(0).config().count("volatile.uuid.generation"), 1u)
        << "Incus gives its snapshots a generation id";
    // check() restores s0, so the instance now holds `before`: put `after` back afterwards.
    auto on_incus = check(incus1, name);
    EXPECT_EQ(on_incus.now_hash, expected.now_hash);
    EXPECT_EQ(on_incus.snap_hash, expected.snap_hash);
    EXPECT_EQ(on_incus.config_hash, expected.config_hash);
    auto ibox = incus1.containers().get(name);
    ibox.start().wait(1min);
    ibox.files().put("/root/payload", after);
    ibox.stop({.force = true}).wait(1min);

    // Incus -> LXD in pull mode cannot carry the snapshot (LXD 5.0 refuses its config):
    // refused before anything is transferred, nothing on LXD, the source untouched.
    auto lxd_https = client_of(sandbox::server::lxd, 1, true);
    auto incus_https = client_of(sandbox::server::incus, 1, true);
    try {
        incus_https.containers().get(name).migrate(lxd_https, {.mode = lxd::migration_mode::pull}).wait(5min);
        FAIL() << "a pull that LXD 5.0 cannot take was started";
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("volatile.uuid.generation"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(lxd1.containers().exists(name));
    ASSERT_TRUE(incus1.containers().exists(name));

    // Incus -> LXD (relay): the client drops the key LXD does not know from the snapshots.
    incus1.containers().get(name).migrate(lxd1).wait(5min);
    EXPECT_FALSE(incus1.containers().exists(name));
    ASSERT_TRUE(lxd1.containers().exists(name));
    EXPECT_EQ(lxd1.containers().get(name).snapshots().all().at(0).config().count("volatile.uuid.generation"), 0u);
    auto back = check(lxd1, name);
    EXPECT_EQ(back.now_hash, expected.now_hash);
    EXPECT_EQ(back.snap_hash, expected.snap_hash);
    EXPECT_EQ(back.config_hash, expected.config_hash);
    sandbox::use(sandbox::server::incus);
    sandbox::remove_leftovers(incus1);
    sandbox::use(sandbox::server::lxd);
    sandbox::remove_leftovers(lxd1);
}

TEST(MigrateBetweenServers, CopyBothWaysInstanceOnlyAndWithSnapshots) {
    auto lxd1 = client_of(sandbox::server::lxd, 1, false);
    auto incus1 = client_of(sandbox::server::incus, 1, false);
    sandbox::use(sandbox::server::incus);
    auto name = sandbox::unique_name("xcopy");
    auto box = sandbox::make_container(incus1, name, true);
    box.files().put("/root/payload", "from incus\n");
    box.snapshots().create("s0").wait(1min);
    box.stop({.force = true}).wait(1min);
    // Incus -> LXD, with the snapshot and without.
    box.copy(lxd1).wait(5min);
    box.copy(lxd1, {.instance_only = true, .new_name = name + "-io"}).wait(5min);
    EXPECT_TRUE(incus1.containers().exists(name));
    EXPECT_EQ(lxd1.containers().get(name).snapshots().all().size(), 1u);
    EXPECT_EQ(lxd1.containers().get(name + "-io").snapshots().all().size(), 0u);
    // LXD -> Incus, back under another name.
    lxd1.containers().get(name).copy(incus1, {.new_name = name + "-rt"}).wait(5min);
    auto rt = incus1.containers().get(name + "-rt");
    EXPECT_EQ(rt.snapshots().all().size(), 1u);
    rt.start().wait(1min);
    EXPECT_EQ(rt.files().get("/root/payload").data, "from incus\n");
    sandbox::remove_leftovers(incus1);
    sandbox::use(sandbox::server::lxd);
    sandbox::remove_leftovers(lxd1);
}
