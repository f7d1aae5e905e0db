// src/protocol/backups.hpp — the requests of /1.0/instances/{name}/backups and of a backup
// import (POST /1.0/instances with the tarball as the body).
// `instance_path` is the instance's escaped path (protocol::instance_path()).
#pragma once

#include <map>
#include <string>
#include <vector>
#include <string_view>

#include <boost/json/fwd.hpp>

#include <lxd/api/backup.hpp>

#include "request.hpp"

namespace lxd::protocol {

/// Backup names: non-empty, at most 255 bytes, no '/', no control character, not "." or "..".
void check_backup_name(std::string_view name);

/// A backup object; the name must be there ("instance/backup" is cut to "backup").
api::backup decode_backup(const boost::json::value& v, const std::string& request_line);

/// What POST .../backups sends (every field but the name optional).
struct backup_create_body {
    std::string name;                    ///< "": the server picks "backupN"
    std::string expires_at;              ///< RFC 3339; "": never
    bool instance_only = false;
    bool optimized_storage = false;
    std::string compression_algorithm;   ///< "": the server's default
};

request backup_list(std::string_view instance_path);   ///< recursion=1
request backup_get(std::string_view instance_path, std::string_view name);
/// POST {"name", "instance_only", "optimized_storage"[, "expires_at"][, "compression_algorithm"]}.
/// Checks the name when given.
request backup_create(std::string_view instance_path, const backup_create_body& b);
/// POST {"name": new_name}; both names checked.
request backup_rename(std::string_view instance_path, std::string_view name, std::string_view new_name);
request backup_delete(std::string_view instance_path, std::string_view name);
/// GET .../export: the tarball as the body.
request backup_export(std::string_view instance_path, std::string_view name);
/// POST /1.0/{collection} with an application/octet-stream body the caller streams; headers
/// <prefix>name and <prefix>pool when given (prefix "X-LXD-" or "X-Incus-"). Checks the name.
request backup_import(std::string_view collection, std::string_view header_prefix, std::string_view name,
                      std::string_view pool);

}  // namespace lxd::protocol

namespace lxd::protocol {
/// The backup's name from a finished create operation's resources["backups"] (a URL or a
/// bare name: its last segment). errc::protocol_error naming `operation_id` if absent.
std::string decode_backup_name(const std::map<std::string, std::vector<std::string>>& resources, std::string_view operation_id);
}  // namespace lxd::protocol
