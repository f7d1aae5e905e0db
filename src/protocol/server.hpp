// src/protocol/server.hpp — the server-wide requests: /1.0, certificates, operations, events,
// and raw GETs.
#pragma once

#include <chrono>
#include <map>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "request.hpp"

namespace lxd::protocol {

request server_get();   ///< GET /1.0
/// PUT /1.0 {"config": config} with If-Match when `etag` is set. Checks every key. A value
/// that the server sent as a non-string (`original_json`, the config object as read) and that
/// is unchanged goes back as it came: LXD shows a set trust password as `true` and takes a
/// boolean `true` back as "unchanged", but the string "true" as a new password.
request server_put(const std::map<std::string, std::string>& config, std::string_view etag, std::string_view original_json = {});
/// PATCH /1.0 {"config": changes} with If-Match when `etag` is set. Checks every key.
request server_patch(const std::map<std::string, std::string>& changes, std::string_view etag);
/// GET /1.0/resources (not scoped: the host's, whatever the project).
request resources_get();
/// A server config key: non-empty, no whitespace, '=' or control character.
void check_server_config_key(std::string_view key);
/// Any request (client::raw): `method` one of GET POST PUT PATCH DELETE (as spelled, upper
/// case), `path` starting with /1.0 (its own query kept verbatim), `query` added escaped,
/// `body` JSON text (checked to parse) or empty, `etag` as If-Match when set.
/// `content_type` other than empty or application/json: `body` is bytes sent as they are
/// with that Content-Type. `headers`: only X-LXD-*, X-Incus-*, Content-Type (as
/// `content_type`) and If-Match (as `etag`) are allowed, names matched case-insensitively;
/// anything else, a value with a control character, or a second different Content-Type or
/// If-Match is refused (errc::invalid_argument naming the header).
request raw(std::string_view method, std::string_view path, const std::vector<std::pair<std::string, std::string>>& query,
            std::string_view body, std::string_view etag, std::string_view content_type = {},
            const header_list& headers = {});
/// POST /1.0/certificates {"type": "client", "password": secret[, "trust_token": secret]
/// [, "name"]}. Refuses an empty secret. A token goes in both fields: LXD 5.0 reads it from
/// "password", Incus (which does not advertise explicit_trust_token in 6.0) only from
/// "trust_token", and an untrusted client cannot tell which server it talks to; each
/// server ignores the other field.
request certificate_trust(std::string_view secret, std::string_view name, bool is_token = false);
/// POST /1.0/certificates {"type": "client", "token": true, "name"}.
request certificate_token(std::string_view name);
/// GET of a path the caller chose (it must start with /1.0; its query is kept verbatim).
request raw_get(std::string_view path);

request operation_list();   ///< recursion=1
/// Refuses an empty id.
request operation_get(std::string_view id);
/// DELETE: cancels the operation.
request operation_cancel(std::string_view id);
/// GET .../wait?timeout=<server_wait>, with a transport deadline 30 s past the server's.
request operation_wait(std::string_view id, int server_wait);
/// The websocket of an operation (exec streams, migration channels).
request operation_websocket(std::string_view id, std::string_view secret);
/// "https://<address>/1.0/operations/<id>": what another server connects to (no ?project=:
/// the target appends "/websocket" to it as a string, and ids are unique across projects).
std::string operation_url(std::string_view address, std::string_view id);

/// The /1.0/events websocket: ?type=a,b and all-projects=true when asked.
request events(const std::vector<std::string>& types, bool all_projects);

}  // namespace lxd::protocol
