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

using protocol::exec_secret;

}  // namespace lxd::detail
