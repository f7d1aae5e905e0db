// lxd/cluster.hpp — an LXD cluster (client::cluster()) and the cluster member handle
// (refresh, save with ETag, rename, evacuate, restore, remove).
// Placement is a client scope: client.use_target("node2").containers().create(...), and
// instance::migrate(client.use_target("node3")) moves a stopped instance between members.
#pragma once

#include <lxd/export.hpp>

#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/cluster.hpp>
#include <lxd/client.hpp>
#include <lxd/operation.hpp>

namespace lxd {

/// One cluster member as last read, plus its verbs. Accessors never do I/O; setters change
/// only this value and save() sends it.
/// Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API cluster_member {
public:
    cluster_member(client c, api::cluster_member data, std::string etag);

    const std::string& name() const { return data_.server_name; }
    const std::string& url() const { return data_.url; }                ///< "https://127.0.0.11:8443"
    const std::vector<std::string>& roles() const { return data_.roles; }
    bool database() const { return data_.database; }
    const std::string& status() const { return data_.status; }          ///< "Online", "Evacuated", "Offline", ...
    const std::string& message() const { return data_.message; }
    const std::string& architecture() const { return data_.architecture; }
    const std::string& failure_domain() const { return data_.failure_domain; }
    const std::string& description() const { return data_.description; }
    const api::config_map& config() const { return data_.config; }
    const std::vector<std::string>& groups() const { return data_.groups; }
    const std::string& etag() const { return etag_; }
    const api::cluster_member& data() const { return data_; }

    cluster_member& set_roles(std::vector<std::string> roles);
    cluster_member& set_failure_domain(std::string failure_domain);
    cluster_member& set_description(std::string description);
    cluster_member& set_config(std::string key, std::string value);
    cluster_member& unset_config(const std::string& key);
    cluster_member& set_config(api::config_map config);
    cluster_member& set_groups(std::vector<std::string> groups);

    /// PUT with If-Match: config, description, failure_domain, groups and roles as set here,
    /// every field the library does not know as the server sent it. If the member changed on
    /// the server since it was read, throws errc::precondition_failed. Re-reads afterwards.
    void save();
    void refresh();
    /// POST {server_name} (synchronous); this handle then holds the new name.
    void rename(std::string_view new_name);
    /// Moves the member's instances to other members (running ones are migrated and
    /// restarted there) and marks it evacuated.
    [[nodiscard]] operation evacuate() const;
    /// Brings the member back, and its instances with it.
    [[nodiscard]] operation restore() const;
    /// DELETE: the member leaves the cluster (synchronous). `force` removes it even when it
    /// cannot be reached (?force=1), as `lxc cluster remove --force`.
    void remove(bool force = false) const;

    const client& owner() const { return client_; }

private:
    client client_;
    api::cluster_member data_;
    std::string etag_;
};

/// The cluster manager (client.cluster()). Thread safety: safe to share.
class LXDPP_API cluster {
public:
    explicit cluster(client c) : client_(std::move(c)) {}

    /// Whether the server is a cluster member, and its name.
    api::cluster_info info() const;
    bool enabled() const { return info().enabled; }
    /// Every member, full objects, in one request.
    std::vector<cluster_member> members() const;
    /// errc::not_found for an unknown member.
    cluster_member member(std::string_view name) const;
    bool member_exists(std::string_view name) const;

    const client& owner() const { return client_; }

private:
    client client_;
};

}  // namespace lxd
