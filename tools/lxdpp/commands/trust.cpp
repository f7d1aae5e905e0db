// tools/lxdpp/commands/trust.cpp — `lxdpp config trust list|add|remove|list-tokens|
// revoke-token|show`: the server's trust store, as lxc prints it.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include <unistd.h>

#include "editor.hpp"
#include "server_commands.hpp"

namespace lxdpp_cli {

namespace json = boost::json;

namespace {

constexpr const char* trust_time = "%b %-d, %Y at %-I:%M%P (%Z)";

/// The token operation's client name: metadata.client_name (Incus) or metadata.request.name
/// (LXD 5.0).
std::string token_name(const lxd::api::operation_info& op) {
    auto m = parse_raw(op.metadata_json);
    if (!m.is_object()) return {};
    if (auto* n = m.as_object().if_contains("client_name"); n && n->is_string()) return std::string(n->get_string());
    if (auto* rq = m.as_object().if_contains("request"); rq && rq->is_object())
        if (auto* n = rq->as_object().if_contains("name"); n && n->is_string()) return std::string(n->get_string());
    return {};
}

std::string token_expiry(const lxd::api::operation_info& op) {
    auto m = parse_raw(op.metadata_json);
    if (auto* e = m.is_object() ? m.as_object().if_contains("expires_at") : nullptr; e && e->is_string())
        return local_time(std::string(e->get_string()), "%Y/%m/%d %H:%M %Z");
    return {};
}

/// Standard base64 (a token is base64 of its JSON); "" when it is not.
std::string base64_decode(const std::string& in) {
    std::string out;
    unsigned bits = 0;
    int n = 0;
    for (char ch : in) {
        if (ch == '=') break;
        auto p = std::string_view("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/").find(ch);
        if (p == std::string_view::npos) return {};
        bits = (bits << 6) | static_cast<unsigned>(p);
        if ((n += 6) >= 8) out += static_cast<char>((bits >> (n -= 8)) & 0xff);
    }
    return out;
}

/// A pending token as `list-tokens -f json|yaml` shows it: lxc 5.0 its own row struct
/// (JSON field names capitalised, YAML lowercased as yaml.v2 does), incus the token's JSON.
json::value token_item(const std::string& name, const std::string& token, const std::string& expiry, bool incus,
                       const std::string& format) {
    if (incus) return parse_raw(base64_decode(token));
    if (format == "yaml") return json::object{{"clientname", name}, {"token", token}, {"expiresat", expiry}};
    return json::object{{"ClientName", name}, {"Token", token}, {"ExpiresAt", expiry}};
}

}  // namespace

void trust_command::add(CLI::App& app) {
    auto* config = app.get_subcommand("config");
    auto* trust = config->add_subcommand("trust", "Manage trusted clients");
    trust->require_subcommand(1);
    auto* tlist = trust->add_subcommand("list", "[REMOTE:]")->alias("ls");
    tlist->add_option("remote", args_, "REMOTE:");
    tlist->add_option("-f,--format", format_, "csv|json|table|yaml|compact");
    tlist->callback([this] { list(); });
    auto* tadd = trust->add_subcommand("add", "[REMOTE:] [CERT]: trust a certificate, or issue a token without one");
    tadd->add_option("args", args_, "[REMOTE:] [CERT]");
    tadd->add_option("--name", name_, "Alternative certificate name");
    tadd->add_option("--projects", projects_, "List of projects to restrict the certificate to");
    tadd->add_flag("--restricted", restricted_, "Restrict the certificate to one or more projects");
    tadd->add_option("--type", type_, "Type of certificate (client or metrics)");
    tadd->callback([this] { add_trust(); });
    // incus 6's spelling of lxc's `config trust add [REMOTE:] CERT`.
    auto* tcert = trust->add_subcommand("add-certificate", "[REMOTE:] CERT: trust a certificate file");
    tcert->add_option("args", args_, "[REMOTE:] CERT");
    tcert->add_option("--description", description_, "Certificate description");
    tcert->add_option("--name", name_, "Alternative certificate name");
    tcert->add_option("--projects", projects_, "List of projects to restrict the certificate to");
    tcert->add_flag("--restricted", restricted_, "Restrict the certificate to one or more projects");
    tcert->add_option("--type", type_, "Type of certificate (client or metrics)");
    tcert->callback([this] { add_certificate(); });
    auto* tremove = trust->add_subcommand("remove", "[REMOTE:]FINGERPRINT")->alias("rm");
    tremove->add_option("fingerprint", args_)->required();
    tremove->callback([this] { remove(); });
    auto* ttokens = trust->add_subcommand("list-tokens", "[REMOTE:]");
    ttokens->add_option("remote", args_, "REMOTE:");
    ttokens->add_option("-f,--format", format_, "csv|json|table|yaml|compact");
    ttokens->callback([this] { list_tokens(); });
    auto* trevoke = trust->add_subcommand("revoke-token", "[REMOTE:]NAME");
    trevoke->add_option("args", args_, "[REMOTE:]NAME")->required();
    trevoke->callback([this] { revoke_token(); });
    auto* tshow = trust->add_subcommand("show", "[REMOTE:]FINGERPRINT");
    tshow->add_option("fingerprint", args_)->required();
    tshow->callback([this] { show(); });
    auto* tedit = trust->add_subcommand("edit", "[REMOTE:]FINGERPRINT: as YAML in $EDITOR, or from stdin");
    tedit->add_option("fingerprint", args_)->required();
    tedit->callback([this] { edit(); });
}

void trust_command::list() {
    if (args_.size() > 1) throw usage_error("usage: lxdpp config trust list [REMOTE:]");
    auto c = ctx_.connect(ctx_.remote_arg_name(args_.empty() ? "" : args_[0]));
    listing out{{{"TYPE", "NAME", "COMMON NAME", "FINGERPRINT", "ISSUE DATE", "EXPIRY DATE"}, {}}, json::array()};
    for (auto& cert : c.certificates().all()) {
        lxd::certificate_details d;
        try { d = lxd::describe_certificate(cert.pem()); } catch (const lxd::error&) {}   // shown without its details
        out.add_row({cert.type(), cert.name(), d.common_name, cert.fingerprint().substr(0, 12), local_time(d.not_before, trust_time),
                     local_time(d.not_after, trust_time)});
        out.add_item(parse_raw(cert.data().raw_json));
    }
    std::sort(out.rows.rows.begin(), out.rows.rows.end());   // as lxc: by the cells, left to right
    out.print(std::cout, format_);
}

void trust_command::add_trust() {
    if (ctx_.cfg.is_incus()) {   // incus: `config trust add [REMOTE:]NAME` issues a token
        if (args_.size() != 1) throw usage_error("Invalid number of arguments");
        auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
        if (name.empty()) throw usage_error("Client name cannot be empty");
        return print_token(ctx_.connect(remote), name);
    }
    // lxc's forms: [REMOTE:] [CERT]; one argument ending in ':' is a remote.
    if (args_.size() > 2) throw usage_error("usage: lxdpp config trust add [REMOTE:] [CERT]");
    std::string remote_arg, cert_path;
    if (args_.size() == 2) remote_arg = args_[0], cert_path = args_[1];
    else if (args_.size() == 1 && !args_[0].empty() && args_[0].back() == ':') remote_arg = args_[0];
    else if (args_.size() == 1) cert_path = args_[0];
    auto c = ctx_.connect(ctx_.remote_arg_name(remote_arg));
    if (!cert_path.empty()) return trust_file(c, cert_path);
    if (type_ != "client") throw usage_error("Only client certificates can be added through tokens");
    std::string name = name_;
    if (name.empty()) {
        if (!::isatty(0)) throw usage_error("a client name is required: --name NAME");
        std::cout << "Please provide client name: " << std::flush;
        std::getline(std::cin, name);
        if (name.empty()) throw usage_error("Client name cannot be empty");
    }
    print_token(c, name);
}

void trust_command::add_certificate() {
    // [REMOTE:] CERT, as incus 6 reads it.
    if (args_.empty() || args_.size() > 2) throw usage_error("Invalid number of arguments");
    auto c = ctx_.connect(ctx_.remote_arg_name(args_.size() == 2 ? args_[0] : ""));
    trust_file(c, args_.back());
}

void trust_command::trust_file(const lxd::client& c, const std::string& cert_path) {
    lxd::certificate_add a;
    for (std::size_t p = 0; !projects_.empty() && p != std::string::npos;) {
        auto comma = projects_.find(',', p);
        a.projects.push_back(projects_.substr(p, comma == std::string::npos ? comma : comma - p));
        p = comma == std::string::npos ? comma : comma + 1;
    }
    a.pem = lxd::read_text_file(cert_path);
    a.name = name_.empty() ? std::filesystem::path(cert_path).filename().string() : name_;
    a.type = type_;
    a.restricted = restricted_;
    a.description = description_;
    c.certificates().add(a);
}

void trust_command::print_token(const lxd::client& c, const std::string& name) {
    // The one place lxdpp prints a secret: the token it has just made, as lxc does.
    auto op = c.certificates().create_token(name);
    std::cout << "Client " << printable(name) << " certificate add token:\n" << lxd::client::token_from_operation(op.info()) << "\n";
}

void trust_command::remove() {
    auto [remote, fp] = split_remote(ctx_.cfg, args_.at(0));
    ctx_.connect(remote).certificates().get(fp).remove();
}

void trust_command::list_tokens() {
    if (args_.size() > 1) throw usage_error("usage: lxdpp config trust list-tokens [REMOTE:]");
    auto c = ctx_.connect(ctx_.remote_arg_name(args_.empty() ? "" : args_[0]));
    listing out{{{"NAME", "TOKEN", "EXPIRES AT"}, {}}, json::array()};
    for (auto& op : c.certificates().tokens()) {
        auto token = lxd::client::token_from_operation(op);
        auto name = token_name(op), expiry = token_expiry(op);
        if (expiry.empty() && ctx_.cfg.is_incus()) expiry = " ";   // incus's cell for "never"
        out.add_row({name, token, expiry});
        out.add_item(token_item(name, token, expiry, ctx_.cfg.is_incus(), format_));
    }
    sort_naturally(out.rows.rows);
    out.print(std::cout, format_);
}

void trust_command::revoke_token() {
    // lxc 5.0 and incus take one argument, [REMOTE:]NAME (their usage line shows two).
    if (args_.size() != 1) throw usage_error("Invalid number of arguments");
    auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
    auto c = ctx_.connect(remote);
    for (auto& op : c.certificates().tokens())
        if (token_name(op) == name) {
            c.certificates().revoke_token(op.id);
            std::cout << "Certificate add token for " << printable(name) << " deleted\n";
            return;
        }
    throw usage_error("No certificate add token for member " + name + " on remote: " + remote);
}

void trust_command::show() {
    auto [remote, fp] = split_remote(ctx_.cfg, args_.at(0));
    std::cout << printable(to_yaml(parse_raw(ctx_.connect(remote).certificates().get(fp).data().raw_json)));
}

void trust_command::edit() {
    auto [remote, fp] = split_remote(ctx_.cfg, args_.at(0));
    auto cert = ctx_.connect(remote).certificates().get(fp);   // its ETag guards the save
    auto& d = cert.data();
    json::object shown{{"name", d.name}, {"type", d.type}, {"restricted", d.restricted}, {"projects", json::array()}, {"certificate", d.pem}};
    for (auto& p : d.projects) shown["projects"].as_array().emplace_back(p);
    edit_options o;
    o.header = "### This is a YAML representation of the certificate.\n### Any line starting with a '# will be ignored.\n###\n";
    edit_object(shown, [&](const json::value& v) {
        if (!v.is_object()) throw usage_error("the certificate must be a YAML mapping");
        auto& e = v.as_object();
        auto text = [&](const char* k) { auto* x = e.if_contains(k); return x && x->is_string() ? std::string(x->get_string()) : std::string(); };
        cert.set_name(text("name"));
        auto* r = e.if_contains("restricted");
        cert.set_restricted(r && r->is_bool() && r->get_bool());
        std::vector<std::string> projects;
        if (auto* ps = e.if_contains("projects"); ps && ps->is_array())
            for (auto& p : ps->as_array()) if (p.is_string()) projects.emplace_back(p.get_string());
        cert.set_projects(std::move(projects));
        cert.save();
    }, o);
}

}  // namespace lxdpp_cli
