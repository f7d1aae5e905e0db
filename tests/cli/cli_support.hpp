// tests/cli/cli_support.hpp — what the CLI suites share: lxdpp and lxc (or incus) run as
// processes on one scratch configuration, and their answers compared.
#pragma once

#include "integration/sandbox.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <sys/wait.h>

namespace cli_support {

namespace fs = std::filesystem;

struct result {
    int status = -1;
    std::string out, err;
};

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// `s` as one shell word.
inline std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

/// The base of the CLI fixtures: a scratch directory holding a copy of the sandbox's client
/// configuration (lxc's, or incus's) and a link `incus` to lxdpp, so that lxdpp reads the
/// configuration the server's own CLI reads.
struct fixture : sandbox::server_test {
    fs::path dir;   // scratch: the configuration copy, outputs, files

    /// Creates the scratch directory /tmp/<unique prefix name>.
    void make_scratch(const std::string& prefix) {
        dir = fs::path("/tmp") / sandbox::unique_name(prefix);
        fs::create_directories(dir / "bin");
        fs::copy(sandbox::cli_conf(), dir / "conf", fs::copy_options::recursive);
        fs::create_symlink(LXDPP_CLI_PATH, dir / "bin" / "incus");
    }
    /// lxdpp as the test runs it: itself (lxc's configuration) or the link `incus`.
    std::string lxdpp_path() const { return sandbox::on_incus() ? (dir / "bin" / "incus").string() : LXDPP_CLI_PATH; }
    /// The variable naming the client configuration: LXD_CONF= or INCUS_CONF=.
    static std::string conf_var() { return sandbox::on_incus() ? "INCUS_CONF=" : "LXD_CONF="; }

    /// Runs `tool ARGS` (ARGS already shell-quoted where needed) with stdin from `input` and
    /// the scratch configuration (or `conf`), for at most 120 s.
    result run_tool(const std::string& tool, const std::string& args, const std::string& input = "",
                    const std::string& conf = "") {
        std::ofstream(dir / "in", std::ios::binary) << input;
        std::string cmd = conf_var() + quote(conf.empty() ? (dir / "conf").string() : conf) + " timeout 120 " + tool + " " +
                          args + " <" + (dir / "in").string() + " >" + (dir / "out").string() + " 2>" +
                          (dir / "err").string();
        int rc = std::system(cmd.c_str());
        return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(dir / "out"), slurp(dir / "err")};
    }
    result run(const std::string& args, const std::string& input = "", const std::string& conf = "") {
        return run_tool(lxdpp_path(), args, input, conf);
    }
    /// The same command line given to lxc (or incus), with the same configuration.
    result lxc_run(const std::string& args, const std::string& input = "", const std::string& conf = "") {
        return run_tool(sandbox::cli_name(), args, input, conf);
    }
    /// lxc (or incus) with this test's configuration; requires success.
    std::string lxc_ok(const std::string& args) {
        auto r = lxc_run(args);
        EXPECT_EQ(r.status, 0) << sandbox::cli_name() << " " << args << "\n" << r.err;
        return r.out;
    }
    /// Runs lxdpp and requires exit status 0.
    std::string ok(const std::string& args, const std::string& input = "") {
        auto r = run(args, input);
        EXPECT_EQ(r.status, 0) << "lxdpp " << args << "\n" << r.err;
        return r.out;
    }
    /// Requires lxdpp and lxc to give the same exit status and the same stdout and stderr.
    void same_as_lxc(const std::string& args, const std::string& input = "") {
        auto l = lxc_run(args, input);
        auto r = run(args, input);
        EXPECT_EQ(r.status, l.status) << args << "\nlxdpp: " << r.err << "\nlxc: " << l.err;
        EXPECT_EQ(r.out, l.out) << args;
        EXPECT_EQ(r.err, l.err) << args;
    }
};

}  // namespace cli_support
