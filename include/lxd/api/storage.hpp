// lxd/api/storage.hpp — a storage pool (/1.0/storage-pools/{name}), its resources, a
// storage volume (/1.0/storage-pools/{pool}/volumes/{type}/{name}) and a volume snapshot.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <lxd/api/instance.hpp>

namespace lxd::api {

/// GET /1.0/storage-pools/{name}. Fields the library does not model stay in raw_json and are
/// sent back unchanged on save.
struct storage_pool {
    std::string name;
    std::string driver;                  ///< "dir", "zfs", "btrfs", "lvm", "ceph", ...
    std::string description;
    std::string status;                  ///< "Created", "Pending", ...
    config_map config;                   ///< "source", "size", driver keys
    std::vector<std::string> locations;  ///< cluster members it is on (non-clustered: "none" or empty)
    std::vector<std::string> used_by;    ///< URLs of what uses it (instances, volumes, images, profiles)
    std::string raw_json;
};

/// GET /1.0/storage-pools/{name}/resources: space and inodes in bytes / counts (0 when the
/// driver does not say).
struct storage_pool_resources {
    std::uint64_t space_used = 0;
    std::uint64_t space_total = 0;
    std::uint64_t inodes_used = 0;
    std::uint64_t inodes_total = 0;
    std::string raw_json;
};

/// GET /1.0/storage-pools/{pool}/volumes/{type}/{name}.
struct storage_volume {
    std::string name;
    std::string type;                    ///< "custom", "container", "virtual-machine", "image"
    std::string description;
    std::string content_type;            ///< "filesystem" or "block"
    std::string location;                ///< cluster member ("none" when not clustered)
    std::string project;                 ///< "" when the server does not say
    config_map config;
    std::vector<std::string> used_by;    ///< URLs of the instances and profiles using it
    std::string raw_json;
};

/// GET /1.0/storage-pools/{pool}/volumes/custom/{volume}/snapshots/{name}.
struct storage_volume_snapshot {
    std::string name;                    ///< the snapshot's own name (without "volume/")
    std::string description;
    std::string content_type;
    std::string created_at;              ///< RFC 3339 ("" when the server does not say)
    std::string expires_at;              ///< RFC 3339; Go's zero time when it never expires
    config_map config;
    std::string raw_json;
};

}  // namespace lxd::api
