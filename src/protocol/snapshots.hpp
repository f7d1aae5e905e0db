// src/protocol/snapshots.hpp — the requests of /1.0/instances/{name}/snapshots.
// `instance_path` is the instance's escaped path (protocol::instance_path()).
#pragma once

#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include <lxd/api/instance.hpp>

#include "request.hpp"

namespace lxd::protocol {

/// A snapshot object. A non-string config value is kept as its JSON text; the name must be
/// there (a server's "instance/snap" is cut to "snap"); anything else missing takes its default.
api::snapshot decode_snapshot(const boost::json::value& v, const std::string& request_line);

request snapshot_list(std::string_view instance_path);
/// Checks the name.
request snapshot_get(std::string_view instance_path, std::string_view name);
/// POST {"name", "stateful"[, "expires_at"]}. Checks the name.
request snapshot_create(std::string_view instance_path, std::string_view name, bool stateful, std::string_view expires_at);
/// POST {"name": new_name}. Checks the new name.
request snapshot_rename(std::string_view instance_path, std::string_view name, std::string_view new_name);
request snapshot_delete(std::string_view instance_path, std::string_view name);
/// PUT on the instance: {"restore": name, "stateful"}.
request snapshot_restore(std::string_view instance_path, std::string_view name, bool stateful);
/// PUT {"expires_at"}; "" clears the expiry (Go's zero time).
request snapshot_set_expiry(std::string_view instance_path, std::string_view name, std::string_view rfc3339);

}  // namespace lxd::protocol
