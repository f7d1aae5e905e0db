// lxd/cluster.hpp — an LXD cluster (client::cluster()): its members, evacuation and restore.
// Placement is a client scope: client.use_target("node2").containers().create(...), and
// instance::migrate(client.use_target("node3")) moves a stopped instance between members.
#pragma once

#include <lxd/export.hpp>

#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/cluster.hpp>
#include <lxd/client.hpp>
#include <lxd/operation.hpp>

namespace lxd {

/// Thread safety: safe to share.
class LXDPP_API cluster {
public:
    explicit cluster(client c) : client_(std::move(c)) {}

    /// Whether the server is a cluster member, and its name.
    api::cluster_info info() const;
    bool enabled() const { return info().enabled; }
    /// Every member, full objects, in one request.
    std::vector<api::cluster_member> members() const;
    /// errc::not_found for an unknown member.
    api::cluster_member member(std::string_view name) const;
    /// Moves the member's instances to other members (running ones are migrated and
    /// restarted there) and marks it evacuated.
    operation evacuate(std::string_view name) const;
    /// Brings the member back, and its instances with it.
    operation restore(std::string_view name) const;

private:
    client client_;
};

}  // namespace lxd
