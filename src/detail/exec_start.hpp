// src/detail/exec_start.hpp — what exec and interactive exec share: the request body, the
// POST, and the websocket secrets of the operation it starts.
#pragma once

#include <map>
#include <optional>

#include "core.hpp"

namespace lxd::detail {

json::object exec_body(const std::vector<std::string>& argv, const std::map<std::string, std::string>& environment,
                       const std::string& cwd, std::optional<std::uint32_t> user, std::optional<std::uint32_t> group);

struct exec_started {
    api::operation_info op;
    std::string request_line;
};
/// POSTs `body` to `path` (…/exec); the operation it started.
asio::awaitable<exec_started> post_exec(core* c, scope sc, std::string path, json::object body);

/// The secret of websocket `key` ("0", "1", "2", "control") of an exec operation.
std::string exec_secret(const api::operation_info& op, const char* key, const std::string& request_line);

}  // namespace lxd::detail
