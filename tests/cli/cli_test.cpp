// The lxdpp CLI as a process, against the sandbox daemons; the lxc CLI confirms effects.
// Each test runs with its own copy of the sandbox's lxc configuration (LXD_CONF), or on
// Incus of its incus configuration (INCUS_CONF, lxdpp run as a link named `incus`).
#include "cli/cli_support.hpp"
#include "integration/sandbox.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <yaml-cpp/yaml.h>

#include <csignal>
#include <cstdlib>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

using cli_support::quote;
using cli_support::result;
using cli_support::slurp;

struct Cli : cli_support::fixture {
    lxd::client c1 = sandbox::unix_client(1);
    lxd::client c2 = sandbox::unix_client(2);

    void SetUp() override { make_scratch("cli"); }
    void TearDown() override {
        sandbox::remove_leftovers(c1);
        sandbox::remove_leftovers(c2);
        fs::remove_all(dir);
    }
    /// The snapshot verbs as the CLI under test spells them: lxc's `snapshot NAME [SNAP]`,
    /// `restore` and lxdpp's own `snapshots`; incus 6's `snapshot create|restore|list`.
    static std::string snapshot_create(const std::string& args) { return (sandbox::on_incus() ? "snapshot create " : "snapshot ") + args; }
    static std::string snapshot_restore(const std::string& args) { return (sandbox::on_incus() ? "snapshot restore " : "restore ") + args; }
    static std::string snapshot_list(const std::string& args) { return (sandbox::on_incus() ? "snapshot list " : "snapshots ") + args; }
    std::string lxc_state(const std::string& remote_name) {
        return sandbox::lxc("list " + remote_name + " -c s --format csv");
    }
    /// A unified image tarball no daemon has yet: the sandbox image with its own description.
    std::string new_image_tarball(const std::string& tag) {
        auto src = dir / ("img-" + tag);
        fs::create_directories(src);
        auto out = dir / (tag + ".tar.xz");
        EXPECT_EQ(std::system(("tar -C " + src.string() + " -xJf " + sandbox::env("LXDPP_TEST_ROOT") + "/busybox.tar.xz && sed -i s/lxdpp\\ sandbox/" +
                               sandbox::unique_name("d") + "/ " + (src / "metadata.yaml").string() + " && tar -C " + src.string() +
                               " -cJf " + out.string() + " metadata.yaml rootfs")
                                  .c_str()),
                  0);
        return out.string();
    }
};

}  // namespace

struct CliAsLxc : Cli {};

TEST_P(Cli, VersionHelpAndUsageErrors) {
    EXPECT_EQ(ok("version d1:"), "Client version: " + std::string(lxd::version_string) + "\nServer version: " + sandbox::server_version() + "\n");
    EXPECT_EQ(ok("--version"), std::string(lxd::version_string) + "\n");
    EXPECT_NE(ok("help list").find("--format"), std::string::npos);
    auto bad = run("no-such-verb");
    EXPECT_EQ(bad.status, 1);
    auto missing = run("exec");
    EXPECT_EQ(missing.status, 1);
}

TEST_P(CliAsLxc, ErrorsAreOneLineWithTheServersMessage) {
    auto absent = sandbox::unique_name("absent");
    auto r = run("info d1:" + absent);
    EXPECT_EQ(r.status, 1);
    // The server's words: Incus names the instance and the project.
    EXPECT_EQ(r.err, sandbox::on_incus() ? "Error: Failed to fetch instance \"" + absent + "\" in project \"default\": Instance not found\n"
                                         : "Error: Instance not found\n");
    EXPECT_EQ(r.out, "");
    same_as_lxc("info d1:" + absent);
    auto remote = run("list nosuchremote:");
    EXPECT_EQ(remote.status, 1);
    EXPECT_EQ(remote.err, "Error: The remote \"nosuchremote\" doesn't exist\n");
    auto col = run("list d1: -c nZ");
    EXPECT_EQ(col.status, 1);
    EXPECT_NE(col.err.find("unknown column 'Z'"), std::string::npos) << col.err;
}

TEST_P(Cli, LaunchListInEveryFormatAndInfo) {
    auto name = sandbox::unique_name("l");
    EXPECT_EQ(ok("launch d1:" + sandbox::image() + " d1:" + name), "Launching " + name + "\n");
    EXPECT_NE(lxc_state("d1:" + name).find("RUNNING"), std::string::npos);
    EXPECT_EQ(ok("list d1:" + name + " -c nstS -f csv"), name + ",RUNNING,CONTAINER,0\n");
    auto table = ok("list d1:" + name + " -c ns");
    EXPECT_NE(table.find("| " + name + " | RUNNING |"), std::string::npos) << table;
    auto js = boost::json::parse(ok("list d1:" + name + " -f json"));
    ASSERT_EQ(js.as_array().size(), 1u);
    EXPECT_EQ(js.as_array()[0].at("name").as_string(), name);
    EXPECT_EQ(js.as_array()[0].at("state").at("status").as_string(), "Running");
    auto y = YAML::Load(ok("list d1:" + name + " -f yaml"));
    ASSERT_TRUE(y.IsSequence());
    EXPECT_EQ(y[0]["name"].as<std::string>(), name);
    EXPECT_EQ(y[0]["status"].as<std::string>(), "Running");
    auto info = ok("info d1:" + name);
    // incus 6 (and lxdpp as `incus`) print the description after the name.
    EXPECT_NE(info.find("Name: " + name + (sandbox::on_incus() ? "\nDescription: " : "") + "\nStatus: RUNNING\nType: container\n"),
              std::string::npos)
        << info;
    EXPECT_NE(info.find("Processes: "), std::string::npos);
    // init creates without starting.
    auto second = sandbox::unique_name("i");
    EXPECT_EQ(ok("init d1:" + sandbox::image() + " d1:" + second + " -c user.k=v"), "Creating " + second + "\n");
    EXPECT_NE(lxc_state("d1:" + second).find("STOPPED"), std::string::npos);
    EXPECT_EQ(sandbox::lxc("config get d1:" + second + " user.k"), "v\n");
}

TEST_P(Cli, LifecycleVerbsAsLxcSeesThem) {
    auto name = sandbox::unique_name("lc");
    sandbox::make_container(c1, name, true);
    ok("pause d1:" + name);
    EXPECT_EQ(lxc_state("d1:" + name), "FROZEN\n");
    ok("resume d1:" + name);
    EXPECT_EQ(lxc_state("d1:" + name), "RUNNING\n");
    ok("restart d1:" + name + " -f");
    EXPECT_EQ(lxc_state("d1:" + name), "RUNNING\n");
    ok("stop d1:" + name + " -f");
    EXPECT_EQ(lxc_state("d1:" + name), "STOPPED\n");
    ok("rename d1:" + name + " " + name + "r");
    EXPECT_EQ(lxc_state("d1:" + name + "r"), "STOPPED\n");
    ok("move d1:" + name + "r " + name);
    ok("start d1:" + name);
    EXPECT_EQ(lxc_state("d1:" + name), "RUNNING\n");
    auto refused = run("delete d1:" + name);
    EXPECT_EQ(refused.status, 1);
    EXPECT_NE(refused.err.find("running"), std::string::npos) << refused.err;
    ok("delete -f d1:" + name);
    EXPECT_EQ(sandbox::lxc("list d1:" + name + " -c n --format csv"), "");
}

TEST_P(CliAsLxc, ExecPassesExitStatusStreamsAndStdin) {
    auto name = sandbox::unique_name("ex");
    sandbox::make_container(c1, name, true);
    auto r = run("exec d1:" + name + " -- sh -c 'echo out; echo err >&2; exit 7'");
    EXPECT_EQ(r.status, 7);
    EXPECT_EQ(r.out, "out\n");
    EXPECT_EQ(r.err, "err\n");
    EXPECT_EQ(ok("exec d1:" + name + " -- cat", "piped input\n"), "piped input\n");
    EXPECT_EQ(ok("exec d1:" + name + " --env A=1 --env B=two --cwd /tmp --user 1000 -- sh -c 'echo $A $B $(pwd) $(id -u)'"),
              "1 two /tmp 1000\n");
    EXPECT_EQ(run("exec d1:" + name + " -- /no/such/command").status, 127);
    EXPECT_EQ(run("exec d1:" + name + " -- false").status, 1);
}

TEST_P(Cli, ExecUsesATerminalWhenItHasOne) {
    auto name = sandbox::unique_name("pty");
    sandbox::make_container(c1, name, true);
    // Under script(1) stdin and stdout are a terminal: the command gets a PTY too.
    std::string inner = lxdpp_path() + " exec d1:" + name + " -- sh -c 'tty; exit 5'";
    std::string cmd = conf_var() + (dir / "conf").string() + " timeout 60 script -qec " + quote(inner) + " /dev/null >" +
                      (dir / "tty.out").string() + " 2>&1 </dev/null";
    int rc = std::system(cmd.c_str());
    EXPECT_EQ(WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, 5);
    EXPECT_NE(slurp(dir / "tty.out").find("/dev/pts/"), std::string::npos) << slurp(dir / "tty.out");
    // Without a terminal: no PTY, plain streams; -t forces one, reading input from the pipe.
    auto plain = run("exec d1:" + name + " -- sh -c 'tty; exit 0'");
    EXPECT_EQ(plain.out, "not a tty\n");
    auto forced = run("exec -t d1:" + name + " -- sh -c 'read x; echo got $x; tty >/dev/null && exit 4'", "line\n");
    EXPECT_EQ(forced.status, 4);
    EXPECT_NE(forced.out.find("got line"), std::string::npos) << forced.out;
}

TEST_P(Cli, FilePushPullDeleteAsLxcSeesThem) {
    auto name = sandbox::unique_name("f");
    sandbox::make_container(c1, name, true);
    std::ofstream(dir / "local.txt") << "pushed by lxdpp\n";
    ok("file push " + (dir / "local.txt").string() + " d1:" + name + "/root/new/dir/a.txt -p --mode 0640");
    EXPECT_EQ(sandbox::lxc("exec d1:" + name + " -- stat -c '%a %s' /root/new/dir/a.txt"), "640 16\n");
    EXPECT_EQ(sandbox::lxc("file pull d1:" + name + "/root/new/dir/a.txt -"), "pushed by lxdpp\n");
    ok("file pull d1:" + name + "/root/new/dir/a.txt " + (dir / "back.txt").string());
    EXPECT_EQ(slurp(dir / "back.txt"), "pushed by lxdpp\n");
    EXPECT_EQ(ok("file pull d1:" + name + "/root/new/dir/a.txt -"), "pushed by lxdpp\n");
    // Recursive both ways.
    fs::create_directories(dir / "tree/sub");
    std::ofstream(dir / "tree/sub/x") << "x";
    std::ofstream(dir / "tree/y") << "yy";
    ok("file push -r " + (dir / "tree").string() + " d1:" + name + "/root/");
    EXPECT_EQ(sandbox::lxc("exec d1:" + name + " -- cat /root/tree/sub/x /root/tree/y"), "xyy");
    ok("file pull -r d1:" + name + "/root/tree " + (dir / "pulled").string());
    EXPECT_EQ(slurp(dir / "pulled/tree/sub/x"), "x");
    EXPECT_EQ(slurp(dir / "pulled/tree/y"), "yy");
    ok("file delete d1:" + name + "/root/new/dir/a.txt");
    int st = 0;
    sandbox::lxc("exec d1:" + name + " -- test -e /root/new/dir/a.txt", true, &st);
    EXPECT_NE(st, 0);
}

TEST_P(CliAsLxc, SnapshotRestoreListDelete) {
    auto name = sandbox::unique_name("s");
    sandbox::make_container(c1, name, true);
    sandbox::lxc("exec d1:" + name + " -- sh -c 'echo before > /root/f'");
    ok(snapshot_create("d1:" + name + " s1"));
    ok(snapshot_create("d1:" + name));   // default name snap0
    sandbox::lxc("exec d1:" + name + " -- sh -c 'echo after > /root/f'");
    ok(snapshot_restore("d1:" + name + " s1"));
    EXPECT_EQ(sandbox::lxc("exec d1:" + name + " -- cat /root/f"), "before\n");
    auto csv = ok(snapshot_list("d1:" + name + " -f csv"));
    EXPECT_NE(csv.find("s1,"), std::string::npos) << csv;
    EXPECT_NE(csv.find("snap0,"), std::string::npos) << csv;
    ok(sandbox::on_incus() ? "snapshot delete d1:" + name + " s1" : "delete d1:" + name + "/s1");
    auto info = sandbox::lxc("info d1:" + name);
    EXPECT_EQ(info.find("s1 ("), std::string::npos) << info;
    EXPECT_NE(info.find("snap0"), std::string::npos) << info;
    auto stateful = run(snapshot_create("d1:" + name + " live --stateful"));
    EXPECT_EQ(stateful.status, 1);
    // Incus refuses before trying CRIU (see docs/incus-notes.md).
    EXPECT_NE(stateful.err.find(sandbox::on_incus() ? "migration.stateful" : "CRIU"), std::string::npos) << stateful.err;
    // Incus's refusal is the same words every time (LXD's CRIU log paths are not).
    if (sandbox::on_incus()) same_as_lxc(snapshot_create("d1:" + name + " live --stateful"));
}

TEST_P(Cli, ImagesImportAliasExportPublishDelete) {
    // A tarball no daemon has: the sandbox image with a different description.
    auto src = dir / "img";
    fs::create_directories(src);
    ASSERT_EQ(std::system(("tar -C " + src.string() + " -xJf " + sandbox::env("LXDPP_TEST_ROOT") + "/busybox.tar.xz && sed -i s/lxdpp\\ sandbox/" +
                           sandbox::unique_name("d") + "/ " + (src / "metadata.yaml").string() + " && tar -C " + src.string() +
                           " -cJf " + (dir / "img.tar.xz").string() + " metadata.yaml rootfs")
                              .c_str()),
              0);
    auto fp = lxd::sha256_of_files({(dir / "img.tar.xz").string()});
    auto alias = sandbox::unique_name("ia");
    EXPECT_EQ(ok("image import " + (dir / "img.tar.xz").string() + " d1: --alias " + alias),
              "Image imported with fingerprint: " + fp + "\n");
    EXPECT_NE(sandbox::lxc("image list d1: --format csv -c lf").find(alias + "," + fp.substr(0, 12)), std::string::npos);
    EXPECT_NE(ok("image list d1: -f csv").find(fp.substr(0, 12)), std::string::npos);
    ok("image alias create d1:" + alias + "-2 " + fp.substr(0, 12));
    EXPECT_EQ(sandbox::lxc("image alias list d1: --format csv").find(alias + "-2,") != std::string::npos, true);
    ok("image alias delete d1:" + alias + "-2");
    EXPECT_EQ(sandbox::lxc("image alias list d1: --format csv").find(alias + "-2,"), std::string::npos);
    fs::create_directories(dir / "exp");   // an existing directory: the server's file name inside
    auto exported = ok("image export d1:" + alias + " " + (dir / "exp").string());
    // LXD 5.0 names a unified export "<fingerprint>.tar.xz" (Content-Disposition).
    auto file = (dir / "exp" / (fp + ".tar.xz")).string();
    EXPECT_EQ(exported, "Image exported successfully!\n");   // as lxc
    ASSERT_TRUE(fs::exists(file));
    EXPECT_EQ(lxd::sha256_of_files({file}), fp);
    ok("image delete d1:" + alias);
    EXPECT_EQ(sandbox::lxc("image list d1: --format csv -c f").find(fp.substr(0, 12)), std::string::npos);

    auto name = sandbox::unique_name("p");
    sandbox::make_container(c1, name, false);
    auto pub = ok("publish d1:" + name + " d1: --alias " + alias + "-pub");
    ASSERT_EQ(pub.rfind("Instance published with fingerprint: ", 0), 0u) << pub;
    auto pfp = pub.substr(37, 64);
    EXPECT_NE(sandbox::lxc("image info d1:" + alias + "-pub").find(pfp), std::string::npos);
    ok("image delete d1:" + pfp);
}

TEST_P(Cli, CopyAndMoveBetweenRemotes) {
    auto name = sandbox::unique_name("mv");
    sandbox::make_container(c1, name, false);
    ok(snapshot_create("d1:" + name + " keep"));
    ok("copy d1:" + name + " d2:" + name + "-c");
    EXPECT_EQ(lxc_state("d2:" + name + "-c"), "STOPPED\n");
    ok("move d1:" + name + " d2:");
    EXPECT_EQ(sandbox::lxc("list d1:" + name + " -c n --format csv"), "");
    EXPECT_NE(sandbox::lxc("info d2:" + name).find("keep"), std::string::npos);
    ok("copy d2:" + name + " d2:" + name + "-i --instance-only");
    EXPECT_EQ(sandbox::lxc("info d2:" + name + "-i").find("keep"), std::string::npos);
}

TEST_P(Cli, ConfigGetSetUnsetShow) {
    auto name = sandbox::unique_name("cf");
    sandbox::make_container(c1, name, false);
    ok("config set d1:" + name + " user.color blue");
    EXPECT_EQ(sandbox::lxc("config get d1:" + name + " user.color"), "blue\n");
    ok("config set d1:" + name + " user.a=1 user.b=2");
    EXPECT_EQ(ok("config get d1:" + name + " user.b"), "2\n");
    auto y = YAML::Load(ok("config show d1:" + name));
    EXPECT_EQ(y["config"]["user.a"].as<std::string>(), "1");
    ok("config unset d1:" + name + " user.color");
    EXPECT_EQ(sandbox::lxc("config get d1:" + name + " user.color"), "\n");
    EXPECT_EQ(run("config unset d1:" + name + " user.color").status, 1);
}

TEST_P(CliAsLxc, RemoteAddWritesWhatLxcReads) {
    // A fresh configuration: lxdpp makes the client certificate and the server trusts it by password.
    auto conf = dir / "fresh";
    auto url = sandbox::https_url(1);
    auto r = run("remote add srv " + url + " --password " + quote(sandbox::trust_secret(1)) + " --accept-certificate", "",
                 conf.string());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err.find(sandbox::on_incus() ? "secret" : sandbox::password()), std::string::npos);
    EXPECT_TRUE(fs::exists(conf / "client.crt"));
    EXPECT_EQ(fs::status(conf / "client.key").permissions() & fs::perms::others_read, fs::perms::none);
    EXPECT_TRUE(fs::exists(conf / "servercerts" / "srv.crt"));
    auto lxc_with = [&](const std::string& args) {
        std::string cmd = conf_var() + conf.string() + " timeout 60 " + sandbox::cli_name() + " " + args + " 2>&1";
        std::string out;
        FILE* p = popen(cmd.c_str(), "r");
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
        EXPECT_EQ(pclose(p), 0) << cmd << "\n" << out;
        return out;
    };
    EXPECT_NE(lxc_with("remote list --format csv").find("srv," + url), std::string::npos);
    lxc_with("list srv: --format csv");   // lxc uses lxdpp's certificate and pinned server cert
    EXPECT_EQ(run("remote switch srv", "", conf.string()).status, 0);
    EXPECT_EQ(lxc_with("remote get-default"), "srv\n");
    auto def = run("remote get-default", "", conf.string());
    EXPECT_EQ(def.out, "srv\n");
    auto dup = run("remote add srv " + url + " --accept-certificate", "", conf.string());
    EXPECT_EQ(dup.status, 1);
    EXPECT_EQ(run("remote switch local", "", conf.string()).status, 0);
    EXPECT_EQ(run("remote remove srv", "", conf.string()).status, 0);
    EXPECT_EQ(lxc_with("remote list --format csv").find("srv,"), std::string::npos);
    // Without accepting the certificate and without a terminal: refused, nothing written.
    auto refuse = run("remote add other " + url, "", conf.string());
    EXPECT_EQ(refuse.status, 1);
    EXPECT_NE(refuse.err.find("--accept-certificate"), std::string::npos) << refuse.err;
    EXPECT_FALSE(fs::exists(conf / "servercerts" / "other.crt"));
}

TEST_P(CliAsLxc, RemoteAddWithATokenAcceptsTheCertificateItNames) {
    auto op = c1.create_certificate_token(sandbox::unique_name("tok"));
    auto token = lxd::client::token_from_operation(op.info());
    auto conf = dir / "token-conf";
    auto r = run("remote add tk " + token, "", conf.string());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err.find(token), std::string::npos);   // the secret is never echoed
    auto listed = run("list tk: -c n -f csv", "", conf.string());
    EXPECT_EQ(listed.status, 0) << listed.err;
    std::string cmd = conf_var() + conf.string() + " timeout 60 " + sandbox::cli_name() + " list tk: --format csv -c n >/dev/null 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    // A token is single-use: a second configuration cannot use it again.
    auto again = run("remote add tk " + token, "", (dir / "token-conf-2").string());
    EXPECT_EQ(again.status, 1);
}

TEST_P(Cli, BashCompletionIsGeneratedAndValid) {
    auto script = ok("completion bash");
    EXPECT_NE(script.find("complete -F _lxdpp lxdpp"), std::string::npos);
    for (auto verb : {"list", "launch", "exec", "file", "image", "remote", "snapshot", "restore", "publish"})
        EXPECT_NE(script.find(std::string(" ") + verb + " "), std::string::npos) << verb;
    std::ofstream(dir / "c.sh") << script;
    EXPECT_EQ(std::system(("bash -n " + (dir / "c.sh").string()).c_str()), 0);
}

// ---- lxc's argument forms, read as lxc reads them (issue 15) --------------------------------

TEST_P(Cli, OptionsTakeOneValuePerOccurrenceAsInLxc) {
    // image import F --alias A KEY=VALUE --public: the property is a property, not an alias.
    auto tarball = new_image_tarball("opt");
    auto alias = sandbox::unique_name("oa");
    std::string args = "image import " + tarball + " d1: --alias " + alias + " user.foo=bar --public";
    auto l = lxc_run(args);
    ASSERT_EQ(l.status, 0) << l.err;
    auto lxc_show = lxc_run("image show d1:" + alias).out;
    auto lxc_aliases = lxc_run("image list d1: -c lp -f csv").out;
    ASSERT_EQ(lxc_run("image delete d1:" + alias).status, 0);
    auto r = run(args);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lxc_run("image show d1:" + alias).out, lxc_show);
    EXPECT_NE(lxc_show.find("  user.foo: bar\n"), std::string::npos) << lxc_show;
    EXPECT_NE(lxc_show.find("public: true\n"), std::string::npos) << lxc_show;
    EXPECT_EQ(lxc_run("image list d1: -c lp -f csv").out, lxc_aliases);
    EXPECT_EQ(lxc_run("image alias list d1: -f csv").out.find("user.foo"), std::string::npos);

    // publish c --alias=A KEY=VALUE
    auto name = sandbox::unique_name("op");
    sandbox::make_container(c1, name, false);
    auto palias = sandbox::unique_name("pa");
    std::string pargs = "publish d1:" + name + " d1: --alias=" + palias + " prop=val";
    l = lxc_run(pargs);
    ASSERT_EQ(l.status, 0) << l.err;
    auto lxc_pshow = lxc_run("image show d1:" + palias).out;
    ASSERT_EQ(lxc_run("image delete d1:" + palias).status, 0);
    r = run(pargs);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lxc_run("image show d1:" + palias).out, lxc_pshow);
    EXPECT_NE(lxc_pshow.find("  prop: val\n"), std::string::npos) << lxc_pshow;

    // exec NAME --env K=V -- sh -c '...', wherever --env stands.
    auto ex = sandbox::unique_name("oe");
    sandbox::make_container(c1, ex, true);
    same_as_lxc("exec d1:" + ex + " --env K=V -- sh -c 'echo $K; echo e >&2; exit 3'");
    same_as_lxc("exec --env K=V d1:" + ex + " -- sh -c 'echo $K'");
    same_as_lxc("exec d1:" + ex + " --env A=1 --env B=2 --cwd /tmp -- sh -c 'echo $A$B $(pwd)'");
    same_as_lxc("exec d1:" + ex + " -n -- cat");
    EXPECT_EQ(run("exec d1:" + ex + " --env K=V -- sh -c 'echo $K'").out, "V\n");
}

TEST_P(CliAsLxc, SnapshotArgumentsAsInLxc) {
    auto name = sandbox::unique_name("sa");
    sandbox::make_container(c1, name, false);
    ASSERT_EQ(lxc_run(snapshot_create("d1:" + name + " s0")).status, 0);
    // config show NAME/SNAPSHOT: byte for byte lxc's.
    same_as_lxc("config show d1:" + name + "/s0");
    EXPECT_EQ(run("config show d1:" + name + "/s0").out.rfind("expires_at: 0001-01-01T00:00:00Z\narchitecture: ", 0), 0u);
    // info NAME/SNAPSHOT: lxc 5.0 refuses it; so does lxdpp, with the same words.
    same_as_lxc("info d1:" + name + "/s0");
    // copy NAME/SNAPSHOT NEW: a new instance from the snapshot.
    sandbox::lxc("exec d1:" + name + " -- true", true);
    auto r = run("copy d1:" + name + "/s0 d1:" + name + "-c");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lxc_state("d1:" + name + "-c"), "STOPPED\n");
    // move NAME/SNAP NAME/NEW and rename: snapshot renames.
    r = run("move d1:" + name + "/s0 d1:" + name + "/s1");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lxc_run("config show d1:" + name + "/s1").status, 0);
    EXPECT_EQ(lxc_run("config show d1:" + name + "/s0").status, 1);
    r = run("rename d1:" + name + "/s1 " + name + "/s2");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lxc_run("config show d1:" + name + "/s2").status, 0);
}

TEST_P(CliAsLxc, MovingARunningContainerLeavesExactlyOne) {
    auto name = sandbox::unique_name("mr");
    sandbox::make_container(c1, name, true);
    // Without --stateless: a live move, which needs CRIU: refused as lxc refuses it.
    auto l = lxc_run("move d1:" + name + " d2:");
    auto r = run("move d1:" + name + " d2:");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.status, l.status);
    EXPECT_EQ(r.err, l.err);
    EXPECT_EQ(r.err, sandbox::on_incus() ? "Error: Unable to perform live container migration. CRIU isn't installed on the source server. To "
                                           "migrate the container, stop the container before migration or install CRIU on the source server\n"
                                         : "Error: Unable to perform container live migration. CRIU isn't installed on the source server\n");
    EXPECT_EQ(lxc_state("d1:" + name), "RUNNING\n");
    EXPECT_EQ(lxc_state("d2:" + name), "");
    // --stateless: copied, source stopped and deleted, the copy started.
    r = run("move d1:" + name + " d2: --stateless");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lxc_state("d1:" + name), "");
    EXPECT_EQ(lxc_state("d2:" + name), "RUNNING\n");
    // The same through relay (the library's own path for unix sockets).
    r = run("move d2:" + name + " d1: --stateless --mode relay");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lxc_state("d2:" + name), "");
    EXPECT_EQ(lxc_state("d1:" + name), "RUNNING\n");
    // The source cannot be deleted: the copy is removed again and the source runs on.
    ASSERT_EQ(lxc_run("config set d1:" + name + " security.protection.delete=true").status, 0);
    r = run("move d1:" + name + " d2: --stateless");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("protected"), std::string::npos) << r.err;
    EXPECT_EQ(lxc_state("d1:" + name), "RUNNING\n");
    EXPECT_EQ(lxc_state("d2:" + name), "");
    // A stopped one moves as before.
    ASSERT_EQ(lxc_run("config unset d1:" + name + " security.protection.delete").status, 0);
    ASSERT_EQ(lxc_run("stop -f d1:" + name).status, 0);
    ASSERT_EQ(run("move d1:" + name + " d2:").status, 0);
    EXPECT_EQ(lxc_state("d1:" + name), "");
    EXPECT_EQ(lxc_state("d2:" + name), "STOPPED\n");
}

TEST_P(Cli, LxcFlagsLxdppLacksAreRefusedInOneLine) {
    auto name = sandbox::unique_name("uf");
    sandbox::make_container(c1, name, false);
    auto img = sandbox::image();
    for (auto [args, flag] : std::vector<std::pair<std::string, std::string>>{
             {"init d1:" + img + " d1:" + name + "-x -d root,size=1GiB", "--device"},
             {"launch d1:" + img + " d1:" + name + "-x --network lxdbr0", "--network"},
             {"init d1:" + img + " d1:" + name + "-x -t c1.micro", "--type"},
             {"launch d1:" + img + " d1:" + name + "-x --console", "--console"},
             {"copy d1:" + name + " d1:" + name + "-x --refresh", "--refresh"},
             {"copy d1:" + name + " d1:" + name + "-x -p default", "--profile"},
             {"move d1:" + name + " d2: --target-project p", "--target-project"},
             {"--debug list d1:", "--debug"},
             {"delete -i d1:" + name, "--interactive"},
             {"publish d1:" + name + " --reuse", "--reuse"},
             {"image export d1:" + img + " --vm", "--vm"},
             {"remote add x 127.0.0.1 --domain d", "--domain"},
             {"list d1: -c nD", "-c D"}}) {
        auto r = run(args);
        EXPECT_EQ(r.status, 1) << args;
        EXPECT_EQ(r.err, "Error: not supported by lxdpp: " + flag + "\n") << args;
        EXPECT_EQ(r.out, "") << args;
    }
    EXPECT_EQ(lxc_state("d1:" + name + "-x"), "");
    EXPECT_EQ(lxc_state("d2:" + name), "");
    EXPECT_EQ(lxc_state("d1:" + name), "STOPPED\n");
}

TEST_P(CliAsLxc, LxcFlagsAndFormsLxdppImplements) {
    auto img = sandbox::image();
    // init --no-profiles -s POOL: as lxc's.
    auto a = sandbox::unique_name("nf");
    ASSERT_EQ(lxc_run("init d1:" + img + " d1:" + a + "-l --no-profiles -s p").status, 0);
    auto r = run("init d1:" + img + " d1:" + a + " --no-profiles -s p");
    ASSERT_EQ(r.status, 0) << r.err;
    auto shown = lxc_run("config show d1:" + a).out;
    EXPECT_NE(shown.find("devices:\n  root:\n    path: /\n    pool: p\n    type: disk\n"), std::string::npos) << shown;
    EXPECT_NE(shown.find("profiles: []\n"), std::string::npos) << shown;
    auto lshown = lxc_run("config show d1:" + a + "-l").out;
    auto tail = [](const std::string& s) { return s.substr(s.find("devices:")); };
    EXPECT_EQ(tail(shown), tail(lshown));
    // init without a name: the instance gets one, printed as lxc prints it.
    r = run("init d1:" + img + " d1:");
    ASSERT_EQ(r.status, 0) << r.err;
    ASSERT_EQ(r.out.rfind("Creating the instance\nInstance name is: ", 0), 0u) << r.out;
    auto picked = r.out.substr(40, r.out.size() - 41);
    EXPECT_EQ(lxc_run("list d1:" + picked + " -c ns -f csv").out, picked + ",STOPPED\n");
    EXPECT_EQ(lxc_run("delete d1:" + picked).status, 0);
    // start/stop --all [REMOTE:]
    auto b = sandbox::unique_name("all");
    sandbox::make_container(c2, b + "1", false);
    sandbox::make_container(c2, b + "2", false);
    ASSERT_EQ(run("start --all d2:").status, 0);
    EXPECT_EQ(lxc_state("d2:" + b + "1"), "RUNNING\n");
    EXPECT_EQ(lxc_state("d2:" + b + "2"), "RUNNING\n");
    ASSERT_EQ(run("stop --all d2: -f").status, 0);
    EXPECT_EQ(lxc_state("d2:" + b + "1"), "STOPPED\n");
    EXPECT_EQ(lxc_state("d2:" + b + "2"), "STOPPED\n");
    EXPECT_EQ(run("start --all d2:" + b + "1").status, 1);
    // list --fast, image list -c, image alias list FILTER: lxc's output.
    same_as_lxc("list d2:" + b + " --fast");
    same_as_lxc("list d2:" + b + " --fast -f csv");
    same_as_lxc("image list d1: -c lfpdatsu");
    same_as_lxc("image list d1: -c Ffs -f csv");
    same_as_lxc("image alias list d1: " + img.substr(0, 4) + " -f csv");
    same_as_lxc("image alias list d1: nosuchalias -f csv");
    // snapshot --no-expiry beats snapshots.expiry.
    ASSERT_EQ(lxc_run("config set d1:" + a + " snapshots.expiry=1d").status, 0);
    ASSERT_EQ(run(snapshot_create("d1:" + a + " s --no-expiry")).status, 0);
    ASSERT_EQ(lxc_run(snapshot_create("d1:" + a + " l --no-expiry")).status, 0);
    auto first_line = [](const std::string& s) { return s.substr(0, s.find('\n')); };
    EXPECT_EQ(first_line(lxc_run("config show d1:" + a + "/s").out), "expires_at: 0001-01-01T00:00:00Z");
    EXPECT_EQ(first_line(lxc_run("config show d1:" + a + "/l").out), "expires_at: 0001-01-01T00:00:00Z");
    ASSERT_EQ(run(snapshot_create("d1:" + a + " e")).status, 0);
    EXPECT_NE(first_line(lxc_run("config show d1:" + a + "/e").out), "expires_at: 0001-01-01T00:00:00Z");
    // copy --stateless of a running instance.
    auto c = sandbox::unique_name("st");
    auto copied = sandbox::unique_name("cs");
    sandbox::make_container(c1, c, true);
    ASSERT_EQ(run("copy d1:" + c + " d1:" + copied + " --stateless").status, 0);
    EXPECT_EQ(lxc_state("d1:" + copied), "STOPPED\n");
    // publish --force KEY=VALUE of a running instance: stopped for it, running again after.
    auto alias = sandbox::unique_name("pf");
    same_as_lxc("publish d1:" + c + " d1: --alias " + alias);   // both refuse without --force
    // Without a target remote lxc publishes to the default remote: refused, not misread.
    r = run("publish d1:" + c + " --alias " + alias);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "Error: not supported by lxdpp: publishing to another remote (the image goes to \"local\"; give \"d1:\" after the instance)\n");
    r = run("publish d1:" + c + " d1: --force --alias " + alias + " k=v");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lxc_state("d1:" + c), "RUNNING\n");
    EXPECT_NE(lxc_run("image show d1:" + alias).out.find("  k: v\n"), std::string::npos);
    // Server keys: config get/set/unset without an instance act on the server, as in lxc.
    same_as_lxc("config get d1: core.https_address");
    r = run("config set d1: core.proxy_ignore_hosts=x.example");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(lxc_run("config get d1: core.proxy_ignore_hosts").out, "x.example\n");
    r = run("config unset d1: core.proxy_ignore_hosts");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lxc_run("config get d1: core.proxy_ignore_hosts").out, "\n");
    // --force-local: only the local socket, like a fresh configuration.
    same_as_lxc("--force-local list d1:");
}

TEST_P(CliAsLxc, OutputAsLxcPrintsIt) {
    auto name = sandbox::unique_name("out");
    sandbox::make_container(c1, name, false);
    ASSERT_EQ(lxc_run("config set d1:" + name + " user.foo=bar user.n=1 user.t=true user.e= 'user.colon=a: b' user.dash=-x").status, 0);
    // Values that only look like numbers with a base prefix stay plain (a fingerprint such as
    // "0b1bb1f4..." was quoted once); the real ones are quoted, as yaml.v2 does.
    ASSERT_EQ(lxc_run("config set d1:" + name + " user.b1=0b1bb1f4 user.b2=0b101 user.x1=0x1F user.x2=0xZZ"
                      " user.o1=0o17 user.o2=0o19 user.f=1e5")
                  .status,
              0);
    ASSERT_EQ(lxc_run(snapshot_create("d1:" + name + " s0")).status, 0);
    same_as_lxc("config show d1:" + name);
    same_as_lxc("config show d1:" + name + " -e");
    same_as_lxc("config get d1:" + name + " user.foo -e");
    same_as_lxc("config get -e d1:" + name + " image.os");
    same_as_lxc("image show d1:" + sandbox::image());
    same_as_lxc("info d1:" + name);
    same_as_lxc("list d1:" + name);
    same_as_lxc("list d1:" + name + " -f csv -c nstS");
    same_as_lxc("image list d1:");
    same_as_lxc("list d1:" + name + " -f compact");
    same_as_lxc("list d1:" + name + " -f yaml");
    same_as_lxc("list d1:" + name + " -f json");
    same_as_lxc("image list d1: -f compact");
    same_as_lxc("image list d1: -f json");
    same_as_lxc("image list d1: -f yaml");
    same_as_lxc("image alias list d1: -f yaml");
    same_as_lxc("image alias list d1: -f json");
    same_as_lxc("remote list -f json");
    same_as_lxc("remote list -f yaml");
    same_as_lxc("remote list");
    same_as_lxc("info d1:");
    same_as_lxc("config show d1:");
    EXPECT_NE(run("config show d1:" + name).out.find("  user.foo: bar\n"), std::string::npos);
    // A running one: lxc's layout, loopback included.
    sandbox::lxc("start d1:" + name);
    auto l = lxc_run("info d1:" + name).out;
    auto r = run("info d1:" + name).out;
    auto upto = [](const std::string& s, const std::string& mark) { return s.substr(0, s.find(mark)); };
    EXPECT_EQ(upto(r, "PID:"), upto(l, "PID:"));
    EXPECT_EQ(upto(r.substr(r.find("Created:")), "Resources:"), upto(l.substr(l.find("Created:")), "Resources:"));
    EXPECT_NE(r.find("\n  Network usage:\n    lo:\n      Type: loopback\n"), std::string::npos) << r;
    EXPECT_EQ(r.substr(r.find("\nSnapshots:")), l.substr(l.find("\nSnapshots:")));
}

TEST_P(CliAsLxc, RemotesAsLxc) {
    auto url = sandbox::https_url(1);
    // The certificate confirmed on stdin.
    auto fresh = dir / "fresh";
    auto r = run("remote add srv " + url + " --password " + quote(sandbox::trust_secret(1)), "y\n", fresh.string());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("ok (y/n/[fingerprint])? "), std::string::npos) << r.out;
    auto listed = run("list srv: -c n -f csv", "", fresh.string());
    EXPECT_EQ(listed.status, 0) << listed.err;
    auto no = run("remote add srv2 " + url + " --password " + quote(sandbox::trust_secret(1)), "n\n", fresh.string());
    EXPECT_EQ(no.status, 1);
    EXPECT_FALSE(fs::exists(fresh / "servercerts" / "srv2.crt"));
    // Built-in remotes as lxc lists them in a fresh configuration.
    auto l = lxc_run("remote list -f csv", "", (dir / "fresh-lxc").string());
    auto d = run("remote list -f csv", "", (dir / "fresh-lxdpp").string());
    EXPECT_EQ(d.out, l.out);
    // A unix socket path.
    auto sock = sandbox::socket(1);
    ASSERT_EQ(lxc_run("remote add u " + sock, "", (dir / "u-lxc").string()).status, 0);
    r = run("remote add u " + sock, "", (dir / "u-lxdpp").string());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(run("remote list -f csv", "", (dir / "u-lxdpp").string()).out, lxc_run("remote list -f csv", "", (dir / "u-lxc").string()).out);
    auto name = sandbox::unique_name("ru");
    sandbox::make_container(c1, name, false);
    EXPECT_EQ(run("list u:" + name + " -c n -f csv", "", (dir / "u-lxdpp").string()).out, name + "\n");
    // --public: no trust needed, recorded as public.
    ASSERT_EQ(lxc_run("remote add p " + url + " --public --accept-certificate", "", (dir / "p-lxc").string()).status, 0);
    r = run("remote add p " + url + " --public --accept-certificate", "", (dir / "p-lxdpp").string());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(run("remote list -f csv", "", (dir / "p-lxdpp").string()).out, lxc_run("remote list -f csv", "", (dir / "p-lxc").string()).out);
    // --protocol foo
    same_as_lxc("remote add f " + url + " --protocol foo --accept-certificate");
    EXPECT_EQ(run("remote add f " + url + " --protocol foo").err, "Error: Invalid protocol: foo\n");
    // aliases: in config.yml
    {
        std::ofstream(dir / "conf" / "config.yml", std::ios::app) << "";
        auto yml = slurp(dir / "conf" / "config.yml");
        auto pos = yml.find("aliases: {}");
        ASSERT_NE(pos, std::string::npos) << yml;
        yml.replace(pos, 11, "aliases:\n  names: list -c n -f csv\n  xs: exec @ARG1@ -- echo @ARGS@");
        std::ofstream(dir / "conf" / "config.yml", std::ios::trunc) << yml;
    }
    same_as_lxc("names d1:" + name);
    sandbox::lxc("start d1:" + name);
    same_as_lxc("xs d1:" + name + " a b");
}

TEST_P(CliAsLxc, FilesImagesAndExecAsLxc) {
    auto name = sandbox::unique_name("fi");
    sandbox::make_container(c1, name, true);
    std::ofstream(dir / "f1") << "one\n";
    fs::permissions(dir / "f1", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    // file push f c/. : into the root directory.
    auto r = run("file push " + (dir / "f1").string() + " d1:" + name + "/.");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(sandbox::lxc("exec d1:" + name + " -- cat /f1"), "one\n");
    r = run("file push " + (dir / "f1").string() + " d1:" + name + "/tmp/./");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(sandbox::lxc("exec d1:" + name + " -- cat /tmp/f1"), "one\n");
    // push -p: missing parents 0750, as lxc makes them (incus 6: 0755).
    ASSERT_EQ(lxc_run("file push -p " + (dir / "f1").string() + " d1:" + name + "/l1/l2/f").status, 0);
    ASSERT_EQ(run("file push -p " + (dir / "f1").string() + " d1:" + name + "/p1/p2/f").status, 0);
    EXPECT_EQ(sandbox::lxc("exec d1:" + name + " -- stat -c '%a %u' /p1 /p1/p2 /p1/p2/f"),
              sandbox::lxc("exec d1:" + name + " -- stat -c '%a %u' /l1 /l1/l2 /l1/l2/f"));
    EXPECT_EQ(sandbox::lxc("exec d1:" + name + " -- stat -c '%a' /p1 /p1/p2"), sandbox::on_incus() ? "755\n755\n" : "750\n750\n");
    // exec of a missing command: lxc's error line and 127.
    same_as_lxc("exec d1:" + name + " -- nosuchcmd");
    same_as_lxc("exec d1:" + name + " -- sh -c 'exit 127'");
    // image export IMG dir/foo writes dir/foo.tar.xz.
    fs::create_directories(dir / "exp");
    r = run("image export d1:" + sandbox::image() + " " + (dir / "exp" / "foo").string());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "Image exported successfully!\n");
    EXPECT_TRUE(fs::is_regular_file(dir / "exp" / "foo.tar.xz"));
    EXPECT_FALSE(fs::exists(dir / "exp" / "foo"));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir / "exp"), fs::directory_iterator()), 1);
    // publish --alias X with X in use: the alias moves to the new image.
    auto stopped = sandbox::unique_name("pm");
    sandbox::make_container(c1, stopped, false);
    auto alias = sandbox::unique_name("mv");
    ASSERT_EQ(lxc_run("publish d1:" + stopped + " d1: --alias " + alias).status, 0);
    auto old_fp = lxc_run("image list d1:" + alias + " -c F -f csv").out;
    ASSERT_EQ(lxc_run("config set d1:" + stopped + " user.x=1").status, 0);
    sandbox::lxc("exec d1:" + name + " -- true");
    ASSERT_EQ(lxc_run("start d1:" + stopped).status, 0);
    sandbox::lxc("exec d1:" + stopped + " -- sh -c 'echo changed > /root/c'");
    ASSERT_EQ(lxc_run("stop -f d1:" + stopped).status, 0);
    r = run("publish d1:" + stopped + " d1: --alias " + alias);
    ASSERT_EQ(r.status, 0) << r.err;
    auto new_fp = r.out.substr(37, 64);
    EXPECT_EQ(lxc_run("image list d1:" + alias + " -c F -f csv").out, new_fp + "\n");
    EXPECT_NE(old_fp, new_fp + "\n");
    lxc_run("image delete d1:" + old_fp.substr(0, 64));
}

// ---- issue 22: keys, secrets and what the server says -----------------------------------------

TEST_P(Cli, ClientKeyIsNeverWiderThan0600AndNeverWrittenThroughALink) {
    auto conf = dir / "keyconf";
    fs::create_directories(conf);
    // A link planted where the key is first written must not be followed.
    std::ofstream(dir / "victim") << "untouched";
    fs::create_symlink(dir / "victim", conf / "client.key.tmp");
    std::string cmd = "umask 000; " + conf_var() + conf.string() + " timeout 60 " + lxdpp_path() + " remote add k " +
                      sandbox::https_url(1) + " --accept-certificate --password " + quote(sandbox::trust_secret(1)) + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    EXPECT_EQ(slurp(dir / "victim"), "untouched");
    EXPECT_EQ(fs::status(conf / "client.key").permissions() & fs::perms::mask, fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_FALSE(fs::is_symlink(conf / "client.key"));
}

TEST_P(Cli, AMistypedTokenIsNeverPrinted) {
    auto op = c1.create_certificate_token(sandbox::unique_name("tok"));
    auto token = lxd::client::token_from_operation(op.info());
    auto typo = token.substr(0, token.size() - 3);
    auto r = run("remote add tk " + typo, "", (dir / "typo").string());
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err.find(typo.substr(0, 12)), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find(typo.substr(0, 12)), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "Error: the argument is neither an address nor a valid certificate add token (not shown: it may hold a secret)\n");
    op.cancel();
}

TEST_P(Cli, ControlCharactersFromTheServerAreEscaped) {
    auto name = sandbox::unique_name("esc");
    sandbox::make_container(c1, name, false);
    ASSERT_EQ(lxc_run("config set d1:" + name + " user.evil=\"$(printf 'a\\033]0;pwned\\007b')\"").status, 0);
    auto got = run("config get d1:" + name + " user.evil");
    EXPECT_EQ(got.status, 0);
    EXPECT_EQ(got.out, "a\\x1b]0;pwned\\x07b\n");
    auto shown = run("config show d1:" + name);
    EXPECT_EQ(shown.out.find('\033'), std::string::npos);
    EXPECT_NE(shown.out.find("  user.evil: \"a\\e]0;pwned\\x07b\"\n"), std::string::npos) << shown.out;
    auto listed = run("list d1:" + name + " -c n -f csv");
    EXPECT_EQ(listed.out, name + "\n");
    // A C1 control (CSI, U+009B) in JSON and YAML output: escaped, the JSON still valid.
    ASSERT_EQ(lxc_run("config set d1:" + name + " user.c1=\"$(printf 'x\302\2332Jy')\"").status, 0);
    auto js = run("list d1:" + name + " -f json");
    EXPECT_EQ(js.out.find("\xc2\x9b"), std::string::npos);
    EXPECT_EQ(boost::json::parse(js.out).as_array()[0].at("config").at("user.c1").as_string(), "x\xc2\x9b" "2Jy");
    auto ys = run("list d1:" + name + " -f yaml");
    EXPECT_EQ(ys.out.find("\xc2\x9b"), std::string::npos);
    EXPECT_NE(ys.out.find("user.c1: x\\x9b2Jy"), std::string::npos) << ys.out;
    // The server's error text quotes what it was given: escaped too.
    auto err = run("config set d1:" + name + " \"$(printf 'bad\\033[2Jkey')\"=1");
    EXPECT_EQ(err.status, 1);
    EXPECT_EQ(err.err.find('\033'), std::string::npos) << err.err;
    EXPECT_NE(err.err.find("bad\\x1b[2Jkey"), std::string::npos) << err.err;
}

// ---- a script written for lxc, run by lxc and by lxdpp as `lxc` --------------------------------

TEST_P(CliAsLxc, AScriptWrittenForLxcRunsTheSameWithLxdpp) {
    auto script = dir / "script.sh";
    std::string text = R"SH(#!/bin/bash
set -eu
P=$1; IMG=$2; TMP=$3
lxc launch d1:$IMG d1:$P-a >/dev/null
lxc exec d1:$P-a -- sh -c 'echo hello > /root/f'
lxc snapshot d1:$P-a snap0
lxc exec d1:$P-a --env WHO=me -- sh -c 'echo changed $WHO > /root/f'
echo "before restore: $(lxc exec d1:$P-a -- cat /root/f)"
lxc restore d1:$P-a snap0
echo "after restore: $(lxc exec d1:$P-a -- cat /root/f)"
echo local > $TMP/local.txt
lxc file push -q $TMP/local.txt d1:$P-a/root/
lxc file push -q -p $TMP/local.txt d1:$P-a/srv/deep/dir/
lxc exec d1:$P-a -- stat -c '%a %n' /srv/deep /srv/deep/dir/local.txt
lxc file pull d1:$P-a/root/local.txt $TMP/back.txt
echo "pulled: $(cat $TMP/back.txt)"
lxc config set d1:$P-a user.role=web
lxc config show d1:$P-a | grep "user.role: web"
lxc config get d1:$P-a user.role
lxc list d1:$P-a -c ns -f csv
lxc stop d1:$P-a --force
lxc publish d1:$P-a d1: --alias $P-img role=web >/dev/null
lxc image show d1:$P-img | grep "role: web"
lxc image list d1:$P-img -c lp -f csv
lxc copy -q d1:$P-a d2:$P-b
lxc -q move d1:$P-a d2:$P-c
lxc move d2:$P-c/snap0 d2:$P-c/first
lxc list d2:$P- -c nsS -f csv
echo "left on d1: $(lxc list d1:$P- -c n -f csv | wc -l)"
lxc config show d2:$P-c/first | grep -c "^name: first"
lxc start d2:$P-b
if lxc delete d2:$P-b 2>/dev/null; then echo "deleted running"; else echo "refused running"; fi
lxc delete -f d2:$P-b d2:$P-c
lxc image delete d1:$P-img
lxc exec d1:$P-none -- true 2>&1 || echo "exit $?"
echo done
)SH";
    if (sandbox::on_incus()) {
        // The same script as an incus user writes it: incus 6's snapshot verbs.
        for (auto [lxc_form, incus_form] : std::vector<std::pair<std::string, std::string>>{
                 {"lxc snapshot d1:$P-a snap0", "lxc snapshot create d1:$P-a snap0"},
                 {"lxc restore d1:$P-a snap0", "lxc snapshot restore d1:$P-a snap0"},
                 {"lxc move d2:$P-c/snap0 d2:$P-c/first", "lxc snapshot rename d2:$P-c snap0 first"}}) {
            auto at = text.find(lxc_form);
            ASSERT_NE(at, std::string::npos) << lxc_form;
            text.replace(at, lxc_form.size(), incus_form);
        }
    }
    std::ofstream(script) << text;
    auto bin = dir / "bin";
    fs::create_directories(bin);
    fs::create_symlink(LXDPP_CLI_PATH, bin / "lxc");
    // For Incus the same script runs with `lxc` being the incus CLI, then lxdpp as an incus
    // client (LXDPP_CLIENT=incus: its name is lxc here).
    auto incus_bin = dir / "incus-bin";
    fs::create_directories(incus_bin);
    fs::create_symlink("/usr/bin/incus", incus_bin / "lxc");
    auto prefix = sandbox::unique_name("sc");
    auto run_script = [&](std::string path_prefix, const std::string& tag) {
        fs::create_directories(dir / tag);
        std::string env = conf_var() + (dir / "conf").string();
        if (sandbox::on_incus()) {
            env += " LXDPP_CLIENT=incus";
            if (path_prefix.empty()) path_prefix = incus_bin.string() + ":";
        }
        std::string cmd = "PATH=" + path_prefix + "$PATH " + env + " timeout 300 bash " +
                          script.string() + " " + prefix + " " + sandbox::image() + " " + (dir / tag).string() + " >" +
                          (dir / (tag + ".out")).string() + " 2>" + (dir / (tag + ".err")).string();
        int rc = std::system(cmd.c_str());
        return std::pair{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(dir / (tag + ".out"))};
    };
    auto [lxc_rc, lxc_out] = run_script("", "lxc");
    ASSERT_EQ(lxc_rc, 0) << lxc_out << slurp(dir / "lxc.err");
    auto [pp_rc, pp_out] = run_script(bin.string() + ":", "lxdpp");
    EXPECT_EQ(pp_rc, 0) << slurp(dir / "lxdpp.err");
    EXPECT_EQ(pp_out, lxc_out);
    EXPECT_NE(lxc_out.find("after restore: hello\n"), std::string::npos) << lxc_out;
    EXPECT_NE(lxc_out.find(sandbox::on_incus() ? "755 /srv/deep\n" : "750 /srv/deep\n"), std::string::npos) << lxc_out;
}

TEST_P(Cli, ImagesOnAnotherServerAsLxcUsesThem) {
    // The image's server reached over HTTPS (private image: a one-time secret) and over its
    // socket (the target fetches it from the server's network address), as lxc does.
    auto name = sandbox::unique_name("ri");
    auto by_lxc = sandbox::unique_name("rl");
    ASSERT_EQ(lxc_run("init d1:" + sandbox::image() + " d2:" + by_lxc).status, 0);
    auto r = run("init d1:" + sandbox::image() + " d2:" + name);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lxc_state("d2:" + name), "STOPPED\n");
    EXPECT_EQ(lxc_run("config get d2:" + name + " volatile.base_image").out,
              lxc_run("config get d2:" + by_lxc + " volatile.base_image").out);
    ASSERT_EQ(run("remote add u1 " + sandbox::socket(1)).status, 0);
    auto by_socket = sandbox::unique_name("ru");
    r = run("launch u1:" + sandbox::image() + " d2:" + by_socket);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lxc_state("d2:" + by_socket), "RUNNING\n");
}

TEST_P(Cli, LibraryMigrateOfARunningContainerLeavesExactlyOne) {
    // instance::migrate without live (what `move --stateless` uses): copied as it is on disk,
    // the source stopped and deleted, the copy started; a protected source is refused first.
    auto name = sandbox::unique_name("lm");
    sandbox::make_container(c1, name, true);
    auto h2 = sandbox::trusted_https_client(2);
    c1.containers().get(name).migrate(h2).wait(std::chrono::minutes(5));
    EXPECT_FALSE(c1.containers().exists(name));
    EXPECT_EQ(c2.containers().get(name).status(), "Running");
    auto p = sandbox::unique_name("lp");
    sandbox::make_container(c1, p, true);
    c1.containers().get(p).set_config("security.protection.delete", "true").save();
    try {
        c1.containers().get(p).migrate(h2).wait(std::chrono::minutes(5));
        ADD_FAILURE() << "a protected instance was moved";
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::invalid_argument);
    }
    EXPECT_EQ(c1.containers().get(p).status(), "Running");
    EXPECT_FALSE(c2.containers().exists(p));
    auto unprotect = c1.containers().get(p);
    unprotect.unset_config("security.protection.delete");
    unprotect.save();
}

namespace {

/// lxdpp started as a child with stdin from a pipe (kept open by the test), so that it can
/// be signalled in the middle of a transfer.
struct child {
    pid_t pid = -1;
    int stdin_w = -1;
    child(const fs::path& conf, std::vector<std::string> args) {
        int p[2];
        if (::pipe(p) != 0) throw std::runtime_error("pipe");
        pid = ::fork();
        if (pid == 0) {
            ::dup2(p[0], 0);
            ::close(p[0]);
            ::close(p[1]);
            int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, 1);
            ::setenv(sandbox::on_incus() ? "INCUS_CONF" : "LXD_CONF", conf.c_str(), 1);
            if (sandbox::on_incus()) ::setenv("LXDPP_CLIENT", "incus", 1);
            std::vector<char*> argv{const_cast<char*>(LXDPP_CLI_PATH)};
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(LXDPP_CLI_PATH, argv.data());
            ::_exit(127);
        }
        ::close(p[0]);
        stdin_w = p[1];
    }
    /// The exit status, or -1 if it did not end within `bound`.
    int wait_for(std::chrono::seconds bound) {
        auto until = std::chrono::steady_clock::now() + bound;
        while (std::chrono::steady_clock::now() < until) {
            int st = 0;
            if (::waitpid(pid, &st, WNOHANG) == pid) {
                pid = -1;
                return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return -1;
    }
    ~child() {
        if (stdin_w >= 0) ::close(stdin_w);
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

std::vector<std::string> names_in(const fs::path& d) {
    std::vector<std::string> out;
    for (auto& e : fs::directory_iterator(d)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

TEST_P(Cli, FilePullInterruptedBySigintKeepsTheExistingFileAndExits130) {
    auto name = sandbox::unique_name("sigpull");
    auto box = sandbox::make_container(c1, name, true);
    ASSERT_EQ(box.execute({"sh", "-c", "head -c 268435456 /dev/zero > /root/big"}).exit_code, 0);
    auto local = dir / "pulled";
    fs::create_directories(local);
    std::ofstream(local / "big") << "precious";
    child p(dir / "conf", {"file", "pull", "d1:" + name + "/root/big", (local / "big").string()});
    // Signal once the download is under way: its temporary file has bytes.
    bool underway = false;
    for (int i = 0; i < 2000 && !underway; ++i) {
        for (auto& e : fs::directory_iterator(local))
            if (e.path().filename().string().rfind(".big.lxdpp-", 0) == 0 && fs::file_size(e.path()) > 0) underway = true;
        if (!underway) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_TRUE(underway) << "the download never started";
    ::kill(p.pid, SIGINT);
    EXPECT_EQ(p.wait_for(std::chrono::seconds(10)), 130);
    EXPECT_EQ(slurp(local / "big"), "precious");
    EXPECT_EQ(names_in(local), std::vector<std::string>{"big"}) << "a temporary file was left behind";
}

TEST_P(Cli, FilePushFromStdinInterruptedBySigtermLeavesNoPartialFileAndExits143) {
    auto name = sandbox::unique_name("sigpush");
    auto box = sandbox::make_container(c1, name, true);
    box.files().put("/root/up", "old contents");
    child p(dir / "conf", {"file", "push", "-", "d1:" + name + "/root/up"});
    std::string mib(1 << 20, 'u');
    ASSERT_EQ(::write(p.stdin_w, mib.data(), mib.size()), static_cast<ssize_t>(mib.size()));
    // The upload is under way once LXD has started writing the file: it has bytes.
    bool underway = false;
    for (int i = 0; i < 500 && !underway; ++i) {
        auto r = box.execute({"sh", "-c", "stat -c %s /root/up"});
        underway = r.out != "12\n" && r.out != "0\n" && !r.out.empty();
        if (!underway) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(underway) << "the upload never reached the server";
    ::kill(p.pid, SIGTERM);   // stdin stays open: lxdpp must not wait for more input
    EXPECT_EQ(p.wait_for(std::chrono::seconds(10)), 143);
    EXPECT_FALSE(box.files().exists("/root/up")) << "a partial upload stayed under the final name";
}

TEST_P(Cli, FilePushOfALocalFileInterruptedBySigintLeavesNoPartialFile) {
    auto name = sandbox::unique_name("sigpush2");
    auto box = sandbox::make_container(c1, name, true);
    auto local = dir / "huge";
    std::ofstream(local).close();
    fs::resize_file(local, 1ull << 30);   // sparse: 1 GiB to send, instant to make
    child p(dir / "conf", {"file", "push", local.string(), "d1:" + name + "/root/huge"});
    bool underway = false;
    for (int i = 0; i < 500 && !underway; ++i) {
        auto r = box.execute({"sh", "-c", "stat -c %s /root/huge 2>/dev/null"});
        underway = !r.out.empty() && r.out != "0\n";
        if (!underway) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(underway) << "the upload never reached the server";
    ::kill(p.pid, SIGINT);
    EXPECT_EQ(p.wait_for(std::chrono::seconds(10)), 130);
    EXPECT_FALSE(box.files().exists("/root/huge")) << "a partial upload stayed under the final name";
}

}  // namespace

// ---- the CLI's layout: one listing printer, exec without a signal handler ----------------------

TEST_P(CliAsLxc, EveryListingPrintsItsFormatsAsLxc) {
    auto name = sandbox::unique_name("lst");
    sandbox::make_container(c1, name, false);
    ASSERT_EQ(lxc_run(snapshot_create("d1:" + name + " s0")).status, 0);
    for (auto* f : {"csv", "compact"}) {
        same_as_lxc(std::string("remote list -f ") + f);
        same_as_lxc(std::string("image alias list d1: -f ") + f);
        same_as_lxc(std::string("image list d1: -f ") + f);
        same_as_lxc("list d1:" + name + " -c nsS -f " + f);
    }
    same_as_lxc("image alias list d1:");
    same_as_lxc("cluster list d1:");   // not a cluster: the same one-line error
    // lxdpp's own `snapshots` (incus: `snapshot list`): one row per snapshot in the table
    // formats, the server's objects in JSON.
    EXPECT_EQ(ok(snapshot_list("d1:" + name + " -f csv")).rfind("s0,", 0), 0u);
    if (sandbox::on_incus())
        for (auto* f : {"table", "csv", "compact", "json", "yaml"}) same_as_lxc(snapshot_list("d1:" + name + " -f " + f));
    auto js = boost::json::parse(ok(snapshot_list("d1:" + name + " -f json")));
    ASSERT_EQ(js.as_array().size(), 1u);
    EXPECT_EQ(js.as_array()[0].at("name").as_string(), "s0");
}

TEST_P(CliAsLxc, ExecFollowsTheTerminalsWindowSize) {
    auto name = sandbox::unique_name("win");
    sandbox::make_container(c1, name, true);
    // Everything the child needs is made before fork: the parent has threads.
    std::string conf = conf_var() + (dir / "conf").string(), target = "d1:" + name;
    // argv[0] names the client lxdpp plays: lxc's, or (as `incus`) incus's.
    std::vector<std::string> words{sandbox::on_incus() ? "incus" : "lxdpp", "exec", target, "--", "sh", "-c",
                                   // The second `stty size` once the size has changed (at most 30 s):
                                   // no race between the resize and a keystroke.
                                   "stty size; i=0; while [ \"$(stty size)\" = '24 80' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; stty size"};
    std::vector<char*> argv, envp{conf.data(), nullptr};
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    winsize start{24, 80, 0, 0};
    int master = -1;
    pid_t pid = ::forkpty(&master, nullptr, nullptr, &start);
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::execve(LXDPP_CLI_PATH, argv.data(), envp.data());
        ::_exit(127);
    }
    std::string out;
    auto read_until = [&](const std::string& want, int seconds) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        while (out.find(want) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
            pollfd p{master, POLLIN, 0};
            if (::poll(&p, 1, 200) <= 0) continue;
            char buf[256];
            auto n = ::read(master, buf, sizeof buf);
            if (n <= 0) break;
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out.find(want) != std::string::npos;
    };
    EXPECT_TRUE(read_until("24 80", 60)) << out;
    // The terminal grows while the command runs: the command sees the new size.
    winsize bigger{50, 120, 0, 0};
    ::ioctl(master, TIOCSWINSZ, &bigger);
    EXPECT_TRUE(read_until("50 120", 40)) << out;
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(master);
    EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0) << out;
}

// ---- exec forwards signals as lxc exec does ----------------------------------------------------

namespace {

/// `TOOL exec TARGET -- sh -c SCRIPT` as a child (stdin /dev/null, stdout and stderr pipes);
/// for each step, once stdout holds `await` the child gets `signal`. Then the rest of the
/// output and the exit status, every wait with a deadline.
struct signalled_exec {
    struct step {
        std::string await;
        int signal;
    };
    std::string out, err;
    int status = -1;   // exit status; 128 + N if the tool itself died of signal N; -1: no end
    std::string missed;   // the readiness text that never came

    signalled_exec(const std::string& tool, const fs::path& conf, const std::string& target, const std::string& script,
                   const std::vector<step>& steps) {
        // Everything the child needs is made before fork: the parent has threads.
        std::vector<std::string> words{tool, "exec", target, "--", "sh", "-c", script};
        std::vector<char*> argv;
        for (auto& w : words) argv.push_back(w.data());
        argv.push_back(nullptr);
        const auto conf_var = cli_support::fixture::conf_var();   // LXD_CONF= or INCUS_CONF=
        std::vector<std::string> env{conf_var + conf.string()};
        for (char** e = environ; *e; ++e)
            if (std::string_view(*e).rfind(conf_var, 0) != 0) env.emplace_back(*e);
        std::vector<char*> envp;
        for (auto& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        int o[2], e[2];
        if (::pipe2(o, O_CLOEXEC) != 0 || ::pipe2(e, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
        int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        pid_t pid = ::fork();
        if (pid == 0) {
            ::dup2(null, 0);
            ::dup2(o[1], 1);
            ::dup2(e[1], 2);
            ::execvpe(argv[0], argv.data(), envp.data());
            ::_exit(126);
        }
        ::close(null);
        ::close(o[1]);
        ::close(e[1]);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
        bool out_open = true, err_open = true;
        // Reads what is there (up to 100 ms); false once the deadline has passed.
        auto pump = [&] {
            pollfd p[2] = {{out_open ? o[0] : -1, POLLIN, 0}, {err_open ? e[0] : -1, POLLIN, 0}};
            if (::poll(p, 2, 100) > 0) {
                char buf[4096];
                if (p[0].revents) {
                    auto n = ::read(o[0], buf, sizeof buf);
                    if (n > 0) out.append(buf, static_cast<std::size_t>(n)); else out_open = false;
                }
                if (p[1].revents) {
                    auto n = ::read(e[0], buf, sizeof buf);
                    if (n > 0) err.append(buf, static_cast<std::size_t>(n)); else err_open = false;
                }
            }
            return std::chrono::steady_clock::now() < deadline;
        };
        for (auto& s : steps) {
            while (out.find(s.await) == std::string::npos && (out_open || err_open) && pump()) {}
            if (out.find(s.await) == std::string::npos) {
                missed = s.await;
                break;
            }
            ::kill(pid, s.signal);
        }
        while ((out_open || err_open) && pump()) {}
        int st = 0;
        while (::waitpid(pid, &st, WNOHANG) == 0 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (::waitpid(pid, &st, WNOHANG) == 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &st, 0);
        } else {
            status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
        ::close(o[0]);
        ::close(e[0]);
    }
};

struct expected_exec {
    std::string out;
    int status;
};

}  // namespace

TEST_P(CliAsLxc, ExecForwardsSignalsToTheCommandAsLxc) {
    auto name = sandbox::unique_name("sig");
    sandbox::make_container(c1, name, true);
    auto target = "d1:" + name;
    struct scenario {
        std::string what, script;
        std::vector<signalled_exec::step> steps;
        expected_exec want;
    };
    // sh runs a trap once its foreground command ends: the scripts wait in short sleeps.
    std::vector<scenario> scenarios{
        // Ctrl-C reaches the command, which decides what it means: lxdpp exits as it does.
        {"SIGINT, trapped", R"(trap "echo got-INT; exit 7" INT; echo ready; while :; do sleep 0.1; done)", {{"ready\n", SIGINT}},
         {"ready\ngot-INT\n", 7}},
        // Killed by SIGTERM: the server reports 128 + 15, and that is the exit status.
        {"SIGTERM", "echo ready; sleep 30", {{"ready\n", SIGTERM}}, {"ready\n", 143}},
        // A second Ctrl-C is forwarded too; lxdpp never gives up on the command by itself.
        {"SIGINT twice", R"(n=0; trap 'n=$((n+1)); echo got-INT-$n; [ $n = 2 ] && exit 9' INT; echo ready; while :; do sleep 0.1; done)",
         {{"ready\n", SIGINT}, {"got-INT-1\n", SIGINT}},
         {"ready\ngot-INT-1\ngot-INT-2\n", 9}},
        {"SIGUSR1, trapped", R"(trap "echo got-USR1; exit 3" USR1; echo ready; while :; do sleep 0.1; done)", {{"ready\n", SIGUSR1}},
         {"ready\ngot-USR1\n", 3}},
        // With no terminal, a hang-up goes on as SIGTERM (as lxc).
        {"SIGHUP without a terminal", R"(trap "echo got-HUP; exit 4" HUP; trap "echo got-TERM; exit 5" TERM; echo ready; while :; do sleep 0.1; done)",
         {{"ready\n", SIGHUP}}, {"ready\ngot-TERM\n", 5}},
    };
    for (auto& s : scenarios) {
        SCOPED_TRACE(s.what);
        signalled_exec mine(lxdpp_path(), dir / "conf", target, s.script, s.steps);
        EXPECT_EQ(mine.missed, "") << mine.out << mine.err;
        EXPECT_EQ(mine.out, s.want.out);
        EXPECT_EQ(mine.err, "");
        EXPECT_EQ(mine.status, s.want.status);
        // lxc (incus) on the same daemon, the same way.
        signalled_exec theirs(sandbox::cli_name(), dir / "conf", target, s.script, s.steps);
        EXPECT_EQ(theirs.missed, "") << theirs.out << theirs.err;
        EXPECT_EQ(theirs.out, s.want.out);
        EXPECT_EQ(theirs.err, "");
        EXPECT_EQ(theirs.status, s.want.status);
    }
}

LXDPP_BOTH_SERVERS(Cli);
// lxdpp compared with lxc 5.0 on LXD, and (run as `incus`) with the incus 6.0 CLI on Incus:
// where the two CLIs differ, lxdpp prints what the one it plays prints (docs/incus-notes.md).
LXDPP_BOTH_SERVERS(CliAsLxc);
