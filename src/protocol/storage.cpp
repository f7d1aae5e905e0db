#include "storage.hpp"

#include "codecs.hpp"
#include "errors.hpp"
#include "json_reader.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace json = boost::json;

namespace {

void check_pool(std::string_view name) { check_storage_name("storage pool", name); }
void check_volume(std::string_view name) { check_storage_name("storage volume", name); }

std::string pool_path(std::string_view pool) { return api_path({"storage-pools", pool}); }

std::string volume_path(std::string_view pool, std::string_view name) {
    check_pool(pool);
    check_volume(name);
    return api_path({"storage-pools", pool, "volumes", "custom", name});
}

std::string snapshot_path(std::string_view pool, std::string_view volume, std::string_view name) {
    check_snapshot_name(name);
    return volume_path(pool, volume) + "/snapshots/" + escape_segment(name);
}

/// {config, description} (the whole of a pool's or a volume's PUT), with If-Match.
request put_config(std::string path, const api::config_map& config, const std::string& description, std::string_view etag,
                   bool scoped) {
    check_config_keys(config);
    json::object o{{"config", encode_config(config)}, {"description", description}};
    auto r = json_request(verb::put, std::move(path), json::serialize(o));
    r.scoped = scoped;
    set_if_match(r, etag);
    return r;
}

request patch_config(std::string path, const std::optional<api::config_map>& config,
                     const std::optional<std::string>& description, std::string_view etag, bool scoped) {
    json::object o;
    if (config) {
        check_config_keys(*config);
        o["config"] = encode_config(*config);
    }
    if (description) o["description"] = *description;
    if (o.empty()) fail_invalid("patch with no fields");
    auto r = json_request(verb::patch, std::move(path), json::serialize(o));
    r.scoped = scoped;
    set_if_match(r, etag);
    return r;
}

std::uint64_t unsigned_of(const reader& r, std::string_view key) {
    auto n = r.integer(key);
    if (n < 0) r.wrong(key, "a non-negative number");
    return static_cast<std::uint64_t>(n);
}

}  // namespace

void check_storage_name(std::string_view what, std::string_view name) {
    std::string w(what);
    if (name.empty()) fail_invalid(w + " name is empty");
    if (name.find('/') != std::string_view::npos)
        fail_invalid(w + " name '" + std::string(name) + "': " + w + " names may not contain slashes");
    if (name == "." || name == "..") fail_invalid("invalid " + w + " name '" + std::string(name) + "'");
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f) fail_invalid(w + " names may not contain control characters");
}

// ---- pools ------------------------------------------------------------------------------

request storage_pool_list() { return unscoped(make_request(verb::get, "/1.0/storage-pools", {{"recursion", "1"}})); }

request storage_pool_names() { return unscoped(make_request(verb::get, "/1.0/storage-pools")); }

request storage_pool_get(std::string_view name) {
    check_pool(name);
    return unscoped(make_request(verb::get, pool_path(name)));
}

request storage_pool_create(const lxd::storage_pool_create& p) {
    check_pool(p.name);
    if (p.driver.empty()) fail_invalid("storage pool '" + p.name + "' needs a driver (dir, zfs, btrfs, lvm, ...)");
    check_config_keys(p.config);
    json::object body{{"name", p.name}, {"driver", p.driver}};
    if (!p.description.empty()) body["description"] = p.description;
    if (!p.config.empty()) body["config"] = encode_config(p.config);
    return unscoped(json_request(verb::post, "/1.0/storage-pools", json::serialize(body)));
}

request storage_pool_put(const api::storage_pool& data, std::string_view etag) {
    check_pool(data.name);
    return put_config(pool_path(data.name), data.config, data.description, etag, false);
}

request storage_pool_patch(std::string_view name, const lxd::storage_pool_patch& p, std::string_view etag) {
    check_pool(name);
    return patch_config(pool_path(name), p.config, p.description, etag, false);
}

request storage_pool_delete(std::string_view name) {
    check_pool(name);
    return unscoped(make_request(verb::delete_, pool_path(name)));
}

request storage_pool_resources(std::string_view name) {
    check_pool(name);
    return unscoped(make_request(verb::get, pool_path(name) + "/resources"));
}

// ---- volumes ----------------------------------------------------------------------------

request storage_volume_list(std::string_view pool) {
    check_pool(pool);
    return make_request(verb::get, pool_path(pool) + "/volumes", {{"recursion", "1"}});
}

request storage_volume_get(std::string_view pool, std::string_view name) {
    return make_request(verb::get, volume_path(pool, name));
}

request storage_volume_create(std::string_view pool, const lxd::storage_volume_create& v) {
    check_pool(pool);
    check_volume(v.name);
    check_config_keys(v.config);
    auto content = v.content_type.empty() ? std::string("filesystem") : v.content_type;
    if (content != "filesystem" && content != "block")
        fail_invalid("content type '" + v.content_type + "': must be filesystem or block");
    json::object body{{"name", v.name}, {"type", "custom"}, {"content_type", content}};
    if (!v.description.empty()) body["description"] = v.description;
    if (!v.config.empty()) body["config"] = encode_config(v.config);
    return json_request(verb::post, pool_path(pool) + "/volumes/custom", json::serialize(body));
}

request storage_volume_copy(std::string_view pool, const lxd::storage_volume_copy& c) {
    check_pool(pool);
    check_volume(c.name);
    auto source_pool = c.source_pool.empty() ? std::string(pool) : c.source_pool;
    check_pool(source_pool);
    auto slash = c.source.find('/');
    check_volume(c.source.substr(0, slash));
    if (slash != std::string::npos) check_snapshot_name(c.source.substr(slash + 1));
    check_config_keys(c.config);
    json::object source{{"type", "copy"}, {"pool", source_pool}, {"name", c.source}};
    if (!c.source_project.empty()) {
        check_project_name(c.source_project);
        source["project"] = c.source_project;
    }
    if (c.volume_only) source["volume_only"] = true;
    if (c.refresh) source["refresh"] = true;
    json::object body{{"name", c.name}, {"type", "custom"}, {"source", std::move(source)}};
    if (!c.description.empty()) body["description"] = c.description;
    if (!c.config.empty()) body["config"] = encode_config(c.config);
    return json_request(verb::post, pool_path(pool) + "/volumes/custom", json::serialize(body));
}

std::string storage_volume_path(std::string_view pool, std::string_view name) { return volume_path(pool, name); }

request storage_volume_import(std::string_view pool, std::string_view header_prefix, std::string_view name) {
    check_pool(pool);
    if (!name.empty()) check_volume(name);
    auto r = make_request(verb::post, pool_path(pool) + "/volumes/custom");
    r.content_type = "application/octet-stream";
    if (!name.empty()) r.headers.emplace_back(std::string(header_prefix) + "name", name);
    return r;
}

request storage_volume_migration_source(std::string_view pool, std::string_view name, bool volume_only,
                                        const json::object& target) {
    auto path = volume_path(pool, name);
    json::object body{{"name", name}, {"migration", true}};
    if (volume_only) body["volume_only"] = true;
    if (!target.empty()) body["target"] = target;
    return json_request(verb::post, std::move(path), json::serialize(body));
}

request storage_volume_migration_target(std::string_view pool, const api::storage_volume& src, std::string_view name,
                                        bool volume_only, json::object source) {
    check_pool(pool);
    check_volume(name);
    api::config_map config;
    for (auto& [k, v] : src.config)
        if (!k.starts_with("volatile.")) config.emplace(k, v);
    check_config_keys(config);
    source["type"] = "migration";
    if (volume_only) source["volume_only"] = true;
    auto content = src.content_type.empty() ? std::string("filesystem") : src.content_type;
    json::object body{{"name", name}, {"type", "custom"}, {"content_type", content}};
    if (!src.description.empty()) body["description"] = src.description;
    if (!config.empty()) body["config"] = encode_config(config);
    body["source"] = std::move(source);
    return json_request(verb::post, pool_path(pool) + "/volumes/custom", json::serialize(body));
}

request storage_volume_put(std::string_view pool, const api::storage_volume& data, std::string_view etag) {
    return put_config(volume_path(pool, data.name), data.config, data.description, etag, true);
}

request storage_volume_patch(std::string_view pool, std::string_view name, const lxd::storage_volume_patch& p,
                             std::string_view etag) {
    return patch_config(volume_path(pool, name), p.config, p.description, etag, true);
}

request storage_volume_rename(std::string_view pool, std::string_view name, std::string_view new_name,
                              std::string_view new_pool) {
    auto path = volume_path(pool, name);
    check_volume(new_name);
    json::object body{{"name", new_name}};
    if (!new_pool.empty()) {
        check_pool(new_pool);
        body["pool"] = new_pool;
    }
    return json_request(verb::post, std::move(path), json::serialize(body));
}

request storage_volume_delete(std::string_view pool, std::string_view name) {
    return make_request(verb::delete_, volume_path(pool, name));
}

request storage_volume_restore(std::string_view pool, std::string_view name, std::string_view snapshot) {
    auto path = volume_path(pool, name);
    check_snapshot_name(snapshot);
    return json_request(verb::put, std::move(path), json::serialize(json::object{{"restore", snapshot}}));
}

// ---- volume snapshots -------------------------------------------------------------------

request storage_volume_snapshot_list(std::string_view pool, std::string_view volume) {
    return make_request(verb::get, volume_path(pool, volume) + "/snapshots", {{"recursion", "1"}});
}

request storage_volume_snapshot_get(std::string_view pool, std::string_view volume, std::string_view name) {
    return make_request(verb::get, snapshot_path(pool, volume, name));
}

request storage_volume_snapshot_create(std::string_view pool, std::string_view volume, std::string_view name,
                                       std::string_view expires_at) {
    auto path = volume_path(pool, volume) + "/snapshots";
    check_snapshot_name(name);
    json::object body{{"name", name}};
    if (!expires_at.empty()) body["expires_at"] = expires_at;
    return json_request(verb::post, std::move(path), json::serialize(body));
}

request storage_volume_snapshot_rename(std::string_view pool, std::string_view volume, std::string_view name,
                                       std::string_view new_name) {
    auto path = snapshot_path(pool, volume, name);
    check_snapshot_name(new_name);
    return json_request(verb::post, std::move(path), json::serialize(json::object{{"name", new_name}}));
}

request storage_volume_snapshot_delete(std::string_view pool, std::string_view volume, std::string_view name) {
    return make_request(verb::delete_, snapshot_path(pool, volume, name));
}

// ---- decoders ---------------------------------------------------------------------------

api::storage_pool decode_storage_pool(const json::value& v, const std::string& rl) {
    reader r{as_object(v, rl, "storage pool"), rl};
    api::storage_pool p;
    p.name = r.str("name");
    p.driver = r.str("driver");
    p.description = r.str("description");
    p.status = r.str("status");
    p.config = r.string_map("config");
    p.locations = r.strings("locations");
    p.used_by = r.strings("used_by");
    p.raw_json = json::serialize(v);
    if (p.name.empty()) fail_protocol(rl, "storage pool without a name");
    return p;
}

api::storage_pool_resources decode_storage_pool_resources(const json::value& v, const std::string& rl) {
    reader r{as_object(v, rl, "storage pool resources"), rl};
    api::storage_pool_resources out;
    if (auto* space = r.object("space")) {
        reader s{*space, rl};
        out.space_used = unsigned_of(s, "used");
        out.space_total = unsigned_of(s, "total");
    }
    if (auto* inodes = r.object("inodes")) {
        reader s{*inodes, rl};
        out.inodes_used = unsigned_of(s, "used");
        out.inodes_total = unsigned_of(s, "total");
    }
    out.raw_json = json::serialize(v);
    return out;
}

api::storage_volume decode_storage_volume(const json::value& v, const std::string& rl) {
    reader r{as_object(v, rl, "storage volume"), rl};
    api::storage_volume vol;
    vol.name = r.str("name");
    vol.type = r.str("type");
    vol.description = r.str("description");
    vol.content_type = r.str("content_type");
    vol.location = r.str("location");
    vol.project = r.str("project");
    vol.config = r.string_map("config");
    vol.used_by = r.strings("used_by");
    vol.raw_json = json::serialize(v);
    if (vol.name.empty()) fail_protocol(rl, "storage volume without a name");
    return vol;
}

api::storage_volume_snapshot decode_storage_volume_snapshot(const json::value& v, const std::string& rl) {
    reader r{as_object(v, rl, "storage volume snapshot"), rl};
    api::storage_volume_snapshot s;
    s.name = r.str("name");
    if (auto slash = s.name.rfind('/'); slash != std::string::npos) s.name.erase(0, slash + 1);
    s.description = r.str("description");
    s.content_type = r.str("content_type");
    s.created_at = r.str("created_at");
    s.expires_at = r.str("expires_at");
    s.config = r.string_map("config");
    s.raw_json = json::serialize(v);
    if (s.name.empty()) fail_protocol(rl, "storage volume snapshot without a name");
    return s;
}

}  // namespace lxd::protocol
