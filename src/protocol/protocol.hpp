// src/protocol/protocol.hpp — sans-I/O half of lxdpp: building request targets and turning
// response bytes into values or lxd::errors. Pure functions; no sockets here, so every
// branch is unit-tested (tests/unit/protocol_test.cpp).
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include <lxd/api/cluster.hpp>
#include <lxd/api/event.hpp>
#include <lxd/api/image.hpp>
#include <lxd/api/instance.hpp>
#include <lxd/api/operation.hpp>
#include <lxd/api/server.hpp>
#include <lxd/error.hpp>

namespace lxd::protocol {

namespace json = boost::json;

using query_list = std::vector<std::pair<std::string, std::string>>;

/// Percent-encodes one path segment: everything but RFC 3986 unreserved characters, so a
/// name can never add a segment ('/'), a query ('?') or a fragment ('#').
std::string escape_segment(std::string_view segment);
/// Percent-encodes a query key or value.
std::string escape_query(std::string_view value);
/// "/1.0" + "/" + escape(seg) for each segment.
std::string api_path(std::initializer_list<std::string_view> segments);
/// path + "?" + k=v&... (empty values kept as "k="; an empty list gives the bare path).
std::string build_target(std::string_view path, const query_list& query);

/// Decodes percent-escapes (used on URLs the server hands back, e.g. operation ids).
std::string unescape(std::string_view s);
/// The last path segment of a URL like "/1.0/operations/abc?project=p", unescaped.
std::string last_segment(std::string_view url);

/// The parsed envelope of a successful response.
struct envelope {
    enum class kind { sync, async } type = kind::sync;
    int status_code = 0;
    std::string operation;   ///< async: "/1.0/operations/<id>"
    json::value metadata;    ///< sync: the value; async: the operation object
};

/// What a failed request maps to.
errc errc_for_http_status(int http_status) noexcept;

/// Parses an LXD response. `request_line` ("GET /1.0") goes into the diagnostics.
/// Throws lxd::error: the mapped code with the server's message for error envelopes,
/// errc::protocol_error for anything that is not a well-formed envelope (non-JSON,
/// truncated JSON, wrong content type, 200 that is not "sync", 202 that is not "async",
/// and a redirect (3xx), which LXD never sends and lxdpp does not follow: the message names
/// it and its `location` without the query).
envelope parse_envelope(int http_status, std::string_view content_type, std::string_view body,
                        const std::string& request_line, std::string_view location = {});

/// Throws errc::protocol_error with `what` and the request line.
[[noreturn]] void fail_protocol(const std::string& request_line, std::string what);

// Decoders: JSON -> typed values. Missing fields take their defaults; a field of the wrong
// JSON type is a protocol_error (a server we do not understand must not be half-read).
api::server_info decode_server_info(const json::value& v, const std::string& request_line);
api::operation_info decode_operation(const json::value& v, const std::string& request_line);
api::instance decode_instance(const json::value& v, const std::string& request_line);
api::instance_state decode_instance_state(const json::value& v, const std::string& request_line);
api::event decode_event(const json::value& v, const std::string& request_line);
api::cluster_info decode_cluster_info(const json::value& v, const std::string& request_line);
api::cluster_member decode_cluster_member(const json::value& v, const std::string& request_line);
api::image decode_image(const json::value& v, const std::string& request_line);
api::image_alias decode_image_alias(const json::value& v, const std::string& request_line);

/// Encoders for the editable parts.
json::object encode_config(const api::config_map& m);
json::object encode_devices(const api::device_map& m);
json::array encode_strings(const std::vector<std::string>& v);

/// Checks an instance name by LXD's rules (1-63 of [A-Za-z0-9-], not starting with a digit
/// or '-', not ending with '-'). Throws errc::invalid_argument.
void check_instance_name(std::string_view name);
/// Snapshot names: non-empty, no '/', no space, not "." or "..". Throws invalid_argument.
void check_snapshot_name(std::string_view name);
/// Project names: non-empty, no '/', no space.
void check_project_name(std::string_view name);

// ---- multipart/form-data (image upload and export) -----------------------------------------

/// The value of a header parameter such as boundary= or filename= (quotes removed), or "".
std::string header_parameter(std::string_view header_value, std::string_view name);

/// A file name the server suggested (Content-Disposition), made safe to create in a chosen
/// directory: its last path component, or "" if that is empty, "." or "..".
std::string safe_file_name(std::string_view suggested);

/// The framing of one multipart/form-data body written as a stream: text before each
/// part's bytes, and the closing text.
struct multipart_writer {
    std::string boundary;
    /// "--B\r\nContent-Disposition: form-data; name=...; filename=...\r\n...\r\n\r\n",
    /// preceded by "\r\n" for every part but the first.
    std::string part_header(std::string_view field, std::string_view filename, bool first) const;
    std::string closing() const;   ///< "\r\n--B--\r\n"
};

/// Incremental multipart/form-data parser: feed the body in chunks of any size; parts'
/// bytes are handed on as they arrive, holding back only what could be the start of a
/// boundary. Throws errc::protocol_error (with `request_line`) on malformed input.
class multipart_reader {
public:
    struct part { std::string name, filename; };
    multipart_reader(std::string boundary, std::string request_line);
    /// on_part: a new part begins; on_data: bytes of the current part.
    void feed(std::string_view chunk, const std::function<void(const part&)>& on_part,
              const std::function<void(std::string_view)>& on_data);
    /// Throws unless the closing boundary was seen.
    void finish() const;
    bool done() const { return state_ == state::done; }

private:
    enum class state { preamble, headers, body, after_boundary, done };
    std::string delimiter_;   // "\r\n--" + boundary
    std::string rl_;
    std::string buf_;
    state state_ = state::preamble;
};

}  // namespace lxd::protocol
