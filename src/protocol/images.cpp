#include "images.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "codecs.hpp"
#include "errors.hpp"
#include "json_reader.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace json = boost::json;

namespace {

std::string image_path(std::string_view fp, std::string_view sub = {}) {
    return sub.empty() ? api_path({"images", fp}) : api_path({"images", fp, sub});
}
std::string alias_path(std::string_view name) { return api_path({"images", "aliases", name}); }

std::string encode_properties(const api::config_map& m) {
    std::string out;
    for (auto& [k, v] : m) {
        if (!out.empty()) out += '&';
        out += escape_query(k) + "=" + escape_query(v);
    }
    return out;
}

request with_body(request r, const json::value& body) {
    r.body = json::serialize(body);
    return r;
}

}  // namespace

request image_list() { return make_request(verb::get, "/1.0/images", {{"recursion", "1"}}); }
request image_fingerprints() { return make_request(verb::get, "/1.0/images"); }

request image_get(std::string_view fingerprint) {
    check_fingerprint(fingerprint);
    return make_request(verb::get, image_path(fingerprint));
}

request image_delete(std::string_view fingerprint) {
    check_fingerprint(fingerprint);
    return make_request(verb::delete_, image_path(fingerprint));
}

request image_put(const api::image& data, std::string_view etag) {
    check_fingerprint(data.fingerprint);
    // What the server sent, so fields this library does not know go back as they came; in
    // the server's order, without the read-only fields; the editable ones overlaid.
    static constexpr std::string_view read_only[] = {"aliases",    "architecture", "cached",      "created_at",
                                                     "filename",   "fingerprint",  "last_used_at", "project",
                                                     "size",       "type",         "update_source", "uploaded_at"};
    json::object o;
    if (!data.raw_json.empty())
        for (auto& kv : stored_object(data.raw_json, "image"))
            if (std::find(std::begin(read_only), std::end(read_only), kv.key()) == std::end(read_only)) o[kv.key()] = kv.value();
    o["public"] = data.is_public;
    o["auto_update"] = data.auto_update;
    o["properties"] = encode_config(data.properties);
    if (!data.expires_at.empty()) o["expires_at"] = data.expires_at;
    o["profiles"] = encode_strings(data.profiles);
    auto r = with_body(make_request(verb::put, image_path(data.fingerprint)), o);
    set_if_match(r, etag);
    return r;
}

request image_patch(std::string_view fingerprint, const lxd::image_patch& p, std::string_view etag) {
    check_fingerprint(fingerprint);
    json::object body;
    if (p.is_public) body["public"] = *p.is_public;
    if (p.auto_update) body["auto_update"] = *p.auto_update;
    if (p.properties) body["properties"] = encode_config(*p.properties);
    if (body.empty()) fail_invalid("patch with no fields");
    auto r = with_body(make_request(verb::patch, image_path(fingerprint)), body);
    set_if_match(r, etag);
    return r;
}

request image_export(std::string_view fingerprint) {
    check_fingerprint(fingerprint);
    return make_request(verb::get, image_path(fingerprint, "export"));
}

request image_secret(std::string_view fingerprint) {
    check_fingerprint(fingerprint);
    auto r = make_request(verb::post, image_path(fingerprint, "secret"));
    r.body = "{}";
    return r;
}

request image_upload(std::string_view header_prefix, std::string content_type, std::string_view fingerprint,
                     std::string_view filename, bool is_public, const api::config_map& properties) {
    auto r = make_request(verb::post, "/1.0/images");
    r.content_type = std::move(content_type);
    std::string pre(header_prefix);
    r.headers.emplace_back(pre + "fingerprint", fingerprint);
    r.headers.emplace_back(pre + "filename", filename);
    if (is_public) r.headers.emplace_back(pre + "public", "1");
    if (!properties.empty()) r.headers.emplace_back(pre + "properties", encode_properties(properties));
    return r;
}

request image_publish(std::string_view source, const lxd::image_publish& o) {
    check_instance_or_snapshot(source);
    for (auto& a : o.aliases) check_alias_name(a);
    bool snapshot = source.find('/') != std::string_view::npos;
    json::object body{{"source", json::object{{"type", snapshot ? "snapshot" : "instance"}, {"name", std::string(source)}}},
                      {"public", o.is_public}};
    if (!o.aliases.empty()) {
        json::array a;
        for (auto& al : o.aliases) a.push_back(json::object{{"name", al}});
        body["aliases"] = a;
    }
    if (!o.properties.empty()) body["properties"] = encode_config(o.properties);
    if (!o.compression_algorithm.empty()) body["compression_algorithm"] = o.compression_algorithm;
    if (!o.expires_at.empty()) body["expires_at"] = o.expires_at;
    return with_body(make_request(verb::post, "/1.0/images"), body);
}

namespace {

json::array alias_objects(const std::vector<std::string>& aliases) {
    json::array a;
    for (auto& al : aliases) {
        check_alias_name(al);
        a.push_back(json::object{{"name", al}});
    }
    return a;
}

void check_transfer(const image_transfer& t) {
    if (t.fingerprint.size() != 64 || t.fingerprint.find_first_not_of("0123456789abcdef") != std::string::npos)
        fail(errc::invalid_argument, "an image copy needs the whole fingerprint (64 hex digits), got '" + t.fingerprint + "'");
}

void check_https_url(std::string_view url) {
    if (!url.starts_with("https://") || url.size() == 8 || url.find_first_of(" \r\n") != std::string_view::npos)
        fail(errc::invalid_argument, "a server address must be https://HOST:PORT, got '" + std::string(url) + "'");
}

json::object transfer_body(const image_transfer& t, json::object source) {
    json::object body{{"source", std::move(source)}, {"public", t.is_public}, {"auto_update", t.auto_update}};
    if (!t.aliases.empty()) body["aliases"] = alias_objects(t.aliases);
    return body;
}

}  // namespace

request image_copy_pull(const image_transfer& t, std::string_view server, std::string_view certificate,
                        std::string_view secret) {
    check_transfer(t);
    check_https_url(server);
    json::object src{{"type", "image"}, {"mode", "pull"}, {"server", std::string(server)}, {"protocol", "lxd"},
                     {"certificate", std::string(certificate)}, {"fingerprint", t.fingerprint}};
    if (!secret.empty()) src["secret"] = std::string(secret);
    return with_body(make_request(verb::post, "/1.0/images"), transfer_body(t, std::move(src)));
}

request image_push_token(const image_transfer& t) {
    check_transfer(t);
    return with_body(make_request(verb::post, "/1.0/images"),
                     transfer_body(t, json::object{{"type", "image"}, {"mode", "push"}, {"fingerprint", t.fingerprint}}));
}

request image_push_export(const image_transfer& t, std::string_view target, std::string_view certificate,
                          std::string_view secret) {
    check_transfer(t);
    check_https_url(target);
    if (secret.empty()) fail(errc::invalid_argument, "an image push needs the target's secret");
    json::object body{{"target", std::string(target)}, {"certificate", std::string(certificate)}, {"secret", std::string(secret)}};
    if (!t.aliases.empty()) body["aliases"] = alias_objects(t.aliases);
    return with_body(make_request(verb::post, image_path(t.fingerprint, "export")), body);
}

request alias_list() { return make_request(verb::get, "/1.0/images/aliases", {{"recursion", "1"}}); }

request alias_get(std::string_view name) {
    check_alias_name(name);
    return make_request(verb::get, alias_path(name));
}

request alias_create(std::string_view name, std::string_view fingerprint, std::string_view description) {
    check_alias_name(name);
    check_fingerprint(fingerprint);
    return with_body(make_request(verb::post, "/1.0/images/aliases"),
                     json::object{{"name", std::string(name)}, {"target", std::string(fingerprint)},
                                  {"description", std::string(description)}});
}

request alias_put(std::string_view name, std::string_view fingerprint, std::string_view description, std::string_view etag) {
    check_alias_name(name);
    check_fingerprint(fingerprint);
    auto r = make_request(verb::put, alias_path(name));
    set_if_match(r, etag);
    return with_body(std::move(r), json::object{{"target", std::string(fingerprint)}, {"description", std::string(description)}});
}

request alias_rename(std::string_view name, std::string_view new_name) {
    check_alias_name(name);
    check_alias_name(new_name);
    return with_body(make_request(verb::post, alias_path(name)), json::object{{"name", std::string(new_name)}});
}

request alias_delete(std::string_view name) {
    check_alias_name(name);
    return make_request(verb::delete_, alias_path(name));
}

// ---- decoders of image answers --------------------------------------------------------------

std::string decode_image_fingerprint(std::string_view metadata_json, std::string_view operation_id) {
    boost::system::error_code ec;
    auto v = json::parse(metadata_json, ec);
    if (!ec && v.is_object())
        if (auto* f = v.get_object().if_contains("fingerprint"); f && f->is_string() && !f->get_string().empty())
            return std::string(f->get_string());
    fail_protocol("operation " + std::string(operation_id), "the operation's metadata has no image fingerprint");
}

std::string decode_image_secret(const json::value& operation, const std::string& rl) {
    if (operation.is_object())
        if (auto* md = operation.get_object().if_contains("metadata"); md && md->is_object())
            if (auto* sec = md->get_object().if_contains("secret"); sec && sec->is_string() && !sec->get_string().empty())
                return std::string(sec->get_string());
    fail_protocol(rl, "image secret operation without a secret");
}

}  // namespace lxd::protocol
