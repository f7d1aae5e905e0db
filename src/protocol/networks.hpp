// src/protocol/networks.hpp — the requests of /1.0/networks and their decoders.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include <lxd/api/network.hpp>
#include <lxd/networks.hpp>

#include "request.hpp"

namespace lxd::protocol {

/// Network names as the servers take them (they are interface names): 1-15 characters, no
/// '/', ':', whitespace or control character, not "." or "..". errc::invalid_argument.
void check_network_name(std::string_view name);

/// GET /1.0/networks?recursion=1.
request network_list();
/// GET /1.0/networks (the URLs).
request network_names();
request network_get(std::string_view name);
/// POST {name[, type][, description][, config]}. Checks the name and the keys.
request network_create(const lxd::network_create& n);
/// PUT {config, description} (all a network has that can be written); If-Match when `etag` is set.
request network_put(const api::network& data, std::string_view etag);
/// PATCH of the given fields; If-Match when `etag` is set. Refuses an empty patch.
request network_patch(std::string_view name, const lxd::network_patch& p, std::string_view etag);
/// POST {name: new_name}. Checks the new name.
request network_rename(std::string_view name, std::string_view new_name);
request network_delete(std::string_view name);
/// GET /1.0/networks/{name}/leases.
request network_leases(std::string_view name);
/// GET /1.0/networks/{name}/state.
request network_state_get(std::string_view name);

api::network decode_network(const boost::json::value& v, const std::string& request_line);
api::network_lease decode_network_lease(const boost::json::value& v, const std::string& request_line);
api::network_state decode_network_state(const boost::json::value& v, const std::string& request_line);

}  // namespace lxd::protocol
