// The CLI's verbs about the server itself (config on the server, config trust, operation,
// warning, query, monitor) as a process against the sandbox daemons; lxc (or incus)
// confirms each effect, and prints the same where lxdpp promises lxc's output.
#include "cli/cli_support.hpp"
#include "integration/sandbox.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

struct CliServer : cli_support::fixture {
    lxd::client c1 = sandbox::unix_client(1);

    void SetUp() override { make_scratch("clis"); }
    void TearDown() override {
        auto s = c1.server();
        if (s.config().count("images.remote_cache_expiry")) s.unset("images.remote_cache_expiry").save();
        sandbox::remove_leftovers(c1);
        fs::remove_all(dir);
    }
    static std::vector<std::string> sorted_lines(const std::string& text) {
        std::vector<std::string> lines;
        std::istringstream in(text);
        for (std::string l; std::getline(in, l);) lines.push_back(l);
        std::sort(lines.begin(), lines.end());
        return lines;
    }
    void same_lines_as_lxc(const std::string& args) {
        auto l = lxc_run(args);
        auto r = run(args);
        EXPECT_EQ(r.status, l.status) << args << "\nlxdpp: " << r.err << "\nlxc: " << l.err;
        EXPECT_EQ(sorted_lines(r.out), sorted_lines(l.out)) << args;
        EXPECT_EQ(r.err, l.err) << args;
    }
};


}  // namespace

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

TEST_P(CliServer, QueryPrintsAsLxc) {
    same_as_lxc("query d1:/1.0/profiles");              // an array, then a blank line
    same_as_lxc("query d1:/1.0/profiles/default");      // an object
    same_as_lxc("query d1:/1.0/instances?recursion=0");
    same_as_lxc("query d1:/1.0/nope");                  // the server's error, exit 1
    auto r = run("query d1:1.0");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
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


// lxc's trust table; incus prints other columns (and lxdpp, lxc's), so LXD only.
TEST_P(CliServerLxdOnly, TrustListAndShowAsLxc) {
    // LXD lists certificates in a different order on each request, and lxc sorts the table
    // by name only (unstably): among entries with the same name its order is random, so the
    // outputs are compared as the same lines (the same rows, widths and fields), each sorted.
    same_lines_as_lxc("config trust list d1:");
    same_lines_as_lxc("config trust list d1: -f yaml");
    auto fp = c1.certificates().fingerprints().front();
    same_as_lxc("config trust show d1:" + fp);
}





LXDPP_BOTH_SERVERS(CliServer);
INSTANTIATE_TEST_SUITE_P(, CliServerLxdOnly, ::testing::Values(sandbox::server::lxd), ::sandbox::param_name);
