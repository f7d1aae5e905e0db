#include "migration.hpp"

#include "codecs.hpp"
#include "errors.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace json = boost::json;

request migration_target(std::string_view collection, const api::instance& src, std::string_view name,
                         const migrate_options& o, json::object source) {
    check_instance_name(name);
    api::config_map config;
    for (auto& [k, v] : src.config)
        if (k.rfind("volatile.", 0) != 0 || k == "volatile.base_image") config.emplace(k, v);
    json::object body{{"name", std::string(name)},
                      {"type", to_string(src.type)},
                      {"architecture", src.architecture},
                      {"config", encode_config(config)},
                      {"devices", encode_devices(src.devices)},
                      {"profiles", encode_strings(src.profiles)},
                      {"ephemeral", src.ephemeral},
                      {"description", src.description}};
    if (!source.contains("type")) source["type"] = "migration";
    source["live"] = o.live;
    source["instance_only"] = o.instance_only;
    source["container_only"] = o.instance_only;
    if (auto it = src.config.find("volatile.base_image"); it != src.config.end()) source["base-image"] = it->second;
    body["source"] = std::move(source);
    return json_request(verb::post, api_path({collection}), json::serialize(body));
}

request migration_source(std::string_view collection, std::string_view name, const migrate_options& o,
                         const json::object& extra) {
    json::object body{{"migration", true}, {"live", o.live}, {"instance_only", o.instance_only}, {"container_only", o.instance_only}};
    for (auto& kv : extra) body[kv.key()] = kv.value();
    return json_request(verb::post, api_path({collection, name}), json::serialize(body));
}

request migration_member_move(std::string_view collection, std::string_view name, std::string_view new_name) {
    check_instance_name(new_name);
    return json_request(verb::post, api_path({collection, name}), json::serialize(json::object{{"name", std::string(new_name)}, {"migration", true}}));
}

json::object migration_secrets(const envelope& answer, const std::string& request_line) {
    if (!answer.metadata.is_object()) fail_protocol(request_line, "migration without an operation");
    auto& op = answer.metadata.get_object();
    auto it = op.find("metadata");
    if (it == op.end() || !it->value().is_object()) fail_protocol(request_line, "migration operation without websocket secrets");
    json::object out;
    for (auto& kv : it->value().get_object())
        if (kv.value().is_string()) out[kv.key()] = kv.value();
    if (!out.contains("control") || !out.contains("fs")) fail_protocol(request_line, "migration secrets lack control or fs");
    return out;
}

}  // namespace lxd::protocol
