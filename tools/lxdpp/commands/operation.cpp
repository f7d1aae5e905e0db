// tools/lxdpp/commands/operation.cpp — `lxdpp operation list|show|delete` and
// `lxdpp warning list|show|acknowledge|delete`, as lxc prints them.
#include <algorithm>
#include <iostream>

#include "server_commands.hpp"

namespace lxdpp_cli {

namespace json = boost::json;

namespace {
constexpr const char* list_time = "%Y/%m/%d %H:%M %Z";
constexpr const char* warning_time = "%b %-d, %Y at %-I:%M%P (%Z)";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool natural_less(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        bool da = is_digit(a[i]), db = is_digit(b[j]);
        if (da != db) return da;   // a digit sorts before anything else
        if (!da) {
            if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
            ++i, ++j;
            continue;
        }
        std::size_t za = i, zb = j;   // skip the leading zeros, then compare the numbers
        while (za < a.size() && a[za] == '0') ++za;
        while (zb < b.size() && b[zb] == '0') ++zb;
        std::size_t ea = za, eb = zb;
        while (ea < a.size() && is_digit(a[ea])) ++ea;
        while (eb < b.size() && is_digit(b[eb])) ++eb;
        if (ea - za != eb - zb) return ea - za < eb - zb;
        if (auto c = a.compare(za, ea - za, b, zb, eb - zb); c != 0) return c < 0;
        if (za - i != zb - j) return za - i < zb - j;   // the same number: fewer zeros first
        i = ea, j = eb;
    }
    return a.size() - i < b.size() - j;
}

void sort_naturally(std::vector<std::vector<std::string>>& rows) {
    std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
        for (std::size_t k = 0; k < x.size() && k < y.size(); ++k) {
            if (x[k] == y[k]) continue;
            if (x[k].empty()) return false;
            if (y[k].empty()) return true;
            return natural_less(x[k], y[k]);
        }
        return false;
    });
}

// ---- operation -------------------------------------------------------------------------

void operation_command::add(CLI::App& app) {
    auto* op = app.add_subcommand("operation", "List, show and delete background operations");
    op->require_subcommand(1);
    auto* olist = op->add_subcommand("list", "[REMOTE:]")->alias("ls");
    olist->add_option("remote", arg_, "REMOTE:");
    olist->add_option("-f,--format", format_, "csv|json|table|yaml|compact");
    unsupported_flag(olist, "--all-projects");
    olist->callback([this] { list(); });
    auto* oshow = op->add_subcommand("show", "[REMOTE:]ID");
    oshow->add_option("id", arg_)->required();
    oshow->callback([this] { show(); });
    auto* odel = op->add_subcommand("delete", "[REMOTE:]ID: cancel it")->alias("rm");
    odel->add_option("id", arg_)->required();
    odel->callback([this] { remove(); });
}

void operation_command::list() {
    auto c = ctx_.connect(ctx_.remote_arg_name(arg_));
    // incus calls the status column STATE.
    listing out{{{"ID", "TYPE", "DESCRIPTION", ctx_.cfg.is_incus() ? "STATE" : "STATUS", "CANCELABLE", "CREATED"}, {}}, json::array()};
    for (auto& op : c.operations()) {
        out.add_row({op.id, upper(op.operation_class), op.description, upper(op.status), op.may_cancel ? "YES" : "NO",
                     local_time(op.created_at, list_time)});
        out.add_item(parse_raw(op.raw_json));
    }
    sort_naturally(out.rows.rows);
    out.print(std::cout, format_);
}

void operation_command::show() {
    auto [remote, id] = split_remote(ctx_.cfg, arg_);
    auto op = ctx_.connect(remote).get_operation(id);
    // lxc's api.Operation: the struct's fields in their order, its maps (resources, metadata)
    // with their keys sorted, as Go's YAML encoder writes maps.
    auto v = parse_raw(op.info().raw_json);
    if (v.is_object())
        for (auto key : {"resources", "metadata"})
            if (auto* m = v.as_object().if_contains(key)) *m = sorted_keys(*m);
    std::cout << printable(to_yaml(v));
}

void operation_command::remove() {
    auto [remote, id] = split_remote(ctx_.cfg, arg_);
    ctx_.connect(remote).get_operation(id).cancel();
    if (!ctx_.quiet) std::cout << "Operation " << printable(id) << " deleted\n";
}

// ---- warning ---------------------------------------------------------------------------

void warning_command::add(CLI::App& app) {
    auto* w = app.add_subcommand("warning", "Manage warnings");
    w->require_subcommand(1);
    auto* wlist = w->add_subcommand("list", "[REMOTE:]")->alias("ls");
    wlist->add_option("remote", arg_, "REMOTE:");
    wlist->add_flag("-a,--all", all_, "List all warnings (acknowledged ones too)");
    wlist->add_option("-c,--columns", columns_, "Columns (default utSscpLl)");
    wlist->add_option("-f,--format", format_, "csv|json|table|yaml|compact");
    wlist->callback([this] { list(); });
    auto* wshow = w->add_subcommand("show", "[REMOTE:]UUID");
    wshow->add_option("uuid", arg_)->required();
    wshow->callback([this] { show(); });
    auto* wack = w->add_subcommand("acknowledge", "[REMOTE:]UUID")->alias("ack");
    wack->add_option("uuid", arg_)->required();
    wack->callback([this] { acknowledge(); });
    auto* wdel = w->add_subcommand("delete", "[REMOTE:]UUID")->alias("rm");
    wdel->add_option("uuid", arg_);
    wdel->add_flag("-a,--all", all_, "Delete all warnings");
    wdel->callback([this] { remove(); });
}

namespace {

/// lxc's -c letters → a column's header and cell. LOCATION exists only on a cluster; incus
/// names the status column STATE and prints times as its other tables do.
struct warning_column {
    std::string header;
    std::string (*cell)(const lxd::api::warning&, bool incus);
};

std::vector<warning_column> warning_columns(std::string letters, bool clustered, bool incus) {
    static const std::string defaults = "utSscpLl";
    if (!clustered) {
        if (letters != defaults && letters.find('L') != std::string::npos)
            throw usage_error("Can't specify column L when not clustered");
        std::erase(letters, 'L');
    }
    std::vector<warning_column> out;
    std::size_t p = 0;
    for (;;) {
        auto comma = letters.find(',', p);
        auto entry = letters.substr(p, comma == std::string::npos ? std::string::npos : comma - p);
        if (entry.empty()) throw usage_error("Empty column entry (redundant, leading or trailing command) in '" + letters + "'");
        for (char l : entry) switch (l) {
                case 'c': out.push_back({"COUNT", [](auto& w, bool) { return std::to_string(w.count); }}); break;
                case 'f': out.push_back({"FIRST SEEN", [](auto& w, bool i) { return local_time(w.first_seen_at, i ? list_time : warning_time); }}); break;
                case 'l': out.push_back({"LAST SEEN", [](auto& w, bool i) { return local_time(w.last_seen_at, i ? list_time : warning_time); }}); break;
                case 'p': out.push_back({"PROJECT", [](auto& w, bool) { return w.project; }}); break;
                case 's': out.push_back({"SEVERITY", [](auto& w, bool) { return upper(w.severity); }}); break;
                case 'S': out.push_back({incus ? "STATE" : "STATUS", [](auto& w, bool) { return upper(w.status); }}); break;
                case 't': out.push_back({"TYPE", [](auto& w, bool) { return w.type; }}); break;
                case 'u': out.push_back({"UUID", [](auto& w, bool) { return w.uuid; }}); break;
                case 'L':
                    if (clustered) { out.push_back({"LOCATION", [](auto& w, bool) { return w.location; }}); break; }
                    [[fallthrough]];
                default:
                    throw usage_error(std::string("Unknown column shorthand char '") + l + "' in '" + entry + "'");
            }
        if (comma == std::string::npos) break;
        p = comma + 1;
    }
    return out;
}

}  // namespace

void warning_command::list() {
    auto c = ctx_.connect(ctx_.remote_arg_name(arg_));
    bool incus = ctx_.cfg.is_incus();
    auto columns = warning_columns(columns_, c.host_info().environment.server_clustered, incus);
    listing out{{{}, {}}, json::array()};
    for (auto& col : columns) out.rows.header.push_back(col.header);
    // ?project= only when a project other than the remote's "default" is asked for (the
    // configuration's `project: default` is not sent, as lxc does): the server-wide
    // warnings have no project, and the filter would hide them.
    for (auto& w : c.warnings().all()) {
        if (!all_ && (w.status == "acknowledged" || w.status == "resolved")) continue;
        std::vector<std::string> row;
        for (auto& col : columns) row.push_back(col.cell(w, incus));
        out.add_row(std::move(row));
        out.add_item(parse_raw(w.raw_json));
    }
    sort_naturally(out.rows.rows);   // lxc 5.0 and incus: natural order (the items stay in the server's)
    out.print(std::cout, format_);
}

void warning_command::show() {
    auto [remote, uuid] = split_remote(ctx_.cfg, arg_);
    std::cout << printable(to_yaml(parse_raw(ctx_.connect(remote).warnings().get(uuid).raw_json)));
}

void warning_command::acknowledge() {
    auto [remote, uuid] = split_remote(ctx_.cfg, arg_);
    ctx_.connect(remote).warnings().acknowledge(uuid);
}

void warning_command::remove() {
    auto [remote, uuid] = split_remote(ctx_.cfg, arg_);
    if (all_ == !uuid.empty()) throw usage_error("give either a warning UUID or --all");
    auto w = ctx_.connect(remote).warnings();
    if (!all_) return w.remove(uuid);
    for (auto& x : w.all()) w.remove(x.uuid);
}

}  // namespace lxdpp_cli
