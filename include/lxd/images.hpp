// lxd/images.hpp — the images manager (client.images()) and its handles: lxd::image (save
// with ETag, patch, remove, export streamed to files and verified, secret) and
// lxd::image_alias (save, rename, remove); import (unified or split tarballs, streamed,
// fingerprint-checked) and publish from instances and snapshots.
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
#include <lxd/transfer_mode.hpp>

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

/// Options of images::copy_from.
struct image_copy {
    std::vector<std::string> aliases;   ///< created on this server
    bool copy_aliases = false;          ///< also create the source image's aliases here
    bool auto_update = false;
    bool is_public = false;
    /// pull: this server fetches the image from the source's network address (with a
    /// one-time secret for a private image); push: the source sends it here; relay: through
    /// this machine (export to temporary files, upload). automatic: pull when the source
    /// has a network address, relay otherwise.
    migration_mode mode = migration_mode::automatic;
    transfer_progress download_progress;   ///< relay: from the source
    transfer_progress upload_progress;     ///< relay: to this server
    std::string temp_directory;         ///< where the relay keeps the files; default: the system's
};

struct exported_image {
    std::string fingerprint;
    bool split = false;                 ///< true: metadata and rootfs files
    std::vector<std::string> files;     ///< paths written (unified: 1; split: metadata, rootfs)
    std::uint64_t bytes = 0;
};

/// What image::patch changes: only the fields set (the servers' PATCH takes just these;
/// expires_at and profiles change through save()).
struct image_patch {
    std::optional<bool> is_public;
    std::optional<bool> auto_update;
    std::optional<api::config_map> properties;   ///< merged: the keys given are set, the others kept
};

class image_alias;

/// One image as last read, plus the means to change it. Accessors never do I/O; setters
/// change only this value and save() sends it.
/// Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API image {
public:
    image(client c, api::image data, std::string etag);

    const std::string& fingerprint() const { return data_.fingerprint; }
    const std::string& filename() const { return data_.filename; }
    const std::string& architecture() const { return data_.architecture; }
    api::instance_type type() const { return data_.type; }
    std::int64_t size() const { return data_.size; }          ///< bytes
    bool is_public() const { return data_.is_public; }
    bool auto_update() const { return data_.auto_update; }
    bool cached() const { return data_.cached; }
    const api::config_map& properties() const { return data_.properties; }
    /// Its aliases (name and description; see images::alias for a handle on one).
    const std::vector<api::image_alias>& aliases() const { return data_.aliases; }
    const std::vector<std::string>& profiles() const { return data_.profiles; }
    const std::string& created_at() const { return data_.created_at; }
    const std::string& uploaded_at() const { return data_.uploaded_at; }
    const std::string& expires_at() const { return data_.expires_at; }
    const std::string& last_used_at() const { return data_.last_used_at; }
    const std::string& etag() const { return etag_; }
    const api::image& data() const { return data_; }

    image& set_public(bool is_public);
    image& set_auto_update(bool auto_update);
    image& set_properties(api::config_map properties);
    image& set_property(std::string key, std::string value);
    image& unset_property(const std::string& key);
    image& set_expires_at(std::string rfc3339);
    image& set_profiles(std::vector<std::string> profiles);

    /// PUT with If-Match: the editable fields (public, auto_update, properties, expires_at,
    /// profiles) as set here, every field the library does not know as the server sent it.
    /// If the image changed on the server since it was read, throws
    /// errc::precondition_failed and changes nothing. Re-reads afterwards.
    void save();
    /// PATCH of just the given fields (with If-Match), then a re-read.
    void patch(const image_patch& changes);
    /// Re-reads the image (and its ETag).
    void refresh();
    /// DELETE: the server removes images in the background.
    [[nodiscard]] operation remove() const;

    /// Streams the image's file(s) into `directory` (created if missing), named as the server
    /// suggests (only the last path component is ever used). Partial files are removed on
    /// failure.
    exported_image export_to(const std::string& directory, const image_export_options& o = {}) const;

    /// A one-time secret with which another server may fetch this private image
    /// (POST /1.0/images/<fp>/secret): what an instance_source's `secret` takes. Never logged.
    std::string secret() const;

    const client& owner() const { return client_; }

private:
    client client_;
    api::image data_;
    std::string etag_;
};

/// One image alias as last read, plus its verbs. Accessors never do I/O.
/// Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API image_alias {
public:
    image_alias(client c, api::image_alias data, std::string etag);

    const std::string& name() const { return data_.name; }
    /// The fingerprint of the image it points to.
    const std::string& target() const { return data_.target; }
    const std::string& description() const { return data_.description; }
    api::instance_type type() const { return data_.type; }
    const std::string& etag() const { return etag_; }
    const api::image_alias& data() const { return data_; }

    /// Points it at another image (a whole fingerprint or a prefix the server resolves).
    image_alias& set_target(std::string fingerprint);
    image_alias& set_description(std::string description);

    /// PUT {target, description} with If-Match; errc::precondition_failed if the alias changed
    /// on the server since it was read. Re-reads afterwards.
    void save();
    /// Changes just the given fields (nullopt: kept), with If-Match, then re-reads. Sent as a
    /// PUT of the merged value: PATCH on an alias hangs for 20 s and then fails on LXD 5.0.2.
    void patch(std::optional<std::string> target, std::optional<std::string> description = std::nullopt);
    void refresh();
    /// POST {name} (synchronous); this handle then holds the new name.
    void rename(std::string_view new_name);
    /// DELETE (synchronous). The image stays.
    void remove() const;
    /// The image it points to (one GET).
    lxd::image target_image() const;

    const client& owner() const { return client_; }

private:
    client client_;
    api::image_alias data_;
    std::string etag_;
};

/// The images manager (client.images()). Thread safety: safe to share; each call is
/// independent.
class LXDPP_API images {
public:
    explicit images(client c) : client_(std::move(c)) {}

    /// Every image, full objects, in one request.
    std::vector<image> all() const;
    std::vector<std::string> fingerprints() const;
    /// By fingerprint or a unique prefix of it. errc::not_found if there is none.
    image get(std::string_view fingerprint) const;
    /// The image an alias points to (two GETs: the alias, the image).
    image get_by_alias(std::string_view alias) const;
    bool exists(std::string_view fingerprint) const;

    /// Uploads a unified image tarball (metadata.yaml + rootfs/ in one file), streamed in
    /// constant memory. The operation's metadata_json has {"fingerprint", "size"}; the
    /// aliases are created before it completes.
    operation import_file(const std::string& path, const image_import& o = {}) const;
    /// Uploads a split image: a metadata tarball and a rootfs (squashfs or tarball; for
    /// virtual machines a disk image, sent as "rootfs.img").
    operation import_split(const std::string& metadata_path, const std::string& rootfs_path, const image_import& o = {},
                           bool virtual_machine = false) const;

    /// Makes an image of an instance (stopped, or running for containers on servers that allow
    /// it) or of one of its snapshots ("c1/snap0"). The operation's metadata has the new
    /// fingerprint (see image_fingerprint).
    operation publish(std::string_view instance_or_snapshot, const image_publish& o = {}) const;

    /// Copies an image (by alias, else fingerprint or unique prefix) from the server of
    /// `source` to this one, as lxc does (o.mode): pulled by this server from the source's
    /// network address (each address in turn; a one-time secret for a private image), pushed
    /// by the source to this server, or relayed (exported from the source into a temporary
    /// directory and uploaded from it, both streamed in constant memory, the fingerprint
    /// checked on both legs; the files are removed in every case). Aliases already here that
    /// point elsewhere are refused (errc::conflict) before anything moves; if this server
    /// already has the image, only the missing aliases are created. Blocks until done;
    /// returns the image on this server.
    image copy_from(const client& source, std::string_view image, const image_copy& o = {}) const;

    // ---- aliases --------------------------------------------------------------------------
    /// Every alias, full objects, in one request.
    std::vector<image_alias> aliases() const;
    image_alias alias(std::string_view name) const;
    bool alias_exists(std::string_view name) const;
    /// POST /1.0/images/aliases (synchronous), then reads the new alias.
    image_alias create_alias(std::string_view name, std::string_view fingerprint, std::string_view description = {}) const;

    const client& owner() const { return client_; }

private:
    client client_;
};

/// The fingerprint a finished import or publish operation reports (its metadata's
/// "fingerprint"). errc::protocol_error if it has none.
LXDPP_API std::string image_fingerprint(const api::operation_info& finished);

/// SHA-256 of the concatenation of local files, lowercase hex (an image's fingerprint).
LXDPP_API std::string sha256_of_files(const std::vector<std::string>& paths);

}  // namespace lxd
