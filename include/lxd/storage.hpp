// lxd/storage.hpp — storage pools (lxd::storage_pools(client)), their custom volumes
// (pool.volumes()) and the volumes' snapshots. Pools are global to a server; volumes live in
// the client's project.
#pragma once

#include <lxd/export.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/storage.hpp>
#include <lxd/backups.hpp>
#include <lxd/client.hpp>
#include <lxd/instances.hpp>
#include <lxd/operation.hpp>

namespace lxd {

class instance;
class storage_volumes;

struct storage_pool_create {
    std::string name;
    std::string driver;          ///< "dir", "zfs", "btrfs", "lvm", ...
    std::string description;
    api::config_map config;      ///< e.g. {"source", "/some/dir"} for dir
};

struct storage_pool_patch {
    std::optional<api::config_map> config;
    std::optional<std::string> description;
};

/// One storage pool as last read, plus the means to change it. Accessors never do I/O.
/// Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API storage_pool {
public:
    storage_pool(client c, api::storage_pool data, std::string etag);

    const std::string& name() const { return data_.name; }
    const std::string& driver() const { return data_.driver; }
    const std::string& description() const { return data_.description; }
    const std::string& status() const { return data_.status; }
    const api::config_map& config() const { return data_.config; }
    const std::vector<std::string>& locations() const { return data_.locations; }
    const std::vector<std::string>& used_by() const { return data_.used_by; }
    const std::string& etag() const { return etag_; }
    const api::storage_pool& data() const { return data_; }

    storage_pool& set_config(std::string key, std::string value);
    storage_pool& unset_config(const std::string& key);
    storage_pool& set_config(api::config_map config);
    storage_pool& set_description(std::string description);

    /// PUT {config, description} with If-Match; a pool changed on the server since it was
    /// read is refused with errc::precondition_failed. Re-reads afterwards. LXD 5.0 sends no
    /// ETag for pools: then the pool is re-read first and compared (not atomic).
    void save();
    /// PATCH of the given fields (If-Match), then a re-read.
    void patch(const storage_pool_patch& changes);
    void refresh();
    /// DELETE. A pool in use is refused with the server's message (errc::bad_request).
    void remove();
    /// GET .../resources: used and total space and inodes.
    api::storage_pool_resources resources() const;
    /// The custom volumes of this pool (in the client's project).
    storage_volumes volumes() const;

    const client& owner() const { return client_; }

private:
    client client_;
    api::storage_pool data_;
    std::string etag_;
};

/// The storage pools of a server. Thread safety: safe to share.
class LXDPP_API storage_pools {
public:
    explicit storage_pools(client c) : client_(std::move(c)) {}

    std::vector<storage_pool> all() const;
    std::vector<std::string> names() const;
    storage_pool get(std::string_view name) const;
    bool exists(std::string_view name) const;
    /// POST /1.0/storage-pools, then reads the new pool.
    storage_pool create(const storage_pool_create& p) const;

    const client& owner() const { return client_; }

private:
    client client_;
};

struct storage_volume_create {
    std::string name;
    std::string description;
    std::string content_type;    ///< "filesystem" (the default when empty) or "block"
    api::config_map config;      ///< e.g. {"size", "10MiB"}
};

/// A copy of a custom volume (or of one of its snapshots) on the same server.
struct storage_volume_copy {
    std::string name;            ///< the new volume
    std::string source_pool;     ///< empty: the pool of the target manager
    std::string source;          ///< "VOLUME" or "VOLUME/SNAPSHOT"
    /// The source's project, when it is not the target manager's (a copy between projects;
    /// empty: the same project).
    std::string source_project;
    bool volume_only = false;    ///< leave the source's snapshots behind
    /// The volume `name` may exist: it is brought up to date with the source (its content,
    /// and the snapshots it lacks), as `lxc storage volume copy --refresh`.
    bool refresh = false;
    std::string description;
    api::config_map config;
};

/// Where a copy or move of a custom volume goes (see storage_volume::copy_to / move_to).
struct storage_volume_transfer {
    std::string pool;          ///< the target pool; empty: a pool of the source's name
    std::string new_name;      ///< empty: the source's name
    migration_mode mode = migration_mode::automatic;   ///< between servers only (as instances)
    bool volume_only = false;  ///< leave the snapshots behind
    /// copy_to only: a target volume of that name is brought up to date (its content, and the
    /// snapshots it lacks) instead of refused; one that does not exist is made.
    bool refresh = false;
};

struct storage_volume_patch {
    std::optional<api::config_map> config;
    std::optional<std::string> description;
};

/// One snapshot of a custom volume as last read. Its verbs wait for their operations.
/// Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API storage_volume_snapshot {
public:
    storage_volume_snapshot(client c, std::string pool, std::string volume, api::storage_volume_snapshot data);

    const std::string& name() const { return data_.name; }
    const std::string& pool() const { return pool_; }
    const std::string& volume() const { return volume_; }
    const std::string& description() const { return data_.description; }
    const std::string& created_at() const { return data_.created_at; }
    const std::string& expires_at() const { return data_.expires_at; }
    const api::config_map& config() const { return data_.config; }
    const api::storage_volume_snapshot& data() const { return data_; }

    void refresh();
    /// POST {name}; this handle then holds the new name.
    void rename(std::string_view new_name);
    void remove() const;
    /// Restores the volume to this snapshot (PUT volume {restore}).
    void restore() const;

    const client& owner() const { return client_; }

private:
    client client_;
    std::string pool_, volume_;
    api::storage_volume_snapshot data_;
};

/// One custom storage volume as last read, plus the means to change it. Accessors never do
/// I/O. Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API storage_volume {
public:
    storage_volume(client c, std::string pool, api::storage_volume data, std::string etag);

    const std::string& name() const { return data_.name; }
    const std::string& pool() const { return pool_; }
    const std::string& type() const { return data_.type; }
    const std::string& description() const { return data_.description; }
    const std::string& content_type() const { return data_.content_type; }
    const std::string& location() const { return data_.location; }
    const api::config_map& config() const { return data_.config; }
    const std::vector<std::string>& used_by() const { return data_.used_by; }
    const std::string& etag() const { return etag_; }
    const api::storage_volume& data() const { return data_; }

    storage_volume& set_config(std::string key, std::string value);
    storage_volume& unset_config(const std::string& key);
    storage_volume& set_config(api::config_map config);
    storage_volume& set_description(std::string description);

    /// PUT {config, description} with If-Match (errc::precondition_failed on a lost
    /// update), then a re-read.
    void save();
    void patch(const storage_volume_patch& changes);
    void refresh();
    /// POST {name} within the pool; this handle then holds the new name.
    void rename(std::string_view new_name);
    /// POST {name, pool}: moves the volume (and its snapshots) to another pool of the same
    /// server, waits; this handle then is the moved volume. An empty new_name keeps the name.
    void move_to(std::string_view pool, std::string_view new_name = {});
    /// DELETE. A volume an instance uses is refused by the server.
    void remove();

    /// Copies the volume (with its snapshots unless o.volume_only) to a pool of the server of
    /// `target`, or of this one. Between servers it is a migration (pull, push or relay as
    /// instance::copy; automatic: relay when either side is a Unix socket, else pull) and
    /// needs the API extension storage_api_remote_volume_handling on both (errc::unsupported
    /// naming it). A target volume of that name is refused (errc::conflict) before anything is
    /// sent, unless o.refresh (then it is brought up to date, and kept if the copy fails); on
    /// the same server a copy needs another pool, name or project (errc::invalid_argument).
    /// `target` may be this client in another project (client::use_project): a copy between
    /// projects.
    [[nodiscard]] operation copy_to(const client& target, const storage_volume_transfer& o) const;
    /// Moves the volume and waits: within one server a rename or a move between pools;
    /// between servers copy_to, then the source is deleted (if that fails the copy is removed
    /// again). A volume in use is refused before anything is copied. This handle then is the
    /// moved volume.
    void move_to(const client& target, const storage_volume_transfer& o);

    /// The volume's backups (create with expiry, volume only (backup_create::instance_only),
    /// optimized storage, compression; download streamed in constant memory) as an instance's:
    /// needs the API extension custom_volume_backup (errc::unsupported naming it).
    lxd::backups backups() const;

    std::vector<storage_volume_snapshot> snapshots() const;
    storage_volume_snapshot snapshot(std::string_view name) const;
    /// Takes a snapshot (waits); `expires_at` RFC 3339 or empty (the pool's default). An
    /// empty name takes the next free "snapN" (N one more than the highest in use, from 0).
    storage_volume_snapshot create_snapshot(std::string_view name, std::string_view expires_at = {}) const;
    /// PUT {restore: SNAPSHOT}.
    void restore(std::string_view snapshot) const;

    /// Adds a disk device {type: disk, pool, source: VOLUME, path} to the instance and saves
    /// it; `device` defaults to the volume's name. A volume already attached to this
    /// instance is refused (errc::conflict) and nothing is sent. Block volumes take no path.
    void attach(instance& target, std::string_view path, std::string_view device = {}) const;
    /// Removes the instance's disk device(s) of this volume (only `device`, if given);
    /// errc::not_found if there is none.
    void detach(instance& target, std::string_view device = {}) const;

    const client& owner() const { return client_; }

private:
    client client_;
    std::string pool_;
    api::storage_volume data_;
    std::string etag_;
};

/// The volumes of one pool in the client's project. Thread safety: safe to share.
class LXDPP_API storage_volumes {
public:
    storage_volumes(client c, std::string pool) : client_(std::move(c)), pool_(std::move(pool)) {}

    /// Every volume of the pool, of every type (custom, container, image, ...), in one request.
    std::vector<api::storage_volume> all_types() const;
    /// The custom volumes.
    std::vector<storage_volume> all() const;
    storage_volume get(std::string_view name) const;
    bool exists(std::string_view name) const;
    /// POST .../volumes/custom (an empty volume), then reads it.
    storage_volume create(const storage_volume_create& v) const;
    /// POST .../volumes/custom with source {type: copy}: a copy of a volume or a volume
    /// snapshot of this server; the operation ends when the copy exists.
    [[nodiscard]] operation copy(const storage_volume_copy& c) const;
    /// Uploads a volume backup tarball from `path` in constant memory as a new custom volume
    /// of this pool, named o.name (empty: the name in the backup; o.pool must be empty). Needs
    /// custom_volume_backup; the operation ends when the volume exists.
    [[nodiscard]] operation import_backup(const std::string& path, const backup_import& o = {}) const;

    const std::string& pool() const { return pool_; }
    const client& owner() const { return client_; }

private:
    client client_;
    std::string pool_;
};

}  // namespace lxd
