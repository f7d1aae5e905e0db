// tools/lxdpp/commands/backup.cpp — `lxdpp export`, `import` and `image copy`, as lxc
// spells them: export makes a backup on the server, downloads it and deletes it there.
#include "backup.hpp"

#include <chrono>
#include <ctime>
#include <iostream>

#include "commands.hpp"

namespace lxdpp_cli {

std::string in_a_day() {
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::hours(24));
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void export_backup(const context& ctx, const lxd::backups& where, const lxd::backup_create& o, const std::string& file,
                   const std::string& label) {
    auto done = ctx.wait_with_progress(where.create("", o), label);
    auto b = where.get(lxd::backup_name(done));
    try {
        progress_line line("Exporting the backup", ctx.show_progress());
        b.download(file, {.progress = [&line](std::uint64_t d, std::uint64_t t) { line.update(d, t); }});
        line.clear();
    } catch (...) {
        try {
            b.remove().wait(op_wait);
        } catch (...) {
            // the download's error is the one to report; the server expires the backup anyway
        }
        throw;
    }
    b.remove().wait(op_wait);
}

void backup_command::add(CLI::App& app) {
    auto* exp = app.add_subcommand("export", "Export instances as backup tarballs: export [REMOTE:]NAME [FILE]");
    exp->add_option("name", name_, "[REMOTE:]NAME")->required();
    exp->add_option("target", target_, "Tarball to write (default backup.tar.gz)");
    exp->add_flag("--instance-only", instance_only_, "Whether or not to only backup the instance (without snapshots)");
    exp->add_flag("--optimized-storage", optimized_, "Use storage driver optimized format (can only be restored on a similar pool)");
    exp->add_option("--compression", compression_, "Compression algorithm to use (none for uncompressed)");
    exp->callback([this] { export_instance(); });
    auto* imp = app.add_subcommand("import", "Import backups of instances: import [REMOTE:] FILE [NAME]");
    imp->add_option("args", args_, "[REMOTE:] FILE [NAME]")->required();
    imp->add_option("-s,--storage", storage_, "Storage pool name");
    imp->callback([this] { import_instance(); });
    auto* image = app.get_subcommand("image");
    auto* copy = image->add_subcommand("copy", "Copy images between servers: copy [REMOTE:]IMAGE REMOTE:")->alias("cp");
    copy->add_option("args", args_, "[REMOTE:]IMAGE REMOTE:")->required()->expected(2);
    copy->add_option("--alias", aliases_, "New aliases to add to the image (repeatable)");
    copy->add_flag("--copy-aliases", copy_aliases_, "Copy aliases from source");
    copy->add_flag("--auto-update", auto_update_, "Keep the image up to date after initial copy");
    copy->add_flag("--public", is_public_, "Make image public");
    unsupported_flag(copy, "--vm");
    copy->add_option("--mode", mode_, "Transfer mode. One of pull (default), push or relay");
    unsupported_option(copy, "--target-project");
    unsupported_option(copy, "--profile");
    copy->callback([this] { copy_image(); });
}

void backup_command::export_instance() {
    auto [remote, name] = split_remote(ctx_.cfg, name_);
    auto c = ctx_.connect(remote);
    auto inst = c.instances().get(name);
    lxd::backup_create o{.expires_at = in_a_day(), .instance_only = instance_only_, .optimized_storage = optimized_,
                         .compression_algorithm = compression_};
    export_backup(ctx_, inst.backups(), o, target_.empty() ? "backup.tar.gz" : target_, "Backing up instance");
    if (!ctx_.quiet) std::cout << "Backup exported successfully!\n";
}

void backup_command::import_instance() {
    // As lxc: [REMOTE:] FILE [NAME].
    auto args = args_;
    std::string remote = ctx_.cfg.default_remote();
    if (!args.empty() && args.front().size() > 1 && args.front().back() == ':' &&
        ctx_.cfg.has(args.front().substr(0, args.front().size() - 1))) {
        remote = args.front().substr(0, args.front().size() - 1);
        args.erase(args.begin());
    }
    if (args.empty() || args.size() > 2) throw usage_error("usage: lxdpp import [REMOTE:] FILE [NAME] [--storage POOL]");
    auto c = ctx_.connect(remote);
    progress_line line("Importing instance", ctx_.show_progress());
    lxd::backup_import o{.name = args.size() > 1 ? args[1] : "", .pool = storage_,
                         .progress = [&line](std::uint64_t d, std::uint64_t t) { line.update(d, t); }};
    auto op = c.instances().import_backup(args[0], o);
    line.clear();
    ctx_.wait_with_progress(op, "Importing instance");
}

std::string relay_image(const context& ctx, const lxd::client& source, const std::string& image, const lxd::client& target,
                        lxd::image_copy o) {
    progress_line down("Copying the image: downloading", ctx.show_progress());
    progress_line up("Copying the image: uploading", ctx.show_progress());
    o.download_progress = [&down](std::uint64_t d, std::uint64_t t) { down.update(d, t); };
    o.upload_progress = [&down, &up](std::uint64_t d, std::uint64_t t) {
        down.clear();
        up.update(d, t);
    };
    auto img = target.images().copy_from(source, image, o);
    down.clear();
    up.clear();
    return img.fingerprint();
}

void backup_command::copy_image() {
    // lxc's default is pull; lxdpp's (no --mode) is pull too, or relay when the source has no
    // network address for the target to reach.
    auto mode = parse_transfer_mode(mode_);
    auto [src_remote, image] = split_remote(ctx_.cfg, args_.at(0));
    if (image.empty()) throw usage_error("no image given");
    auto dst_remote = ctx_.remote_arg_name(args_.at(1));
    if (!ctx_.cfg.has(dst_remote)) throw usage_error("the target must be a remote (\"REMOTE:\"), got \"" + args_.at(1) + "\"");
    auto source = ctx_.connect(src_remote);
    auto target = ctx_.connect(dst_remote);
    relay_image(ctx_, source, image, target,
                {.aliases = aliases_, .copy_aliases = copy_aliases_, .auto_update = auto_update_, .is_public = is_public_, .mode = mode});
    if (!ctx_.quiet) std::cout << "Image copied successfully!\n";
}

}  // namespace lxdpp_cli
