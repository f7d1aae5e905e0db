// tools/lxdpp/commands/network.cpp — `lxdpp network ...`: networks as lxc manages them.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include "editor.hpp"
#include "network_commands.hpp"

namespace lxdpp_cli {

namespace json = boost::json;

namespace {

const char* network_header =
    "### This is a YAML representation of the network.\n"
    "### Any line starting with a '# will be ignored.\n"
    "###\n"
    "### A network consists of a set of configuration items.\n"
    "###\n"
    "### An example would look like:\n"
    "### name: lxdbr0\n"
    "### config:\n"
    "###   ipv4.address: 10.62.42.1/24\n"
    "###   ipv4.nat: true\n"
    "###   ipv6.address: fd00:56ad:9f7a:9800::1/64\n"
    "###   ipv6.nat: true\n"
    "### managed: true\n"
    "### type: bridge\n"
    "###\n"
    "### Note that only the configuration can be changed.\n";

/// "usage: lxdpp network VERB ARGS" unless there are between `min` and `max` arguments.
void need_args(const std::vector<std::string>& args, std::size_t min, std::size_t max, const std::string& usage) {
    if (args.size() < min || args.size() > max) throw usage_error("usage: lxdpp network " + usage);
}

}  // namespace

void network_command::add(CLI::App& app) {
    auto* net = app.add_subcommand("network", "Manage and attach instances to networks");
    net->require_subcommand(1);
    auto* list = net->add_subcommand("list", "[REMOTE:]")->alias("ls");
    list->add_option("args", args_, "[REMOTE:]");
    list->add_option("-f,--format", format_, "table|compact|csv|json|yaml");
    list->callback([this] { this->list(); });
    auto simple = [&](const char* name, const char* usage, std::function<void()> f) {
        auto* s = net->add_subcommand(name, usage);
        s->add_option("args", args_, usage)->required();
        s->callback(std::move(f));
        return s;
    };
    simple("show", "[REMOTE:]NETWORK", [this] {
        need_args(args_, 1, 1, "show [REMOTE:]NETWORK");
        auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
        std::cout << printable(to_yaml(parse_raw(ctx_.connect(remote).networks().get(name).data().raw_json)));
    });
    simple("create", "[REMOTE:]NETWORK [KEY=VALUE...]", [this] { create(); })->add_option("-t,--type", type_, "Network type");
    simple("delete", "[REMOTE:]NETWORK", [this] {
        need_args(args_, 1, 1, "delete [REMOTE:]NETWORK");
        auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
        ctx_.connect(remote).networks().get(name).remove();
        if (!ctx_.quiet) std::cout << "Network " << printable(name) << " deleted\n";
    })->alias("rm");
    simple("edit", "[REMOTE:]NETWORK", [this] { edit(); });
    simple("rename", "[REMOTE:]NETWORK NEW-NAME", [this] {
        need_args(args_, 2, 2, "rename [REMOTE:]NETWORK NEW-NAME");
        auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
        ctx_.connect(remote).networks().get(name).rename(args_[1]);
        if (!ctx_.quiet) std::cout << "Network " << printable(name) << " renamed to " << printable(args_[1]) << "\n";
    })->alias("mv");
    for (const char* verb : {"get", "set", "unset"})
        simple(verb, "[REMOTE:]NETWORK KEY[=VALUE]...", [this, verb] { keys(verb); });
    simple("attach", "[REMOTE:]NETWORK INSTANCE [DEVICE] [INTERFACE]", [this] { attach(); });
    simple("detach", "[REMOTE:]NETWORK INSTANCE [DEVICE]", [this] { detach(); });
    simple("info", "[REMOTE:]NETWORK", [this] { info(); });
    simple("list-leases", "[REMOTE:]NETWORK", [this] { leases(); })->add_option("-f,--format", format_, "table|compact|csv|json|yaml");
}

void network_command::list() {
    auto remote = ctx_.remote_arg_name(args_.empty() ? "" : args_[0]);
    auto all = ctx_.connect(remote).networks().all();
    std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.name() < b.name(); });
    listing out{{{"NAME", "TYPE", "MANAGED", "IPV4", "IPV6", "DESCRIPTION", "USED BY", "STATE"}, {}}, json::array()};
    for (auto& n : all) {
        // lxc hides the loopback and "unknown" interfaces; incus shows loopback ones.
        if (n.type() == "unknown" || (n.type() == "loopback" && !ctx_.cfg.is_incus())) continue;
        auto key = [&](const char* k) {
            auto it = n.config().find(k);
            return it == n.config().end() ? std::string() : it->second;
        };
        std::string state = n.status();
        std::transform(state.begin(), state.end(), state.begin(), [](unsigned char ch) { return std::toupper(ch); });
        out.add_item(parse_raw(n.data().raw_json));
        out.add_row({n.name(), n.type(), n.managed() ? "YES" : "NO", key("ipv4.address"), key("ipv6.address"), n.description(),
                     std::to_string(n.used_by().size()), state});
    }
    out.print(std::cout, format_);
}

void network_command::create() {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    lxd::network_create nc{.name = name, .type = type_};
    if (!::isatty(STDIN_FILENO)) {
        // As lxc: YAML on stdin gives the new network's config and description.
        std::string text{std::istreambuf_iterator<char>(std::cin), {}};
        auto v = from_yaml(text, json::object());
        if (v.is_object()) {
            const auto& o = v.get_object();
            if (auto* c = o.if_contains("config")) nc.config = config_of(*c);
            if (auto* d = o.if_contains("description"); d && d->is_string()) nc.description = d->get_string();
        } else if (!v.is_null() && !(v.is_string() && v.get_string().empty())) {
            throw usage_error("the network on stdin must be a mapping");
        }
    }
    for (std::size_t i = 1; i < args_.size(); ++i) {
        auto [k, v] = parse_kv(args_[i]);
        nc.config[k] = v;
    }
    (void)ctx_.connect(remote).networks().create(nc);
    if (!ctx_.quiet) std::cout << "Network " << printable(name) << " created\n";
}

void network_command::edit() {
    need_args(args_, 1, 1, "edit [REMOTE:]NETWORK");
    auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
    auto n = ctx_.connect(remote).networks().get(name);
    edit_object(parse_raw(n.data().raw_json), [&n](const json::value& v) {
        if (!v.is_object()) throw usage_error("the network must be a mapping");
        const auto& o = v.get_object();
        n.set_config(o.contains("config") ? config_of(o.at("config")) : lxd::api::config_map{});
        if (auto* d = o.if_contains("description")) n.set_description(d->is_string() ? std::string(d->get_string()) : "");
        n.save();   // with the ETag read before editing: a change made meanwhile is refused
    }, {.header = network_header});
}

void network_command::keys(const std::string& verb) {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    auto n = ctx_.connect(remote).networks().get(name);
    if (verb == "get") {
        need_args(args_, 2, 2, "get [REMOTE:]NETWORK KEY");
        // As lxc: a key that is not set prints nothing (not even a newline).
        if (auto it = n.config().find(args_[1]); it != n.config().end()) std::cout << printable(it->second) << "\n";
        return;
    }
    if (verb == "unset") {
        need_args(args_, 2, 2, "unset [REMOTE:]NETWORK KEY");
        n.unset_config(args_[1]);
    } else if (args_.size() == 3 && args_[1].find('=') == std::string::npos) {
        n.set_config(args_[1], args_[2]);
    } else {
        need_args(args_, 2, SIZE_MAX, "set [REMOTE:]NETWORK KEY=VALUE...");
        for (std::size_t i = 1; i < args_.size(); ++i) {
            auto [k, v] = parse_kv(args_[i]);
            n.set_config(k, v);
        }
    }
    n.save();
}

void network_command::attach() {
    need_args(args_, 2, 4, "attach [REMOTE:]NETWORK INSTANCE [DEVICE] [INTERFACE]");
    auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
    auto c = ctx_.connect(remote);
    auto n = c.networks().get(name);
    // As lxc: a managed network by name; the host's own interfaces as the parent of a NIC.
    std::map<std::string, std::string> nic{{"type", "nic"}};
    if (n.managed()) {
        nic["network"] = n.name();
    } else {
        nic["nictype"] = n.type() == "bridge" ? "bridged" : "macvlan";
        nic["parent"] = n.name();
    }
    if (args_.size() > 3) nic["name"] = args_[3];
    auto dev = args_.size() > 2 ? args_[2] : n.name();
    auto i = c.instances().get(args_[1]);
    auto devices = i.devices();
    if (devices.count(dev)) throw usage_error("The device already exists");
    devices[dev] = nic;
    i.set_devices(devices);
    i.save();
}

void network_command::detach() {
    need_args(args_, 2, 3, "detach [REMOTE:]NETWORK INSTANCE [DEVICE]");
    auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
    auto i = ctx_.connect(remote).instances().get(args_[1]);
    auto devices = i.devices();
    auto matches = [&](const std::map<std::string, std::string>& d) {
        auto get = [&](const char* k) { auto it = d.find(k); return it == d.end() ? std::string() : it->second; };
        return get("type") == "nic" && (get("parent") == name || get("network") == name);
    };
    std::string dev = args_.size() > 2 ? args_[2] : "";
    if (dev.empty())
        for (auto& [n, d] : devices)
            if (matches(d)) {
                if (!dev.empty()) throw usage_error("More than one device matches, specify the device name");
                dev = n;
            }
    if (dev.empty()) throw usage_error("No device found for this network");
    auto it = devices.find(dev);
    if (it == devices.end()) throw usage_error("The specified device doesn't exist");
    if (!matches(it->second)) throw usage_error("The specified device doesn't match the network");
    devices.erase(it);
    i.set_devices(devices);
    i.save();
}

void network_command::info() {
    need_args(args_, 1, 1, "info [REMOTE:]NETWORK");
    auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
    // Straight to /state, as lxc: an unknown name is the state's error ("Network interface ... not found").
    lxd::api::network which;
    which.name = name;
    auto st = lxd::network(ctx_.connect(remote), which, "").state();
    std::ostringstream out;
    out << "Name: " << name << "\n";
    if (!st.hwaddr.empty()) out << "MAC address: " << st.hwaddr << "\n";
    out << "MTU: " << st.mtu << "\nState: " << st.state << "\nType: " << st.type << "\n";
    if (!st.addresses.empty()) {
        out << "\nIP addresses:\n";
        for (auto& a : st.addresses) out << "  " << a.family << "\t" << a.address << "/" << a.netmask << " (" << a.scope << ")\n";
    }
    auto& k = st.counters;
    out << "\nNetwork usage:\n  Bytes received: " << human_size(static_cast<std::uint64_t>(k.bytes_received))
        << "\n  Bytes sent: " << human_size(static_cast<std::uint64_t>(k.bytes_sent)) << "\n  Packets received: " << k.packets_received
        << "\n  Packets sent: " << k.packets_sent << "\n";
    auto raw = parse_raw(st.raw_json);
    if (auto* b = raw.is_object() ? raw.as_object().if_contains("bridge") : nullptr; b && b->is_object()) {
        auto& o = b->as_object();
        auto field = [&](const char* key) -> std::string {
            auto* v = o.if_contains(key);
            if (!v || v->is_null()) return "";
            return v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
        };
        std::string upper;
        if (auto* u = o.if_contains("upper_devices"); u && u->is_array())
            for (auto& d : u->as_array()) upper += (upper.empty() ? "" : ", ") + (d.is_string() ? std::string(d.as_string()) : std::string());
        out << "\nBridge:\n  ID: " << field("id") << "\n  STP: " << field("stp") << "\n  Forward delay: " << field("forward_delay")
            << "\n  Default VLAN ID: " << field("vlan_default") << "\n  VLAN filtering: " << field("vlan_filtering")
            << "\n  Upper devices: " << upper << "\n";
    }
    std::cout << printable(out.str());
}

void network_command::leases() {
    need_args(args_, 1, 1, "list-leases [REMOTE:]NETWORK");
    auto [remote, name] = split_remote(ctx_.cfg, args_[0]);
    auto all = ctx_.connect(remote).networks().get(name).leases();
    listing out{{{"HOSTNAME", "MAC ADDRESS", "IP ADDRESS", "TYPE"}, {}}, json::array()};
    for (auto& l : all) {
        out.add_item(json::object{{"hostname", l.hostname}, {"hwaddr", l.hwaddr}, {"address", l.address}, {"type", l.type},
                                  {"location", l.location}});
        out.add_row({l.hostname, l.hwaddr, l.address, l.type});
    }
    out.print(std::cout, format_);
}

}  // namespace lxdpp_cli
