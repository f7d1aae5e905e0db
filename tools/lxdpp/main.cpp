// lxdpp — the lxc commands people use, on the lxdpp library's public headers only.
// Reads and writes lxc's client configuration, so remotes and certificates are shared.
//
// This file only wires the command line: the global flags, the verb groups (one file each
// in commands/), parsing, and how errors become messages and exit codes.
#include <algorithm>
#include <iostream>

#include <CLI/CLI.hpp>

#include <lxd/lxd.hpp>

#include "commands/backup.hpp"
#include "commands/commands.hpp"
#include "commands/network_commands.hpp"
#include "commands/profiles.hpp"
#include "commands/storage.hpp"
#include "commands/server_commands.hpp"

using namespace lxdpp_cli;

namespace {

/// The flags before the verb that are not part of the context.
struct global_flags {
    bool show_version = false;
    bool force_local = false;
    int timeout_s = 30;

    void add(CLI::App& app, context& ctx) {
        app.add_flag("--version", show_version, "Print the client version");
        app.add_option("--project", ctx.project, "Override the remote's project");
        app.add_flag("-q,--quiet", ctx.quiet, "No progress output");
        app.add_flag("--force-local", force_local, "Force using the local unix socket");
        unsupported_flag(&app, "--debug");
        unsupported_flag(&app, "-v,--verbose");
        unsupported_flag(&app, "--sub-commands");
        app.add_option("--timeout", timeout_s, "Seconds each request may take (default 30)");
    }
};

/// Every verb group, registered in the order `lxdpp --help` lists them.
struct verbs {
    list_command list;
    info_command info;
    create_command create;
    lifecycle_command lifecycle;
    delete_command remove;
    move_command move;
    exec_command exec;
    file_command file;
    snapshot_command snapshot;
    image_command image;
    backup_command backup;   // export, import, image copy
    publish_command publish;
    remote_command remote;
    config_command config;
    trust_command trust;
    operation_command operation;
    warning_command warning;
    query_command query;
    monitor_command monitor;
    cluster_command cluster;
    profile_command profile;
    project_command project;
    storage_command storage;
    device_command config_device;   // `config device`: an instance's devices
    meta_commands meta;
    network_command network;
    console_command console;
    metadata_command config_metadata;   // `config metadata`, `config template`

    explicit verbs(context& c)
        : list(c), info(c), create(c), lifecycle(c), remove(c), move(c), exec(c), file(c), snapshot(c), image(c), backup(c), publish(c), remote(c),
          config(c), trust(c), operation(c), warning(c), query(c), monitor(c), cluster(c), profile(c), project(c), storage(c),
          config_device(c, false), meta(c), network(c), console(c), config_metadata(c) {}

    void add(CLI::App& app) {
        list.add(app);
        info.add(app);
        create.add(app);
        lifecycle.add(app);
        remove.add(app);
        move.add(app);
        exec.add(app);
        file.add(app);
        snapshot.add(app);
        image.add(app);
        backup.add(app);
        publish.add(app);
        remote.add(app);
        config.add(app);
        config_device.add(*app.get_subcommand("config"));
        trust.add(app);   // under `config`
        operation.add(app);
        warning.add(app);
        query.add(app);
        monitor.add(app);
        cluster.add(app);
        profile.add(app);
        project.add(app);
        storage.add(app);
        meta.add(app);
        network.add(app);
        console.add(app);
        config_metadata.add(*app.get_subcommand("config"));
    }
};

/// As cobra/pflag: every option takes exactly one value per occurrence (repeatable), so it
/// never swallows the positional arguments after it.
void one_value_per_option(CLI::App* app) {
    for (auto* o : app->get_options())
        if (!o->get_positional() && o->get_type_size() != 0) o->allow_extra_args(false);
    for (auto* sub : app->get_subcommands({})) one_value_per_option(sub);
}

std::string error_line(const lxd::error& e) {
    const auto& d = e.diag();
    if (!d.server_message.empty()) return printable(d.server_message + (d.detail.empty() ? "" : " (" + d.detail + ")"));
    if (!d.detail.empty()) return printable(d.detail);
    return printable(e.what());
}

/// Loads the configuration, rewrites the command line (aliases, --force-local) and runs the
/// one subcommand it names; returns the exit status.
int parse_and_run(CLI::App& app, context& ctx, const global_flags& flags, int argc, char** argv) {
    ctx.cfg = config::load();
    one_value_per_option(&app);
    app.parse_complete_callback([&] { ctx.timeout = std::chrono::seconds(flags.timeout_s); });
    std::vector<std::string> args = expand_aliases(ctx.cfg, std::vector<std::string>(argv + 1, argv + argc));
    // --force-local (before any "--") takes effect before any subcommand reads a remote.
    auto dashdash = std::find(args.begin(), args.end(), "--");
    if (std::find(args.begin(), dashdash, "--force-local") != dashdash) ctx.cfg.force_local();
    std::reverse(args.begin(), args.end());   // CLI11 takes them last to first
    app.parse(args);
    return ctx.exit_code;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"lxdpp: the lxc commands people use, on the lxdpp C++ library"};
    app.name("lxdpp");
    app.require_subcommand(1);
    app.fallthrough();
    context ctx;
    global_flags flags;
    flags.add(app, ctx);
    verbs commands(ctx);
    commands.add(app);
    try {
        if (argc == 2 && std::string(argv[1]) == "--version") {
            std::cout << lxd::version_string << "\n";
            return 0;
        }
        return parse_and_run(app, ctx, flags, argc, argv);
    } catch (const exit_status& e) {
        return e.code;
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 1;   // as lxc: any usage error exits 1
    } catch (const lxd::error& e) {
        std::cerr << "Error: " << error_line(e) << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "Error: " << printable(e.what()) << "\n";
        return 1;
    }
}
