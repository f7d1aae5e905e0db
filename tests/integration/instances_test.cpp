// The seed page's containers: manager, attributes, lifecycle — against a real daemon, with
// the lxc CLI confirming effects.
#include "sandbox.hpp"
#include "support/code_of.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace std::chrono_literals;

namespace {
using test_support::code_of;

struct Instances : sandbox::server_test {
    lxd::client c = sandbox::unix_client(1);
    void TearDown() override { sandbox::remove_leftovers(c); }
    std::string lxc_status(const std::string& name) {
        auto s = sandbox::lxc("list d1:" + name + " --format csv -c ns");
        return s;
    }
};
}  // namespace

TEST_P(Instances, CreateGetExistsWithFullConfig) {
    auto name = sandbox::unique_name("full");
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.source = lxd::instance_source::image_alias(sandbox::image());
    cfg.config = {{"user.purpose", "test"}, {"limits.processes", "100"}};
    cfg.devices = {{"scratch", {{"type", "disk"}, {"path", "/mnt/scratch"}, {"source", "/tmp"}}}};
    cfg.profiles = std::vector<std::string>{"default"};
    cfg.description = "made by lxdpp";
    c.containers().create(cfg).wait(2min);

    EXPECT_TRUE(c.containers().exists(name));
    auto i = c.containers().get(name);
    EXPECT_EQ(i.name(), name);
    EXPECT_EQ(i.status(), "Stopped");
    EXPECT_EQ(i.status_code(), lxd::api::status_code::stopped);
    EXPECT_EQ(i.type(), lxd::api::instance_type::container);
    EXPECT_EQ(i.description(), "made by lxdpp");
    EXPECT_EQ(i.config().at("user.purpose"), "test");
    EXPECT_EQ(i.expanded_config().at("limits.processes"), "100");
    EXPECT_EQ(i.devices().at("scratch").at("path"), "/mnt/scratch");
    EXPECT_EQ(i.expanded_devices().at("root").at("pool"), "p");   // from the default profile
    EXPECT_EQ(i.profiles(), std::vector<std::string>{"default"});
    EXPECT_FALSE(i.ephemeral());
    EXPECT_FALSE(i.stateful());
    EXPECT_FALSE(i.architecture().empty());
    EXPECT_FALSE(i.created_at().empty());
    EXPECT_FALSE(i.etag().empty());
    // The lxc CLI sees the same.
    EXPECT_EQ(sandbox::lxc("config get d1:" + name + " user.purpose"), "test\n");
    EXPECT_EQ(lxc_status(name), name + ",STOPPED\n");
}

TEST_P(Instances, SourcesFingerprintPropertiesNoneCopy) {
    auto fp_out = sandbox::lxc("image list d1: --format csv -c f");
    auto short_fp = fp_out.substr(0, fp_out.find('\n'));
    auto info = sandbox::lxc("image info d1:" + short_fp);
    auto pos = info.find("Fingerprint: ");
    ASSERT_NE(pos, std::string::npos);
    auto fp = info.substr(pos + 13, 64);

    auto a = sandbox::unique_name("fp");
    lxd::instance_create cfg;
    cfg.name = a;
    cfg.source = lxd::instance_source::image_fingerprint(fp);
    c.containers().create(cfg).wait(2min);
    EXPECT_EQ(c.containers().get(a).config().at("volatile.base_image"), fp);

    auto b = sandbox::unique_name("props");
    cfg.name = b;
    cfg.source = lxd::instance_source::image_properties({{"os", "busybox"}});
    c.containers().create(cfg).wait(2min);
    EXPECT_EQ(c.containers().get(b).config().at("volatile.base_image"), fp);

    auto e = sandbox::unique_name("none");
    cfg.name = e;
    cfg.source = lxd::instance_source::none();
    cfg.profiles = std::vector<std::string>{"default"};
    c.containers().create(cfg).wait(2min);
    EXPECT_EQ(c.containers().get(e).config().count("volatile.base_image"), 0u);

    auto d = sandbox::unique_name("copy");
    cfg.name = d;
    cfg.source = lxd::instance_source::copy_of(a);
    c.containers().create(cfg).wait(2min);
    EXPECT_EQ(c.containers().get(d).config().at("volatile.base_image"), fp);
    EXPECT_NE(sandbox::lxc("list d1: --format csv -c n").find(d), std::string::npos);
}

TEST_P(Instances, CreateAndStartIsOneOperation) {
    auto name = sandbox::unique_name("start");
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.source = lxd::instance_source::image_alias(sandbox::image());
    cfg.start = true;
    cfg.ephemeral = true;
    c.containers().create(cfg).wait(2min);
    auto i = c.containers().get(name);
    EXPECT_EQ(i.status(), "Running");
    EXPECT_TRUE(i.ephemeral());
    EXPECT_EQ(lxc_status(name), name + ",RUNNING\n");
}

TEST_P(Instances, ListingIsOneRequestAndTypeFiltered) {
    // 100 instances (empty ones: the listing, not the image, is under test).
    std::vector<lxd::operation> ops;
    std::vector<std::string> names;
    for (int i = 0; i < 100; ++i) {
        names.push_back(sandbox::unique_name("l"));
        lxd::instance_create cfg;
        cfg.name = names.back();
        ops.push_back(c.containers().create(cfg));
    }
    for (auto& op : ops) op.wait(5min);

    (void)c.api_extensions();   // warm the extension cache
    auto before = c.request_count();
    auto all = c.containers().all();
    EXPECT_EQ(c.request_count(), before + 1);
    std::set<std::string> listed;
    for (auto& i : all) {
        listed.insert(i.name());
        EXPECT_FALSE(i.status().empty());
    }
    for (auto& n : names) EXPECT_EQ(listed.count(n), 1u) << n;

    before = c.request_count();
    auto with_state = c.containers().all({.with_state = true});
    EXPECT_EQ(c.request_count(), before + 1);
    for (auto& i : with_state) {
        ASSERT_TRUE(i.listed_state().has_value()) << i.name();
        EXPECT_EQ(i.listed_state()->status, i.status());
    }
    // Field selection needs an extension LXD 5.0 lacks: refused clearly, before any request.
    before = c.request_count();
    try {
        (void)c.containers().all({.with_state = true, .fields = {"state.disk"}});
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::unsupported);
        EXPECT_NE(std::string(e.what()).find("instances_state_selective_recursion"), std::string::npos);
    }
    EXPECT_EQ(c.request_count(), before);

    EXPECT_EQ(c.instances().all().size(), all.size());
    EXPECT_TRUE(c.virtual_machines().all().empty());   // no VMs on this kernel
    EXPECT_EQ(c.containers().names().size(), all.size());
    auto csv = sandbox::lxc("list d1: --format csv -c n");
    EXPECT_EQ(static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n')), all.size());
}

TEST_P(Instances, SaveUsesETagAndTheRaceHasOneWinner) {
    auto name = sandbox::unique_name("race");
    auto base = sandbox::make_container(c, name, false);
    auto other = sandbox::unix_client(1);
    auto a = c.containers().get(name);
    auto b = other.containers().get(name);
    a.set_config("user.winner", "a");
    a.save();
    EXPECT_EQ(a.config().at("user.winner"), "a");   // re-read after save
    b.set_config("user.winner", "b");
    try {
        b.save();
        FAIL() << "stale save overwrote";
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::precondition_failed);
        EXPECT_EQ(e.http_status(), 412);
        EXPECT_FALSE(e.server_message().empty());
    }
    EXPECT_EQ(sandbox::lxc("config get d1:" + name + " user.winner"), "a\n");
    // After a refresh the loser can apply its change on top.
    b.refresh();
    b.set_config("user.second", "b").save();
    auto fresh = c.containers().get(name);
    EXPECT_EQ(fresh.config().at("user.winner"), "a");
    EXPECT_EQ(fresh.config().at("user.second"), "b");
}

TEST_P(Instances, SaveEditsEveryEditableField) {
    auto name = sandbox::unique_name("save");
    auto i = sandbox::make_container(c, name, false);
    i.set_description("edited").set_ephemeral(true).unset_config("volatile.apply_template");
    i.set_devices({{"extra", {{"type", "disk"}, {"path", "/mnt/x"}, {"source", "/tmp"}}}});
    i.save();
    auto fresh = c.containers().get(name);
    EXPECT_EQ(fresh.description(), "edited");
    EXPECT_TRUE(fresh.ephemeral());
    EXPECT_EQ(fresh.devices().at("extra").at("path"), "/mnt/x");
    EXPECT_NE(sandbox::lxc("config device show d1:" + name).find("/mnt/x"), std::string::npos);
    fresh.set_profiles({});
    fresh.set_devices({{"root", {{"type", "disk"}, {"path", "/"}, {"pool", "p"}}}});
    fresh.save();
    EXPECT_TRUE(c.containers().get(name).profiles().empty());
}

TEST_P(Instances, Patch) {
    auto name = sandbox::unique_name("patch");
    auto i = sandbox::make_container(c, name, false);
    i.patch({.config = lxd::api::config_map{{"user.patched", "yes"}}, .description = "patched"});
    EXPECT_EQ(i.config().at("user.patched"), "yes");
    EXPECT_EQ(i.description(), "patched");
    EXPECT_EQ(sandbox::lxc("config get d1:" + name + " user.patched"), "yes\n");
    EXPECT_EQ(code_of([&] { i.patch({}); }), lxd::errc::invalid_argument);
}

TEST_P(Instances, LifecycleChangesRealState) {
    auto name = sandbox::unique_name("life");
    auto i = sandbox::make_container(c, name, false);
    i.start().wait(1min);
    EXPECT_EQ(i.state().status, "Running");
    EXPECT_EQ(lxc_status(name), name + ",RUNNING\n");
    i.freeze().wait(1min);
    EXPECT_EQ(i.state().status, "Frozen");
    EXPECT_EQ(lxc_status(name), name + ",FROZEN\n");
    i.unfreeze().wait(1min);
    EXPECT_EQ(i.state().status, "Running");
    auto pid_before = i.state().pid;
    i.restart({.timeout = 10s, .force = true}).wait(1min);
    auto st = i.state();
    EXPECT_EQ(st.status, "Running");
    EXPECT_NE(st.pid, pid_before);
    i.stop({.timeout = 10s, .force = true}).wait(1min);
    EXPECT_EQ(i.state().status, "Stopped");
    EXPECT_EQ(lxc_status(name), name + ",STOPPED\n");
}

TEST_P(Instances, GracefulStopIsTheDefault) {
    // LXD tells a clean shutdown ("instance-shutdown") from a kill ("instance-stopped") in
    // its lifecycle events: the default stop must be the former.
    static_assert(!lxd::state_options{}.force);
    auto name = sandbox::unique_name("grace");
    auto i = sandbox::make_container(c, name, true);
    auto events = c.events({.types = {"lifecycle"}});
    i.stop().wait(1min);
    EXPECT_EQ(i.state().status, "Stopped");
    std::vector<std::string> actions;
    while (auto ev = events.next(2s))
        if (ev->source.find(name) != std::string::npos) actions.push_back(ev->action);
    EXPECT_NE(std::find(actions.begin(), actions.end(), "instance-shutdown"), actions.end());

    i.start().wait(1min);
    events = c.events({.types = {"lifecycle"}});
    i.stop({.force = true}).wait(1min);
    actions.clear();
    while (auto ev = events.next(2s))
        if (ev->source.find(name) != std::string::npos) actions.push_back(ev->action);
    EXPECT_EQ(std::find(actions.begin(), actions.end(), "instance-shutdown"), actions.end());
    EXPECT_NE(std::find(actions.begin(), actions.end(), "instance-stopped"), actions.end());
}

TEST_P(Instances, StateIsTyped) {
    auto name = sandbox::unique_name("state");
    auto i = sandbox::make_container(c, name, true);
    auto st = i.state();
    EXPECT_EQ(st.status, "Running");
    EXPECT_EQ(st.status_code, lxd::api::status_code::running);
    EXPECT_GT(st.pid, 0);
    EXPECT_GE(st.processes, 1);
    EXPECT_GT(st.memory_usage, 0);
    EXPECT_GT(st.cpu_usage_ns, 0);
    ASSERT_EQ(st.network.count("lo"), 1u);   // the only interface: the profile has no NIC
    EXPECT_EQ(st.network.at("lo").type, "loopback");
    EXPECT_EQ(st.network.at("lo").mtu, 65536);
}

TEST_P(Instances, StatefulStopReportsTheCriuFailure) {
    auto name = sandbox::unique_name("criu");
    auto i = sandbox::make_container(c, name, true);
    try {
        i.stop({.stateful = true}).wait(2min);
        FAIL() << "stateful stop succeeded on a kernel where CRIU fails";
    } catch (const lxd::error& e) {
        if (sandbox::on_incus()) {
            // Incus refuses before trying CRIU (migration.stateful is not set), as an HTTP 500
            // answer to the wait: a failed operation.
            EXPECT_EQ(e.code_value(), lxd::errc::operation_failed) << e.what();
            EXPECT_EQ(e.server_message(), "Stateful stop requires the instance to have migration.stateful be set to true");
        } else {
            EXPECT_TRUE(e.code_value() == lxd::errc::operation_failed || e.code_value() == lxd::errc::bad_request) << e.what();
            EXPECT_FALSE(e.server_message().empty()) << e.what();
        }
    }
    EXPECT_EQ(i.state().status, "Running");
}

TEST_P(Instances, RenameStoppedAndRefusedWhileRunning) {
    auto name = sandbox::unique_name("ren");
    auto i = sandbox::make_container(c, name, false);
    auto new_name = sandbox::unique_name("renamed");
    i.rename(new_name).wait(1min);
    EXPECT_FALSE(c.containers().exists(name));
    EXPECT_TRUE(c.containers().exists(new_name));
    EXPECT_EQ(sandbox::lxc("list d1:" + new_name + " --format csv -c n"), new_name + "\n");

    auto running = c.containers().get(new_name);
    running.start().wait(1min);
    try {
        running.rename(sandbox::unique_name("nope")).wait(1min);
        FAIL();
    } catch (const lxd::error& e) {
        if (sandbox::on_incus()) {
            EXPECT_EQ(e.code_value(), lxd::errc::operation_failed) << e.what();   // HTTP 500 from the wait
            EXPECT_EQ(e.server_message(), "Renaming of running instance not allowed");
        } else {
            EXPECT_TRUE(e.code_value() == lxd::errc::bad_request || e.code_value() == lxd::errc::operation_failed) << e.what();
        }
        EXPECT_NE(e.server_message().find("running"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(c.containers().exists(new_name));
}

TEST_P(Instances, RemoveAndForceRemove) {
    auto name = sandbox::unique_name("rm");
    auto i = sandbox::make_container(c, name, true);
    try {
        i.remove().wait(std::chrono::minutes(2));
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::bad_request);
        EXPECT_FALSE(e.server_message().empty());
    }
    EXPECT_TRUE(c.containers().exists(name));
    i.remove(true).wait(std::chrono::minutes(2));
    EXPECT_FALSE(c.containers().exists(name));
    EXPECT_EQ(sandbox::lxc("list d1:" + name + " --format csv -c n"), "");
}

TEST_P(Instances, ErrorsCarryTheServersMessage) {
    try {
        (void)c.containers().get("does-not-exist");
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::not_found);
        EXPECT_EQ(e.http_status(), 404);
        EXPECT_EQ(e.server_message(), sandbox::on_incus()
                                          ? "Failed to fetch instance \"does-not-exist\" in project \"default\": Instance not found"
                                          : "Instance not found");
        EXPECT_NE(e.request().find("/1.0/instances/does-not-exist"), std::string::npos);
    }
    auto name = sandbox::unique_name("dup");
    auto other = sandbox::unique_name("dup");
    sandbox::make_container(c, name, false);
    auto second = sandbox::make_container(c, other, false);
    try {
        second.rename(name).wait(1min);
        FAIL();
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::conflict) << e.what();
        EXPECT_EQ(e.http_status(), 409);
        EXPECT_EQ(e.server_message(), "Name \"" + name + "\" already in use");
    }
    // LXD 5.0 reports a duplicate create in the operation, not as a 409: its words still arrive.
    lxd::instance_create cfg;
    cfg.name = name;
    try {
        c.containers().create(cfg).wait(1min);
        FAIL();
    } catch (const lxd::error& e) {
        if (sandbox::on_incus()) {
            // Incus 6.0.4: the database's words, as an HTTP 500 answer to the wait (a failed
            // operation, as on LXD).
            EXPECT_EQ(e.code_value(), lxd::errc::operation_failed) << e.what();
            EXPECT_FALSE(e.operation_id().empty()) << e.what();
            EXPECT_NE(e.server_message().find("UNIQUE constraint failed: instances.project_id, instances.name"), std::string::npos)
                << e.what();
        } else {
            EXPECT_EQ(e.code_value(), lxd::errc::operation_failed) << e.what();
            EXPECT_NE(e.server_message().find("already exists"), std::string::npos) << e.what();
        }
    }
}

TEST_P(Instances, InvalidNamesAreRefusedBeforeAnyRequest) {
    (void)c.api_extensions();
    auto before = c.request_count();
    for (const std::string& bad : std::vector<std::string>{"", "1abc", "-x", "x-", "a_b", "a/b", "../etc", std::string(64, 'a')}) {
        EXPECT_EQ(code_of([&] { (void)c.containers().get(bad); }), lxd::errc::invalid_argument) << bad;
        EXPECT_EQ(code_of([&] { (void)c.containers().exists(bad); }), lxd::errc::invalid_argument) << bad;
        lxd::instance_create cfg;
        cfg.name = bad;
        EXPECT_EQ(code_of([&] { (void)c.containers().create(cfg); }), lxd::errc::invalid_argument) << bad;
    }
    EXPECT_EQ(c.request_count(), before);
}

TEST_P(Instances, HandleHasTheNewNameAfterAWaitedRename) {
    auto name = sandbox::unique_name("hrn");
    auto i = sandbox::make_container(c, name, false);
    auto copy = i;   // a copy made before the verb learns too
    i.rename(name + "x").wait(1min);
    EXPECT_EQ(i.name(), name + "x");
    EXPECT_EQ(copy.name(), name + "x");
    EXPECT_EQ(i.etag(), c.containers().get(name + "x").etag());
    i.set_config("user.after", "rename").save();   // the verbs use the new name too
    EXPECT_EQ(c.containers().get(name + "x").config().at("user.after"), "rename");
    EXPECT_FALSE(c.containers().exists(name));
    EXPECT_EQ(sandbox::lxc("list d1:" + name + "x --format csv -c n"), name + "x\n");
}

TEST_P(Instances, StatusIsFreshAfterAWaitedStartAndStop) {
    auto name = sandbox::unique_name("hst");
    auto i = sandbox::make_container(c, name, false);
    ASSERT_EQ(i.status_code(), lxd::api::status_code::stopped);
    i.start().wait(1min);
    EXPECT_EQ(i.status(), "Running");
    EXPECT_EQ(i.status_code(), lxd::api::status_code::running);
    i.freeze().wait(1min);
    EXPECT_EQ(i.status_code(), lxd::api::status_code::frozen);
    i.unfreeze().wait(1min);
    EXPECT_EQ(i.status_code(), lxd::api::status_code::running);
    i.stop({.force = true}).wait(1min);
    EXPECT_EQ(i.status(), "Stopped");
    EXPECT_EQ(i.status_code(), lxd::api::status_code::stopped);
    EXPECT_EQ(lxc_status(name), name + ",STOPPED\n");
}

TEST_P(Instances, AnUnwaitedVerbStillUpdatesTheHandleWhenItEnds) {
    auto name = sandbox::unique_name("hnw");
    auto i = sandbox::make_container(c, name, false);
    auto op = i.start();
    (void)op.async_wait().get();   // the future, not wait(): the handle learns either way
    EXPECT_EQ(i.status_code(), lxd::api::status_code::running);
    i.remove(true).wait(1min);
    EXPECT_FALSE(c.containers().exists(name));
}

LXDPP_BOTH_SERVERS(Instances);
