// tools/lxdpp/commands/snapshot.cpp — `lxdpp snapshot`, `snapshots` and `restore`; as an incus
// client, incus 6's `snapshot create|delete|list|rename|restore|show` instead.
#include <iostream>

#include "commands.hpp"

namespace lxdpp_cli {

void snapshot_command::add(CLI::App& app) {
    if (config::incus_flavour()) {
        add_incus(app);
        return;
    }
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

// As the incus 6 CLI spells them: one `snapshot` group, no `snapshots` or `restore` verb.
void snapshot_command::add_incus(CLI::App& app) {
    auto* group = app.add_subcommand("snapshot", "Manage instance snapshots");
    group->require_subcommand(1);
    auto* create = group->add_subcommand("create", "Create instance snapshot: create NAME [SNAPSHOT]");
    create->add_option("name", name_, "[REMOTE:]NAME")->required();
    create->add_option("snapshot", snapshot_, "Snapshot name (default snapN)");
    create->add_flag("--stateful", stateful_, "Include the running state (needs CRIU)");
    create->add_flag("--no-expiry", no_expiry_, "Ignore any configured auto-expiry for the instance");
    create->add_flag("--reuse", reuse_, "If the snapshot name already exists, delete and create a new one");
    create->callback([this] { this->create(); });
    auto* del = group->add_subcommand("delete", "Delete instance snapshots: delete NAME SNAPSHOT")->alias("rm");
    auto* restore = group->add_subcommand("restore", "Restore instance snapshots: restore NAME SNAPSHOT");
    auto* show = group->add_subcommand("show", "Show instance snapshot configuration: show NAME SNAPSHOT");
    for (auto* s : {del, restore, show}) {
        s->add_option("name", name_, "[REMOTE:]NAME")->required();
        s->add_option("snapshot", snapshot_, "Snapshot")->required();
    }
    restore->add_flag("--stateful", stateful_, "Restore the running state too");
    del->callback([this] { remove(); });
    restore->callback([this] { this->restore(); });
    show->callback([this] { this->show(); });
    auto* ren = group->add_subcommand("rename", "Rename instance snapshots: rename NAME OLD NEW");
    ren->add_option("name", name_, "[REMOTE:]NAME")->required();
    ren->add_option("snapshot", snapshot_, "Snapshot")->required();
    ren->add_option("new", new_name_, "New name")->required();
    ren->callback([this] { rename(); });
    auto* list = group->add_subcommand("list", "List instance snapshots: list NAME")->alias("ls");
    list->add_option("name", name_, "[REMOTE:]NAME")->required();
    list->add_option("-f,--format", format_, "table|compact|csv|json|yaml");
    list->callback([this] { this->list(); });
}

void snapshot_command::remove() {
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    ctx_.connect(remote).instances().get(name).snapshots().get(snapshot_).remove().wait(op_wait);
}

void snapshot_command::rename() {
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    ctx_.connect(remote).instances().get(name).snapshots().get(snapshot_).rename(new_name_).wait(op_wait);
}

void snapshot_command::show() {
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    auto snap = ctx_.connect(remote).instances().get(name).snapshots().get(snapshot_);
    std::cout << printable(to_yaml(parse_raw(snap.raw_json())));
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
        if (ctx_.cfg.is_incus()) {
            // incus snapshot list: local times as in `info`, a blank for "never expires".
            auto expires = local_time(s.expires_at(), "%Y/%m/%d %H:%M %Z");
            out.add_row({s.name(), local_time(s.created_at(), "%Y/%m/%d %H:%M %Z"), expires.empty() ? " " : expires,
                         s.stateful() ? "YES" : "NO"});
            continue;
        }
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
