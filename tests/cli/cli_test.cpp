// The lxdpp CLI as a process, against the sandbox daemons; the lxc CLI confirms effects.
// Each test runs with its own copy of the sandbox's lxc configuration (LXD_CONF).
#include "integration/sandbox.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

struct result {
    int status = -1;
    std::string out, err;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

struct Cli : ::testing::Test {
    fs::path dir;   // scratch: LXD_CONF copy, outputs, files
    lxd::client c1 = sandbox::unix_client(1);
    lxd::client c2 = sandbox::unix_client(2);

    void SetUp() override {
        dir = fs::path("/tmp") / sandbox::unique_name("cli");
        fs::create_directories(dir);
        fs::copy(sandbox::env("LXDPP_TEST_LXC_CONF"), dir / "conf", fs::copy_options::recursive);
    }
    void TearDown() override {
        sandbox::remove_leftovers(c1);
        sandbox::remove_leftovers(c2);
        fs::remove_all(dir);
    }
    /// Runs `lxdpp ARGS` (ARGS already shell-quoted where needed) with stdin from `input`.
    result run(const std::string& args, const std::string& input = "", const std::string& conf = "") {
        std::ofstream(dir / "in", std::ios::binary) << input;
        std::string cmd = "LXD_CONF=" + quote(conf.empty() ? (dir / "conf").string() : conf) + " timeout 120 " +
                          LXDPP_CLI_PATH + " " + args + " <" + (dir / "in").string() + " >" + (dir / "out").string() +
                          " 2>" + (dir / "err").string();
        int rc = std::system(cmd.c_str());
        result r;
        r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
        r.out = slurp(dir / "out");
        r.err = slurp(dir / "err");
        return r;
    }
    /// Runs and requires exit status 0.
    std::string ok(const std::string& args, const std::string& input = "") {
        auto r = run(args, input);
        EXPECT_EQ(r.status, 0) << "lxdpp " << args << "\n" << r.err;
        return r.out;
    }
    std::string lxc_state(const std::string& remote_name) {
        return sandbox::lxc("list " + remote_name + " -c s --format csv");
    }
};

}  // namespace

TEST_F(Cli, VersionHelpAndUsageErrors) {
    EXPECT_EQ(ok("version d1:"), "Client version: " + std::string(lxd::version_string) + "\nServer version: 5.0.2\n");
    EXPECT_EQ(ok("--version"), std::string(lxd::version_string) + "\n");
    EXPECT_NE(ok("help list").find("--format"), std::string::npos);
    auto bad = run("no-such-verb");
    EXPECT_EQ(bad.status, 1);
    auto missing = run("exec");
    EXPECT_EQ(missing.status, 1);
}

TEST_F(Cli, ErrorsAreOneLineWithTheServersMessage) {
    auto r = run("info d1:" + sandbox::unique_name("absent"));
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "Error: Instance not found\n");
    EXPECT_EQ(r.out, "");
    auto remote = run("list nosuchremote:");
    EXPECT_EQ(remote.status, 1);
    EXPECT_EQ(remote.err, "Error: The remote \"nosuchremote\" doesn't exist\n");
    auto col = run("list d1: -c nZ");
    EXPECT_EQ(col.status, 1);
    EXPECT_NE(col.err.find("unknown column 'Z'"), std::string::npos) << col.err;
}

TEST_F(Cli, LaunchListInEveryFormatAndInfo) {
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
    EXPECT_NE(info.find("Name: " + name + "\nStatus: RUNNING\nType: container\n"), std::string::npos) << info;
    EXPECT_NE(info.find("Processes: "), std::string::npos);
    // init creates without starting.
    auto second = sandbox::unique_name("i");
    EXPECT_EQ(ok("init d1:" + sandbox::image() + " d1:" + second + " -c user.k=v"), "Creating " + second + "\n");
    EXPECT_NE(lxc_state("d1:" + second).find("STOPPED"), std::string::npos);
    EXPECT_EQ(sandbox::lxc("config get d1:" + second + " user.k"), "v\n");
}

TEST_F(Cli, LifecycleVerbsAsLxcSeesThem) {
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

TEST_F(Cli, ExecPassesExitStatusStreamsAndStdin) {
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

TEST_F(Cli, ExecUsesATerminalWhenItHasOne) {
    auto name = sandbox::unique_name("pty");
    sandbox::make_container(c1, name, true);
    // Under script(1) stdin and stdout are a terminal: the command gets a PTY too.
    std::string inner = std::string(LXDPP_CLI_PATH) + " exec d1:" + name + " -- sh -c 'tty; exit 5'";
    std::string cmd = "LXD_CONF=" + (dir / "conf").string() + " timeout 60 script -qec " + quote(inner) + " /dev/null >" +
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

TEST_F(Cli, FilePushPullDeleteAsLxcSeesThem) {
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

TEST_F(Cli, SnapshotRestoreListDelete) {
    auto name = sandbox::unique_name("s");
    sandbox::make_container(c1, name, true);
    sandbox::lxc("exec d1:" + name + " -- sh -c 'echo before > /root/f'");
    ok("snapshot d1:" + name + " s1");
    ok("snapshot d1:" + name);   // default name snap0
    sandbox::lxc("exec d1:" + name + " -- sh -c 'echo after > /root/f'");
    ok("restore d1:" + name + " s1");
    EXPECT_EQ(sandbox::lxc("exec d1:" + name + " -- cat /root/f"), "before\n");
    auto csv = ok("snapshots d1:" + name + " -f csv");
    EXPECT_NE(csv.find("s1,"), std::string::npos) << csv;
    EXPECT_NE(csv.find("snap0,"), std::string::npos) << csv;
    ok("delete d1:" + name + "/s1");
    auto info = sandbox::lxc("info d1:" + name);
    EXPECT_EQ(info.find("s1 ("), std::string::npos) << info;
    EXPECT_NE(info.find("snap0"), std::string::npos) << info;
    auto stateful = run("snapshot d1:" + name + " live --stateful");
    EXPECT_EQ(stateful.status, 1);
    EXPECT_NE(stateful.err.find("CRIU"), std::string::npos) << stateful.err;
}

TEST_F(Cli, ImagesImportAliasExportPublishDelete) {
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
    auto exported = ok("image export d1:" + alias + " " + (dir / "exp").string());
    // LXD 5.0 names a unified export "<fingerprint>.tar.xz" (Content-Disposition).
    auto file = (dir / "exp" / (fp + ".tar.xz")).string();
    EXPECT_EQ(exported, "Output: " + file + "\n");
    ASSERT_TRUE(fs::exists(file));
    EXPECT_EQ(lxd::sha256_of_files({file}), fp);
    ok("image delete d1:" + alias);
    EXPECT_EQ(sandbox::lxc("image list d1: --format csv -c f").find(fp.substr(0, 12)), std::string::npos);

    auto name = sandbox::unique_name("p");
    sandbox::make_container(c1, name, false);
    auto pub = ok("publish d1:" + name + " --alias " + alias + "-pub");
    ASSERT_EQ(pub.rfind("Instance published with fingerprint: ", 0), 0u) << pub;
    auto pfp = pub.substr(37, 64);
    EXPECT_NE(sandbox::lxc("image info d1:" + alias + "-pub").find(pfp), std::string::npos);
    ok("image delete d1:" + pfp);
}

TEST_F(Cli, CopyAndMoveBetweenRemotes) {
    auto name = sandbox::unique_name("mv");
    sandbox::make_container(c1, name, false);
    ok("snapshot d1:" + name + " keep");
    ok("copy d1:" + name + " d2:" + name + "-c");
    EXPECT_EQ(lxc_state("d2:" + name + "-c"), "STOPPED\n");
    ok("move d1:" + name + " d2:");
    EXPECT_EQ(sandbox::lxc("list d1:" + name + " -c n --format csv"), "");
    EXPECT_NE(sandbox::lxc("info d2:" + name).find("keep"), std::string::npos);
    ok("copy d2:" + name + " d2:" + name + "-i --instance-only");
    EXPECT_EQ(sandbox::lxc("info d2:" + name + "-i").find("keep"), std::string::npos);
}

TEST_F(Cli, ConfigGetSetUnsetShow) {
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

TEST_F(Cli, RemoteAddWritesWhatLxcReads) {
    // A fresh configuration: lxdpp makes the client certificate and the server trusts it by password.
    auto conf = dir / "fresh";
    auto url = sandbox::https_url(1);
    auto r = run("remote add srv " + url + " --password " + quote(sandbox::password()) + " --accept-certificate", "",
                 conf.string());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err.find(sandbox::password()), std::string::npos);
    EXPECT_TRUE(fs::exists(conf / "client.crt"));
    EXPECT_EQ(fs::status(conf / "client.key").permissions() & fs::perms::others_read, fs::perms::none);
    EXPECT_TRUE(fs::exists(conf / "servercerts" / "srv.crt"));
    auto lxc_with = [&](const std::string& args) {
        std::string cmd = "LXD_CONF=" + conf.string() + " timeout 60 lxc " + args + " 2>&1";
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

TEST_F(Cli, RemoteAddWithATokenAcceptsTheCertificateItNames) {
    auto op = c1.create_certificate_token(sandbox::unique_name("tok"));
    auto token = lxd::client::token_from_operation(op.info());
    auto conf = dir / "token-conf";
    auto r = run("remote add tk " + token, "", conf.string());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err.find(token), std::string::npos);   // the secret is never echoed
    auto listed = run("list tk: -c n -f csv", "", conf.string());
    EXPECT_EQ(listed.status, 0) << listed.err;
    std::string cmd = "LXD_CONF=" + conf.string() + " timeout 60 lxc list tk: --format csv -c n >/dev/null 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    // A token is single-use: a second configuration cannot use it again.
    auto again = run("remote add tk " + token, "", (dir / "token-conf-2").string());
    EXPECT_EQ(again.status, 1);
}

TEST_F(Cli, BashCompletionIsGeneratedAndValid) {
    auto script = ok("completion bash");
    EXPECT_NE(script.find("complete -F _lxdpp lxdpp"), std::string::npos);
    for (auto verb : {"list", "launch", "exec", "file", "image", "remote", "snapshot", "restore", "publish"})
        EXPECT_NE(script.find(std::string(" ") + verb + " "), std::string::npos) << verb;
    std::ofstream(dir / "c.sh") << script;
    EXPECT_EQ(std::system(("bash -n " + (dir / "c.sh").string()).c_str()), 0);
}
