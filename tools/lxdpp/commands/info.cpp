// tools/lxdpp/commands/info.cpp — `lxdpp info`: an instance, or the server, as lxc shows them.
#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <ctime>
#include <tuple>

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

std::string str(const json::object& o, const char* k) {
    auto* v = o.if_contains(k);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t num(const json::object* o, const char* k) {
    auto* v = o ? o->if_contains(k) : nullptr;
    return v && v->is_int64() ? v->get_int64() : v && v->is_uint64() ? static_cast<std::int64_t>(v->get_uint64()) : 0;
}

// ---- info --resources: lxc 5.0's layout -------------------------------------------------

const json::object& obj(const json::object& o, const char* k) {
    static const json::object none;
    auto* v = o.if_contains(k);
    return v && v->is_object() ? v->get_object() : none;
}
const json::array& arr(const json::object& o, const char* k) {
    static const json::array none;
    auto* v = o.if_contains(k);
    return v && v->is_array() ? v->get_array() : none;
}
bool has(const json::object& o, const char* k) { auto* v = o.if_contains(k); return v && !v->is_null(); }
std::string n(const json::object& o, const char* k) { return std::to_string(num(&o, k)); }
std::string yes(const json::object& o, const char* k) {
    auto* v = o.if_contains(k);
    return v && v->is_bool() && v->get_bool() ? "true" : "false";
}
/// Go's units.GetByteSizeStringIEC(n, precision).
std::string iec(std::int64_t b, int precision) {
    if (b < 1024) return std::to_string(b) + "B";
    double v = static_cast<double>(b);
    for (const char* unit : {"KiB", "MiB", "GiB", "TiB", "PiB"}) {
        v /= 1024;
        if (v < 1024) {
            char buf[48];
            std::snprintf(buf, sizeof buf, "%.*f%s", precision, v, unit);
            return buf;
        }
    }
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*fEiB", precision, v / 1024);
    return buf;
}

void put_cpu(std::ostream& out, const json::object& cpu, const std::string& p) {
    if (!str(cpu, "vendor").empty()) out << p << "Vendor: " << str(cpu, "vendor") << "\n";
    if (!str(cpu, "name").empty()) out << p << "Name: " << str(cpu, "name") << "\n";
    if (has(cpu, "cache")) {
        out << p << "Caches:\n";
        for (auto& c : arr(cpu, "cache"))
            if (c.is_object())
                out << p << "  - Level " << n(c.get_object(), "level") << " (type: " << str(c.get_object(), "type")
                    << "): " << iec(num(&c.get_object(), "size"), 0) << "\n";
    }
    out << p << "Cores:\n";
    for (auto& cv : arr(cpu, "cores")) {
        if (!cv.is_object()) continue;
        auto& core = cv.get_object();
        out << p << "  - Core " << n(core, "core") << "\n" << p << "    Frequency: " << n(core, "frequency") << "Mhz\n"
            << p << "    Threads:\n";
        for (auto& tv : arr(core, "threads"))
            if (tv.is_object()) {
                auto& t = tv.get_object();
                out << p << "      - " << n(t, "thread") << " (id: " << n(t, "id") << ", online: " << yes(t, "online")
                    << ", NUMA node: " << n(t, "numa_node") << ")\n";
            }
    }
    if (num(&cpu, "frequency") > 0) {
        out << p << "Frequency: " << n(cpu, "frequency") << "Mhz";
        if (num(&cpu, "frequency_turbo") > 0 && num(&cpu, "frequency_minimum") > 0)
            out << " (min: " << n(cpu, "frequency_minimum") << "Mhz, max: " << n(cpu, "frequency_turbo") << "Mhz)";
        out << "\n";
    }
}

/// "Vendor: X (ID)" style lines shared by GPUs and NICs.
void put_pci_head(std::ostream& out, const json::object& d, const std::string& p) {
    out << "NUMA node: " << n(d, "numa_node") << "\n";
    if (!str(d, "vendor").empty()) out << p << "Vendor: " << str(d, "vendor") << " (" << str(d, "vendor_id") << ")\n";
    if (!str(d, "product").empty()) out << p << "Product: " << str(d, "product") << " (" << str(d, "product_id") << ")\n";
    if (!str(d, "pci_address").empty()) out << p << "PCI address: " << str(d, "pci_address") << "\n";
    if (!str(d, "driver").empty()) out << p << "Driver: " << str(d, "driver") << " (" << str(d, "driver_version") << ")\n";
}

template <class Render>
void put_sriov(std::ostream& out, const json::object& d, const std::string& p, Render render) {
    if (!has(d, "sriov")) return;
    auto& s = obj(d, "sriov");
    out << p << "SR-IOV information:\n" << p << "  Current number of VFs: " << n(s, "current_vfs") << "\n"
        << p << "  Maximum number of VFs: " << n(s, "maximum_vfs") << "\n";
    if (arr(s, "vfs").empty()) return;
    out << p << "  VFs: " << n(s, "maximum_vfs") << "\n";
    for (auto& vf : arr(s, "vfs"))
        if (vf.is_object()) out << p << "  - ", render(out, vf.get_object(), p + "    ");
}

void put_gpu_card(std::ostream& out, const json::object& g, const std::string& p) {
    put_pci_head(out, g, p);
    if (has(g, "drm")) {
        auto& d = obj(g, "drm");
        out << p << "DRM:\n" << p << "  ID: " << n(d, "id") << "\n";
        for (auto [label, name, dev] : {std::tuple{"Card", "card_name", "card_device"}, std::tuple{"Control", "control_name", "control_device"},
                                        std::tuple{"Render", "render_name", "render_device"}})
            if (!str(d, name).empty()) out << p << "  " << label << ": " << str(d, name) << " (" << str(d, dev) << ")\n";
    }
    if (has(g, "nvidia")) {
        auto& v = obj(g, "nvidia");
        out << p << "NVIDIA information:\n";
        for (auto [label, key] : {std::pair{"Architecture", "architecture"}, std::pair{"Brand", "brand"}, std::pair{"Model", "model"},
                                  std::pair{"CUDA Version", "cuda_version"}, std::pair{"NVRM Version", "nvrm_version"}, std::pair{"UUID", "uuid"}})
            out << p << "  " << label << ": " << str(v, key) << "\n";
    }
    put_sriov(out, g, p, put_gpu_card);
    if (has(g, "mdev")) {
        out << p << "Mdev profiles:\n";
        std::vector<std::string> keys;
        for (auto& kv : obj(g, "mdev")) keys.emplace_back(kv.key());
        std::sort(keys.begin(), keys.end());
        for (auto& k : keys) {
            auto& m = obj(obj(g, "mdev"), k.c_str());
            out << p << "  - " << k << " (" << str(m, "name") << ") (" << n(m, "available") << " available)\n";
            if (auto d = str(m, "description"); !d.empty()) {
                std::istringstream lines(d);
                for (std::string l; std::getline(lines, l);) out << p << "      " << l << "\n";
            }
        }
    }
}

void put_port(std::ostream& out, const json::object& port, const std::string& p) {
    out << p << "  - Port " << n(port, "port") << " (" << str(port, "protocol") << ")\n" << p << "    ID: " << str(port, "id") << "\n";
    if (!str(port, "address").empty()) out << p << "    Address: " << str(port, "address") << "\n";
    auto join = [](const json::array& a) {
        std::string s;
        for (auto& x : a) s += (s.empty() ? "" : ", ") + std::string(x.is_string() ? x.get_string() : "");
        return s;
    };
    if (has(port, "supported_modes")) out << p << "    Supported modes: " << join(arr(port, "supported_modes")) << "\n";
    if (has(port, "supported_ports")) out << p << "    Supported ports: " << join(arr(port, "supported_ports")) << "\n";
    if (!str(port, "port_type").empty()) out << p << "    Port type: " << str(port, "port_type") << "\n";
    if (!str(port, "transceiver_type").empty()) out << p << "    Transceiver type: " << str(port, "transceiver_type") << "\n";
    out << p << "    Auto negotiation: " << yes(port, "auto_negotiation") << "\n" << p << "    Link detected: " << yes(port, "link_detected") << "\n";
    if (num(&port, "link_speed") > 0)
        out << p << "    Link speed: " << n(port, "link_speed") << "Mbit/s (" << str(port, "link_duplex") << " duplex)\n";
    if (has(port, "infiniband")) {
        auto& ib = obj(port, "infiniband");
        out << p << "    Infiniband:\n";
        for (auto [label, name, dev] : {std::tuple{"IsSM", "issm_name", "issm_device"}, std::tuple{"MAD", "mad_name", "mad_device"},
                                        std::tuple{"Verb", "verb_name", "verb_device"}})
            if (!str(ib, name).empty()) out << p << "      " << label << ": " << str(ib, name) << " (" << str(ib, dev) << ")\n";
    }
}

void put_nic_card(std::ostream& out, const json::object& nic, const std::string& p) {
    put_pci_head(out, nic, p);
    if (!arr(nic, "ports").empty()) {
        out << p << "Ports:\n";
        for (auto& port : arr(nic, "ports"))
            if (port.is_object()) put_port(out, port.get_object(), p);
    }
    put_sriov(out, nic, p, put_nic_card);
}

/// lxc 5.0's disk block (no "Mounted:" line: that came later).
void put_disk(std::ostream& out, const json::object& d, const std::string& p) {
    out << "NUMA node: " << n(d, "numa_node") << "\n" << p << "ID: " << str(d, "id") << "\n" << p << "Device: " << str(d, "device") << "\n";
    if (!str(d, "model").empty()) out << p << "Model: " << str(d, "model") << "\n";
    if (!str(d, "type").empty()) out << p << "Type: " << str(d, "type") << "\n";
    out << p << "Size: " << iec(num(&d, "size"), 2) << "\n";
    if (!str(d, "wwn").empty()) out << p << "WWN: " << str(d, "wwn") << "\n";
    out << p << "Read-Only: " << yes(d, "read_only") << "\n" << p << "Removable: " << yes(d, "removable") << "\n";
    if (arr(d, "partitions").empty()) return;
    out << p << "Partitions:\n";
    for (auto& pv : arr(d, "partitions")) {
        if (!pv.is_object()) continue;
        auto& part = pv.get_object();
        out << p << "  - Partition " << n(part, "partition") << "\n" << p << "    ID: " << str(part, "id") << "\n"
            << p << "    Device: " << str(part, "device") << "\n" << p << "    Read-Only: " << yes(part, "read_only") << "\n"
            << p << "    Size: " << iec(num(&part, "size"), 2) << "\n";
    }
}

void put_memory(std::ostream& out, const json::object& m) {
    out << "\nMemory:\n";
    auto amounts = [&](const json::object& o, const char* total, const char* used, const std::string& p) {
        out << p << "Free: " << iec(num(&o, total) - num(&o, used), 2) << "\n" << p << "Used: " << iec(num(&o, used), 2) << "\n"
            << p << "Total: " << iec(num(&o, total), 2) << "\n";
    };
    if (num(&m, "hugepages_total") > 0) out << "  Hugepages:\n", amounts(m, "hugepages_total", "hugepages_used", "    ");
    if (arr(m, "nodes").size() > 1) {
        out << "  NUMA nodes:\n";
        for (auto& nv : arr(m, "nodes")) {
            if (!nv.is_object()) continue;
            auto& node = nv.get_object();
            out << "    Node " << n(node, "numa_node") << ":\n";
            if (num(&node, "hugepages_total") > 0) out << "      Hugepages:\n", amounts(node, "hugepages_total", "hugepages_used", "        ");
            amounts(node, "total", "used", "      ");
        }
    }
    amounts(m, "total", "used", "  ");
}

/// One section: "Title:" and its one item, or "Titles:" and each item under "Label N:".
template <class Render>
void put_section(std::ostream& out, const json::array& items, const char* one, const char* many, const char* label, Render render) {
    if (items.size() == 1 && items[0].is_object()) {
        out << "\n" << one << ":\n  ";
        render(out, items[0].get_object(), "  ");
    } else if (items.size() > 1) {
        out << "\n" << many << ":\n";
        for (std::size_t i = 0; i < items.size(); ++i)
            if (items[i].is_object()) out << "  " << label << " " << i << ":\n    ", render(out, items[i].get_object(), "    ");
    }
}

// ---- incus 6.0's additions: System, Load, the CPU heading, USB and PCI devices -----------

/// A number as Go's %v prints a float64: the shortest form that reads back the same.
std::string go_float(const json::object& o, const char* k) {
    auto* v = o.if_contains(k);
    double d = !v ? 0 : v->is_double() ? v->get_double() : v->is_int64() ? double(v->get_int64()) : v->is_uint64() ? double(v->get_uint64()) : 0;
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return ec == std::errc{} ? std::string(buf, end) : std::string("0");
}

/// "  Key: value" lines of an object, each only when its value is not empty.
void put_present(std::ostream& out, const json::object& o, const std::string& p,
                 std::initializer_list<std::pair<const char*, const char*>> fields) {
    for (auto& [key, label] : fields)
        if (!str(o, key).empty()) out << p << label << ": " << str(o, key) << "\n";
}

void put_system(std::ostream& out, const json::object& r) {
    auto& sys = obj(r, "system");
    out << "System:\n";
    put_present(out, sys, "  ", {{"uuid", "UUID"}, {"vendor", "Vendor"}, {"product", "Product"}, {"family", "Family"},
                                 {"version", "Version"}, {"sku", "SKU"}, {"serial", "Serial"}, {"type", "Type"}});
    // Sent as null by a server that cannot read the DMI tables (a container, as here).
    if (has(sys, "chassis"))
        out << "  Chassis:\n", put_present(out, obj(sys, "chassis"), "      ", {{"vendor", "Vendor"}, {"type", "Type"}, {"version", "Version"}, {"serial", "Serial"}});
    if (has(sys, "motherboard"))
        out << "  Motherboard:\n", put_present(out, obj(sys, "motherboard"), "      ", {{"vendor", "Vendor"}, {"product", "Product"}, {"serial", "Serial"}, {"version", "Version"}});
    if (has(sys, "firmware"))
        out << "  Firmware:\n", put_present(out, obj(sys, "firmware"), "      ", {{"vendor", "Vendor"}, {"version", "Version"}, {"date", "Date"}});
    auto& load = obj(r, "load");
    out << "\nLoad:\n  Processes: " << n(load, "Processes") << "\n  Average: " << go_float(load, "Average1Min") << " "
        << go_float(load, "Average5Min") << " " << go_float(load, "Average10Min") << "\n";
}

void put_usb(std::ostream& out, const json::object& u, const std::string& p) {
    out << "Vendor: " << str(u, "vendor") << "\n" << p << "Vendor ID: " << str(u, "vendor_id") << "\n" << p << "Product: "
        << str(u, "product") << "\n" << p << "Product ID: " << str(u, "product_id") << "\n" << p << "Bus Address: "
        << n(u, "bus_address") << "\n" << p << "Device Address: " << n(u, "device_address") << "\n";
    if (!str(u, "serial").empty()) out << p << "Serial Number: " << str(u, "serial") << "\n";
}

void put_pci_device(std::ostream& out, const json::object& d, const std::string& p) {
    out << "Address: " << str(d, "pci_address") << "\n" << p << "Vendor: " << str(d, "vendor") << "\n" << p << "Vendor ID: "
        << str(d, "vendor_id") << "\n" << p << "Product: " << str(d, "product") << "\n" << p << "Product ID: "
        << str(d, "product_id") << "\n" << p << "NUMA node: " << n(d, "numa_node") << "\n" << p << "IOMMU group: "
        << n(d, "iommu_group") << "\n" << p << "Driver: " << str(d, "driver") << "\n";
}

/// The host's resources (GET /1.0/resources) in lxc 5.0's layout, or incus 6.0's.
void print_resources(const lxd::client& c, bool incus) {
    if (!c.has_api_extension("resources_v2")) throw usage_error("The server doesn't implement the newer v2 resources API");
    auto v = parse_raw(c.resources());
    if (!v.is_object()) throw usage_error("the server's resources are not an object");
    auto& r = v.get_object();
    std::ostringstream out;
    if (incus) put_system(out, r);
    auto& cpu = obj(r, "cpu");
    auto& sockets = arr(cpu, "sockets");
    // lxc: "CPU (x86_64):"; incus: "CPU:" then "  Architecture: x86_64", after a blank line.
    auto heading = [&](const char* word) {
        if (incus) out << "\n" << word << ":\n  Architecture: " << str(cpu, "architecture") << "\n";
        else out << word << " (" << str(cpu, "architecture") << "):\n";
    };
    if (sockets.size() == 1 && sockets[0].is_object()) {
        heading("CPU");
        put_cpu(out, sockets[0].get_object(), "  ");
    } else if (sockets.size() > 1) {
        heading("CPUs");
        for (auto& s : sockets)
            if (s.is_object()) out << "  Socket " << n(s.get_object(), "socket") << ":\n", put_cpu(out, s.get_object(), "    ");
    }
    put_memory(out, obj(r, "memory"));
    put_section(out, arr(obj(r, "gpu"), "cards"), "GPU", "GPUs", "Card", put_gpu_card);
    put_section(out, arr(obj(r, "network"), "cards"), "NIC", "NICs", "Card", put_nic_card);
    put_section(out, arr(obj(r, "storage"), "disks"), "Disk", "Disks", "Disk", put_disk);
    if (incus) {
        put_section(out, arr(obj(r, "usb"), "devices"), "USB device", "USB devices", "Device", put_usb);
        put_section(out, arr(obj(r, "pci"), "devices"), "PCI device", "PCI devices", "Device", put_pci_device);
    }
    std::cout << printable(out.str());
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
    info->add_flag("--show-log", show_log_, "Show the instance's last 100 log lines");
    info->add_option("--target", ctx_.target, "Cluster member name");
    info->callback([this] { run(); });
}

void info_command::run() {
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    auto c = ctx_.connect(remote);
    if (name.empty() && resources_) return print_resources(c, ctx_.cfg.is_incus());
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
    // As lxc: the instance's main log (lxc.log; a VM's qemu.log) after the rest.
    if (show_log_) out << "\nLog:\n\n" << i.log(i.type() == lxd::api::instance_type::virtual_machine ? "qemu.log" : "lxc.log") << "\n";
    std::cout << printable(out.str());
}

}  // namespace lxdpp_cli
