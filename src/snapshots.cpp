#include <lxd/instances.hpp>
#include <lxd/snapshots.hpp>

#include "detail/calls.hpp"

namespace lxd {

using namespace detail;

namespace {

snapshot decode_snapshot(const client& c, const std::string& base, const std::string& instance_name, const json::value& v,
                         const std::string& rl) {
    if (!v.is_object()) protocol::fail_protocol(rl, "snapshot is not an object");
    auto& o = v.get_object();
    auto str = [&](const char* k) -> std::string {
        auto it = o.find(k);
        if (it == o.end() || it->value().is_null()) return {};
        if (!it->value().is_string()) protocol::fail_protocol(rl, std::string("snapshot field '") + k + "' is not a string");
        return std::string(it->value().get_string());
    };
    std::string name = str("name");
    // Some servers send "instance/snap": keep only the snapshot's own name.
    if (auto slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
    if (name.empty()) protocol::fail_protocol(rl, "snapshot without a name");
    bool stateful = false;
    if (auto it = o.find("stateful"); it != o.end() && it->value().is_bool()) stateful = it->value().get_bool();
    std::int64_t size = -1;
    if (auto it = o.find("size"); it != o.end() && it->value().is_number()) size = it->value().to_number<std::int64_t>();
    api::config_map config;
    if (auto it = o.find("config"); it != o.end() && it->value().is_object())
        for (auto& kv : it->value().get_object())
            config.emplace(kv.key(), kv.value().is_string() ? std::string(kv.value().get_string()) : json::serialize(kv.value()));
    return snapshot(c, base, instance_name, std::move(name), json::serialize(v), str("created_at"), str("expires_at"), stateful,
                    str("description"), std::move(config), size);
}

}  // namespace

snapshot::snapshot(client c, std::string instance_path, std::string instance_name, std::string name, std::string raw_json,
                   std::string created_at, std::string expires_at, bool stateful, std::string description,
                   api::config_map config, std::int64_t size)
    : client_(std::move(c)), base_(std::move(instance_path)), instance_(std::move(instance_name)), name_(std::move(name)),
      raw_(std::move(raw_json)), created_at_(std::move(created_at)), expires_at_(std::move(expires_at)), stateful_(stateful),
      description_(std::move(description)), config_(std::move(config)), size_(size) {}

operation snapshot::rename(std::string_view new_name) const {
    return as_operation(client_, call_sync(client_, protocol::snapshot_rename(base_, name_, new_name)));
}

operation snapshot::remove() const {
    return as_operation(client_, call_sync(client_, protocol::snapshot_delete(base_, name_)));
}

operation snapshot::restore(bool stateful) const {
    return as_operation(client_, call_sync(client_, protocol::snapshot_restore(base_, name_, stateful)));
}

void snapshot::set_expires_at(std::string_view rfc3339) const {
    client_.assert_has_api_extension("snapshot_expiry");
    wait_if_async(client_, call_sync(client_, protocol::snapshot_set_expiry(base_, name_, rfc3339)));
}

std::vector<snapshot> snapshots::all() const {
    return get_list(client_, protocol::snapshot_list(base_), "snapshot list", [&](const json::value& v, const std::string& rl) {
        return decode_snapshot(client_, base_, instance_, v, rl);
    });
}

snapshot snapshots::get(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::snapshot_get(base_, name));
    return decode_snapshot(client_, base_, instance_, env.metadata, res.request_line);
}

bool snapshots::exists(std::string_view name) const {
    return exists_by([&] { return get(name); });
}

operation snapshots::create(std::string_view name, const snapshot_create& o) const {
    auto r = protocol::snapshot_create(base_, name, o.stateful, o.expires_at);   // checks the name first
    if (!o.expires_at.empty()) client_.assert_has_api_extension("snapshot_expiry_creation");
    return as_operation(client_, call_sync(client_, std::move(r)));
}

lxd::snapshots instance::snapshots() const {
    return lxd::snapshots(client_, protocol::instance_path(collection(client_), data_.name), data_.name);
}

operation instance::restore_snapshot(std::string_view snapshot_name, bool stateful) {
    protocol::check_snapshot_name(snapshot_name);
    return snapshots().get(snapshot_name).restore(stateful);
}

}  // namespace lxd
