#include <lxd/instances.hpp>
#include <lxd/snapshots.hpp>

#include "detail/calls.hpp"
#include "detail/news.hpp"

namespace lxd {

using namespace detail;

snapshot::snapshot(client c, std::string instance_path, std::string instance_name, api::snapshot data)
    : client_(std::move(c)),
      base_(std::move(instance_path)),
      instance_(std::move(instance_name)),
      data_(std::move(data)),
      news_(std::make_shared<snapshot_news>()) {}

void snapshot::sync() const { news_->take(data_, seen_); }

void snapshot::refresh() {
    sync();
    auto [env, res] = call_sync(client_, protocol::snapshot_get(base_, data_.name));
    data_ = protocol::decode_snapshot(env.metadata, res.request_line);
}

operation snapshot::rename(std::string_view new_name) {
    sync();
    auto r = protocol::snapshot_rename(base_, data_.name, new_name);   // checks the new name
    return as_operation(client_, call_sync(client_, std::move(r)),
                        then_learn_snapshot(news_, client_, base_, std::string(new_name)));
}

operation snapshot::remove() const {
    return as_operation(client_, call_sync(client_, protocol::snapshot_delete(base_, name())));
}

operation snapshot::restore(bool stateful) const {
    return as_operation(client_, call_sync(client_, protocol::snapshot_restore(base_, name(), stateful)));
}

void snapshot::set_expires_at(std::string_view rfc3339) const {
    client_.assert_has_api_extension("snapshot_expiry");
    wait_if_async(client_, call_sync(client_, protocol::snapshot_set_expiry(base_, name(), rfc3339)));
}

std::vector<snapshot> snapshots::all() const {
    return get_list(client_, protocol::snapshot_list(base_), "snapshot list", [&](const json::value& v, const std::string& rl) {
        return snapshot(client_, base_, instance_, protocol::decode_snapshot(v, rl));
    });
}

snapshot snapshots::get(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::snapshot_get(base_, name));
    return snapshot(client_, base_, instance_, protocol::decode_snapshot(env.metadata, res.request_line));
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
    sync();
    return lxd::snapshots(client_, protocol::instance_path(collection(client_), data_.name), data_.name);
}

operation instance::restore_snapshot(std::string_view snapshot_name, bool stateful) {
    protocol::check_snapshot_name(snapshot_name);
    return snapshots().get(snapshot_name).restore(stateful);
}

}  // namespace lxd
