// `lxdpp profile`, `project`, `config device` as processes against the sandbox daemons;
// lxc (or incus) on the same daemon and configuration confirms each effect.
#include "cli/cli_support.hpp"
#include "integration/sandbox.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

using cli_support::quote;
using cli_support::slurp;

struct ProfileCli : cli_support::fixture {
    lxd::client c1 = sandbox::unix_client(1);

    void SetUp() override { make_scratch("pcli"); }
    void TearDown() override {
        sandbox::remove_leftovers(c1);
        const std::string mine = "t" + std::to_string(::getpid()) + "-";
        for (auto& name : c1.projects().names())
            if (name.starts_with(mine)) {
                auto pc = c1.use_project(name);
                for (auto& p : pc.profiles().names())
                    if (p != "default") pc.profiles().get(p).remove();
                c1.projects().get(name).remove();
            }
        for (auto& name : c1.profiles().names())
            if (name.starts_with(mine)) c1.profiles().get(name).remove();
        fs::remove_all(dir);
    }
    /// lxc with this test's configuration (which lxdpp may have changed); requires success.
    std::string lxc(const std::string& args) {
        auto r = lxc_run(args);
        EXPECT_EQ(r.status, 0) << sandbox::cli_name() << " " << args << "\n" << r.err;
        return r.out;
    }
};

}  // namespace

TEST_P(ProfileCli, ProfileVerbsAsLxcSeesThem) {
    auto name = sandbox::unique_name("cp");
    EXPECT_EQ(ok("profile create d1:" + name), "Profile " + name + " created\n");
    EXPECT_EQ(ok("profile set d1:" + name + " user.a=1 user.b=2"), "");
    EXPECT_EQ(ok("profile set d1:" + name + " limits.cpu 2"), "");
    EXPECT_EQ(lxc("profile get d1:" + name + " user.b"), "2\n");
    EXPECT_EQ(ok("profile get d1:" + name + " limits.cpu"), "2\n");
    EXPECT_EQ(ok("profile unset d1:" + name + " user.a"), "");
    EXPECT_EQ(lxc("profile get d1:" + name + " user.a"), "\n");
    same_as_lxc("profile unset d1:" + name + " nokey");   // the server's refusal, in its words
    EXPECT_EQ(ok("profile device add d1:" + name + " data disk source=/tmp path=/mnt"),
              "Device data added to " + name + "\n");
    EXPECT_EQ(lxc("profile device get d1:" + name + " data path"), "/mnt\n");
    EXPECT_EQ(ok("profile device set d1:" + name + " data readonly=true"), "");
    EXPECT_EQ(lxc("profile device get d1:" + name + " data readonly"), "true\n");
    EXPECT_EQ(ok("profile device unset d1:" + name + " data readonly"), "");
    EXPECT_EQ(lxc("profile device get d1:" + name + " data readonly"), "\n");
    same_as_lxc("profile device list d1:" + name);
    same_as_lxc("profile device show d1:" + name);
    same_as_lxc("profile device get d1:" + name + " data source");
    same_as_lxc("profile show d1:" + name);
    same_as_lxc("profile list d1:");
    same_as_lxc("profile list d1: -f csv");
    same_as_lxc("profile list d1: -f yaml");
    EXPECT_EQ(ok("profile copy d1:" + name + " d1:" + name + "-copy"), "");
    EXPECT_EQ(lxc("profile get d1:" + name + "-copy limits.cpu"), "2\n");
    EXPECT_EQ(ok("profile rename d1:" + name + "-copy " + name + "-moved"), "Profile " + name + "-copy renamed to " + name + "-moved\n");
    EXPECT_EQ(lxc("profile device get d1:" + name + "-moved data path"), "/mnt\n");
    EXPECT_EQ(ok("profile device remove d1:" + name + " data"), "Device data removed from " + name + "\n");
    EXPECT_EQ(lxc("profile device list d1:" + name), "\n");   // lxc's empty list is one newline
    same_as_lxc("profile device list d1:" + name);
    EXPECT_EQ(ok("profile delete d1:" + name + "-moved"), "Profile " + name + "-moved deleted\n");
    EXPECT_EQ(lxc_run("profile show d1:" + name + "-moved").status, 1);
    auto bad = run("profile create d1:a/b");
    EXPECT_EQ(bad.status, 1);
    EXPECT_EQ(bad.err, "Error: profile name 'a/b': profile names may not contain slashes\n");
}

TEST_P(ProfileCli, InstancesProfilesAndDevices) {
    auto prof = sandbox::unique_name("cpi");
    auto box = sandbox::unique_name("cpbox");
    ok("profile create d1:" + prof);
    (void)sandbox::make_container(c1, box, false);
    EXPECT_EQ(ok("profile add d1:" + box + " " + prof), "Profile " + prof + " added to " + box + "\n");
    EXPECT_EQ(lxc("list d1:" + box + " -c P -f csv"), "\"default\n" + prof + "\"\n");
    same_as_lxc("profile delete d1:" + prof);   // in use: the server's message from both
    EXPECT_EQ(ok("profile remove d1:" + box + " " + prof), "Profile " + prof + " removed from " + box + "\n");
    EXPECT_EQ(ok("profile assign d1:" + box + " default," + prof), "Profiles default," + prof + " applied to " + box + "\n");
    EXPECT_EQ(lxc("list d1:" + box + " -c P -f csv"), "\"default\n" + prof + "\"\n");
    ok("profile assign d1:" + box + " default");
    EXPECT_EQ(ok("config device add d1:" + box + " data disk source=/tmp path=/mnt"), "Device data added to " + box + "\n");
    EXPECT_EQ(lxc("config device get d1:" + box + " data path"), "/mnt\n");
    ok("config device set d1:" + box + " data path /srv");
    same_as_lxc("config device get d1:" + box + " data path");
    same_as_lxc("config device list d1:" + box);
    same_as_lxc("config device show d1:" + box);
    auto inherited = run("config device remove d1:" + box + " root");
    EXPECT_EQ(inherited.status, 1);
    EXPECT_EQ(inherited.err,
              "Error: Device from profile(s) cannot be removed from individual instance. Override device or modify profile instead\n");
    EXPECT_EQ(ok("config device remove d1:" + box + " data"), "Device data removed from " + box + "\n");
    EXPECT_EQ(lxc("config device list d1:" + box), "\n");
    same_as_lxc("config device list d1:" + box);
}

TEST_P(ProfileCli, EditReadsStdinOrRunsTheEditorAgainAfterAnError) {
    auto name = sandbox::unique_name("ced");
    ok("profile create d1:" + name);
    ok("profile edit d1:" + name, "description: from stdin\nconfig:\n  user.n: 5\ndevices: {}\n");
    EXPECT_EQ(lxc("profile get d1:" + name + " user.n"), "5\n");
    EXPECT_NE(lxc("profile show d1:" + name).find("description: from stdin"), std::string::npos);
    auto broken = run("profile edit d1:" + name, "config: [unclosed\n");
    EXPECT_EQ(broken.status, 1);
    EXPECT_EQ(broken.err.rfind("Error: YAML: ", 0), 0u) << broken.err;

    // On a terminal (script(1)): the editor opens on lxc's header and the YAML; a first
    // attempt that does not parse is reported and the editor opens again after Enter.
    auto editor = dir / "editor.sh";
    std::ofstream(editor) << "#!/bin/sh\nn=$(cat " << (dir / "count").string() << " 2>/dev/null || echo 0)\n"
                          << "echo $((n+1)) > " << (dir / "count").string() << "\n"
                          << "if [ $n = 0 ]; then cp \"$1\" " << (dir / "seen.yaml").string()
                          << "; echo 'config: [unclosed' > \"$1\"; else printf 'config:\\n  user.ed: edited\\ndescription: via editor\\n' > \"$1\"; fi\n";
    fs::permissions(editor, fs::perms::owner_all);
    std::string inner = lxdpp_path() + " profile edit d1:" + name;
    std::string cmd = conf_var() + quote((dir / "conf").string()) + " EDITOR=" + editor.string() + " VISUAL= timeout 60 script -qec " +
                      quote(inner) + " /dev/null >" + (dir / "tty.out").string() + " 2>&1 <" + (dir / "enter").string();
    std::ofstream(dir / "enter") << "\n";
    int rc = std::system(cmd.c_str());
    auto shown = slurp(dir / "tty.out");
    EXPECT_EQ(WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, 0) << shown;
    EXPECT_NE(shown.find("Config parsing error: YAML: "), std::string::npos) << shown;
    EXPECT_NE(shown.find("Press enter to open the editor again or ctrl+c to abort change"), std::string::npos) << shown;
    EXPECT_EQ(slurp(dir / "count"), "2\n");
    auto seen = slurp(dir / "seen.yaml");
    EXPECT_EQ(seen.rfind("### This is a YAML representation of the profile.\n", 0), 0u) << seen;
    EXPECT_NE(seen.find("  user.n: \"5\"\n"), std::string::npos) << seen;
    EXPECT_EQ(lxc("profile get d1:" + name + " user.ed"), "edited\n");
    EXPECT_EQ(lxc("profile get d1:" + name + " user.n"), "\n");
    EXPECT_NE(lxc("profile show d1:" + name).find("description: via editor"), std::string::npos);
}

TEST_P(ProfileCli, ProjectVerbsSwitchAndTheProjectFlag) {
    auto name = sandbox::unique_name("cproj");
    EXPECT_EQ(ok("project create d1:" + name + " -c features.images=false -c limits.instances=4"), "Project " + name + " created\n");
    EXPECT_EQ(lxc("project get d1:" + name + " limits.instances"), "4\n");
    same_as_lxc("project show d1:" + name);
    same_as_lxc("project list d1:");
    same_as_lxc("project list d1: -f csv");
    ok("project set d1:" + name + " user.x=y");
    EXPECT_EQ(lxc("project get d1:" + name + " user.x"), "y\n");
    ok("project unset d1:" + name + " user.x");
    EXPECT_EQ(ok("project get d1:" + name + " user.x"), "\n");
    ok("project edit d1:" + name, "config:\n  features.images: \"false\"\n  features.profiles: \"true\"\n"
                                  "  features.storage.volumes: \"true\"\n  limits.instances: \"5\"\ndescription: edited\n");
    EXPECT_EQ(lxc("project get d1:" + name + " limits.instances"), "5\n");

    auto prof = sandbox::unique_name("cpp");
    ok("profile create d1:" + prof + " --project " + name);
    EXPECT_EQ(lxc("profile get d1:" + prof + " --project " + name + " user.none"), "\n");
    EXPECT_EQ(lxc_run("profile show d1:" + prof).status, 1);   // not in the default project
    EXPECT_EQ(ok("project switch d1:" + name), "");
    same_as_lxc("project list d1: -f csv");   // "(current)" now on the new project, for both
    EXPECT_NE(lxc("profile list d1: -f csv").find(prof + ",,0"), std::string::npos);
    same_as_lxc("profile list d1:");
    ok("project switch d1:default");
    EXPECT_EQ(lxc("profile list d1: -f csv").find(prof), std::string::npos);
    ok("profile delete d1:" + prof + " --project " + name);
    EXPECT_EQ(ok("project rename d1:" + name + " " + name + "-r"), "Project " + name + " renamed to " + name + "-r\n");
    EXPECT_EQ(lxc("project get d1:" + name + "-r limits.instances"), "5\n");
    same_as_lxc("project create d1:a_b");
    EXPECT_EQ(ok("project delete d1:" + name + "-r"), "Project " + name + "-r deleted\n");
    same_as_lxc("project delete d1:default");
}

LXDPP_BOTH_SERVERS(ProfileCli);
