// tools/lxdpp/commands/storage.cpp — `lxdpp storage ...`: storage pools as lxc manages them.
#include <algorithm>
#include <iostream>
#include <map>

#include "editor.hpp"
#include "storage.hpp"

namespace lxdpp_cli {

namespace json = boost::json;

namespace {

const char* pool_header =
    "### This is a YAML representation of a storage pool.\n"
    "### Any line starting with a '#' will be ignored.\n"
    "###\n"
    "### A storage pool consists of a set of configuration items.\n"
    "###\n"
    "### An example would look like:\n"
    "### name: default\n"
    "### driver: zfs\n"
    "### used_by: []\n"
    "### config:\n"
    "###   size: \"61203283968\"\n"
    "###   source: /home/chb/mnt/lxd_test/default.img\n"
    "###   zfs.pool_name: default\n";

/// "/1.0/instances/c1?project=x" → {"instances", "c1"}; a volume (or a volume snapshot)
/// → {"volumes", VOLUME}, as lxc's `storage info` groups a pool's users.
std::pair<std::string, std::string> user_of(const std::string& url) {
    auto path = url.substr(0, url.find('?'));
    std::vector<std::string> parts;
    for (std::size_t at = 0; at <= path.size();) {
        auto slash = path.find('/', at);
        parts.push_back(path.substr(at, slash == std::string::npos ? std::string::npos : slash - at));
        if (slash == std::string::npos) break;
        at = slash + 1;
    }
    // "", "1.0", KIND, NAME...
    if (parts.size() >= 7 && parts[2] == "storage-pools" && parts[4] == "volumes") return {"volumes", parts[6]};
    if (parts.size() >= 4) return {parts[2], parts[3]};
    return {"other", path};
}

}  // namespace

void storage_command::add(CLI::App& app) {
    auto* st = app.add_subcommand("storage", "Manage storage pools and volumes");
    st->require_subcommand(1);
    auto* list = st->add_subcommand("list", "[REMOTE:]")->alias("ls");
    list->add_option("args", args_, "[REMOTE:]");
    list->add_option("-f,--format", format_, "table|compact|csv|json|yaml");
    list->callback([this] { this->list(); });
    auto simple = [&](const char* name, const char* usage, std::function<void()> f) {
        auto* s = st->add_subcommand(name, usage);
        s->add_option("args", args_, usage)->required();
        s->callback(std::move(f));
        return s;
    };
    simple("show", "[REMOTE:]POOL", [this] {
        auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
        std::cout << printable(to_yaml(parse_raw(ctx_.connect(remote).storage_pools().get(name).data().raw_json)));
    });
    simple("create", "[REMOTE:]POOL DRIVER [KEY=VALUE...]", [this] { create(); })
        ->add_option("--description", description_, "Description of the storage pool");
    simple("delete", "[REMOTE:]POOL", [this] {
        auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
        ctx_.connect(remote).storage_pools().get(name).remove();
        if (!ctx_.quiet) std::cout << "Storage pool " << printable(name) << " deleted\n";
    })->alias("rm");
    simple("edit", "[REMOTE:]POOL", [this] { edit(); });
    simple("info", "[REMOTE:]POOL", [this] { info(); });
    for (const char* verb : {"get", "set", "unset"}) simple(verb, "[REMOTE:]POOL KEY[=VALUE]...", [this, verb] { keys(verb); });
    volume_.add(*st);
}

void storage_command::list() {
    auto remote = ctx_.remote_arg_name(args_.empty() ? "" : args_[0]);
    auto all = ctx_.connect(remote).storage_pools().all();
    // incus dropped lxc's SOURCE column.
    bool incus = ctx_.cfg.is_incus();
    listing out{{incus ? std::vector<std::string>{"NAME", "DRIVER", "DESCRIPTION", "USED BY", "STATE"}
                       : std::vector<std::string>{"NAME", "DRIVER", "SOURCE", "DESCRIPTION", "USED BY", "STATE"},
                 {}},
                json::array()};
    for (auto& p : all) out.add_item(parse_raw(p.data().raw_json));   // the server's order, as lxc
    std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.name() < b.name(); });
    for (auto& p : all) {
        auto source = p.config().contains("source") ? p.config().at("source") : "";
        std::vector<std::string> row{p.name(), p.driver(), source, p.description(), std::to_string(p.used_by().size()), upper(p.status())};
        if (incus) row.erase(row.begin() + 2);
        out.add_row(std::move(row));
    }
    out.print(std::cout, format_);
}

void storage_command::create() {
    if (args_.size() < 2) throw usage_error("usage: lxdpp storage create [REMOTE:]POOL DRIVER [KEY=VALUE...]");
    auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
    lxd::storage_pool_create pc{.name = name, .driver = args_[1], .description = description_};
    for (std::size_t i = 2; i < args_.size(); ++i) pc.config.insert(parse_kv(args_[i]));
    (void)ctx_.connect(remote).storage_pools().create(pc);
    if (!ctx_.quiet) std::cout << "Storage pool " << printable(name) << " created\n";
}

void storage_command::edit() {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    auto p = ctx_.connect(remote).storage_pools().get(name);
    edit_object(parse_raw(p.data().raw_json), [&p](const json::value& v) { save_edited(p, v, "storage pool"); },
                {.header = pool_header});
}

void storage_command::info() {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    auto p = ctx_.connect(remote).storage_pools().get(name);
    auto res = p.resources();
    json::object info{{"description", p.description()}, {"driver", p.driver()}, {"name", p.name()},
                      {"space used", iec_size(res.space_used)}, {"total space", iec_size(res.space_total)}};
    std::map<std::string, json::array> users;
    for (auto& url : p.used_by()) {
        auto [kind, user] = user_of(url);
        users[kind].push_back(json::value(user));
    }
    json::object used;
    for (auto& [kind, names] : users) used[kind] = names;
    std::cout << printable(to_yaml(json::object{{"info", info}, {"used by", used}}));
}

bool config_keys(const std::string& verb, const std::vector<std::string>& args, std::size_t first, lxd::api::config_map& config,
                 const std::string& usage) {
    auto n = args.size() - first;
    if (verb == "get") {
        if (n != 1) throw usage_error("usage: lxdpp " + usage + " KEY");
        // As lxc: a key that is not set prints nothing at all.
        if (auto it = config.find(args[first]); it != config.end()) std::cout << printable(it->second) << "\n";
        return false;
    }
    if (verb == "unset") {
        if (n != 1) throw usage_error("usage: lxdpp " + usage + " KEY");
        config.erase(args[first]);
    } else if (n == 2 && args[first].find('=') == std::string::npos) {
        config[args[first]] = args[first + 1];
    } else {
        if (n < 1) throw usage_error("usage: lxdpp " + usage + " KEY=VALUE...");
        for (std::size_t i = first; i < args.size(); ++i) {
            auto [k, v] = parse_kv(args[i]);
            config[k] = v;
        }
    }
    return true;
}

void storage_command::keys(const std::string& verb) {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    auto p = ctx_.connect(remote).storage_pools().get(name);
    auto config = p.config();
    if (!config_keys(verb, args_, 1, config, "storage " + verb + " [REMOTE:]POOL")) return;
    p.set_config(std::move(config));
    p.save();
}

}  // namespace lxdpp_cli
