// lxd/api/profile.hpp — a profile (/1.0/profiles/{name}) and a project (/1.0/projects/{name}).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <lxd/api/instance.hpp>

namespace lxd::api {

/// GET /1.0/profiles/{name}. Fields the library does not model stay in raw_json and are
/// sent back unchanged on save.
struct profile {
    std::string name;
    std::string description;
    config_map config;
    device_map devices;
    std::vector<std::string> used_by;   ///< URLs of the instances (and profiles' users) using it
    std::string project;                ///< Incus and newer LXD say which; "" when not sent
    std::string raw_json;
};

/// GET /1.0/projects/{name}. features.* and limits.* are keys of `config`.
/// One resource of a project's state: its limit (-1: none) and what is in use.
struct project_resource {
    std::int64_t limit = -1;
    std::int64_t usage = 0;
};

/// GET /1.0/projects/{name}/state: the resources the project limits, by name ("cpu",
/// "disk", "memory", "instances", ...; disk and memory in bytes).
struct project_state {
    std::map<std::string, project_resource> resources;
    std::string raw_json;
};

struct project {
    std::string name;
    std::string description;
    config_map config;
    std::vector<std::string> used_by;
    std::string raw_json;
};

}  // namespace lxd::api
