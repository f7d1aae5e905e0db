#include "sandbox.hpp"

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace sandbox {

namespace {
server current_server = server::lxd;
std::string var(const std::string& lxd_name) {
    // LXDPP_TEST_SOCKET_1 -> LXDPP_TEST_INCUS_SOCKET_1
    if (current_server == server::lxd) return lxd_name;
    return "LXDPP_TEST_INCUS_" + lxd_name.substr(std::string("LXDPP_TEST_").size());
}
}  // namespace

const char* name_of(server s) { return s == server::incus ? "incus" : "lxd"; }
server current() { return current_server; }
void use(server s) { current_server = s; }
::testing::internal::ParamGenerator<server> both_servers() { return ::testing::Values(server::lxd, server::incus); }
std::string param_name(const ::testing::TestParamInfo<server>& info) { return name_of(info.param); }
std::string server_version() { return on_incus() ? "6.0.4" : "5.0.2"; }
const char* cli_name() { return on_incus() ? "incus" : "lxc"; }

std::string env(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    if (!v || !*v) {
        ADD_FAILURE() << name << " is not set: run the integration tests through scripts/test "
                      << "(or source the env file of scripts/sandbox start)";
        throw std::runtime_error(name + " not set");
    }
    return v;
}

std::string socket(int k) { return env(var("LXDPP_TEST_SOCKET_" + std::to_string(k))); }
std::string https_url(int k) { return "https://" + env(var("LXDPP_TEST_HTTPS_" + std::to_string(k))); }
std::string server_cert(int k) { return lxd::read_text_file(env(var("LXDPP_TEST_CERT_" + std::to_string(k)))); }
std::string password() { return env("LXDPP_TEST_PASSWORD"); }
std::string cli_conf() { return env(on_incus() ? "LXDPP_TEST_INCUS_CONF" : "LXDPP_TEST_LXC_CONF"); }

std::string trust_secret(int k) {
    if (!on_incus()) return password();
    auto op = unix_client(k).create_certificate_token(unique_name("token"));
    return lxd::client::token_from_operation(op.info());
}
std::string image() { return env("LXDPP_TEST_IMAGE"); }

lxd::client unix_client(int k) { return lxd::client::connect_unix(socket(k)); }

lxd::client untrusted_https_client(int k, lxd::certificate_pair* cert_out) {
    auto pair = lxd::generate_client_certificate("lxdpp-test");
    lxd::tls_options tls;
    tls.client_cert_pem = pair.cert_pem;
    tls.client_key_pem = pair.key_pem;
    tls.server_cert_pem = server_cert(k);
    if (cert_out) *cert_out = pair;
    return lxd::client::connect_https(https_url(k), tls);
}

lxd::client trusted_https_client(int k) {
    auto c = untrusted_https_client(k);
    c.authenticate(trust_secret(k), "lxdpp-test");
    return c;
}

std::string unique_name(const std::string& prefix) {
    static std::atomic<int> n{0};
    return "t" + std::to_string(getpid()) + "-" + prefix + std::to_string(n++);
}

std::string lxc(const std::string& args, bool allow_failure, int* status_out) {
    std::string cmd = std::string(on_incus() ? "INCUS_CONF=" : "LXD_CONF=") + cli_conf() + " timeout 120 " +
                      cli_name() + " " + args + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) throw std::runtime_error("popen failed");
    std::string out;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int st = pclose(p);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    if (status_out) *status_out = code;
    if (code != 0 && !allow_failure) ADD_FAILURE() << cli_name() << " " << args << " exited " << code << ": " << out;
    return out;
}

lxd::instance make_container(lxd::client& c, const std::string& name, bool start) {
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.source = lxd::instance_source::image_alias(image());
    cfg.start = start;
    c.containers().create(cfg).wait(std::chrono::minutes(2));
    return c.containers().get(name);
}

void remove_leftovers(lxd::client& c) {
    std::string prefix = "t" + std::to_string(getpid()) + "-";
    for (auto& name : c.instances().names()) {
        if (name.rfind(prefix, 0) != 0) continue;
        try {
            c.instances().get(name).remove(true).wait(std::chrono::minutes(2));
        } catch (const lxd::error&) {
        }
    }
    // Images a test left behind: those with one of this process's aliases.
    for (auto& img : c.images().all()) {
        bool ours = false;
        for (auto& a : img.aliases()) ours = ours || a.name.rfind(prefix, 0) == 0;
        if (!ours) continue;
        try {
            img.remove().wait(std::chrono::minutes(1));
        } catch (const lxd::error&) {
        }
    }
}

}  // namespace sandbox
