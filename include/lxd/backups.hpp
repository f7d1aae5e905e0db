// lxd/backups.hpp — an instance's backups (instance::backups()): create, list, rename,
// remove, and download as a tarball streamed in constant memory. The import of such a
// tarball as a new instance is instances::import_backup (instances.hpp).
#pragma once

#include <lxd/export.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/backup.hpp>
#include <lxd/client.hpp>
#include <lxd/operation.hpp>

namespace lxd {

struct backup_create {
    std::string expires_at;              ///< RFC 3339, e.g. "2030-01-01T00:00:00Z"; empty: never
    bool instance_only = false;          ///< leave the snapshots out
    bool optimized_storage = false;      ///< the pool driver's own format (restorable on a like pool only)
    std::string compression_algorithm;   ///< "gzip", "none", ...; empty: the server's default
};

struct backup_download {
    /// Called after each chunk with the bytes received so far and the total (0 if unknown).
    std::function<void(std::uint64_t done, std::uint64_t total)> progress;
    std::stop_token stop;   ///< stops the download (errc::operation_cancelled)
};

/// Options of instances::import_backup.
struct backup_import {
    std::string name;   ///< the new instance's name; empty: the one in the backup
    std::string pool;   ///< storage pool; empty: the one in the backup (or the default profile's)
    /// Called after each chunk sent with the bytes sent and the total (0 if unknown).
    std::function<void(std::uint64_t done, std::uint64_t total)> progress;
    std::stop_token stop;   ///< stops the upload (errc::operation_cancelled)
};

namespace detail { struct backup_news; }

/// One backup as last read. Accessors do no I/O.
/// Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API backup {
public:
    backup(client c, std::string instance_path, std::string instance_name, api::backup data);

    const std::string& name() const { return cur().name; }
    const std::string& instance_name() const { return instance_; }
    const std::string& created_at() const { return cur().created_at; }
    /// "0001-01-01T00:00:00Z" (LXD's zero time) when it never expires.
    const std::string& expires_at() const { return cur().expires_at; }
    bool instance_only() const { return cur().instance_only; }
    bool optimized_storage() const { return cur().optimized_storage; }
    const std::string& raw_json() const { return cur().raw_json; }
    const api::backup& data() const { return cur(); }

    /// Re-reads the backup.
    void refresh();
    /// POST {name}. Once the operation has succeeded this handle (and its copies) has the new
    /// name and the server's value under it.
    [[nodiscard]] operation rename(std::string_view new_name);
    [[nodiscard]] operation remove() const;
    /// Streams the tarball (GET .../export) to `path` in constant memory: into a temporary
    /// file beside it (mode 0600: a backup holds the whole instance), renamed over `path`
    /// only once complete; a failed or stopped download leaves `path` as it was. Returns
    /// the bytes written.
    std::uint64_t download(const std::string& path, const backup_download& o = {}) const;
    /// The same into a stream (which holds the partial bytes if it fails).
    std::uint64_t download(std::ostream& out, const backup_download& o = {}) const;

    const client& owner() const { return client_; }

private:
    void sync() const;
    const api::backup& cur() const { sync(); return data_; }
    std::uint64_t stream(const std::function<void(std::string_view)>& write, const backup_download& o) const;

    client client_;
    std::string base_;   // "/1.0/instances/<name>"
    std::string instance_;
    mutable api::backup data_;
    mutable std::uint64_t seen_ = 0;
    std::shared_ptr<detail::backup_news> news_;
};

/// Thread safety: safe to share.
class LXDPP_API backups {
public:
    backups(client c, std::string instance_path, std::string instance_name)
        : client_(std::move(c)), base_(std::move(instance_path)), instance_(std::move(instance_name)) {}

    /// Every backup, full objects, in one request.
    std::vector<backup> all() const;
    backup get(std::string_view name) const;
    bool exists(std::string_view name) const;
    /// Starts a backup. `name` empty: the server picks one ("backup0", ...); the finished
    /// operation names it (backup_name()).
    [[nodiscard]] operation create(std::string_view name, const backup_create& o = {}) const;

private:
    client client_;
    std::string base_;
    std::string instance_;
};

/// The name of the backup a finished backups::create operation made (from its resources).
/// errc::protocol_error if it names none.
LXDPP_API std::string backup_name(const api::operation_info& finished);

}  // namespace lxd
