// tools/lxdpp/commands/server_commands.hpp — the verb groups about the server itself:
// config trust, operation, warning, query and monitor (server config get/set/unset/show is
// in config.cpp, info --resources in info.cpp).
#pragma once

#include <string>
#include <vector>

#include "context.hpp"

namespace lxdpp_cli {

/// config trust list (ls), add, remove (rm), list-tokens, revoke-token, show: registered
/// under the `config` subcommand, which must exist already.
class trust_command {
public:
    explicit trust_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void list();
    void add_trust();
    void add_certificate();
    void remove();
    void list_tokens();
    void revoke_token();
    void show();
    void edit();

private:
    void print_token(const lxd::client& c, const std::string& name);
    void trust_file(const lxd::client& c, const std::string& cert_path);
    context& ctx_;
    std::vector<std::string> args_;
    std::string format_ = "table", name_, type_ = "client", projects_, description_;
    bool restricted_ = false;
};

/// operation list (ls), show, delete (rm).
class operation_command {
public:
    explicit operation_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void list();
    void show();
    void remove();

private:
    context& ctx_;
    std::string arg_, format_ = "table";
    bool all_projects_ = false;
};

/// warning list (ls), show, acknowledge (ack), delete (rm).
class warning_command {
public:
    explicit warning_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void list();
    void show();
    void acknowledge();
    void remove();

private:
    context& ctx_;
    std::string arg_, format_ = "table", columns_ = "utSscpLl";
    bool all_ = false;
};

/// query: a raw request, as `lxc query`.
class query_command {
public:
    explicit query_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void run();

private:
    context& ctx_;
    std::string path_, method_ = "GET", data_;
    bool wait_ = false, raw_ = false;
};

/// monitor: the server's events, as `lxc monitor` prints them, until SIGINT.
class monitor_command {
public:
    explicit monitor_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void run();

private:
    context& ctx_;
    std::string remote_, format_ = "yaml", loglevel_;
    std::vector<std::string> types_;
    bool pretty_ = false, all_projects_ = false;
};

/// Go's natural order (digit runs compared as numbers, leading zeros aside, digits before
/// other bytes), which lxc 5.0 and incus sort the operation and warning tables by.
bool natural_less(const std::string& a, const std::string& b);
/// The rows sorted as lxc's SortColumnsNaturally: column by column, an empty cell last.
void sort_naturally(std::vector<std::vector<std::string>>& rows);

/// JSON as Go's json.Indent(prefix "", indent "\t") writes it (lxc query's output).
std::string go_indent_json(const boost::json::value& v);
/// The value with every object's keys sorted (Go marshals maps in key order).
boost::json::value sorted_keys(const boost::json::value& v);

}  // namespace lxdpp_cli
