#include "envelope.hpp"

#include "json_reader.hpp"

namespace lxd::protocol {

errc errc_for_http_status(int s) noexcept {
    switch (s) {
        case 400: return errc::bad_request;
        case 401:
        case 403: return errc::forbidden;
        case 404: return errc::not_found;
        case 409: return errc::conflict;
        case 412: return errc::precondition_failed;
        default: return errc::server_error;
    }
}

envelope parse_envelope(int http_status, std::string_view content_type, std::string_view body,
                        const std::string& request_line, std::string_view location) {
    if (http_status >= 300 && http_status < 400) {
        // A proxy or a misconfigured address; following it could send credentials elsewhere.
        auto where = location.substr(0, location.find('?'));   // a query may carry secrets
        fail(errc::protocol_error,
             "the server answered with a redirect (HTTP " + std::to_string(http_status) + ")" +
                 (where.empty() ? std::string() : " to " + std::string(where)) + "; lxdpp does not follow redirects",
             request_line, {.http_status = http_status});
    }
    auto json_type = content_type.substr(0, content_type.find(';')) == "application/json";
    json::value doc;
    boost::system::error_code ec;
    if (json_type || (http_status >= 400 && !body.empty() && body.front() == '{')) {
        doc = json::parse(body, ec);
    } else {
        ec = json::error::syntax;
    }
    if (ec || !doc.is_object()) {
        if (http_status >= 400) {
            // Not an LXD error envelope (a proxy's HTML page, say): keep the status's meaning
            // but say that the body was not LXD's.
            std::string excerpt(body.substr(0, 200));
            fail(errc_for_http_status(http_status),
                 "HTTP " + std::to_string(http_status) + " without an LXD error envelope" +
                     (excerpt.empty() ? std::string() : ": " + excerpt),
                 request_line, {.http_status = http_status});
        }
        fail_protocol(request_line, !json_type ? "unexpected content type '" + std::string(content_type) + "'"
                                               : "response body is not a JSON object" +
                                                     (ec ? " (" + ec.message() + ")" : std::string()));
    }
    const auto& obj = doc.get_object();
    reader r{obj, request_line};
    auto type = r.str("type");
    if (type == "error" || http_status >= 400) {
        auto message = r.str("error");
        auto code = r.integer("error_code");
        int status = http_status >= 400 ? http_status : static_cast<int>(code);
        if (status < 400)
            fail(errc::protocol_error, "error envelope with HTTP " + std::to_string(http_status), request_line,
                 {.http_status = http_status, .server_message = std::move(message)});
        fail(errc_for_http_status(status), "", request_line, {.http_status = status, .server_message = std::move(message)});
    }
    envelope env;
    env.status_code = static_cast<int>(r.integer("status_code"));
    if (auto* m = r.find("metadata")) env.metadata = *m;
    if (type == "sync") {
        if (http_status != 200 && http_status != 201)   // 201: POST /1.0/certificates
            fail_protocol(request_line, "sync response with HTTP " + std::to_string(http_status));
        env.type = envelope::kind::sync;
    } else if (type == "async") {
        if (http_status != 202)
            fail_protocol(request_line, "async response with HTTP " + std::to_string(http_status));
        env.type = envelope::kind::async;
        env.operation = r.str("operation");
        if (env.operation.empty()) fail_protocol(request_line, "async response without an operation");
    } else {
        fail_protocol(request_line, "unknown response type '" + type + "'");
    }
    return env;
}

}  // namespace lxd::protocol
