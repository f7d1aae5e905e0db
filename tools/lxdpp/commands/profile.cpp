// tools/lxdpp/commands/profile.cpp — `lxdpp profile ...`: profiles as lxc manages them.
#include <algorithm>
#include <iostream>

#include <unistd.h>

#include "editor.hpp"
#include "profiles.hpp"

namespace lxdpp_cli {

namespace json = boost::json;

namespace {

const char* profile_header =
    "### This is a YAML representation of the profile.\n"
    "### Any line starting with a '# will be ignored.\n"
    "###\n"
    "### A profile consists of a set of configuration items followed by a set of\n"
    "### devices.\n"
    "###\n"
    "### An example would look like:\n"
    "### name: onenic\n"
    "### config:\n"
    "###   raw.lxc: lxc.aa_profile=unconfined\n"
    "### devices:\n"
    "###   eth0:\n"
    "###     nictype: bridged\n"
    "###     parent: lxdbr0\n"
    "###     type: nic\n"
    "###\n"
    "### Note that the name is shown but cannot be changed\n";

lxd::api::config_map strings_of(const json::value& v, const char* what) {
    lxd::api::config_map out;
    if (v.is_null()) return out;
    if (!v.is_object()) throw usage_error(std::string(what) + " must be a mapping");
    for (auto& kv : v.get_object()) {
        if (!kv.value().is_string()) throw usage_error(std::string(what) + "." + std::string(kv.key()) + " must be a string");
        out.emplace(kv.key(), kv.value().get_string());
    }
    return out;
}

lxd::api::device_map devices_of(const json::value& v) {
    lxd::api::device_map out;
    if (v.is_null()) return out;
    if (!v.is_object()) throw usage_error("devices must be a mapping");
    for (auto& kv : v.get_object()) out.emplace(kv.key(), strings_of(kv.value(), "a device"));
    return out;
}

/// The editable fields of a profile's YAML (config, description, devices) applied to `p`.
void apply_yaml(lxd::profile& p, const json::value& v) {
    if (!v.is_object()) throw usage_error("the profile must be a mapping");
    const auto& o = v.get_object();
    p.set_config(o.contains("config") ? strings_of(o.at("config"), "config") : lxd::api::config_map{});
    p.set_devices(o.contains("devices") ? devices_of(o.at("devices")) : lxd::api::device_map{});
    if (auto* d = o.if_contains("description")) p.set_description(d->is_string() ? std::string(d->get_string()) : "");
}

}  // namespace

void profile_command::add(CLI::App& app) {
    auto* prof = app.add_subcommand("profile", "Manage profiles");
    prof->require_subcommand(1);
    auto* list = prof->add_subcommand("list", "[REMOTE:]")->alias("ls");
    list->add_option("args", args_, "[REMOTE:]");
    list->add_option("-f,--format", format_, "table|compact|csv|json|yaml");
    list->callback([this] { this->list(); });
    auto simple = [&](const char* name, const char* usage, std::function<void()> f) {
        auto* s = prof->add_subcommand(name, usage);
        s->add_option("args", args_, usage)->required();
        s->callback(std::move(f));
        return s;
    };
    simple("show", "[REMOTE:]PROFILE", [this] {
        auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
        std::cout << printable(to_yaml(parse_raw(ctx_.connect(remote).profiles().get(name).data().raw_json)));
    });
    simple("create", "[REMOTE:]PROFILE", [this] { create(); });
    simple("copy", "[REMOTE:]PROFILE [REMOTE:]PROFILE", [this] { copy(); })
        ->alias("cp")
        ->add_option("--target-project", target_project_, "Copy to a project different from the source");
    simple("delete", "[REMOTE:]PROFILE", [this] {
        auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
        ctx_.connect(remote).profiles().get(name).remove();
        if (!ctx_.quiet) std::cout << "Profile " << printable(name) << " deleted\n";
    })->alias("rm");
    simple("edit", "[REMOTE:]PROFILE", [this] { edit(); });
    simple("rename", "[REMOTE:]PROFILE NEW-NAME", [this] {
        if (args_.size() != 2) throw usage_error("usage: lxdpp profile rename [REMOTE:]PROFILE NEW-NAME");
        auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
        ctx_.connect(remote).profiles().get(name).rename(args_[1]);
        if (!ctx_.quiet) std::cout << "Profile " << printable(name) << " renamed to " << printable(args_[1]) << "\n";
    })->alias("mv");
    for (const char* verb : {"get", "set", "unset"})
        simple(verb, "[REMOTE:]PROFILE KEY[=VALUE]...", [this, verb] { keys(verb); });
    for (const char* verb : {"assign", "add", "remove"})
        simple(verb, "[REMOTE:]INSTANCE PROFILE[,PROFILE...]", [this, verb] { instance_profiles(verb); });
    device_.add(*prof);
}

void profile_command::list() {
    auto remote = ctx_.remote_arg_name(args_.empty() ? "" : args_[0]);
    auto all = ctx_.connect(remote).profiles().all();
    std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.name() < b.name(); });
    listing out{{{"NAME", "DESCRIPTION", "USED BY"}, {}}, json::array()};
    for (auto& p : all) {
        out.add_item(parse_raw(p.data().raw_json));
        out.add_row({p.name(), p.description(), std::to_string(p.used_by().size())});
    }
    out.print(std::cout, format_);
}

void profile_command::create() {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    lxd::profile_create pc{.name = name};
    if (!::isatty(STDIN_FILENO)) {
        // As lxc: YAML on stdin gives the new profile's config, devices and description.
        std::string text{std::istreambuf_iterator<char>(std::cin), {}};
        auto v = from_yaml(text, json::object());
        if (v.is_object()) {
            const auto& o = v.get_object();
            if (auto* c = o.if_contains("config")) pc.config = strings_of(*c, "config");
            if (auto* d = o.if_contains("devices")) pc.devices = devices_of(*d);
            if (auto* d = o.if_contains("description"); d && d->is_string()) pc.description = d->get_string();
        } else if (!v.is_null() && !(v.is_string() && v.get_string().empty())) {
            throw usage_error("the profile on stdin must be a mapping");
        }
    }
    (void)ctx_.connect(remote).profiles().create(pc);
    if (!ctx_.quiet) std::cout << "Profile " << printable(name) << " created\n";
}

void profile_command::copy() {
    if (args_.size() != 2) throw usage_error("usage: lxdpp profile copy [REMOTE:]PROFILE [REMOTE:]PROFILE");
    auto [src_remote, src] = split_remote(ctx_.cfg, args_[0]);
    auto [dst_remote, dst] = split_remote(ctx_.cfg, args_[1]);
    if (dst.empty()) dst = src;
    auto p = ctx_.connect(src_remote).profiles().get(src);
    auto target = ctx_.connect(dst_remote);
    if (!target_project_.empty()) target = target.use_project(target_project_);
    (void)target.profiles().create({.name = dst, .description = p.description(), .config = p.config(), .devices = p.devices()});
}

void profile_command::edit() {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    auto p = ctx_.connect(remote).profiles().get(name);
    auto shown = parse_raw(p.data().raw_json);
    edit_object(shown, [&p](const json::value& v) {
        apply_yaml(p, v);
        p.save();   // with the ETag read before editing: a change made meanwhile is refused
    }, {.header = profile_header});
}

void profile_command::keys(const std::string& verb) {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    auto p = ctx_.connect(remote).profiles().get(name);
    if (verb == "get") {
        if (args_.size() != 2) throw usage_error("usage: lxdpp profile get [REMOTE:]PROFILE KEY");
        auto it = p.config().find(args_[1]);
        std::cout << printable(it == p.config().end() ? "" : it->second) << "\n";
        return;
    }
    if (verb == "unset") {
        if (args_.size() != 2) throw usage_error("usage: lxdpp profile unset [REMOTE:]PROFILE KEY");
        p.set_config(args_[1], "");   // as lxc: the server drops an emptied key and refuses an unknown one
    } else {
        if (args_.size() < 2) throw usage_error("usage: lxdpp profile set [REMOTE:]PROFILE KEY=VALUE...");
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

void profile_command::instance_profiles(const std::string& verb) {
    if (args_.size() != 2) throw usage_error("usage: lxdpp profile " + verb + " [REMOTE:]INSTANCE PROFILE");
    auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
    auto i = ctx_.connect(remote).instances().get(name);
    auto profiles = i.profiles();
    const auto& arg = args_[1];
    std::string message;
    if (verb == "assign") {
        profiles.clear();
        for (std::size_t start = 0; !arg.empty() && start <= arg.size();) {
            auto comma = arg.find(',', start);
            profiles.push_back(arg.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        message = arg.empty() ? "Profiles removed from " + name : "Profiles " + arg + " applied to " + name;
    } else if (verb == "add") {
        if (std::find(profiles.begin(), profiles.end(), arg) != profiles.end())
            throw usage_error("Profile " + arg + " is already applied to " + name);
        profiles.push_back(arg);
        message = "Profile " + arg + " added to " + name;
    } else {
        auto it = std::find(profiles.begin(), profiles.end(), arg);
        if (it == profiles.end()) throw usage_error("Profile " + arg + " isn't currently applied to " + name);
        profiles.erase(it);
        message = "Profile " + arg + " removed from " + name;
    }
    i.set_profiles(profiles);
    i.save();
    if (!ctx_.quiet) std::cout << printable(message) << "\n";
}

}  // namespace lxdpp_cli
