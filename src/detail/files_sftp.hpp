// src/detail/files_sftp.hpp — the file verbs over SFTP (GET .../sftp, upgraded), chosen by
// files.cpp when the server offers the endpoint; REST otherwise.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <lxd/files.hpp>

namespace lxd::detail {

/// True when file verbs should use SFTP: the server is Incus or has metrics_authentication
/// (LXD >= 4.24, where the endpoint came) and LXDPP_FILE_TRANSPORT is not "rest".
bool use_sftp(const client& c);

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
