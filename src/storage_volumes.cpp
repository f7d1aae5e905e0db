#include <algorithm>

#include <lxd/instances.hpp>
#include <lxd/storage.hpp>

#include "detail/calls.hpp"
#include "protocol/storage.hpp"
#include "protocol/validation.hpp"

namespace lxd {

using namespace detail;

namespace {

/// True if `d` is a disk device of volume `name` in `pool`.
bool is_volume_disk(const api::config_map& d, const std::string& pool, const std::string& name) {
    auto at = [&](const char* k) {
        auto it = d.find(k);
        return it == d.end() ? std::string() : it->second;
    };
    return at("type") == "disk" && at("pool") == pool && at("source") == name;
}

}  // namespace

// ---- storage_volume_snapshot ------------------------------------------------------------

storage_volume_snapshot::storage_volume_snapshot(client c, std::string pool, std::string volume, api::storage_volume_snapshot data)
    : client_(std::move(c)), pool_(std::move(pool)), volume_(std::move(volume)), data_(std::move(data)) {}

void storage_volume_snapshot::refresh() {
    auto [env, res] = call_sync(client_, protocol::storage_volume_snapshot_get(pool_, volume_, data_.name));
    data_ = protocol::decode_storage_volume_snapshot(env.metadata, res.request_line);
}

void storage_volume_snapshot::rename(std::string_view new_name) {
    wait_if_async(client_, call_sync(client_, protocol::storage_volume_snapshot_rename(pool_, volume_, data_.name, new_name)));
    data_.name = std::string(new_name);
    refresh();
}

void storage_volume_snapshot::remove() const {
    wait_if_async(client_, call_sync(client_, protocol::storage_volume_snapshot_delete(pool_, volume_, data_.name)));
}

void storage_volume_snapshot::restore() const {
    wait_if_async(client_, call_sync(client_, protocol::storage_volume_restore(pool_, volume_, data_.name)));
}

// ---- storage_volume ---------------------------------------------------------------------

storage_volume::storage_volume(client c, std::string pool, api::storage_volume data, std::string etag)
    : client_(std::move(c)), pool_(std::move(pool)), data_(std::move(data)), etag_(std::move(etag)) {}

storage_volume& storage_volume::set_config(std::string key, std::string value) { data_.config[std::move(key)] = std::move(value); return *this; }
storage_volume& storage_volume::unset_config(const std::string& key) { data_.config.erase(key); return *this; }
storage_volume& storage_volume::set_config(api::config_map config) { data_.config = std::move(config); return *this; }
storage_volume& storage_volume::set_description(std::string description) { data_.description = std::move(description); return *this; }

void storage_volume::save() {
    wait_if_async(client_, call_sync(client_, protocol::storage_volume_put(pool_, data_, etag_)));
    refresh();
}

void storage_volume::patch(const storage_volume_patch& p) {
    wait_if_async(client_, call_sync(client_, protocol::storage_volume_patch(pool_, data_.name, p, etag_)));
    refresh();
}

void storage_volume::refresh() { *this = storage_volumes(client_, pool_).get(data_.name); }

void storage_volume::rename(std::string_view new_name) {
    wait_if_async(client_, call_sync(client_, protocol::storage_volume_rename(pool_, data_.name, new_name)));
    data_.name = std::string(new_name);
    refresh();
}

void storage_volume::move_to(std::string_view pool, std::string_view new_name) {
    std::string target = new_name.empty() ? data_.name : std::string(new_name);
    wait_if_async(client_, call_sync(client_, protocol::storage_volume_rename(pool_, data_.name, target, pool)));
    pool_ = std::string(pool);
    data_.name = target;
    refresh();
}

void storage_volume::remove() { wait_if_async(client_, call_sync(client_, protocol::storage_volume_delete(pool_, data_.name))); }

std::vector<storage_volume_snapshot> storage_volume::snapshots() const {
    return get_list(client_, protocol::storage_volume_snapshot_list(pool_, data_.name), "storage volume snapshot list",
                    [&](const json::value& v, const std::string& rl) {
                        return storage_volume_snapshot(client_, pool_, data_.name, protocol::decode_storage_volume_snapshot(v, rl));
                    });
}

storage_volume_snapshot storage_volume::snapshot(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::storage_volume_snapshot_get(pool_, data_.name, name));
    return storage_volume_snapshot(client_, pool_, data_.name, protocol::decode_storage_volume_snapshot(env.metadata, res.request_line));
}

storage_volume_snapshot storage_volume::create_snapshot(std::string_view name, std::string_view expires_at) const {
    std::string chosen(name);
    if (chosen.empty()) {
        long next = 0;
        for (auto& s : snapshots()) {
            const auto& n = s.name();
            if (n.size() > 4 && n.starts_with("snap") && n.find_first_not_of("0123456789", 4) == std::string::npos && n.size() < 15)
                next = std::max(next, std::stol(n.substr(4)) + 1);
        }
        chosen = "snap" + std::to_string(next);
    }
    wait_if_async(client_, call_sync(client_, protocol::storage_volume_snapshot_create(pool_, data_.name, chosen, expires_at)));
    return snapshot(chosen);
}

void storage_volume::restore(std::string_view snapshot) const {
    wait_if_async(client_, call_sync(client_, protocol::storage_volume_restore(pool_, data_.name, snapshot)));
}

void storage_volume::attach(instance& target, std::string_view path, std::string_view device) const {
    std::string dev = device.empty() ? data_.name : std::string(device);
    protocol::check_device_name(dev);
    bool block = data_.content_type == "block";
    if (!block && path.empty()) fail_invalid("attaching filesystem volume '" + data_.name + "' needs a path in the instance");
    if (block && !path.empty()) fail_invalid("block volume '" + data_.name + "' is attached without a path");
    for (auto* devices : {&target.devices(), &target.expanded_devices()})
        for (auto& [name, d] : *devices)
            if (is_volume_disk(d, pool_, data_.name))
                throw protocol::make_error(errc::conflict, "storage volume '" + data_.name + "' of pool '" + pool_ +
                                                               "' is already attached to instance '" + target.name() +
                                                               "' (device '" + name + "')");
    if (target.devices().contains(dev))
        throw protocol::make_error(errc::conflict, "instance '" + target.name() + "' already has a device '" + dev + "'");
    auto devices = target.devices();
    api::config_map disk{{"type", "disk"}, {"pool", pool_}, {"source", data_.name}};
    if (!block) disk["path"] = std::string(path);
    devices.emplace(dev, std::move(disk));
    target.set_devices(std::move(devices));
    target.save();
}

void storage_volume::detach(instance& target, std::string_view device) const {
    auto devices = target.devices();
    auto removed = std::erase_if(devices, [&](const auto& kv) {
        return (device.empty() || kv.first == device) && is_volume_disk(kv.second, pool_, data_.name);
    });
    if (removed == 0)
        throw protocol::make_error(errc::not_found, "storage volume '" + data_.name + "' of pool '" + pool_ +
                                                        "' is not attached to instance '" + target.name() + "'");
    target.set_devices(std::move(devices));
    target.save();
}

// ---- storage_volumes --------------------------------------------------------------------

std::vector<api::storage_volume> storage_volumes::all_types() const {
    return get_list(client_, protocol::storage_volume_list(pool_), "storage volume list",
                    [](const json::value& v, const std::string& rl) { return protocol::decode_storage_volume(v, rl); });
}

std::vector<storage_volume> storage_volumes::all() const {
    std::vector<storage_volume> out;
    for (auto& v : all_types())
        if (v.type == "custom" && v.name.find('/') == std::string::npos) out.emplace_back(client_, pool_, std::move(v), "");
    return out;
}

storage_volume storage_volumes::get(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::storage_volume_get(pool_, name));
    return storage_volume(client_, pool_, protocol::decode_storage_volume(env.metadata, res.request_line), res.etag);
}

bool storage_volumes::exists(std::string_view name) const {
    return exists_by([&] { return get(name); });
}

storage_volume storage_volumes::create(const storage_volume_create& v) const {
    wait_if_async(client_, call_sync(client_, protocol::storage_volume_create(pool_, v)));
    return get(v.name);
}

operation storage_volumes::copy(const storage_volume_copy& c) const {
    return as_operation(client_, call_sync(client_, protocol::storage_volume_copy(pool_, c)));
}

}  // namespace lxd
