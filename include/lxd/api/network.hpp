// lxd/api/network.hpp — a network (/1.0/networks/{name}), its leases and its state.
#pragma once

#include <string>
#include <vector>

#include <lxd/api/instance.hpp>

namespace lxd::api {

/// GET /1.0/networks/{name}. Unmanaged networks (the host's own interfaces) have no config
/// and status ""; raw_json is the object as the server sent it.
struct network {
    std::string name;
    std::string type;          ///< "bridge", "physical", "macvlan", "loopback", ...
    std::string description;
    config_map config;
    bool managed = false;
    std::string status;        ///< "Created", "Pending", ...; "" for unmanaged ones
    std::vector<std::string> used_by;
    std::vector<std::string> locations;
    std::string project;       ///< Incus says which; "" on LXD 5.0
    std::string raw_json;
};

/// One DHCP lease of a managed network (GET /1.0/networks/{name}/leases).
struct network_lease {
    std::string hostname;
    std::string hwaddr;
    std::string address;
    std::string type;          ///< "static" or "dynamic"
    std::string location;
    std::string project;
};

/// GET /1.0/networks/{name}/state: the interface as the kernel sees it (bridge, bond and
/// VLAN details stay in raw_json).
struct network_state : network_interface {
    std::string raw_json;
};

}  // namespace lxd::api
