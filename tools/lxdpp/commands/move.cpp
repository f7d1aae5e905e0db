// tools/lxdpp/commands/move.cpp — rename, move and copy of instances and snapshots.
#include "commands.hpp"

namespace lxdpp_cli {

void move_command::add(CLI::App& app) {
    auto* ren = app.add_subcommand("rename", "Rename an instance or a snapshot (NAME/SNAP NAME/NEW)");
    ren->add_option("name", src_, "[REMOTE:]NAME[/SNAPSHOT]")->required();
    ren->add_option("new", dst_, "NEW-NAME[/SNAPSHOT]")->required();
    ren->callback([this] { run(false); });
    auto* mv = app.add_subcommand("move", "Rename an instance or snapshot, or move it to another server or cluster member")->alias("mv");
    auto* cp = app.add_subcommand("copy", "Copy an instance, or make an instance of a snapshot")->alias("cp");
    for (auto* s : {mv, cp}) {
        bool is_copy = s == cp;
        s->add_option("source", src_, "[REMOTE:]NAME[/SNAPSHOT]")->required();
        s->add_option("destination", dst_, "[REMOTE:][NEW-NAME[/SNAPSHOT]]");
        s->add_flag("--instance-only", instance_only_, "Without its snapshots");
        s->add_option("--mode", mode_, "pull, push or relay");
        s->add_option("--target", member_, "Cluster member");
        s->add_flag("--stateless", stateless_, "A running instance: copy it as it is on disk");
        if (is_copy) {
            s->add_flag("--refresh", refresh_, "(not supported by lxdpp)");
            unsupported_flag(s, "-e,--ephemeral");
        }
        unsupported_flag(s, "--allow-inconsistent");
        unsupported_option(s, "-c,--config");
        unsupported_option(s, "-d,--device");
        unsupported_flag(s, "--no-profiles");
        unsupported_option(s, "-p,--profile");
        unsupported_option(s, "-s,--storage");
        unsupported_option(s, "--target-project");
        s->callback([this, is_copy] {
            if (is_copy && dst_.empty()) throw usage_error("Missing destination: lxdpp copy SOURCE DESTINATION");
            run(is_copy);
        });
    }
}

namespace {

/// A new instance from a snapshot: as lxc, with the snapshot's configuration, devices and profiles.
lxd::instance_create instance_of_snapshot(const lxd::snapshot& from, const std::string& name, const std::string& source) {
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.source = lxd::instance_source::copy_of(source);
    auto raw = parse_raw(from.raw_json()).as_object();
    if (auto* p = raw.if_contains("profiles"); p && p->is_array()) {
        cfg.profiles = std::vector<std::string>{};
        for (auto& x : p->as_array())
            if (x.is_string()) cfg.profiles->push_back(std::string(x.get_string()));
    }
    for (auto& [k, v] : from.config())
        if (k.rfind("volatile.", 0) != 0) cfg.config[k] = v;
    if (auto* d = raw.if_contains("devices"); d && d->is_object())
        for (auto& [dev, props] : d->as_object())
            if (props.is_object())
                for (auto& [k, v] : props.as_object())
                    if (v.is_string()) cfg.devices[std::string(dev)][std::string(k)] = std::string(v.get_string());
    return cfg;
}

}  // namespace

/// move NAME/SNAP NAME/NEW (a rename within its instance) or copy NAME/SNAP NEW (a new instance).
void move_command::snapshot(lxd::client& source, const std::string& src, const std::string& src_snap, const std::string& src_remote,
                            const std::string& dst_remote, const std::string& dst, bool copy) {
    auto [dst_inst, dst_snap] = split_snapshot(dst);
    if (!copy) {
        if (dst_remote != src_remote || dst_inst != src || dst_snap.empty())
            throw usage_error("not supported by lxdpp: moving a snapshot anywhere but to a new name in its own instance");
        source.instances().get(src).snapshots().get(src_snap).rename(dst_snap).wait(op_wait);
        return;
    }
    if (dst_remote != src_remote) throw usage_error("not supported by lxdpp: copying a snapshot to another remote");
    if (dst.empty() || !dst_snap.empty()) throw usage_error("a copy of a snapshot needs a new instance name");
    auto from = source.instances().get(src).snapshots().get(src_snap);
    auto cfg = instance_of_snapshot(from, dst, src + "/" + src_snap);
    auto target = member_.empty() ? source : source.use_target(member_);
    ctx_.wait_with_progress(target.instances().create(cfg), "Copying");
}

void move_command::run(bool copy) {
    auto [src_remote, src_full] = split_remote(ctx_.cfg, src_);
    auto [src, src_snap] = split_snapshot(src_full);
    std::string dst_remote = src_remote, dst;
    if (!dst_.empty()) {
        auto colon = dst_.find(':');
        if (colon != std::string::npos && ctx_.cfg.has(dst_.substr(0, colon))) {
            dst_remote = dst_.substr(0, colon);
            dst = dst_.substr(colon + 1);
        } else {
            dst = dst_;
        }
    }
    if (refresh_) throw usage_error("not supported by lxdpp: --refresh");
    lxd::migrate_options o;
    o.instance_only = instance_only_;
    o.new_name = dst;
    o.mode = parse_transfer_mode(mode_);
    auto source = ctx_.connect(src_remote);
    if (!src_snap.empty()) return snapshot(source, src, src_snap, src_remote, dst_remote, dst, copy);
    auto inst = source.instances().get(src);
    if (copy && dst_remote == src_remote && dst.empty()) throw usage_error("a copy on the same server needs a new name");
    if (!copy && dst_remote == src_remote && member_.empty()) {
        if (dst.empty() || dst == src) throw usage_error("nothing to do: give a new name or another remote");
        inst.rename(dst).wait(op_wait);
        return;
    }
    auto target = dst_remote == src_remote ? source : ctx_.connect(dst_remote);
    if (!member_.empty()) target = target.use_target(member_);
    if (copy) {
        // A running instance is copied as it is on disk (lxc's --stateless is lxdpp's only way).
        ctx_.wait_with_progress(inst.copy(target, o), "Copying");
        return;
    }
    // As lxc: a running instance moves live (which needs CRIU: the server says so), unless
    // --stateless: then the library copies it, stops and deletes the source, starts the copy.
    o.live = inst.status() == "Running" && !stateless_;
    ctx_.wait_with_progress(inst.migrate(target, o), "Moving");
}

}  // namespace lxdpp_cli
