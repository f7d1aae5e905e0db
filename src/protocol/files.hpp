// src/protocol/files.hpp — the requests of .../files?path=. `base` is the escaped files
// path (files_path()); every builder checks the path (non-empty, no NUL).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <lxd/files.hpp>

#include "request.hpp"

namespace lxd::protocol {

std::string files_path(std::string_view collection, std::string_view name);
/// A mode as LXD reads it: always a leading 0 ("0644", "04755"); "644" would be decimal.
std::string octal_mode(std::uint32_t mode);

request file_get(std::string_view base, std::string_view path);
request file_head(std::string_view base, std::string_view path);
request file_delete(std::string_view base, std::string_view path);
/// POST with <prefix>type (file, directory, symlink), and mode, uid, gid and write=append as
/// set in `o`; content type application/octet-stream. `body` is the symlink target or a
/// small file's bytes; streamed uploads leave it empty.
request file_push(std::string_view base, std::string_view path, std::string_view header_prefix, const put_options& o,
                  std::string_view type, std::string body = {});

}  // namespace lxd::protocol
