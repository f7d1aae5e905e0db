// images::copy_from: an image copied from one server to another, as lxc does: pulled by the
// target from the source's network address (a one-time secret for a private image), pushed
// by the source to the target's, or relayed through this machine (export to a temporary
// directory, upload from it).
#include <lxd/images.hpp>

#include <filesystem>
#include <cerrno>
#include <cstring>
#include <algorithm>
#include <optional>
#include <set>

#include <stdlib.h>

#include "detail/calls.hpp"
#include "protocol/images.hpp"

namespace lxd {

using namespace detail;
namespace fs = std::filesystem;

namespace {

/// A private temporary directory, removed with everything in it when it goes.
class temp_dir {
public:
    explicit temp_dir(const std::string& parent) {
        std::error_code ec;
        auto base = parent.empty() ? fs::temp_directory_path(ec) : fs::path(parent);
        std::string templ = (base / "lxdpp-image-copy-XXXXXX").string();
        if (!::mkdtemp(templ.data())) fail_invalid("cannot create a temporary directory in " + base.string() + ": " + std::strerror(errno));
        path_ = templ;
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

/// The source image: an alias if there is one of that name, else a fingerprint (prefix).
image resolve(const client& source, std::string_view name) {
    auto imgs = source.images();
    bool hex = !name.empty() && name.size() <= 64 && name.find_first_not_of("0123456789abcdef") == std::string_view::npos;
    std::string fp(name);
    try {
        fp = imgs.alias(name).target();   // one GET: an alias, or not_found
    } catch (const error& e) {
        if (!hex || e.code_value() != errc::not_found) throw;   // not an alias, nor a fingerprint
    }
    return imgs.get(fp);
}

/// The aliases to create here: those asked for (and the source's), minus those already
/// pointing at `fp`. One pointing elsewhere is a conflict.
std::vector<std::string> aliases_to_create(const images& here, const image& src, const image_copy& o) {
    std::vector<std::string> want = o.aliases;
    if (o.copy_aliases)
        for (auto& a : src.data().aliases) want.push_back(a.name);
    std::set<std::string> seen;
    std::vector<std::string> out;
    for (auto& a : want) {
        protocol::check_alias_name(a);
        if (!seen.insert(a).second) continue;
        if (here.alias_exists(a)) {
            if (here.alias(a).target() == src.fingerprint()) continue;
            protocol::fail(errc::conflict, "image alias '" + a + "' already exists on the target for another image; nothing was copied");
        }
        out.push_back(a);
    }
    return out;
}

/// The URLs another server may reach `c` at: the one this client uses (HTTPS), then the
/// server's own addresses (core.https_address, wildcards expanded by the server).
std::vector<std::string> reachable_urls(const client& c, const api::server_info& info) {
    std::vector<std::string> out;
    const auto& ep = core_of(c)->where();
    if (ep.tls) out.push_back(ep.base_url);
    for (auto& a : info.environment.addresses) {
        auto url = "https://" + a;
        if (std::find(out.begin(), out.end(), url) == out.end()) out.push_back(url);
    }
    return out;
}

/// The target fetches the image, trying each of the source's URLs in turn (as lxc does);
/// the last failure is reported.
void pull_image(const client& target, const client& source, const api::server_info& source_info, const image& src,
                const protocol::image_transfer& t) {
    auto urls = reachable_urls(source, source_info);
    if (urls.empty()) fail_invalid("the source server has no network address (core.https_address) for the target to pull from; use relay mode");
    const auto& cert = source_info.environment.certificate;
    for (std::size_t i = 0; i < urls.size(); ++i) {
        // A private image needs a fresh secret per attempt: the source spends it on first use.
        auto secret = src.data().is_public ? std::string() : src.secret();
        try {
            as_operation(target, call_sync(target, protocol::image_copy_pull(t, urls[i], cert, secret))).wait(op_deadline(target));
            return;
        } catch (const error& e) {
            if (i + 1 == urls.size() || e.code_value() != errc::operation_failed) throw;
        }
    }
}

/// The source sends the image to the target, with a secret the target gives out.
void push_image(const client& target, const client& source, const protocol::image_transfer& t) {
    auto target_info = target.host_info();
    auto urls = reachable_urls(target, target_info);
    if (urls.empty()) fail_invalid("the target server has no network address (core.https_address) for the source to push to; use relay mode");
    auto er = call_sync(target, protocol::image_push_token(t));
    auto token = as_operation(target, er);
    auto secret = protocol::decode_image_secret(er.first.metadata, er.second.request_line);
    auto spend_token = [&token] {
        try {
            token.cancel();
        } catch (...) {   // already ended (the servers end it once the image is in)
        }
    };
    try {
        // The source's export operation ends once the target has the image.
        as_operation(source, call_sync(source, protocol::image_push_export(t, urls.front(), target_info.environment.certificate, secret)))
            .wait(op_deadline(source));
    } catch (...) {
        spend_token();   // the push's own error is the one to report
        throw;
    }
    spend_token();
}

void relay_image(const images& here, const image& src, const std::vector<std::string>& aliases, const image_copy& o) {
    temp_dir tmp(o.temp_directory);
    auto files = src.export_to(tmp.path(), {.progress = o.download_progress, .verify = true});
    image_import in{.aliases = aliases, .is_public = o.is_public, .filename = src.data().filename,
                    .fingerprint = src.fingerprint(), .progress = o.upload_progress};
    auto op = files.split ? here.import_split(files.files.at(0), files.files.at(1), in, src.data().type == api::instance_type::virtual_machine)
                          : here.import_file(files.files.at(0), in);
    op.wait(op_deadline(here.owner()));
}

}  // namespace

image images::copy_from(const client& source, std::string_view name, const image_copy& o) const {
    auto src = resolve(source, name);
    auto aliases = aliases_to_create(*this, src, o);
    const auto& fp = src.fingerprint();
    if (!exists(fp)) {
        auto mode = o.mode;
        std::optional<api::server_info> source_info;   // read once, for pull (automatic picks by it)
        if (mode == migration_mode::automatic || mode == migration_mode::pull) source_info = source.host_info();
        if (mode == migration_mode::automatic)
            mode = reachable_urls(source, *source_info).empty() ? migration_mode::relay : migration_mode::pull;
        protocol::image_transfer t{.fingerprint = fp, .aliases = aliases, .is_public = o.is_public, .auto_update = o.auto_update};
        if (mode != migration_mode::relay) client_.assert_has_api_extension("images_push_relay");
        if (mode == migration_mode::pull) pull_image(client_, source, *source_info, src, t);
        else if (mode == migration_mode::push) push_image(client_, source, t);
        else relay_image(*this, src, aliases, o);
    } else {
        for (auto& a : aliases) create_alias(a, fp);
    }
    auto here = get(fp);
    if (o.auto_update && !here.auto_update()) here.patch({.auto_update = true});
    return here;
}

}  // namespace lxd
