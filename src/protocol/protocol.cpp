#include "protocol.hpp"

#include <cctype>
#include <climits>
#include <cstdio>

namespace lxd::protocol {

namespace {

bool unreserved(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (unreserved(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Field accessors that tolerate absence and null but not a wrong type.
struct reader {
    const json::object& obj;
    const std::string& request_line;

    const json::value* find(std::string_view key) const {
        auto it = obj.find(key);
        if (it == obj.end() || it->value().is_null()) return nullptr;
        return &it->value();
    }
    [[noreturn]] void wrong(std::string_view key, const char* want) const {
        fail_protocol(request_line, "field '" + std::string(key) + "' is not " + want);
    }
    std::string str(std::string_view key) const {
        auto* v = find(key);
        if (!v) return {};
        if (!v->is_string()) wrong(key, "a string");
        return std::string(v->get_string());
    }
    bool boolean(std::string_view key) const {
        auto* v = find(key);
        if (!v) return false;
        if (!v->is_bool()) wrong(key, "a boolean");
        return v->get_bool();
    }
    std::int64_t integer(std::string_view key) const {
        auto* v = find(key);
        if (!v) return 0;
        if (v->is_int64()) return v->get_int64();
        if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
        // A double outside int64's range (1e300) or NaN would be undefined to convert.
        if (v->is_double() && v->get_double() >= -9.2e18 && v->get_double() <= 9.2e18)
            return static_cast<std::int64_t>(v->get_double());
        wrong(key, "a number");
    }
    std::vector<std::string> strings(std::string_view key) const {
        std::vector<std::string> out;
        auto* v = find(key);
        if (!v) return out;
        if (!v->is_array()) wrong(key, "an array");
        for (auto& e : v->get_array()) {
            if (!e.is_string()) wrong(key, "an array of strings");
            out.emplace_back(e.get_string());
        }
        return out;
    }
    api::config_map string_map(std::string_view key) const {
        api::config_map out;
        auto* v = find(key);
        if (!v) return out;
        if (!v->is_object()) wrong(key, "an object");
        for (auto& kv : v->get_object()) {
            if (kv.value().is_string())
                out.emplace(kv.key(), kv.value().get_string());
            else if (kv.value().is_null())
                out.emplace(kv.key(), "");
            else  // LXD maps are string->string; keep other scalars readable rather than fail
                out.emplace(kv.key(), json::serialize(kv.value()));
        }
        return out;
    }
    api::device_map devices(std::string_view key) const {
        api::device_map out;
        auto* v = find(key);
        if (!v) return out;
        if (!v->is_object()) wrong(key, "an object");
        for (auto& kv : v->get_object()) {
            if (!kv.value().is_object()) wrong(key, "an object of objects");
            api::config_map dev;
            for (auto& d : kv.value().get_object()) {
                if (d.value().is_string())
                    dev.emplace(d.key(), d.value().get_string());
                else
                    dev.emplace(d.key(), json::serialize(d.value()));
            }
            out.emplace(kv.key(), std::move(dev));
        }
        return out;
    }
    const json::object* object(std::string_view key) const {
        auto* v = find(key);
        if (!v) return nullptr;
        if (!v->is_object()) wrong(key, "an object");
        return &v->get_object();
    }
};

const json::object& as_object(const json::value& v, const std::string& request_line, const char* what) {
    if (!v.is_object()) fail_protocol(request_line, std::string(what) + " is not a JSON object");
    return v.get_object();
}

}  // namespace

std::string escape_segment(std::string_view segment) { return percent_encode(segment); }
std::string escape_query(std::string_view value) { return percent_encode(value); }

std::string api_path(std::initializer_list<std::string_view> segments) {
    std::string out = "/1.0";
    for (auto s : segments) {
        out.push_back('/');
        out += escape_segment(s);
    }
    return out;
}

std::string build_target(std::string_view path, const query_list& query) {
    std::string out(path);
    char sep = out.find('?') == std::string::npos ? '?' : '&';
    for (auto& [k, v] : query) {
        out.push_back(sep);
        sep = '&';
        out += escape_query(k);
        out.push_back('=');
        out += escape_query(v);
    }
    return out;
}

std::string unescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
                continue;
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

std::string last_segment(std::string_view url) {
    auto q = url.find('?');
    if (q != std::string_view::npos) url = url.substr(0, q);
    while (!url.empty() && url.back() == '/') url.remove_suffix(1);
    auto slash = url.rfind('/');
    return unescape(slash == std::string_view::npos ? url : url.substr(slash + 1));
}

errc errc_for_http_status(int s) noexcept {
    switch (s) {
        case 400: return errc::bad_request;
        case 401:
        case 403: return errc::forbidden;
        case 404: return errc::not_found;
        case 409: return errc::conflict;
        case 412: return errc::precondition_failed;
        default: return errc::server_error;
    }
}

void fail_protocol(const std::string& request_line, std::string what) {
    diagnostics d;
    d.request = request_line;
    d.detail = std::move(what);
    throw error(errc::protocol_error, std::move(d));
}

envelope parse_envelope(int http_status, std::string_view content_type, std::string_view body,
                        const std::string& request_line, std::string_view location) {
    if (http_status >= 300 && http_status < 400) {
        // A proxy or a misconfigured address; following it could send credentials elsewhere.
        auto where = location.substr(0, location.find('?'));   // a query may carry secrets
        diagnostics d;
        d.http_status = http_status;
        d.request = request_line;
        d.detail = "the server answered with a redirect (HTTP " + std::to_string(http_status) + ")" +
                   (where.empty() ? std::string() : " to " + std::string(where)) + "; lxdpp does not follow redirects";
        throw error(errc::protocol_error, std::move(d));
    }
    auto json_type = content_type.substr(0, content_type.find(';')) == "application/json";
    json::value doc;
    boost::system::error_code ec;
    if (json_type || (http_status >= 400 && !body.empty() && body.front() == '{')) {
        doc = json::parse(body, ec);
    } else {
        ec = json::error::syntax;
    }
    if (ec || !doc.is_object()) {
        if (http_status >= 400) {
            // Not an LXD error envelope (a proxy's HTML page, say): keep the status's meaning
            // but say that the body was not LXD's.
            diagnostics d;
            d.http_status = http_status;
            d.request = request_line;
            std::string excerpt(body.substr(0, 200));
            d.detail = "HTTP " + std::to_string(http_status) + " without an LXD error envelope" +
                       (excerpt.empty() ? std::string() : ": " + excerpt);
            throw error(errc_for_http_status(http_status), std::move(d));
        }
        fail_protocol(request_line, !json_type ? "unexpected content type '" + std::string(content_type) + "'"
                                               : "response body is not a JSON object" +
                                                     (ec ? " (" + ec.message() + ")" : std::string()));
    }
    const auto& obj = doc.get_object();
    reader r{obj, request_line};
    auto type = r.str("type");
    if (type == "error" || http_status >= 400) {
        diagnostics d;
        d.http_status = http_status;
        d.request = request_line;
        d.server_message = r.str("error");
        auto code = r.integer("error_code");
        int status = http_status >= 400 ? http_status : static_cast<int>(code);
        if (status < 400) {
            d.detail = "error envelope with HTTP " + std::to_string(http_status);
            throw error(errc::protocol_error, std::move(d));
        }
        d.http_status = status;
        throw error(errc_for_http_status(status), std::move(d));
    }
    envelope env;
    env.status_code = static_cast<int>(r.integer("status_code"));
    if (auto* m = r.find("metadata")) env.metadata = *m;
    if (type == "sync") {
        if (http_status != 200 && http_status != 201)   // 201: POST /1.0/certificates
            fail_protocol(request_line, "sync response with HTTP " + std::to_string(http_status));
        env.type = envelope::kind::sync;
    } else if (type == "async") {
        if (http_status != 202)
            fail_protocol(request_line, "async response with HTTP " + std::to_string(http_status));
        env.type = envelope::kind::async;
        env.operation = r.str("operation");
        if (env.operation.empty()) fail_protocol(request_line, "async response without an operation");
    } else {
        fail_protocol(request_line, "unknown response type '" + type + "'");
    }
    return env;
}

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
    if (auto* c = r.find("config")) s.config_json = json::serialize(*c);
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
    i.type = r.str("type");
    if (i.type.empty()) i.type = "container";  // servers before the "instances" extension
    i.raw_json = json::serialize(v);
    if (i.name.empty()) fail_protocol(rl, "instance without a name");
    return i;
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
            reader n{kv.value().get_object(), rl};
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
    a.type = r.str("type");
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
    i.type = r.str("type");
    if (i.type.empty()) i.type = "container";
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

namespace {
[[noreturn]] void invalid(std::string what) {
    diagnostics d;
    d.detail = std::move(what);
    throw error(errc::invalid_argument, std::move(d));
}
}  // namespace

void check_instance_name(std::string_view name) {
    auto quoted = "'" + std::string(name.substr(0, 80)) + "'";
    if (name.empty()) invalid("instance name is empty");
    if (name.size() > 63) invalid("instance name " + quoted + " is longer than 63 characters");
    for (unsigned char c : name)
        if (!std::isalnum(c) && c != '-')
            invalid("instance name " + quoted + " may contain only letters, digits and '-'");
    if (std::isdigit(static_cast<unsigned char>(name.front())) || name.front() == '-')
        invalid("instance name " + quoted + " must not start with a digit or '-'");
    if (name.back() == '-') invalid("instance name " + quoted + " must not end with '-'");
}

void check_snapshot_name(std::string_view name) {
    auto quoted = "'" + std::string(name.substr(0, 80)) + "'";
    if (name.empty()) invalid("snapshot name is empty");
    if (name == "." || name == "..") invalid("snapshot name " + quoted + " is not allowed");
    if (name.find_first_of("/ ") != std::string_view::npos)
        invalid("snapshot name " + quoted + " must not contain '/' or a space");
}

void check_project_name(std::string_view name) {
    if (name.empty()) invalid("project name is empty");
    if (name.find_first_of("/ ") != std::string_view::npos)
        invalid("project name '" + std::string(name) + "' must not contain '/' or a space");
}

// ---- multipart/form-data ------------------------------------------------------------------

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string header_parameter(std::string_view value, std::string_view name) {
    std::size_t i = value.find(';');
    while (i != std::string_view::npos && i < value.size()) {
        ++i;   // past ';'
        while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
        auto eq = value.find('=', i);
        if (eq == std::string_view::npos) return {};
        auto key = trim(value.substr(i, eq - i));
        std::string val;
        std::size_t j = eq + 1;
        while (j < value.size() && (value[j] == ' ' || value[j] == '\t')) ++j;
        if (j < value.size() && value[j] == '"') {
            ++j;
            while (j < value.size() && value[j] != '"') {
                if (value[j] == '\\' && j + 1 < value.size()) ++j;
                val += value[j++];
            }
            if (j < value.size()) ++j;   // closing quote
            i = value.find(';', j);
        } else {
            auto end = value.find(';', j);
            val = std::string(trim(value.substr(j, end == std::string_view::npos ? std::string_view::npos : end - j)));
            i = end;
        }
        if (iequals(key, name)) return val;
    }
    return {};
}

std::string safe_file_name(std::string_view suggested) {
    auto slash = suggested.find_last_of("/\\");
    auto base = slash == std::string_view::npos ? suggested : suggested.substr(slash + 1);
    if (base.empty() || base == "." || base == "..") return {};
    for (unsigned char c : base)
        if (c < 0x20 || c == 0x7f) return {};
    return std::string(base);
}

std::string multipart_writer::part_header(std::string_view field, std::string_view filename, bool first) const {
    std::string h = first ? "" : "\r\n";
    h += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + std::string(field) + "\"; filename=\"" +
         std::string(filename) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    return h;
}

std::string multipart_writer::closing() const { return "\r\n--" + boundary + "--\r\n"; }

multipart_reader::multipart_reader(std::string boundary, std::string request_line)
    : delimiter_("\r\n--" + boundary), rl_(std::move(request_line)), buf_("\r\n") {
    if (boundary.empty() || boundary.size() > 200) fail_protocol(rl_, "multipart response without a usable boundary");
}

void multipart_reader::feed(std::string_view chunk, const std::function<void(const part&)>& on_part,
                            const std::function<void(std::string_view)>& on_data) {
    buf_.append(chunk);
    const std::size_t keep = delimiter_.size() - 1;   // a delimiter may start in these bytes
    for (;;) {
        switch (state_) {
        case state::preamble: {
            auto at = buf_.find(delimiter_);
            if (at == std::string::npos) {
                if (buf_.size() > keep) buf_.erase(0, buf_.size() - keep);
                return;
            }
            buf_.erase(0, at + delimiter_.size());
            state_ = state::after_boundary;
            break;
        }
        case state::after_boundary: {
            if (buf_.size() < 2) return;
            if (buf_.compare(0, 2, "--") == 0) {
                state_ = state::done;
                buf_.clear();
                return;
            }
            if (buf_.compare(0, 2, "\r\n") != 0) fail_protocol(rl_, "multipart boundary not followed by a line end");
            buf_.erase(0, 2);
            state_ = state::headers;
            break;
        }
        case state::headers: {
            std::size_t end;
            std::size_t skip;
            if (buf_.size() >= 2 && buf_.compare(0, 2, "\r\n") == 0) {
                end = 0;
                skip = 2;
            } else {
                end = buf_.find("\r\n\r\n");
                skip = 4;
                if (end == std::string::npos) {
                    if (buf_.size() > 16384) fail_protocol(rl_, "multipart part headers longer than 16 KiB");
                    return;
                }
            }
            part p;
            std::string_view block(buf_.data(), end);
            while (!block.empty()) {
                auto nl = block.find("\r\n");
                auto line = block.substr(0, nl);
                block = nl == std::string_view::npos ? std::string_view{} : block.substr(nl + 2);
                auto colon = line.find(':');
                if (colon == std::string_view::npos) fail_protocol(rl_, "malformed multipart part header");
                if (iequals(trim(line.substr(0, colon)), "content-disposition")) {
                    auto value = line.substr(colon + 1);
                    p.name = header_parameter(value, "name");
                    p.filename = header_parameter(value, "filename");
                }
            }
            buf_.erase(0, end + skip);
            state_ = state::body;
            on_part(p);
            break;
        }
        case state::body: {
            auto at = buf_.find(delimiter_);
            if (at == std::string::npos) {
                if (buf_.size() > keep) {
                    on_data(std::string_view(buf_.data(), buf_.size() - keep));
                    buf_.erase(0, buf_.size() - keep);
                }
                return;
            }
            if (at > 0) on_data(std::string_view(buf_.data(), at));
            buf_.erase(0, at + delimiter_.size());
            state_ = state::after_boundary;
            break;
        }
        case state::done:
            buf_.clear();
            return;
        }
    }
}

void multipart_reader::finish() const {
    if (state_ != state::done) fail_protocol(rl_, "multipart body ended before its closing boundary (truncated)");
}

}  // namespace lxd::protocol
