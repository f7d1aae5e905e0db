#include "errors.hpp"

namespace lxd::protocol {

error make_error(errc code, std::string message, std::string request_line, error_extra extra) {
    diagnostics d;
    d.http_status = extra.http_status;
    d.server_message = std::move(extra.server_message);
    d.request = std::move(request_line);
    d.operation_id = std::move(extra.operation_id);
    d.detail = std::move(message);
    return error(code, std::move(d));
}

void fail(errc code, std::string message, std::string request_line, error_extra extra) {
    throw make_error(code, std::move(message), std::move(request_line), std::move(extra));
}

void fail_protocol(const std::string& request_line, std::string what) {
    fail(errc::protocol_error, std::move(what), request_line);
}

void fail_invalid(std::string what) { fail(errc::invalid_argument, std::move(what)); }

}  // namespace lxd::protocol
