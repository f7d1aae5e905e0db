// lxd/api/operation.hpp — a server operation (/1.0/operations/{id}) as a typed value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lxd::api {

/// LXD status codes (doc/rest-api.md). Final states are success, failure and cancelled.
enum class status_code : int {
    unknown = 0,
    operation_created = 100, started = 101, stopped = 102, running = 103, cancelling = 104,
    pending = 105, starting = 106, stopping = 107, aborting = 108, freezing = 109,
    frozen = 110, thawed = 111, error = 112, ready = 113,
    success = 200, failure = 400, cancelled = 401,
};

inline bool is_final(status_code s) noexcept {
    return s == status_code::success || s == status_code::failure || s == status_code::cancelled;
}

struct operation_info {
    std::string id;
    std::string operation_class;   ///< "task", "websocket" or "token"
    std::string description;
    std::string created_at;
    std::string updated_at;
    std::string status;
    status_code code = status_code::unknown;
    std::map<std::string, std::vector<std::string>> resources;
    std::string metadata_json;     ///< operation-specific metadata, JSON text ("null" if none)
    bool may_cancel = false;
    std::string err;
    std::string location;
    std::string raw_json;
};

}  // namespace lxd::api
