#include "snapshots.hpp"

#include <boost/json.hpp>

#include "errors.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace json = boost::json;

namespace {
std::string snapshot_path(std::string_view instance_path, std::string_view name) {
    return std::string(instance_path) + "/snapshots/" + escape_segment(name);
}
}  // namespace

api::snapshot decode_snapshot(const json::value& v, const std::string& rl) {
    if (!v.is_object()) fail_protocol(rl, "snapshot is not an object");
    auto& o = v.get_object();
    auto str = [&](const char* k) -> std::string {
        auto it = o.find(k);
        if (it == o.end() || it->value().is_null()) return {};
        if (!it->value().is_string()) fail_protocol(rl, std::string("snapshot field '") + k + "' is not a string");
        return std::string(it->value().get_string());
    };
    api::snapshot s;
    s.name = str("name");
    if (auto slash = s.name.rfind('/'); slash != std::string::npos) s.name = s.name.substr(slash + 1);
    if (s.name.empty()) fail_protocol(rl, "snapshot without a name");
    if (auto it = o.find("stateful"); it != o.end() && it->value().is_bool()) s.stateful = it->value().get_bool();
    if (auto it = o.find("size"); it != o.end() && it->value().is_number()) s.size = it->value().to_number<std::int64_t>();
    if (auto it = o.find("config"); it != o.end() && it->value().is_object())
        for (auto& kv : it->value().get_object())
            s.config.emplace(kv.key(), kv.value().is_string() ? std::string(kv.value().get_string()) : json::serialize(kv.value()));
    s.created_at = str("created_at");
    s.expires_at = str("expires_at");
    s.description = str("description");
    s.raw_json = json::serialize(v);
    return s;
}

request snapshot_list(std::string_view instance_path) {
    return make_request(verb::get, std::string(instance_path) + "/snapshots", {{"recursion", "1"}});
}

request snapshot_get(std::string_view instance_path, std::string_view name) {
    check_snapshot_name(name);
    return make_request(verb::get, snapshot_path(instance_path, name));
}

request snapshot_create(std::string_view instance_path, std::string_view name, bool stateful, std::string_view expires_at) {
    check_snapshot_name(name);
    json::object body{{"name", std::string(name)}, {"stateful", stateful}};
    if (!expires_at.empty()) body["expires_at"] = expires_at;
    return json_request(verb::post, std::string(instance_path) + "/snapshots", json::serialize(body));
}

request snapshot_rename(std::string_view instance_path, std::string_view name, std::string_view new_name) {
    check_snapshot_name(new_name);
    return json_request(verb::post, snapshot_path(instance_path, name), json::serialize(json::object{{"name", std::string(new_name)}}));
}

request snapshot_delete(std::string_view instance_path, std::string_view name) {
    return make_request(verb::delete_, snapshot_path(instance_path, name));
}

request snapshot_restore(std::string_view instance_path, std::string_view name, bool stateful) {
    return json_request(verb::put, std::string(instance_path), json::serialize(json::object{{"restore", std::string(name)}, {"stateful", stateful}}));
}

request snapshot_set_expiry(std::string_view instance_path, std::string_view name, std::string_view rfc3339) {
    return json_request(verb::put, snapshot_path(instance_path, name), json::serialize(
        json::object{{"expires_at", rfc3339.empty() ? std::string("0001-01-01T00:00:00Z") : std::string(rfc3339)}}));
}

}  // namespace lxd::protocol
