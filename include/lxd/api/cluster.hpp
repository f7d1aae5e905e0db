// lxd/api/cluster.hpp — a cluster and its members, as typed values.
#pragma once

#include <string>
#include <vector>

#include <lxd/api/instance.hpp>

namespace lxd::api {

/// GET /1.0/cluster.
struct cluster_info {
    bool enabled = false;
    std::string server_name;   ///< this member's name (the one answering)
    std::string raw_json;
};

/// GET /1.0/cluster/members/{name}.
struct cluster_member {
    std::string server_name;
    std::string url;                  ///< "https://127.0.0.11:8443"
    std::vector<std::string> roles;   ///< "database", "database-leader", ...
    bool database = false;
    std::string status;               ///< "Online", "Evacuated", "Offline", ...
    std::string message;              ///< "Fully operational", or why not
    std::string architecture;
    std::string failure_domain;
    std::string description;
    config_map config;                ///< the member's own keys ("scheduler.instance", "user.*")
    std::vector<std::string> groups;
    std::string raw_json;
};

}  // namespace lxd::api
