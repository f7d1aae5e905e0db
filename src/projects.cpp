#include <lxd/projects.hpp>

#include "detail/calls.hpp"
#include "protocol/profiles.hpp"

namespace lxd {

using namespace detail;

lxd::projects client::projects() const { return lxd::projects(*this); }

// ---- project ----------------------------------------------------------------------------

project::project(client c, api::project data, std::string etag)
    : client_(std::move(c)), data_(std::move(data)), etag_(std::move(etag)) {}

project& project::set_config(std::string key, std::string value) { data_.config[std::move(key)] = std::move(value); return *this; }
project& project::unset_config(const std::string& key) { data_.config.erase(key); return *this; }
project& project::set_config(api::config_map config) { data_.config = std::move(config); return *this; }
project& project::set_description(std::string description) { data_.description = std::move(description); return *this; }

void project::save() {
    wait_if_async(client_, call_sync(client_, protocol::project_put(data_, etag_)));
    refresh();
}

void project::refresh() { *this = client_.projects().get(data_.name); }

void project::rename(std::string_view new_name) {
    wait_if_async(client_, call_sync(client_, protocol::project_rename(data_.name, new_name)));
    data_.name = std::string(new_name);
    refresh();
}

void project::remove() { wait_if_async(client_, call_sync(client_, protocol::project_delete(data_.name))); }

// ---- projects ---------------------------------------------------------------------------

std::vector<project> projects::all() const {
    return get_list(client_, protocol::project_list(), "project list", [&](const json::value& v, const std::string& rl) {
        return project(client_, protocol::decode_project(v, rl), "");
    });
}

std::vector<std::string> projects::names() const { return get_names(client_, protocol::project_names(), "project list"); }

project projects::get(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::project_get(name));
    return project(client_, protocol::decode_project(env.metadata, res.request_line), res.etag);
}

bool projects::exists(std::string_view name) const {
    return exists_by([&] { return get(name); });
}

project projects::create(const project_create& p) const {
    wait_if_async(client_, call_sync(client_, protocol::project_create(p)));
    return get(p.name);
}

}  // namespace lxd
