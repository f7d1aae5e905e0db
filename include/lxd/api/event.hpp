// lxd/api/event.hpp — one message of /1.0/events.
#pragma once

#include <string>

namespace lxd::api {

struct event {
    std::string type;            ///< "operation", "logging", "lifecycle", ...
    std::string timestamp;
    std::string location;
    std::string project;
    std::string metadata_json;   ///< the event's metadata as JSON text
    /// For lifecycle events: metadata.action ("instance-started", ...) and metadata.source.
    std::string action;
    std::string source;
    std::string raw_json;
};

}  // namespace lxd::api
