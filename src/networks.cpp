#include <lxd/networks.hpp>

#include "detail/calls.hpp"
#include "protocol/networks.hpp"

namespace lxd {

using namespace detail;

lxd::networks client::networks() const { return lxd::networks(*this); }

// ---- network ----------------------------------------------------------------------------

network::network(client c, api::network data, std::string etag)
    : client_(std::move(c)), data_(std::move(data)), etag_(std::move(etag)) {}

network& network::set_config(std::string key, std::string value) { data_.config[std::move(key)] = std::move(value); return *this; }
network& network::unset_config(const std::string& key) { data_.config.erase(key); return *this; }
network& network::set_config(api::config_map config) { data_.config = std::move(config); return *this; }
network& network::set_description(std::string description) { data_.description = std::move(description); return *this; }

void network::save() {
    wait_if_async(client_, call_sync(client_, protocol::network_put(data_, etag_)));
    refresh();
}

void network::patch(const network_patch& p) {
    wait_if_async(client_, call_sync(client_, protocol::network_patch(data_.name, p, etag_)));
    refresh();
}

void network::refresh() { *this = client_.networks().get(data_.name); }

void network::rename(std::string_view new_name) {
    wait_if_async(client_, call_sync(client_, protocol::network_rename(data_.name, new_name)));
    data_.name = std::string(new_name);
    refresh();
}

void network::remove() { wait_if_async(client_, call_sync(client_, protocol::network_delete(data_.name))); }

std::vector<api::network_lease> network::leases() const {
    return get_list(client_, protocol::network_leases(data_.name), "network leases", protocol::decode_network_lease);
}

api::network_state network::state() const {
    auto [env, res] = call_sync(client_, protocol::network_state_get(data_.name));
    return protocol::decode_network_state(env.metadata, res.request_line);
}

// ---- networks ---------------------------------------------------------------------------

std::vector<network> networks::all() const {
    return get_list(client_, protocol::network_list(), "network list", [&](const json::value& v, const std::string& rl) {
        return network(client_, protocol::decode_network(v, rl), "");
    });
}

std::vector<std::string> networks::names() const { return get_names(client_, protocol::network_names(), "network list"); }

network networks::get(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::network_get(name));
    return network(client_, protocol::decode_network(env.metadata, res.request_line), res.etag);
}

bool networks::exists(std::string_view name) const {
    return exists_by([&] { return get(name); });
}

network networks::create(const network_create& n) const {
    wait_if_async(client_, call_sync(client_, protocol::network_create(n)));
    return get(n.name);
}

}  // namespace lxd
