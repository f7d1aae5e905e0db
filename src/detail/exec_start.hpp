// src/detail/exec_start.hpp — what exec and interactive exec share: the POST, and the websocket secrets of the operation it starts.
#pragma once

#include <map>
#include <optional>

#include "core.hpp"

namespace lxd::detail {

struct exec_started {
    api::operation_info op;
    std::string request_line;
};
/// Sends `start` (protocol::exec_start*); the operation it started.
asio::awaitable<exec_started> post_exec(core* c, scope sc, http_request start);

/// The secret of websocket `key` ("0", "1", "2", "control") of an exec operation.
std::string exec_secret(const api::operation_info& op, const char* key, const std::string& request_line);

}  // namespace lxd::detail
