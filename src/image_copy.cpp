// images::copy_from: an image relayed from one server to another through this machine
// (export to a temporary directory, upload from it), as lxc does for a Unix-socket source.
#include <lxd/images.hpp>

#include <filesystem>
#include <cerrno>
#include <cstring>
#include <set>

#include <stdlib.h>

#include "detail/calls.hpp"

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

}  // namespace

image images::copy_from(const client& source, std::string_view name, const image_copy& o) const {
    auto src = resolve(source, name);
    auto aliases = aliases_to_create(*this, src, o);
    const auto& fp = src.fingerprint();
    if (!exists(fp)) {
        temp_dir tmp(o.temp_directory);
        auto files = src.export_to(tmp.path(), {.progress = o.download_progress, .verify = true});
        image_import in{.aliases = aliases, .is_public = o.is_public, .filename = src.data().filename,
                        .fingerprint = fp, .progress = o.upload_progress};
        auto op = files.split ? import_split(files.files.at(0), files.files.at(1), in, src.data().type == api::instance_type::virtual_machine)
                              : import_file(files.files.at(0), in);
        op.wait(op_deadline(client_));
    } else {
        for (auto& a : aliases) create_alias(a, fp);
    }
    auto here = get(fp);
    if (o.auto_update && !here.auto_update()) here.patch({.auto_update = true});
    return here;
}

}  // namespace lxd
