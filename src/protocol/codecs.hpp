// src/protocol/codecs.hpp — JSON <-> typed values (include/lxd/api/).
#pragma once

#include <exception>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include <lxd/api/cluster.hpp>
#include <lxd/api/event.hpp>
#include <lxd/api/image.hpp>
#include <lxd/api/instance.hpp>
#include <lxd/api/operation.hpp>
#include <lxd/api/server.hpp>

namespace lxd::protocol {

namespace json = boost::json;

// Decoders: JSON -> typed values. Missing fields take their defaults; a field of the wrong
// JSON type is a protocol_error (a server we do not understand must not be half-read).
api::server_info decode_server_info(const json::value& v, const std::string& request_line);
api::operation_info decode_operation(const json::value& v, const std::string& request_line);
api::instance decode_instance(const json::value& v, const std::string& request_line);
/// One interface of an instance's state, or a network's state (the same shape).
api::network_interface decode_network_interface(const json::object& o, const std::string& request_line);
api::instance_state decode_instance_state(const json::value& v, const std::string& request_line);
api::event decode_event(const json::value& v, const std::string& request_line);
api::cluster_info decode_cluster_info(const json::value& v, const std::string& request_line);
api::cluster_member decode_cluster_member(const json::value& v, const std::string& request_line);
api::image decode_image(const json::value& v, const std::string& request_line);
api::image_alias decode_image_alias(const json::value& v, const std::string& request_line);
/// The metadata of GET /1.0/operations?recursion=1 (status -> [operation]) as one list, in
/// the answer's order; null is no operation.
std::vector<api::operation_info> decode_operation_list(const json::value& v, const std::string& request_line);

/// The exception for a final operation that did not succeed (nullptr on success):
/// operation_cancelled, or operation_failed with the server's message and the operation id.
std::exception_ptr operation_failure(const api::operation_info& info, const std::string& request_line);

/// Encoders for the editable parts.
json::object encode_config(const api::config_map& m);
json::object encode_devices(const api::device_map& m);
json::array encode_strings(const std::vector<std::string>& v);

}  // namespace lxd::protocol
