// lxdpp — the lxc commands people use, on the lxdpp library's public headers only.
// Reads and writes lxc's client configuration, so remotes and certificates are shared.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <csignal>
#include <ctime>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <lxd/lxd.hpp>

#include "config.hpp"
#include "output.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace lxdpp_cli;
using namespace std::chrono_literals;

namespace {

/// A user mistake the CLI detects itself: printed as "Error: ..." like server errors.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Ends lxdpp with this exit status and nothing printed (e.g. 130 after SIGINT).
struct exit_status {
    int code;
    explicit exit_status(int c) : code(c) {}
};

using api_config = lxd::api::config_map;

struct globals {
    config cfg;
    std::string project;
    std::string target;   ///< cluster member for placement
    bool quiet = false;
    std::chrono::seconds timeout{30};

    lxd::client connect(const std::string& remote) const {
        lxd::client_options o;
        o.project = project;
        o.timeout = timeout;
        o.user_agent = "lxdpp-cli/" + std::string(lxd::version_string);
        auto c = cfg.connect(remote, o);
        return target.empty() ? c : c.use_target(target);
    }
};

globals g;
constexpr auto op_wait = std::chrono::minutes(30);

bool show_progress() { return !g.quiet && ::isatty(2); }

/// Waits for an operation, showing its progress metadata when stderr is a terminal.
lxd::api::operation_info wait_with_progress(const lxd::operation& op, const std::string& label) {
    // Shared with the callback: the operation may still call it on its I/O thread while
    // wait() returns here.
    auto line = std::make_shared<progress_line>(label, show_progress());
    if (show_progress()) {
        op.on_progress([line, label](const lxd::api::operation_info& info) {
            // LXD reports transfers as metadata {"..._progress": "text"}.
            try {
                auto v = json::parse(info.metadata_json);
                if (v.is_object())
                    for (auto& kv : v.get_object())
                        if (kv.key().ends_with("_progress") && kv.value().is_string())
                            line->text(label + ": " + std::string(kv.value().get_string()));
            } catch (...) {
            }
        });
    }
    auto info = op.wait(op_wait);
    line->clear();
    return info;
}

std::string upper(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

/// A "REMOTE:" argument (the colon optional; empty: the default remote) → the remote name.
std::string remote_arg_name(const std::string& arg) {
    std::string r = arg.empty() ? g.cfg.default_remote() : arg;
    if (!r.empty() && r.back() == ':') r.pop_back();
    return r;
}

std::pair<std::string, std::string> parse_kv(const std::string& s) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) throw usage_error("expected KEY=VALUE, got \"" + s + "\"");
    return {s.substr(0, eq), s.substr(eq + 1)};
}

std::uint32_t parse_mode(const std::string& s) {
    std::size_t used = 0;
    unsigned long m = 0;
    try {
        m = std::stoul(s, &used, 8);
    } catch (...) {
        used = 0;
    }
    if (used != s.size() || m > 07777) throw usage_error("bad mode \"" + s + "\" (octal, e.g. 0644)");
    return static_cast<std::uint32_t>(m);
}

json::value parse_raw(const std::string& raw) { return json::parse(raw); }

/// Separates lxc's trailing KEY=VALUE arguments (image properties) from the others.
api_config split_properties(std::vector<std::string>& args) {
    api_config props;
    std::vector<std::string> rest;
    for (auto& a : args) {
        if (a.find('=') != std::string::npos && a.front() != '=') props.insert_or_assign(a.substr(0, a.find('=')), a.substr(a.find('=') + 1));
        else rest.push_back(a);
    }
    args = rest;
    return props;
}

/// "NAME/SNAPSHOT" → {NAME, SNAPSHOT}; no slash: {NAME, ""}.
std::pair<std::string, std::string> split_snapshot(const std::string& name) {
    auto slash = name.find('/');
    if (slash == std::string::npos) return {name, ""};
    return {name.substr(0, slash), name.substr(slash + 1)};
}

/// The long name of "-s,--storage" style option names.
std::string long_name(const std::string& names) {
    auto p = names.rfind("--");
    return p == std::string::npos ? names : names.substr(p);
}

/// A flag lxc has and lxdpp does not implement: accepted by the parser (so it never swallows
/// or shifts other arguments) and refused with one line when given.
void unsupported_flag(CLI::App* s, const std::string& names) {
    s->add_flag_callback(names, [n = long_name(names)] { throw usage_error("not supported by lxdpp: " + n); }, "(not supported by lxdpp)");
}
/// The same for an option that takes a value.
void unsupported_option(CLI::App* s, const std::string& names) {
    s->add_option_function<std::string>(names, [n = long_name(names)](const std::string&) { throw usage_error("not supported by lxdpp: " + n); },
                                        "(not supported by lxdpp)");
}

/// As cobra/pflag: every option takes exactly one value per occurrence (repeatable), so it
/// never swallows the positional arguments after it.
void one_value_per_option(CLI::App* app) {
    for (auto* o : app->get_options())
        if (!o->get_positional() && o->get_type_size() != 0) o->allow_extra_args(false);
    for (auto* sub : app->get_subcommands({})) one_value_per_option(sub);
}

/// An RFC 3339 time from the server in Go's layout `layout` (strftime form), local time, as
/// lxc prints times; "" for LXD's zero time.
std::string local_time(const std::string& rfc3339, const char* layout) {
    // LXD's zero times: "never" (0001-01-01) and "not used yet" (the Unix epoch).
    if (rfc3339.empty() || rfc3339.rfind("0001-", 0) == 0 || rfc3339.rfind("1970-01-01T00:00:00", 0) == 0) return "";
    std::tm tm{};
    if (!::strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return rfc3339;
    std::time_t t = ::timegm(&tm);
    // A zone offset in the text ("+02:00") moves the instant.
    auto tpos = rfc3339.find('T');
    auto zpos = rfc3339.find_first_of("+-", tpos);
    if (zpos != std::string::npos && zpos + 5 < rfc3339.size() + 1) {
        int hh = std::atoi(rfc3339.substr(zpos + 1, 2).c_str()), mm = std::atoi(rfc3339.substr(zpos + 4, 2).c_str());
        t -= (rfc3339[zpos] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
    }
    std::tm local{};
    ::localtime_r(&t, &local);
    char buf[64];
    std::strftime(buf, sizeof buf, layout, &local);
    return buf;
}

// ---- list -------------------------------------------------------------------------------

std::string addresses(const lxd::instance& i, const std::string& family) {
    std::string out;
    if (!i.listed_state()) return out;
    for (auto& [dev, nic] : i.listed_state()->network) {
        if (dev == "lo") continue;
        for (auto& a : nic.addresses) {
            if (a.family != family || a.scope != "global") continue;
            if (!out.empty()) out += "\n";
            out += a.address + " (" + dev + ")";
        }
    }
    return out;
}

std::size_t snapshot_count(const lxd::instance& i) {
    auto v = parse_raw(i.data().raw_json);
    if (auto* s = v.as_object().if_contains("snapshots"); s && s->is_array()) return s->as_array().size();
    return 0;
}

std::string column_value(const lxd::instance& i, char c) {
    switch (c) {
    case 'n': return i.name();
    case 's': return upper(i.status());
    case '4': return addresses(i, "inet");
    case '6': return addresses(i, "inet6");
    case 't': return upper(i.type()) + (i.ephemeral() ? " (EPHEMERAL)" : "");
    case 'S': return std::to_string(snapshot_count(i));
    case 'L': return i.location().empty() ? "none" : i.location();
    case 'a': return i.architecture();
    case 'c': return local_time(i.created_at(), "%Y/%m/%d %H:%M %Z");
    case 'l': return local_time(i.last_used_at(), "%Y/%m/%d %H:%M %Z");
    case 'p': return i.listed_state() && i.listed_state()->pid ? std::to_string(i.listed_state()->pid) : "";
    case 'P': {
        std::string s;
        for (auto& p : i.profiles()) s += (s.empty() ? "" : "\n") + p;
        return s;
    }
    case 'e': return i.project();
    case 'd': return i.description();
    }
    throw usage_error(std::string("unknown column '") + c + "' (known: n s 4 6 t S L a c l p P e d)");
}

std::string column_header(char c) {
    switch (c) {
    case 'n': return "NAME";
    case 's': return "STATE";
    case '4': return "IPV4";
    case '6': return "IPV6";
    case 't': return "TYPE";
    case 'S': return "SNAPSHOTS";
    case 'L': return "LOCATION";
    case 'a': return "ARCHITECTURE";
    case 'c': return "CREATED AT";
    case 'l': return "LAST USED AT";
    case 'p': return "PID";
    case 'P': return "PROFILES";
    case 'e': return "PROJECT";
    case 'd': return "DESCRIPTION";
    }
    if (std::string_view("bDmMNufF").find(c) != std::string_view::npos)
        throw usage_error(std::string("not supported by lxdpp: -c ") + c);   // lxc has it; lxdpp does not
    throw usage_error(std::string("unknown column '") + c + "'");
}

void cmd_list(const std::string& remote_arg, const std::vector<std::string>& filters, const std::string& format,
              std::string columns, bool all_projects) {
    std::string remote = g.cfg.default_remote();
    std::string name_filter;
    if (!remote_arg.empty()) {
        auto [r, rest] = split_remote(g.cfg, remote_arg.find(':') == std::string::npos && g.cfg.has(remote_arg)
                                                 ? remote_arg + ":"
                                                 : remote_arg);
        remote = r;
        name_filter = rest;
    }
    auto c = g.connect(remote);
    if (columns.find_first_of(",:") != std::string::npos) throw usage_error("not supported by lxdpp: custom columns (-c KEY:NAME)");
    for (char ch : columns) (void)column_header(ch);   // refuse unknown columns before any request
    lxd::list_options lo;
    // State (recursion=2) costs the server a lot per instance: ask for it only when a column
    // or the output format needs it, as lxc does.
    lo.with_state = format == "json" || format == "yaml" || columns.find_first_of("46Sp") != std::string::npos;
    lo.all_projects = all_projects;
    std::vector<std::string> keys;   // key=value filters, applied here like lxc does
    for (auto& f : filters) {
        if (f.find('=') != std::string::npos)
            keys.push_back(f);
        else if (name_filter.empty())
            name_filter = f;
        else
            throw usage_error("only one name filter is allowed");
    }
    auto all = c.instances().all(lo);
    std::vector<lxd::instance> shown;
    for (auto& i : all) {
        if (!name_filter.empty() && i.name().rfind(name_filter, 0) != 0) continue;
        bool ok = true;
        for (auto& k : keys) {
            auto [key, value] = parse_kv(k);
            auto& cfgmap = i.expanded_config();
            std::string have;
            if (key == "status" || key == "state") have = i.status();
            else if (key == "type") have = i.type();
            else if (key == "location") have = i.location();
            else if (auto it = cfgmap.find(key); it != cfgmap.end()) have = it->second;
            else if (auto it2 = cfgmap.find("user." + key); it2 != cfgmap.end()) have = it2->second;
            if (upper(have) != upper(value)) ok = false;
        }
        if (ok) shown.push_back(i);
    }
    if (format == "json" || format == "yaml") {
        json::array arr;
        for (auto& i : shown) arr.push_back(parse_raw(i.data().raw_json));
        print_structured(std::cout, arr, format);
        return;
    }
    if (format != "table" && format != "csv" && format != "compact")
        throw usage_error("unknown format \"" + format + "\" (table, compact, csv, json, yaml)");
    table t;
    for (char ch : columns) t.header.push_back(column_header(ch));
    std::sort(shown.begin(), shown.end(), [](auto& a, auto& b) { return a.name() < b.name(); });
    for (auto& i : shown) {
        std::vector<std::string> row;
        for (char ch : columns) row.push_back(column_value(i, ch));
        t.rows.push_back(std::move(row));
    }
    print_table(std::cout, t, format);
}

// ---- info -------------------------------------------------------------------------------

constexpr const char* info_time = "%Y/%m/%d %H:%M %Z";

void cmd_info(const std::string& arg) {
    auto [remote, name] = split_remote(g.cfg, arg);
    auto c = g.connect(remote);
    if (name.empty()) {
        auto v = parse_raw(c.host_info().raw_json);
        // lxc writes the storage driver entries under their YAML names (the JSON's are capitalised).
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
        return;
    }
    if (name.find('/') != std::string::npos) throw usage_error("Invalid instance name");   // as lxc 5.0
    auto i = c.instances().get(name);
    auto st = i.state();
    std::ostringstream out;
    out << "Name: " << i.name() << "\n"
        << "Status: " << upper(i.status()) << "\n"
        << "Type: " << i.type() << (i.ephemeral() ? " (ephemeral)" : "") << "\n"
        << "Architecture: " << i.architecture() << "\n";
    if (!i.location().empty() && i.location() != "none") out << "Location: " << i.location() << "\n";
    if (st.pid) out << "PID: " << st.pid << "\n";
    out << "Created: " << local_time(i.created_at(), info_time) << "\n";
    if (auto used = local_time(i.last_used_at(), info_time); !used.empty()) out << "Last Used: " << used << "\n";
    if (st.status_code == lxd::api::status_code::running) {
        out << "\nResources:\n  Processes: " << st.processes << "\n"
            << "  CPU usage:\n    CPU usage (in seconds): " << st.cpu_usage_ns / 1000000000 << "\n"
            << "  Memory usage:\n    Memory (current): " << iec_size(static_cast<std::uint64_t>(st.memory_usage)) << "\n";
        if (st.memory_usage_peak) out << "    Memory (peak): " << iec_size(static_cast<std::uint64_t>(st.memory_usage_peak)) << "\n";
        auto raw = parse_raw(st.raw_json);
        if (auto* net = raw.as_object().if_contains("network"); net && net->is_object() && !net->as_object().empty()) {
            out << "  Network usage:\n";
            auto str = [](const json::object& o, const char* k) {
                auto* v = o.if_contains(k);
                return v && v->is_string() ? std::string(v->get_string()) : std::string();
            };
            auto num = [](const json::object* o, const char* k) -> std::int64_t {
                auto* v = o ? o->if_contains(k) : nullptr;
                return v && v->is_int64() ? v->get_int64() : v && v->is_uint64() ? static_cast<std::int64_t>(v->get_uint64()) : 0;
            };
            for (auto& [dev, nv] : net->as_object()) {
                if (!nv.is_object()) continue;
                auto& n = nv.as_object();
                auto* counters = n.if_contains("counters") && n.at("counters").is_object() ? &n.at("counters").as_object() : nullptr;
                out << "    " << std::string(dev) << ":\n"
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
                        out << "        " << str(ao, "family") << ":  " << str(ao, "address") << "/" << str(ao, "netmask") << " ("
                            << str(ao, "scope") << ")\n";
                    }
            }
        }
    }
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

// ---- create, lifecycle ------------------------------------------------------------------

std::pair<lxd::client, std::string> resolve_image(const std::string& arg);

/// A name for an instance created without one ("lxc init IMAGE" lets the server pick):
/// adjective-noun, as LXD's own.
std::string generated_name() {
    static const char* adjectives[] = {"able", "brave", "calm", "eager", "fair", "glad", "keen", "lucid", "merry", "noble",
                                       "proud", "quick", "sharp", "smart", "tidy", "vivid", "warm", "witty"};
    static const char* nouns[] = {"badger", "beetle", "bison", "crane", "eagle", "ferret", "gecko", "heron", "lemur", "lynx",
                                  "marten", "otter", "panda", "puma", "quail", "raven", "seal", "tapir", "walrus", "zebra"};
    std::random_device rd;
    return std::string(adjectives[rd() % std::size(adjectives)]) + "-" + nouns[rd() % std::size(nouns)];
}

struct create_flags {
    std::vector<std::string> profiles, config;
    std::string storage;
    bool ephemeral = false, vm = false, empty = false, no_profiles = false;
};

void cmd_create(const std::string& image_arg, const std::string& name_arg, bool start, const create_flags& f) {
    std::string remote = g.cfg.default_remote(), name = name_arg;
    if (!name_arg.empty()) std::tie(remote, name) = split_remote(g.cfg, name_arg);
    bool named = !name.empty();
    if (!named) name = generated_name();
    auto c = g.connect(remote);
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.start = start;
    cfg.ephemeral = f.ephemeral;
    if (f.vm) cfg.type = "virtual-machine";
    if (f.no_profiles && !f.profiles.empty()) throw usage_error("--no-profiles cannot be used with --profile");
    if (!f.profiles.empty()) cfg.profiles = f.profiles;
    if (f.no_profiles) cfg.profiles = std::vector<std::string>{};
    if (!f.storage.empty()) cfg.devices["root"] = {{"type", "disk"}, {"path", "/"}, {"pool", f.storage}};
    const auto& config = f.config;
    bool empty = f.empty;
    for (auto& kv : config) cfg.config.insert(parse_kv(kv));
    if (empty) {
        cfg.source = lxd::instance_source::none();
    } else {
        auto [img_remote, img] = split_remote(g.cfg, image_arg);
        if (img.empty()) throw usage_error("no image given");
        const auto& r = g.cfg.get(img_remote);
        if (img_remote == remote) {
            bool hex = img.find_first_not_of("0123456789abcdef") == std::string::npos;
            cfg.source = hex && !c.images().alias_exists(img) ? lxd::instance_source::image_fingerprint(img)
                                                              : lxd::instance_source::image_alias(img);
        } else if (r.protocol == "simplestreams") {
            cfg.source = lxd::instance_source::image_alias(img);
            cfg.source.from_server(r.addr, r.protocol);
        } else {
            // As lxc: the target fetches the image from the image's server over HTTPS (its
            // network address, even when lxdpp reaches it by its socket), pinned to its
            // certificate, with a one-time secret when the image is private.
            auto [sc, fp] = resolve_image(image_arg);
            auto info = sc.host_info();
            if (info.environment.addresses.empty())
                throw usage_error("the image's server \"" + img_remote +
                                  "\" has no network address (core.https_address) the target could fetch it from");
            cfg.source = lxd::instance_source::image_fingerprint(fp);
            cfg.source.from_server("https://" + info.environment.addresses.front(), "lxd");
            cfg.source.certificate = info.environment.certificate;
            if (!sc.images().get(fp).is_public) cfg.source.secret = sc.images().secret_for(fp);
        }
    }
    if (!g.quiet) {
        if (named) std::cout << (start ? "Launching " : "Creating ") << name << "\n";
        else std::cout << (start ? "Launching the instance\n" : "Creating the instance\n");
    }
    wait_with_progress(c.instances().create(cfg), start ? "Launching" : "Creating");
    if (!named && !g.quiet) std::cout << "Instance name is: " << name << "\n";
}

enum class action { start, stop, restart, pause, resume };

void cmd_state(action a, std::vector<std::string> names, bool all, bool force, int timeout, bool stateful) {
    if (all) {
        // As lxc --all: every instance of the given remotes (default: the default remote) that
        // is not already in the wanted state.
        std::vector<std::string> remotes;
        for (auto& n : names) {
            if (n.empty() || n.back() != ':') throw usage_error("Both --all and instance name given");
            remotes.push_back(remote_arg_name(n));
        }
        if (remotes.empty()) remotes.push_back(g.cfg.default_remote());
        names.clear();
        for (auto& r : remotes)
            for (auto& i : g.connect(r).instances().all()) {
                auto code = i.status();
                bool skip = (a == action::start && code == "Running") || (a == action::stop && code == "Stopped") ||
                            (a == action::pause && code != "Running") || (a == action::resume && code != "Frozen") ||
                            (a == action::restart && code != "Running");
                if (!skip) names.push_back(r + ":" + i.name());
            }
    } else if (names.empty()) {
        throw usage_error("Missing instance name");
    }
    for (auto& arg : names) {
        auto [remote, name] = split_remote(g.cfg, arg);
        auto c = g.connect(remote);
        auto i = c.instances().get(name);
        lxd::state_options o;
        o.force = force;
        o.stateful = stateful;
        if (timeout >= 0) o.timeout = std::chrono::seconds(timeout);
        switch (a) {
        case action::start: i.start(o).wait(op_wait); break;
        case action::stop: i.stop(o).wait(op_wait); break;
        case action::restart: i.restart(o).wait(op_wait); break;
        case action::pause: i.freeze(o).wait(op_wait); break;
        case action::resume: i.unfreeze(o).wait(op_wait); break;
        }
    }
}

void cmd_delete(const std::vector<std::string>& names, bool force) {
    for (auto& arg : names) {
        auto [remote, name] = split_remote(g.cfg, arg);
        auto c = g.connect(remote);
        if (auto slash = name.find('/'); slash != std::string::npos) {
            c.instances().get(name.substr(0, slash)).snapshots().get(name.substr(slash + 1)).remove().wait(op_wait);
            continue;
        }
        c.instances().get(name).remove(force);
    }
}

// ---- rename, move, copy ------------------------------------------------------------------

struct move_flags {
    bool instance_only = false, stateless = false, refresh = false;
    std::string mode, member;
};

void cmd_move(const std::string& src_arg, const std::string& dst_arg, bool copy, const move_flags& f) {
    auto [src_remote, src_full] = split_remote(g.cfg, src_arg);
    auto [src, src_snap] = split_snapshot(src_full);
    std::string dst_remote = src_remote, dst;
    if (!dst_arg.empty()) {
        auto colon = dst_arg.find(':');
        if (colon != std::string::npos && g.cfg.has(dst_arg.substr(0, colon))) {
            dst_remote = dst_arg.substr(0, colon);
            dst = dst_arg.substr(colon + 1);
        } else {
            dst = dst_arg;
        }
    }
    if (f.refresh) throw usage_error("not supported by lxdpp: --refresh");
    lxd::migrate_options o;
    o.instance_only = f.instance_only;
    o.new_name = dst;
    if (f.mode == "pull") o.mode = lxd::migration_mode::pull;
    else if (f.mode == "push") o.mode = lxd::migration_mode::push;
    else if (f.mode == "relay") o.mode = lxd::migration_mode::relay;
    else if (!f.mode.empty()) throw usage_error("Invalid transfer mode: " + f.mode);
    auto source = g.connect(src_remote);
    if (!src_snap.empty()) {
        auto [dst_inst, dst_snap] = split_snapshot(dst);
        if (!copy) {
            // move NAME/SNAP NAME/NEW: a snapshot rename within its instance.
            if (dst_remote != src_remote || dst_inst != src || dst_snap.empty())
                throw usage_error("not supported by lxdpp: moving a snapshot anywhere but to a new name in its own instance");
            source.instances().get(src).snapshots().get(src_snap).rename(dst_snap).wait(op_wait);
            return;
        }
        // copy NAME/SNAP NEW: a new instance from the snapshot.
        if (dst_remote != src_remote) throw usage_error("not supported by lxdpp: copying a snapshot to another remote");
        if (dst.empty() || !dst_snap.empty()) throw usage_error("a copy of a snapshot needs a new instance name");
        auto from = source.instances().get(src).snapshots().get(src_snap);
        lxd::instance_create cfg;
        cfg.name = dst;
        cfg.source = lxd::instance_source::copy_of(src + "/" + src_snap);
        // As lxc: the new instance gets the snapshot's configuration, devices and profiles.
        auto raw = parse_raw(from.raw_json()).as_object();
        if (auto* p = raw.if_contains("profiles"); p && p->is_array()) {
            cfg.profiles = std::vector<std::string>{};
            for (auto& x : p->as_array())
                if (x.is_string()) cfg.profiles->push_back(std::string(x.get_string()));
        }
        for (auto& [k, v] : from.config())
            if (k.rfind("volatile.", 0) != 0) cfg.config[k] = v;
        if (auto* d = raw.if_contains("devices"); d && d->is_object())
            for (auto& [dev, props] : d->as_object())
                if (props.is_object())
                    for (auto& [k, v] : props.as_object())
                        if (v.is_string()) cfg.devices[std::string(dev)][std::string(k)] = std::string(v.get_string());
        auto target = f.member.empty() ? source : source.use_target(f.member);
        wait_with_progress(target.instances().create(cfg), "Copying");
        return;
    }
    auto inst = source.instances().get(src);
    if (copy) {
        if (dst_remote == src_remote && dst.empty()) throw usage_error("a copy on the same server needs a new name");
        auto target = dst_remote == src_remote ? source : g.connect(dst_remote);
        if (!f.member.empty()) target = target.use_target(f.member);
        // A running instance is copied as it is on disk (lxc's --stateless is lxdpp's only way).
        wait_with_progress(inst.copy(target, o), "Copying");
        return;
    }
    if (dst_remote == src_remote && f.member.empty()) {
        if (dst.empty() || dst == src) throw usage_error("nothing to do: give a new name or another remote");
        inst.rename(dst).wait(op_wait);
        return;
    }
    auto target = dst_remote == src_remote ? source : g.connect(dst_remote);
    if (!f.member.empty()) target = target.use_target(f.member);
    // As lxc: a running instance moves live (which needs CRIU: the server says so), unless
    // --stateless: then the library copies it, stops and deletes the source, starts the copy.
    o.live = inst.status() == "Running" && !f.stateless;
    wait_with_progress(inst.migrate(target, o), "Moving");
}

// ---- exec -------------------------------------------------------------------------------

volatile std::sig_atomic_t window_changed = 0;
termios saved_termios;
bool termios_saved = false;

void restore_terminal() {
    if (termios_saved) ::tcsetattr(0, TCSANOW, &saved_termios);
}

struct exec_flags {
    std::vector<std::string> env;
    std::string cwd, mode = "auto";
    int user = -1, group = -1;
    bool force_tty = false, no_tty = false, no_stdin = false;
};

int cmd_exec(const std::string& arg, const std::vector<std::string>& argv, const exec_flags& f) {
    const auto& cwd = f.cwd;
    int user = f.user, group = f.group;
    auto [remote, name] = split_remote(g.cfg, arg);
    if (argv.empty()) throw usage_error("no command given: lxdpp exec NAME -- COMMAND...");
    if (f.mode != "auto" && f.mode != "interactive" && f.mode != "non-interactive") throw usage_error("Unknown interactive mode: " + f.mode);
    auto c = g.connect(remote);
    auto inst = c.instances().get(name);
    bool tty = f.force_tty || f.mode == "interactive" ||
               (!f.no_tty && f.mode != "non-interactive" && ::isatty(0) && ::isatty(1));
    std::map<std::string, std::string> environment;
    for (auto& e : f.env) {
        // As lxc: "K=V"; a bare "K" sets K to "".
        auto eq = e.find('=');
        environment.insert_or_assign(e.substr(0, eq), eq == std::string::npos ? std::string() : e.substr(eq + 1));
    }
    int devnull = -1;
    if (f.no_stdin) {
        devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (devnull >= 0) ::dup2(devnull, 0);
    }
    if (!tty) {
        lxd::exec_options o;
        o.environment = environment;
        o.cwd = cwd;
        if (user >= 0) o.user = static_cast<std::uint32_t>(user);
        if (group >= 0) o.group = static_cast<std::uint32_t>(group);
        o.stdin_fd = 0;
        auto write_all = [](int fd, std::string_view d) {
            while (!d.empty()) {
                auto n = ::write(fd, d.data(), d.size());
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) return;
                d.remove_prefix(static_cast<std::size_t>(n));
            }
        };
        o.on_stdout = [&](std::string_view d) { write_all(1, d); };
        o.on_stderr = [&](std::string_view d) { write_all(2, d); };
        int code = inst.execute(argv, o).exit_code;
        if (code == 127) std::cerr << "Error: Command not found\n";   // as lxc
        return code;
    }
    lxd::interactive_options io;
    io.environment = environment;
    io.cwd = cwd;
    if (user >= 0) io.user = static_cast<std::uint32_t>(user);
    if (group >= 0) io.group = static_cast<std::uint32_t>(group);
    winsize ws{};
    if (::ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col) {
        io.width = ws.ws_col;
        io.height = ws.ws_row;
    }
    auto session = inst.execute_interactive(argv, io);
    if (::isatty(0) && ::tcgetattr(0, &saved_termios) == 0) {
        termios_saved = true;
        std::atexit(restore_terminal);
        termios raw = saved_termios;
        ::cfmakeraw(&raw);
        ::tcsetattr(0, TCSANOW, &raw);
    }
    std::signal(SIGWINCH, [](int) { window_changed = 1; });
    std::thread input([&session] {
        char buf[4096];
        for (;;) {
            auto n = ::read(0, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;
            session.write(std::string_view(buf, static_cast<std::size_t>(n)));
        }
    });
    input.detach();   // blocked in read(0) until the process ends
    for (;;) {
        if (window_changed) {
            window_changed = 0;
            if (::ioctl(1, TIOCGWINSZ, &ws) == 0) session.resize(ws.ws_col, ws.ws_row);
        }
        auto chunk = session.read(100ms);
        if (!chunk) continue;
        if (chunk->empty()) break;
        (void)!::write(1, chunk->data(), chunk->size());
    }
    int code = session.wait(60s);
    restore_terminal();
    if (code == 127) std::cerr << "Error: Command not found\n";
    return code;
}

// ---- files ------------------------------------------------------------------------------

/// "[remote:]instance/path" → {remote, instance, /path}.
std::tuple<std::string, std::string, std::string> split_file_target(const std::string& arg) {
    auto [remote, rest] = split_remote(g.cfg, arg);
    auto slash = rest.find('/');
    if (slash == std::string::npos || slash == 0) throw usage_error("\"" + arg + "\" is not INSTANCE/PATH");
    return {remote, rest.substr(0, slash), rest.substr(slash)};
}

std::string parent_of(const std::string& p) {
    auto slash = p.rfind('/');
    return slash == 0 || slash == std::string::npos ? "/" : p.substr(0, slash);
}

// ---- signals during transfers ---------------------------------------------------------
// SIGINT and SIGTERM during `file push/pull` stop the transfer through a stop token: the
// library then removes its temporary file (pull: the existing local file stays as it was)
// or the partial file in the instance (push), and lxdpp exits 130 or 143 as a shell
// expects. The signals are taken by a thread of ours (sigwait), never by a handler, so
// the cleanup runs as ordinary code. Should the transfer not notice within 5 s (a network
// that stopped answering), the process exits anyway.
class transfer_signals {
public:
    transfer_signals() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGINT);
        sigaddset(&set_, SIGTERM);
        // Blocked here, before the client's I/O thread exists, so every thread inherits it.
        pthread_sigmask(SIG_BLOCK, &set_, &old_);
        waiter_ = std::thread([this] {
            int sig = 0;
            if (sigwait(&set_, &sig) != 0 || sig == 0) return;
            if (done_) return;
            signal_ = sig;
            stop_.request_stop();
            std::unique_lock lk(mu_);
            if (!cv_.wait_for(lk, std::chrono::seconds(5), [&] { return done_.load(); })) ::_exit(128 + sig);
        });
    }
    ~transfer_signals() {
        {
            std::lock_guard lk(mu_);
            done_ = true;
        }
        cv_.notify_all();
        if (signal_ == 0) pthread_kill(waiter_.native_handle(), SIGTERM);   // wake sigwait; ignored (done_)
        waiter_.join();
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    std::stop_token token() const { return stop_.get_token(); }
    /// The signal that stopped the transfer (0: none): exit with 128 + it.
    int signal() const { return signal_; }

private:
    sigset_t set_{}, old_{};
    std::stop_source stop_;
    std::atomic<int> signal_{0};
    std::atomic<bool> done_{false};
    std::mutex mu_;
    std::condition_variable cv_;
    std::thread waiter_;
};

/// Runs a transfer under transfer_signals; a signal turns into exit code 128 + signal.
template <class F>
void with_transfer_signals(F&& f) {
    transfer_signals sig;
    try {
        f(sig.token());
    } catch (const lxd::error& e) {
        if (sig.signal() == 0 || e.code_value() != lxd::errc::operation_cancelled) throw;
    }
    if (int s = sig.signal()) throw exit_status(128 + s);
}

/// Reads stdin for an upload without blocking past a stop request.
std::size_t read_stdin(char* b, std::size_t cap, const std::stop_token& stop) {
    for (;;) {
        if (stop.stop_requested()) return 0;   // the library sees the stop on its next check
        pollfd p{0, POLLIN, 0};
        int r = ::poll(&p, 1, 100);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) continue;
        auto n = ::read(0, b, cap);
        if (n < 0 && errno == EINTR) continue;
        return n > 0 ? static_cast<std::size_t>(n) : 0;
    }
}

void cmd_file_push(std::vector<std::string> args, bool recursive, bool parents, const std::string& mode, int uid, int gid) {
    if (args.size() < 2) throw usage_error("usage: lxdpp file push LOCAL... INSTANCE/PATH");
    auto target = args.back();
    args.pop_back();
    auto [remote, name, raw_path] = split_file_target(target);
    // As lxc: "c/.", "c/tmp/./" and "c/tmp/" name a directory; the path is cleaned lexically.
    auto clean = fs::path(raw_path).lexically_normal().string();
    bool names_dir = raw_path.back() == '/' || raw_path.ends_with("/.") || raw_path.ends_with("/..") || clean == "/";
    if (clean.size() > 1 && clean.back() == '/') clean.pop_back();
    std::string path = names_dir && clean != "/" ? clean + "/" : clean;
    with_transfer_signals([&](std::stop_token stop) {
        auto c = g.connect(remote);
        auto files = c.instances().get(name).files();
        bool into_dir = args.size() > 1 || path.back() == '/' || recursive;
        for (auto& local : args) {
            fs::path lp(local);
            auto dest = into_dir ? (path.back() == '/' ? path : path + "/") + lp.filename().string() : path;
            if (parents) {
                // lxc makes missing directories 0750.
                auto d = into_dir ? path : parent_of(path);
                if (d.size() > 1 && d.back() == '/') d.pop_back();
                std::vector<std::string> chain;
                for (auto p = d; p != "/" && !p.empty(); p = parent_of(p)) chain.push_back(p);
                for (auto it = chain.rbegin(); it != chain.rend(); ++it)
                    if (!files.exists(*it)) files.mkdir(*it, {.mode = 0750});
            }
            if (recursive) {
                if (!fs::is_directory(lp)) throw usage_error(local + " is not a directory");
                files.recursive_put(local, dest, {.stop = stop});
                continue;
            }
            lxd::put_options o;
            if (!mode.empty()) o.mode = parse_mode(mode);
            if (uid >= 0) o.uid = static_cast<std::uint32_t>(uid);
            if (gid >= 0) o.gid = static_cast<std::uint32_t>(gid);
            o.stop = stop;
            progress_line line("Pushing " + local, show_progress());
            if (show_progress()) o.progress = [&](std::uint64_t done, std::uint64_t total) { line.update(done, total); };
            if (local == "-") {
                files.put(dest, [&](char* b, std::size_t cap) { return read_stdin(b, cap, stop); }, o);
                continue;
            }
            files.put_file(dest, local, o);
        }
    });
}

void cmd_file_pull(std::vector<std::string> args, bool recursive, bool parents) {
    if (args.size() < 2) throw usage_error("usage: lxdpp file pull INSTANCE/PATH... LOCAL");
    auto local = args.back();
    args.pop_back();
    bool into_dir = args.size() > 1 || fs::is_directory(local) || recursive;
    if (parents) fs::create_directories(into_dir ? fs::path(local) : fs::path(local).parent_path());
    with_transfer_signals([&](std::stop_token stop) {
        for (auto& src : args) {
            auto [remote, name, path] = split_file_target(src);
            auto c = g.connect(remote);
            auto files = c.instances().get(name).files();
            auto base = fs::path(path).filename().string();
            auto dest = into_dir ? (fs::path(local) / base).string() : local;
            if (recursive) {
                files.recursive_get(path, dest, {.stop = stop});
                continue;
            }
            if (local == "-") {
                files.get(path, [&](std::string_view d) {
                    if (stop.stop_requested()) throw lxd::error(lxd::errc::operation_cancelled, lxd::diagnostics{});
                    (void)!::write(1, d.data(), d.size());
                });
                continue;
            }
            progress_line line("Pulling " + path, show_progress());
            lxd::get_options o{.stop = stop};
            if (show_progress()) o.progress = [&](std::uint64_t done) { line.update(done, 0); };
            files.get_to_file(path, dest, o);
        }
    });
}

void cmd_file_delete(const std::vector<std::string>& args) {
    for (auto& a : args) {
        auto [remote, name, path] = split_file_target(a);
        g.connect(remote).instances().get(name).files().remove(path);
    }
}

// ---- images -----------------------------------------------------------------------------

/// An image argument: alias or fingerprint (prefix) on a remote → full fingerprint.
std::pair<lxd::client, std::string> resolve_image(const std::string& arg) {
    auto [remote, img] = split_remote(g.cfg, arg);
    if (img.empty()) throw usage_error("no image given");
    auto c = g.connect(remote);
    try {
        return {c, c.images().alias(img).target};   // one GET: an alias, or not_found
    } catch (const lxd::error& e) {
        if (e.code_value() != lxd::errc::not_found) throw;
    }
    return {c, c.images().get(img).fingerprint};
}

void cmd_image_list(std::vector<std::string> args, const std::string& format, const std::string& columns) {
    // [REMOTE:] [FILTER...]: the first argument names a remote when it ends with ':'.
    std::string remote = g.cfg.default_remote();
    if (!args.empty() && args.front().find(':') != std::string::npos && g.cfg.has(args.front().substr(0, args.front().find(':')))) {
        remote = args.front().substr(0, args.front().find(':'));
        auto rest = args.front().substr(args.front().find(':') + 1);
        args.erase(args.begin());
        if (!rest.empty()) args.insert(args.begin(), rest);
    }
    for (char ch : columns)
        if (std::string_view("lLfFpdastu").find(ch) == std::string_view::npos)
            throw usage_error(std::string("Unknown column shorthand char '") + ch + "' in '" + columns + "'");
    auto c = g.connect(remote);
    auto all = c.images().all();
    // Filters as lxc: KEY=VALUE against properties, else a prefix of an alias or fingerprint.
    std::vector<lxd::api::image> shown;
    for (auto& i : all) {
        bool ok = true;
        for (auto& f : args) {
            if (auto eq = f.find('='); eq != std::string::npos) {
                auto p = i.properties.find(f.substr(0, eq));
                ok = ok && p != i.properties.end() && p->second == f.substr(eq + 1);
            } else {
                bool any = i.fingerprint.find(f) != std::string::npos;
                for (auto& a : i.aliases) any = any || a.name.find(f) != std::string::npos;
                ok = ok && any;
            }
        }
        if (ok) shown.push_back(i);
    }
    if (format == "json" || format == "yaml") {
        json::array arr;
        for (auto& i : shown) arr.push_back(parse_raw(i.raw_json));
        print_structured(std::cout, arr, format);
        return;
    }
    if (format != "table" && format != "csv" && format != "compact")
        throw usage_error("Invalid format \"" + format + "\"");
    table t;
    for (char ch : columns) {
        switch (ch) {
        case 'l': t.header.push_back("ALIAS"); break;
        case 'L': t.header.push_back("ALIASES"); break;
        case 'f': t.header.push_back("FINGERPRINT"); break;
        case 'F': t.header.push_back("FINGERPRINT"); break;
        case 'p': t.header.push_back("PUBLIC"); break;
        case 'd': t.header.push_back("DESCRIPTION"); break;
        case 'a': t.header.push_back("ARCHITECTURE"); break;
        case 's': t.header.push_back("SIZE"); break;
        case 't': t.header.push_back("TYPE"); break;
        case 'u': t.header.push_back("UPLOAD DATE"); break;
        }
    }
    for (auto& i : shown) {
        std::vector<std::string> names;
        for (auto& a : i.aliases) names.push_back(a.name);
        std::sort(names.begin(), names.end());
        std::string shortest, joined;
        for (auto& n : names) {
            if (shortest.empty() || n.size() < shortest.size()) shortest = n;
            joined += (joined.empty() ? "" : "\n") + n;
        }
        if (names.size() > 1) shortest += " (" + std::to_string(names.size() - 1) + " more)";
        auto d = i.properties.find("description");
        char size[32];
        std::snprintf(size, sizeof size, "%.2fMB", static_cast<double>(i.size) / 1024.0 / 1024.0);
        std::vector<std::string> row;
        for (char ch : columns) {
            switch (ch) {
            case 'l': row.push_back(shortest); break;
            case 'L': row.push_back(joined); break;
            case 'f': row.push_back(i.fingerprint.substr(0, 12)); break;
            case 'F': row.push_back(i.fingerprint); break;
            case 'p': row.push_back(i.is_public ? "yes" : "no"); break;
            case 'd': row.push_back(d == i.properties.end() ? "" : d->second); break;
            case 'a': row.push_back(i.architecture); break;
            case 's': row.push_back(size); break;
            case 't': row.push_back(i.type == "virtual-machine" ? "VIRTUAL-MACHINE" : "CONTAINER"); break;
            case 'u': row.push_back(local_time(i.uploaded_at, "%b %-d, %Y at %-I:%M%P (%Z)")); break;
            }
        }
        t.rows.push_back(std::move(row));
    }
    // lxc sorts the rows by their cells, left to right.
    std::sort(t.rows.begin(), t.rows.end());
    print_table(std::cout, t, format);
}

void cmd_image_import(std::vector<std::string> args, const std::vector<std::string>& aliases, bool is_public) {
    auto properties = split_properties(args);
    std::vector<std::string> files;
    std::string remote = g.cfg.default_remote();
    for (auto& a : args) {
        if (a.size() > 1 && a.back() == ':' && g.cfg.has(a.substr(0, a.size() - 1)))
            remote = a.substr(0, a.size() - 1);
        else
            files.push_back(a);
    }
    if (files.empty() || files.size() > 2) throw usage_error("usage: lxdpp image import TARBALL [ROOTFS] [REMOTE:] [KEY=VALUE...] [--alias A]");
    for (auto& f : files)
        if (f.find("://") != std::string::npos || fs::is_directory(f))
            throw usage_error("not supported by lxdpp: importing from a URL or a directory (" + f + ")");
    auto c = g.connect(remote);
    progress_line line("Uploading image", show_progress());
    lxd::image_import o;
    o.aliases = aliases;
    o.is_public = is_public;
    o.properties = properties;
    o.progress = [&line](std::uint64_t d, std::uint64_t t) { line.update(d, t); };
    auto op = files.size() == 1 ? c.images().import_file(files[0], o) : c.images().import_split(files[0], files[1], o);
    line.clear();
    auto done = wait_with_progress(op, "Importing");
    std::cout << "Image imported with fingerprint: " << lxd::image_fingerprint(done) << "\n";
}

void cmd_image_export(const std::string& arg, const std::string& target) {
    auto [c, fp] = resolve_image(arg);
    progress_line line("Exporting", show_progress());
    lxd::image_export_options eo{.progress = [&line](std::uint64_t d, std::uint64_t t) { line.update(d, t); }};
    if (target.empty() || fs::is_directory(target)) {
        (void)c.images().export_to(fp, target.empty() ? "." : target, eo);
    } else {
        // A file name, as lxc: a unified image becomes TARGET.<its extension> ("foo.tar.xz"),
        // a split one TARGET and TARGET.root. Written next to it first, then renamed.
        auto parent = fs::path(target).parent_path();
        if (parent.empty()) parent = ".";
        auto tmp = parent / (".lxdpp-export-" + std::to_string(::getpid()));
        fs::create_directories(tmp);
        try {
            auto out = c.images().export_to(fp, tmp.string(), eo);
            if (out.files.size() == 1) {
                auto name = fs::path(out.files[0]).filename().string();
                auto dot = name.find('.');
                fs::rename(out.files[0], dot == std::string::npos ? target : target + name.substr(dot));
            } else {
                fs::rename(out.files.at(0), target);
                fs::rename(out.files.at(1), target + ".root");
            }
        } catch (...) {
            std::error_code ec;
            fs::remove_all(tmp, ec);
            throw;
        }
        fs::remove_all(tmp);
    }
    line.clear();
    std::cout << "Image exported successfully!\n";
}

void cmd_publish(std::vector<std::string> args, const std::vector<std::string>& aliases, bool is_public,
                 const std::string& compression, const std::string& expire, bool force) {
    // [REMOTE:]NAME[/SNAP] [REMOTE:] [KEY=VALUE...]
    auto properties = split_properties(args);
    if (args.empty() || args.size() > 2) throw usage_error("usage: lxdpp publish [REMOTE:]NAME[/SNAPSHOT] [REMOTE:] [KEY=VALUE...]");
    auto [remote, src] = split_remote(g.cfg, args[0]);
    // As lxc: the image goes to the given remote, else to the default remote (not the source's).
    auto image_remote = args.size() == 2 ? remote_arg_name(args[1]) : g.cfg.default_remote();
    if (image_remote != remote)
        throw usage_error("not supported by lxdpp: publishing to another remote (the image goes to \"" + image_remote +
                          "\"; give \"" + remote + ":\" after the instance)");
    auto c = g.connect(remote);
    auto [inst_name, snap] = split_snapshot(src);
    std::optional<lxd::instance> restart;
    if (snap.empty()) {
        auto inst = c.instances().get(inst_name);
        if (inst.status() == "Running") {
            if (!force) throw usage_error("The instance is currently running. Use --force to have it stopped and restarted");
            inst.stop({.force = true}).wait(op_wait);
            restart = inst;
        }
    }
    lxd::image_publish o;
    o.is_public = is_public;
    o.properties = properties;
    o.compression_algorithm = compression;
    o.expires_at = expire;
    std::string fp;
    try {
        fp = lxd::image_fingerprint(wait_with_progress(c.images().publish(src, o), "Publishing"));
    } catch (...) {
        if (restart) restart->start().wait(op_wait);
        throw;
    }
    if (restart) restart->start().wait(op_wait);
    // As lxc: an alias that exists already is moved to the new image.
    for (auto& a : aliases) {
        if (c.images().alias_exists(a)) c.images().remove_alias(a);
        c.images().create_alias(a, fp);
    }
    std::cout << "Instance published with fingerprint: " << fp << "\n";
}

// ---- remotes ----------------------------------------------------------------------------

/// Whether an argument that is not a URL looks like a certificate add token (base64 with no
/// dots): such text may hold a secret and is never echoed back.
bool token_like(const std::string& s) {
    if (s.size() < 32 || s.find('.') != std::string::npos) return false;
    return s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-") == std::string::npos;
}

struct remote_flags {
    std::string password, token, project, protocol, auth_type;
    bool accept = false, is_public = false;
};

void cmd_remote_add(const std::string& name, std::string url, const remote_flags& f) {
    const auto& password = f.password;
    const auto& token = f.token;
    const auto& project = f.project;
    bool accept = f.accept;
    std::string protocol = f.protocol.empty() ? "lxd" : f.protocol;
    if (protocol != "lxd" && protocol != "simplestreams") throw usage_error("Invalid protocol: " + protocol);
    if (!f.auth_type.empty() && f.auth_type != "tls") throw usage_error("not supported by lxdpp: --auth-type " + f.auth_type);
    if (g.cfg.has(name)) throw usage_error("Remote " + name + " exists as <" + g.cfg.get(name).addr + ">");
    // `remote add NAME TOKEN`, as lxc: the token names the server's addresses and certificate.
    std::string token_fp;
    std::string secret_token = token;
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
    r.project = project;
    r.is_public = f.is_public;
    if (url.rfind("/", 0) == 0) url = "unix://" + url;   // a socket path, as lxc
    if (url.rfind("unix:", 0) == 0) {
        r.addr = url;
        r.auth_type = "tls";   // as lxc records an added socket
        g.cfg.add(r);
        g.cfg.save();
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
        g.cfg.add(r);
        g.cfg.save();
        return;
    }
    auto cert = lxd::fetch_server_certificate(url);
    auto fp = lxd::certificate_fingerprint(cert);
    if (!token_fp.empty()) {
        // The token vouches for the certificate: accept it only if it is the one named.
        if (token_fp != fp) throw usage_error("the server's certificate (" + fp + ") is not the one the token names");
        accept = true;
    }
    if (!accept) {
        // As lxc: asked on stdout, answered on stdin (a terminal or a pipe: `echo y | ...`).
        std::cout << "Certificate fingerprint: " << fp << "\nok (y/n/[fingerprint])? " << std::flush;
        std::string answer;
        if (!std::getline(std::cin, answer))
            throw usage_error("the server's certificate (fingerprint " + fp + ") must be accepted: use --accept-certificate");
        while (!answer.empty() && (answer.back() == '\r' || answer.back() == ' ')) answer.pop_back();
        if (answer != "y" && answer != "Y" && answer != "yes" && answer != fp) throw usage_error("Server certificate NACKed by user");
    }
    g.cfg.ensure_client_certificate();
    lxd::tls_options tls = lxd::tls_options::from_files(g.cfg.client_cert_path(), g.cfg.client_key_path());
    tls.server_cert_pem = cert;
    lxd::client_options o;
    o.timeout = g.timeout;
    auto c = lxd::client::connect_https(url, tls, o);
    if (!f.is_public && !c.trusted()) {
        std::string secret = !secret_token.empty() ? secret_token : password;
        if (secret.empty()) {
            if (!::isatty(0)) throw usage_error("the server does not trust this client: give --password or --token");
            std::cerr << "Admin password (or token) for " << name << ": ";
            termios t{}, quiet{};
            ::tcgetattr(0, &t);
            quiet = t;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            ::tcsetattr(0, TCSANOW, &quiet);
            std::getline(std::cin, secret);
            ::tcsetattr(0, TCSANOW, &t);
            std::cerr << "\n";
        }
        c.authenticate(secret, "lxdpp");
        if (!c.trusted()) throw usage_error("the server did not trust this client after authentication");
    }
    fs::create_directories(g.cfg.dir() + "/servercerts");
    {
        auto path = g.cfg.server_cert_path(name);
        std::FILE* f = std::fopen(path.c_str(), "w");
        if (!f) throw usage_error("cannot write " + path);
        std::fwrite(cert.data(), 1, cert.size(), f);
        std::fclose(f);
    }
    g.cfg.add(r);
    g.cfg.save();
    if (!g.quiet) std::cerr << "Client certificate now trusted by server: " << name << "\n";
}

void cmd_remote_list(const std::string& format) {
    table t{{"NAME", "URL", "PROTOCOL", "AUTH TYPE", "PUBLIC", "STATIC", "GLOBAL"}, {}};
    json::object obj;
    for (auto& [name, r] : g.cfg.remotes()) {
        auto auth = !r.auth_type.empty() ? r.auth_type : r.is_unix() ? "file access" : r.protocol == "simplestreams" ? "none" : "tls";
        t.rows.push_back({name + (name == g.cfg.default_remote() ? " (current)" : ""), r.addr, r.protocol.empty() ? "lxd" : r.protocol,
                          auth, r.is_public ? "YES" : "NO", r.is_static ? "YES" : "NO", "NO"});
        if (format == "yaml") {
            // lxc's config.yml form: empty fields left out.
            json::object y{{"addr", r.addr}};
            if (!r.auth_type.empty()) y["auth_type"] = r.auth_type;
            if (!r.project.empty()) y["project"] = r.project;
            if (!r.protocol.empty()) y["protocol"] = r.protocol;
            y["public"] = r.is_public;
            obj[name] = y;
        } else {
            obj[name] = json::object{{"Addr", r.addr}, {"AuthType", r.auth_type}, {"Domain", ""}, {"Project", r.project},
                                     {"Protocol", r.protocol}, {"Public", r.is_public}, {"Global", false}, {"Static", r.is_static}};
        }
    }
    if (!print_structured(std::cout, obj, format)) print_table(std::cout, t, format);
}

// ---- config -----------------------------------------------------------------------------

/// lxc's reading of `config get|set|unset [REMOTE:][INSTANCE] ...`: the remote and instance
/// ("" for the server) and the remaining arguments.
std::tuple<std::string, std::string, std::vector<std::string>> config_target(std::vector<std::string> args, std::size_t server_args) {
    // With exactly `server_args` arguments, or a first argument holding '=', they are all keys
    // (and values) of the default remote's server.
    if (args.empty()) throw usage_error("Missing key");
    if (args.size() == server_args || args[0].find('=') != std::string::npos) return {g.cfg.default_remote(), "", args};
    auto [remote, name] = split_remote(g.cfg, args[0]);
    args.erase(args.begin());
    return {remote, name, args};
}

void cmd_config_get(const std::vector<std::string>& args, bool expanded) {
    auto [remote, name, rest] = config_target(args, 1);
    if (rest.size() != 1) throw usage_error("usage: lxdpp config get [REMOTE:][INSTANCE] KEY");
    auto c = g.connect(remote);
    std::string value;
    if (name.empty()) {
        auto cfg = parse_raw(c.host_info().config_json);
        if (auto* v = cfg.is_object() ? cfg.as_object().if_contains(rest[0]) : nullptr; v && v->is_string()) value = v->get_string();
    } else {
        auto i = c.instances().get(name);
        const auto& cfg = expanded ? i.expanded_config() : i.config();
        if (auto it = cfg.find(rest[0]); it != cfg.end()) value = it->second;
    }
    std::cout << printable(value) << "\n";
}

void cmd_config_set(const std::vector<std::string>& args) {
    auto [remote, name, kvs] = config_target(args, 0);   // set: the server only with KEY=VALUE first
    if (kvs.empty()) throw usage_error("usage: lxdpp config set [REMOTE:][INSTANCE] KEY=VALUE...");
    lxd::api::config_map changes;
    if (kvs.size() == 2 && kvs[0].find('=') == std::string::npos)
        changes[kvs[0]] = kvs[1];
    else
        for (auto& kv : kvs) changes.insert(parse_kv(kv));
    if (name.empty()) throw usage_error("not supported by lxdpp: server configuration (config set without an instance)");
    auto i = g.connect(remote).instances().get(name);
    for (auto& [k, v] : changes) i.set_config(k, v);
    i.save();
}

void cmd_config_unset(const std::vector<std::string>& args) {
    auto [remote, name, rest] = config_target(args, 1);
    if (rest.size() != 1) throw usage_error("usage: lxdpp config unset [REMOTE:][INSTANCE] KEY");
    if (name.empty()) throw usage_error("not supported by lxdpp: server configuration (config unset without an instance)");
    auto i = g.connect(remote).instances().get(name);
    if (!i.config().count(rest[0])) throw usage_error("can't unset key '" + rest[0] + "', it's not currently set");
    i.unset_config(rest[0]);
    i.save();
}

void cmd_config_show(const std::string& arg, bool expanded) {
    auto [remote, full] = split_remote(g.cfg, arg);
    auto c = g.connect(remote);
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
        if (expanded && (key == "config" || key == "devices")) key = "expanded_" + key;
        if (auto* x = o.if_contains(key)) shown[k] = *x;
    }
    std::cout << printable(to_yaml(shown));
}

// ---- completion -------------------------------------------------------------------------

std::string bash_completion(const CLI::App& app) {
    std::string words, cases;
    for (auto* sub : app.get_subcommands({})) {
        words += sub->get_name() + " ";
        std::string subwords;
        for (auto* s2 : sub->get_subcommands({})) subwords += s2->get_name() + " ";
        for (auto* opt : sub->get_options())
            for (auto& l : opt->get_lnames()) subwords += "--" + l + " ";
        cases += "    " + sub->get_name() + ") opts=\"" + subwords + "\";;\n";
    }
    return "# bash completion for lxdpp (generated by `lxdpp completion bash`)\n"
           "_lxdpp() {\n"
           "  local cur=${COMP_WORDS[COMP_CWORD]} opts\n"
           "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
           "    COMPREPLY=($(compgen -W \"" + words + "\" -- \"$cur\")); return\n"
           "  fi\n"
           "  case \"${COMP_WORDS[1]}\" in\n" + cases +
           "    *) opts=\"\";;\n"
           "  esac\n"
           "  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")); return; fi\n"
           "  local names; names=$(lxdpp list --format csv -c n 2>/dev/null)\n"
           "  COMPREPLY=($(compgen -W \"$opts $names\" -- \"$cur\"))\n"
           "}\n"
           "complete -F _lxdpp lxdpp\n";
}

/// lxc's `aliases:` from config.yml: the longest alias whose words start the command line is
/// replaced by its expansion; @ARGS@ stands for the remaining arguments (else they follow),
/// @ARG1@, @ARG2@... inside a word for single ones.
std::vector<std::string> expand_aliases(const config& cfg, const std::vector<std::string>& args) {
    auto words = [](const std::string& s) {
        std::vector<std::string> w;
        std::istringstream in(s);
        for (std::string x; in >> x;) w.push_back(x);
        return w;
    };
    // Global flags before the verb stay where they are.
    std::size_t start = 0;
    while (start < args.size() && args[start].rfind("-", 0) == 0 && args[start] != "--") ++start;
    std::vector<std::string> best_key;
    std::string best_value;
    for (auto& [k, v] : cfg.aliases()) {
        auto kw = words(k);
        if (kw.empty() || kw.size() <= best_key.size() || start + kw.size() > args.size()) continue;
        if (std::equal(kw.begin(), kw.end(), args.begin() + static_cast<std::ptrdiff_t>(start))) {
            best_key = kw;
            best_value = v;
        }
    }
    if (best_key.empty()) return args;
    std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(start + best_key.size()), args.end());
    std::vector<std::string> out(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(start));
    bool used_all = false;
    // Arguments an @ARGn@ takes are not repeated by @ARGS@ or after the expansion.
    std::vector<bool> taken(rest.size(), false);
    for (std::size_t n = 1; n <= rest.size(); ++n)
        if (best_value.find("@ARG" + std::to_string(n) + "@") != std::string::npos) taken[n - 1] = true;
    std::vector<std::string> others;
    for (std::size_t n = 0; n < rest.size(); ++n)
        if (!taken[n]) others.push_back(rest[n]);
    for (auto w : words(best_value)) {
        if (w == "@ARGS@") {
            out.insert(out.end(), others.begin(), others.end());
            used_all = true;
        } else {
            // @ARGn@ anywhere in a word is replaced; the arguments still follow (as lxc).
            for (std::size_t n = rest.size(); n >= 1; --n) {
                auto mark = "@ARG" + std::to_string(n) + "@";
                for (auto p = w.find(mark); p != std::string::npos; p = w.find(mark, p + rest[n - 1].size()))
                    w.replace(p, mark.size(), rest[n - 1]);
            }
            out.push_back(w);
        }
    }
    if (!used_all) out.insert(out.end(), others.begin(), others.end());
    return out;
}

std::string error_line(const lxd::error& e) {
    const auto& d = e.diag();
    if (!d.server_message.empty()) return printable(d.server_message + (d.detail.empty() ? "" : " (" + d.detail + ")"));
    if (!d.detail.empty()) return printable(d.detail);
    return printable(e.what());
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"lxdpp: the lxc commands people use, on the lxdpp C++ library"};
    app.name("lxdpp");
    app.require_subcommand(1);
    app.fallthrough();
    int exit_code = 0;
    bool show_version = false;
    app.add_flag("--version", show_version, "Print the client version");
    app.add_option("--project", g.project, "Override the remote's project");
    app.add_flag("-q,--quiet", g.quiet, "No progress output");
    bool force_local = false;
    app.add_flag("--force-local", force_local, "Force using the local unix socket");
    unsupported_flag(&app, "--debug");
    unsupported_flag(&app, "-v,--verbose");
    unsupported_flag(&app, "--sub-commands");
    int timeout_s = 30;
    app.add_option("--timeout", timeout_s, "Seconds each request may take (default 30)");

    // list
    std::string list_remote, format = "table", columns = "ns46tS";
    std::vector<std::string> list_filters;
    bool all_projects = false;
    auto* list = app.add_subcommand("list", "List instances")->alias("ls");
    list->add_option("remote", list_remote, "[REMOTE:][NAME-PREFIX]");
    list->add_option("filters", list_filters, "key=value filters");
    list->add_option("-f,--format", format, "table|compact|csv|json|yaml");
    list->add_option("-c,--columns", columns, "Columns: n s 4 6 t S L a c l p P e d");
    list->add_flag("--all-projects", all_projects, "All projects");
    bool fast = false;
    list->add_flag("--fast", fast, "Fast mode (same as --columns=nsacPt)");
    list->callback([&] { cmd_list(list_remote, list_filters, format, fast ? std::string("nsacPt") : columns, all_projects); });

    std::string one;
    auto* info = app.add_subcommand("info", "Show an instance (or, with REMOTE:, the server)");
    info->add_option("name", one, "[REMOTE:]NAME")->required();
    unsupported_flag(info, "--resources");
    unsupported_flag(info, "--show-log");
    info->add_option("--target", g.target, "Cluster member name");
    info->callback([&] { cmd_info(one); });

    // launch / init
    std::string image_arg, new_name;
    create_flags cf;
    for (auto [cmd, start] : {std::pair{"launch", true}, std::pair{"init", false}}) {
        auto* s = app.add_subcommand(cmd, start ? "Create and start an instance from an image" : "Create an instance from an image");
        s->add_option("image", image_arg, "[REMOTE:]IMAGE (alias or fingerprint)");
        s->add_option("name", new_name, "[REMOTE:]NAME (default: one the server picks)");
        s->add_option("-p,--profile", cf.profiles, "Profile (repeatable)");
        s->add_option("-c,--config", cf.config, "KEY=VALUE (repeatable)");
        s->add_flag("-e,--ephemeral", cf.ephemeral, "Ephemeral instance");
        s->add_flag("--vm", cf.vm, "A virtual machine");
        s->add_flag("--empty", cf.empty, "No image: an empty instance");
        s->add_flag("--no-profiles", cf.no_profiles, "Create the instance with no profiles applied");
        s->add_option("-s,--storage", cf.storage, "Storage pool name");
        unsupported_option(s, "-d,--device");
        unsupported_option(s, "-n,--network");
        unsupported_option(s, "-t,--type");
        if (start) unsupported_flag(s, "--console");
        s->add_option("--target", g.target, "Cluster member");
        s->callback([&, start = start] {
            if (image_arg.empty() && !cf.empty) throw usage_error("Missing image name (or --empty)");
            cmd_create(image_arg, new_name, start, cf);
        });
    }

    // lifecycle
    std::vector<std::string> names;
    bool force = false, all_instances = false, stop_stateful = false, stateless = false;
    int stop_timeout = -1;
    for (auto [cmd, act, help] : {std::tuple{"start", action::start, "Start instances"}, std::tuple{"stop", action::stop, "Stop instances"},
                                  std::tuple{"restart", action::restart, "Restart instances"},
                                  std::tuple{"pause", action::pause, "Freeze instances"},
                                  std::tuple{"resume", action::resume, "Unfreeze instances"}}) {
        auto* s = app.add_subcommand(cmd, help);
        s->add_option("names", names, "[REMOTE:]NAME...");
        s->add_flag("--all", all_instances, "Run against all instances");
        if (act == action::stop || act == action::restart) {
            s->add_flag("-f,--force", force, "Kill instead of a clean shutdown");
            s->add_option("--timeout", stop_timeout, "Seconds to wait for a clean shutdown");
        }
        if (act == action::stop) s->add_flag("--stateful", stop_stateful, "Store the instance state (needs CRIU)");
        if (act == action::start) s->add_flag("--stateless", stateless, "Ignore the instance state (lxdpp never restores it)");
        if (act == action::start || act == action::stop || act == action::restart) unsupported_flag(s, "--console");
        s->callback([&, act = act] { cmd_state(act, names, all_instances, force, stop_timeout, stop_stateful); });
    }
    auto* del = app.add_subcommand("delete", "Delete instances or snapshots (NAME/SNAPSHOT)")->alias("rm");
    del->add_option("names", names, "[REMOTE:]NAME[/SNAPSHOT]...")->required();
    del->add_flag("-f,--force", force, "Stop running instances first");
    unsupported_flag(del, "-i,--interactive");
    del->callback([&] { cmd_delete(names, force); });

    // rename / move / copy
    std::string src_arg, dst_arg;
    move_flags mf;
    auto* ren = app.add_subcommand("rename", "Rename an instance or a snapshot (NAME/SNAP NAME/NEW)");
    ren->add_option("name", src_arg, "[REMOTE:]NAME[/SNAPSHOT]")->required();
    ren->add_option("new", dst_arg, "NEW-NAME[/SNAPSHOT]")->required();
    ren->callback([&] { cmd_move(src_arg, dst_arg, false, mf); });
    auto* mv = app.add_subcommand("move", "Rename an instance or snapshot, or move it to another server or cluster member")->alias("mv");
    auto* cp = app.add_subcommand("copy", "Copy an instance, or make an instance of a snapshot")->alias("cp");
    for (auto* s : {mv, cp}) {
        bool is_copy = s == cp;
        s->add_option("source", src_arg, "[REMOTE:]NAME[/SNAPSHOT]")->required();
        s->add_option("destination", dst_arg, "[REMOTE:][NEW-NAME[/SNAPSHOT]]");
        s->add_flag("--instance-only", mf.instance_only, "Without its snapshots");
        s->add_option("--mode", mf.mode, "pull, push or relay");
        s->add_option("--target", mf.member, "Cluster member");
        s->add_flag("--stateless", mf.stateless, "A running instance: copy it as it is on disk");
        if (is_copy) {
            s->add_flag("--refresh", mf.refresh, "(not supported by lxdpp)");
            unsupported_flag(s, "-e,--ephemeral");
        }
        unsupported_flag(s, "--allow-inconsistent");
        unsupported_option(s, "-c,--config");
        unsupported_option(s, "-d,--device");
        unsupported_flag(s, "--no-profiles");
        unsupported_option(s, "-p,--profile");
        unsupported_option(s, "-s,--storage");
        unsupported_option(s, "--target-project");
        s->callback([&, is_copy] {
            if (is_copy && dst_arg.empty()) throw usage_error("Missing destination: lxdpp copy SOURCE DESTINATION");
            cmd_move(src_arg, dst_arg, is_copy, mf);
        });
    }

    // exec
    std::vector<std::string> cmd;
    exec_flags xf;
    auto* ex = app.add_subcommand("exec", "Run a command in an instance: exec NAME [flags] [--] COMMAND...");
    ex->add_option("name", one, "[REMOTE:]NAME")->required();
    ex->add_option("command", cmd, "COMMAND... (after --)");
    ex->add_option("--env", xf.env, "KEY=VALUE (repeatable)");
    ex->add_option("--cwd", xf.cwd, "Working directory");
    ex->add_option("--user", xf.user, "UID");
    ex->add_option("--group", xf.group, "GID");
    ex->add_option("--mode", xf.mode, "auto, interactive or non-interactive");
    ex->add_flag("-n,--disable-stdin", xf.no_stdin, "Stdin from /dev/null");
    ex->add_flag("-t,--force-interactive", xf.force_tty, "Always use a terminal");
    ex->add_flag("-T,--force-noninteractive", xf.no_tty, "Never use a terminal");
    ex->callback([&] { exit_code = cmd_exec(one, cmd, xf); });

    // file
    std::vector<std::string> paths;
    bool recursive = false, parents = false;
    std::string file_mode;
    int uid = -1, gid = -1;
    auto* file = app.add_subcommand("file", "Push, pull and delete files in instances");
    file->require_subcommand(1);
    auto* push = file->add_subcommand("push", "LOCAL... [REMOTE:]NAME/PATH");
    push->add_option("paths", paths)->required();
    push->add_flag("-r,--recursive", recursive, "Directories");
    push->add_flag("-p,--create-dirs", parents, "Create missing directories");
    push->add_option("--mode", file_mode, "Octal mode");
    push->add_option("--uid", uid, "Owner");
    push->add_option("--gid", gid, "Group");
    push->callback([&] { cmd_file_push(paths, recursive, parents, file_mode, uid, gid); });
    auto* pull = file->add_subcommand("pull", "[REMOTE:]NAME/PATH... LOCAL");
    pull->add_option("paths", paths)->required();
    pull->add_flag("-r,--recursive", recursive, "Directories");
    pull->add_flag("-p,--create-dirs", parents, "Create missing local directories");
    pull->callback([&] { cmd_file_pull(paths, recursive, parents); });
    auto* fdel = file->add_subcommand("delete", "[REMOTE:]NAME/PATH...")->alias("rm");
    fdel->add_option("paths", paths)->required();
    fdel->callback([&] { cmd_file_delete(paths); });

    // snapshots
    std::string snap_name, expiry;
    bool stateful = false;
    auto* snap = app.add_subcommand("snapshot", "Snapshot an instance: snapshot NAME [SNAPSHOT]");
    snap->add_option("name", one, "[REMOTE:]NAME")->required();
    snap->add_option("snapshot", snap_name, "Snapshot name (default snapN)");
    snap->add_flag("--stateful", stateful, "Include the running state (needs CRIU)");
    snap->add_option("--expiry", expiry, "RFC 3339 expiry date (lxdpp only)");
    bool no_expiry = false, reuse = false;
    snap->add_flag("--no-expiry", no_expiry, "Ignore any configured auto-expiry for the instance");
    snap->add_flag("--reuse", reuse, "If the snapshot name already exists, delete and create a new one");
    snap->callback([&] {
        auto [remote, name] = split_remote(g.cfg, one);
        auto i = g.connect(remote).instances().get(name);
        auto snaps = i.snapshots();
        if (snap_name.empty()) {
            for (int n = 0;; ++n)
                if (!snaps.exists("snap" + std::to_string(n))) {
                    snap_name = "snap" + std::to_string(n);
                    break;
                }
        } else if (reuse && snaps.exists(snap_name)) {
            snaps.get(snap_name).remove().wait(op_wait);
        }
        // --no-expiry: LXD's zero time, which overrides snapshots.expiry.
        if (no_expiry) expiry = "0001-01-01T00:00:00Z";
        wait_with_progress(snaps.create(snap_name, {.stateful = stateful, .expires_at = expiry}), "Snapshotting");
    });
    auto* snaps_list = app.add_subcommand("snapshots", "List an instance's snapshots");
    snaps_list->add_option("name", one, "[REMOTE:]NAME")->required();
    snaps_list->add_option("-f,--format", format, "table|compact|csv|json|yaml");
    snaps_list->callback([&] {
        auto [remote, name] = split_remote(g.cfg, one);
        auto all = g.connect(remote).instances().get(name).snapshots().all();
        json::array arr;
        table t{{"NAME", "TAKEN AT", "EXPIRES AT", "STATEFUL"}, {}};
        for (auto& s : all) {
            arr.push_back(parse_raw(s.raw_json()));
            t.rows.push_back({s.name(), s.created_at(), s.expires_at().rfind("0001-", 0) == 0 ? "" : s.expires_at(),
                              s.stateful() ? "YES" : "NO"});
        }
        if (!print_structured(std::cout, arr, format)) print_table(std::cout, t, format);
    });
    auto* restore = app.add_subcommand("restore", "Restore an instance from a snapshot: restore NAME SNAPSHOT");
    restore->add_option("name", one, "[REMOTE:]NAME")->required();
    restore->add_option("snapshot", snap_name, "Snapshot")->required();
    restore->add_flag("--stateful", stateful, "Restore the running state too");
    restore->callback([&] {
        auto [remote, name] = split_remote(g.cfg, one);
        g.connect(remote).instances().get(name).restore_snapshot(snap_name, stateful).wait(op_wait);
    });

    // images
    std::vector<std::string> aliases, image_args;
    bool is_public = false;
    std::string dir, compression, alias_desc;
    auto* image = app.add_subcommand("image", "Manage images");
    image->require_subcommand(1);
    auto* ilist = image->add_subcommand("list", "[REMOTE:] [FILTER...]")->alias("ls");
    std::string image_columns = "lfpdatsu";
    ilist->add_option("args", image_args, "[REMOTE:] [FILTER...]");
    ilist->add_option("-f,--format", format, "table|compact|csv|json|yaml");
    ilist->add_option("-c,--columns", image_columns, "Columns: l L f F p d a s t u (default lfpdatsu)");
    ilist->callback([&] { cmd_image_list(image_args, format, image_columns); });
    auto* iimport = image->add_subcommand("import", "TARBALL [ROOTFS] [REMOTE:] [KEY=VALUE...]");
    iimport->add_option("files", image_args)->required();
    iimport->add_option("--alias", aliases, "Alias (repeatable)");
    iimport->add_flag("--public", is_public, "Public image");
    iimport->callback([&] { cmd_image_import(image_args, aliases, is_public); });
    auto* iexport = image->add_subcommand("export", "[REMOTE:]IMAGE [DIRECTORY|FILE]");
    iexport->add_option("image", one)->required();
    iexport->add_option("target", dir);
    unsupported_flag(iexport, "--vm");
    iexport->callback([&] { cmd_image_export(one, dir); });
    auto* idelete = image->add_subcommand("delete", "[REMOTE:]IMAGE...")->alias("rm");
    idelete->add_option("images", image_args)->required();
    idelete->callback([&] {
        for (auto& a : image_args) {
            auto [c, fp] = resolve_image(a);
            c.images().remove(fp).wait(op_wait);
        }
    });
    auto* ishow = image->add_subcommand("show", "[REMOTE:]IMAGE");
    ishow->add_option("image", one)->required();
    unsupported_flag(ishow, "--vm");
    ishow->callback([&] {
        auto [c, fp] = resolve_image(one);
        // As lxc: the image's editable part.
        auto v = parse_raw(c.images().get(fp).raw_json);
        json::object shown;
        for (auto* k : {"auto_update", "properties", "public", "expires_at", "profiles"})
            if (auto* x = v.as_object().if_contains(k)) shown[k] = *x;
        std::cout << printable(to_yaml(shown));
    });
    auto* ialias = image->add_subcommand("alias", "Manage image aliases");
    ialias->require_subcommand(1);
    auto* acreate = ialias->add_subcommand("create", "[REMOTE:]ALIAS IMAGE");
    acreate->add_option("alias", one)->required();
    acreate->add_option("image", src_arg)->required();
    acreate->add_option("--description", alias_desc);
    acreate->callback([&] {
        auto [remote, alias] = split_remote(g.cfg, one);
        auto [c, fp] = resolve_image(remote + ":" + src_arg);
        c.images().create_alias(alias, fp, alias_desc);
    });
    auto* adelete = ialias->add_subcommand("delete", "[REMOTE:]ALIAS")->alias("rm");
    adelete->add_option("alias", one)->required();
    adelete->callback([&] {
        auto [remote, alias] = split_remote(g.cfg, one);
        g.connect(remote).images().remove_alias(alias);
    });
    auto* arename = ialias->add_subcommand("rename", "[REMOTE:]ALIAS NEW")->alias("mv");
    arename->add_option("alias", one)->required();
    arename->add_option("new", dst_arg)->required();
    arename->callback([&] {
        auto [remote, alias] = split_remote(g.cfg, one);
        g.connect(remote).images().rename_alias(alias, dst_arg);
    });
    auto* alist = ialias->add_subcommand("list", "[REMOTE:] [FILTER...]")->alias("ls");
    alist->add_option("args", image_args, "[REMOTE:] [FILTER...]");
    alist->add_option("-f,--format", format);
    alist->callback([&] {
        std::string remote = g.cfg.default_remote();
        auto filters = image_args;
        if (!filters.empty() && filters.front().back() == ':') {
            remote = remote_arg_name(filters.front());
            filters.erase(filters.begin());
        }
        table t{{"ALIAS", "FINGERPRINT", "TYPE", "DESCRIPTION"}, {}};
        json::array arr;
        for (auto& a : g.connect(remote).images().aliases()) {
            // As lxc: shown when any filter is part of its name or its target.
            bool show = filters.empty();
            for (auto& f : filters) show = show || a.name.find(f) != std::string::npos || a.target.find(f) != std::string::npos;
            if (!show) continue;
            t.rows.push_back({a.name, a.target.substr(0, 12), upper(a.type), a.description});
            arr.push_back(json::object{{"description", a.description}, {"target", a.target}, {"name", a.name}, {"type", a.type}});
        }
        std::sort(t.rows.begin(), t.rows.end());   // as lxc: by alias
        if (!print_structured(std::cout, arr, format)) print_table(std::cout, t, format);
    });
    auto* pub = app.add_subcommand("publish", "Make an image of an instance or snapshot: publish [REMOTE:]NAME[/SNAP] [REMOTE:] [KEY=VALUE...]");
    std::vector<std::string> pub_args;
    std::string pub_expire;
    bool pub_force = false;
    pub->add_option("args", pub_args, "[REMOTE:]NAME[/SNAPSHOT] [REMOTE:] [KEY=VALUE...]")->required();
    pub->add_option("--alias", aliases, "Alias (repeatable); an existing one is moved to the new image");
    pub->add_flag("--public", is_public);
    pub->add_option("--compression", compression, "gzip, xz, none, ...");
    pub->add_option("--expire", pub_expire, "Image expiration date (RFC 3339)");
    pub->add_flag("-f,--force", pub_force, "Stop the instance if it is running (and start it again after)");
    unsupported_flag(pub, "--reuse");
    pub->callback([&] { cmd_publish(pub_args, aliases, is_public, compression, pub_expire, pub_force); });

    // remotes
    std::string url;
    remote_flags rf;
    auto* remote = app.add_subcommand("remote", "Manage remotes (shared with lxc)");
    remote->require_subcommand(1);
    auto* radd = remote->add_subcommand("add", "NAME URL");
    radd->add_option("name", one)->required();
    radd->add_option("url", url, "URL, or a certificate add token")->required();
    radd->add_option("--password", rf.password, "Trust password");
    radd->add_option("--token", rf.token, "Certificate add token (lxdpp only; lxc takes it in place of the URL)");
    radd->add_flag("--accept-certificate", rf.accept, "Accept the server's certificate without asking");
    radd->add_option("--project", rf.project, "Project to use");
    radd->add_option("--protocol", rf.protocol, "lxd or simplestreams");
    radd->add_option("--auth-type", rf.auth_type, "tls (candid: not supported by lxdpp)");
    radd->add_flag("--public", rf.is_public, "Public image server: no trust needed");
    unsupported_option(radd, "--domain");
    radd->callback([&] { cmd_remote_add(one, url, rf); });
    auto* rlist = remote->add_subcommand("list", "List remotes")->alias("ls");
    rlist->add_option("-f,--format", format);
    rlist->callback([&] { cmd_remote_list(format); });
    auto* rremove = remote->add_subcommand("remove", "NAME")->alias("rm");
    rremove->add_option("name", one)->required();
    rremove->callback([&] {
        g.cfg.remove(one);
        g.cfg.save();
    });
    auto* rswitch = remote->add_subcommand("switch", "NAME: make it the default")->alias("set-default");
    rswitch->add_option("name", one)->required();
    rswitch->callback([&] {
        g.cfg.set_default(one);
        g.cfg.save();
    });
    auto* rdefault = remote->add_subcommand("get-default", "Print the default remote");
    rdefault->callback([&] { std::cout << g.cfg.default_remote() << "\n"; });

    // config
    std::vector<std::string> kvs;
    bool expanded = false;
    auto* config = app.add_subcommand("config", "Instance and server configuration");
    config->require_subcommand(1);
    auto* cget = config->add_subcommand("get", "[REMOTE:][NAME] KEY");
    cget->add_option("args", kvs, "[REMOTE:][NAME] KEY")->required();
    cget->add_flag("-e,--expanded", expanded, "With profiles applied");
    cget->callback([&] { cmd_config_get(kvs, expanded); });
    auto* cset = config->add_subcommand("set", "[REMOTE:][NAME] KEY=VALUE... | [REMOTE:][NAME] KEY VALUE");
    cset->add_option("args", kvs)->required();
    cset->callback([&] { cmd_config_set(kvs); });
    auto* cunset = config->add_subcommand("unset", "[REMOTE:][NAME] KEY");
    cunset->add_option("args", kvs)->required();
    cunset->callback([&] { cmd_config_unset(kvs); });
    for (auto* s : {cget, cset, cunset}) s->add_option("--target", g.target, "Cluster member name");
    auto* cshow = config->add_subcommand("show", "[REMOTE:][NAME[/SNAPSHOT]]");
    cshow->add_option("name", one);
    cshow->add_option("--target", g.target, "Cluster member name");
    cshow->add_flag("-e,--expanded", expanded, "With profiles applied");
    cshow->callback([&] { cmd_config_show(one, expanded); });

    // cluster
    auto* cluster = app.add_subcommand("cluster", "Cluster members");
    cluster->require_subcommand(1);
    auto* clist = cluster->add_subcommand("list", "[REMOTE:]")->alias("ls");
    clist->add_option("remote", one, "REMOTE:");
    clist->add_option("-f,--format", format, "table|compact|csv|json|yaml");
    clist->callback([&] {
        auto c = g.connect(remote_arg_name(one));
        if (!c.cluster().enabled()) throw usage_error("LXD server isn't part of a cluster");
        table t{{"NAME", "URL", "ROLES", "ARCHITECTURE", "FAILURE DOMAIN", "DESCRIPTION", "STATE", "MESSAGE"}, {}};
        json::array arr;
        for (auto& m : c.cluster().members()) {
            std::string roles;
            for (auto& x : m.roles) roles += (roles.empty() ? "" : "\n") + x;
            t.rows.push_back({m.server_name, m.url, roles, m.architecture, m.failure_domain, m.description, upper(m.status), m.message});
            arr.push_back(parse_raw(m.raw_json));
        }
        if (!print_structured(std::cout, arr, format)) print_table(std::cout, t, format);
    });
    auto* cshow_member = cluster->add_subcommand("show", "[REMOTE:]MEMBER");
    cshow_member->add_option("member", one)->required();
    cshow_member->callback([&] {
        auto [remote, name] = split_remote(g.cfg, one);
        std::cout << printable(to_yaml(parse_raw(g.connect(remote).cluster().member(name).raw_json)));
    });
    bool cluster_force = false;
    for (auto [verb, evacuate] : {std::pair{"evacuate", true}, std::pair{"restore", false}}) {
        auto* s = cluster->add_subcommand(verb, evacuate ? "[REMOTE:]MEMBER: move its instances away" : "[REMOTE:]MEMBER: bring it back");
        s->add_option("member", one)->required();
        s->add_flag("--force", cluster_force, "Do not ask");
        s->callback([&, verb = std::string(verb), evacuate = evacuate] {
            auto [remote, name] = split_remote(g.cfg, one);
            if (!cluster_force) {
                if (!::isatty(0)) throw usage_error("not asking without a terminal: use --force to " + verb + " " + name);
                std::cerr << "Are you sure you want to " << verb << " cluster member \"" << name << "\"? (yes/no) [default=no]: ";
                std::string answer;
                std::getline(std::cin, answer);
                if (answer != "yes" && answer != "y") throw usage_error("user aborted " + verb);
            }
            auto c = g.connect(remote).cluster();
            wait_with_progress(evacuate ? c.evacuate(name) : c.restore(name), evacuate ? "Evacuating" : "Restoring");
        });
    }

    auto* version = app.add_subcommand("version", "Client and server versions");
    std::string vremote;
    version->add_option("remote", vremote, "REMOTE:");
    version->callback([&] {
        std::cout << "Client version: " << lxd::version_string << "\n";
        try {
            std::cout << "Server version: " << printable(g.connect(remote_arg_name(vremote)).server_version()) << "\n";
        } catch (const lxd::error&) {
            std::cout << "Server version: unreachable\n";
        }
    });
    auto* help = app.add_subcommand("help", "Help on a command: help [COMMAND]");
    std::vector<std::string> help_cmd;
    help->add_option("command", help_cmd);
    auto* completion = app.add_subcommand("completion", "Print a shell completion script: completion bash");
    std::string shell = "bash";
    completion->add_option("shell", shell);
    completion->callback([&] {
        if (shell != "bash") throw usage_error("only bash completion is generated");
        std::cout << bash_completion(app);
    });

    help->callback([&] {
        const CLI::App* target = &app;
        for (auto& c : help_cmd) target = target->get_subcommand(c);
        std::cout << target->help();
    });

    try {
        if (argc == 2 && std::string(argv[1]) == "--version") {
            std::cout << lxd::version_string << "\n";
            return 0;
        }
        g.cfg = config::load();
        one_value_per_option(&app);
        app.parse_complete_callback([&] { g.timeout = std::chrono::seconds(timeout_s); });
        std::vector<std::string> args = expand_aliases(g.cfg, std::vector<std::string>(argv + 1, argv + argc));
        // --force-local (before any "--") takes effect before any subcommand reads a remote.
        auto dashdash = std::find(args.begin(), args.end(), "--");
        if (std::find(args.begin(), dashdash, "--force-local") != dashdash) g.cfg.force_local();
        std::reverse(args.begin(), args.end());   // CLI11 takes them last to first
        app.parse(args);
        return exit_code;
    } catch (const exit_status& e) {
        return e.code;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 1;   // as lxc: any usage error exits 1
    } catch (const lxd::error& e) {
        std::cerr << "Error: " << error_line(e) << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "Error: " << printable(e.what()) << "\n";
        return 1;
    }
}
