// tools/lxdpp/commands/console.cpp — `lxdpp console [REMOTE:]NAME`: the instance's console on
// this terminal, as lxc attaches it (raw mode, window size followed, ctrl+a q detaches), and
// `console NAME --show-log`: its console log, as lxc and incus print it.
#include <atomic>
#include <iostream>
#include <memory>
#include <string>

#include <lxd/console.hpp>

#include "network_commands.hpp"
#include "signals.hpp"
#include "terminal.hpp"

namespace lxdpp_cli {

namespace {

/// lxc's detach keys in what is typed: ctrl+a is held back; ctrl+a then q detaches (the rest
/// of the input is dropped); ctrl+a then anything else passes that byte on, not the ctrl+a.
class escape_filter {
public:
    /// The bytes of `in` that go to the console; detach() tells if ctrl+a q was seen.
    std::string filter(std::string_view in) {
        std::string out;
        for (char ch : in) {
            if (ch == '\x01' && !escape_) {
                escape_ = true;
                continue;
            }
            if (ch == 'q' && escape_) {
                detach_ = true;
                break;
            }
            escape_ = false;
            out += ch;
        }
        return out;
    }
    bool detach() const { return detach_; }

private:
    bool escape_ = false;
    std::atomic<bool> detach_{false};
};

// As lxc: the type is checked first (console or vga), then --show-log with it.
void check_type(const std::string& type, bool show_log) {
    if (type != "console" && type != "vga") throw usage_error("Unknown output type \"" + type + "\"");
    if (show_log && type != "console") throw usage_error("The --show-log flag is only supported for by 'console' output type");
    if (type == "vga") throw usage_error("not supported by lxdpp: --type vga (a virtual machine's SPICE display); only --type console");
}

// On the terminal in raw mode until ctrl+a q, the console's end, or SIGINT/SIGTERM (then
// detached, the terminal restored, exit 128 + the signal). Every path restores the terminal:
// raw_terminal is undone by its destructor when an error unwinds.
void attach_console(const context& ctx, const std::string& target) {
    // As lxc: stdin must be a terminal (lxc fails to make it raw with this message).
    if (!::isatty(0)) throw usage_error("inappropriate ioctl for device");
    with_transfer_signals([&](std::stop_token stop) {   // before connect: threads inherit the mask
        auto [remote, name] = split_remote(ctx.cfg, target);
        auto inst = ctx.connect(remote).instances().get(name);
        winsize ws{};
        if (::ioctl(0, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 || ws.ws_row == 0) ws = {24, 80, 0, 0};
        raw_terminal terminal;
        std::cout << "To detach from the console, press: <ctrl>+a q\n\r" << std::flush;
        auto session = inst.console({.width = ws.ws_col, .height = ws.ws_row});
        escape_filter keys;
        {
            stdin_pump input([&](std::string_view d) {
                if (auto bytes = keys.filter(d); !bytes.empty()) session.write(bytes);
                return !keys.detach();
            });
            relay_output(session, ws, [&] { return keys.detach() || stop.stop_requested(); });
        }
        session.detach(std::chrono::seconds(30));
        // The server's last bytes after the detach ("\n\r"), as lxc shows them.
        while (auto chunk = session.read(std::chrono::milliseconds(0))) {
            if (chunk->empty()) break;
            write_all(1, *chunk);
        }
        terminal.restore();
    });
}

}  // namespace

void console_command::add(CLI::App& app) {
    auto* con = app.add_subcommand("console", "Attach to instance consoles");
    con->add_option("name", name_, "[REMOTE:]INSTANCE")->required();
    con->add_flag("--show-log", show_log_, "Retrieve the container's console log");
    // The type lives with the callback (the class's members are the console log's).
    auto type = std::make_shared<std::string>("console");
    con->add_option("-t,--type", *type,
                    "Type of connection to establish: 'console' for serial console, 'vga' for SPICE graphical output");
    con->callback([this, type] {
        check_type(*type, show_log_);
        if (!show_log_) return attach_console(ctx_, name_);
        run();
    });
}

// console NAME --show-log.
void console_command::run() {
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    auto log = ctx_.connect(remote).instances().get(name).console_log();
    // As lxc and incus: the console's bytes as they are (a terminal's output); lxc puts a
    // heading above them, incus does not.
    if (!ctx_.cfg.is_incus()) std::cout << "\nConsole log:\n\n";
    std::cout << log << "\n";
}

}  // namespace lxdpp_cli
