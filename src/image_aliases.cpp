// Image aliases over /1.0/images/aliases: the alias handle and the manager's alias verbs.
#include <lxd/images.hpp>

#include "detail/calls.hpp"

namespace lxd {

using namespace detail;

// ---- image_alias ------------------------------------------------------------------------

image_alias::image_alias(client c, api::image_alias data, std::string etag)
    : client_(std::move(c)), data_(std::move(data)), etag_(std::move(etag)) {}

image_alias& image_alias::set_target(std::string fingerprint) { data_.target = std::move(fingerprint); return *this; }
image_alias& image_alias::set_description(std::string description) { data_.description = std::move(description); return *this; }

void image_alias::save() {
    call_sync(client_, protocol::alias_put(data_.name, data_.target, data_.description, etag_));
    refresh();
}

void image_alias::patch(std::optional<std::string> target, std::optional<std::string> description) {
    // A PUT of the merged value with If-Match: PATCH on an alias hangs for 20 s and then fails
    // ("context deadline exceeded") on LXD 5.0.2.
    auto r = protocol::alias_put(data_.name, target ? *target : data_.target, description ? *description : data_.description, etag_);
    call_sync(client_, std::move(r));
    refresh();
}

void image_alias::refresh() { *this = client_.images().alias(data_.name); }

void image_alias::rename(std::string_view new_name) {
    call_sync(client_, protocol::alias_rename(data_.name, new_name));
    data_.name = std::string(new_name);
    refresh();
}

void image_alias::remove() const { call_sync(client_, protocol::alias_delete(data_.name)); }

lxd::image image_alias::target_image() const { return client_.images().get(data_.target); }

// ---- images: aliases --------------------------------------------------------------------

std::vector<image_alias> images::aliases() const {
    return get_list(client_, protocol::alias_list(), "alias list", [&](const json::value& v, const std::string& rl) {
        return image_alias(client_, protocol::decode_image_alias(v, rl), "");
    });
}

image_alias images::alias(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::alias_get(name));
    return image_alias(client_, protocol::decode_image_alias(env.metadata, res.request_line), res.etag);
}

bool images::alias_exists(std::string_view name) const {
    return exists_by([&] { return alias(name); });
}

image_alias images::create_alias(std::string_view name, std::string_view fingerprint, std::string_view description) const {
    call_sync(client_, protocol::alias_create(name, fingerprint, description));
    return alias(name);
}

}  // namespace lxd
