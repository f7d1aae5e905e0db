// lxd/api/backup.hpp — an instance backup (/1.0/instances/{name}/backups/{backup}).
#pragma once

#include <string>

namespace lxd::api {

/// GET /1.0/instances/{name}/backups/{backup}.
struct backup {
    std::string name;              ///< "backup0" (not "c1/backup0")
    std::string created_at;        ///< RFC 3339
    std::string expires_at;        ///< RFC 3339; "0001-01-01T00:00:00Z" when it never expires
    bool instance_only = false;    ///< without the instance's snapshots
    bool optimized_storage = false;   ///< the storage driver's own format
    std::string raw_json;          ///< the whole object as the server sent it
};

}  // namespace lxd::api
