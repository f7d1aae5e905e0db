// src/protocol/images.hpp — the requests of /1.0/images and /1.0/images/aliases.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include <lxd/images.hpp>

#include "request.hpp"

namespace lxd::protocol {

request image_list();           ///< recursion=1
request image_fingerprints();   ///< URLs only
/// Fingerprint (or prefix) checked by each of these.
request image_get(std::string_view fingerprint);
request image_delete(std::string_view fingerprint);
/// PUT of raw_json without the read-only fields, the editable ones (public, auto_update,
/// properties, expires_at, profiles) overlaid; If-Match when `etag` is set.
request image_put(const api::image& data, std::string_view etag);
/// PATCH of the fields set; If-Match when `etag` is set. Refuses an empty patch.
request image_patch(std::string_view fingerprint, const lxd::image_patch& p, std::string_view etag);
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

/// An image copied server to server (POST /1.0/images on the target).
struct image_transfer {
    std::string fingerprint;             ///< whole
    std::vector<std::string> aliases;    ///< created on the target
    bool is_public = false;
    bool auto_update = false;
};
/// Pull: {"source": {"type": "image", "mode": "pull", "server": URL, "protocol": "lxd",
/// "certificate", "fingerprint", "secret"}, ...}. `server` is https://ADDRESS.
request image_copy_pull(const image_transfer& t, std::string_view server, std::string_view certificate,
                        std::string_view secret);
/// Push, on the target: {"source": {"type": "image", "mode": "push", "fingerprint"}, ...}; the
/// operation's metadata.secret is what the source pushes with.
request image_push_token(const image_transfer& t);
/// Push, on the source: POST .../export {"target": URL, "certificate", "secret", "aliases"}.
request image_push_export(const image_transfer& t, std::string_view target, std::string_view certificate,
                          std::string_view secret);

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

// ---- decoders of image answers --------------------------------------------------------------

/// The "fingerprint" of a finished import or publish operation's metadata (its JSON text).
/// errc::protocol_error (naming operation `operation_id`) if there is none.
std::string decode_image_fingerprint(std::string_view metadata_json, std::string_view operation_id);
/// The secret of POST .../secret's answer: the (still running) operation's
/// metadata.secret. errc::protocol_error if there is none.
std::string decode_image_secret(const boost::json::value& operation, const std::string& request_line);

}  // namespace lxd::protocol
