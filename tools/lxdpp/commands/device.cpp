// tools/lxdpp/commands/device.cpp — `lxdpp profile device ...` and `lxdpp config device ...`:
// the devices of a profile or of an instance, with lxc's arguments and messages.
#include <functional>
#include <iostream>

#include "profiles.hpp"

namespace lxdpp_cli {

namespace {

using device_map = lxd::api::device_map;

/// The devices of a profile or an instance: read once, saved with the ETag read.
struct device_owner {
    std::string name;
    device_map devices;
    device_map expanded;   ///< an instance's devices with its profiles' (empty for a profile)
    std::function<void(const device_map&)> save;
};

device_owner load(const context& ctx, bool on_profile, const std::string& arg) {
    auto [remote, name] = split_remote(ctx.cfg, arg);
    auto c = ctx.connect(remote);
    device_owner o;
    o.name = name;
    if (on_profile) {
        auto p = std::make_shared<lxd::profile>(c.profiles().get(name));
        o.devices = p->devices();
        o.save = [p](const device_map& m) {
            p->set_devices(m);
            p->save();
        };
    } else {
        auto i = std::make_shared<lxd::instance>(c.instances().get(name));
        o.devices = i->devices();
        o.expanded = i->expanded_devices();
        o.save = [i](const device_map& m) {
            i->set_devices(m);
            i->save();
        };
    }
    return o;
}

/// `KEY=VALUE...` or `KEY VALUE` (lxc's two forms of set).
lxd::api::config_map key_values(const std::vector<std::string>& args, std::size_t from) {
    lxd::api::config_map out;
    if (args.size() == from + 2 && args[from].find('=') == std::string::npos) {
        out[args[from]] = args[from + 1];
        return out;
    }
    for (auto i = from; i < args.size(); ++i) out.insert(parse_kv(args[i]));
    return out;
}

void need(const std::vector<std::string>& args, std::size_t n, const std::string& usage) {
    if (args.size() < n) throw usage_error("usage: " + usage);
}

}  // namespace

void device_command::add(CLI::App& parent) {
    auto* dev = parent.add_subcommand("device", "Manage devices");
    dev->require_subcommand(1);
    const std::string owner = on_profile_ ? "[REMOTE:]PROFILE" : "[REMOTE:]INSTANCE";
    struct verb { const char* name; const char* help; };
    for (auto v : {verb{"add", " DEVICE TYPE [KEY=VALUE...]"}, verb{"remove", " DEVICE..."}, verb{"list", ""},
                   verb{"show", ""}, verb{"set", " DEVICE KEY=VALUE... | DEVICE KEY VALUE"}, verb{"get", " DEVICE KEY"},
                   verb{"unset", " DEVICE KEY"}}) {
        auto* s = dev->add_subcommand(v.name, owner + v.help);
        s->add_option("args", args_, owner + v.help)->required();
        std::string name = v.name;
        s->callback([this, name] { run(name); });
        if (name == "remove") s->alias("rm");
        if (name == "list") s->alias("ls");
    }
}

void device_command::run(const std::string& verb) {
    const std::string what = on_profile_ ? "profile" : "config";
    auto o = load(ctx_, on_profile_, args_[0]);
    auto& devs = o.devices;
    if (verb == "list") {
        // As lxc: the names joined by newlines, then a newline (so one for none).
        std::string names;
        for (auto& [name, d] : devs) names += (names.empty() ? "" : "\n") + name;
        std::cout << printable(names) << "\n";
        return;
    }
    if (verb == "show") {
        boost::json::object shown;
        for (auto& [name, d] : devs) {
            boost::json::object dev;
            for (auto& [k, v] : d) dev[k] = v;
            shown[name] = std::move(dev);
        }
        std::cout << printable(to_yaml(shown));
        return;
    }
    need(args_, 2, what + " device " + verb + " " + args_[0] + " DEVICE ...");
    const auto& dev_name = args_[1];
    auto missing = [&] {
        if (o.expanded.count(dev_name))
            throw usage_error("Device from profile(s) cannot be modified for individual instance. Override device or modify profile instead");
        throw usage_error("Device doesn't exist");
    };
    if (verb == "add") {
        need(args_, 3, what + " device add NAME DEVICE TYPE [KEY=VALUE...]");
        if (devs.count(dev_name)) throw usage_error("The device already exists");
        lxd::api::config_map d{{"type", args_[2]}};
        for (std::size_t i = 3; i < args_.size(); ++i) d.insert_or_assign(parse_kv(args_[i]).first, parse_kv(args_[i]).second);
        devs[dev_name] = std::move(d);
        o.save(devs);
        if (!ctx_.quiet) std::cout << "Device " << printable(dev_name) << " added to " << printable(o.name) << "\n";
    } else if (verb == "remove") {
        for (std::size_t i = 1; i < args_.size(); ++i) {
            if (devs.erase(args_[i])) continue;
            if (o.expanded.count(args_[i]))
                throw usage_error("Device from profile(s) cannot be removed from individual instance. Override device or modify profile instead");
            throw usage_error("Device doesn't exist");
        }
        o.save(devs);
        if (!ctx_.quiet)
            for (std::size_t i = 1; i < args_.size(); ++i)
                std::cout << "Device " << printable(args_[i]) << " removed from " << printable(o.name) << "\n";
    } else if (verb == "get") {
        need(args_, 3, what + " device get NAME DEVICE KEY");
        auto it = devs.find(dev_name);
        if (it == devs.end()) missing();
        auto k = it->second.find(args_[2]);
        std::cout << printable(k == it->second.end() ? "" : k->second) << "\n";
    } else if (verb == "set" || verb == "unset") {
        need(args_, 3, what + " device " + verb + " NAME DEVICE KEY...");
        auto it = devs.find(dev_name);
        if (it == devs.end()) missing();
        if (verb == "unset")
            it->second[args_[2]] = "";   // as lxc: the server drops the emptied key (or refuses an unknown one)
        else
            for (auto& [k, v] : key_values(args_, 2)) it->second[k] = v;
        o.save(devs);
    }
}

}  // namespace lxdpp_cli
