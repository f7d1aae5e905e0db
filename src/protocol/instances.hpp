// src/protocol/instances.hpp — the requests of /1.0/instances (or /1.0/containers on servers
// without the "instances" extension: `collection` is the one to use).
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

#include <lxd/instances.hpp>

#include "request.hpp"

namespace lxd::protocol {

/// "/1.0/<collection>/<name>[/<sub>]", escaped.
std::string instance_path(std::string_view collection, std::string_view name, std::string_view sub = {});

/// GET /1.0/<collection>?recursion=1|2[;fields=...] (+ instance-type, all-projects, filter).
request instance_list(std::string_view collection, std::optional<api::instance_type> type, const list_options& o);
/// GET /1.0/<collection> (names only).
request instance_names(std::string_view collection, std::optional<api::instance_type> type);
/// GET one instance. Checks the name.
request instance_get(std::string_view collection, std::string_view name);
/// POST /1.0/<collection>: the create request. Checks the name and the source.
request instance_create(std::string_view collection, std::optional<api::instance_type> type, const lxd::instance_create& c);
/// The checks instance_create() makes (name, source), for callers that must refuse bad input
/// before they know the collection (finding it may take a request).
void check_instance_create(const lxd::instance_create& c);
/// The "source" object of a create request. Throws invalid_argument for an image source
/// without exactly one of alias, fingerprint, properties.
boost::json::object instance_source_json(const instance_source& s);
/// PUT of the whole instance: the server's own JSON (`raw_json`) with the editable fields of
/// `data` overlaid and the read-only ones removed; If-Match when `etag` is set.
request instance_put(std::string_view collection, const api::instance& data, std::string_view etag);
/// PATCH of the fields set in `p`; refuses an empty patch.
request instance_patch(std::string_view collection, std::string_view name, const lxd::instance_patch& p,
                       std::string_view etag);
request instance_delete(std::string_view collection, std::string_view name);
/// POST {"name": new_name}. Checks the new name.
request instance_rename(std::string_view collection, std::string_view name, std::string_view new_name);
request instance_state_get(std::string_view collection, std::string_view name);
/// PUT .../state {"action", "timeout" (-1: none), "force", "stateful"}.
request instance_state_put(std::string_view collection, std::string_view name, std::string_view action,
                           const state_options& o);

}  // namespace lxd::protocol
