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

/// Streams an opened local file to `path` under the files path `base` (the mode defaults
/// to the file's own); a partial upload is removed again, as files::put_file does.
void put_reader(const lxd::files& f, const client& c, const std::string& base, std::string_view path, local_reader& in,
                put_options o);

}  // namespace lxd::detail
