// src/protocol/cluster.hpp — the requests of /1.0/cluster. None is scoped: a cluster's
// members are not placed in a project or on a member.
#pragma once

#include <string_view>

#include "request.hpp"

namespace lxd::protocol {

request cluster_get();
request cluster_members();
/// Checks the member name.
request cluster_member(std::string_view name);
/// POST .../state {"action": "evacuate" | "restore"}. Checks the member name.
request cluster_member_state(std::string_view name, std::string_view action);

}  // namespace lxd::protocol
