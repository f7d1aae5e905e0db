// lxd/files.hpp — files in an instance: streaming get and put, directories, symlinks,
// recursive transfer. Obtained with instance::files().
#pragma once

#include <lxd/export.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/kinds.hpp>
#include <lxd/client.hpp>

namespace lxd {

struct file_info {
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::uint32_t mode = 0;   ///< permission bits, e.g. 0644 (04755 with setuid)
    api::file_type type = api::file_type::file;
};

/// A whole (small) file, a directory listing or a symlink's target.
struct file_contents {
    file_info info;
    std::string data;                   ///< type "file": the bytes
    std::vector<std::string> entries;   ///< type "directory": the names in it
    std::string target;                 ///< type "symlink": where it points (LXD 5.0 makes it absolute)
};

struct put_options {
    /// Applied by LXD only when the file is new. LXD 5.0 ignores setuid/setgid/sticky
    /// (07000): lxdpp then sets them with chmod inside the instance, which must be running.
    std::optional<std::uint32_t> mode;
    std::optional<std::uint32_t> uid;
    std::optional<std::uint32_t> gid;
    bool append = false;                 ///< add to the end instead of replacing
    /// Stops the upload when requested (errc::operation_cancelled). A put that fails or is
    /// stopped after its bytes started to flow removes the partial file in the instance
    /// (LXD truncates the target when the upload begins: its old contents are gone either
    /// way), except with `append`, which never deletes what was there.
    std::stop_token stop;
    /// Called after each chunk sent with the bytes sent so far and the total (0 if unknown).
    std::function<void(std::uint64_t sent, std::uint64_t total)> progress;
};

struct get_options {
    std::stop_token stop;   ///< stops the download (errc::operation_cancelled), target untouched
    /// Called after each chunk written with the bytes received so far.
    std::function<void(std::uint64_t received)> progress;
    /// Keep setuid, setgid and sticky bits as the server reports them (off: dropped).
    bool keep_special_bits = false;
};

struct mkdir_options {
    std::optional<std::uint32_t> mode;   ///< default: 0755
    std::optional<std::uint32_t> uid;
    std::optional<std::uint32_t> gid;
    bool parents = false;                ///< create missing parents (0755), like mkdir -p
};

struct recursive_options {
    bool preserve_owner = true;   ///< send uid/gid (put) or chown (get, when running as root)
    unsigned parallel = 4;        ///< files in flight at once
    /// get: keep setuid, setgid and sticky bits as the server reports them. Off by default,
    /// as tar does for non-root: a server cannot plant a setuid file on the host.
    bool keep_special_bits = false;
    std::stop_token stop;         ///< stops the transfer between and within files
};

/// Thread safety: safe to share; each call is independent.
class LXDPP_API files {
public:
    files(client c, std::string instance_path) : client_(std::move(c)), base_(std::move(instance_path)) {}

    /// The whole file (or listing, or link target) in memory: for small files.
    file_contents get(std::string_view path) const;
    /// Streams a file's bytes to `sink` in chunks, in constant memory. Returns its metadata.
    /// errc::not_found for a missing path; errc::invalid_argument if it is not a file.
    file_info get(std::string_view path, const std::function<void(std::string_view)>& sink) const;
    /// Streams a file into a local file: the bytes go to a temporary file beside it (mode
    /// 0600), renamed over `local_path` only when complete, then given the remote mode
    /// without setuid/setgid/sticky bits. A failure or a stop leaves an existing file
    /// untouched and no partial one behind. A symlink at `local_path` is replaced, never
    /// written through.
    file_info get_to_file(std::string_view path, const std::string& local_path, const get_options& o = {}) const;

    void put(std::string_view path, std::string_view data, const put_options& o = {}) const;
    /// Streams a local file (constant memory). Without o.mode the local file's mode is used.
    void put_file(std::string_view path, const std::string& local_path, put_options o = {}) const;
    /// Streams from `source` (fill the buffer, return the byte count, 0 at the end).
    void put(std::string_view path, const std::function<std::size_t(char*, std::size_t)>& source,
             const put_options& o = {}) const;

    void mkdir(std::string_view path, const mkdir_options& o = {}) const;
    void symlink(std::string_view path, std::string_view target, const put_options& o = {}) const;
    std::string readlink(std::string_view path) const;
    std::vector<std::string> list(std::string_view directory) const;
    /// Metadata without the contents (HEAD when the server has instance_file_head).
    /// LXD 5.0 reports modes without setuid/setgid/sticky bits.
    file_info stat(std::string_view path) const;
    bool exists(std::string_view path) const;
    /// Removes a file, a symlink or an empty directory.
    void remove(std::string_view path) const;

    /// Copies a local tree into `remote_dir` (created if missing): directories (also empty
    /// ones), files with their modes (and owners), symlinks as symlinks. A symlink whose
    /// target leaves the tree is refused (errc::invalid_argument) before anything is sent.
    /// Every file and directory is opened relative to its parent's descriptor without
    /// following symlinks, so nothing outside the tree is read even if the tree changes
    /// during the push (such a change fails the push instead).
    void recursive_put(const std::string& local_dir, std::string_view remote_dir, const recursive_options& o = {}) const;
    /// Copies a remote tree into `local_dir` (created if missing). The whole remote tree is
    /// listed and checked before anything is written: entries named "", ".", "..", or
    /// containing '/', and symlinks whose target leaves the tree (resolved through the
    /// tree's own symlinks, not lexically) are refused (errc::protocol_error). Everything is
    /// written relative to its parent's descriptor, never through a symlink, each file
    /// through a temporary file; setuid/setgid/sticky bits only with keep_special_bits.
    void recursive_get(std::string_view remote_dir, const std::string& local_dir, const recursive_options& o = {}) const;

private:
    client client_;
    std::string base_;   // "/1.0/instances/<name>/files"
};

}  // namespace lxd
