#include <lxd/instances.hpp>

#include "detail/calls.hpp"

namespace lxd {

using namespace detail;

namespace {

std::string instance_path(const client& c, std::string_view name, std::string_view sub = {}) {
    auto col = collection(c);
    return sub.empty() ? protocol::api_path({col, name}) : protocol::api_path({col, name, sub});
}

json::object source_json(const instance_source& s) {
    json::object o;
    switch (s.type) {
        case instance_source::kind::none:
            o["type"] = "none";
            break;
        case instance_source::kind::image: {
            o["type"] = "image";
            int given = !s.alias.empty() + !s.fingerprint.empty() + !s.properties.empty();
            if (given != 1) {
                diagnostics d;
                d.detail = "an image source needs exactly one of alias, fingerprint, properties";
                throw error(errc::invalid_argument, std::move(d));
            }
            if (!s.alias.empty()) o["alias"] = s.alias;
            if (!s.fingerprint.empty()) o["fingerprint"] = s.fingerprint;
            if (!s.properties.empty()) o["properties"] = protocol::encode_config(s.properties);
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
            auto slash = s.source_name.find('/');
            protocol::check_instance_name(std::string_view(s.source_name).substr(0, slash));
            if (slash != std::string::npos) protocol::check_snapshot_name(std::string_view(s.source_name).substr(slash + 1));
            o["type"] = "copy";
            o["source"] = s.source_name;
            if (s.instance_only) o["instance_only"] = true;
            break;
        }
    }
    return o;
}

instance decode_with_state(const client& c, const json::value& v, const std::string& rl) {
    instance i(c, protocol::decode_instance(v, rl), "");
    return i;
}

}  // namespace

// ---- instance ---------------------------------------------------------------------------

instance::instance(client c, api::instance data, std::string etag)
    : client_(std::move(c)), data_(std::move(data)), etag_(std::move(etag)) {}

instance& instance::set_config(std::string key, std::string value) { data_.config[std::move(key)] = std::move(value); return *this; }
instance& instance::unset_config(const std::string& key) { data_.config.erase(key); return *this; }
instance& instance::set_config(api::config_map config) { data_.config = std::move(config); return *this; }
instance& instance::set_devices(api::device_map devices) { data_.devices = std::move(devices); return *this; }
instance& instance::set_profiles(std::vector<std::string> profiles) { data_.profiles = std::move(profiles); return *this; }
instance& instance::set_description(std::string description) { data_.description = std::move(description); return *this; }
instance& instance::set_ephemeral(bool ephemeral) { data_.ephemeral = ephemeral; return *this; }

void instance::save() {
    // Start from what the server sent, so fields this library does not know go back as
    // they came; overlay the editable fields.
    auto body = parse_json(data_.raw_json);
    if (!body.is_object()) protocol::fail_protocol("", "stored instance is not an object");
    auto& o = body.get_object();
    o["config"] = protocol::encode_config(data_.config);
    o["devices"] = protocol::encode_devices(data_.devices);
    o["profiles"] = protocol::encode_strings(data_.profiles);
    o["description"] = data_.description;
    o["ephemeral"] = data_.ephemeral;
    // Read-only and derived fields are not ours to send.
    for (auto key : {"expanded_config", "expanded_devices", "status", "status_code", "state", "snapshots", "backups"})
        o.erase(key);
    http_request r;
    r.method = http::verb::put;
    r.path = instance_path(client_, data_.name);
    r.body = json::serialize(body);
    if (!etag_.empty()) r.headers.emplace_back("If-Match", etag_);
    wait_if_async(client_, call_sync(client_, std::move(r)));
    refresh();
}

void instance::patch(const instance_patch& p) {
    json::object o;
    if (p.config) o["config"] = protocol::encode_config(*p.config);
    if (p.devices) o["devices"] = protocol::encode_devices(*p.devices);
    if (p.profiles) o["profiles"] = protocol::encode_strings(*p.profiles);
    if (p.description) o["description"] = *p.description;
    if (p.ephemeral) o["ephemeral"] = *p.ephemeral;
    if (o.empty()) {
        diagnostics d;
        d.detail = "patch with no fields";
        throw error(errc::invalid_argument, std::move(d));
    }
    http_request r;
    r.method = http::verb::patch;
    r.path = instance_path(client_, data_.name);
    r.body = json::serialize(o);
    if (!etag_.empty()) r.headers.emplace_back("If-Match", etag_);
    wait_if_async(client_, call_sync(client_, std::move(r)));
    refresh();
}

void instance::refresh() { *this = client_.instances().get(data_.name); }

void instance::remove(bool force) {
    if (force) {
        auto st = state();
        if (st.status_code == api::status_code::running || st.status_code == api::status_code::frozen) {
            state_options o;
            o.force = true;
            stop(o).wait(op_deadline(client_));
        }
    }
    http_request r;
    r.method = http::verb::delete_;
    r.path = instance_path(client_, data_.name);
    wait_if_async(client_, call_sync(client_, std::move(r)));
}

operation instance::rename(std::string_view new_name) {
    protocol::check_instance_name(new_name);
    http_request r;
    r.method = http::verb::post;
    r.path = instance_path(client_, data_.name);
    r.body = json::serialize(json::object{{"name", std::string(new_name)}});
    return as_operation(client_, call_sync(client_, std::move(r)));
}

api::instance_state instance::state() const {
    http_request r;
    r.path = instance_path(client_, data_.name, "state");
    auto [env, res] = call_sync(client_, std::move(r));
    return protocol::decode_instance_state(env.metadata, res.request_line);
}

operation instance::change_state(std::string_view action, const state_options& o) {
    json::object body{{"action", std::string(action)},
                      {"timeout", o.timeout ? static_cast<std::int64_t>(o.timeout->count()) : std::int64_t{-1}},
                      {"force", o.force},
                      {"stateful", o.stateful}};
    http_request r;
    r.method = http::verb::put;
    r.path = instance_path(client_, data_.name, "state");
    r.body = json::serialize(body);
    return as_operation(client_, call_sync(client_, std::move(r)));
}

operation instance::start(state_options o) { return change_state("start", o); }
operation instance::stop(state_options o) { return change_state("stop", o); }
operation instance::restart(state_options o) { return change_state("restart", o); }
operation instance::freeze(state_options o) { return change_state("freeze", o); }
operation instance::unfreeze(state_options o) { return change_state("unfreeze", o); }

// ---- instances --------------------------------------------------------------------------

std::vector<instance> instances::all(const list_options& o) const {
    http_request r;
    r.path = "/1.0/" + collection(client_);
    std::string recursion = o.with_state ? "2" : "1";
    if (o.with_state && !o.fields.empty()) {
        client_.assert_has_api_extension("instances_state_selective_recursion");
        std::string f;
        for (auto& s : o.fields) f += (f.empty() ? "" : ",") + s;
        recursion += ";fields=" + f;
    }
    r.query.emplace_back("recursion", recursion);
    if (!type_.empty()) r.query.emplace_back("instance-type", type_);
    if (o.all_projects) r.query.emplace_back("all-projects", "true");
    if (!o.filter.empty()) r.query.emplace_back("filter", o.filter);
    return get_list(client_, std::move(r), "instance list", [&](const json::value& v, const std::string& rl) {
        auto i = decode_with_state(client_, v, rl);
        if (o.with_state && v.is_object()) {
            if (auto it = v.get_object().find("state"); it != v.get_object().end() && it->value().is_object())
                i.listed_state_ = protocol::decode_instance_state(it->value(), rl);
        }
        return i;
    });
}

std::vector<std::string> instances::names() const {
    http_request r;
    r.path = "/1.0/" + collection(client_);
    if (!type_.empty()) r.query.emplace_back("instance-type", type_);
    return get_names(client_, std::move(r), "instance list");
}

instance instances::get(std::string_view name) const {
    protocol::check_instance_name(name);
    http_request r;
    r.path = instance_path(client_, name);
    auto [env, res] = call_sync(client_, std::move(r));
    auto data = protocol::decode_instance(env.metadata, res.request_line);
    return instance(client_, std::move(data), res.etag);
}

bool instances::exists(std::string_view name) const {
    return exists_by([&] { return get(name); });
}

operation instances::create(const instance_create& c) const {
    protocol::check_instance_name(c.name);
    json::object body{{"name", c.name}, {"source", source_json(c.source)}};
    if (c.profiles) body["profiles"] = protocol::encode_strings(*c.profiles);
    if (!c.config.empty()) body["config"] = protocol::encode_config(c.config);
    if (!c.devices.empty()) body["devices"] = protocol::encode_devices(c.devices);
    if (c.ephemeral) body["ephemeral"] = true;
    if (!c.description.empty()) body["description"] = c.description;
    auto type = c.type.empty() ? type_ : c.type;
    if (!type.empty()) body["type"] = type;
    http_request r;
    r.method = http::verb::post;
    r.path = "/1.0/" + collection(client_);
    r.body = json::serialize(body);
    std::function<asio::awaitable<std::string>(const api::operation_info&)> then;
    if (c.start) {
        // LXD 5.0 has no "start" in the create request: the handle follows the start too.
        then = [co = client_.core_ptr().get(), sc = client_.scope(), path = instance_path(client_, c.name, "state")](
                   const api::operation_info&) -> asio::awaitable<std::string> {
            http_request s;
            s.method = http::verb::put;
            s.path = path;
            s.body = R"({"action":"start","timeout":-1,"force":false,"stateful":false})";
            auto [env, res] = co_await co->call(std::move(s), sc);
            co_return env.operation;
        };
    }
    return as_operation(client_, call_sync(client_, std::move(r)), std::move(then));
}

}  // namespace lxd
