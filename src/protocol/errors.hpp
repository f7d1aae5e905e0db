// src/protocol/errors.hpp — the one factory for lxdpp's own errors (code, message, request
// line), so that no part of the library assembles diagnostics by hand.
#pragma once

#include <string>

#include <lxd/error.hpp>

namespace lxd::protocol {

/// What else a failure may carry besides its code, message and request line.
struct error_extra {
    int http_status = 0;
    std::string server_message;
    std::string operation_id;
};

/// An lxd::error with `message` as its detail and `request_line` ("GET /1.0/x", no query).
error make_error(errc code, std::string message, std::string request_line = {}, error_extra extra = {});
/// Throws make_error(...).
[[noreturn]] void fail(errc code, std::string message, std::string request_line = {}, error_extra extra = {});
/// Throws errc::protocol_error with `what` and the request line.
[[noreturn]] void fail_protocol(const std::string& request_line, std::string what);
/// Throws errc::invalid_argument with `what` (input refused before any request).
[[noreturn]] void fail_invalid(std::string what);

}  // namespace lxd::protocol
