#include <lxd/profiles.hpp>

#include "detail/calls.hpp"
#include "protocol/profiles.hpp"

namespace lxd {

using namespace detail;

lxd::profiles client::profiles() const { return lxd::profiles(*this); }

// ---- profile ----------------------------------------------------------------------------

profile::profile(client c, api::profile data, std::string etag)
    : client_(std::move(c)), data_(std::move(data)), etag_(std::move(etag)) {}

profile& profile::set_config(std::string key, std::string value) { data_.config[std::move(key)] = std::move(value); return *this; }
profile& profile::unset_config(const std::string& key) { data_.config.erase(key); return *this; }
profile& profile::set_config(api::config_map config) { data_.config = std::move(config); return *this; }
profile& profile::set_devices(api::device_map devices) { data_.devices = std::move(devices); return *this; }
profile& profile::set_description(std::string description) { data_.description = std::move(description); return *this; }

void profile::save() {
    wait_if_async(client_, call_sync(client_, protocol::profile_put(data_, etag_)));
    refresh();
}

void profile::patch(const profile_patch& p) {
    wait_if_async(client_, call_sync(client_, protocol::profile_patch(data_.name, p, etag_)));
    refresh();
}

void profile::refresh() { *this = client_.profiles().get(data_.name); }

void profile::rename(std::string_view new_name) {
    wait_if_async(client_, call_sync(client_, protocol::profile_rename(data_.name, new_name)));
    data_.name = std::string(new_name);
    refresh();
}

void profile::remove() { wait_if_async(client_, call_sync(client_, protocol::profile_delete(data_.name))); }

// ---- profiles ---------------------------------------------------------------------------

std::vector<profile> profiles::all() const {
    return get_list(client_, protocol::profile_list(), "profile list", [&](const json::value& v, const std::string& rl) {
        return profile(client_, protocol::decode_profile(v, rl), "");
    });
}

std::vector<std::string> profiles::names() const { return get_names(client_, protocol::profile_names(), "profile list"); }

profile profiles::get(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::profile_get(name));
    return profile(client_, protocol::decode_profile(env.metadata, res.request_line), res.etag);
}

bool profiles::exists(std::string_view name) const {
    return exists_by([&] { return get(name); });
}

profile profiles::create(const profile_create& p) const {
    wait_if_async(client_, call_sync(client_, protocol::profile_create(p)));
    return get(p.name);
}

}  // namespace lxd
