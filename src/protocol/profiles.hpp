// src/protocol/profiles.hpp — the requests of /1.0/profiles and /1.0/projects, and their
// decoders. Profiles are scoped by the client's project; projects are not.
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

#include <lxd/api/profile.hpp>
#include <lxd/profiles.hpp>
#include <lxd/projects.hpp>

#include "request.hpp"

namespace lxd::protocol {

/// GET /1.0/profiles?recursion=1.
request profile_list();
/// GET /1.0/profiles (the URLs).
request profile_names();
/// Checks the name.
request profile_get(std::string_view name);
/// POST {name[, description][, config][, devices]}. Checks the name and the keys.
request profile_create(const lxd::profile_create& p);
/// PUT of raw_json with the editable fields overlaid; If-Match when `etag` is set.
request profile_put(const api::profile& data, std::string_view etag);
/// PATCH of the given fields; If-Match when `etag` is set. Refuses an empty patch.
request profile_patch(std::string_view name, const lxd::profile_patch& p, std::string_view etag);
/// POST {name: new_name}. Checks the new name.
request profile_rename(std::string_view name, std::string_view new_name);
request profile_delete(std::string_view name);

request project_list();
request project_names();
request project_get(std::string_view name);
/// POST {name[, description][, config]}. Checks the name and the keys.
request project_create(const lxd::project_create& p);
/// PUT {config, description}; If-Match when `etag` is set.
request project_put(const api::project& data, std::string_view etag);
/// POST {name: new_name}. Checks the new name.
request project_rename(std::string_view name, std::string_view new_name);
request project_delete(std::string_view name);
/// GET /1.0/projects/{name}/state.
request project_state_get(std::string_view name);

api::profile decode_profile(const boost::json::value& v, const std::string& request_line);
api::project decode_project(const boost::json::value& v, const std::string& request_line);
/// {"resources": {NAME: {"Limit": n, "Usage": n}}} (the servers capitalise those two keys).
api::project_state decode_project_state(const boost::json::value& v, const std::string& request_line);

}  // namespace lxd::protocol
