// tools/lxdpp/commands/create.cpp — `lxdpp launch` and `lxdpp init`.
#include <iostream>
#include <random>

#include "backup.hpp"
#include "commands.hpp"

namespace lxdpp_cli {

namespace {

/// A name for an instance created without one ("lxc init IMAGE" lets the server pick):
/// adjective-noun, as LXD's own.
std::string generated_name() {
    static const char* adjectives[] = {"able", "brave", "calm", "eager", "fair", "glad", "keen", "lucid", "merry", "noble",
                                       "proud", "quick", "sharp", "smart", "tidy", "vivid", "warm", "witty"};
    static const char* nouns[] = {"badger", "beetle", "bison", "crane", "eagle", "ferret", "gecko", "heron", "lemur", "lynx",
                                  "marten", "otter", "panda", "puma", "quail", "raven", "seal", "tapir", "walrus", "zebra"};
    std::random_device rd;
    return std::string(adjectives[rd() % std::size(adjectives)]) + "-" + nouns[rd() % std::size(nouns)];
}

}  // namespace

void create_command::add(CLI::App& app) {
    for (auto [cmd, start] : {std::pair{"launch", true}, std::pair{"init", false}}) {
        auto* s = app.add_subcommand(cmd, start ? "Create and start an instance from an image" : "Create an instance from an image");
        s->add_option("image", image_, "[REMOTE:]IMAGE (alias or fingerprint)");
        s->add_option("name", name_, "[REMOTE:]NAME (default: one the server picks)");
        s->add_option("-p,--profile", profiles_, "Profile (repeatable)");
        s->add_option("-c,--config", config_, "KEY=VALUE (repeatable)");
        s->add_flag("-e,--ephemeral", ephemeral_, "Ephemeral instance");
        s->add_flag("--vm", vm_, "A virtual machine");
        s->add_flag("--empty", empty_, "No image: an empty instance");
        s->add_flag("--no-profiles", no_profiles_, "Create the instance with no profiles applied");
        s->add_option("-s,--storage", storage_, "Storage pool name");
        unsupported_option(s, "-d,--device");
        unsupported_option(s, "-n,--network");
        unsupported_option(s, "-t,--type");
        if (start) unsupported_flag(s, "--console");
        s->add_option("--target", ctx_.target, "Cluster member");
        s->callback([this, start = start] {
            if (image_.empty() && !empty_) throw usage_error("Missing image name (or --empty)");
            run(start);
        });
    }
}

/// Where the new instance's image comes from, as seen from the target remote `remote`.
lxd::instance_source create_command::image_source(const lxd::client& c, const std::string& remote) const {
    auto [img_remote, img] = split_remote(ctx_.cfg, image_);
    if (img.empty()) throw usage_error("no image given");
    const auto& r = ctx_.cfg.get(img_remote);
    if (img_remote == remote) {
        bool hex = img.find_first_not_of("0123456789abcdef") == std::string::npos;
        return hex && !c.images().alias_exists(img) ? lxd::instance_source::image_fingerprint(img) : lxd::instance_source::image_alias(img);
    }
    if (r.protocol == "simplestreams") {
        auto source = lxd::instance_source::image_alias(img);
        source.from_server(r.addr, r.protocol);
        return source;
    }
    // As lxc: the target fetches the image from the image's server over HTTPS (its network
    // address, even when lxdpp reaches it by its socket), pinned to its certificate, with a
    // one-time secret when the image is private.
    auto image = ctx_.resolve_image(image_);
    const auto& sc = image.owner();
    auto info = sc.host_info();
    if (info.environment.addresses.empty()) {
        // As lxc for a source the target cannot reach (a Unix socket with no HTTPS
        // address): relay the image through this machine, then create from it there.
        return lxd::instance_source::image_fingerprint(relay_image(ctx_, sc, image.fingerprint(), c));
    }
    auto source = lxd::instance_source::image_fingerprint(image.fingerprint());
    source.from_server("https://" + info.environment.addresses.front(), "lxd");
    source.certificate = info.environment.certificate;
    if (!image.is_public()) source.secret = image.secret();
    return source;
}

void create_command::run(bool start) {
    std::string remote = ctx_.cfg.default_remote(), name = name_;
    if (!name_.empty()) std::tie(remote, name) = split_remote(ctx_.cfg, name_);
    bool named = !name.empty();
    if (!named) name = generated_name();
    auto c = ctx_.connect(remote);
    lxd::instance_create cfg;
    cfg.name = name;
    cfg.start = start;
    cfg.ephemeral = ephemeral_;
    if (vm_) cfg.type = lxd::api::instance_type::virtual_machine;
    if (no_profiles_ && !profiles_.empty()) throw usage_error("--no-profiles cannot be used with --profile");
    if (!profiles_.empty()) cfg.profiles = profiles_;
    if (no_profiles_) cfg.profiles = std::vector<std::string>{};
    if (!storage_.empty()) cfg.devices["root"] = {{"type", "disk"}, {"path", "/"}, {"pool", storage_}};
    for (auto& kv : config_) cfg.config.insert(parse_kv(kv));
    cfg.source = empty_ ? lxd::instance_source::none() : image_source(c, remote);
    if (!ctx_.quiet) {
        if (named) std::cout << (start ? "Launching " : "Creating ") << name << "\n";
        else std::cout << (start ? "Launching the instance\n" : "Creating the instance\n");
    }
    ctx_.wait_with_progress(c.instances().create(cfg), start ? "Launching" : "Creating");
    if (!named && !ctx_.quiet) std::cout << "Instance name is: " << name << "\n";
}

}  // namespace lxdpp_cli
