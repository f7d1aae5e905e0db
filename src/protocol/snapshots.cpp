#include "snapshots.hpp"

#include <boost/json.hpp>

#include "validation.hpp"

namespace lxd::protocol {

namespace json = boost::json;

namespace {
std::string snapshot_path(std::string_view instance_path, std::string_view name) {
    return std::string(instance_path) + "/snapshots/" + escape_segment(name);
}
}  // namespace

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
