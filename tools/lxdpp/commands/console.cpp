// tools/lxdpp/commands/console.cpp — `lxdpp console NAME --show-log`: an instance's console
// log, as lxc and incus print it. (The interactive console is not in lxdpp yet.)
#include <iostream>

#include "network_commands.hpp"

namespace lxdpp_cli {

void console_command::add(CLI::App& app) {
    auto* con = app.add_subcommand("console", "Show an instance's console log (--show-log)");
    con->add_option("name", name_, "[REMOTE:]INSTANCE")->required();
    con->add_flag("--show-log", show_log_, "Retrieve the container's console log");
    unsupported_option(con, "-t,--type");
    con->callback([this] { run(); });
}

void console_command::run() {
    if (!show_log_) throw usage_error("not supported by lxdpp yet: the interactive console (only console --show-log)");
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    auto log = ctx_.connect(remote).instances().get(name).console_log();
    // As lxc and incus: the console's bytes as they are (a terminal's output); lxc puts a
    // heading above them, incus does not.
    if (!ctx_.cfg.is_incus()) std::cout << "\nConsole log:\n\n";
    std::cout << log << "\n";
}

}  // namespace lxdpp_cli
