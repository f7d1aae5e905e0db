// src/protocol/cluster.hpp — the requests of /1.0/cluster. None is scoped: a cluster's
// members are not placed in a project or on a member.
#pragma once

#include <string_view>

#include <lxd/api/cluster.hpp>

#include "request.hpp"

namespace lxd::protocol {

request cluster_get();
request cluster_members();
/// Checks the member name.
request cluster_member(std::string_view name);
/// POST .../state {"action": "evacuate" | "restore"}. Checks the member name.
request cluster_member_state(std::string_view name, std::string_view action);
/// PUT of raw_json without the read-only fields, the editable ones (config, description,
/// failure_domain, groups, roles) overlaid; If-Match when `etag` is set. Checks the name and
/// the config keys.
request cluster_member_put(const api::cluster_member& data, std::string_view etag);
/// POST {"server_name": new_name}. Checks both names.
request cluster_member_rename(std::string_view name, std::string_view new_name);
/// DELETE, with ?force=1 when `force`. Checks the name.
request cluster_member_delete(std::string_view name, bool force);

}  // namespace lxd::protocol
