// tools/lxdpp/commands/query.cpp — `lxdpp query` (a raw request, as lxc query) and
// `lxdpp monitor` (the events stream, as lxc monitor prints it).
#include <algorithm>
#include <ctime>
#include <string_view>
#include <vector>
#include <iostream>
#include <regex>

#include "server_commands.hpp"
#include "signals.hpp"

namespace lxdpp_cli {

namespace json = boost::json;

namespace {

void indent(std::string& out, const json::value& v, int depth) {
    auto nl = [&](int d) { out += '\n'; out.append(static_cast<std::size_t>(d), '\t'); };
    if (v.is_object() && !v.get_object().empty()) {
        // lxc decodes the answer into Go maps and encodes it again: keys come out sorted.
        std::vector<std::string_view> keys;
        for (auto& kv : v.get_object()) keys.push_back(kv.key());
        std::sort(keys.begin(), keys.end());
        out += '{';
        bool first = true;
        for (auto k : keys) {
            if (!first) out += ',';
            first = false;
            nl(depth + 1);
            out += json::serialize(json::string(k)) + ": ";
            indent(out, v.get_object().at(k), depth + 1);
        }
        nl(depth);
        out += '}';
    } else if (v.is_array() && !v.get_array().empty()) {
        out += '[';
        bool first = true;
        for (auto& x : v.get_array()) {
            if (!first) out += ',';
            first = false;
            nl(depth + 1);
            indent(out, x, depth + 1);
        }
        nl(depth);
        out += ']';
    } else {
        out += json::serialize(v);
    }
}

/// logfmt's value: bare when it needs no quoting (as logrus writes it), else quoted.
std::string logfmt_value(const std::string& s) {
    bool bare = !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || std::string_view("-._/@^+").find(ch) != std::string_view::npos;
    });
    return bare ? s : json::serialize(json::string(s));
}

std::string str_of(const json::object& o, const char* k) {
    auto* v = o.if_contains(k);
    return !v ? "" : v->is_string() ? std::string(v->get_string()) : json::serialize(*v);
}

/// An event as `lxc monitor --pretty` prints it: lifecycle and logging events as log lines
/// (logfmt); other types as YAML.
std::string pretty_event(const lxd::api::event& e, const json::value& sorted) {
    auto meta = parse_raw(e.metadata_json);
    if (!meta.is_object() || (e.type != "lifecycle" && e.type != "logging")) return to_yaml(sorted) + "\n\n";
    auto& m = meta.as_object();
    std::string when = local_time(e.timestamp, "%Y-%m-%dT%H:%M:%S%z");
    if (when.size() > 5 && (when.compare(when.size() - 5, 5, "+0000") == 0)) when.replace(when.size() - 5, 5, "Z");
    else if (when.size() > 5) when.insert(when.size() - 2, ":");
    std::string line = "time=" + logfmt_value(when);
    json::object ctx;
    if (e.type == "lifecycle") {
        std::string msg = "Action: " + str_of(m, "action") + ", Source: " + str_of(m, "source");
        if (auto* r = m.if_contains("requestor"); r && r->is_object())
            msg += ", Requestor: " + str_of(r->as_object(), "protocol") + "/" + str_of(r->as_object(), "username") + " (" +
                   str_of(r->as_object(), "address") + ")";
        line += " level=info msg=" + logfmt_value(msg);
        if (auto* c = m.if_contains("context"); c && c->is_object()) ctx = c->as_object();
    } else {
        line += " level=" + logfmt_value(str_of(m, "level")) + " msg=" + logfmt_value(str_of(m, "message"));
        if (auto* c = m.if_contains("context"); c && c->is_object()) ctx = c->as_object();
    }
    std::vector<std::string> keys;
    for (auto& [k, v] : ctx) keys.emplace_back(k);
    std::sort(keys.begin(), keys.end());
    for (auto& k : keys) line += " " + k + "=" + logfmt_value(str_of(ctx, k.c_str()));
    return line + "\n";
}

/// lxc decodes an event into maps, and Go's YAML encoder quotes a string that would read
/// back as a timestamp ("2026-11-30T05:29:05.52Z"); to_yaml writes it plain, so such values
/// are quoted here, line by line.
std::string quote_timestamps(const std::string& yaml) {
    static const std::regex stamp(
        R"(^(\s*(?:- )*(?:[^:\s"'][^:]*: |- ))(\d{4}-\d{1,2}-\d{1,2}(?:[Tt ]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:[Zz]|[+-]\d{1,2}(?::\d{2})?)?)?)$)");
    std::string out;
    std::size_t p = 0;
    while (p < yaml.size()) {
        auto nl = yaml.find('\n', p);
        auto line = yaml.substr(p, nl == std::string::npos ? std::string::npos : nl - p);
        std::smatch m;
        out += std::regex_match(line, m, stamp) ? m[1].str() + "\"" + m[2].str() + "\"" : line;
        if (nl == std::string::npos) break;
        out += '\n';
        p = nl + 1;
    }
    return out;
}

const char* const log_levels[] = {"debug", "info", "warning", "error", "crit"};

int level_rank(const std::string& l) {
    auto it = std::find(std::begin(log_levels), std::end(log_levels), l == "warn" ? "warning" : l);
    return it == std::end(log_levels) ? -1 : static_cast<int>(it - std::begin(log_levels));
}

}  // namespace

std::string go_indent_json(const json::value& v) {
    std::string out;
    indent(out, v, 0);
    return out;
}

json::value sorted_keys(const json::value& v) {
    if (v.is_array()) {
        json::array a;
        for (auto& x : v.get_array()) a.push_back(sorted_keys(x));
        return a;
    }
    if (!v.is_object()) return v;
    std::vector<std::string> keys;
    for (auto& [k, x] : v.get_object()) keys.emplace_back(k);
    std::sort(keys.begin(), keys.end());
    json::object o;
    for (auto& k : keys) o[k] = sorted_keys(v.get_object().at(k));
    return o;
}

// ---- query -----------------------------------------------------------------------------

void query_command::add(CLI::App& app) {
    auto* q = app.add_subcommand("query", "[REMOTE:]PATH: send a raw query to the server");
    q->add_option("path", path_, "[REMOTE:]/1.0/...")->required();
    q->add_option("-X,--request", method_, "Action (defaults to GET)");
    q->add_option("-d,--data", data_, "Input data");
    q->add_flag("--wait", wait_, "Wait for the operation to complete");
    unsupported_flag(q, "--raw");
    q->callback([this] { run(); });
}

void query_command::run() {
    // "d1:/1.0/x": a remote before the path; "/1.0/x": the default remote.
    std::string remote = ctx_.cfg.default_remote(), path = path_;
    if (!path.empty() && path[0] != '/') {
        auto [r, p] = split_remote(ctx_.cfg, path_);
        remote = r, path = p;
    }
    if (path.empty() || path[0] != '/') throw usage_error("Query path must start with /");
    lxd::raw_request rq;
    rq.method = method_;
    rq.path = path;
    rq.body = data_;
    rq.wait = wait_;
    rq.wait_timeout = op_wait;
    auto c = ctx_.connect(remote);
    auto answer = c.raw(rq);
    auto meta = parse_raw(answer.metadata_json);
    if (meta.is_null() || (meta.is_object() && meta.get_object().empty())) return;
    // lxc prints the indented JSON and then a blank line (checked against lxc 5.0 and incus 6).
    std::cout << printable(go_indent_json(meta)) << "\n\n";
}

// ---- monitor ---------------------------------------------------------------------------

void monitor_command::add(CLI::App& app) {
    auto* m = app.add_subcommand("monitor", "[REMOTE:]: print the server's events until interrupted");
    m->add_option("remote", remote_, "REMOTE:");
    m->add_option("--type", types_, "Event type to listen for (repeatable)");
    m->add_flag("--pretty", pretty_, "Pretty rendering (short for --format=pretty)");
    m->add_option("-f,--format", format_, "json|pretty|yaml");
    m->add_option("--loglevel", loglevel_, "Minimum level for log messages (pretty format only)");
    m->add_flag("--all-projects", all_projects_, "Show events from all projects");
    m->callback([this] { run(); });
}

void monitor_command::run() {
    if (pretty_) format_ = "pretty";
    if (format_ != "json" && format_ != "yaml" && format_ != "pretty") throw usage_error("Invalid format: " + format_);
    if (!loglevel_.empty() && format_ != "pretty") throw usage_error("The --loglevel flag is only supported with the pretty format");
    if (!loglevel_.empty() && level_rank(loglevel_) < 0) throw usage_error("Unknown log level: " + loglevel_);
    transfer_signals signals;   // before the client's I/O thread, which inherits the mask
    auto c = ctx_.connect(ctx_.remote_arg_name(remote_));
    lxd::event_options o;
    o.types = types_;
    o.all_projects = all_projects_;
    auto stream = c.events(o);
    auto stop = signals.token();
    while (!stop.stop_requested()) {
        auto e = stream.next(std::chrono::milliseconds(200));
        if (!e) continue;
        auto sorted = sorted_keys(parse_raw(e->raw_json));
        std::string text;
        if (format_ == "json") text = json::serialize(sorted) + "\n\n";
        else if (format_ == "yaml") text = quote_timestamps(to_yaml(sorted)) + "\n\n";
        else {
            if (!loglevel_.empty() && e->type == "logging") {
                auto m = parse_raw(e->metadata_json);
                if (m.is_object() && level_rank(str_of(m.as_object(), "level")) < level_rank(loglevel_)) continue;
            }
            text = pretty_event(*e, sorted);
        }
        std::cout << printable(text) << std::flush;
    }
    stream.close();
    throw exit_status(128 + signals.signal());
}

}  // namespace lxdpp_cli
