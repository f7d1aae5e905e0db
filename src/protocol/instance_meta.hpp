// src/protocol/instance_meta.hpp — the console, log files, metadata and templates of an
// instance (/1.0/<collection>/{name}/console|logs|metadata), and their decoders.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include <lxd/api/instance_metadata.hpp>

#include "request.hpp"

namespace lxd::protocol {

/// GET .../console: the console log as text (not an envelope).
request console_log_get(std::string_view collection, std::string_view name);
/// DELETE .../console: empties the console log.
request console_log_delete(std::string_view collection, std::string_view name);

/// Log file names: non-empty, no '/', not "." or "..".
void check_log_name(std::string_view file);
/// GET .../logs (the URLs of the log files).
request instance_logs_list(std::string_view collection, std::string_view name);
/// GET .../logs/{file}: the file as it is (not an envelope).
request instance_log_get(std::string_view collection, std::string_view name, std::string_view file);

/// GET .../metadata.
request metadata_get(std::string_view collection, std::string_view name);
/// PUT .../metadata: raw_json with the modelled fields overlaid.
request metadata_put(std::string_view collection, std::string_view name, const api::instance_metadata& m);

/// Template file names: non-empty, no '/', NUL, CR or LF, not "." or "..".
void check_template_name(std::string_view file);
/// GET .../metadata/templates (the names).
request templates_list(std::string_view collection, std::string_view name);
/// GET .../metadata/templates?path=FILE: the file as it is.
request template_get(std::string_view collection, std::string_view name, std::string_view file);
/// POST .../metadata/templates?path=FILE with the content as application/octet-stream:
/// creates or replaces the file (the servers answer PUT with 501 "not implemented").
request template_put(std::string_view collection, std::string_view name, std::string_view file, std::string content);
request template_delete(std::string_view collection, std::string_view name, std::string_view file);

api::instance_metadata decode_instance_metadata(const boost::json::value& v, const std::string& request_line);

}  // namespace lxd::protocol
