// tools/lxdpp/commands/profiles.hpp — the verb groups of profiles and projects, and the
// `device` group shared by `profile device` and `config device`.
#pragma once

#include <string>
#include <vector>

#include "context.hpp"

namespace lxdpp_cli {

/// `device add|remove|list|show|set|get|unset` under `profile` (on a profile) or `config`
/// (on an instance).
class device_command {
public:
    device_command(context& ctx, bool on_profile) : ctx_(ctx), on_profile_(on_profile) {}
    void add(CLI::App& parent);

private:
    void run(const std::string& verb);
    context& ctx_;
    bool on_profile_;
    std::vector<std::string> args_;
};

/// profile list|show|create|copy|delete|edit|get|set|unset|rename|assign|add|remove and device.
class profile_command {
public:
    explicit profile_command(context& ctx) : ctx_(ctx), device_(ctx, true) {}
    void add(CLI::App& app);

private:
    void list();
    void create();
    void copy();
    void edit();
    void keys(const std::string& verb);
    void instance_profiles(const std::string& verb);
    context& ctx_;
    device_command device_;
    std::vector<std::string> args_;
    std::string format_ = "table", target_project_;
};

/// project list|show|create|delete|edit|get|set|unset|rename|switch.
class project_command {
public:
    explicit project_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);

private:
    void list();
    void create();
    void edit();
    void keys(const std::string& verb);
    void switch_to();
    void info();
    context& ctx_;
    std::vector<std::string> args_, config_;
    std::string format_ = "table";
};

}  // namespace lxdpp_cli
