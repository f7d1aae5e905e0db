// The CLI's server verbs that print what lxc (or incus) prints: config trust add/remove/
// list-tokens/revoke-token, operation list/show/delete, warning list/show/ack/delete,
// monitor, info --resources and project info, each run beside the real CLI on the same
// daemon and configuration.
#include "cli/cli_support.hpp"
#include "integration/sandbox.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

/// The lines of `text` that contain `needle`.
std::string lines_with(const std::string& text, const std::string& needle) {
    std::istringstream in(text);
    std::string out;
    for (std::string l; std::getline(in, l);)
        if (l.find(needle) != std::string::npos) out += l + "\n";
    return out;
}

/// The first `n` lines of `text`.
std::string head(const std::string& text, int n) {
    std::istringstream in(text);
    std::string out;
    for (std::string l; n-- > 0 && std::getline(in, l);) out += l + "\n";
    return out;
}

/// A process started in the background (`cmd`: [VAR=VALUE...] PROGRAM ARGS), its output in a file.
struct background {
    pid_t pid = -1;
    fs::path out;
    background(const std::string& cmd, fs::path file) : out(std::move(file)) {
        pid = ::fork();
        if (pid == 0) {
            ::setpgid(0, 0);
            std::string full = "exec env " + cmd + " >" + out.string() + " 2>&1 </dev/null";
            ::execl("/bin/sh", "sh", "-c", full.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
    }
    std::string text() const { return cli_support::slurp(out); }
    /// SIGTERM, then its exit status (or 128+signal), waiting at most 10 s.
    int stop() {
        ::kill(pid, SIGTERM);
        auto deadline = std::chrono::steady_clock::now() + 10s;
        int st = 0;
        while (::waitpid(pid, &st, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(pid, SIGKILL);
                ::waitpid(pid, &st, 0);
                pid = -1;
                return -1;
            }
            std::this_thread::sleep_for(20ms);
        }
        pid = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    ~background() {
        if (pid > 0) stop();
    }
};

/// The event documents of a monitor's output that mention `name`: separated by blank lines
/// (yaml, json), or one per line (pretty).
std::vector<std::string> events_about(const std::string& text, const std::string& name, const std::string& sep = "\n\n") {
    std::vector<std::string> docs;
    std::size_t p = 0;
    while (p < text.size()) {
        auto end = text.find(sep, p);
        auto doc = text.substr(p, end == std::string::npos ? std::string::npos : end - p);
        if (doc.find(name) != std::string::npos) docs.push_back(doc);
        if (end == std::string::npos) break;
        p = text.find_first_not_of('\n', end);
        if (p == std::string::npos) break;
    }
    return docs;
}

struct ServerVerbs : cli_support::fixture {
    lxd::client c1 = sandbox::unix_client(1);

    void SetUp() override { make_scratch("svv"); }
    void TearDown() override {
        for (auto& op : c1.certificates().tokens()) {
            try {
                c1.certificates().revoke_token(op.id);
            } catch (const lxd::error&) {
            }
        }
        // The profiles a monitor test made, even when it stopped early.
        auto mine = "t" + std::to_string(::getpid()) + "-mon";
        for (auto& n : c1.profiles().names())
            if (n.rfind(mine, 0) == 0) c1.profiles().get(n).remove();
        sandbox::remove_leftovers(c1);
        fs::remove_all(dir);
    }
    /// Waits (at most 20 s) until `pred` holds.
    template <class P>
    static bool eventually(P pred) {
        auto deadline = std::chrono::steady_clock::now() + 20s;
        while (!pred()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(50ms);
        }
        return true;
    }
    std::string conf_env() const { return conf_var() + cli_support::quote((dir / "conf").string()) + " "; }
};


}  // namespace

TEST_P(ServerVerbs, WarningsListShowAckDeleteAsLxc) {
    // The daemons start with real warnings (AppArmor, cgroup controllers, VM support); none
    // has a project, and the remote's `project: default` must not filter them away.
    auto all = c1.warnings().all();
    ASSERT_FALSE(all.empty());
    same_as_lxc("warning list d1:");
    same_as_lxc("warning list d1: -f csv");
    same_as_lxc("warning list d1: -c ut,s");
    same_as_lxc("warning list d1: -f yaml");
    same_as_lxc("warning list d1: -c L");    // not a cluster: refused
    same_as_lxc("warning list d1: -c uq");   // an unknown column letter
    auto first = all.front().uuid;
    same_as_lxc("warning show d1:" + first);

    EXPECT_EQ(ok("warning ack d1:" + first), "");
    EXPECT_NE(sandbox::lxc("warning list d1: -a -f csv -c uS").find(first + ",ACKNOWLEDGED"), std::string::npos);
    EXPECT_EQ(ok("warning list d1: -f csv -c u").find(first), std::string::npos);   // hidden without --all
    same_as_lxc("warning list d1:");
    same_as_lxc("warning list d1: --all");
    c1.warnings().acknowledge(first, false);

    // Deleting: the daemons cannot be made to raise a new warning on demand, and every real
    // deletion uses one of the few they start with (the library's test deletes one:
    // Server.WarningsListShowAcknowledgeAndRemove), so the CLI is checked on an unknown UUID,
    // where lxc and lxdpp must give the server's refusal alike, and on its argument rules.
    same_as_lxc("warning delete d1:00000000-0000-0000-0000-000000000000");
    auto none = run("warning delete d1:");
    EXPECT_EQ(none.status, 1);
    EXPECT_EQ(none.err, "Error: give either a warning UUID or --all\n");
    EXPECT_EQ(c1.warnings().all().size(), all.size());
}

TEST_P(ServerVerbs, OperationListShowDeleteAsLxc) {
    // A long-running, cancelable operation: a certificate add token waits for its client.
    auto op = c1.certificates().create_token(sandbox::unique_name("op"));
    auto id = op.info().id;
    auto mine = [&](const std::string& text) { return lines_with(text, id); };
    auto l = lxc_run("operation list d1:"), r = run("operation list d1:");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(head(r.out, 3), head(l.out, 3));   // the header, as lxc (incus: STATE)
    EXPECT_EQ(mine(r.out), mine(l.out));
    EXPECT_NE(mine(r.out).find("| RUNNING "), std::string::npos) << r.out;   // widths follow the other rows
    EXPECT_NE(mine(r.out).find("| YES "), std::string::npos) << r.out;
    EXPECT_EQ(mine(ok("operation list d1: -f csv")), mine(lxc_run("operation list d1: -f csv").out));
    same_as_lxc("operation show d1:" + id);

    EXPECT_EQ(ok("operation delete d1:" + id), "Operation " + id + " deleted\n");
    EXPECT_NE(sandbox::lxc("operation show d1:" + id).find("status: Cancelled"), std::string::npos);
    same_as_lxc("operation delete d1:" + id);   // no longer running: the server's refusal
    same_as_lxc("operation show d1:" + id);
    same_as_lxc("operation show d1:00000000-0000-0000-0000-000000000000");
}

TEST_P(ServerVerbs, TrustTokensAreIssuedListedAndRevoked) {
    // lxc 5.0 reads `config trust add d1:` as a certificate file, so the token is issued on
    // the default remote; incus spells it `config trust add d1:NAME`.
    lxc_run("remote switch d1");
    auto name = sandbox::unique_name("tok"), other = sandbox::unique_name("tok");
    auto add = [&](const std::string& n) { return sandbox::on_incus() ? "config trust add d1:" + n : "config trust add --name " + n; };
    auto r = run(add(name));
    ASSERT_EQ(r.status, 0) << r.err;
    auto l = lxc_run(add(other));
    ASSERT_EQ(l.status, 0) << l.err;
    EXPECT_EQ(head(r.out, 1), "Client " + name + " certificate add token:\n");
    EXPECT_EQ(head(l.out, 1), "Client " + other + " certificate add token:\n");
    auto token = r.out.substr(r.out.find('\n') + 1);
    ASSERT_FALSE(token.empty());
    token.pop_back();
    auto parsed = lxd::parse_certificate_token(token);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->client_name, name);

    same_as_lxc("config trust list-tokens d1:");
    same_as_lxc("config trust list-tokens d1: -f csv");
    // The structured formats list the tokens in the server's order, which LXD keeps in a map
    // (a different order from one request to the next): compared as the same items.
    auto items = [&](const cli_support::result& res) {
        std::vector<std::string> out;
        auto parsed = json::parse(res.out);   // kept: a temporary's array would dangle in the loop
        for (auto& v : parsed.as_array()) out.push_back(json::serialize(v));
        std::sort(out.begin(), out.end());
        return out;
    };
    auto yaml_items = [&](const cli_support::result& res) {
        std::vector<std::string> out;
        std::istringstream in(res.out);
        for (std::string l; std::getline(in, l);) {
            if (l.rfind("- ", 0) == 0 || out.empty()) out.emplace_back();
            out.back() += l + "\n";
        }
        std::sort(out.begin(), out.end());
        return out;
    };
    auto lj = lxc_run("config trust list-tokens d1: -f json"), rj = run("config trust list-tokens d1: -f json");
    EXPECT_EQ(rj.status, 0) << rj.err;
    EXPECT_EQ(items(rj), items(lj));
    auto ly = lxc_run("config trust list-tokens d1: -f yaml"), ry = run("config trust list-tokens d1: -f yaml");
    EXPECT_EQ(ry.status, 0) << ry.err;
    EXPECT_EQ(yaml_items(ry), yaml_items(ly));

    EXPECT_EQ(ok("config trust revoke-token d1:" + name), "Certificate add token for " + name + " deleted\n");
    same_as_lxc("config trust revoke-token d1:" + name);   // gone: the same refusal
    EXPECT_EQ(sandbox::lxc("config trust list-tokens d1: -f csv").find(name), std::string::npos);
    // A revoked token is refused: by the library, and by `remote add` on a fresh client.
    auto stranger = sandbox::untrusted_https_client(1);
    try {
        stranger.authenticate(token);
        ADD_FAILURE() << "a revoked token was accepted";
    } catch (const lxd::error& e) {
        EXPECT_EQ(e.code_value(), lxd::errc::forbidden) << e.what();
    }
    EXPECT_FALSE(stranger.trusted());
    auto fresh = (dir / "fresh").string();
    auto refused = run("remote add x " + token, "", fresh);
    EXPECT_EQ(refused.status, 1);
    EXPECT_EQ(refused.out.find(parsed->secret), std::string::npos);
    EXPECT_EQ(refused.err.find(parsed->secret), std::string::npos);

    // lxc's own token, still pending, makes the fresh client trusted.
    auto other_token = l.out.substr(l.out.find('\n') + 1);
    other_token.pop_back();
    auto added = run("remote add x " + other_token, "", fresh);
    ASSERT_EQ(added.status, 0) << added.err;
    EXPECT_EQ(run("config trust list-tokens d1: -f csv").out.find(other), std::string::npos);   // used up
    auto fp = lxd::certificate_fingerprint(cli_support::slurp(fs::path(fresh) / "client.crt"));
    EXPECT_NE(sandbox::lxc("config trust list d1: -f csv").find(fp.substr(0, 12)), std::string::npos);
    EXPECT_EQ(run("query x:/1.0/instances", "", fresh).status, 0);

    // Removing its certificate takes the access away.
    EXPECT_EQ(ok("config trust remove d1:" + fp), "");
    EXPECT_EQ(sandbox::lxc("config trust list d1: -f csv").find(fp.substr(0, 12)), std::string::npos);
    auto lost = run("query x:/1.0/instances", "", fresh);
    EXPECT_EQ(lost.status, 1) << lost.out;
    same_as_lxc("config trust remove d1:" + fp);   // gone: the server's message
}

// lxc's `config trust add [REMOTE:] CERT` (incus has `add-certificate` for that).
// lxc 5.0: `config trust add [REMOTE:] CERT`; incus 6: `config trust add-certificate` (its
// `add` issues a token), which also takes a description.
TEST_P(ServerVerbs, TrustAddsACertificateFile) {
    auto pair = lxd::generate_client_certificate("lxdpp-cli-trust");
    auto fp = lxd::certificate_fingerprint(pair.cert_pem);
    std::ofstream(dir / "probe.crt") << pair.cert_pem;
    auto path = (dir / "probe.crt").string();
    const std::string verb = sandbox::on_incus() ? "config trust add-certificate d1: " : "config trust add d1: ";
    const std::string described = sandbox::on_incus() ? " --description 'made by lxdpp'" : "";
    EXPECT_EQ(ok(verb + path + " --name cli-probe --restricted --projects default" + described), "");
    auto shown = sandbox::lxc("config trust show d1:" + fp);
    EXPECT_NE(shown.find("name: cli-probe\n"), std::string::npos) << shown;
    EXPECT_NE(shown.find("restricted: true\n"), std::string::npos) << shown;
    EXPECT_NE(shown.find("projects:\n- default\n"), std::string::npos) << shown;
    if (sandbox::on_incus()) EXPECT_NE(shown.find("description: made by lxdpp\n"), std::string::npos) << shown;
    same_as_lxc(verb + path);   // already trusted: the server's refusal
    EXPECT_EQ(ok("config trust remove d1:" + fp), "");
    EXPECT_EQ(c1.certificates().exists(fp), false);
}

TEST_P(ServerVerbs, MonitorPrintsEventsAsLxc) {
    // pretty: lifecycle events as lxc's log lines (time, level, msg, then the context sorted).
    for (std::string format : {"yaml", "json", "pretty"}) {
        SCOPED_TRACE(format);
        const std::string sep = format == "pretty" ? "\n" : "\n\n";
        auto args = " monitor d1: --type lifecycle --format " + format;
        background mine(conf_env() + lxdpp_path() + args, dir / ("mine-" + format));
        background theirs(conf_env() + sandbox::cli_name() + args, dir / ("theirs-" + format));
        // Both are listening once both have seen a marker profile's creation.
        auto marker = sandbox::unique_name("mon");
        std::vector<std::string> made;
        ASSERT_TRUE(eventually([&] {
            auto n = marker + "-" + std::to_string(made.size());
            c1.profiles().create({.name = n});
            made.push_back(n);
            std::this_thread::sleep_for(100ms);
            return mine.text().find(n) != std::string::npos && theirs.text().find(n) != std::string::npos;
        }));
        for (auto& n : made) c1.profiles().get(n).remove();
        auto target = sandbox::unique_name("mon");
        c1.profiles().create({.name = target});
        c1.profiles().get(target).remove();
        ASSERT_TRUE(eventually([&] {
            return events_about(mine.text(), target, sep).size() == 2 && events_about(theirs.text(), target, sep).size() == 2;
        }));
        EXPECT_EQ(events_about(mine.text(), target, sep), events_about(theirs.text(), target, sep));
        auto text = mine.text();
        EXPECT_EQ(text.substr(text.size() - sep.size()), sep);   // yaml/json: each event then a blank line, as lxc
        EXPECT_EQ(mine.stop(), 143);   // SIGTERM: a clean end, 128 + 15
        theirs.stop();
    }
}

// incus 6.0 prints more sections (System, Load, USB and PCI devices) and its CPU heading
// differently: lxdpp run as `incus` prints those too.
TEST_P(ServerVerbs, InfoResourcesAsLxc) {
    auto l = lxc_run("info d1: --resources");
    auto r = run("info d1: --resources");
    ASSERT_EQ(r.status, 0) << r.err;
    // Free and used memory change from one read to the next; every other line is the same.
    auto steady = [](const std::string& text) {
        std::istringstream in(text);
        std::string out;
        for (std::string line; std::getline(in, line);)
            out += line.rfind("  Free: ", 0) == 0 || line.rfind("  Used: ", 0) == 0 || line.rfind("  Processes: ", 0) == 0 ||
                           line.rfind("  Average: ", 0) == 0
                       ? "  (amount)\n"
                       : line + "\n";
        return out;
    };
    EXPECT_EQ(steady(r.out), steady(l.out));
    EXPECT_NE(r.out.find("\nMemory:\n"), std::string::npos);
    if (sandbox::on_incus()) {
        EXPECT_EQ(r.out.rfind("System:\n", 0), 0u) << r.out;
        EXPECT_NE(r.out.find("\nLoad:\n  Processes: "), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("\nPCI devices:\n  Device 0:\n    Address: "), std::string::npos) << r.out;
    } else {
        EXPECT_EQ(r.out.rfind("CPU (", 0), 0u) << r.out;
    }
    auto bad = run("info d1:nope --resources");
    EXPECT_EQ(bad.status, 1);
}

TEST_P(ServerVerbs, ProjectInfoAsLxc) {
    auto name = sandbox::unique_name("pinfo");
    c1.projects().create({.name = name, .config = {{"limits.memory", "1GiB"}, {"limits.disk", "3000MB"}, {"limits.cpu", "2"},
                                                   {"limits.instances", "5"}}});
    for (auto f : {"", " -f csv", " -f yaml", " -f json", " -f compact"}) same_as_lxc("project info d1:" + name + f);
    same_as_lxc("project info d1:default");
    same_as_lxc("project info d1:" + sandbox::unique_name("none"));   // the server's message
    c1.projects().get(name).remove();
}

LXDPP_BOTH_SERVERS(ServerVerbs);
