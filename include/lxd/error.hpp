// lxd/error.hpp — the one exception type of lxdpp and its error codes.
//
// Every failure the library reports is an lxd::error (a std::system_error) whose code()
// belongs to lxd::error_category(). The code tells *what kind* of failure it was; the
// diagnostics tell *what happened*: the HTTP status, the server's own message, the request
// line ("GET /1.0/instances/c1"), and the operation id where there was one.
// Secrets (trust passwords, tokens, websocket secrets, keys) never appear in messages.
#pragma once

#include <lxd/export.hpp>

#include <string>
#include <system_error>

namespace lxd {

enum class errc {
    not_found = 1,        ///< 404: the object (or file, or operation) does not exist
    conflict,             ///< 409: the object already exists or is in a conflicting state
    precondition_failed,  ///< 412: the ETag did not match; someone changed the object meanwhile
    forbidden,            ///< 401/403: not trusted, restricted project, bad password or token
    bad_request,          ///< 400: the server refused the request as malformed or invalid
    server_error,         ///< 5xx or any other unexpected HTTP status
    operation_failed,     ///< a background operation ended in Failure
    operation_cancelled,  ///< a background operation ended Cancelled
    timeout,              ///< a deadline expired before the answer arrived
    connection_failed,    ///< could not connect (no socket, refused, unreachable)
    connection_lost,      ///< the connection broke; the outcome of the request is unknown
    tls_error,            ///< TLS handshake failed or the server certificate was refused
    protocol_error,       ///< the server's answer was not what the LXD protocol allows
    invalid_argument,     ///< bad input refused before any request was sent
    unsupported,          ///< the server lacks an API extension the call needs
};

/// The category of lxd::errc; name() is "lxd".
LXDPP_API const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), error_category()};
}

/// What the library knows about a failure beyond its code.
struct diagnostics {
    int http_status = 0;          ///< 0 when no HTTP answer was received
    std::string server_message;   ///< the server's "error" field (or operation "err"), verbatim
    std::string request;          ///< "METHOD /path" without query secrets
    std::string operation_id;     ///< set when the failure belongs to a server operation
    std::string detail;           ///< the library's own explanation
};

/// The exception thrown by every synchronous call of lxdpp.
/// Thread safety: an immutable value; safe to share.
class LXDPP_API error : public std::system_error {
public:
    error(errc code, diagnostics diag);

    errc code_value() const noexcept { return static_cast<errc>(code().value()); }
    const diagnostics& diag() const noexcept { return diag_; }
    int http_status() const noexcept { return diag_.http_status; }
    const std::string& server_message() const noexcept { return diag_.server_message; }
    const std::string& request() const noexcept { return diag_.request; }
    const std::string& operation_id() const noexcept { return diag_.operation_id; }
    /// One line: "<code>: <server message or detail> [HTTP n] [request] [operation id]".
    const char* what() const noexcept override { return what_.c_str(); }

private:
    diagnostics diag_;
    std::string what_;
};

/// Human-readable name of a code ("not_found", ...).
LXDPP_API const char* to_string(errc e) noexcept;

}  // namespace lxd

template <>
struct std::is_error_code_enum<lxd::errc> : std::true_type {};
