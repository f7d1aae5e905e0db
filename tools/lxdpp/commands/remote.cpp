// tools/lxdpp/commands/remote.cpp — `lxdpp remote add|list|remove|switch|get-default`,
// on lxc's own config.yml.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <termios.h>
#include <unistd.h>

#include "commands.hpp"

namespace lxdpp_cli {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

/// Whether an argument that is not a URL looks like a certificate add token (base64 with no
/// dots): such text may hold a secret and is never echoed back.
bool token_like(const std::string& s) {
    if (s.size() < 32 || s.find('.') != std::string::npos) return false;
    return s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-") == std::string::npos;
}

/// As lxc: the fingerprint asked about on stdout, answered on stdin (a terminal or a pipe:
/// `echo y | ...`).
void confirm_certificate(const std::string& fp) {
    std::cout << "Certificate fingerprint: " << fp << "\nok (y/n/[fingerprint])? " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer))
        throw usage_error("the server's certificate (fingerprint " + fp + ") must be accepted: use --accept-certificate");
    while (!answer.empty() && (answer.back() == '\r' || answer.back() == ' ')) answer.pop_back();
    if (answer != "y" && answer != "Y" && answer != "yes" && answer != fp) throw usage_error("Server certificate NACKed by user");
}

/// The trust password (or token), read from the terminal without echo.
std::string ask_secret(const std::string& name) {
    if (!::isatty(0)) throw usage_error("the server does not trust this client: give --password or --token");
    std::cerr << "Admin password (or token) for " << name << ": ";
    termios t{}, quiet{};
    ::tcgetattr(0, &t);
    quiet = t;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(0, TCSANOW, &quiet);
    std::string secret;
    std::getline(std::cin, secret);
    ::tcsetattr(0, TCSANOW, &t);
    std::cerr << "\n";
    return secret;
}

void write_file(const std::string& path, const std::string& text) {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f) throw usage_error("cannot write " + path);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
}

}  // namespace

void remote_command::add(CLI::App& app) {
    auto* remote = app.add_subcommand("remote", "Manage remotes (shared with lxc)");
    remote->require_subcommand(1);
    auto* radd = remote->add_subcommand("add", "NAME URL");
    radd->add_option("name", name_)->required();
    radd->add_option("url", url_, "URL, or a certificate add token")->required();
    radd->add_option("--password", password_, "Trust password");
    radd->add_option("--token", token_, "Certificate add token (lxdpp only; lxc takes it in place of the URL)");
    radd->add_flag("--accept-certificate", accept_, "Accept the server's certificate without asking");
    radd->add_option("--project", project_, "Project to use");
    radd->add_option("--protocol", protocol_, "lxd or simplestreams");
    radd->add_option("--auth-type", auth_type_, "tls (candid: not supported by lxdpp)");
    radd->add_flag("--public", is_public_, "Public image server: no trust needed");
    unsupported_option(radd, "--domain");
    radd->callback([this] { add_remote(); });
    auto* rlist = remote->add_subcommand("list", "List remotes")->alias("ls");
    rlist->add_option("-f,--format", format_);
    rlist->callback([this] { list(); });
    auto* rremove = remote->add_subcommand("remove", "NAME")->alias("rm");
    rremove->add_option("name", name_)->required();
    rremove->callback([this] {
        ctx_.cfg.remove(name_);
        ctx_.cfg.save();
    });
    auto* rswitch = remote->add_subcommand("switch", "NAME: make it the default")->alias("set-default");
    rswitch->add_option("name", name_)->required();
    rswitch->callback([this] {
        ctx_.cfg.set_default(name_);
        ctx_.cfg.save();
    });
    auto* rdefault = remote->add_subcommand("get-default", "Print the default remote");
    rdefault->callback([this] { std::cout << ctx_.cfg.default_remote() << "\n"; });
}

void remote_command::add_remote() {
    const auto& name = name_;
    std::string url = url_;
    // The server protocol as each CLI names it: lxc's "lxd", incus's "incus".
    const std::string native = ctx_.cfg.is_incus() ? "incus" : "lxd";
    std::string protocol = protocol_.empty() ? native : protocol_;
    if (protocol != native && protocol != "simplestreams") throw usage_error("Invalid protocol: " + protocol);
    if (!auth_type_.empty() && auth_type_ != "tls") throw usage_error("not supported by lxdpp: --auth-type " + auth_type_);
    if (ctx_.cfg.has(name)) throw usage_error("Remote " + name + " exists as <" + ctx_.cfg.get(name).addr + ">");
    // `remote add NAME TOKEN`, as lxc: the token names the server's addresses and certificate.
    std::string token_fp;
    std::string secret_token = token_;
    if (url.find("://") == std::string::npos) {
        if (auto t = lxd::parse_certificate_token(url)) {
            if (t->addresses.empty()) throw usage_error("the token names no server address");
            secret_token = url;
            token_fp = t->fingerprint;
            url = "https://" + t->addresses.front();
        } else if (token_like(url)) {
            throw usage_error("the argument is neither an address nor a valid certificate add token (not shown: it may hold a secret)");
        }
    }
    if (name.empty() || name.find_first_of(":/ ") != std::string::npos) throw usage_error("bad remote name \"" + name + "\"");
    remote r;
    r.name = name;
    r.protocol = protocol;
    r.project = project_;
    r.is_public = is_public_;
    if (url.rfind("/", 0) == 0) url = "unix://" + url;   // a socket path, as lxc
    if (url.rfind("unix:", 0) == 0) {
        r.addr = url;
        r.auth_type = "tls";   // as lxc records an added socket
        ctx_.cfg.add(r);
        ctx_.cfg.save();
        return;
    }
    if (url.find("://") == std::string::npos) url = "https://" + url;
    if (url.rfind("https://", 0) != 0) throw usage_error("only https:// and unix: remotes are supported");
    auto after = url.substr(8);
    if (after.find(':') == std::string::npos) url += ":8443";
    r.addr = url;
    r.auth_type = "tls";
    if (r.protocol == "simplestreams") {
        r.is_public = true;
        ctx_.cfg.add(r);
        ctx_.cfg.save();
        return;
    }
    add_https(r, url, token_fp, secret_token);
}

/// An HTTPS remote: its certificate accepted (by the token, the flag or the user), this
/// client trusted (by the token or password), the certificate pinned, the remote saved.
void remote_command::add_https(remote r, const std::string& url, const std::string& token_fp, const std::string& secret_token) {
    auto cert = lxd::fetch_server_certificate(url);
    auto fp = lxd::certificate_fingerprint(cert);
    bool accept = accept_;
    if (!token_fp.empty()) {
        // The token vouches for the certificate: accept it only if it is the one named.
        if (token_fp != fp) throw usage_error("the server's certificate (" + fp + ") is not the one the token names");
        accept = true;
    }
    if (!accept) confirm_certificate(fp);
    ctx_.cfg.ensure_client_certificate();
    lxd::tls_options tls = lxd::tls_options::from_files(ctx_.cfg.client_cert_path(), ctx_.cfg.client_key_path());
    tls.server_cert_pem = cert;
    lxd::client_options o;
    o.timeout = ctx_.timeout;
    auto c = lxd::client::connect_https(url, tls, o);
    if (!is_public_ && !c.trusted()) {
        std::string secret = !secret_token.empty() ? secret_token : password_;
        if (secret.empty()) secret = ask_secret(r.name);
        c.authenticate(secret, "lxdpp");
        if (!c.trusted()) throw usage_error("the server did not trust this client after authentication");
    }
    fs::create_directories(ctx_.cfg.dir() + "/servercerts");
    write_file(ctx_.cfg.server_cert_path(r.name), cert);
    ctx_.cfg.add(r);
    ctx_.cfg.save();
    if (!ctx_.quiet) std::cerr << "Client certificate now trusted by server: " << r.name << "\n";
}

void remote_command::list() {
    listing out{{{"NAME", "URL", "PROTOCOL", "AUTH TYPE", "PUBLIC", "STATIC", "GLOBAL"}, {}}, json::object()};
    auto& obj = out.items.as_object();
    const bool incus = ctx_.cfg.is_incus();
    for (auto [name, r] : ctx_.cfg.remotes()) {
        // incus fills in "tls" for a private HTTPS remote whose config.yml entry has no auth_type.
        if (incus && r.auth_type.empty() && !r.is_public && r.addr.rfind("https://", 0) == 0) r.auth_type = "tls";
        auto auth = !r.auth_type.empty() ? r.auth_type : r.is_unix() ? "file access" : r.protocol == "simplestreams" ? "none" : "tls";
        out.add_row({name + (name == ctx_.cfg.default_remote() ? " (current)" : ""), r.addr, r.protocol.empty() ? (incus ? "incus" : "lxd") : r.protocol,
                                 auth, r.is_public ? "YES" : "NO", r.is_static ? "YES" : "NO", "NO"});
        if (format_ == "yaml") {
            // lxc's config.yml form: empty fields left out.
            json::object y{{"addr", r.addr}};
            if (!r.auth_type.empty()) y["auth_type"] = r.auth_type;
            if (!r.project.empty()) y["project"] = r.project;
            if (!r.protocol.empty()) y["protocol"] = r.protocol;
            y["public"] = r.is_public;
            obj[name] = y;
        } else {
            // Go's struct, encoded: lxc 5.0 has a Domain field where incus 6 has KeepAlive.
            json::object o{{"Addr", r.addr}, {"AuthType", r.auth_type}};
            if (incus)
                o["KeepAlive"] = 0;
            else
                o["Domain"] = "";
            o["Project"] = r.project;
            o["Protocol"] = r.protocol;
            o["Public"] = r.is_public;
            o["Global"] = false;
            o["Static"] = r.is_static;
            obj[name] = std::move(o);
        }
    }
    out.print(std::cout, format_);
}

}  // namespace lxdpp_cli
