#include "instances.hpp"

#include "codecs.hpp"
#include "errors.hpp"
#include "json_reader.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace json = boost::json;

std::string instance_path(std::string_view collection, std::string_view name, std::string_view sub) {
    return sub.empty() ? api_path({collection, name}) : api_path({collection, name, sub});
}

request instance_list(std::string_view collection, std::optional<api::instance_type> type, const list_options& o) {
    auto r = make_request(verb::get, api_path({collection}));
    std::string recursion = o.with_state ? "2" : "1";
    if (o.with_state && !o.fields.empty()) {
        std::string f;
        for (auto& s : o.fields) f += (f.empty() ? "" : ",") + s;
        recursion += ";fields=" + f;
    }
    r.query.emplace_back("recursion", recursion);
    if (type) r.query.emplace_back("instance-type", to_string(*type));
    if (o.all_projects) r.query.emplace_back("all-projects", "true");
    if (!o.filter.empty()) r.query.emplace_back("filter", o.filter);
    return r;
}

request instance_names(std::string_view collection, std::optional<api::instance_type> type) {
    auto r = make_request(verb::get, api_path({collection}));
    if (type) r.query.emplace_back("instance-type", to_string(*type));
    return r;
}

request instance_get(std::string_view collection, std::string_view name) {
    check_instance_name(name);
    return make_request(verb::get, instance_path(collection, name));
}

json::object instance_source_json(const instance_source& s) {
    json::object o;
    switch (s.type) {
        case instance_source::kind::none:
            o["type"] = "none";
            break;
        case instance_source::kind::image: {
            o["type"] = "image";
            int given = !s.alias.empty() + !s.fingerprint.empty() + !s.properties.empty();
            if (given != 1) fail_invalid("an image source needs exactly one of alias, fingerprint, properties");
            if (!s.alias.empty()) o["alias"] = s.alias;
            if (!s.fingerprint.empty()) o["fingerprint"] = s.fingerprint;
            if (!s.properties.empty()) o["properties"] = encode_config(s.properties);
            if (!s.server.empty()) {
                o["server"] = s.server;
                o["protocol"] = s.protocol.empty() ? "lxd" : s.protocol;
                o["mode"] = "pull";
                if (!s.secret.empty()) o["secret"] = s.secret;
                if (!s.certificate.empty()) o["certificate"] = s.certificate;
            }
            break;
        }
        case instance_source::kind::copy: {
            check_instance_or_snapshot(s.source_name);
            o["type"] = "copy";
            o["source"] = s.source_name;
            if (s.instance_only) o["instance_only"] = true;
            break;
        }
    }
    return o;
}

void check_instance_create(const lxd::instance_create& c) {
    check_instance_name(c.name);
    (void)instance_source_json(c.source);
}

request instance_create(std::string_view collection, std::optional<api::instance_type> type, const lxd::instance_create& c) {
    check_instance_name(c.name);
    json::object body{{"name", c.name}, {"source", instance_source_json(c.source)}};
    if (c.profiles) body["profiles"] = encode_strings(*c.profiles);
    if (!c.config.empty()) body["config"] = encode_config(c.config);
    if (!c.devices.empty()) body["devices"] = encode_devices(c.devices);
    if (c.ephemeral) body["ephemeral"] = true;
    if (!c.description.empty()) body["description"] = c.description;
    if (auto t = c.type ? c.type : type) body["type"] = to_string(*t);
    return json_request(verb::post, api_path({collection}), json::serialize(body));
}

request instance_put(std::string_view collection, const api::instance& data, std::string_view etag) {
    // Start from what the server sent, so fields this library does not know go back as
    // they came; overlay the editable fields.
    auto o = stored_object(data.raw_json, "instance");
    o["config"] = encode_config(data.config);
    o["devices"] = encode_devices(data.devices);
    o["profiles"] = encode_strings(data.profiles);
    o["description"] = data.description;
    o["ephemeral"] = data.ephemeral;
    // Read-only and derived fields are not ours to send.
    for (auto key : {"expanded_config", "expanded_devices", "status", "status_code", "state", "snapshots", "backups"})
        o.erase(key);
    auto r = json_request(verb::put, instance_path(collection, data.name), json::serialize(o));
    set_if_match(r, etag);
    return r;
}

request instance_patch(std::string_view collection, std::string_view name, const lxd::instance_patch& p,
                       std::string_view etag) {
    json::object o;
    if (p.config) o["config"] = encode_config(*p.config);
    if (p.devices) o["devices"] = encode_devices(*p.devices);
    if (p.profiles) o["profiles"] = encode_strings(*p.profiles);
    if (p.description) o["description"] = *p.description;
    if (p.ephemeral) o["ephemeral"] = *p.ephemeral;
    if (o.empty()) fail_invalid("patch with no fields");
    auto r = make_request(verb::patch, instance_path(collection, name));
    r.body = json::serialize(o);
    set_if_match(r, etag);
    return r;
}

request instance_delete(std::string_view collection, std::string_view name) {
    return make_request(verb::delete_, instance_path(collection, name));
}

request instance_rename(std::string_view collection, std::string_view name, std::string_view new_name) {
    check_instance_name(new_name);
    return json_request(verb::post, instance_path(collection, name), json::serialize(json::object{{"name", std::string(new_name)}}));
}

request instance_state_get(std::string_view collection, std::string_view name) {
    return make_request(verb::get, instance_path(collection, name, "state"));
}

request instance_state_put(std::string_view collection, std::string_view name, std::string_view action,
                           const state_options& o) {
    json::object body{{"action", std::string(action)},
                      {"timeout", o.timeout ? static_cast<std::int64_t>(o.timeout->count()) : std::int64_t{-1}},
                      {"force", o.force},
                      {"stateful", o.stateful}};
    return json_request(verb::put, instance_path(collection, name, "state"), json::serialize(body));
}

}  // namespace lxd::protocol
