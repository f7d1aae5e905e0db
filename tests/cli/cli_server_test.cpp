// The CLI's verbs about the server itself (config on the server, config trust, operation,
// warning, query, monitor) as a process against the sandbox daemons; lxc (or incus)
// confirms each effect, and prints the same where lxdpp promises lxc's output.
#include "integration/sandbox.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

struct result {
    int status = -1;
    std::string out, err;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

struct CliServer : sandbox::server_test {
    fs::path dir;
    lxd::client c1 = sandbox::unix_client(1);

    void SetUp() override {
        dir = fs::path("/tmp") / sandbox::unique_name("clis");
        fs::create_directories(dir / "bin");
        fs::copy(sandbox::cli_conf(), dir / "conf", fs::copy_options::recursive);
        fs::create_symlink(LXDPP_CLI_PATH, dir / "bin" / "incus");   // lxdpp reads incus's config as `incus`
    }
    void TearDown() override {
        auto s = c1.server();
        if (s.config().count("images.remote_cache_expiry")) s.unset("images.remote_cache_expiry").save();
        sandbox::remove_leftovers(c1);
        fs::remove_all(dir);
    }
    std::string lxdpp() const { return sandbox::on_incus() ? (dir / "bin" / "incus").string() : LXDPP_CLI_PATH; }
    std::string conf_env() const { return std::string(sandbox::on_incus() ? "INCUS_CONF=" : "LXD_CONF=") + (dir / "conf").string(); }
    result run_tool(const std::string& tool, const std::string& args, const std::string& input = "") {
        std::ofstream(dir / "in", std::ios::binary) << input;
        std::string cmd = conf_env() + " timeout 120 " + tool + " " + args + " <" + (dir / "in").string() + " >" + (dir / "out").string() +
                          " 2>" + (dir / "err").string();
        int rc = std::system(cmd.c_str());
        return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(dir / "out"), slurp(dir / "err")};
    }
    result run(const std::string& args, const std::string& input = "") { return run_tool(lxdpp(), args, input); }
    result lxc_run(const std::string& args) { return run_tool(sandbox::cli_name(), args); }
    std::string ok(const std::string& args, const std::string& input = "") {
        auto r = run(args, input);
        EXPECT_EQ(r.status, 0) << "lxdpp " << args << "\n" << r.err;
        return r.out;
    }
    void same_as_lxc(const std::string& args) {
        auto l = lxc_run(args);
        auto r = run(args);
        EXPECT_EQ(r.status, l.status) << args << "\nlxdpp: " << r.err << "\nlxc: " << l.err;
        EXPECT_EQ(r.out, l.out) << args;
        EXPECT_EQ(r.err, l.err) << args;
    }
};

/// A CLI started in the background with its stdout on a pipe, read with deadlines.
struct background {
    pid_t pid = -1;
    int out = -1;
    std::string seen;
    background(const std::string& tool, const std::vector<std::string>& args, const std::string& conf_env) {
        int p[2];
        if (::pipe(p) != 0) throw std::runtime_error("pipe");
        pid = ::fork();
        if (pid == 0) {
            ::dup2(p[1], 1);
            ::close(p[0]);
            ::close(p[1]);
            auto eq = conf_env.find('=');
            ::setenv(conf_env.substr(0, eq).c_str(), conf_env.substr(eq + 1).c_str(), 1);
            std::vector<char*> argv{const_cast<char*>(tool.c_str())};
            for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            ::execvp(tool.c_str(), argv.data());
            ::_exit(127);
        }
        ::close(p[1]);
        out = p[0];
    }
    /// Reads what is available within `wait`; true if anything came.
    bool read_for(std::chrono::milliseconds wait) {
        pollfd pfd{out, POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(wait.count())) <= 0) return false;
        char buf[4096];
        auto n = ::read(out, buf, sizeof buf);
        if (n <= 0) return false;
        seen.append(buf, static_cast<std::size_t>(n));
        return true;
    }
    int wait_exit(std::chrono::seconds bound) {
        auto until = std::chrono::steady_clock::now() + bound;
        while (std::chrono::steady_clock::now() < until) {
            int st = 0;
            if (::waitpid(pid, &st, WNOHANG) == pid) {
                pid = -1;
                return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            }
            read_for(10ms);
        }
        return -1;
    }
    ~background() {
        if (out >= 0) ::close(out);
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

}  // namespace

struct CliServerAsLxc : CliServer {};
struct CliServerLxdOnly : CliServer {};

TEST_P(CliServer, ConfigGetSetUnsetOnTheServer) {
    ok("config set d1: images.remote_cache_expiry 9");
    EXPECT_EQ(sandbox::lxc("config get d1: images.remote_cache_expiry"), "9\n");
    ok("config set d1: images.remote_cache_expiry=12");   // 10 is the default, which the server does not keep
    EXPECT_EQ(sandbox::lxc("config get d1: images.remote_cache_expiry"), "12\n");
    EXPECT_EQ(ok("config get d1: images.remote_cache_expiry"), "12\n");
    EXPECT_NE(ok("config show d1:").find("images.remote_cache_expiry: \"12\""), std::string::npos);
    ok("config unset d1: images.remote_cache_expiry");
    EXPECT_EQ(sandbox::lxc("config get d1: images.remote_cache_expiry"), "\n");
    auto bad = run("config set d1: 'bad key=1'");
    EXPECT_EQ(bad.status, 1);
    EXPECT_EQ(bad.err, "Error: 'bad key' is not a server config key (non-empty; no space, '=' or control character)\n");
    auto unknown = run("config set d1: no.such.key=1");
    EXPECT_EQ(unknown.status, 1);
    EXPECT_NE(unknown.err.find("no.such.key"), std::string::npos) << unknown.err;
}

TEST_P(CliServer, EditVerbsReadYamlFromStdin) {
    // The whole configuration is replaced, as lxc's edit does: what `config show` printed
    // (the hidden trust password shown as `true` included) plus the new key.
    auto shown_before = ok("config show d1:");
    ok("config edit d1:", shown_before + "  images.remote_cache_expiry: \"31\"\n");
    EXPECT_EQ(sandbox::lxc("config get d1: images.remote_cache_expiry"), "31\n");
    auto refused = run("config edit d1:", shown_before + "  no.such.key: \"1\"\n");
    EXPECT_EQ(refused.status, 1);
    EXPECT_EQ(sandbox::lxc("config get d1: images.remote_cache_expiry"), "31\n");
    // The listener and the trust password are as they were.
    EXPECT_EQ(sandbox::lxc("config get d1: core.https_address"), sandbox::https_url(1).substr(8) + "\n");
    if (!sandbox::on_incus()) {
        lxd::certificate_pair pair;
        auto stranger = sandbox::untrusted_https_client(1, &pair);
        stranger.authenticate(sandbox::password());
        EXPECT_TRUE(stranger.trusted());
        c1.certificates().get(lxd::certificate_fingerprint(pair.cert_pem)).remove();
    }

    auto pair = lxd::generate_client_certificate("lxdpp-cli-edit");
    auto fp = lxd::certificate_fingerprint(pair.cert_pem);
    c1.certificates().add({.pem = pair.cert_pem, .name = "before"});
    ok("config trust edit d1:" + fp.substr(0, 12), "name: after\nrestricted: true\nprojects:\n- default\n");
    auto shown = sandbox::lxc("config trust show d1:" + fp);
    EXPECT_NE(shown.find("name: after"), std::string::npos) << shown;
    EXPECT_NE(shown.find("restricted: true"), std::string::npos) << shown;
    EXPECT_NE(shown.find("- default"), std::string::npos) << shown;
    c1.certificates().get(fp).remove();
}

TEST_P(CliServer, TrustAddShowRemoveAndTokens) {
    auto pair = lxd::generate_client_certificate("lxdpp-cli-trust");
    auto fp = lxd::certificate_fingerprint(pair.cert_pem);
    std::ofstream(dir / "c.crt") << pair.cert_pem;
    ok("config trust add d1: " + (dir / "c.crt").string());
    auto listed = sandbox::lxc("config trust list d1: -f csv");
    EXPECT_NE(listed.find("client,c.crt,lxdpp-cli-trust," + fp.substr(0, 12)), std::string::npos) << listed;
    EXPECT_NE(ok("config trust list d1: -f csv").find("client,c.crt,lxdpp-cli-trust," + fp.substr(0, 12)), std::string::npos);
    auto shown = json::parse(sandbox::lxc("query d1:/1.0/certificates/" + fp));
    EXPECT_NE(ok("config trust show d1:" + fp).find("fingerprint: " + fp), std::string::npos);
    EXPECT_EQ(shown.at("name").as_string(), "c.crt");
    ok("config trust remove d1:" + fp.substr(0, 12));
    EXPECT_EQ(sandbox::lxc("config trust list d1: -f csv").find(fp.substr(0, 12)), std::string::npos);
    auto gone = run("config trust show d1:" + fp);
    EXPECT_EQ(gone.status, 1);
    EXPECT_EQ(gone.err, "Error: Certificate not found\n");
    auto bad = run("config trust remove d1:nothex");
    EXPECT_EQ(bad.status, 1);
    EXPECT_EQ(bad.err, "Error: 'nothex' is not a certificate fingerprint (1 to 64 hexadecimal digits)\n");

    auto name = sandbox::unique_name("tk");
    auto issued = ok("config trust add d1: --name " + name);
    ASSERT_EQ(issued.rfind("Client " + name + " certificate add token:\n", 0), 0u) << issued;
    auto token = issued.substr(issued.find('\n') + 1);
    token.pop_back();
    ASSERT_TRUE(lxd::parse_certificate_token(token).has_value());
    EXPECT_NE(sandbox::lxc("config trust list-tokens d1: -f csv").find(name + "," + token), std::string::npos);
    EXPECT_NE(ok("config trust list-tokens d1: -f csv").find(name + "," + token), std::string::npos);
    EXPECT_EQ(ok("config trust revoke-token d1: " + name), "Certificate add token for " + name + " deleted\n");
    EXPECT_EQ(sandbox::lxc("config trust list-tokens d1: -f csv").find(name), std::string::npos);
    auto stranger = sandbox::untrusted_https_client(1);
    EXPECT_THROW(stranger.authenticate(token), lxd::error);
    EXPECT_FALSE(stranger.trusted());
    auto again = run("config trust revoke-token d1: " + name);
    EXPECT_EQ(again.status, 1);
    EXPECT_EQ(again.err, "Error: No certificate add token for member " + name + " on remote: d1\n");
}

// lxc's trust table; incus prints other columns (and lxdpp, lxc's), so LXD only.
TEST_P(CliServerLxdOnly, TrustListAndShowAsLxc) {
    same_as_lxc("config trust list d1:");
    same_as_lxc("config trust list d1: -f yaml");
    auto fp = c1.certificates().fingerprints().front();
    same_as_lxc("config trust show d1:" + fp);
}

TEST_P(CliServer, OperationListShowDelete) {
    auto op = c1.certificates().create_token(sandbox::unique_name("op"));
    auto csv = ok("operation list d1: -f csv");
    EXPECT_NE(csv.find(op.id() + ",TOKEN,"), std::string::npos) << csv;
    if (!sandbox::on_incus()) {
        EXPECT_EQ(csv, sandbox::lxc("operation list d1: -f csv"));
        EXPECT_EQ(ok("operation show d1:" + op.id()), sandbox::lxc("operation show d1:" + op.id()));
    }
    EXPECT_NE(ok("operation show d1:" + op.id()).find("class: token"), std::string::npos);
    EXPECT_EQ(ok("operation delete d1:" + op.id()), "Operation " + op.id() + " deleted\n");
    EXPECT_EQ(sandbox::lxc("operation list d1: -f csv").find(op.id()), std::string::npos);
    EXPECT_THROW((void)op.wait(30s), lxd::error);
    auto missing = run("operation show d1:00000000-0000-0000-0000-000000000000");
    EXPECT_EQ(missing.status, 1);
    EXPECT_EQ(missing.err, "Error: Operation not found\n");
}

TEST_P(CliServer, WarningListShowAcknowledgeDelete) {
    auto all = c1.warnings().all();
    ASSERT_FALSE(all.empty());
    auto mine = json::parse(ok("warning list d1: -a -f json")).as_array();
    auto theirs = json::parse(sandbox::lxc("warning list d1: -a -f json")).as_array();
    EXPECT_EQ(mine.size(), theirs.size());
    auto uuid = all.front().uuid;
    auto shown = ok("warning show d1:" + uuid);
    EXPECT_NE(shown.find("uuid: " + uuid), std::string::npos);
    if (!sandbox::on_incus()) EXPECT_EQ(shown, sandbox::lxc("warning show d1:" + uuid));
    ok("warning ack d1:" + uuid);
    EXPECT_EQ(c1.warnings().get(uuid).status, "acknowledged");
    EXPECT_EQ(ok("warning list d1: -f csv").find(uuid), std::string::npos);   // hidden without --all
    EXPECT_NE(ok("warning list d1: --all -f csv").find(uuid + "," + all.front().type + ",ACKNOWLEDGED,"), std::string::npos);
    c1.warnings().acknowledge(uuid, false);
    auto last = all.back().uuid;
    ok("warning delete d1:" + last);
    EXPECT_EQ(sandbox::lxc("warning list d1: -a -f csv").find(last), std::string::npos);
    auto missing = run("warning show d1:" + last);
    EXPECT_EQ(missing.status, 1);
    EXPECT_EQ(missing.err, "Error: Warning not found\n");
    auto bad = run("warning show d1:nope");
    EXPECT_EQ(bad.status, 1);
    EXPECT_EQ(bad.err, "Error: 'nope' is not a UUID (8-4-4-4-12 hexadecimal digits)\n");
}

TEST_P(CliServerAsLxc, QueryAsLxcQuery) {
    same_as_lxc("query d1:/1.0/certificates");
    same_as_lxc("query d1:/1.0/instances");
    same_as_lxc("query d1:/1.0/nothing-here");
    auto name = sandbox::unique_name("q");
    auto body = json::serialize(json::object{{"name", name}, {"source", {{"type", "image"}, {"alias", sandbox::image()}}}});
    auto created = run("query -X POST --wait -d '" + body + "' d1:/1.0/instances");
    EXPECT_EQ(created.status, 0) << created.err;
    EXPECT_NE(created.out.find("\t\"status\": \"Success\""), std::string::npos) << created.out;
    EXPECT_EQ(sandbox::lxc("list d1:" + name + " -c n -f csv"), name + "\n");
    same_as_lxc("query d1:/1.0/instances/" + name + "/state");
    ok("query -X DELETE --wait d1:/1.0/instances/" + name);
    EXPECT_EQ(sandbox::lxc("list d1:" + name + " -c n -f csv"), "");
    auto bad = run("query -X FETCH d1:/1.0");
    EXPECT_EQ(bad.status, 1);
    EXPECT_EQ(bad.err, "Error: method 'FETCH' is not one of GET, POST, PUT, PATCH, DELETE\n");
}

TEST_P(CliServerAsLxc, MonitorPrintsEventsAsLxcAndEndsOnSigint) {
    for (std::string format : {"yaml", "json"}) {
        background mine(lxdpp(), {"monitor", "d1:", "--type", "lifecycle", "-f", format}, conf_env());
        background theirs(sandbox::cli_name(), {"monitor", "d1:", "--type", "lifecycle", "-f", format}, conf_env());
        // Cause lifecycle events until both have printed one (each subscribes when it is ready).
        auto until = std::chrono::steady_clock::now() + 20s;
        auto s = c1.server();
        int n = 0;
        while ((mine.seen.empty() || theirs.seen.empty()) && std::chrono::steady_clock::now() < until) {
            s.set("images.remote_cache_expiry", std::to_string(20 + ++n)).save();
            mine.read_for(100ms);
            theirs.read_for(100ms);
        }
        ASSERT_FALSE(mine.seen.empty()) << "lxdpp monitor printed nothing";
        ASSERT_FALSE(theirs.seen.empty()) << "lxc monitor printed nothing";
        auto sep = format == "yaml" ? std::string("\n\n\n") : std::string("\n\n");
        auto records = [&](const std::string& all) {
            std::vector<std::string> out;
            for (std::size_t at = 0, end; (end = all.find(sep, at)) != std::string::npos; at = end + sep.size())
                out.push_back(all.substr(at, end + sep.size() - at));
            return out;
        };
        // One more event that both are subscribed for: lxdpp's record of it is lxc's, byte for byte.
        auto before = records(mine.seen).size();
        s.set("images.remote_cache_expiry", "77").save();
        bool same = false;
        for (auto t = std::chrono::steady_clock::now() + 10s; !same && std::chrono::steady_clock::now() < t;) {
            mine.read_for(50ms);
            theirs.read_for(50ms);
            auto r = records(mine.seen);
            same = r.size() > before && theirs.seen.find(r.back()) != std::string::npos;
        }
        EXPECT_TRUE(same) << "lxdpp:\n" << mine.seen << "\nlxc:\n" << theirs.seen;
        EXPECT_NE(records(mine.seen).back().find("config-updated"), std::string::npos) << mine.seen;
        ::kill(mine.pid, SIGINT);
        EXPECT_EQ(mine.wait_exit(10s), 130);
    }
}

LXDPP_BOTH_SERVERS(CliServer);
LXDPP_BOTH_SERVERS(CliServerAsLxc);
INSTANTIATE_TEST_SUITE_P(, CliServerLxdOnly, ::testing::Values(sandbox::server::lxd), ::sandbox::param_name);
