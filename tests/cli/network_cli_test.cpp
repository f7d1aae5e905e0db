// `lxdpp network`, `console --show-log`, `info --show-log`, `config metadata` and `config template` as
// processes against the sandbox daemons; lxc (or incus) on the same daemon and configuration
// gives the same answers.
#include "cli/cli_support.hpp"
#include "integration/sandbox.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct NetworkCli : cli_support::fixture {
    lxd::client c1 = sandbox::unix_client(1);

    void SetUp() override { make_scratch("ncli"); }
    void TearDown() override {
        sandbox::remove_leftovers(c1);
        const std::string mine = "t" + std::to_string(::getpid()) + "-";
        for (auto& name : c1.networks().names())
            if (name.starts_with(mine)) c1.networks().get(name).remove();
        fs::remove_all(dir);
    }
    std::string lxc(const std::string& args) {
        auto r = lxc_run(args);
        EXPECT_EQ(r.status, 0) << sandbox::cli_name() << " " << args << "\n" << r.err;
        return r.out;
    }
};

}  // namespace

TEST_P(NetworkCli, NetworkVerbsAsLxcSeesThem) {
    auto name = sandbox::unique_name("n");
    EXPECT_EQ(ok("network create d1:" + name + " ipv4.address=none ipv6.address=none"), "Network " + name + " created\n");
    EXPECT_EQ(lxc("network get d1:" + name + " ipv6.address"), "none\n");
    same_as_lxc("network list d1:");
    same_as_lxc("network list d1: -f csv");
    same_as_lxc("network show d1:" + name);
    same_as_lxc("network info d1:" + name);
    same_as_lxc("network list-leases d1:" + name);
    EXPECT_EQ(ok("network set d1:" + name + " user.a=1 user.b=2"), "");
    EXPECT_EQ(ok("network set d1:" + name + " user.c 3"), "");
    EXPECT_EQ(lxc("network get d1:" + name + " user.b"), "2\n");
    EXPECT_EQ(ok("network get d1:" + name + " user.c"), "3\n");
    EXPECT_EQ(ok("network unset d1:" + name + " user.a"), "");
    same_as_lxc("network get d1:" + name + " user.a");   // unset: nothing printed
    EXPECT_EQ(ok("network edit d1:" + name,
                 "config:\n  ipv4.address: none\n  ipv6.address: none\n  user.e: 'yes'\ndescription: edited\n"),
              "");
    EXPECT_EQ(lxc("network get d1:" + name + " user.e"), "yes\n");
    EXPECT_EQ(lxc("network get d1:" + name + " user.b"), "");   // edit replaces the config
    same_as_lxc("network show d1:" + name);

    auto renamed = sandbox::unique_name("n");
    EXPECT_EQ(ok("network rename d1:" + name + " " + renamed), "Network " + name + " renamed to " + renamed + "\n");
    auto box = sandbox::make_container(c1, sandbox::unique_name("nb"), false);
    EXPECT_EQ(ok("network attach d1:" + renamed + " " + box.name() + " eth1 eth1"), "");
    EXPECT_EQ(lxc("config device get d1:" + box.name() + " eth1 name"), "eth1\n");
    EXPECT_EQ(ok("network detach d1:" + renamed + " " + box.name()), "");   // the one nic on it
    EXPECT_EQ(ok("network attach d1:" + renamed + " " + box.name()), "");   // device named after the network
    EXPECT_EQ(lxc("config device get d1:" + box.name() + " " + renamed + " network"), renamed + "\n");
    EXPECT_EQ(lxc("config device get d1:" + box.name() + " " + renamed + " type"), "nic\n");
    {   // a second nic there: the server refuses (on Incus through the operation's wait: the same words)
        auto l = lxc_run("network attach d1:" + renamed + " " + box.name() + " eth2");
        auto r = run("network attach d1:" + renamed + " " + box.name() + " eth2");
        EXPECT_EQ(l.status, 1);
        EXPECT_EQ(r.status, 1);
        EXPECT_EQ(r.err, l.err);
    }
    same_as_lxc("network delete d1:" + renamed);   // in use: the server's refusal, in its words
    same_as_lxc("network list d1:");               // USED BY 1
    same_as_lxc("network detach d1:" + renamed + " " + box.name() + " nosuchdev");
    EXPECT_EQ(ok("network detach d1:" + renamed + " " + box.name() + " " + renamed), "");
    same_as_lxc("network detach d1:" + renamed + " " + box.name());   // none left
    EXPECT_EQ(ok("network delete d1:" + renamed), "Network " + renamed + " deleted\n");
    same_as_lxc("network show d1:" + renamed);   // gone: the server's error
    same_as_lxc("network info d1:nosuchnet");
    auto bad = run("network create d1:" + std::string(16, 'x'));
    EXPECT_EQ(bad.status, 1);
    EXPECT_EQ(bad.err, "Error: network name '" + std::string(16, 'x') + "' is longer than 15 characters (an interface name)\n");
}

TEST_P(NetworkCli, ConsoleAndLogs) {
    auto box = sandbox::make_container(c1, sandbox::unique_name("nc"), true);
    same_as_lxc("console d1:" + box.name() + " --show-log");   // LXD: no log before a console; Incus: empty
    same_as_lxc("console d1:" + box.name());   // stdin is not a terminal (the console itself: console_cli_test)
    box.stop({.force = true}).wait(std::chrono::minutes(1));
    same_as_lxc("info d1:" + box.name() + " --show-log");
    auto r = run("info d1:" + box.name() + " --show-log");
    EXPECT_NE(r.out.find("\nLog:\n\n"), std::string::npos) << r.out;
}

TEST_P(NetworkCli, MetadataAndTemplates) {
    auto box = sandbox::make_container(c1, sandbox::unique_name("nm"), false);
    auto name = "d1:" + box.name();
    same_as_lxc("config metadata show " + name);
    EXPECT_EQ(ok("config metadata edit " + name,
                 "architecture: x86_64\ncreation_date: 1700000000\nexpiry_date: 0\nproperties:\n  os: edited\n"
                 "templates:\n  /etc/motd:\n    when:\n    - start\n    create_only: false\n    template: motd.tpl\n    properties: {}\n"),
              "");
    same_as_lxc("config metadata show " + name);
    EXPECT_NE(lxc("config metadata show " + name).find("os: edited\n"), std::string::npos);
    EXPECT_EQ(ok("config template create " + name + " motd.tpl"), "");
    same_as_lxc("config template list " + name);
    same_as_lxc("config template show " + name + " motd.tpl");
    EXPECT_EQ(ok("config template edit " + name + " motd.tpl", "name={{ container.name }}\n"), "");
    EXPECT_EQ(lxc("config template show " + name + " motd.tpl"), "name={{ container.name }}\n");
    same_as_lxc("config template show " + name + " motd.tpl");
    same_as_lxc("config template list " + name + " -f csv");
    EXPECT_EQ(ok("config template delete " + name + " motd.tpl"), "");
    same_as_lxc("config template list " + name);
    same_as_lxc("config template show " + name + " motd.tpl");   // gone: the server's error
}

LXDPP_BOTH_SERVERS(NetworkCli);
