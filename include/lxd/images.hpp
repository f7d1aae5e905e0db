// lxd/images.hpp — the server's images (client::images()): import (unified or split
// tarballs, streamed, fingerprint-checked), export (streamed to files, verified), publish
// from instances and snapshots, aliases.
#pragma once

#include <lxd/export.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/image.hpp>
#include <lxd/client.hpp>
#include <lxd/operation.hpp>

namespace lxd {

/// Called with bytes done so far and the total (0 if unknown). Runs on the client's I/O
/// thread: keep it short and do not call lxdpp from it.
using transfer_progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct image_import {
    std::vector<std::string> aliases;   ///< created once the image is in (as one operation)
    bool is_public = false;
    api::config_map properties;         ///< X-LXD-properties (override the tarball's)
    std::string filename;               ///< kept by the server for exports; default: the local name
    /// The SHA-256 the upload must have (lowercase hex). Empty: lxdpp reads the file(s) once
    /// to compute it. Either way the server refuses an upload whose bytes do not match, so a
    /// file truncated or changed on the way is never stored.
    std::string fingerprint;
    transfer_progress progress;          ///< upload progress
};

struct image_publish {
    std::vector<std::string> aliases;
    bool is_public = false;
    api::config_map properties;
    std::string compression_algorithm;   ///< e.g. "gzip", "xz", "none"; default: the server's
    std::string expires_at;              ///< RFC 3339; empty: never
};

struct image_export_options {
    transfer_progress progress;
    /// Refuse (and delete) the files if their SHA-256 is not the image's fingerprint.
    bool verify = true;
};

struct exported_image {
    std::string fingerprint;
    bool split = false;                 ///< true: metadata and rootfs files
    std::vector<std::string> files;     ///< paths written (unified: 1; split: metadata, rootfs)
    std::uint64_t bytes = 0;
};

/// Thread safety: safe to share; each call is independent.
class LXDPP_API images {
public:
    explicit images(client c) : client_(std::move(c)) {}

    /// Every image, full objects, in one request.
    std::vector<api::image> all() const;
    std::vector<std::string> fingerprints() const;
    /// By fingerprint or a unique prefix of it. errc::not_found if there is none.
    api::image get(std::string_view fingerprint) const;
    /// The image an alias points to.
    api::image get_by_alias(std::string_view alias) const;
    bool exists(std::string_view fingerprint) const;
    operation remove(std::string_view fingerprint) const;
    /// Changes public/properties/auto_update/expires_at (PATCH). Waits.
    void update(std::string_view fingerprint, std::optional<bool> is_public, const api::config_map& properties = {},
                std::optional<bool> auto_update = std::nullopt) const;

    /// Uploads a unified image tarball (metadata.yaml + rootfs/ in one file), streamed in
    /// constant memory. The operation's metadata_json has {"fingerprint", "size"}; the
    /// aliases are created before it completes.
    operation import_file(const std::string& path, const image_import& o = {}) const;
    /// Uploads a split image: a metadata tarball and a rootfs (squashfs or tarball; for
    /// virtual machines a disk image, sent as "rootfs.img").
    operation import_split(const std::string& metadata_path, const std::string& rootfs_path, const image_import& o = {},
                           bool virtual_machine = false) const;

    /// Streams the image's file(s) into `directory` (created if missing), named as the server
    /// suggests (only the last path component is ever used). Partial files are removed on
    /// failure.
    exported_image export_to(std::string_view fingerprint, const std::string& directory,
                             const image_export_options& o = {}) const;

    /// Makes an image of an instance (stopped, or running for containers on servers that allow
    /// it) or of one of its snapshots ("c1/snap0"). The operation's metadata has the new
    /// fingerprint.
    operation publish(std::string_view instance_or_snapshot, const image_publish& o = {}) const;

    // ---- aliases --------------------------------------------------------------------------
    std::vector<api::image_alias> aliases() const;
    api::image_alias alias(std::string_view name) const;
    bool alias_exists(std::string_view name) const;
    void create_alias(std::string_view name, std::string_view fingerprint, std::string_view description = {}) const;
    /// Points an existing alias at another image.
    void retarget_alias(std::string_view name, std::string_view fingerprint) const;
    void rename_alias(std::string_view name, std::string_view new_name) const;
    void remove_alias(std::string_view name) const;

    /// A one-time secret with which another server may fetch this private image
    /// (POST /1.0/images/<fp>/secret): what an instance_source's `secret` takes. Never logged.
    std::string secret_for(std::string_view fingerprint) const;

private:
    client client_;
};

/// The fingerprint a finished import or publish operation reports (its metadata's
/// "fingerprint"). errc::protocol_error if it has none.
LXDPP_API std::string image_fingerprint(const api::operation_info& finished);

/// SHA-256 of the concatenation of local files, lowercase hex (an image's fingerprint).
LXDPP_API std::string sha256_of_files(const std::vector<std::string>& paths);

}  // namespace lxd
