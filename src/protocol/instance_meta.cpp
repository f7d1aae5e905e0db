#include "instance_meta.hpp"

#include "codecs.hpp"
#include "errors.hpp"
#include "instances.hpp"
#include "json_reader.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace json = boost::json;

namespace {

std::string sub_path(std::string_view collection, std::string_view name, std::string_view sub) {
    check_instance_name(name);
    return instance_path(collection, name, sub);
}

std::string templates_path(std::string_view collection, std::string_view name) {
    check_instance_name(name);
    return api_path({collection, name, "metadata", "templates"});
}

json::object encode_trigger(const api::template_trigger& t, json::object o) {
    json::array when;
    for (auto& w : t.when) when.emplace_back(w);
    o["when"] = std::move(when);
    o["create_only"] = t.create_only;
    o["template"] = t.template_name;
    o["properties"] = encode_config(t.properties);
    return o;
}

}  // namespace

request console_log_get(std::string_view collection, std::string_view name) {
    return make_request(verb::get, sub_path(collection, name, "console"));
}

request console_log_delete(std::string_view collection, std::string_view name) {
    return make_request(verb::delete_, sub_path(collection, name, "console"));
}

void check_log_name(std::string_view file) {
    if (file.empty()) fail_invalid("log file name is empty");
    if (file == "." || file == ".." || file.find('/') != std::string_view::npos)
        fail_invalid("log file name '" + std::string(file.substr(0, 80)) + "' must be a plain file name (no '/')");
}

request instance_logs_list(std::string_view collection, std::string_view name) {
    return make_request(verb::get, sub_path(collection, name, "logs"));
}

request instance_log_get(std::string_view collection, std::string_view name, std::string_view file) {
    check_instance_name(name);
    check_log_name(file);
    return make_request(verb::get, api_path({collection, name, "logs", file}));
}

request metadata_get(std::string_view collection, std::string_view name) {
    return make_request(verb::get, sub_path(collection, name, "metadata"));
}

request metadata_put(std::string_view collection, std::string_view name, const api::instance_metadata& m) {
    json::object o;
    if (!m.raw_json.empty()) o = stored_object(m.raw_json, "metadata");
    o["architecture"] = m.architecture;
    o["creation_date"] = m.creation_date;
    o["expiry_date"] = m.expiry_date;
    o["properties"] = encode_config(m.properties);
    json::object templates;
    const json::object* old = o.contains("templates") && o["templates"].is_object() ? &o["templates"].get_object() : nullptr;
    for (auto& [path, t] : m.templates) {
        json::object base;
        if (old)
            if (auto* prev = old->if_contains(path); prev && prev->is_object()) base = prev->get_object();
        templates[path] = encode_trigger(t, std::move(base));
    }
    o["templates"] = std::move(templates);
    return json_request(verb::put, sub_path(collection, name, "metadata"), json::serialize(o));
}

void check_template_name(std::string_view file) {
    if (file.empty()) fail_invalid("template name is empty");
    if (file == "." || file == ".." || file.find_first_of(std::string_view("/\0\r\n", 4)) != std::string_view::npos)
        fail_invalid("template name '" + std::string(file.substr(0, 80)) + "' must be a plain file name (no '/', NUL or newline)");
}

request templates_list(std::string_view collection, std::string_view name) {
    return make_request(verb::get, templates_path(collection, name));
}

request template_get(std::string_view collection, std::string_view name, std::string_view file) {
    check_template_name(file);
    return make_request(verb::get, templates_path(collection, name), {{"path", std::string(file)}});
}

request template_put(std::string_view collection, std::string_view name, std::string_view file, std::string content) {
    check_template_name(file);
    auto r = make_request(verb::post, templates_path(collection, name), {{"path", std::string(file)}});
    r.body = std::move(content);
    r.content_type = "application/octet-stream";
    return r;
}

request template_delete(std::string_view collection, std::string_view name, std::string_view file) {
    check_template_name(file);
    return make_request(verb::delete_, templates_path(collection, name), {{"path", std::string(file)}});
}

api::instance_metadata decode_instance_metadata(const json::value& v, const std::string& rl) {
    reader r{as_object(v, rl, "instance metadata"), rl};
    api::instance_metadata m;
    m.architecture = r.str("architecture");
    m.creation_date = r.integer("creation_date");
    m.expiry_date = r.integer("expiry_date");
    m.properties = r.string_map("properties");
    if (auto* t = r.object("templates"))
        for (auto& kv : *t) {
            reader tr{as_object(kv.value(), rl, "template entry"), rl};
            m.templates[std::string(kv.key())] = {tr.strings("when"), tr.boolean("create_only"), tr.str("template"),
                                                  tr.string_map("properties")};
        }
    m.raw_json = json::serialize(v);
    return m;
}

}  // namespace lxd::protocol
