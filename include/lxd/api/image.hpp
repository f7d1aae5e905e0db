// lxd/api/image.hpp — an image (/1.0/images/{fingerprint}) and an alias, as typed values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <lxd/api/instance.hpp>

namespace lxd::api {

/// GET /1.0/images/aliases/{name}.
struct image_alias {
    std::string name;
    std::string description;
    std::string target;   ///< the image's fingerprint
    instance_type type = instance_type::container;   ///< container when an old server does not say
};

/// GET /1.0/images/{fingerprint}.
struct image {
    std::string fingerprint;     ///< SHA-256 of the image file(s), lowercase hex
    std::string filename;
    std::string architecture;
    instance_type type = instance_type::container;   ///< container when an old server does not say
    std::int64_t size = 0;       ///< bytes
    bool is_public = false;
    bool auto_update = false;
    bool cached = false;
    config_map properties;       ///< os, release, description, ...
    std::vector<image_alias> aliases;   ///< name and description only
    std::vector<std::string> profiles;
    std::string created_at, uploaded_at, expires_at, last_used_at;
    std::string raw_json;        ///< the whole object as the server sent it
};

}  // namespace lxd::api
