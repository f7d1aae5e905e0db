#include "profiles.hpp"

#include "codecs.hpp"
#include "errors.hpp"
#include "json_reader.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace json = boost::json;

namespace {

void check_devices(const api::device_map& devices) {
    for (auto& [name, dev] : devices) {
        check_device_name(name);
        for (auto& [k, v] : dev) check_config_key(k);
    }
}

}  // namespace

// ---- profiles ---------------------------------------------------------------------------

request profile_list() { return make_request(verb::get, "/1.0/profiles", {{"recursion", "1"}}); }

request profile_names() { return make_request(verb::get, "/1.0/profiles"); }

request profile_get(std::string_view name) {
    check_profile_name(name);
    return make_request(verb::get, api_path({"profiles", name}));
}

request profile_create(const lxd::profile_create& p) {
    check_profile_name(p.name);
    check_config_keys(p.config);
    check_devices(p.devices);
    json::object body{{"name", p.name}};
    if (!p.description.empty()) body["description"] = p.description;
    if (!p.config.empty()) body["config"] = encode_config(p.config);
    if (!p.devices.empty()) body["devices"] = encode_devices(p.devices);
    return json_request(verb::post, "/1.0/profiles", json::serialize(body));
}

request profile_put(const api::profile& data, std::string_view etag) {
    check_profile_name(data.name);
    check_config_keys(data.config);
    check_devices(data.devices);
    // What the server sent, so fields this library does not know go back as they came.
    // In the server's order, without the read-only fields; the editable ones overlaid.
    json::object o;
    if (!data.raw_json.empty())
        for (auto& kv : stored_object(data.raw_json, "profile"))
            if (kv.key() != "name" && kv.key() != "used_by" && kv.key() != "project") o[kv.key()] = kv.value();
    o["config"] = encode_config(data.config);
    o["devices"] = encode_devices(data.devices);
    o["description"] = data.description;
    auto r = json_request(verb::put, api_path({"profiles", data.name}), json::serialize(o));
    set_if_match(r, etag);
    return r;
}

request profile_patch(std::string_view name, const lxd::profile_patch& p, std::string_view etag) {
    check_profile_name(name);
    json::object o;
    if (p.config) {
        check_config_keys(*p.config);
        o["config"] = encode_config(*p.config);
    }
    if (p.devices) {
        check_devices(*p.devices);
        o["devices"] = encode_devices(*p.devices);
    }
    if (p.description) o["description"] = *p.description;
    if (o.empty()) fail_invalid("patch with no fields");
    auto r = json_request(verb::patch, api_path({"profiles", name}), json::serialize(o));
    set_if_match(r, etag);
    return r;
}

request profile_rename(std::string_view name, std::string_view new_name) {
    check_profile_name(name);
    check_profile_name(new_name);
    return json_request(verb::post, api_path({"profiles", name}), json::serialize(json::object{{"name", new_name}}));
}

request profile_delete(std::string_view name) {
    check_profile_name(name);
    return make_request(verb::delete_, api_path({"profiles", name}));
}

// ---- projects ---------------------------------------------------------------------------

request project_list() { return unscoped(make_request(verb::get, "/1.0/projects", {{"recursion", "1"}})); }

request project_names() { return unscoped(make_request(verb::get, "/1.0/projects")); }

request project_get(std::string_view name) {
    check_project_name(name);
    return unscoped(make_request(verb::get, api_path({"projects", name})));
}

request project_create(const lxd::project_create& p) {
    check_project_name(p.name);
    check_config_keys(p.config);
    json::object body{{"name", p.name}};
    if (!p.description.empty()) body["description"] = p.description;
    if (!p.config.empty()) body["config"] = encode_config(p.config);
    return unscoped(json_request(verb::post, "/1.0/projects", json::serialize(body)));
}

request project_put(const api::project& data, std::string_view etag) {
    check_project_name(data.name);
    check_config_keys(data.config);
    json::object o{{"config", encode_config(data.config)}, {"description", data.description}};
    auto r = unscoped(json_request(verb::put, api_path({"projects", data.name}), json::serialize(o)));
    set_if_match(r, etag);
    return r;
}

request project_rename(std::string_view name, std::string_view new_name) {
    check_project_name(name);
    check_project_name(new_name);
    return unscoped(json_request(verb::post, api_path({"projects", name}), json::serialize(json::object{{"name", new_name}})));
}

request project_delete(std::string_view name) {
    check_project_name(name);
    return unscoped(make_request(verb::delete_, api_path({"projects", name})));
}

request project_state_get(std::string_view name) {
    check_project_name(name);
    return unscoped(make_request(verb::get, api_path({"projects", name, "state"})));
}

// ---- decoders ---------------------------------------------------------------------------

api::profile decode_profile(const json::value& v, const std::string& rl) {
    reader r{as_object(v, rl, "profile"), rl};
    api::profile p;
    p.name = r.str("name");
    p.description = r.str("description");
    p.config = r.string_map("config");
    p.devices = r.devices("devices");
    p.used_by = r.strings("used_by");
    p.project = r.str("project");
    p.raw_json = json::serialize(v);
    if (p.name.empty()) fail_protocol(rl, "profile without a name");
    return p;
}

api::project decode_project(const json::value& v, const std::string& rl) {
    reader r{as_object(v, rl, "project"), rl};
    api::project p;
    p.name = r.str("name");
    p.description = r.str("description");
    p.config = r.string_map("config");
    p.used_by = r.strings("used_by");
    p.raw_json = json::serialize(v);
    if (p.name.empty()) fail_protocol(rl, "project without a name");
    return p;
}

api::project_state decode_project_state(const json::value& v, const std::string& rl) {
    reader r{as_object(v, rl, "project state"), rl};
    api::project_state st;
    if (auto* res = r.find("resources")) {
        if (!res->is_object()) r.wrong("resources", "an object");
        for (auto& kv : res->get_object()) {
            reader one{as_object(kv.value(), rl, "project resource"), rl};
            st.resources[std::string(kv.key())] = {one.find("Limit") ? one.integer("Limit") : -1, one.integer("Usage")};
        }
    }
    st.raw_json = json::serialize(v);
    return st;
}

}  // namespace lxd::protocol
