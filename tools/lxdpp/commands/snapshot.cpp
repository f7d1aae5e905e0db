// tools/lxdpp/commands/snapshot.cpp — `lxdpp snapshot`, `snapshots` and `restore`.
#include <iostream>

#include "commands.hpp"

namespace lxdpp_cli {

void snapshot_command::add(CLI::App& app) {
    auto* snap = app.add_subcommand("snapshot", "Snapshot an instance: snapshot NAME [SNAPSHOT]");
    snap->add_option("name", name_, "[REMOTE:]NAME")->required();
    snap->add_option("snapshot", snapshot_, "Snapshot name (default snapN)");
    snap->add_flag("--stateful", stateful_, "Include the running state (needs CRIU)");
    snap->add_option("--expiry", expiry_, "RFC 3339 expiry date (lxdpp only)");
    snap->add_flag("--no-expiry", no_expiry_, "Ignore any configured auto-expiry for the instance");
    snap->add_flag("--reuse", reuse_, "If the snapshot name already exists, delete and create a new one");
    snap->callback([this] { create(); });
    auto* snaps_list = app.add_subcommand("snapshots", "List an instance's snapshots");
    snaps_list->add_option("name", name_, "[REMOTE:]NAME")->required();
    snaps_list->add_option("-f,--format", format_, "table|compact|csv|json|yaml");
    snaps_list->callback([this] { list(); });
    auto* restore = app.add_subcommand("restore", "Restore an instance from a snapshot: restore NAME SNAPSHOT");
    restore->add_option("name", name_, "[REMOTE:]NAME")->required();
    restore->add_option("snapshot", snapshot_, "Snapshot")->required();
    restore->add_flag("--stateful", stateful_, "Restore the running state too");
    restore->callback([this] { this->restore(); });
}

void snapshot_command::create() {
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    auto i = ctx_.connect(remote).instances().get(name);
    auto snaps = i.snapshots();
    std::string snap_name = snapshot_;
    if (snap_name.empty()) {
        for (int n = 0;; ++n)
            if (!snaps.exists("snap" + std::to_string(n))) {
                snap_name = "snap" + std::to_string(n);
                break;
            }
    } else if (reuse_ && snaps.exists(snap_name)) {
        snaps.get(snap_name).remove().wait(op_wait);
    }
    // --no-expiry: LXD's zero time, which overrides snapshots.expiry.
    std::string expiry = no_expiry_ ? "0001-01-01T00:00:00Z" : expiry_;
    ctx_.wait_with_progress(snaps.create(snap_name, {.stateful = stateful_, .expires_at = expiry}), "Snapshotting");
}

void snapshot_command::list() {
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    auto all = ctx_.connect(remote).instances().get(name).snapshots().all();
    listing out{{{"NAME", "TAKEN AT", "EXPIRES AT", "STATEFUL"}, {}}, boost::json::array()};
    for (auto& s : all) {
        out.add_item(parse_raw(s.raw_json()));
        out.add_row({s.name(), s.created_at(), s.expires_at().rfind("0001-", 0) == 0 ? "" : s.expires_at(),
                                 s.stateful() ? "YES" : "NO"});
    }
    out.print(std::cout, format_);
}

void snapshot_command::restore() {
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    ctx_.connect(remote).instances().get(name).restore_snapshot(snapshot_, stateful_).wait(op_wait);
}

}  // namespace lxdpp_cli
