// tools/lxdpp/commands/storage_volume.cpp — `lxdpp storage volume ...`: custom storage
// volumes and their snapshots as lxc manages them (incus 6's `storage volume snapshot`
// group when run as incus).
#include <algorithm>
#include <iostream>
#include <tuple>

#include "backup.hpp"
#include "editor.hpp"
#include "storage.hpp"

namespace lxdpp_cli {

namespace json = boost::json;

namespace {

/// "VOLUME", "custom/VOLUME" → "VOLUME" (lxc's type prefix; only custom volumes here).
std::string volume_name(const std::string& arg) {
    if (arg.starts_with("custom/")) return arg.substr(7);
    return arg;
}

/// "[REMOTE:]POOL/VOLUME[/SNAPSHOT]" → {remote, pool, "VOLUME[/SNAPSHOT]"}.
struct pool_volume {
    std::string remote, pool, volume;
};
pool_volume split_pool_volume(const config& cfg, const std::string& arg) {
    auto [remote, rest] = split_remote(cfg, arg);
    auto slash = rest.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size())
        throw usage_error("'" + arg + "' is not of the form [REMOTE:]POOL/VOLUME");
    return {remote, rest.substr(0, slash), volume_name(rest.substr(slash + 1))};
}

}  // namespace

void storage_volume_command::add(CLI::App& storage) {
    auto* vol = storage.add_subcommand("volume", "Manage storage volumes");
    vol->require_subcommand(1);
    auto verb = [&](const char* name, const char* usage, std::function<void()> f) {
        auto* s = vol->add_subcommand(name, usage);
        s->add_option("args", args_, usage)->required();
        s->callback(std::move(f));
        return s;
    };
    verb("list", "[REMOTE:]POOL", [this] { list(); })->alias("ls")->add_option("-f,--format", format_, "table|compact|csv|json|yaml");
    verb("show", "[REMOTE:]POOL VOLUME[/SNAPSHOT]", [this] { show(); });
    verb("create", "[REMOTE:]POOL VOLUME [KEY=VALUE...]", [this] { create(); })
        ->add_option("--type", content_type_, "Content type, block or filesystem");
    verb("delete", "[REMOTE:]POOL VOLUME[/SNAPSHOT]", [this] { remove(); })->alias("rm");
    for (const char* k : {"get", "set", "unset"}) verb(k, "[REMOTE:]POOL VOLUME KEY[=VALUE]...", [this, k] { keys(k); });
    verb("rename", "[REMOTE:]POOL OLD[/SNAPSHOT] NEW[/SNAPSHOT]", [this] { rename(); });
    verb("edit", "[REMOTE:]POOL VOLUME", [this] { edit(); });
    verb("info", "[REMOTE:]POOL VOLUME", [this] { info(); });
    for (bool move : {false, true}) {
        auto* s = move ? verb("move", "[REMOTE:]POOL/VOLUME [REMOTE:]POOL/VOLUME", [this] { copy_or_move(true); })->alias("mv")
                       : verb("copy", "[REMOTE:]POOL/VOLUME[/SNAPSHOT] [REMOTE:]POOL/VOLUME", [this] { copy_or_move(false); })->alias("cp");
        if (!move) {
            s->add_flag("--volume-only", volume_only_, "Copy the volume without its snapshots");
            s->add_flag("--refresh", refresh_, "Refresh and update the existing storage volume copies");
        }
        s->add_option("--mode", mode_, "Transfer mode. One of pull (default), push or relay.");
        s->add_option("--target", member_, "Cluster member name");
        s->add_option("--destination-target", destination_member_, "Destination cluster member name");
        s->add_option("--target-project", target_project_, move ? "Move to a project different from the source" : "Copy to a project different from the source");
    }
    auto* exp = verb("export", "[REMOTE:]POOL VOLUME [PATH]", [this] { export_volume(); });
    exp->add_flag("--volume-only", volume_only_, "Export the volume without its snapshots");
    exp->add_flag("--optimized-storage", optimized_, "Use storage driver optimized format (can only be restored on a similar pool)");
    exp->add_option("--compression", compression_, "Define a compression algorithm: for backup or none");
    verb("import", "[REMOTE:]POOL FILE [VOLUME]", [this] { import_volume(); });
    verb("attach", "[REMOTE:]POOL VOLUME INSTANCE [DEVICE] [PATH]", [this] { attach(false); });
    verb("detach", "[REMOTE:]POOL VOLUME INSTANCE [DEVICE]", [this] { attach(true); });
    if (config::incus_flavour()) {
        auto* group = vol->add_subcommand("snapshot", "Manage storage volume snapshots");
        group->require_subcommand(1);
        add_snapshot_verbs(*group);
        return;
    }
    auto* snap = verb("snapshot", "[REMOTE:]POOL VOLUME [SNAPSHOT]", [this] { snapshot(); });
    snap->add_flag("--reuse", reuse_, "If the snapshot name already exists, delete and create a new one");
    snap->add_flag("--no-expiry", no_expiry_, "Ignore any configured auto-expiry for the storage volume");
    verb("restore", "[REMOTE:]POOL VOLUME SNAPSHOT", [this] { restore(); });
}

// incus 6: storage volume snapshot create|delete|list|rename|restore|show.
void storage_volume_command::add_snapshot_verbs(CLI::App& group) {
    auto verb = [&](const char* name, const char* usage, std::function<void()> f) {
        auto* s = group.add_subcommand(name, usage);
        s->add_option("args", args_, usage)->required();
        s->callback(std::move(f));
        return s;
    };
    auto* create = verb("create", "[REMOTE:]POOL VOLUME [SNAPSHOT]", [this] { snapshot(); });
    create->add_flag("--reuse", reuse_, "If the snapshot name already exists, delete and create a new one");
    create->add_flag("--no-expiry", no_expiry_, "Ignore any configured auto-expiry for the storage volume");
    verb("delete", "[REMOTE:]POOL VOLUME SNAPSHOT", [this] {
        if (args_.size() != 3) throw usage_error("usage: lxdpp storage volume snapshot delete [REMOTE:]POOL VOLUME SNAPSHOT");
        volumes_of(args_[0]).get(volume_name(args_[1])).snapshot(args_[2]).remove();
        if (!ctx_.quiet)
            std::cout << "Storage volume snapshot " << printable(args_[2]) << " deleted from " << printable(volume_name(args_[1])) << "\n";
    })->alias("rm");
    verb("show", "[REMOTE:]POOL VOLUME/SNAPSHOT", [this] { show(); });
    verb("restore", "[REMOTE:]POOL VOLUME SNAPSHOT", [this] { restore(); });
    verb("rename", "[REMOTE:]POOL VOLUME OLD NEW", [this] {
        if (args_.size() != 4) throw usage_error("usage: lxdpp storage volume snapshot rename [REMOTE:]POOL VOLUME OLD NEW");
        auto s = volumes_of(args_[0]).get(volume_name(args_[1])).snapshot(args_[2]);
        s.rename(args_[3]);
        if (!ctx_.quiet)
            std::cout << "Renamed storage volume snapshot from \"" << printable(args_[2]) << "\" to \"" << printable(args_[3]) << "\"\n";
    });
    verb("list", "[REMOTE:]POOL VOLUME", [this] { snapshot_list(); })->alias("ls")->add_option("-f,--format", format_,
                                                                                                "table|compact|csv|json|yaml");
}

lxd::storage_volumes storage_volume_command::volumes_of(const std::string& arg) const {
    auto [remote, pool] = split_remote(ctx_.cfg, arg);
    return lxd::storage_volumes(ctx_.connect(remote), pool);
}

void storage_volume_command::list() {
    auto all = volumes_of(args_.at(0)).all_types();
    listing out{{{"TYPE", "NAME", "DESCRIPTION", "CONTENT-TYPE", "USED BY"}, {}}, json::array()};
    for (auto& v : all) out.add_item(parse_raw(v.raw_json));   // in the server's order, as lxc
    // As lxc: sorted by type, then name (a volume's snapshots, "VOLUME/SNAPSHOT", follow it);
    // a snapshot's type is shown as "TYPE (snapshot)".
    auto type_of = [](const lxd::api::storage_volume& v) {
        return v.name.find('/') == std::string::npos ? v.type : v.type + " (snapshot)";
    };
    std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return std::tie(a.type, a.name) < std::tie(b.type, b.name); });
    for (auto& v : all) {
        out.add_row({type_of(v), v.name, v.description, v.content_type, std::to_string(v.used_by.size())});
    }
    out.print(std::cout, format_);
}

void storage_volume_command::show() {
    if (args_.size() != 2) throw usage_error("usage: lxdpp storage volume show [REMOTE:]POOL VOLUME[/SNAPSHOT]");
    auto [volume, snap] = split_snapshot(volume_name(args_[1]));
    auto vols = volumes_of(args_[0]);
    if (ctx_.cfg.is_incus() && !vols.exists(volume))   // incus words this one itself
        throw usage_error("Storage pool volume \"custom/" + volume + "\" not found. Try virtual-machine or container for type");
    auto v = vols.get(volume);
    std::cout << printable(to_yaml(parse_raw(snap.empty() ? v.data().raw_json : v.snapshot(snap).data().raw_json)));
}

void storage_volume_command::create() {
    if (args_.size() < 2) throw usage_error("usage: lxdpp storage volume create [REMOTE:]POOL VOLUME [KEY=VALUE...]");
    lxd::storage_volume_create vc{.name = volume_name(args_[1]), .content_type = content_type_};
    for (std::size_t i = 2; i < args_.size(); ++i) vc.config.insert(parse_kv(args_[i]));
    (void)volumes_of(args_[0]).create(vc);
    if (!ctx_.quiet) std::cout << "Storage volume " << printable(vc.name) << " created\n";
}

void storage_volume_command::remove() {
    if (args_.size() != 2) throw usage_error("usage: lxdpp storage volume delete [REMOTE:]POOL VOLUME[/SNAPSHOT]");
    auto [volume, snap] = split_snapshot(volume_name(args_[1]));
    auto v = volumes_of(args_[0]).get(volume);
    if (snap.empty())
        v.remove();
    else
        v.snapshot(snap).remove();
    if (!ctx_.quiet) std::cout << "Storage volume " << printable(volume_name(args_[1])) << " deleted\n";
}

void storage_volume_command::keys(const std::string& verb) {
    if (args_.size() < 2) throw usage_error("usage: lxdpp storage volume " + verb + " [REMOTE:]POOL VOLUME KEY[=VALUE]...");
    auto v = volumes_of(args_[0]).get(volume_name(args_[1]));
    auto config = v.config();
    if (!config_keys(verb, args_, 2, config, "storage volume " + verb + " [REMOTE:]POOL VOLUME")) return;
    v.set_config(std::move(config));
    v.save();
}

void storage_volume_command::rename() {
    if (args_.size() != 3) throw usage_error("usage: lxdpp storage volume rename [REMOTE:]POOL OLD[/SNAPSHOT] NEW[/SNAPSHOT]");
    auto [volume, snap] = split_snapshot(volume_name(args_[1]));
    auto [new_volume, new_snap] = split_snapshot(volume_name(args_[2]));
    auto v = volumes_of(args_[0]).get(volume);
    std::string shown_new = volume_name(args_[2]);
    if (snap.empty()) {
        v.rename(new_volume);
    } else {
        // As lxc: NEW may be "VOLUME/NEWSNAP" or just "NEWSNAP"; the message names the snapshot.
        shown_new = new_snap.empty() ? new_volume : new_snap;
        v.snapshot(snap).rename(shown_new);
    }
    if (!ctx_.quiet)
        std::cout << "Renamed storage volume from \"" << printable(volume_name(args_[1])) << "\" to \"" << printable(shown_new) << "\"\n";
}

void storage_volume_command::copy_or_move(bool move) {
    const char* what = move ? "move" : "copy";
    if (args_.size() != 2) throw usage_error(std::string("usage: lxdpp storage volume ") + what + " [REMOTE:]POOL/VOLUME [REMOTE:]POOL/VOLUME");
    auto src = split_pool_volume(ctx_.cfg, args_[0]);
    auto dst = split_pool_volume(ctx_.cfg, args_[1]);
    lxd::storage_volume_transfer o{.pool = dst.pool, .new_name = dst.volume, .volume_only = volume_only_, .refresh = refresh_};
    if (mode_ == "push") o.mode = lxd::migration_mode::push;
    else if (mode_ == "relay") o.mode = lxd::migration_mode::relay;
    else if (mode_ != "pull") throw usage_error("Invalid transfer mode: " + mode_);
    auto c = ctx_.connect(src.remote);
    if (!member_.empty()) c = c.use_target(member_);   // the source volume's cluster member
    auto target = src.remote == dst.remote ? c : ctx_.connect(dst.remote);
    if (!destination_member_.empty()) target = target.use_target(destination_member_);
    if (!target_project_.empty()) target = target.use_project(target_project_);
    if (src.remote == dst.remote) o.mode = lxd::migration_mode::automatic;   // lxc: the mode is for between servers
    if (src.volume.find('/') != std::string::npos) {
        if (move) throw usage_error("a volume snapshot cannot be moved");
        if (src.remote != dst.remote) throw usage_error("lxdpp copies a volume snapshot within one server only");
        auto source_project = target.project() == c.project() ? std::string() : (c.project().empty() ? "default" : c.project());
        auto op = lxd::storage_volumes(target, dst.pool)
                      .copy({.name = dst.volume, .source_pool = src.pool, .source = src.volume, .source_project = source_project,
                             .volume_only = volume_only_, .refresh = refresh_});
        ctx_.wait_with_progress(op, "Copying the storage volume");
    } else {
        auto v = lxd::storage_volumes(c, src.pool).get(src.volume);
        if (move)
            v.move_to(target, o);
        else
            ctx_.wait_with_progress(v.copy_to(target, o), "Copying the storage volume");
    }
    if (!ctx_.quiet) std::cout << "Storage volume " << (move ? "moved" : "copied") << " successfully!\n";
}

void storage_volume_command::edit() {
    if (args_.size() != 2) throw usage_error("usage: lxdpp storage volume edit [REMOTE:]POOL VOLUME");
    auto v = volumes_of(args_[0]).get(volume_name(args_[1]));
    edit_object(parse_raw(v.data().raw_json), [&v](const json::value& doc) { save_edited(v, doc, "storage volume"); },
                {.header = "### This is a YAML representation of a storage volume.\n"
                           "### Any line starting with a '# will be ignored.\n"
                           "###\n"
                           "### A storage volume consists of a set of configuration items.\n"});
}

// As incus 6 prints it (lxc 5.0 refuses a volume whose state the driver cannot tell, e.g. on
// a dir pool: "Error: Not supported"; lxdpp prints the same fields there).
void storage_volume_command::info() {
    if (args_.size() != 2) throw usage_error("usage: lxdpp storage volume info [REMOTE:]POOL VOLUME");
    auto v = volumes_of(args_[0]).get(volume_name(args_[1]));
    std::cout << "Name: " << printable(v.name()) << "\n";
    if (!v.description().empty()) std::cout << "Description: " << printable(v.description()) << "\n";
    std::cout << "Type: custom\n";
    if (!v.content_type().empty()) std::cout << "Content type: " << printable(v.content_type()) << "\n";
    auto raw = parse_raw(v.data().raw_json);
    auto* at = raw.is_object() ? raw.as_object().if_contains("created_at") : nullptr;
    if (auto created = at && at->is_string() ? local_time(std::string(at->get_string()), "%Y/%m/%d %H:%M %Z") : std::string();
        !created.empty())
        std::cout << "Created: " << created << "\n";
    auto snaps = v.snapshots();
    if (snaps.empty()) return;
    table t{{"NAME", "DESCRIPTION", "EXPIRES AT"}, {}};
    for (auto& s : snaps)
        t.rows.push_back({printable(s.name()), printable(s.description()), local_time(s.expires_at(), "%Y/%m/%d %H:%M %Z")});
    std::cout << "\nSnapshots:\n";
    print_table(std::cout, t, "table");
}

void storage_volume_command::export_volume() {
    if (args_.size() < 2 || args_.size() > 3) throw usage_error("usage: lxdpp storage volume export [REMOTE:]POOL VOLUME [PATH]");
    auto v = volumes_of(args_[0]).get(volume_name(args_[1]));
    lxd::backup_create o{.expires_at = in_a_day(), .instance_only = volume_only_, .optimized_storage = optimized_,
                         .compression_algorithm = compression_};
    export_backup(ctx_, v.backups(), o, args_.size() > 2 ? args_[2] : "backup.tar.gz", "Backing up storage volume");
    if (!ctx_.quiet) std::cout << "Backup exported successfully!\n";
}

void storage_volume_command::import_volume() {
    if (args_.size() < 2 || args_.size() > 3) throw usage_error("usage: lxdpp storage volume import [REMOTE:]POOL FILE [VOLUME]");
    progress_line line("Importing custom volume", ctx_.show_progress());
    lxd::backup_import o{.name = args_.size() > 2 ? args_[2] : "",
                         .progress = [&line](std::uint64_t d, std::uint64_t t) { line.update(d, t); }};
    auto op = volumes_of(args_[0]).import_backup(args_[1], o);
    line.clear();
    ctx_.wait_with_progress(op, "Importing custom volume");
}

void storage_volume_command::attach(bool detach) {
    if (args_.size() < 3 || args_.size() > (detach ? 4u : 5u))
        throw usage_error(detach ? "usage: lxdpp storage volume detach [REMOTE:]POOL VOLUME INSTANCE [DEVICE]"
                                 : "usage: lxdpp storage volume attach [REMOTE:]POOL VOLUME INSTANCE [DEVICE] [PATH]");
    auto [remote, pool] = split_remote(ctx_.cfg, args_[0]);
    auto c = ctx_.connect(remote);
    auto v = lxd::storage_volumes(c, pool).get(volume_name(args_[1]));
    auto i = c.instances().get(args_[2]);
    if (detach) {
        v.detach(i, args_.size() == 4 ? args_[3] : "");
        return;
    }
    // As lxc: with four arguments the fourth is the path (the device takes the volume's name).
    std::string device = args_.size() == 5 ? args_[3] : "";
    std::string path = args_.size() == 5 ? args_[4] : args_.size() == 4 ? args_[3] : "";
    v.attach(i, path, device);
}

void storage_volume_command::snapshot() {
    if (args_.size() < 2 || args_.size() > 3) throw usage_error("usage: lxdpp storage volume snapshot [REMOTE:]POOL VOLUME [SNAPSHOT]");
    auto v = volumes_of(args_[0]).get(volume_name(args_[1]));
    std::string name = args_.size() == 3 ? args_[2] : "";
    if (reuse_ && !name.empty())
        for (auto& s : v.snapshots())
            if (s.name() == name) s.remove();
    // --no-expiry: LXD's zero time, which overrides snapshots.expiry.
    (void)v.create_snapshot(name, no_expiry_ ? "0001-01-01T00:00:00Z" : "");
}

void storage_volume_command::snapshot_list() {
    if (args_.size() != 2) throw usage_error("usage: lxdpp storage volume snapshot list [REMOTE:]POOL VOLUME");
    auto all = volumes_of(args_[0]).get(volume_name(args_[1])).snapshots();
    listing out{{{"NAME", "TAKEN AT", "EXPIRES AT"}, {}}, json::array()};
    for (auto& s : all) {
        out.add_item(parse_raw(s.data().raw_json));
        auto expires = local_time(s.expires_at(), "%Y/%m/%d %H:%M %Z");
        out.add_row({s.name(), local_time(s.created_at(), "%Y/%m/%d %H:%M %Z"), expires.empty() ? " " : expires});
    }
    out.print(std::cout, format_);
}

void storage_volume_command::restore() {
    if (args_.size() != 3) throw usage_error("usage: lxdpp storage volume restore [REMOTE:]POOL VOLUME SNAPSHOT");
    volumes_of(args_[0]).get(volume_name(args_[1])).restore(args_[2]);
}

}  // namespace lxdpp_cli
