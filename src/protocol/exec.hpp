// src/protocol/exec.hpp — the requests of .../exec and of its recorded output.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/operation.hpp>

#include "request.hpp"

namespace lxd::protocol {

struct exec_command {
    std::vector<std::string> argv;
    std::map<std::string, std::string> environment;
    std::string cwd;
    std::optional<std::uint32_t> user, group;
};

/// POST .../exec {"command", "wait-for-websocket": true, "interactive": false,
/// "environment"[, "cwd", "user", "group"]}; with `record_output`, "wait-for-websocket" is
/// false and "record-output" true (no websockets: the output is fetched afterwards).
request exec_start(std::string_view collection, std::string_view name, const exec_command& c, bool record_output);
/// The same, on a terminal: "interactive": true, "width", "height".
request exec_start_interactive(std::string_view collection, std::string_view name, const exec_command& c,
                               unsigned width, unsigned height);
/// GET / DELETE of a recorded output log, by the URL the operation gave (query dropped).
request exec_output_get(std::string_view url);
request exec_output_delete(std::string_view url);

/// The secret of websocket `key` ("0", "1", "2", "control") of an exec operation's
/// metadata ({"fds": {...}}); protocol_error when it is missing.
std::string exec_secret(const api::operation_info& op, const char* key, const std::string& request_line);
/// The exit code of a final exec operation (metadata.return, a 32-bit integer, else
/// protocol_error); throws the operation's failure when LXD could not run the command.
int exec_exit_code(const api::operation_info& info, const std::string& request_line);

}  // namespace lxd::protocol
