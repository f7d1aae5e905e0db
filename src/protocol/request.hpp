// src/protocol/request.hpp — one REST call as a value: what the transport sends. Every
// request lxdpp makes is built by a function of src/protocol (one per call, grouped by
// resource) and handed to the transport as it is.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "escape.hpp"

namespace lxd::protocol {

enum class verb { get, head, post, put, patch, delete_ };

/// "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE".
std::string_view verb_name(verb m) noexcept;

using header_list = std::vector<std::pair<std::string, std::string>>;

struct request {
    verb method = verb::get;
    std::string path;                    ///< already escaped: "/1.0/instances/c%201"
    query_list query;                    ///< unescaped pairs; escaped when the target is built
    std::string body;
    std::string content_type = "application/json";
    header_list headers;
    bool scoped = true;                  ///< the transport adds ?project= and ?target= from the client's scope
    std::optional<std::chrono::milliseconds> timeout;   ///< overrides the scope's

    /// "GET /1.0/instances/x": for diagnostics; no query (it may carry secrets).
    std::string line() const;
    /// path + "?" + the escaped query (without the scope's project/target).
    std::string target() const { return build_target(path, query); }
};

/// A request with no body.
request make_request(verb m, std::string path, query_list query = {});
/// `r` for an endpoint outside any project or cluster member (the scope adds nothing).
request unscoped(request r);
/// A request whose body is `body`, already serialized JSON (application/json).
request json_request(verb m, std::string path, std::string body);

/// Adds If-Match: `etag` (a PUT or PATCH refused with 412 if the object changed since it
/// was read); nothing when `etag` is empty.
void set_if_match(request& r, std::string_view etag);

/// The value of a header of `r` ("" if absent).
std::string header_of(const request& r, std::string_view name);

/// "GET /1.0/x" (no query).
std::string request_line(verb m, std::string_view path);

}  // namespace lxd::protocol
