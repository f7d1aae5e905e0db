// tools/lxdpp/commands/publish.cpp — `lxdpp publish`: an image of an instance or snapshot.
#include <iostream>
#include <optional>

#include "commands.hpp"

namespace lxdpp_cli {

void publish_command::add(CLI::App& app) {
    auto* pub = app.add_subcommand("publish", "Make an image of an instance or snapshot: publish [REMOTE:]NAME[/SNAP] [REMOTE:] [KEY=VALUE...]");
    pub->add_option("args", args_, "[REMOTE:]NAME[/SNAPSHOT] [REMOTE:] [KEY=VALUE...]")->required();
    pub->add_option("--alias", aliases_, "Alias (repeatable); an existing one is moved to the new image");
    pub->add_flag("--public", is_public_);
    pub->add_option("--compression", compression_, "gzip, xz, none, ...");
    pub->add_option("--expire", expire_, "Image expiration date (RFC 3339)");
    pub->add_flag("-f,--force", force_, "Stop the instance if it is running (and start it again after)");
    unsupported_flag(pub, "--reuse");
    pub->callback([this] { run(); });
}

/// Publishes `src` (NAME or NAME/SNAP); a running instance is stopped first (--force) and
/// started again after, also when publishing fails. Returns the new image's fingerprint.
std::string publish_command::publish_image(lxd::client& c, const std::string& src, const api_config& properties) {
    auto [inst_name, snap] = split_snapshot(src);
    std::optional<lxd::instance> restart;
    if (snap.empty()) {
        auto inst = c.instances().get(inst_name);
        if (inst.status() == "Running") {
            if (!force_) throw usage_error("The instance is currently running. Use --force to have it stopped and restarted");
            inst.stop({.force = true}).wait(op_wait);
            restart = inst;
        }
    }
    lxd::image_publish o;
    o.is_public = is_public_;
    o.properties = properties;
    o.compression_algorithm = compression_;
    o.expires_at = expire_;
    std::string fp;
    try {
        fp = lxd::image_fingerprint(ctx_.wait_with_progress(c.images().publish(src, o), "Publishing"));
    } catch (...) {
        if (restart) restart->start().wait(op_wait);
        throw;
    }
    if (restart) restart->start().wait(op_wait);
    return fp;
}

void publish_command::run() {
    // [REMOTE:]NAME[/SNAP] [REMOTE:] [KEY=VALUE...]
    auto args = args_;
    auto properties = split_properties(args);
    if (args.empty() || args.size() > 2) throw usage_error("usage: lxdpp publish [REMOTE:]NAME[/SNAPSHOT] [REMOTE:] [KEY=VALUE...]");
    auto [remote, src] = split_remote(ctx_.cfg, args[0]);
    // As lxc: the image goes to the given remote, else to the default remote (not the source's).
    auto image_remote = args.size() == 2 ? ctx_.remote_arg_name(args[1]) : ctx_.cfg.default_remote();
    if (image_remote != remote)
        throw usage_error("not supported by lxdpp: publishing to another remote (the image goes to \"" + image_remote + "\"; give \"" +
                          remote + ":\" after the instance)");
    auto c = ctx_.connect(remote);
    auto fp = publish_image(c, src, properties);
    // As lxc: an alias that exists already is moved to the new image.
    for (auto& a : aliases_) {
        try {
            c.images().alias(a).remove();
        } catch (const lxd::error& e) {
            if (e.code_value() != lxd::errc::not_found) throw;
        }
        (void)c.images().create_alias(a, fp);
    }
    std::cout << "Instance published with fingerprint: " << fp << "\n";
}

}  // namespace lxdpp_cli
