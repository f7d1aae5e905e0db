// src/protocol/storage.hpp — the requests of /1.0/storage-pools (pools, their resources,
// custom volumes and volume snapshots), and their decoders. Pools are global (unscoped);
// volumes are scoped by the client's project.
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

#include <lxd/api/storage.hpp>
#include <lxd/storage.hpp>

#include "request.hpp"

namespace lxd::protocol {

/// Pool and volume names, as both servers accept them: non-empty, no '/', not "." or "..",
/// no control character. `what` is "storage pool" or "storage volume" (for the message).
void check_storage_name(std::string_view what, std::string_view name);

request storage_pool_list();
request storage_pool_names();
request storage_pool_get(std::string_view name);
/// POST {name, driver[, description][, config]}. Checks the name, the driver and the keys.
request storage_pool_create(const lxd::storage_pool_create& p);
/// PUT of raw_json with config and description overlaid; If-Match when `etag` is set.
request storage_pool_put(const api::storage_pool& data, std::string_view etag);
/// PATCH of the given fields; refuses an empty patch.
request storage_pool_patch(std::string_view name, const lxd::storage_pool_patch& p, std::string_view etag);
request storage_pool_delete(std::string_view name);
request storage_pool_resources(std::string_view name);

/// GET /1.0/storage-pools/{pool}/volumes?recursion=1: every type.
request storage_volume_list(std::string_view pool);
/// GET /1.0/storage-pools/{pool}/volumes/custom/{name}.
request storage_volume_get(std::string_view pool, std::string_view name);
/// POST .../volumes/custom {name, type: custom, content_type[, description][, config]}.
request storage_volume_create(std::string_view pool, const lxd::storage_volume_create& v);
/// POST .../volumes/custom {name, type: custom, source: {type: copy, pool, name[, volume_only]}}.
request storage_volume_copy(std::string_view pool, const lxd::storage_volume_copy& c);
request storage_volume_put(std::string_view pool, const api::storage_volume& data, std::string_view etag);
request storage_volume_patch(std::string_view pool, std::string_view name, const lxd::storage_volume_patch& p,
                             std::string_view etag);
/// POST .../volumes/custom/{name} {name[, pool]}: a rename, or a move to `new_pool`.
request storage_volume_rename(std::string_view pool, std::string_view name, std::string_view new_name,
                              std::string_view new_pool = {});
request storage_volume_delete(std::string_view pool, std::string_view name);
/// The volume's path (/1.0/storage-pools/{pool}/volumes/custom/{name}): the base of its
/// backups (protocol/backups.hpp). Checks both names.
std::string storage_volume_path(std::string_view pool, std::string_view name);
/// POST .../volumes/custom with an application/octet-stream body the caller streams (a volume
/// backup); header <prefix>name when given ("X-LXD-" or "X-Incus-"). Checks the names.
request storage_volume_import(std::string_view pool, std::string_view header_prefix, std::string_view name);
/// POST .../volumes/custom/{name} {name, migration: true[, volume_only][, target]}: the source
/// side of a transfer to another server; `target` ({operation, certificate, secrets}) in push
/// mode only.
request storage_volume_migration_source(std::string_view pool, std::string_view name, bool volume_only,
                                        const boost::json::object& target = {});
/// POST .../volumes/custom {name, type: custom, content_type, description, config (without
/// volatile.* keys, the target makes its own), source: {type: migration[, volume_only]} plus
/// `source` (mode, and operation/certificate/secrets in pull mode)}: the target side.
request storage_volume_migration_target(std::string_view pool, const api::storage_volume& src, std::string_view name,
                                        bool volume_only, boost::json::object source);
/// PUT .../volumes/custom/{name} {restore: SNAPSHOT}.
request storage_volume_restore(std::string_view pool, std::string_view name, std::string_view snapshot);

request storage_volume_snapshot_list(std::string_view pool, std::string_view volume);
request storage_volume_snapshot_get(std::string_view pool, std::string_view volume, std::string_view name);
/// POST .../snapshots {name[, expires_at]}.
request storage_volume_snapshot_create(std::string_view pool, std::string_view volume, std::string_view name,
                                       std::string_view expires_at);
request storage_volume_snapshot_rename(std::string_view pool, std::string_view volume, std::string_view name,
                                       std::string_view new_name);
request storage_volume_snapshot_delete(std::string_view pool, std::string_view volume, std::string_view name);

api::storage_pool decode_storage_pool(const boost::json::value& v, const std::string& request_line);
api::storage_pool_resources decode_storage_pool_resources(const boost::json::value& v, const std::string& request_line);
api::storage_volume decode_storage_volume(const boost::json::value& v, const std::string& request_line);
/// The name is the part after the last '/' ("vol/snap0" → "snap0").
api::storage_volume_snapshot decode_storage_volume_snapshot(const boost::json::value& v, const std::string& request_line);

}  // namespace lxd::protocol
