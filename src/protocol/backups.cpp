#include "backups.hpp"

#include <boost/json.hpp>

#include "errors.hpp"
#include "json_reader.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace {
std::string backup_path(std::string_view instance_path, std::string_view name) {
    check_backup_name(name);
    return std::string(instance_path) + "/backups/" + escape_segment(name);
}
}  // namespace

void check_backup_name(std::string_view name) {
    if (name.empty()) fail(errc::invalid_argument, "a backup name must not be empty");
    if (name.size() > 255) fail(errc::invalid_argument, "a backup name must be at most 255 bytes");
    if (name == "." || name == "..") fail(errc::invalid_argument, "a backup name must not be '.' or '..'");
    for (unsigned char ch : name) {
        if (ch == '/') fail(errc::invalid_argument, "a backup name must not contain '/': " + std::string(name));
        if (ch < 0x20 || ch == 0x7f) fail(errc::invalid_argument, "a backup name must not contain control characters");
    }
}

api::backup decode_backup(const json::value& v, const std::string& rl) {
    if (!v.is_object()) fail_protocol(rl, "backup is not an object");
    reader r{v.get_object(), rl};
    api::backup b;
    b.name = r.str("name");
    if (auto slash = b.name.rfind('/'); slash != std::string::npos) b.name = b.name.substr(slash + 1);
    if (b.name.empty()) fail_protocol(rl, "backup without a name");
    b.created_at = r.str("created_at");
    b.expires_at = r.str("expires_at");
    // LXD 5.0 spells it "instance_only"; the older "container_only" is read too.
    // A custom volume's backup has "volume_only" instead.
    b.instance_only = r.find("instance_only") ? r.boolean("instance_only")
                      : r.find("volume_only") ? r.boolean("volume_only")
                                              : r.boolean("container_only");
    b.optimized_storage = r.boolean("optimized_storage");
    b.raw_json = json::serialize(v);
    return b;
}

request backup_list(std::string_view instance_path) {
    return make_request(verb::get, std::string(instance_path) + "/backups", {{"recursion", "1"}});
}

request backup_get(std::string_view instance_path, std::string_view name) {
    return make_request(verb::get, backup_path(instance_path, name));
}

request backup_create(std::string_view instance_path, const backup_create_body& b) {
    if (!b.name.empty()) check_backup_name(b.name);
    // The backups of a custom volume (/1.0/storage-pools/...) take "volume_only".
    const char* only = instance_path.starts_with("/1.0/storage-pools/") ? "volume_only" : "instance_only";
    json::object body{{"name", b.name}, {only, b.instance_only}, {"optimized_storage", b.optimized_storage}};
    if (!b.expires_at.empty()) body["expires_at"] = b.expires_at;
    if (!b.compression_algorithm.empty()) body["compression_algorithm"] = b.compression_algorithm;
    return json_request(verb::post, std::string(instance_path) + "/backups", json::serialize(body));
}

request backup_rename(std::string_view instance_path, std::string_view name, std::string_view new_name) {
    check_backup_name(new_name);
    return json_request(verb::post, backup_path(instance_path, name), json::serialize(json::object{{"name", std::string(new_name)}}));
}

request backup_delete(std::string_view instance_path, std::string_view name) {
    return make_request(verb::delete_, backup_path(instance_path, name));
}

request backup_export(std::string_view instance_path, std::string_view name) {
    return make_request(verb::get, backup_path(instance_path, name) + "/export");
}

request backup_import(std::string_view collection, std::string_view header_prefix, std::string_view name,
                      std::string_view pool) {
    if (!name.empty()) check_instance_name(name);
    auto r = make_request(verb::post, "/1.0/" + std::string(collection));
    r.content_type = "application/octet-stream";
    std::string pre(header_prefix);
    if (!name.empty()) r.headers.emplace_back(pre + "name", name);
    if (!pool.empty()) r.headers.emplace_back(pre + "pool", pool);
    return r;
}

}  // namespace lxd::protocol

namespace lxd::protocol {
std::string decode_backup_name(const std::map<std::string, std::vector<std::string>>& resources, std::string_view operation_id) {
    auto it = resources.find("backups");
    if (it == resources.end() || it->second.empty() || last_segment(it->second.front()).empty())
        fail(errc::protocol_error, "operation " + std::string(operation_id) + " names no backup in its resources");
    return last_segment(it->second.front());
}
}  // namespace lxd::protocol
