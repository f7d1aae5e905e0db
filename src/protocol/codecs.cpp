#include "codecs.hpp"

#include "errors.hpp"
#include "json_reader.hpp"

namespace lxd::protocol {

namespace {
/// An instance's, image's or alias's "type": container when an old server leaves it out,
/// a protocol error for a value outside the closed set.
api::instance_type type_of(const std::string& s, const std::string& rl, std::string_view what) {
    if (s.empty()) return api::instance_type::container;
    if (auto t = api::parse_instance_type(s)) return *t;
    fail_protocol(rl, std::string(what) + " of unknown type \"" + s + "\"");
}
}  // namespace

api::server_info decode_server_info(const json::value& v, const std::string& rl) {
    const auto& obj = as_object(v, rl, "server info");
    reader r{obj, rl};
    api::server_info s;
    s.api_extensions = r.strings("api_extensions");
    s.api_status = r.str("api_status");
    s.api_version = r.str("api_version");
    s.auth = r.str("auth");
    s.auth_methods = r.strings("auth_methods");
    s.is_public = r.boolean("public");
    if (auto* c = r.find("config")) {
        s.config_json = json::serialize(*c);
        if (!c->is_object()) r.wrong("config", "an object");
        for (auto& kv : c->get_object())   // LXD sends strings; keep anything else as JSON text
            s.config[std::string(kv.key())] = kv.value().is_string() ? std::string(kv.value().get_string()) : json::serialize(kv.value());
    }
    if (auto* env = r.object("environment")) {
        reader e{*env, rl};
        auto& o = s.environment;
        o.addresses = e.strings("addresses");
        o.architectures = e.strings("architectures");
        o.certificate = e.str("certificate");
        o.certificate_fingerprint = e.str("certificate_fingerprint");
        o.driver = e.str("driver");
        o.driver_version = e.str("driver_version");
        o.firewall = e.str("firewall");
        o.kernel = e.str("kernel");
        o.kernel_architecture = e.str("kernel_architecture");
        o.kernel_version = e.str("kernel_version");
        o.os_name = e.str("os_name");
        o.os_version = e.str("os_version");
        o.project = e.str("project");
        o.server = e.str("server");
        o.server_clustered = e.boolean("server_clustered");
        o.server_name = e.str("server_name");
        if (auto* pid = e.find("server_pid")) o.server_pid = pid->is_string() ? std::string(pid->get_string()) : json::serialize(*pid);
        o.server_version = e.str("server_version");
        o.storage = e.str("storage");
        o.storage_version = e.str("storage_version");
    }
    s.raw_json = json::serialize(v);
    return s;
}

api::operation_info decode_operation(const json::value& v, const std::string& rl) {
    const auto& obj = as_object(v, rl, "operation");
    reader r{obj, rl};
    api::operation_info op;
    op.id = r.str("id");
    op.operation_class = r.str("class");
    op.description = r.str("description");
    op.created_at = r.str("created_at");
    op.updated_at = r.str("updated_at");
    op.status = r.str("status");
    op.code = static_cast<api::status_code>(r.integer("status_code"));
    if (auto* res = r.object("resources")) {
        reader rr{*res, rl};
        for (auto& kv : *res) op.resources.emplace(kv.key(), rr.strings(kv.key()));
    }
    auto it = obj.find("metadata");
    op.metadata_json = it == obj.end() ? "null" : json::serialize(it->value());
    if (it != obj.end() && it->value().is_object()) {
        // An exec's exit code: an int, or the server is not one we understand (a fraction or
        // 1e30 cannot be an exit status, and must not reach the exec code as one).
        if (auto* ret = it->value().get_object().if_contains("return")) {
            bool ok = (ret->is_int64() && ret->get_int64() >= INT_MIN && ret->get_int64() <= INT_MAX) ||
                      (ret->is_uint64() && ret->get_uint64() <= INT_MAX);
            if (!ok) fail_protocol(rl, "operation metadata 'return' is not an exit status: " + json::serialize(*ret));
        }
    }
    op.may_cancel = r.boolean("may_cancel");
    op.err = r.str("err");
    op.location = r.str("location");
    op.raw_json = json::serialize(v);
    if (op.id.empty()) fail_protocol(rl, "operation without an id");
    return op;
}

api::instance decode_instance(const json::value& v, const std::string& rl) {
    const auto& obj = as_object(v, rl, "instance");
    reader r{obj, rl};
    api::instance i;
    i.architecture = r.str("architecture");
    i.config = r.string_map("config");
    i.created_at = r.str("created_at");
    i.description = r.str("description");
    i.devices = r.devices("devices");
    i.ephemeral = r.boolean("ephemeral");
    i.expanded_config = r.string_map("expanded_config");
    i.expanded_devices = r.devices("expanded_devices");
    i.last_used_at = r.str("last_used_at");
    i.location = r.str("location");
    i.name = r.str("name");
    i.profiles = r.strings("profiles");
    i.project = r.str("project");
    i.stateful = r.boolean("stateful");
    i.status = r.str("status");
    i.status_code = static_cast<api::status_code>(r.integer("status_code"));
    i.type = type_of(r.str("type"), rl, "instance");  // no type: a server before the "instances" extension
    i.raw_json = json::serialize(v);
    if (i.name.empty()) fail_protocol(rl, "instance without a name");
    return i;
}

api::network_interface decode_network_interface(const json::object& o, const std::string& rl) {
    reader n{o, rl};
    api::network_interface nic;
    nic.hwaddr = n.str("hwaddr");
    nic.host_name = n.str("host_name");
    nic.mtu = n.integer("mtu");
    nic.state = n.str("state");
    nic.type = n.str("type");
    if (auto* addrs = n.find("addresses")) {
        if (!addrs->is_array()) fail_protocol(rl, "network addresses are not an array");
        for (auto& a : addrs->get_array()) {
            reader ar{as_object(a, rl, "network address"), rl};
            nic.addresses.push_back({ar.str("family"), ar.str("address"), ar.str("netmask"), ar.str("scope")});
        }
    }
    if (auto* c = n.object("counters")) {
        reader cr{*c, rl};
        nic.counters = {cr.integer("bytes_received"), cr.integer("bytes_sent"),
                        cr.integer("packets_received"), cr.integer("packets_sent"),
                        cr.integer("errors_received"), cr.integer("errors_sent"),
                        cr.integer("packets_dropped_inbound"), cr.integer("packets_dropped_outbound")};
    }
    return nic;
}

api::instance_state decode_instance_state(const json::value& v, const std::string& rl) {
    const auto& obj = as_object(v, rl, "instance state");
    reader r{obj, rl};
    api::instance_state s;
    s.status = r.str("status");
    s.status_code = static_cast<api::status_code>(r.integer("status_code"));
    if (auto* cpu = r.object("cpu")) s.cpu_usage_ns = reader{*cpu, rl}.integer("usage");
    if (auto* mem = r.object("memory")) {
        reader m{*mem, rl};
        s.memory_usage = m.integer("usage");
        s.memory_usage_peak = m.integer("usage_peak");
        s.swap_usage = m.integer("swap_usage");
        s.swap_usage_peak = m.integer("swap_usage_peak");
    }
    if (auto* disk = r.object("disk")) {
        for (auto& kv : *disk) {
            if (!kv.value().is_object()) fail_protocol(rl, "disk entry is not an object");
            s.disk_usage.emplace(kv.key(), reader{kv.value().get_object(), rl}.integer("usage"));
        }
    }
    if (auto* net = r.object("network")) {
        for (auto& kv : *net) {
            if (!kv.value().is_object()) fail_protocol(rl, "network entry is not an object");
            api::network_interface nic = decode_network_interface(kv.value().get_object(), rl);
            s.network.emplace(kv.key(), std::move(nic));
        }
    }
    s.pid = r.integer("pid");
    s.processes = r.integer("processes");
    s.raw_json = json::serialize(v);
    return s;
}

api::event decode_event(const json::value& v, const std::string& rl) {
    const auto& obj = as_object(v, rl, "event");
    reader r{obj, rl};
    api::event e;
    e.type = r.str("type");
    e.timestamp = r.str("timestamp");
    e.location = r.str("location");
    e.project = r.str("project");
    auto it = obj.find("metadata");
    e.metadata_json = it == obj.end() ? "null" : json::serialize(it->value());
    if (e.type == "lifecycle") {
        if (auto* m = r.object("metadata")) {
            reader mr{*m, rl};
            e.action = mr.str("action");
            e.source = mr.str("source");
        }
    }
    e.raw_json = json::serialize(v);
    return e;
}

api::cluster_info decode_cluster_info(const json::value& v, const std::string& rl) {
    const auto& obj = as_object(v, rl, "cluster");
    reader r{obj, rl};
    api::cluster_info c;
    c.enabled = r.boolean("enabled");
    c.server_name = r.str("server_name");
    c.raw_json = json::serialize(v);
    return c;
}

api::cluster_member decode_cluster_member(const json::value& v, const std::string& rl) {
    const auto& obj = as_object(v, rl, "cluster member");
    reader r{obj, rl};
    api::cluster_member m;
    m.server_name = r.str("server_name");
    m.url = r.str("url");
    m.roles = r.strings("roles");
    m.database = r.boolean("database");
    m.status = r.str("status");
    m.message = r.str("message");
    m.architecture = r.str("architecture");
    m.failure_domain = r.str("failure_domain");
    m.description = r.str("description");
    m.config = r.string_map("config");
    m.groups = r.strings("groups");
    m.raw_json = json::serialize(v);
    if (m.server_name.empty()) fail_protocol(rl, "cluster member without a name");
    return m;
}

api::image_alias decode_image_alias(const json::value& v, const std::string& rl) {
    const auto& obj = as_object(v, rl, "image alias");
    reader r{obj, rl};
    api::image_alias a;
    a.name = r.str("name");
    a.description = r.str("description");
    a.target = r.str("target");
    a.type = type_of(r.str("type"), rl, "image alias");
    if (a.name.empty()) fail_protocol(rl, "image alias without a name");
    return a;
}

api::image decode_image(const json::value& v, const std::string& rl) {
    const auto& obj = as_object(v, rl, "image");
    reader r{obj, rl};
    api::image i;
    i.fingerprint = r.str("fingerprint");
    i.filename = r.str("filename");
    i.architecture = r.str("architecture");
    i.type = type_of(r.str("type"), rl, "image");
    i.size = r.integer("size");
    i.is_public = r.boolean("public");
    i.auto_update = r.boolean("auto_update");
    i.cached = r.boolean("cached");
    i.properties = r.string_map("properties");
    if (auto* a = r.find("aliases")) {
        if (!a->is_array()) r.wrong("aliases", "an array");
        for (auto& e : a->get_array()) i.aliases.push_back(decode_image_alias(e, rl));
    }
    i.profiles = r.strings("profiles");
    i.created_at = r.str("created_at");
    i.uploaded_at = r.str("uploaded_at");
    i.expires_at = r.str("expires_at");
    i.last_used_at = r.str("last_used_at");
    i.raw_json = json::serialize(v);
    if (i.fingerprint.empty()) fail_protocol(rl, "image without a fingerprint");
    return i;
}

json::object encode_config(const api::config_map& m) {
    json::object o;
    for (auto& [k, v] : m) o[k] = v;
    return o;
}

json::object encode_devices(const api::device_map& m) {
    json::object o;
    for (auto& [k, v] : m) o[k] = encode_config(v);
    return o;
}

json::array encode_strings(const std::vector<std::string>& v) {
    json::array a;
    for (auto& s : v) a.emplace_back(s);
    return a;
}

}  // namespace lxd::protocol

namespace lxd::protocol {

std::vector<api::operation_info> decode_operation_list(const json::value& v, const std::string& request_line) {
    std::vector<api::operation_info> out;
    if (v.is_null()) return out;
    if (!v.is_object()) fail_protocol(request_line, "operations are not an object");
    for (auto& kv : v.get_object()) {   // status -> [operations]
        if (!kv.value().is_array()) fail_protocol(request_line, "operations list is not an array");
        for (auto& op : kv.value().get_array()) out.push_back(decode_operation(op, request_line));
    }
    return out;
}

std::exception_ptr operation_failure(const api::operation_info& info, const std::string& rl) {
    if (info.code == api::status_code::success) return nullptr;
    error_extra extra{.server_message = info.err, .operation_id = info.id};
    if (info.code == api::status_code::cancelled)
        return std::make_exception_ptr(make_error(errc::operation_cancelled, "", rl, std::move(extra)));
    auto detail = info.err.empty() ? "operation ended with status " + info.status : std::string();
    return std::make_exception_ptr(make_error(errc::operation_failed, std::move(detail), rl, std::move(extra)));
}

}  // namespace lxd::protocol
