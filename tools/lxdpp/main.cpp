// lxdpp — the lxc commands people use, on the lxdpp library's public headers only.
// Reads and writes lxc's client configuration, so remotes and certificates are shared.
#include <csignal>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include <fcntl.h>
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
    case 'c': return i.created_at();
    case 'l': return i.last_used_at();
    case 'p': {
        std::string s;
        for (auto& p : i.profiles()) s += (s.empty() ? "" : "\n") + p;
        return s;
    }
    case 'P': return i.project();
    case 'd': return i.description();
    }
    throw usage_error(std::string("unknown column '") + c + "' (known: n s 4 6 t S L a c l p P d)");
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
    case 'p': return "PROFILES";
    case 'P': return "PROJECT";
    case 'd': return "DESCRIPTION";
    }
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
    for (char ch : columns) (void)column_header(ch);   // refuse unknown columns before any request
    lxd::list_options lo;
    // State (recursion=2) costs the server a lot per instance: ask for it only when a column
    // or the output format needs it, as lxc does.
    lo.with_state = format == "json" || format == "yaml" || columns.find_first_of("46S") != std::string::npos;
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

void cmd_info(const std::string& arg) {
    auto [remote, name] = split_remote(g.cfg, arg);
    auto c = g.connect(remote);
    if (name.empty()) {
        auto info = c.host_info();
        std::cout << to_yaml(parse_raw(info.raw_json));
        return;
    }
    auto i = c.instances().get(name);
    auto st = i.state();
    std::cout << "Name: " << i.name() << "\n"
              << "Status: " << upper(i.status()) << "\n"
              << "Type: " << i.type() << (i.ephemeral() ? " (ephemeral)" : "") << "\n"
              << "Architecture: " << i.architecture() << "\n";
    if (!i.location().empty() && i.location() != "none") std::cout << "Location: " << i.location() << "\n";
    if (st.pid) std::cout << "PID: " << st.pid << "\n";
    std::cout << "Created: " << i.created_at() << "\n"
              << "Last Used: " << i.last_used_at() << "\n";
    if (st.status_code == lxd::api::status_code::running) {
        std::cout << "\nResources:\n  Processes: " << st.processes << "\n"
                  << "  CPU usage: " << st.cpu_usage_ns / 1000000000.0 << " seconds\n"
                  << "  Memory usage: " << human_size(static_cast<std::uint64_t>(st.memory_usage)) << "\n";
        for (auto& [dev, nic] : st.network) {
            if (dev == "lo") continue;
            std::cout << "  Network " << dev << ":\n";
            for (auto& a : nic.addresses) std::cout << "    " << a.family << ": " << a.address << "/" << a.netmask << " (" << a.scope << ")\n";
        }
    }
    auto snaps = i.snapshots().all();
    if (!snaps.empty()) {
        std::cout << "\nSnapshots:\n";
        table t{{"NAME", "TAKEN AT", "EXPIRES AT", "STATEFUL"}, {}};
        for (auto& s : snaps)
            t.rows.push_back({s.name(), s.created_at(), s.expires_at().rfind("0001-", 0) == 0 ? "" : s.expires_at(),
                              s.stateful() ? "YES" : "NO"});
        print_table(std::cout, t, "table");
    }
}

// ---- create, lifecycle ------------------------------------------------------------------

void cmd_create(const std::string& image_arg, const std::string& name_arg, bool start, const std::vector<std::string>& profiles,
                const std::vector<std::string>& config, bool ephemeral, bool vm, bool empty) {
    std::string remote = g.cfg.default_remote(), name = name_arg;
    if (!name_arg.empty()) std::tie(remote, name) = split_remote(g.cfg, name_arg);
    if (name.empty()) throw usage_error("give the new instance a name: lxdpp launch IMAGE NAME");
    auto c = g.connect(remote);
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.start = start;
    cfg.ephemeral = ephemeral;
    if (vm) cfg.type = "virtual-machine";
    if (!profiles.empty()) cfg.profiles = profiles;
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
        } else {
            if (r.is_unix()) throw usage_error("the image's remote \"" + img_remote + "\" is a local socket the server cannot reach");
            cfg.source = lxd::instance_source::image_alias(img);
            cfg.source.from_server(r.addr, r.protocol);
        }
    }
    if (!g.quiet) std::cout << (start ? "Launching " : "Creating ") << name << "\n";
    wait_with_progress(c.instances().create(cfg), start ? "Launching" : "Creating");
}

enum class action { start, stop, restart, pause, resume };

void cmd_state(action a, const std::vector<std::string>& names, bool force, int timeout) {
    for (auto& arg : names) {
        auto [remote, name] = split_remote(g.cfg, arg);
        auto c = g.connect(remote);
        auto i = c.instances().get(name);
        lxd::state_options o;
        o.force = force;
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

void cmd_move(const std::string& src_arg, const std::string& dst_arg, bool instance_only, bool copy, const std::string& mode,
              const std::string& member) {
    auto [src_remote, src] = split_remote(g.cfg, src_arg);
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
    auto source = g.connect(src_remote);
    auto inst = source.instances().get(src);
    lxd::migrate_options o;
    o.instance_only = instance_only;
    o.new_name = dst;
    if (mode == "pull") o.mode = lxd::migration_mode::pull;
    else if (mode == "push") o.mode = lxd::migration_mode::push;
    else if (mode == "relay") o.mode = lxd::migration_mode::relay;
    else if (!mode.empty()) throw usage_error("--mode is pull, push or relay");
    if (copy) {
        if (dst_remote == src_remote && dst.empty()) throw usage_error("a copy on the same server needs a new name");
        auto target = dst_remote == src_remote ? source : g.connect(dst_remote);
        if (!member.empty()) target = target.use_target(member);
        wait_with_progress(inst.copy(target, o), "Copying");
        return;
    }
    if (dst_remote == src_remote && member.empty()) {
        if (dst.empty() || dst == src) throw usage_error("nothing to do: give a new name or another remote");
        inst.rename(dst).wait(op_wait);
        return;
    }
    auto target = dst_remote == src_remote ? source : g.connect(dst_remote);
    if (!member.empty()) target = target.use_target(member);
    wait_with_progress(inst.migrate(target, o), "Moving");
}

// ---- exec -------------------------------------------------------------------------------

volatile std::sig_atomic_t window_changed = 0;
termios saved_termios;
bool termios_saved = false;

void restore_terminal() {
    if (termios_saved) ::tcsetattr(0, TCSANOW, &saved_termios);
}

int cmd_exec(const std::string& arg, const std::vector<std::string>& argv, const std::vector<std::string>& env,
             const std::string& cwd, int user, int group, bool force_tty, bool no_tty) {
    auto [remote, name] = split_remote(g.cfg, arg);
    if (argv.empty()) throw usage_error("no command given: lxdpp exec NAME -- COMMAND...");
    auto c = g.connect(remote);
    auto inst = c.instances().get(name);
    bool tty = force_tty || (!no_tty && ::isatty(0) && ::isatty(1));
    std::map<std::string, std::string> environment;
    for (auto& e : env) environment.insert(parse_kv(e));
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
        return inst.execute(argv, o).exit_code;
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

void cmd_file_push(std::vector<std::string> args, bool recursive, bool parents, const std::string& mode, int uid, int gid) {
    if (args.size() < 2) throw usage_error("usage: lxdpp file push LOCAL... INSTANCE/PATH");
    auto target = args.back();
    args.pop_back();
    auto [remote, name, path] = split_file_target(target);
    auto c = g.connect(remote);
    auto files = c.instances().get(name).files();
    bool into_dir = args.size() > 1 || path.back() == '/' || recursive;
    for (auto& local : args) {
        fs::path lp(local);
        auto dest = into_dir ? (path.back() == '/' ? path : path + "/") + lp.filename().string() : path;
        if (parents) files.mkdir(into_dir ? path : parent_of(path), {.parents = true});
        if (recursive) {
            if (!fs::is_directory(lp)) throw usage_error(local + " is not a directory");
            files.recursive_put(local, dest);
            continue;
        }
        lxd::put_options o;
        if (!mode.empty()) o.mode = parse_mode(mode);
        if (uid >= 0) o.uid = static_cast<std::uint32_t>(uid);
        if (gid >= 0) o.gid = static_cast<std::uint32_t>(gid);
        if (local == "-") {
            files.put(dest, [](char* b, std::size_t cap) -> std::size_t {
                auto n = ::read(0, b, cap);
                return n > 0 ? static_cast<std::size_t>(n) : 0;
            }, o);
            continue;
        }
        if (!show_progress()) {
            files.put_file(dest, local, o);
            continue;
        }
        // With a progress line: stream through a counting source.
        int fd = ::open(local.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw usage_error("cannot open " + local + ": " + std::strerror(errno));
        struct stat st {};
        ::fstat(fd, &st);
        if (!o.mode) o.mode = st.st_mode & 07777;
        progress_line line("Pushing " + local, true);
        std::uint64_t done = 0;
        try {
            files.put(dest, [&](char* b, std::size_t cap) -> std::size_t {
                auto n = ::read(fd, b, cap);
                if (n <= 0) return 0;
                done += static_cast<std::uint64_t>(n);
                line.update(done, static_cast<std::uint64_t>(st.st_size));
                return static_cast<std::size_t>(n);
            }, o);
        } catch (...) {
            ::close(fd);
            throw;
        }
        ::close(fd);
    }
}

void cmd_file_pull(std::vector<std::string> args, bool recursive, bool parents) {
    if (args.size() < 2) throw usage_error("usage: lxdpp file pull INSTANCE/PATH... LOCAL");
    auto local = args.back();
    args.pop_back();
    bool into_dir = args.size() > 1 || fs::is_directory(local) || recursive;
    if (parents) fs::create_directories(into_dir ? fs::path(local) : fs::path(local).parent_path());
    for (auto& src : args) {
        auto [remote, name, path] = split_file_target(src);
        auto c = g.connect(remote);
        auto files = c.instances().get(name).files();
        auto base = fs::path(path).filename().string();
        auto dest = into_dir ? (fs::path(local) / base).string() : local;
        if (recursive) {
            files.recursive_get(path, dest);
            continue;
        }
        if (local == "-") {
            files.get(path, [](std::string_view d) { (void)!::write(1, d.data(), d.size()); });
            continue;
        }
        if (!show_progress()) {
            files.get_to_file(path, dest);
            continue;
        }
        auto size_hint = std::uint64_t{0};
        progress_line line("Pulling " + path, true);
        std::uint64_t done = 0;
        int fd = ::open(dest.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) throw usage_error("cannot create " + dest + ": " + std::strerror(errno));
        try {
            auto info = files.get(path, [&](std::string_view d) {
                (void)!::write(fd, d.data(), d.size());
                done += d.size();
                line.update(done, size_hint);
            });
            ::fchmod(fd, info.mode & 07777);
        } catch (...) {
            ::close(fd);
            ::unlink(dest.c_str());
            throw;
        }
        ::close(fd);
    }
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

void cmd_image_list(const std::string& remote_arg, const std::string& format) {
    auto c = g.connect(remote_arg_name(remote_arg));
    auto all = c.images().all();
    if (format == "json" || format == "yaml") {
        json::array arr;
        for (auto& i : all) arr.push_back(parse_raw(i.raw_json));
        print_structured(std::cout, arr, format);
        return;
    }
    table t{{"ALIAS", "FINGERPRINT", "PUBLIC", "DESCRIPTION", "ARCHITECTURE", "TYPE", "SIZE", "UPLOAD DATE"}, {}};
    for (auto& i : all) {
        std::string aliases;
        for (auto& a : i.aliases) aliases += (aliases.empty() ? "" : "\n") + a.name;
        auto d = i.properties.find("description");
        t.rows.push_back({aliases, i.fingerprint.substr(0, 12), i.is_public ? "yes" : "no",
                          d == i.properties.end() ? "" : d->second, i.architecture, upper(i.type),
                          human_size(static_cast<std::uint64_t>(i.size)), i.uploaded_at});
    }
    print_table(std::cout, t, format);
}

void cmd_image_import(const std::vector<std::string>& args, const std::vector<std::string>& aliases, bool is_public) {
    std::vector<std::string> files;
    std::string remote = g.cfg.default_remote();
    for (auto& a : args) {
        if (a.size() > 1 && a.back() == ':' && g.cfg.has(a.substr(0, a.size() - 1)))
            remote = a.substr(0, a.size() - 1);
        else
            files.push_back(a);
    }
    if (files.empty() || files.size() > 2) throw usage_error("usage: lxdpp image import TARBALL [ROOTFS] [REMOTE:] [--alias A]");
    auto c = g.connect(remote);
    progress_line line("Uploading image", show_progress());
    lxd::image_import o;
    o.aliases = aliases;
    o.is_public = is_public;
    o.progress = [&line](std::uint64_t d, std::uint64_t t) { line.update(d, t); };
    auto op = files.size() == 1 ? c.images().import_file(files[0], o) : c.images().import_split(files[0], files[1], o);
    line.clear();
    auto done = wait_with_progress(op, "Importing");
    std::cout << "Image imported with fingerprint: " << lxd::image_fingerprint(done) << "\n";
}

void cmd_image_export(const std::string& arg, const std::string& dir) {
    auto [c, fp] = resolve_image(arg);
    progress_line line("Exporting", show_progress());
    auto out = c.images().export_to(fp, dir.empty() ? "." : dir,
                                    {.progress = [&line](std::uint64_t d, std::uint64_t t) { line.update(d, t); }});
    line.clear();
    for (auto& f : out.files) std::cout << "Output: " << f << "\n";
}

void cmd_publish(const std::string& src_arg, const std::string& dst_remote_arg, const std::vector<std::string>& aliases,
                 bool is_public, const std::string& compression) {
    auto [remote, src] = split_remote(g.cfg, src_arg);
    if (!dst_remote_arg.empty()) {
        if (remote_arg_name(dst_remote_arg) != remote) throw usage_error("publishing to another remote is not supported; publish, then export and import");
    }
    auto c = g.connect(remote);
    lxd::image_publish o;
    o.aliases = aliases;
    o.is_public = is_public;
    o.compression_algorithm = compression;
    auto done = wait_with_progress(c.images().publish(src, o), "Publishing");
    std::cout << "Instance published with fingerprint: " << lxd::image_fingerprint(done) << "\n";
}

// ---- remotes ----------------------------------------------------------------------------

void cmd_remote_add(const std::string& name, std::string url, const std::string& password, const std::string& token,
                    bool accept, const std::string& project, const std::string& protocol) {
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
        }
    }
    if (name.empty() || name.find_first_of(":/ ") != std::string::npos) throw usage_error("bad remote name \"" + name + "\"");
    remote r;
    r.name = name;
    r.protocol = protocol.empty() ? "lxd" : protocol;
    r.project = project;
    if (url.rfind("unix:", 0) == 0) {
        r.addr = url;
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
        if (!::isatty(0))
            throw usage_error("the server's certificate (fingerprint " + fp + ") must be accepted: use --accept-certificate");
        std::cerr << "Certificate fingerprint: " << fp << "\nok (y/n/[fingerprint])? ";
        std::string answer;
        std::getline(std::cin, answer);
        if (answer != "y" && answer != "yes" && answer != fp) throw usage_error("server certificate rejected by user");
    }
    g.cfg.ensure_client_certificate();
    lxd::tls_options tls = lxd::tls_options::from_files(g.cfg.client_cert_path(), g.cfg.client_key_path());
    tls.server_cert_pem = cert;
    lxd::client_options o;
    o.timeout = g.timeout;
    auto c = lxd::client::connect_https(url, tls, o);
    if (!c.trusted()) {
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
        t.rows.push_back({name + (name == g.cfg.default_remote() ? " (current)" : ""), r.addr, r.protocol,
                          r.is_unix() ? "file access" : r.auth_type, r.is_public ? "YES" : "NO", "NO", "NO"});
        obj[name] = json::object{{"Addr", r.addr}, {"Protocol", r.protocol}, {"AuthType", r.auth_type},
                                 {"Public", r.is_public}, {"Project", r.project}};
    }
    if (!print_structured(std::cout, obj, format)) print_table(std::cout, t, format);
}

// ---- config -----------------------------------------------------------------------------

void cmd_config_get(const std::string& arg, const std::string& key) {
    auto [remote, name] = split_remote(g.cfg, arg);
    auto i = g.connect(remote).instances().get(name);
    auto it = i.config().find(key);
    std::cout << (it == i.config().end() ? "" : it->second) << "\n";
}

void cmd_config_set(const std::string& arg, const std::vector<std::string>& kvs) {
    auto [remote, name] = split_remote(g.cfg, arg);
    if (kvs.empty()) throw usage_error("usage: lxdpp config set NAME KEY VALUE | KEY=VALUE...");
    lxd::api::config_map changes;
    if (kvs.size() == 2 && kvs[0].find('=') == std::string::npos)
        changes[kvs[0]] = kvs[1];
    else
        for (auto& kv : kvs) changes.insert(parse_kv(kv));
    auto i = g.connect(remote).instances().get(name);
    for (auto& [k, v] : changes) i.set_config(k, v);
    i.save();
}

void cmd_config_unset(const std::string& arg, const std::string& key) {
    auto [remote, name] = split_remote(g.cfg, arg);
    auto i = g.connect(remote).instances().get(name);
    if (!i.config().count(key)) throw usage_error("can't unset key '" + key + "', it's not currently set");
    i.unset_config(key);
    i.save();
}

void cmd_config_show(const std::string& arg, bool expanded) {
    auto [remote, name] = split_remote(g.cfg, arg);
    auto c = g.connect(remote);
    if (name.empty()) {
        std::cout << to_yaml(json::object{{"config", parse_raw(c.host_info().config_json)}});
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
    std::cout << to_yaml(shown);
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

std::string error_line(const lxd::error& e) {
    const auto& d = e.diag();
    if (!d.server_message.empty()) return d.server_message + (d.detail.empty() ? "" : " (" + d.detail + ")");
    if (!d.detail.empty()) return d.detail;
    return e.what();
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
    list->add_option("-c,--columns", columns, "Columns: n s 4 6 t S L a c l p P d");
    list->add_flag("--all-projects", all_projects, "All projects");
    list->callback([&] { cmd_list(list_remote, list_filters, format, columns, all_projects); });

    std::string one;
    auto* info = app.add_subcommand("info", "Show an instance (or, with REMOTE:, the server)");
    info->add_option("name", one, "[REMOTE:]NAME")->required();
    info->callback([&] { cmd_info(one); });

    // launch / init
    std::string image_arg, new_name;
    std::vector<std::string> profiles, cfgs;
    bool ephemeral = false, vm = false, empty = false;
    for (auto [cmd, start] : {std::pair{"launch", true}, std::pair{"init", false}}) {
        auto* s = app.add_subcommand(cmd, start ? "Create and start an instance from an image" : "Create an instance from an image");
        s->add_option("image", image_arg, "[REMOTE:]IMAGE (alias or fingerprint)")->required();
        s->add_option("name", new_name, "[REMOTE:]NAME");
        s->add_option("-p,--profile", profiles, "Profile (repeatable)");
        s->add_option("-c,--config", cfgs, "KEY=VALUE (repeatable)");
        s->add_flag("-e,--ephemeral", ephemeral, "Ephemeral instance");
        s->add_flag("--vm", vm, "A virtual machine");
        s->add_flag("--empty", empty, "No image: an empty instance");
        s->add_option("--target", g.target, "Cluster member");
        s->callback([&, start = start] { cmd_create(image_arg, new_name, start, profiles, cfgs, ephemeral, vm, empty); });
    }

    // lifecycle
    std::vector<std::string> names;
    bool force = false;
    int stop_timeout = -1;
    for (auto [cmd, act, help] : {std::tuple{"start", action::start, "Start instances"}, std::tuple{"stop", action::stop, "Stop instances"},
                                  std::tuple{"restart", action::restart, "Restart instances"},
                                  std::tuple{"pause", action::pause, "Freeze instances"},
                                  std::tuple{"resume", action::resume, "Unfreeze instances"}}) {
        auto* s = app.add_subcommand(cmd, help);
        s->add_option("names", names, "[REMOTE:]NAME...")->required();
        if (act == action::stop || act == action::restart) {
            s->add_flag("-f,--force", force, "Kill instead of a clean shutdown");
            s->add_option("--timeout", stop_timeout, "Seconds to wait for a clean shutdown");
        }
        s->callback([&, act = act] { cmd_state(act, names, force, stop_timeout); });
    }
    auto* del = app.add_subcommand("delete", "Delete instances or snapshots (NAME/SNAPSHOT)")->alias("rm");
    del->add_option("names", names, "[REMOTE:]NAME[/SNAPSHOT]...")->required();
    del->add_flag("-f,--force", force, "Stop running instances first");
    del->callback([&] { cmd_delete(names, force); });

    // rename / move / copy
    std::string src_arg, dst_arg, mode, member;
    bool instance_only = false;
    auto* ren = app.add_subcommand("rename", "Rename an instance");
    ren->add_option("name", src_arg, "[REMOTE:]NAME")->required();
    ren->add_option("new", dst_arg, "NEW-NAME")->required();
    ren->callback([&] { cmd_move(src_arg, dst_arg, false, false, "", ""); });
    auto* mv = app.add_subcommand("move", "Rename an instance, or move it to another server or cluster member")->alias("mv");
    mv->add_option("source", src_arg, "[REMOTE:]NAME")->required();
    mv->add_option("destination", dst_arg, "[REMOTE:][NEW-NAME]");
    mv->add_flag("--instance-only", instance_only, "Leave the snapshots behind");
    mv->add_option("--mode", mode, "pull, push or relay");
    mv->add_option("--target", member, "Cluster member to move to");
    mv->callback([&] { cmd_move(src_arg, dst_arg, instance_only, false, mode, member); });
    auto* cp = app.add_subcommand("copy", "Copy an instance")->alias("cp");
    cp->add_option("source", src_arg, "[REMOTE:]NAME")->required();
    cp->add_option("destination", dst_arg, "[REMOTE:][NEW-NAME]")->required();
    cp->add_flag("--instance-only", instance_only, "Without snapshots");
    cp->add_option("--mode", mode, "pull, push or relay");
    cp->add_option("--target", member, "Cluster member to copy to");
    cp->callback([&] { cmd_move(src_arg, dst_arg, instance_only, true, mode, member); });

    // exec
    std::vector<std::string> cmd, envs;
    std::string cwd;
    int user = -1, group = -1;
    bool force_tty = false, no_tty = false;
    auto* ex = app.add_subcommand("exec", "Run a command in an instance: exec NAME [flags] -- COMMAND...");
    ex->add_option("name", one, "[REMOTE:]NAME")->required();
    ex->add_option("command", cmd, "COMMAND... (after --)");
    ex->add_option("--env", envs, "KEY=VALUE (repeatable)");
    ex->add_option("--cwd", cwd, "Working directory");
    ex->add_option("--user", user, "UID");
    ex->add_option("--group", group, "GID");
    ex->add_flag("-t,--force-interactive", force_tty, "Always use a terminal");
    ex->add_flag("-T,--force-noninteractive", no_tty, "Never use a terminal");
    ex->callback([&] { exit_code = cmd_exec(one, cmd, envs, cwd, user, group, force_tty, no_tty); });

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
    auto* fdel = file->add_subcommand("delete", "[REMOTE:]NAME/PATH...");
    fdel->add_option("paths", paths)->required();
    fdel->callback([&] { cmd_file_delete(paths); });

    // snapshots
    std::string snap_name, expiry;
    bool stateful = false;
    auto* snap = app.add_subcommand("snapshot", "Snapshot an instance: snapshot NAME [SNAPSHOT]");
    snap->add_option("name", one, "[REMOTE:]NAME")->required();
    snap->add_option("snapshot", snap_name, "Snapshot name (default snapN)");
    snap->add_flag("--stateful", stateful, "Include the running state (needs CRIU)");
    snap->add_option("--expiry", expiry, "RFC 3339 expiry date");
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
        }
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
    auto* ilist = image->add_subcommand("list", "[REMOTE:]")->alias("ls");
    ilist->add_option("remote", one, "REMOTE:");
    ilist->add_option("-f,--format", format, "table|compact|csv|json|yaml");
    ilist->callback([&] { cmd_image_list(one, format); });
    auto* iimport = image->add_subcommand("import", "TARBALL [ROOTFS] [REMOTE:]");
    iimport->add_option("files", image_args)->required();
    iimport->add_option("--alias", aliases, "Alias (repeatable)");
    iimport->add_flag("--public", is_public, "Public image");
    iimport->callback([&] { cmd_image_import(image_args, aliases, is_public); });
    auto* iexport = image->add_subcommand("export", "[REMOTE:]IMAGE [DIRECTORY]");
    iexport->add_option("image", one)->required();
    iexport->add_option("directory", dir);
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
    ishow->callback([&] {
        auto [c, fp] = resolve_image(one);
        std::cout << to_yaml(parse_raw(c.images().get(fp).raw_json));
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
    auto* arename = ialias->add_subcommand("rename", "[REMOTE:]ALIAS NEW");
    arename->add_option("alias", one)->required();
    arename->add_option("new", dst_arg)->required();
    arename->callback([&] {
        auto [remote, alias] = split_remote(g.cfg, one);
        g.connect(remote).images().rename_alias(alias, dst_arg);
    });
    auto* alist = ialias->add_subcommand("list", "[REMOTE:]")->alias("ls");
    alist->add_option("remote", one);
    alist->add_option("-f,--format", format);
    alist->callback([&] {
        auto remote = remote_arg_name(one);
        table t{{"ALIAS", "FINGERPRINT", "TYPE", "DESCRIPTION"}, {}};
        json::array arr;
        for (auto& a : g.connect(remote).images().aliases()) {
            t.rows.push_back({a.name, a.target.substr(0, 12), upper(a.type), a.description});
            arr.push_back(json::object{{"name", a.name}, {"target", a.target}, {"type", a.type}, {"description", a.description}});
        }
        if (!print_structured(std::cout, arr, format)) print_table(std::cout, t, format);
    });
    auto* pub = app.add_subcommand("publish", "Make an image of an instance or snapshot: publish [REMOTE:]NAME[/SNAP] [REMOTE:]");
    pub->add_option("source", src_arg)->required();
    pub->add_option("remote", dst_arg);
    pub->add_option("--alias", aliases, "Alias (repeatable)");
    pub->add_flag("--public", is_public);
    pub->add_option("--compression", compression, "gzip, xz, none, ...");
    pub->callback([&] { cmd_publish(src_arg, dst_arg, aliases, is_public, compression); });

    // remotes
    std::string url, password, token, rproject, protocol;
    bool accept = false;
    auto* remote = app.add_subcommand("remote", "Manage remotes (shared with lxc)");
    remote->require_subcommand(1);
    auto* radd = remote->add_subcommand("add", "NAME URL");
    radd->add_option("name", one)->required();
    radd->add_option("url", url, "URL, or a certificate add token")->required();
    radd->add_option("--password", password, "Trust password");
    radd->add_option("--token", token, "Certificate add token");
    radd->add_flag("--accept-certificate", accept, "Accept the server's certificate without asking");
    radd->add_option("--project", rproject, "Project to use");
    radd->add_option("--protocol", protocol, "lxd or simplestreams");
    radd->callback([&] { cmd_remote_add(one, url, password, token, accept, rproject, protocol); });
    auto* rlist = remote->add_subcommand("list", "List remotes")->alias("ls");
    rlist->add_option("-f,--format", format);
    rlist->callback([&] { cmd_remote_list(format); });
    auto* rremove = remote->add_subcommand("remove", "NAME")->alias("rm");
    rremove->add_option("name", one)->required();
    rremove->callback([&] {
        g.cfg.remove(one);
        g.cfg.save();
    });
    auto* rswitch = remote->add_subcommand("switch", "NAME: make it the default");
    rswitch->add_option("name", one)->required();
    rswitch->callback([&] {
        g.cfg.set_default(one);
        g.cfg.save();
    });
    auto* rdefault = remote->add_subcommand("get-default", "Print the default remote");
    rdefault->callback([&] { std::cout << g.cfg.default_remote() << "\n"; });

    // config
    std::string key;
    std::vector<std::string> kvs;
    bool expanded = false;
    auto* config = app.add_subcommand("config", "Instance configuration");
    config->require_subcommand(1);
    auto* cget = config->add_subcommand("get", "NAME KEY");
    cget->add_option("name", one)->required();
    cget->add_option("key", key)->required();
    cget->callback([&] { cmd_config_get(one, key); });
    auto* cset = config->add_subcommand("set", "NAME KEY VALUE | NAME KEY=VALUE...");
    cset->add_option("name", one)->required();
    cset->add_option("values", kvs)->required();
    cset->callback([&] { cmd_config_set(one, kvs); });
    auto* cunset = config->add_subcommand("unset", "NAME KEY");
    cunset->add_option("name", one)->required();
    cunset->add_option("key", key)->required();
    cunset->callback([&] { cmd_config_unset(one, key); });
    auto* cshow = config->add_subcommand("show", "NAME (or REMOTE: for the server)");
    cshow->add_option("name", one)->required();
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
        std::cout << to_yaml(parse_raw(g.connect(remote).cluster().member(name).raw_json));
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
            std::cout << "Server version: " << g.connect(remote_arg_name(vremote)).server_version() << "\n";
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
        app.parse_complete_callback([&] { g.timeout = std::chrono::seconds(timeout_s); });
        app.parse(argc, argv);
        return exit_code;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 1;   // as lxc: any usage error exits 1
    } catch (const lxd::error& e) {
        std::cerr << "Error: " << error_line(e) << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "Error: " << e.what() << "\n";
        return 1;
    }
}
