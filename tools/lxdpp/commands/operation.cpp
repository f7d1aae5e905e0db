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
}  // namespace

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
    listing out{{{"ID", "TYPE", "DESCRIPTION", "STATUS", "CANCELABLE", "CREATED"}, {}}, json::array()};
    for (auto& op : c.operations()) {
        out.add_row({op.id, upper(op.operation_class), op.description, upper(op.status), op.may_cancel ? "YES" : "NO",
                     local_time(op.created_at, list_time)});
        out.add_item(parse_raw(op.raw_json));
    }
    std::sort(out.rows.rows.begin(), out.rows.rows.end());
    out.print(std::cout, format_);
}

void operation_command::show() {
    auto [remote, id] = split_remote(ctx_.cfg, arg_);
    auto op = ctx_.connect(remote).get_operation(id);
    std::cout << printable(to_yaml(parse_raw(op.info().raw_json)));
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

void warning_command::list() {
    auto c = ctx_.connect(ctx_.remote_arg_name(arg_));
    listing out{{{}, {}}, json::array()};
    static const std::pair<char, const char*> names[] = {{'u', "UUID"}, {'t', "TYPE"}, {'S', "STATUS"}, {'s', "SEVERITY"},
                                                         {'c', "COUNT"}, {'p', "PROJECT"}, {'L', "LOCATION"}, {'l', "LAST SEEN"},
                                                         {'f', "FIRST SEEN"}};
    for (char col : columns_) {
        auto it = std::find_if(std::begin(names), std::end(names), [&](auto& n) { return n.first == col; });
        if (it == std::end(names)) throw usage_error(std::string("Unknown column shorthand char '") + col + "' in '" + columns_ + "'");
        // lxc shows LOCATION only for a cluster.
        if (col != 'L' || c.host_info().environment.server_clustered) out.rows.header.push_back(it->second);
    }
    for (auto& w : c.warnings().all()) {
        if (!all_ && w.status == "acknowledged") continue;
        std::vector<std::string> row;
        for (char col : columns_) switch (col) {
                case 'u': row.push_back(w.uuid); break;
                case 't': row.push_back(w.type); break;
                case 'S': row.push_back(upper(w.status)); break;
                case 's': row.push_back(upper(w.severity)); break;
                case 'c': row.push_back(std::to_string(w.count)); break;
                case 'p': row.push_back(w.project); break;
                case 'L': if (c.host_info().environment.server_clustered) row.push_back(w.location); break;
                case 'l': row.push_back(local_time(w.last_seen_at, warning_time)); break;
                case 'f': row.push_back(local_time(w.first_seen_at, warning_time)); break;
            }
        out.add_row(std::move(row));
        out.add_item(parse_raw(w.raw_json));
    }
    std::sort(out.rows.rows.begin(), out.rows.rows.end());
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
