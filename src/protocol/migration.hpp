// src/protocol/migration.hpp — the requests of copies and migrations between servers (and
// members of a cluster). Websockets: operation_websocket(); the other server's view of an
// operation: operation_url() (server.hpp).
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

#include <lxd/instances.hpp>

#include "envelope.hpp"
#include "request.hpp"

namespace lxd::protocol {

/// POST /1.0/<collection> creating `name` on the target from `src`'s configuration (volatile
/// keys dropped except volatile.base_image) with `source` completed: type "migration" unless
/// set, live, instance_only (and container_only), base-image. Checks the name.
request migration_target(std::string_view collection, const api::instance& src, std::string_view name,
                         const migrate_options& o, boost::json::object source);
/// POST on the source instance {"migration": true, "live", "instance_only", "container_only"}
/// plus `extra` (e.g. "target" for push mode).
request migration_source(std::string_view collection, std::string_view name, const migrate_options& o,
                         const boost::json::object& extra = {});
/// POST {"name": new_name, "migration": true}: moves the instance to the member the client
/// targets. Checks the new name.
request migration_member_move(std::string_view collection, std::string_view name, std::string_view new_name);

/// The websocket secrets of a migration operation (the answer to migration_source, or to
/// migration_target in push mode): the string members of the operation's metadata, which
/// must name "control" and "fs". Anything else is a protocol_error naming `request_line`.
boost::json::object migration_secrets(const envelope& answer, const std::string& request_line);

}  // namespace lxd::protocol
