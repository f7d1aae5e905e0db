// tools/lxdpp/commands/image_alias.cpp — `lxdpp image alias create|delete|rename|list`.
#include <algorithm>
#include <iostream>

#include "commands.hpp"

namespace lxdpp_cli {

namespace json = boost::json;

void image_alias_command::add(CLI::App& image) {
    auto* ialias = image.add_subcommand("alias", "Manage image aliases");
    ialias->require_subcommand(1);
    auto* acreate = ialias->add_subcommand("create", "[REMOTE:]ALIAS IMAGE");
    acreate->add_option("alias", alias_)->required();
    acreate->add_option("image", image_)->required();
    acreate->add_option("--description", description_);
    acreate->callback([this] { create(); });
    auto* adelete = ialias->add_subcommand("delete", "[REMOTE:]ALIAS")->alias("rm");
    adelete->add_option("alias", alias_)->required();
    adelete->callback([this] { remove(); });
    auto* arename = ialias->add_subcommand("rename", "[REMOTE:]ALIAS NEW")->alias("mv");
    arename->add_option("alias", alias_)->required();
    arename->add_option("new", new_name_)->required();
    arename->callback([this] { rename(); });
    auto* alist = ialias->add_subcommand("list", "[REMOTE:] [FILTER...]")->alias("ls");
    alist->add_option("args", args_, "[REMOTE:] [FILTER...]");
    alist->add_option("-f,--format", format_);
    alist->callback([this] { list(); });
}

void image_alias_command::create() {
    auto [remote, alias] = split_remote(ctx_.cfg, alias_);
    auto img = ctx_.resolve_image(remote + ":" + image_);
    (void)img.owner().images().create_alias(alias, img.fingerprint(), description_);
}

void image_alias_command::remove() {
    auto [remote, alias] = split_remote(ctx_.cfg, alias_);
    ctx_.connect(remote).images().alias(alias).remove();
}

void image_alias_command::rename() {
    auto [remote, alias] = split_remote(ctx_.cfg, alias_);
    ctx_.connect(remote).images().alias(alias).rename(new_name_);
}

void image_alias_command::list() {
    std::string remote = ctx_.cfg.default_remote();
    auto filters = args_;
    if (!filters.empty() && filters.front().back() == ':') {
        remote = ctx_.remote_arg_name(filters.front());
        filters.erase(filters.begin());
    }
    listing out{{{"ALIAS", "FINGERPRINT", "TYPE", "DESCRIPTION"}, {}}, boost::json::array()};
    for (auto& handle : ctx_.connect(remote).images().aliases()) {
        const auto& a = handle.data();
        // As lxc: shown when any filter is part of its name or its target.
        bool show = filters.empty();
        for (auto& f : filters) show = show || a.name.find(f) != std::string::npos || a.target.find(f) != std::string::npos;
        if (!show) continue;
        out.add_row({a.name, a.target.substr(0, 12), upper(std::string(to_string(a.type))), a.description});
        out.add_item(json::object{{"description", a.description}, {"target", a.target}, {"name", a.name}, {"type", to_string(a.type)}});
    }
    std::sort(out.rows.rows.begin(), out.rows.rows.end());   // as lxc: by alias
    out.print(std::cout, format_);
}

}  // namespace lxdpp_cli
