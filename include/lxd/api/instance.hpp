// lxd/api/instance.hpp — an instance (/1.0/instances/{name}) and its state, as typed values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <lxd/api/kinds.hpp>
#include <lxd/api/operation.hpp>

namespace lxd::api {

using config_map = std::map<std::string, std::string>;
/// device name -> its key/value configuration
using device_map = std::map<std::string, std::map<std::string, std::string>>;

/// GET /1.0/instances/{name}/snapshots/{snapshot}.
struct snapshot {
    std::string name;            ///< "snap0" (a server's "c1/snap0" is cut to its last part)
    std::string created_at;
    std::string expires_at;      ///< "0001-01-01T00:00:00Z" (the zero time) when it never expires
    bool stateful = false;
    std::string description;
    config_map config;
    std::int64_t size = -1;      ///< bytes, -1 if the server does not say
    std::string raw_json;
};

/// GET /1.0/instances/{name}. Fields the library does not model stay in raw_json and are
/// sent back unchanged on save.
struct instance {
    std::string architecture;
    config_map config;
    std::string created_at;
    std::string description;
    device_map devices;
    bool ephemeral = false;
    config_map expanded_config;
    device_map expanded_devices;
    std::string last_used_at;
    std::string location;
    std::string name;
    std::vector<std::string> profiles;
    std::string project;
    bool stateful = false;
    std::string status;
    ::lxd::api::status_code status_code = ::lxd::api::status_code::unknown;
    instance_type type = instance_type::container;
    std::string raw_json;
};

struct network_address {
    std::string family;    ///< "inet" or "inet6"
    std::string address;
    std::string netmask;
    std::string scope;
};

struct network_counters {
    std::int64_t bytes_received = 0, bytes_sent = 0;
    std::int64_t packets_received = 0, packets_sent = 0;
    std::int64_t errors_received = 0, errors_sent = 0;
    std::int64_t packets_dropped_inbound = 0, packets_dropped_outbound = 0;
};

struct network_interface {
    std::vector<network_address> addresses;
    network_counters counters;
    std::string hwaddr;
    std::string host_name;
    std::int64_t mtu = 0;
    std::string state;
    std::string type;
};

/// GET /1.0/instances/{name}/state.
struct instance_state {
    std::string status;
    ::lxd::api::status_code status_code = ::lxd::api::status_code::unknown;
    std::int64_t cpu_usage_ns = 0;
    std::int64_t memory_usage = 0, memory_usage_peak = 0;
    std::int64_t swap_usage = 0, swap_usage_peak = 0;
    std::map<std::string, network_interface> network;
    std::map<std::string, std::int64_t> disk_usage;   ///< device -> bytes used
    std::int64_t pid = 0;
    std::int64_t processes = 0;
    std::string raw_json;
};

}  // namespace lxd::api
