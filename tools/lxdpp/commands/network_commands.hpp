// tools/lxdpp/commands/network_commands.hpp — the verb groups of networks (network.cpp),
// the console (console.cpp) and an instance's metadata and templates (metadata.cpp).
#pragma once

#include <string>
#include <vector>

#include "context.hpp"

namespace lxdpp_cli {

/// network list|show|create|delete|get|set|unset|edit|rename|attach|detach|info|list-leases.
class network_command {
public:
    explicit network_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);

private:
    void list();
    void create();
    void edit();
    void keys(const std::string& verb);
    void attach();
    void detach();
    void info();
    void leases();
    context& ctx_;
    std::vector<std::string> args_;
    std::string format_ = "table", type_;
};

/// console [REMOTE:]NAME: the instance's console, interactive; --show-log: its console log.
class console_command {
public:
    explicit console_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);

private:
    void run();
    context& ctx_;
    std::string name_;
    bool show_log_ = false;
};

/// config metadata show|edit and config template list|show|create|edit|delete.
class metadata_command {
public:
    explicit metadata_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& config);

private:
    void metadata_edit();
    void template_verb(const std::string& verb);
    context& ctx_;
    std::vector<std::string> args_;
    std::string format_ = "table";
};

}  // namespace lxdpp_cli
