// tools/lxdpp/commands/cluster.cpp — `lxdpp cluster list|show|evacuate|restore`.
#include <iostream>

#include <unistd.h>

#include "commands.hpp"

namespace lxdpp_cli {

void cluster_command::add(CLI::App& app) {
    auto* cluster = app.add_subcommand("cluster", "Cluster members");
    cluster->require_subcommand(1);
    auto* clist = cluster->add_subcommand("list", "[REMOTE:]")->alias("ls");
    clist->add_option("remote", member_, "REMOTE:");
    clist->add_option("-f,--format", format_, "table|compact|csv|json|yaml");
    clist->callback([this] { list(); });
    auto* cshow_member = cluster->add_subcommand("show", "[REMOTE:]MEMBER");
    cshow_member->add_option("member", member_)->required();
    cshow_member->callback([this] { show(); });
    for (auto [verb, evacuate] : {std::pair{"evacuate", true}, std::pair{"restore", false}}) {
        auto* s = cluster->add_subcommand(verb, evacuate ? "[REMOTE:]MEMBER: move its instances away" : "[REMOTE:]MEMBER: bring it back");
        s->add_option("member", member_)->required();
        s->add_flag("--force", force_, "Do not ask");
        s->callback([this, verb = std::string(verb), evacuate = evacuate] { evacuate_or_restore(verb, evacuate); });
    }
}

void cluster_command::list() {
    auto c = ctx_.connect(ctx_.remote_arg_name(member_));
    // incus 6 drops the "LXD " from lxc's words.
    if (!c.cluster().enabled()) throw usage_error(ctx_.cfg.is_incus() ? "Server isn't part of a cluster" : "LXD server isn't part of a cluster");
    listing out{{{"NAME", "URL", "ROLES", "ARCHITECTURE", "FAILURE DOMAIN", "DESCRIPTION", "STATE", "MESSAGE"}, {}}, boost::json::array()};
    for (auto& member : c.cluster().members()) {
        const auto& m = member.data();
        std::string roles;
        for (auto& x : m.roles) roles += (roles.empty() ? "" : "\n") + x;
        out.add_row({m.server_name, m.url, roles, m.architecture, m.failure_domain, m.description, upper(m.status), m.message});
        out.add_item(parse_raw(m.raw_json));
    }
    out.print(std::cout, format_);
}

void cluster_command::show() {
    auto [remote, name] = split_remote(ctx_.cfg, member_);
    std::cout << printable(to_yaml(parse_raw(ctx_.connect(remote).cluster().member(name).data().raw_json)));
}

void cluster_command::evacuate_or_restore(const std::string& verb, bool evacuate) {
    auto [remote, name] = split_remote(ctx_.cfg, member_);
    if (!force_) {
        if (!::isatty(0)) throw usage_error("not asking without a terminal: use --force to " + verb + " " + name);
        std::cerr << "Are you sure you want to " << verb << " cluster member \"" << name << "\"? (yes/no) [default=no]: ";
        std::string answer;
        std::getline(std::cin, answer);
        if (answer != "yes" && answer != "y") throw usage_error("user aborted " + verb);
    }
    auto m = ctx_.connect(remote).cluster().member(name);
    ctx_.wait_with_progress(evacuate ? m.evacuate() : m.restore(), evacuate ? "Evacuating" : "Restoring");
}

}  // namespace lxdpp_cli
