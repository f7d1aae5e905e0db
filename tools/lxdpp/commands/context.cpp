// tools/lxdpp/commands/context.cpp — the shared context and argument helpers.
#include "context.hpp"

#include <cctype>
#include <ctime>
#include <memory>

#include <unistd.h>

namespace lxdpp_cli {

namespace json = boost::json;

lxd::client context::connect(const std::string& remote) const {
    lxd::client_options o;
    o.project = project;
    o.timeout = timeout;
    o.user_agent = "lxdpp-cli/" + std::string(lxd::version_string);
    auto c = cfg.connect(remote, o);
    return target.empty() ? c : c.use_target(target);
}

bool context::show_progress() const { return !quiet && ::isatty(2); }

lxd::api::operation_info context::wait_with_progress(const lxd::operation& op, const std::string& label) const {
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

std::string context::remote_arg_name(const std::string& arg) const {
    std::string r = arg.empty() ? cfg.default_remote() : arg;
    if (!r.empty() && r.back() == ':') r.pop_back();
    return r;
}

lxd::image context::resolve_image(const std::string& arg) const {
    auto [remote, img] = split_remote(cfg, arg);
    if (img.empty()) throw usage_error("no image given");
    auto c = connect(remote);
    std::string fp = img;
    try {
        fp = c.images().alias(img).target();   // one GET: an alias, or not_found
    } catch (const lxd::error& e) {
        if (e.code_value() != lxd::errc::not_found) throw;
    }
    return c.images().get(fp);
}

std::string upper(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
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

lxd::migration_mode parse_transfer_mode(const std::string& s) {
    if (s.empty()) return lxd::migration_mode::automatic;
    if (s == "pull") return lxd::migration_mode::pull;
    if (s == "push") return lxd::migration_mode::push;
    if (s == "relay") return lxd::migration_mode::relay;
    throw usage_error("Invalid transfer mode: " + s);
}

json::value parse_raw(const std::string& raw) { return json::parse(raw); }

lxd::api::config_map config_of(const json::value& v) {
    lxd::api::config_map out;
    if (v.is_null()) return out;
    if (!v.is_object()) throw usage_error("config must be a mapping");
    for (auto& kv : v.get_object()) {
        if (!kv.value().is_string()) throw usage_error("config." + std::string(kv.key()) + " must be a string");
        out.emplace(kv.key(), kv.value().get_string());
    }
    return out;
}

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

std::pair<std::string, std::string> split_snapshot(const std::string& name) {
    auto slash = name.find('/');
    if (slash == std::string::npos) return {name, ""};
    return {name.substr(0, slash), name.substr(slash + 1)};
}

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

namespace {
/// The long name of "-s,--storage" style option names.
std::string long_name(const std::string& names) {
    auto p = names.rfind("--");
    return p == std::string::npos ? names : names.substr(p);
}
}  // namespace

void unsupported_flag(CLI::App* s, const std::string& names) {
    s->add_flag_callback(names, [n = long_name(names)] { throw usage_error("not supported by lxdpp: " + n); }, "(not supported by lxdpp)");
}

void unsupported_option(CLI::App* s, const std::string& names) {
    s->add_option_function<std::string>(names, [n = long_name(names)](const std::string&) { throw usage_error("not supported by lxdpp: " + n); },
                                        "(not supported by lxdpp)");
}

}  // namespace lxdpp_cli
