#include <lxd/error.hpp>

namespace lxd {

namespace {
class category_impl : public std::error_category {
public:
    const char* name() const noexcept override { return "lxd"; }
    std::string message(int ev) const override { return to_string(static_cast<errc>(ev)); }
};

std::string compose(errc code, const diagnostics& d) {
    // "<code>: <server message or detail> [<request>]" — one line, no secrets (callers
    // never put secrets into diagnostics; the request line carries no query string).
    std::string m = to_string(code);
    if (!d.server_message.empty()) {
        m += ": " + d.server_message;
        if (!d.detail.empty()) m += " (" + d.detail + ")";
    } else if (!d.detail.empty()) {
        m += ": " + d.detail;
    }
    if (d.http_status) m += " [HTTP " + std::to_string(d.http_status) + "]";
    if (!d.request.empty()) m += " [" + d.request + "]";
    if (!d.operation_id.empty()) m += " [operation " + d.operation_id + "]";
    return m;
}
}  // namespace

const std::error_category& error_category() noexcept {
    static const category_impl c;
    return c;
}

const char* to_string(errc e) noexcept {
    switch (e) {
        case errc::not_found: return "not_found";
        case errc::conflict: return "conflict";
        case errc::precondition_failed: return "precondition_failed";
        case errc::forbidden: return "forbidden";
        case errc::bad_request: return "bad_request";
        case errc::server_error: return "server_error";
        case errc::operation_failed: return "operation_failed";
        case errc::operation_cancelled: return "operation_cancelled";
        case errc::timeout: return "timeout";
        case errc::connection_failed: return "connection_failed";
        case errc::connection_lost: return "connection_lost";
        case errc::tls_error: return "tls_error";
        case errc::protocol_error: return "protocol_error";
        case errc::invalid_argument: return "invalid_argument";
        case errc::unsupported: return "unsupported";
    }
    return "unknown";
}

error::error(errc code, diagnostics diag)
    : std::system_error(make_error_code(code)), diag_(std::move(diag)), what_(compose(code, diag_)) {}

}  // namespace lxd
