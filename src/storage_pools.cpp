#include <lxd/storage.hpp>

#include "detail/calls.hpp"
#include "protocol/storage.hpp"

namespace lxd {

using namespace detail;

lxd::storage_pools client::storage_pools() const { return lxd::storage_pools(*this); }


// ---- storage_pool -----------------------------------------------------------------------

storage_pool::storage_pool(client c, api::storage_pool data, std::string etag)
    : client_(std::move(c)), data_(std::move(data)), etag_(std::move(etag)) {}

storage_pool& storage_pool::set_config(std::string key, std::string value) { data_.config[std::move(key)] = std::move(value); return *this; }
storage_pool& storage_pool::unset_config(const std::string& key) { data_.config.erase(key); return *this; }
storage_pool& storage_pool::set_config(api::config_map config) { data_.config = std::move(config); return *this; }
storage_pool& storage_pool::set_description(std::string description) { data_.description = std::move(description); return *this; }

namespace {

/// LXD 5.0 sends no ETag for a pool (Incus does): without one, a save first re-reads the pool
/// and refuses if its config or description changed since this handle read it. (Not atomic
/// as If-Match is: a change between the re-read and the PUT still wins.)
void check_unchanged(const client& c, const api::storage_pool& read, const std::string& etag) {
    if (!etag.empty() || read.raw_json.empty()) return;
    auto before = protocol::decode_storage_pool(json::parse(read.raw_json), "");
    auto now = storage_pools(c).get(read.name);
    if (now.config() != before.config || now.description() != before.description)
        throw protocol::make_error(errc::precondition_failed,
                                   "storage pool '" + read.name + "' changed on the server since it was read");
}

}  // namespace

void storage_pool::save() {
    check_unchanged(client_, data_, etag_);
    wait_if_async(client_, call_sync(client_, protocol::storage_pool_put(data_, etag_)));
    refresh();
}

void storage_pool::patch(const storage_pool_patch& p) {
    check_unchanged(client_, data_, etag_);
    wait_if_async(client_, call_sync(client_, protocol::storage_pool_patch(data_.name, p, etag_)));
    refresh();
}

void storage_pool::refresh() { *this = storage_pools(client_).get(data_.name); }

void storage_pool::remove() { wait_if_async(client_, call_sync(client_, protocol::storage_pool_delete(data_.name))); }

api::storage_pool_resources storage_pool::resources() const {
    auto [env, res] = call_sync(client_, protocol::storage_pool_resources(data_.name));
    return protocol::decode_storage_pool_resources(env.metadata, res.request_line);
}

storage_volumes storage_pool::volumes() const { return storage_volumes(client_, data_.name); }

// ---- storage_pools ----------------------------------------------------------------------

std::vector<storage_pool> storage_pools::all() const {
    return get_list(client_, protocol::storage_pool_list(), "storage pool list", [&](const json::value& v, const std::string& rl) {
        return storage_pool(client_, protocol::decode_storage_pool(v, rl), "");
    });
}

std::vector<std::string> storage_pools::names() const {
    return get_names(client_, protocol::storage_pool_names(), "storage pool list");
}

storage_pool storage_pools::get(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::storage_pool_get(name));
    return storage_pool(client_, protocol::decode_storage_pool(env.metadata, res.request_line), res.etag);
}

bool storage_pools::exists(std::string_view name) const {
    return exists_by([&] { return get(name); });
}

storage_pool storage_pools::create(const storage_pool_create& p) const {
    wait_if_async(client_, call_sync(client_, protocol::storage_pool_create(p)));
    return get(p.name);
}

}  // namespace lxd
