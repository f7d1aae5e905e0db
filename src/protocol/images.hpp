// src/protocol/images.hpp — the requests of /1.0/images and /1.0/images/aliases.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <lxd/images.hpp>

#include "request.hpp"

namespace lxd::protocol {

request image_list();           ///< recursion=1
request image_fingerprints();   ///< URLs only
/// Fingerprint (or prefix) checked by each of these.
request image_get(std::string_view fingerprint);
request image_delete(std::string_view fingerprint);
/// PATCH {"public", "auto_update", "properties"} with what is set; nullopt when nothing is.
std::optional<request> image_update(std::string_view fingerprint, std::optional<bool> is_public,
                                    const api::config_map& properties, std::optional<bool> auto_update);
/// GET .../export (the body is the image, or multipart for a split image).
request image_export(std::string_view fingerprint);
/// POST .../secret {} (for a pull by another server).
request image_secret(std::string_view fingerprint);
/// POST /1.0/images with a body streamed by the caller: headers <prefix>fingerprint,
/// filename, public, properties (prefix "X-LXD-" or "X-Incus-"). `fingerprint` must be whole.
request image_upload(std::string_view header_prefix, std::string content_type, std::string_view fingerprint,
                     std::string_view filename, bool is_public, const api::config_map& properties);
/// POST /1.0/images from an instance ("name") or a snapshot ("name/snap"). Checks both names
/// and the aliases.
request image_publish(std::string_view source, const lxd::image_publish& o);

request alias_list();   ///< recursion=1
/// The alias name is checked by each of these.
request alias_get(std::string_view name);
/// POST {"name", "target", "description"}; the fingerprint is checked too.
request alias_create(std::string_view name, std::string_view fingerprint, std::string_view description);
/// PUT {"target", "description"} with If-Match (when `etag` is set).
request alias_put(std::string_view name, std::string_view fingerprint, std::string_view description, std::string_view etag);
/// POST {"name": new_name}; both names checked.
request alias_rename(std::string_view name, std::string_view new_name);
request alias_delete(std::string_view name);

}  // namespace lxd::protocol
