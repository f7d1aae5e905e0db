// src/detail/file_transfer.hpp — what the single-file verbs (files.cpp) lend the
// recursive transfers (files_recursive.cpp).
#pragma once

#include <stop_token>
#include <string>
#include <string_view>

#include <lxd/files.hpp>

#include "local_file.hpp"

namespace lxd::detail {

/// Throws errc::operation_cancelled once `stop` is requested.
void check_stop(const std::stop_token& stop);

/// LXD 5.0 drops the setuid, setgid and sticky bits of X-LXD-mode (Go's FileMode keeps
/// them elsewhere), and SETSTAT over SFTP drops them on both servers. When o.mode asks for
/// them, they are set with chmod inside the instance.
void apply_special_bits(const client& c, const std::string& base, std::string_view path, const put_options& o);

/// Streams an opened local file to `path` under the files path `base` (the mode defaults
/// to the file's own); a partial upload is removed again, as files::put_file does.
void put_reader(const lxd::files& f, const client& c, const std::string& base, std::string_view path, local_reader& in,
                put_options o);

}  // namespace lxd::detail
