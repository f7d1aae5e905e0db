// src/protocol/files.hpp — the requests of .../files?path=. `base` is the escaped files
// path (files_path()); every builder checks the path (non-empty, no NUL).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <lxd/files.hpp>

#include "request.hpp"

namespace lxd::protocol {

std::string files_path(std::string_view collection, std::string_view name);
/// A mode as LXD reads it: always a leading 0 ("0644", "04755"); "644" would be decimal.
std::string octal_mode(std::uint32_t mode);

request file_get(std::string_view base, std::string_view path);
request file_head(std::string_view base, std::string_view path);
request file_delete(std::string_view base, std::string_view path);
/// GET .../sftp with Upgrade: sftp (the instance of the files path `base`): an HTTP upgrade
/// to a raw SFTP stream.
request file_sftp(std::string_view base);
/// POST with <prefix>type (file, directory, symlink), and mode, uid, gid and write=append as
/// set in `o`; content type application/octet-stream. `body` is the symlink target or a
/// small file's bytes; streamed uploads leave it empty.
request file_push(std::string_view base, std::string_view path, std::string_view header_prefix, const put_options& o,
                  std::string_view type, std::string body = {});

/// The file information in the headers of a files answer (GET or HEAD). `fields` are the
/// answer's headers with lowercased names; `lower_prefix` is "x-lxd-" or "x-incus-". uid and
/// gid are decimal, mode octal; a missing one is 0, a missing type is "file". A number that
/// does not parse is errc::protocol_error naming `request_line`.
file_info decode_file_info(const std::vector<std::pair<std::string, std::string>>& fields, std::string_view lower_prefix,
                           const std::string& request_line);
/// The names in a directory's GET answer (an envelope whose metadata is an array of
/// strings; null is an empty directory). An error envelope is thrown as parse_envelope
/// does; any other shape is errc::protocol_error.
std::vector<std::string> decode_file_listing(int http_status, std::string_view content_type, std::string_view body,
                                             const std::string& request_line);

}  // namespace lxd::protocol
