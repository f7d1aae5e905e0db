// src/detail/file_transfer.hpp — what the single-file verbs (files.cpp) lend the
// recursive transfers (files_recursive.cpp).
#pragma once

#include <exception>
#include <functional>
#include <memory>
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

/// True if a failed upload (its exception `e`) may have left part of its bytes on the
/// server: the connection broke, the source failed or changed, a stop, a server-side
/// failure. A refusal (4xx) is the server's decision about a file it did not write.
bool upload_may_be_partial(const std::exception_ptr& e);

/// What the REST file coroutines need of a client, read on the calling thread: they run on
/// the client's I/O thread, where nothing may wait for the server synchronously.
struct rest_files {
    rest_files(const client& c, std::string files_base);
    std::shared_ptr<core> co;
    scope sc;
    std::string base;
    std::string prefix;   ///< "X-LXD-" or "X-Incus-"
    std::string lower;    ///< the same, lowercased
};

/// GET of one regular file over REST, its bytes to `sink` chunk by chunk (on the I/O
/// thread); errors name the path; anything but a regular file is errc::invalid_argument.
/// Arguments by reference: the caller awaits at once.
asio::awaitable<file_info> rest_get_file(const rest_files& r, const std::string& path,
                                         const std::function<void(std::string_view)>& sink);

/// The upload `req` (protocol::file_push of `path`) with its body read from `in`, honouring
/// o.stop and o.progress; a local file that shrank or failed is errc::invalid_argument.
/// Neither removes a partial file nor sets special bits (the callers do, after).
asio::awaitable<void> rest_put_file(const rest_files& r, http_request req, const std::string& path, local_reader& in,
                                    const put_options& o);

}  // namespace lxd::detail
