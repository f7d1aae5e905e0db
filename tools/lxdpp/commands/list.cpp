// tools/lxdpp/commands/list.cpp — `lxdpp list`: instances as lxc lists them.
#include <algorithm>
#include <iostream>

#include "commands.hpp"

namespace lxdpp_cli {

namespace json = boost::json;

namespace {

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
    case 't': return upper(std::string(to_string(i.type()))) + (i.ephemeral() ? " (EPHEMERAL)" : "");
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

/// Whether an instance passes the KEY=VALUE filters (as lxc: case-insensitive values; a key
/// is a field, a configuration key, or a user.KEY).
bool matches(const lxd::instance& i, const std::vector<std::string>& keys) {
    bool ok = true;
    for (auto& k : keys) {
        auto [key, value] = parse_kv(k);
        auto& cfgmap = i.expanded_config();
        std::string have;
        if (key == "status" || key == "state") have = i.status();
        else if (key == "type") have = to_string(i.type());
        else if (key == "location") have = i.location();
        else if (auto it = cfgmap.find(key); it != cfgmap.end()) have = it->second;
        else if (auto it2 = cfgmap.find("user." + key); it2 != cfgmap.end()) have = it2->second;
        if (upper(have) != upper(value)) ok = false;
    }
    return ok;
}

}  // namespace

void list_command::add(CLI::App& app) {
    auto* list = app.add_subcommand("list", "List instances")->alias("ls");
    list->add_option("remote", remote_, "[REMOTE:][NAME-PREFIX]");
    list->add_option("filters", filters_, "key=value filters");
    list->add_option("-f,--format", format_, "table|compact|csv|json|yaml");
    list->add_option("-c,--columns", columns_, "Columns: n s 4 6 t S L a c l p P e d");
    list->add_flag("--all-projects", all_projects_, "All projects");
    list->add_flag("--fast", fast_, "Fast mode (same as --columns=nsacPt)");
    list->callback([this] { run(); });
}

void list_command::run() {
    const std::string columns = fast_ ? std::string("nsacPt") : columns_;
    const auto& format = format_;
    std::string remote = ctx_.cfg.default_remote();
    std::string name_filter;
    if (!remote_.empty()) {
        auto [r, rest] = split_remote(ctx_.cfg, remote_.find(':') == std::string::npos && ctx_.cfg.has(remote_) ? remote_ + ":" : remote_);
        remote = r;
        name_filter = rest;
    }
    auto c = ctx_.connect(remote);
    if (columns.find_first_of(",:") != std::string::npos) throw usage_error("not supported by lxdpp: custom columns (-c KEY:NAME)");
    for (char ch : columns) (void)column_header(ch);   // refuse unknown columns before any request
    lxd::list_options lo;
    // State (recursion=2) costs the server a lot per instance: ask for it only when a column
    // or the output format needs it, as lxc does.
    lo.with_state = format == "json" || format == "yaml" || columns.find_first_of("46Sp") != std::string::npos;
    lo.all_projects = all_projects_;
    std::vector<std::string> keys;   // key=value filters, applied here like lxc does
    for (auto& f : filters_) {
        if (f.find('=') != std::string::npos)
            keys.push_back(f);
        else if (name_filter.empty())
            name_filter = f;
        else
            throw usage_error("only one name filter is allowed");
    }
    std::vector<lxd::instance> shown;
    for (auto& i : c.instances().all(lo))
        if ((name_filter.empty() || i.name().rfind(name_filter, 0) == 0) && matches(i, keys)) shown.push_back(i);
    listing out;
    if (format == "json" || format == "yaml") {
        for (auto& i : shown) out.add_item(parse_raw(i.data().raw_json));
    } else {
        if (format != "table" && format != "csv" && format != "compact")
            throw usage_error("unknown format \"" + format + "\" (table, compact, csv, json, yaml)");
        for (char ch : columns) out.rows.header.push_back(column_header(ch));
        std::sort(shown.begin(), shown.end(), [](auto& a, auto& b) { return a.name() < b.name(); });
        for (auto& i : shown) {
            std::vector<std::string> row;
            for (char ch : columns) row.push_back(column_value(i, ch));
            out.add_row(std::move(row));
        }
    }
    out.print(std::cout, format);
}

}  // namespace lxdpp_cli
