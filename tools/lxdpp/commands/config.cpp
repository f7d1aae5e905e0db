// tools/lxdpp/commands/config.cpp — `lxdpp config get|set|unset|show` for instances and
// the server.
#include <iostream>
#include <tuple>

#include "commands.hpp"
#include "editor.hpp"

namespace lxdpp_cli {

namespace json = boost::json;

namespace {

/// lxc's reading of `config get|set|unset [REMOTE:][INSTANCE] ...`: the remote and instance
/// ("" for the server) and the remaining arguments.
std::tuple<std::string, std::string, std::vector<std::string>> config_target(const config& cfg, std::vector<std::string> args,
                                                                             std::size_t server_args) {
    // With exactly `server_args` arguments, or a first argument holding '=', they are all keys
    // (and values) of the default remote's server.
    if (args.empty()) throw usage_error("Missing key");
    if (args.size() == server_args || args[0].find('=') != std::string::npos) return {cfg.default_remote(), "", args};
    auto [remote, name] = split_remote(cfg, args[0]);
    args.erase(args.begin());
    return {remote, name, args};
}

}  // namespace

void config_command::add(CLI::App& app) {
    auto* config = app.add_subcommand("config", "Instance and server configuration");
    config->require_subcommand(1);
    auto* cget = config->add_subcommand("get", "[REMOTE:][NAME] KEY");
    cget->add_option("args", args_, "[REMOTE:][NAME] KEY")->required();
    cget->add_flag("-e,--expanded", expanded_, "With profiles applied");
    cget->callback([this] { get(); });
    auto* cset = config->add_subcommand("set", "[REMOTE:][NAME] KEY=VALUE... | [REMOTE:][NAME] KEY VALUE");
    cset->add_option("args", args_)->required();
    cset->callback([this] { set(); });
    auto* cunset = config->add_subcommand("unset", "[REMOTE:][NAME] KEY");
    cunset->add_option("args", args_)->required();
    cunset->callback([this] { unset(); });
    for (auto* s : {cget, cset, cunset}) s->add_option("--target", ctx_.target, "Cluster member name");
    auto* cshow = config->add_subcommand("show", "[REMOTE:][NAME[/SNAPSHOT]]");
    cshow->add_option("name", name_);
    cshow->add_option("--target", ctx_.target, "Cluster member name");
    cshow->add_flag("-e,--expanded", expanded_, "With profiles applied");
    cshow->callback([this] { show(); });
    auto* cedit = config->add_subcommand("edit", "[REMOTE:]: the server's configuration as YAML in $EDITOR, or from stdin");
    cedit->add_option("name", name_, "REMOTE:");
    cedit->callback([this] { edit(); });
}

void config_command::edit() {
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    if (!name.empty()) throw usage_error("not supported by lxdpp yet: config edit of an instance (give only REMOTE: for the server)");
    auto server = ctx_.connect(remote).server();   // its ETag guards the save
    edit_options o;
    o.header = "### This is a YAML representation of the server configuration.\n### Any line starting with a '# will be ignored.\n###\n";
    edit_object(json::object{{"config", parse_raw(server.info().config_json)}}, [&](const json::value& v) {
        auto* cfg = v.is_object() ? v.as_object().if_contains("config") : nullptr;
        if (cfg && !cfg->is_object() && !cfg->is_null()) throw usage_error("config must be a mapping of keys to values");
        lxd::server_config edited = server;
        for (auto& [k, x] : server.config()) edited.unset(k);
        if (cfg && cfg->is_object())
            for (auto& [k, x] : cfg->as_object()) edited.set(std::string(k), x.is_string() ? std::string(x.get_string()) : boost::json::serialize(x));
        edited.save();
    }, o);
}

void config_command::get() {
    auto [remote, name, rest] = config_target(ctx_.cfg, args_, 1);
    if (rest.size() != 1) throw usage_error("usage: lxdpp config get [REMOTE:][INSTANCE] KEY");
    auto c = ctx_.connect(remote);
    std::string value;
    if (name.empty()) {
        auto cfg = parse_raw(c.host_info().config_json);
        if (auto* v = cfg.is_object() ? cfg.as_object().if_contains(rest[0]) : nullptr; v && v->is_string()) value = v->get_string();
    } else {
        auto i = c.instances().get(name);
        const auto& cfg = expanded_ ? i.expanded_config() : i.config();
        if (auto it = cfg.find(rest[0]); it != cfg.end()) value = it->second;
    }
    std::cout << printable(value) << "\n";
}

void config_command::set() {
    auto [remote, name, kvs] = config_target(ctx_.cfg, args_, 0);   // set: the server only with KEY=VALUE first
    if (kvs.empty()) throw usage_error("usage: lxdpp config set [REMOTE:][INSTANCE] KEY=VALUE...");
    lxd::api::config_map changes;
    if (kvs.size() == 2 && kvs[0].find('=') == std::string::npos)
        changes[kvs[0]] = kvs[1];
    else
        for (auto& kv : kvs) changes.insert(parse_kv(kv));
    if (name.empty()) {   // the server's: PUT /1.0 with the ETag of what was read
        auto server = ctx_.connect(remote).server();
        for (auto& [k, v] : changes) server.set(k, v);
        return server.save();
    }
    auto i = ctx_.connect(remote).instances().get(name);
    for (auto& [k, v] : changes) i.set_config(k, v);
    i.save();
}

void config_command::unset() {
    auto [remote, name, rest] = config_target(ctx_.cfg, args_, 1);
    if (rest.size() != 1) throw usage_error("usage: lxdpp config unset [REMOTE:][INSTANCE] KEY");
    if (name.empty()) {   // as lxc: unsetting a key the server does not have is no error
        auto server = ctx_.connect(remote).server();
        server.unset(rest[0]);
        return server.save();
    }
    auto i = ctx_.connect(remote).instances().get(name);
    if (!i.config().count(rest[0])) throw usage_error("can't unset key '" + rest[0] + "', it's not currently set");
    i.unset_config(rest[0]);
    i.save();
}

void config_command::show() {
    auto [remote, full] = split_remote(ctx_.cfg, name_);
    auto c = ctx_.connect(remote);
    if (full.empty()) {
        std::cout << printable(to_yaml(json::object{{"config", parse_raw(c.host_info().config_json)}}));
        return;
    }
    auto [name, snap] = split_snapshot(full);
    if (!snap.empty()) {
        // As lxc: the snapshot as the server describes it.
        std::cout << printable(to_yaml(parse_raw(c.instances().get(name).snapshots().get(snap).raw_json())));
        return;
    }
    auto v = parse_raw(c.instances().get(name).data().raw_json);
    auto& o = v.as_object();
    json::object shown;
    for (auto* k : {"architecture", "config", "devices", "ephemeral", "profiles", "stateful", "description"}) {
        std::string key = k;
        if (expanded_ && (key == "config" || key == "devices")) key = "expanded_" + key;
        if (auto* x = o.if_contains(key)) shown[k] = *x;
    }
    std::cout << printable(to_yaml(shown));
}

}  // namespace lxdpp_cli
