// tools/lxdpp/commands/project.cpp — `lxdpp project ...`: projects as lxc (or incus) manages
// them; `project switch` writes the remote's project into the client configuration.
#include <algorithm>
#include <iostream>

#include <unistd.h>

#include "editor.hpp"
#include "profiles.hpp"

namespace lxdpp_cli {

namespace json = boost::json;

namespace {

const char* project_header =
    "### This is a YAML representation of the project.\n"
    "### Any line starting with a '# will be ignored.\n"
    "###\n"
    "### A project consists of a set of features and a description.\n"
    "###\n"
    "### An example would look like:\n"
    "### name: my-project\n"
    "### features:\n"
    "###   images: True\n"
    "###   profiles: True\n"
    "### description: My own project\n"
    "###\n"
    "### Note that the name is shown but cannot be changed\n";

/// The YAML's config and description applied to `p`.
void apply_yaml(lxd::project& p, const json::value& v) {
    if (!v.is_object()) throw usage_error("the project must be a mapping");
    const auto& o = v.get_object();
    lxd::api::config_map config;
    if (auto* c = o.if_contains("config"); c && !c->is_null()) {
        if (!c->is_object()) throw usage_error("config must be a mapping");
        for (auto& kv : c->get_object()) {
            if (!kv.value().is_string()) throw usage_error("config." + std::string(kv.key()) + " must be a string");
            config.emplace(kv.key(), kv.value().get_string());
        }
    }
    p.set_config(std::move(config));
    if (auto* d = o.if_contains("description")) p.set_description(d->is_string() ? std::string(d->get_string()) : "");
}

std::string yes_no(const lxd::api::config_map& c, const std::string& key) {
    auto it = c.find(key);
    return it != c.end() && (it->second == "true" || it->second == "1" || it->second == "yes" || it->second == "on") ? "YES" : "NO";
}

}  // namespace

void project_command::add(CLI::App& app) {
    auto* proj = app.add_subcommand("project", "Manage projects");
    proj->require_subcommand(1);
    auto* list = proj->add_subcommand("list", "[REMOTE:]")->alias("ls");
    list->add_option("args", args_, "[REMOTE:]");
    list->add_option("-f,--format", format_, "table|compact|csv|json|yaml");
    list->callback([this] { this->list(); });
    auto simple = [&](const char* name, const char* usage, std::function<void()> f) {
        auto* s = proj->add_subcommand(name, usage);
        s->add_option("args", args_, usage)->required();
        s->callback(std::move(f));
        return s;
    };
    simple("show", "[REMOTE:]PROJECT", [this] {
        auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
        std::cout << printable(to_yaml(parse_raw(ctx_.connect(remote).projects().get(name).data().raw_json)));
    });
    simple("create", "[REMOTE:]PROJECT", [this] { create(); })
        ->add_option("-c,--config", config_, "Config key/value to apply to the new project");
    simple("delete", "[REMOTE:]PROJECT", [this] {
        auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
        ctx_.connect(remote).projects().get(name).remove();
        if (!ctx_.quiet) std::cout << "Project " << printable(name) << " deleted\n";
    })->alias("rm");
    simple("edit", "[REMOTE:]PROJECT", [this] { edit(); });
    simple("rename", "[REMOTE:]PROJECT NEW-NAME", [this] {
        if (args_.size() != 2) throw usage_error("usage: lxdpp project rename [REMOTE:]PROJECT NEW-NAME");
        auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
        ctx_.connect(remote).projects().get(name).rename(args_[1]).wait(op_wait);   // lxc waits too
        if (!ctx_.quiet) std::cout << "Project " << printable(name) << " renamed to " << printable(args_[1]) << "\n";
    })->alias("mv");
    for (const char* verb : {"get", "set", "unset"})
        simple(verb, "[REMOTE:]PROJECT KEY[=VALUE]...", [this, verb] { keys(verb); });
    simple("switch", "[REMOTE:]PROJECT", [this] { switch_to(); });
    simple("info", "[REMOTE:]PROJECT", [this] { info(); })->add_option("-f,--format", format_, "csv|json|table|yaml|compact");
}

void project_command::info() {
    if (args_.size() != 1) throw usage_error("Invalid number of arguments");
    auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
    if (name.empty()) throw usage_error("Missing project name");
    // The state alone, as lxc asks for it (an unknown project: the server's message for it).
    auto st = lxd::project(ctx_.connect(remote), lxd::api::project{.name = name}, "").state();
    listing out{{{"RESOURCE", "LIMIT", "USAGE"}, {}}, parse_raw(st.raw_json)};
    for (auto& [key, r] : st.resources) {
        bool bytes = key == "disk" || key == "memory";
        auto amount = [&](std::int64_t v) { return bytes ? iec_size(static_cast<std::uint64_t>(v)) : std::to_string(v); };
        out.add_row({upper(key), r.limit < 0 ? "UNLIMITED" : amount(r.limit), amount(r.usage)});
    }
    if (format_ == "yaml") {   // yaml.v2 lowercases the struct's Limit and Usage
        json::object lower;
        for (auto& [key, r] : st.resources) lower[key] = json::object{{"limit", r.limit}, {"usage", r.usage}};
        out.items = json::object{{"resources", lower}};
    }
    out.print(std::cout, format_);   // the map's order: sorted by name, as lxc sorts the rows
}

void project_command::list() {
    auto remote = ctx_.remote_arg_name(args_.empty() ? "" : args_[0]);
    auto all = ctx_.connect(remote).projects().all();
    std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.name() < b.name(); });
    auto current = ctx_.cfg.get(remote).project;
    if (current.empty()) current = "default";
    // The columns of the client whose configuration this is: incus has two more features.
    std::vector<std::pair<std::string, std::string>> features{{"IMAGES", "features.images"}, {"PROFILES", "features.profiles"},
                                                              {"STORAGE VOLUMES", "features.storage.volumes"}};
    if (ctx_.cfg.is_incus()) features.emplace_back("STORAGE BUCKETS", "features.storage.buckets");
    features.emplace_back("NETWORKS", "features.networks");
    if (ctx_.cfg.is_incus()) features.emplace_back("NETWORK ZONES", "features.networks.zones");
    listing out;
    out.rows.header.push_back("NAME");
    for (auto& f : features) out.rows.header.push_back(f.first);
    out.rows.header.insert(out.rows.header.end(), {"DESCRIPTION", "USED BY"});
    for (auto& p : all) {
        out.add_item(parse_raw(p.data().raw_json));
        std::vector<std::string> row{p.name() == current ? p.name() + " (current)" : p.name()};
        for (auto& f : features) row.push_back(yes_no(p.config(), f.second));
        row.push_back(p.description());
        row.push_back(std::to_string(p.used_by().size()));
        out.add_row(std::move(row));
    }
    out.print(std::cout, format_);
}

void project_command::create() {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    lxd::project_create pc{.name = name};
    if (!::isatty(STDIN_FILENO)) {
        // As lxc: YAML on stdin gives the new project's config and description.
        std::string text{std::istreambuf_iterator<char>(std::cin), {}};
        auto v = from_yaml(text, json::object());
        if (v.is_object()) {
            lxd::project tmp(ctx_.connect(remote), {.name = name}, "");
            apply_yaml(tmp, v);
            pc.config = tmp.config();
            pc.description = tmp.description();
        }
    }
    for (auto& kv : config_) pc.config.insert_or_assign(parse_kv(kv).first, parse_kv(kv).second);
    (void)ctx_.connect(remote).projects().create(pc);
    if (!ctx_.quiet) std::cout << "Project " << printable(name) << " created\n";
}

void project_command::edit() {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    auto p = ctx_.connect(remote).projects().get(name);
    edit_object(parse_raw(p.data().raw_json), [&p](const json::value& v) {
        apply_yaml(p, v);
        p.save();   // with the ETag read before editing
    }, {.header = project_header});
}

void project_command::keys(const std::string& verb) {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    auto p = ctx_.connect(remote).projects().get(name);
    if (verb == "get") {
        if (args_.size() != 2) throw usage_error("usage: lxdpp project get [REMOTE:]PROJECT KEY");
        auto it = p.config().find(args_[1]);
        std::cout << printable(it == p.config().end() ? "" : it->second) << "\n";
        return;
    }
    if (verb == "unset") {
        if (args_.size() != 2) throw usage_error("usage: lxdpp project unset [REMOTE:]PROJECT KEY");
        p.unset_config(args_[1]);
    } else {
        if (args_.size() < 2) throw usage_error("usage: lxdpp project set [REMOTE:]PROJECT KEY=VALUE...");
        if (args_.size() == 3 && args_[1].find('=') == std::string::npos)
            p.set_config(args_[1], args_[2]);
        else
            for (std::size_t i = 1; i < args_.size(); ++i) {
                auto [k, v] = parse_kv(args_[i]);
                p.set_config(k, v);
            }
    }
    p.save();
}

void project_command::switch_to() {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    (void)ctx_.connect(remote).projects().get(name);   // as lxc: only a project that exists
    auto r = ctx_.cfg.get(remote);
    r.project = name;
    ctx_.cfg.add(r);
    ctx_.cfg.save();
}

}  // namespace lxdpp_cli
