// src/protocol/envelope.hpp — LXD's response envelope (sync / async / error).
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

#include <lxd/error.hpp>

namespace lxd::protocol {

namespace json = boost::json;

/// The parsed envelope of a successful response.
struct envelope {
    enum class kind { sync, async } type = kind::sync;
    int status_code = 0;
    std::string operation;   ///< async: "/1.0/operations/<id>"
    json::value metadata;    ///< sync: the value; async: the operation object
};

/// What a failed request maps to.
errc errc_for_http_status(int http_status) noexcept;

/// Parses an LXD response. `request_line` ("GET /1.0") goes into the diagnostics.
/// Throws lxd::error: the mapped code with the server's message for error envelopes,
/// errc::protocol_error for anything that is not a well-formed envelope (non-JSON,
/// truncated JSON, wrong content type, 200 that is not "sync", 202 that is not "async",
/// and a redirect (3xx), which LXD never sends and lxdpp does not follow: the message names
/// it and its `location` without the query).
envelope parse_envelope(int http_status, std::string_view content_type, std::string_view body,
                        const std::string& request_line, std::string_view location = {});

}  // namespace lxd::protocol
