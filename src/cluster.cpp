// Clusters over /1.0/cluster: the manager and the member handle.
#include <lxd/cluster.hpp>

#include "detail/calls.hpp"

namespace lxd {

using namespace detail;

lxd::cluster client::cluster() const { return lxd::cluster(*this); }

// ---- cluster_member ---------------------------------------------------------------------

cluster_member::cluster_member(client c, api::cluster_member data, std::string etag)
    : client_(std::move(c)), data_(std::move(data)), etag_(std::move(etag)) {}

cluster_member& cluster_member::set_roles(std::vector<std::string> roles) { data_.roles = std::move(roles); return *this; }
cluster_member& cluster_member::set_failure_domain(std::string d) { data_.failure_domain = std::move(d); return *this; }
cluster_member& cluster_member::set_description(std::string d) { data_.description = std::move(d); return *this; }
cluster_member& cluster_member::set_config(std::string key, std::string value) { data_.config[std::move(key)] = std::move(value); return *this; }
cluster_member& cluster_member::unset_config(const std::string& key) { data_.config.erase(key); return *this; }
cluster_member& cluster_member::set_config(api::config_map config) { data_.config = std::move(config); return *this; }
cluster_member& cluster_member::set_groups(std::vector<std::string> groups) { data_.groups = std::move(groups); return *this; }

void cluster_member::save() {
    wait_if_async(client_, call_sync(client_, protocol::cluster_member_put(data_, etag_)));
    refresh();
}

void cluster_member::refresh() { *this = client_.cluster().member(data_.server_name); }

void cluster_member::rename(std::string_view new_name) {
    wait_if_async(client_, call_sync(client_, protocol::cluster_member_rename(data_.server_name, new_name)));
    data_.server_name = std::string(new_name);
    refresh();
}

operation cluster_member::evacuate() const {
    return as_operation(client_, call_sync(client_, protocol::cluster_member_state(data_.server_name, "evacuate")));
}

operation cluster_member::restore() const {
    return as_operation(client_, call_sync(client_, protocol::cluster_member_state(data_.server_name, "restore")));
}

void cluster_member::remove(bool force) const {
    wait_if_async(client_, call_sync(client_, protocol::cluster_member_delete(data_.server_name, force)));
}

// ---- cluster ----------------------------------------------------------------------------

api::cluster_info cluster::info() const {
    auto [env, res] = call_sync(client_, protocol::cluster_get());
    return protocol::decode_cluster_info(env.metadata, res.request_line);
}

std::vector<cluster_member> cluster::members() const {
    return get_list(client_, protocol::cluster_members(), "member list", [&](const json::value& v, const std::string& rl) {
        return cluster_member(client_, protocol::decode_cluster_member(v, rl), "");
    });
}

cluster_member cluster::member(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::cluster_member(name));
    return cluster_member(client_, protocol::decode_cluster_member(env.metadata, res.request_line), res.etag);
}

bool cluster::member_exists(std::string_view name) const {
    return exists_by([&] { return member(name); });
}

}  // namespace lxd
