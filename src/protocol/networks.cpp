#include "networks.hpp"

#include <algorithm>

#include "codecs.hpp"
#include "errors.hpp"
#include "json_reader.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace json = boost::json;

void check_network_name(std::string_view name) {
    auto quoted = "'" + std::string(name.substr(0, 80)) + "'";
    if (name.empty()) fail_invalid("network name is empty");
    if (name.size() > 15) fail_invalid("network name " + quoted + " is longer than 15 characters (an interface name)");
    if (name == "." || name == "..") fail_invalid("network name " + quoted + " is not allowed");
    bool bad = std::any_of(name.begin(), name.end(), [](char ch) {
        auto u = static_cast<unsigned char>(ch);
        return ch == '/' || ch == ':' || ch == ' ' || u < 0x20 || u == 0x7f;
    });
    if (bad) fail_invalid("network name " + quoted + " must not contain '/', ':', spaces or control characters");
}

request network_list() { return make_request(verb::get, "/1.0/networks", {{"recursion", "1"}}); }

request network_names() { return make_request(verb::get, "/1.0/networks"); }

request network_get(std::string_view name) {
    check_network_name(name);
    return make_request(verb::get, api_path({"networks", name}));
}

request network_create(const lxd::network_create& n) {
    check_network_name(n.name);
    check_config_keys(n.config);
    json::object body{{"name", n.name}};
    if (!n.type.empty()) body["type"] = n.type;
    if (!n.description.empty()) body["description"] = n.description;
    if (!n.config.empty()) body["config"] = encode_config(n.config);
    return json_request(verb::post, "/1.0/networks", json::serialize(body));
}

request network_put(const api::network& data, std::string_view etag) {
    check_network_name(data.name);
    check_config_keys(data.config);
    // A network's writable fields are just these two (the rest is the server's to say).
    json::object o{{"config", encode_config(data.config)}, {"description", data.description}};
    auto r = json_request(verb::put, api_path({"networks", data.name}), json::serialize(o));
    set_if_match(r, etag);
    return r;
}

request network_patch(std::string_view name, const lxd::network_patch& p, std::string_view etag) {
    check_network_name(name);
    json::object o;
    if (p.config) {
        check_config_keys(*p.config);
        o["config"] = encode_config(*p.config);
    }
    if (p.description) o["description"] = *p.description;
    if (o.empty()) fail_invalid("patch with no fields");
    auto r = json_request(verb::patch, api_path({"networks", name}), json::serialize(o));
    set_if_match(r, etag);
    return r;
}

request network_rename(std::string_view name, std::string_view new_name) {
    check_network_name(name);
    check_network_name(new_name);
    return json_request(verb::post, api_path({"networks", name}), json::serialize(json::object{{"name", new_name}}));
}

request network_delete(std::string_view name) {
    check_network_name(name);
    return make_request(verb::delete_, api_path({"networks", name}));
}

request network_leases(std::string_view name) {
    check_network_name(name);
    return make_request(verb::get, api_path({"networks", name, "leases"}));
}

request network_state_get(std::string_view name) {
    check_network_name(name);
    return make_request(verb::get, api_path({"networks", name, "state"}));
}

api::network decode_network(const json::value& v, const std::string& rl) {
    reader r{as_object(v, rl, "network"), rl};
    api::network n;
    n.name = r.str("name");
    n.type = r.str("type");
    n.description = r.str("description");
    n.config = r.string_map("config");
    n.managed = r.boolean("managed");
    n.status = r.str("status");
    n.used_by = r.strings("used_by");
    n.locations = r.strings("locations");
    n.project = r.str("project");
    n.raw_json = json::serialize(v);
    if (n.name.empty()) fail_protocol(rl, "network without a name");
    return n;
}

api::network_lease decode_network_lease(const json::value& v, const std::string& rl) {
    reader r{as_object(v, rl, "network lease"), rl};
    return {r.str("hostname"), r.str("hwaddr"), r.str("address"), r.str("type"), r.str("location"), r.str("project")};
}

api::network_state decode_network_state(const json::value& v, const std::string& rl) {
    api::network_state st;
    static_cast<api::network_interface&>(st) = decode_network_interface(as_object(v, rl, "network state"), rl);
    st.raw_json = json::serialize(v);
    return st;
}

}  // namespace lxd::protocol
