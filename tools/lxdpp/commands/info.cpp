// tools/lxdpp/commands/info.cpp — `lxdpp info`: an instance, or the server, as lxc shows them.
#include <iostream>
#include <sstream>
#include <ctime>

#include "commands.hpp"

namespace lxdpp_cli {

namespace json = boost::json;

namespace {

constexpr const char* info_time = "%Y/%m/%d %H:%M %Z";

/// The Unix epoch in local time (local_time() prints it as nothing, as lxc does).
std::string epoch_time(const char* layout) {
    std::time_t t = 0;
    std::tm local{};
    ::localtime_r(&t, &local);
    char buf[64];
    std::strftime(buf, sizeof buf, layout, &local);
    return buf;
}

/// The server's description as YAML; lxc writes the storage driver entries under their
/// YAML names (the JSON's are capitalised).
void print_server(const lxd::client& c) {
    auto v = parse_raw(c.host_info().raw_json);
    if (auto* env = v.as_object().if_contains("environment"); env && env->is_object())
        if (auto* drv = env->as_object().if_contains("storage_supported_drivers"); drv && drv->is_array())
            for (auto& d : drv->as_array()) {
                if (!d.is_object()) continue;
                json::object lower;
                for (auto& [k, x] : d.as_object()) {
                    std::string key(k);
                    for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                    lower[key] = x;
                }
                d = lower;
            }
    std::cout << printable(to_yaml(v));
}

/// The host's resources (GET /1.0/resources). lxdpp prints them as YAML; lxc renders them
/// as prose (not yet matched).
void print_resources(const lxd::client& c) { std::cout << printable(to_yaml(parse_raw(c.resources()))); }

std::string str(const json::object& o, const char* k) {
    auto* v = o.if_contains(k);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t num(const json::object* o, const char* k) {
    auto* v = o ? o->if_contains(k) : nullptr;
    return v && v->is_int64() ? v->get_int64() : v && v->is_uint64() ? static_cast<std::int64_t>(v->get_uint64()) : 0;
}

/// One network device of the state's "network" object.
void put_nic(std::ostream& out, const std::string& dev, const json::object& n) {
    auto* counters = n.if_contains("counters") && n.at("counters").is_object() ? &n.at("counters").as_object() : nullptr;
    out << "    " << dev << ":\n"
        << "      Type: " << str(n, "type") << "\n"
        << "      State: " << upper(str(n, "state")) << "\n";
    if (!str(n, "host_name").empty()) out << "      Host interface: " << str(n, "host_name") << "\n";
    if (!str(n, "hwaddr").empty()) out << "      MAC address: " << str(n, "hwaddr") << "\n";
    out << "      MTU: " << num(&n, "mtu") << "\n"
        << "      Bytes received: " << iec_size(static_cast<std::uint64_t>(num(counters, "bytes_received"))) << "\n"
        << "      Bytes sent: " << iec_size(static_cast<std::uint64_t>(num(counters, "bytes_sent"))) << "\n"
        << "      Packets received: " << num(counters, "packets_received") << "\n"
        << "      Packets sent: " << num(counters, "packets_sent") << "\n"
        << "      IP addresses:\n";
    if (auto* as = n.if_contains("addresses"); as && as->is_array())
        for (auto& a : as->as_array()) {
            if (!a.is_object()) continue;
            auto& ao = a.as_object();
            out << "        " << str(ao, "family") << ":  " << str(ao, "address") << "/" << str(ao, "netmask") << " (" << str(ao, "scope")
                << ")\n";
        }
}

/// The "Resources:" part of a running instance.
void put_resources(std::ostream& out, const lxd::api::instance_state& st) {
    out << "\nResources:\n  Processes: " << st.processes << "\n"
        << "  CPU usage:\n    CPU usage (in seconds): " << st.cpu_usage_ns / 1000000000 << "\n"
        << "  Memory usage:\n    Memory (current): " << iec_size(static_cast<std::uint64_t>(st.memory_usage)) << "\n";
    if (st.memory_usage_peak) out << "    Memory (peak): " << iec_size(static_cast<std::uint64_t>(st.memory_usage_peak)) << "\n";
    auto raw = parse_raw(st.raw_json);
    if (auto* net = raw.as_object().if_contains("network"); net && net->is_object() && !net->as_object().empty()) {
        out << "  Network usage:\n";
        for (auto& [dev, nv] : net->as_object())
            if (nv.is_object()) put_nic(out, std::string(dev), nv.as_object());
    }
}

}  // namespace

void info_command::add(CLI::App& app) {
    auto* info = app.add_subcommand("info", "Show an instance (or, with REMOTE:, the server)");
    info->add_option("name", name_, "[REMOTE:]NAME")->required();
    info->add_flag("--resources", resources_, "Show the resources available to the server");
    unsupported_flag(info, "--show-log");
    info->add_option("--target", ctx_.target, "Cluster member name");
    info->callback([this] { run(); });
}

void info_command::run() {
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    auto c = ctx_.connect(remote);
    if (name.empty() && resources_) return print_resources(c);
    if (resources_) throw usage_error("--resources is for a server: lxdpp info [REMOTE:] --resources");
    if (name.empty()) return print_server(c);
    if (name.find('/') != std::string::npos) throw usage_error("Invalid instance name");   // as lxc 5.0
    auto i = c.instances().get(name);
    auto st = i.state();
    std::ostringstream out;
    out << "Name: " << i.name() << "\n";
    if (ctx_.cfg.is_incus()) out << "Description: " << i.description() << "\n";   // incus 6 prints it, even empty
    out << "Status: " << upper(i.status()) << "\n"
        << "Type: " << i.type() << (i.ephemeral() ? " (ephemeral)" : "") << "\n"
        << "Architecture: " << i.architecture() << "\n";
    if (!i.location().empty() && i.location() != "none") out << "Location: " << i.location() << "\n";
    if (st.pid) out << "PID: " << st.pid << "\n";
    out << "Created: " << local_time(i.created_at(), info_time) << "\n";
    if (auto used = local_time(i.last_used_at(), info_time); !used.empty())
        out << "Last Used: " << used << "\n";
    else if (ctx_.cfg.is_incus() && i.last_used_at().rfind("1970-01-01T00:00:00", 0) == 0)
        out << "Last Used: " << epoch_time(info_time) << "\n";   // incus prints "never used" as the epoch
    if (ctx_.cfg.is_incus()) {
        // incus 6: when the state has it (Incus servers), the time the instance started.
        auto state = parse_raw(st.raw_json);
        auto* at = state.is_object() ? state.as_object().if_contains("started_at") : nullptr;
        if (at && at->is_string())
            if (auto started = local_time(std::string(at->as_string()), info_time); !started.empty()) out << "Started: " << started << "\n";
    }
    if (st.status_code == lxd::api::status_code::running) put_resources(out, st);
    auto snaps = i.snapshots().all();
    if (!snaps.empty()) {
        out << "\nSnapshots:\n";
        table t{{"NAME", "TAKEN AT", "EXPIRES AT", "STATEFUL"}, {}};
        for (auto& s : snaps)
            t.rows.push_back({s.name(), local_time(s.created_at(), info_time), local_time(s.expires_at(), info_time),
                              s.stateful() ? "YES" : "NO"});
        print_table(out, t, "table");
    }
    std::cout << printable(out.str());
}

}  // namespace lxdpp_cli
