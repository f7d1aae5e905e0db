// src/protocol/trust.hpp — the requests and decoders of the trust store (/1.0/certificates)
// and of warnings (/1.0/warnings). Certificates and warnings are server-wide: no request
// here is scoped to the client's project (warnings take ?project= or ?all-projects= from
// the caller's choice instead).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include <lxd/api/server.hpp>

#include "request.hpp"

namespace lxd::protocol {

/// GET /1.0/certificates (recursion=1 when `full`).
request certificate_list(bool full);
/// GET /1.0/certificates/{fingerprint}. Checks the fingerprint (1-64 hex digits).
request certificate_get(std::string_view fingerprint);
/// POST /1.0/certificates {"type", "certificate": base64 DER, "name", "restricted",
/// "projects"}. Refuses anything but one PEM CERTIFICATE block, a type other than
/// "client"/"metrics", and bad project names.
request certificate_add(std::string_view pem, std::string_view name, std::string_view type, bool restricted,
                        const std::vector<std::string>& projects, std::string_view description = {});
/// PUT /1.0/certificates/{fingerprint} {"name", "type", "restricted", "projects",
/// "certificate"} (and every other field of `data.raw_json` kept) with If-Match.
request certificate_put(const api::certificate& data, std::string_view etag);
/// DELETE /1.0/certificates/{fingerprint}.
request certificate_delete(std::string_view fingerprint);
/// The base64 DER body of a PEM CERTIFICATE block (what LXD's "certificate" field takes);
/// errc::invalid_argument if `pem` is not exactly one such block.
std::string certificate_der_base64(std::string_view pem);

/// GET /1.0/warnings?recursion=1[&all-projects=true].
request warning_list(bool all_projects);
/// GET /1.0/warnings/{uuid}. Checks the UUID.
request warning_get(std::string_view uuid);
/// PUT /1.0/warnings/{uuid} {"status": "acknowledged" | "new"}.
request warning_status(std::string_view uuid, bool acknowledged);
/// DELETE /1.0/warnings/{uuid}.
request warning_delete(std::string_view uuid);
/// A UUID as LXD prints them: 8-4-4-4-12 hex digits. errc::invalid_argument otherwise.
void check_uuid(std::string_view uuid);

api::certificate decode_certificate(const boost::json::value& v, const std::string& request_line);
api::warning decode_warning(const boost::json::value& v, const std::string& request_line);

}  // namespace lxd::protocol
