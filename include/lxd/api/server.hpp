// lxd/api/server.hpp — GET /1.0 as a typed value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <lxd/api/instance.hpp>

namespace lxd::api {

/// The server's environment block (GET /1.0 -> metadata.environment).
struct server_environment {
    std::vector<std::string> addresses;
    std::vector<std::string> architectures;
    std::string certificate;              ///< PEM of the server certificate
    std::string certificate_fingerprint;  ///< lowercase hex SHA-256 of its DER
    std::string driver;
    std::string driver_version;
    std::string firewall;
    std::string kernel;
    std::string kernel_architecture;
    std::string kernel_version;
    std::string os_name;
    std::string os_version;
    std::string project;
    std::string server;                   ///< "lxd" or "incus"
    bool server_clustered = false;
    std::string server_name;
    std::string server_pid;
    std::string server_version;
    std::string storage;
    std::string storage_version;
};

/// GET /1.0. Fields the library does not model are in raw_json.
struct server_info {
    std::vector<std::string> api_extensions;
    std::string api_status;
    std::string api_version;
    std::string auth;                 ///< "trusted" or "untrusted"
    std::vector<std::string> auth_methods;
    bool is_public = false;
    server_environment environment;   ///< partly empty when untrusted
    std::string config_json;          ///< the server config object, as JSON text
    config_map config;                ///< the same, as keys and values (non-strings as JSON text)
    std::string raw_json;             ///< the whole metadata object as the server sent it
};

/// A trusted certificate (GET /1.0/certificates/{fingerprint}).
struct certificate {
    std::string pem;                   ///< PEM (the JSON field "certificate")
    std::string fingerprint;
    std::string name;
    std::string type;                  ///< "client" or "metrics"
    bool restricted = false;
    std::vector<std::string> projects;
    std::string description;           ///< Incus
    std::string raw_json;
};

/// A server warning (GET /1.0/warnings/{uuid}; the `warnings` extension).
struct warning {
    std::string uuid;
    std::string status;                ///< "new", "acknowledged" or "resolved"
    std::string severity;              ///< "low", "moderate" or "high"
    std::string type;                  ///< e.g. "Couldn't find the CGroup memory swap accounting"
    std::int64_t count = 0;
    std::string project;
    std::string location;
    std::string entity_url;
    std::string first_seen_at;
    std::string last_seen_at;
    std::string last_message;
    std::string raw_json;
};

}  // namespace lxd::api
