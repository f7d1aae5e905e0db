// tools/lxdpp/commands/image.cpp — `lxdpp image list|import|export|delete|show` (the alias
// subcommands are in image_alias.cpp).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <unistd.h>

#include "commands.hpp"

namespace lxdpp_cli {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string image_column_header(char ch) {
    switch (ch) {
    case 'l': return "ALIAS";
    case 'L': return "ALIASES";
    case 'f': return "FINGERPRINT";
    case 'F': return "FINGERPRINT";
    case 'p': return "PUBLIC";
    case 'd': return "DESCRIPTION";
    case 'a': return "ARCHITECTURE";
    case 's': return "SIZE";
    case 't': return "TYPE";
    case 'u': return "UPLOAD DATE";
    }
    return "";
}

/// One row of `image list`, its cells as lxc writes them (incus 6: sizes in MiB, upload
/// dates as in `info`).
std::vector<std::string> image_row(const lxd::api::image& i, const std::string& columns, bool incus) {
    std::vector<std::string> names;
    for (auto& a : i.aliases) names.push_back(a.name);
    std::sort(names.begin(), names.end());
    std::string shortest, joined;
    for (auto& n : names) {
        if (shortest.empty() || n.size() < shortest.size()) shortest = n;
        joined += (joined.empty() ? "" : "\n") + n;
    }
    if (names.size() > 1) shortest += " (" + std::to_string(names.size() - 1) + " more)";
    auto d = i.properties.find("description");
    char size[32];
    std::snprintf(size, sizeof size, incus ? "%.2fMiB" : "%.2fMB", static_cast<double>(i.size) / 1024.0 / 1024.0);
    std::vector<std::string> row;
    for (char ch : columns) {
        switch (ch) {
        case 'l': row.push_back(shortest); break;
        case 'L': row.push_back(joined); break;
        case 'f': row.push_back(i.fingerprint.substr(0, 12)); break;
        case 'F': row.push_back(i.fingerprint); break;
        case 'p': row.push_back(i.is_public ? "yes" : "no"); break;
        case 'd': row.push_back(d == i.properties.end() ? "" : d->second); break;
        case 'a': row.push_back(i.architecture); break;
        case 's': row.push_back(size); break;
        case 't': row.push_back(i.type == lxd::api::instance_type::virtual_machine ? "VIRTUAL-MACHINE" : "CONTAINER"); break;
        case 'u': row.push_back(local_time(i.uploaded_at, incus ? "%Y/%m/%d %H:%M %Z" : "%b %-d, %Y at %-I:%M%P (%Z)")); break;
        }
    }
    return row;
}

/// Filters as lxc: KEY=VALUE against properties, else a part of an alias or the fingerprint.
bool image_matches(const lxd::api::image& i, const std::vector<std::string>& filters) {
    bool ok = true;
    for (auto& f : filters) {
        if (auto eq = f.find('='); eq != std::string::npos) {
            auto p = i.properties.find(f.substr(0, eq));
            ok = ok && p != i.properties.end() && p->second == f.substr(eq + 1);
        } else {
            bool any = i.fingerprint.find(f) != std::string::npos;
            for (auto& a : i.aliases) any = any || a.name.find(f) != std::string::npos;
            ok = ok && any;
        }
    }
    return ok;
}

/// `image export IMAGE FILE`, as lxc: a unified image becomes FILE.<its extension>
/// ("foo.tar.xz"), a split one FILE and FILE.root. Written next to it first, then renamed.
void export_to_file(const lxd::image& img, const std::string& target, const lxd::image_export_options& eo) {
    auto parent = fs::path(target).parent_path();
    if (parent.empty()) parent = ".";
    auto tmp = parent / (".lxdpp-export-" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    try {
        auto out = img.export_to(tmp.string(), eo);
        if (out.files.size() == 1) {
            auto name = fs::path(out.files[0]).filename().string();
            auto dot = name.find('.');
            fs::rename(out.files[0], dot == std::string::npos ? target : target + name.substr(dot));
        } else {
            fs::rename(out.files.at(0), target);
            fs::rename(out.files.at(1), target + ".root");
        }
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
    fs::remove_all(tmp);
}

}  // namespace

void image_command::add(CLI::App& app) {
    auto* image = app.add_subcommand("image", "Manage images");
    image->require_subcommand(1);
    auto* ilist = image->add_subcommand("list", "[REMOTE:] [FILTER...]")->alias("ls");
    ilist->add_option("args", args_, "[REMOTE:] [FILTER...]");
    ilist->add_option("-f,--format", format_, "table|compact|csv|json|yaml");
    ilist->add_option("-c,--columns", columns_, "Columns: l L f F p d a s t u (default lfpdatsu)");
    ilist->callback([this] { list(); });
    auto* iimport = image->add_subcommand("import", "TARBALL [ROOTFS] [REMOTE:] [KEY=VALUE...]");
    iimport->add_option("files", args_)->required();
    iimport->add_option("--alias", aliases_, "Alias (repeatable)");
    iimport->add_flag("--public", is_public_, "Public image");
    iimport->callback([this] { import(); });
    auto* iexport = image->add_subcommand("export", "[REMOTE:]IMAGE [DIRECTORY|FILE]");
    iexport->add_option("image", image_)->required();
    iexport->add_option("target", target_);
    unsupported_flag(iexport, "--vm");
    iexport->callback([this] { export_image(); });
    auto* idelete = image->add_subcommand("delete", "[REMOTE:]IMAGE...")->alias("rm");
    idelete->add_option("images", args_)->required();
    idelete->callback([this] { remove(); });
    auto* ishow = image->add_subcommand("show", "[REMOTE:]IMAGE");
    ishow->add_option("image", image_)->required();
    unsupported_flag(ishow, "--vm");
    ishow->callback([this] { show(); });
    alias_.add(*image);
}

void image_command::list() {
    // [REMOTE:] [FILTER...]: the first argument names a remote when it ends with ':'.
    auto args = args_;
    std::string remote = ctx_.cfg.default_remote();
    if (!args.empty() && args.front().find(':') != std::string::npos && ctx_.cfg.has(args.front().substr(0, args.front().find(':')))) {
        remote = args.front().substr(0, args.front().find(':'));
        auto rest = args.front().substr(args.front().find(':') + 1);
        args.erase(args.begin());
        if (!rest.empty()) args.insert(args.begin(), rest);
    }
    for (char ch : columns_)
        if (std::string_view("lLfFpdastu").find(ch) == std::string_view::npos)
            throw usage_error(std::string("Unknown column shorthand char '") + ch + "' in '" + columns_ + "'");
    auto c = ctx_.connect(remote);
    listing out;
    std::vector<lxd::api::image> shown;
    for (auto& i : c.images().all())
        if (image_matches(i.data(), args)) shown.push_back(i.data());
    if (format_ == "json" || format_ == "yaml") {
        for (auto& i : shown) out.add_item(parse_raw(i.raw_json));
    } else {
        if (format_ != "table" && format_ != "csv" && format_ != "compact") throw usage_error("Invalid format \"" + format_ + "\"");
        for (char ch : columns_) out.rows.header.push_back(image_column_header(ch));
        for (auto& i : shown) out.add_row(image_row(i, columns_, ctx_.cfg.is_incus()));
        // lxc sorts the rows by their cells, left to right.
        std::sort(out.rows.rows.begin(), out.rows.rows.end());
    }
    out.print(std::cout, format_);
}

void image_command::import() {
    auto args = args_;
    auto properties = split_properties(args);
    std::vector<std::string> files;
    std::string remote = ctx_.cfg.default_remote();
    for (auto& a : args) {
        if (a.size() > 1 && a.back() == ':' && ctx_.cfg.has(a.substr(0, a.size() - 1)))
            remote = a.substr(0, a.size() - 1);
        else
            files.push_back(a);
    }
    if (files.empty() || files.size() > 2) throw usage_error("usage: lxdpp image import TARBALL [ROOTFS] [REMOTE:] [KEY=VALUE...] [--alias A]");
    for (auto& f : files)
        if (f.find("://") != std::string::npos || fs::is_directory(f))
            throw usage_error("not supported by lxdpp: importing from a URL or a directory (" + f + ")");
    auto c = ctx_.connect(remote);
    progress_line line("Uploading image", ctx_.show_progress());
    lxd::image_import o;
    o.aliases = aliases_;
    o.is_public = is_public_;
    o.properties = properties;
    o.progress = [&line](std::uint64_t d, std::uint64_t t) { line.update(d, t); };
    auto op = files.size() == 1 ? c.images().import_file(files[0], o) : c.images().import_split(files[0], files[1], o);
    line.clear();
    auto done = ctx_.wait_with_progress(op, "Importing");
    std::cout << "Image imported with fingerprint: " << lxd::image_fingerprint(done) << "\n";
}

void image_command::export_image() {
    auto img = ctx_.resolve_image(image_);
    progress_line line("Exporting", ctx_.show_progress());
    lxd::image_export_options eo{.progress = [&line](std::uint64_t d, std::uint64_t t) { line.update(d, t); }};
    if (target_.empty() || fs::is_directory(target_)) (void)img.export_to(target_.empty() ? "." : target_, eo);
    else export_to_file(img, target_, eo);
    line.clear();
    std::cout << "Image exported successfully!\n";
}

void image_command::remove() {
    for (auto& a : args_) ctx_.resolve_image(a).remove().wait(op_wait);
}

void image_command::show() {
    // As lxc: the image's editable part.
    auto v = parse_raw(ctx_.resolve_image(image_).data().raw_json);
    json::object shown;
    for (auto* k : {"auto_update", "properties", "public", "expires_at", "profiles"})
        if (auto* x = v.as_object().if_contains(k)) shown[k] = *x;
    std::cout << printable(to_yaml(shown));
}

}  // namespace lxdpp_cli
