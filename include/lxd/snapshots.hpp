// lxd/snapshots.hpp — an instance's snapshots (instance::snapshots()).
#pragma once

#include <lxd/export.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/instance.hpp>
#include <lxd/client.hpp>
#include <lxd/operation.hpp>

namespace lxd {

struct snapshot_create {
    bool stateful = false;     ///< include the running state (needs CRIU on the server)
    std::string expires_at;    ///< RFC 3339, e.g. "2030-01-01T00:00:00Z"; empty: never
};

struct image_publish;

namespace detail { struct snapshot_news; }

/// One snapshot as last read. Accessors do no I/O.
/// Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API snapshot {
public:
    snapshot(client c, std::string instance_path, std::string instance_name, api::snapshot data);

    const std::string& name() const { return cur().name; }          ///< "snap0" (not "c1/snap0")
    const std::string& instance_name() const { return instance_; }
    const std::string& created_at() const { return cur().created_at; }
    /// "0001-01-01T00:00:00Z" (LXD's zero time) when it never expires.
    const std::string& expires_at() const { return cur().expires_at; }
    bool stateful() const { return cur().stateful; }
    const std::string& description() const { return cur().description; }
    const api::config_map& config() const { return cur().config; }
    std::int64_t size() const { return cur().size; }                ///< bytes, -1 if unknown
    const std::string& raw_json() const { return cur().raw_json; }
    const api::snapshot& data() const { return cur(); }

    /// Re-reads the snapshot.
    void refresh();
    /// POST {name}: the snapshot is renamed within its instance. Once the operation has
    /// succeeded this handle (and its copies) has the new name and the server's value under it.
    operation rename(std::string_view new_name);
    operation remove() const;
    /// Restores the instance to this snapshot (PUT instance {restore}).
    operation restore(bool stateful = false) const;
    /// Changes (or clears, with "") the expiry date; waits.
    void set_expires_at(std::string_view rfc3339) const;
    /// Publishes the snapshot as an image (as instance::publish; see images::publish); the
    /// operation's metadata has the new image's fingerprint.
    operation publish(const image_publish& o) const;
    operation publish() const;

    const client& owner() const { return client_; }

private:
    /// Takes in what the handle's own succeeded rename learned (as instance does).
    void sync() const;
    const api::snapshot& cur() const { sync(); return data_; }

    client client_;
    std::string base_;   // "/1.0/instances/<name>"
    std::string instance_;
    mutable api::snapshot data_;
    mutable std::uint64_t seen_ = 0;
    std::shared_ptr<detail::snapshot_news> news_;
};

/// Thread safety: safe to share.
class LXDPP_API snapshots {
public:
    snapshots(client c, std::string instance_path, std::string instance_name)
        : client_(std::move(c)), base_(std::move(instance_path)), instance_(std::move(instance_name)) {}

    /// Every snapshot, full objects, in one request.
    std::vector<snapshot> all() const;
    snapshot get(std::string_view name) const;
    bool exists(std::string_view name) const;
    /// Takes a snapshot. A failed stateful snapshot (no CRIU) fails with the server's
    /// message and leaves no snapshot behind.
    operation create(std::string_view name, const snapshot_create& o = {}) const;

private:
    client client_;
    std::string base_;
    std::string instance_;
};

}  // namespace lxd
