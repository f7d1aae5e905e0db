// src/detail/files_sftp.hpp — the file verbs over SFTP (GET .../sftp, upgraded), chosen by
// files.cpp when the server offers the endpoint; REST otherwise.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <lxd/files.hpp>

namespace lxd::detail {

/// True when file verbs should use SFTP: the server is Incus or has metrics_authentication
/// (LXD >= 4.24, where the endpoint came), LXDPP_FILE_TRANSPORT is not "rest", and no
/// rest_files_scope is active on this thread.
bool use_sftp(const client& c);

/// While alive, file verbs on this thread use REST (recursive transfers, which run one
/// request per file on several threads, keep REST).
struct rest_files_scope {
    rest_files_scope();
    ~rest_files_scope();
    rest_files_scope(const rest_files_scope&) = delete;
    rest_files_scope& operator=(const rest_files_scope&) = delete;
};

file_info sftp_get(const client& c, const std::string& base, std::string_view path,
                   const std::function<void(std::string_view)>& sink);
file_contents sftp_get_whole(const client& c, const std::string& base, std::string_view path);
/// The upload sequence of LXD's REST: existed? open (create+truncate unless append), write,
/// then only for a new file chown and chmod on the open handle.
void sftp_put(const client& c, const std::string& base, std::string_view path,
              const std::function<std::size_t(char*, std::size_t)>& source, const put_options& o);
file_info sftp_stat(const client& c, const std::string& base, std::string_view path);
/// mkdir over one session: parents as mkdir -p, an existing directory kept unchanged (as
/// REST), anything else at the path refused with errc::conflict; mode without special bits.
void sftp_mkdir(const client& c, const std::string& base, std::string_view path, const mkdir_options& o);
/// A symlink owned by root (SETSTAT follows links: other owners go over REST).
void sftp_symlink(const client& c, const std::string& base, std::string_view path, std::string_view target);
void sftp_remove(const client& c, const std::string& base, std::string_view path);

}  // namespace lxd::detail
