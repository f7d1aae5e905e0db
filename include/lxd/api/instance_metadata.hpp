// lxd/api/instance_metadata.hpp — an instance's metadata.yaml (/1.0/instances/{name}/metadata).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <lxd/api/instance.hpp>

namespace lxd::api {

/// One entry of metadata.yaml's `templates`: which template file renders the path, and when.
struct template_trigger {
    std::vector<std::string> when;   ///< "create", "copy", "start", "rename"
    bool create_only = false;
    std::string template_name;       ///< the file under templates/ ("template" in the YAML)
    config_map properties;
};

/// GET /1.0/instances/{name}/metadata. Fields the library does not model stay in raw_json
/// and go back unchanged on set_metadata.
struct instance_metadata {
    std::string architecture;
    std::int64_t creation_date = 0;   ///< seconds since the epoch
    std::int64_t expiry_date = 0;
    config_map properties;
    std::map<std::string, template_trigger> templates;   ///< by the path in the instance
    std::string raw_json;
};

}  // namespace lxd::api
