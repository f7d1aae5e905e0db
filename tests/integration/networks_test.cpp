// Networks, and an instance's console, log files, metadata and templates, through the
// library against both servers; lxc (or incus) on the same daemon confirms each effect.
// Bridges are made with ipv4.address=none ipv6.address=none: no traffic leaves the machine.
#include "sandbox.hpp"
#include "support/code_of.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

using namespace std::chrono_literals;
using test_support::code_of;
using test_support::thrown_by;

namespace {

std::string own_prefix() { return "t" + std::to_string(::getpid()) + "-"; }

const lxd::api::config_map no_addresses{{"ipv4.address", "none"}, {"ipv6.address", "none"}};

struct Networks : sandbox::server_test {
    lxd::client c = sandbox::unix_client(1);
    void TearDown() override {
        sandbox::remove_leftovers(c);   // instances first: they use the networks
        for (auto& name : c.networks().names())
            if (name.starts_with(own_prefix())) c.networks().get(name).remove();
    }
    lxd::network bridge(const std::string& name) { return c.networks().create({.name = name, .config = no_addresses}); }
};
using InstanceMeta = Networks;

}  // namespace

TEST_P(Networks, CreateReadChangeRenameRemoveAsLxcSeesThem) {
    auto name = sandbox::unique_name("n");
    auto n = c.networks().create({.name = name, .type = "bridge", .description = "made by lxdpp", .config = no_addresses});
    EXPECT_EQ(n.name(), name);
    EXPECT_EQ(n.type(), "bridge");
    EXPECT_EQ(n.description(), "made by lxdpp");
    EXPECT_EQ(n.config(), no_addresses);
    EXPECT_TRUE(n.managed());
    EXPECT_EQ(n.status(), "Created");
    EXPECT_TRUE(n.used_by().empty());
    EXPECT_EQ(n.locations(), std::vector<std::string>{"none"});
    EXPECT_FALSE(n.etag().empty());
    EXPECT_EQ(n.data().project, sandbox::on_incus() ? "default" : "");
    EXPECT_TRUE(c.networks().exists(name));
    EXPECT_EQ(sandbox::lxc("network get d1:" + name + " ipv4.address"), "none\n");
    auto names = c.networks().names();
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end());

    n.set_config("user.k", "v").set_description("changed");
    n.save();
    EXPECT_EQ(n.config().at("user.k"), "v");
    EXPECT_EQ(sandbox::lxc("network get d1:" + name + " user.k"), "v\n");
    EXPECT_NE(sandbox::lxc("network show d1:" + name).find("description: changed\n"), std::string::npos);
    n.patch({.config = lxd::api::config_map{{"user.j", "w"}}});   // PATCH merges: user.k stays
    EXPECT_EQ(n.config().at("user.k"), "v");
    EXPECT_EQ(n.config().at("user.j"), "w");
    n.unset_config("user.k");
    n.save();
    EXPECT_EQ(n.config().count("user.k"), 0u);
    EXPECT_EQ(sandbox::lxc("network get d1:" + name + " user.k"), "");

    // A stale handle's save is refused by its ETag.
    auto stale = c.networks().get(name);
    n.set_config("user.x", "1");
    n.save();
    stale.set_config("user.y", "2");
    EXPECT_EQ(code_of([&] { stale.save(); }), lxd::errc::precondition_failed);

    auto renamed = sandbox::unique_name("n");
    n.rename(renamed);
    EXPECT_EQ(n.name(), renamed);
    EXPECT_FALSE(c.networks().exists(name));
    EXPECT_EQ(sandbox::lxc("network get d1:" + renamed + " user.x"), "1\n");
    n.remove();
    EXPECT_FALSE(c.networks().exists(renamed));
}

TEST_P(Networks, StateLeasesAndTheHostsInterfaces) {
    auto n = bridge(sandbox::unique_name("n"));
    auto st = n.state();
    EXPECT_EQ(st.type, "broadcast");
    EXPECT_EQ(st.state, "up");
    EXPECT_EQ(st.mtu, 1500);
    EXPECT_EQ(st.hwaddr.size(), 17u);
    EXPECT_TRUE(st.addresses.empty());   // ipv4.address=none ipv6.address=none
    EXPECT_NE(sandbox::lxc("network info d1:" + n.name()).find("MAC address: " + st.hwaddr + "\n"), std::string::npos);
    EXPECT_TRUE(n.leases().empty());
    // The host's interfaces are listed unmanaged; lo as a loopback.
    auto lo = c.networks().get("lo");
    EXPECT_FALSE(lo.managed());
    EXPECT_EQ(lo.type(), "loopback");
    EXPECT_EQ(lo.status(), "");
    EXPECT_TRUE(lo.config().empty());
    EXPECT_EQ(lo.state().mtu, 65536);
    // Leases are only for managed networks: the servers say "not found".
    auto e = thrown_by([&] { (void)lo.leases(); });
    EXPECT_EQ(e.code_value(), lxd::errc::not_found) << e.what();
    EXPECT_EQ(e.server_message(), "Failed loading network: Network not found");
}

TEST_P(Networks, AnInstanceNicOnANetworkAndDeletingANetworkInUse) {
    auto n = bridge(sandbox::unique_name("n"));
    auto box = sandbox::make_container(c, sandbox::unique_name("nic"), false);
    auto devices = box.devices();
    devices["eth0"] = {{"type", "nic"}, {"network", n.name()}, {"name", "eth0"}};
    box.set_devices(devices);
    box.save();
    n.refresh();
    ASSERT_EQ(n.used_by().size(), 1u);
    EXPECT_EQ(n.used_by()[0], "/1.0/instances/" + box.name());
    box.start().wait(1min);
    auto st = box.state();
    ASSERT_TRUE(st.network.count("eth0"));
    EXPECT_EQ(st.network.at("eth0").state, "up");
    EXPECT_NE(sandbox::lxc("network list d1: -f csv").find(n.name() + ",bridge,YES,none,none,,1,CREATED\n"), std::string::npos);

    auto e = thrown_by([&] { n.remove(); });
    EXPECT_EQ(e.code_value(), lxd::errc::bad_request) << e.what();
    EXPECT_EQ(e.server_message(), "The network is currently in use");
    e = thrown_by([&] { n.rename(sandbox::unique_name("n")); });
    EXPECT_EQ(e.code_value(), lxd::errc::bad_request) << e.what();
    EXPECT_EQ(e.server_message(), "Network is currently in use");
    EXPECT_TRUE(c.networks().exists(n.name()));
    box.stop({.force = true}).wait(1min);
    box.remove().wait(1min);
    n.remove();
    EXPECT_FALSE(c.networks().exists(n.name()));
}

TEST_P(Networks, BadInputIsRefusedBeforeAnyRequest) {
    for (const std::string& bad : std::vector<std::string>{"", "t1234567890abcdef", "a/b", "a:b", "a b", "..", std::string("a\tb")}) {
        EXPECT_EQ(code_of([&] { (void)c.networks().get(bad); }), lxd::errc::invalid_argument) << bad;
        EXPECT_EQ(code_of([&] { (void)c.networks().create({.name = bad, .config = no_addresses}); }), lxd::errc::invalid_argument) << bad;
    }
    EXPECT_EQ(code_of([&] { (void)c.networks().create({.name = "x1", .config = {{"bad key", "v"}}}); }), lxd::errc::invalid_argument);
    EXPECT_FALSE(c.networks().exists("x1"));
    auto e = thrown_by([&] { (void)c.networks().get("nosuchnet"); });
    EXPECT_EQ(e.code_value(), lxd::errc::not_found);
    EXPECT_EQ(e.server_message(), "Network not found");
    EXPECT_FALSE(c.networks().exists("nosuchnet"));
    auto n = bridge(sandbox::unique_name("n"));
    EXPECT_EQ(code_of([&] { n.rename("a/b"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(n.name().substr(0, own_prefix().size()), own_prefix());   // unchanged
    EXPECT_EQ(code_of([&] { n.patch({}); }), lxd::errc::invalid_argument);
}

TEST_P(InstanceMeta, ConsoleLog) {
    auto box = sandbox::make_container(c, sandbox::unique_name("con"), true);
    if (sandbox::on_incus()) {
        EXPECT_EQ(box.console_log(), "");   // Incus: an empty log before anyone attached
    } else {
        // LXD 5.0: the log file exists only once a console was attached.
        auto e = thrown_by([&] { (void)box.console_log(); });
        EXPECT_EQ(e.code_value(), lxd::errc::server_error) << e.what();
        EXPECT_EQ(e.server_message(), "open : no such file or directory");
    }
    box.clear_console_log();   // LXD: still no file; nothing to clear
    EXPECT_EQ(sandbox::on_incus() ? box.console_log() : std::string(), "");
}

TEST_P(InstanceMeta, LogFiles) {
    auto box = sandbox::make_container(c, sandbox::unique_name("log"), true);
    auto logs = box.logs();
    // LXD 5.0 also lists lxc.conf; Incus only lxc.log.
    EXPECT_EQ(logs, (sandbox::on_incus() ? std::vector<std::string>{"lxc.log"} : std::vector<std::string>{"lxc.conf", "lxc.log"}));
    auto log = box.log("lxc.log");
    auto dir = sandbox::env(sandbox::on_incus() ? "LXDPP_TEST_INCUS_DIR_1" : "LXDPP_TEST_DIR_1");
    std::ifstream in(dir + "/logs/" + box.name() + "/lxc.log", std::ios::binary);
    EXPECT_EQ(log, std::string(std::istreambuf_iterator<char>(in), {}));   // the daemon's file, as it is
    EXPECT_EQ(code_of([&] { (void)box.log("../x"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { (void)box.log("nosuch.log"); }), lxd::errc::bad_request);   // both: 400
}

TEST_P(InstanceMeta, MetadataAndTemplates) {
    auto box = sandbox::make_container(c, sandbox::unique_name("meta"), false);
    auto m = box.metadata();
    EXPECT_EQ(m.properties.at("os"), "busybox");
    EXPECT_EQ(m.creation_date, 1700000000);
    EXPECT_TRUE(m.templates.empty());
    m.properties["description"] = "changed by lxdpp";
    m.templates["/etc/motd"] = {{"create", "start"}, false, "motd.tpl", {{"k", "v"}}};
    box.set_metadata(m);
    auto back = box.metadata();
    EXPECT_EQ(back.properties.at("description"), "changed by lxdpp");
    ASSERT_EQ(back.templates.count("/etc/motd"), 1u);
    EXPECT_EQ(back.templates.at("/etc/motd").template_name, "motd.tpl");
    EXPECT_EQ(back.templates.at("/etc/motd").when, (std::vector<std::string>{"create", "start"}));
    EXPECT_NE(sandbox::lxc("config metadata show d1:" + box.name()).find("template: motd.tpl\n"), std::string::npos);

    EXPECT_TRUE(box.templates().empty());
    box.put_template("motd.tpl", "hello {{ container.name }}\n");
    EXPECT_EQ(box.templates(), std::vector<std::string>{"motd.tpl"});
    EXPECT_EQ(box.get_template("motd.tpl"), "hello {{ container.name }}\n");
    EXPECT_EQ(sandbox::lxc("config template show d1:" + box.name() + " motd.tpl"), "hello {{ container.name }}\n");
    EXPECT_EQ(code_of([&] { box.put_template("motd.tpl", "bye\n"); }), lxd::errc::conflict);   // not without replace
    EXPECT_EQ(box.get_template("motd.tpl"), "hello {{ container.name }}\n");
    box.put_template("motd.tpl", "bye\n", true);
    EXPECT_EQ(box.get_template("motd.tpl"), "bye\n");
    // The template renders at start: the file in the instance says so.
    box.put_template("motd.tpl", "name={{ container.name }}\n", true);
    box.start().wait(1min);
    EXPECT_EQ(sandbox::lxc("exec d1:" + box.name() + " -- cat /etc/motd"), "name=" + box.name() + "\n");
    box.remove_template("motd.tpl");
    EXPECT_TRUE(box.templates().empty());
    EXPECT_EQ(code_of([&] { (void)box.get_template("motd.tpl"); }), lxd::errc::not_found);
    EXPECT_EQ(code_of([&] { box.put_template("a/b", "x"); }), lxd::errc::invalid_argument);
    box.stop({.force = true}).wait(1min);
}

LXDPP_BOTH_SERVERS(Networks);
LXDPP_BOTH_SERVERS(InstanceMeta);
