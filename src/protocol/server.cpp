#include "server.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

#include <boost/json.hpp>

#include "errors.hpp"

namespace lxd::protocol {

namespace json = boost::json;

request server_get() { return make_request(verb::get, "/1.0"); }

void check_server_config_key(std::string_view key) {
    bool ok = !key.empty();
    for (unsigned char ch : key) ok = ok && ch > 0x20 && ch != 0x7f && ch != '=';
    if (!ok) fail_invalid("'" + std::string(key) + "' is not a server config key (non-empty; no space, '=' or control character)");
}

namespace {

request server_config_request(verb m, const std::map<std::string, std::string>& config, std::string_view etag,
                              std::string_view original_json = {}) {
    json::object original;
    if (!original_json.empty()) {
        boost::system::error_code ec;
        auto v = json::parse(original_json, ec);
        if (!ec && v.is_object()) original = std::move(v.get_object());
    }
    json::object c;
    for (auto& [k, v] : config) {
        check_server_config_key(k);
        auto* was = original.if_contains(k);
        if (was && !was->is_string() && json::serialize(*was) == v) c[k] = *was;
        else c[k] = v;
    }
    auto r = json_request(m, "/1.0", json::serialize(json::object{{"config", std::move(c)}}));
    set_if_match(r, etag);
    return r;
}

}  // namespace

request server_put(const std::map<std::string, std::string>& config, std::string_view etag, std::string_view original_json) {
    return server_config_request(verb::put, config, etag, original_json);
}

request server_patch(const std::map<std::string, std::string>& changes, std::string_view etag) {
    return server_config_request(verb::patch, changes, etag);
}

request resources_get() {
    return unscoped(make_request(verb::get, "/1.0/resources"));
}

namespace {

std::string lowered(std::string_view s) {
    std::string out(s);
    for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

/// Sets `slot` (Content-Type or If-Match) from a header, refusing a second different value.
void set_once(std::string& slot, const std::string& value, const std::string& name) {
    if (!slot.empty() && slot != value) fail_invalid("header '" + name + "' given twice with different values");
    slot = value;
}

/// A header's value may not carry a control character (a CR or LF would end the header).
void check_header_value(std::string_view name, std::string_view value) {
    for (unsigned char ch : value)
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f) fail_invalid("header '" + std::string(name) + "' has a control character in its value");
}

/// The extra headers of a raw request: X-LXD-*, X-Incus-* kept; Content-Type and If-Match
/// moved to `content_type` and `etag`; anything else refused.
header_list raw_headers(const header_list& headers, std::string& content_type, std::string& etag) {
    check_header_value("Content-Type", content_type);   // as given in the request's own fields
    check_header_value("If-Match", etag);
    header_list out;
    for (auto& [name, value] : headers) {
        check_header_value(name, value);
        auto low = lowered(name);
        if (low == "content-type") set_once(content_type, value, name);
        else if (low == "if-match") set_once(etag, value, name);
        else if ((low.starts_with("x-lxd-") && low.size() > 6) || (low.starts_with("x-incus-") && low.size() > 8)) {
            for (unsigned char ch : name)
                if (ch <= 0x20 || ch >= 0x7f || ch == ':') fail_invalid("header '" + name + "' is not a valid header name");
            out.emplace_back(name, value);
        } else
            fail_invalid("header '" + name + "' is not allowed (only X-LXD-*, X-Incus-*, Content-Type and If-Match)");
    }
    return out;
}

}  // namespace

request raw(std::string_view method, std::string_view path, const std::vector<std::pair<std::string, std::string>>& query,
            std::string_view body, std::string_view etag, std::string_view content_type, const header_list& headers) {
    static const std::pair<std::string_view, verb> verbs[] = {
        {"GET", verb::get}, {"POST", verb::post}, {"PUT", verb::put}, {"PATCH", verb::patch}, {"DELETE", verb::delete_}};
    auto it = std::find_if(std::begin(verbs), std::end(verbs), [&](auto& p) { return p.first == method; });
    if (it == std::end(verbs)) fail_invalid("method '" + std::string(method) + "' is not one of GET, POST, PUT, PATCH, DELETE");
    if (path.substr(0, 4) != "/1.0" || (path.size() > 4 && path[4] != '/' && path[4] != '?'))
        fail_invalid("the path must start with /1.0: '" + std::string(path) + "'");
    for (unsigned char ch : path)
        if (ch <= 0x20 || ch == 0x7f) fail_invalid("the path must not contain spaces or control characters");
    std::string type(content_type), match(etag);
    auto extra = raw_headers(headers, type, match);
    bool is_json = type.empty() || lowered(type).starts_with("application/json");
    if (!body.empty() && is_json) {
        boost::system::error_code ec;
        (void)json::parse(body, ec);
        if (ec) fail_invalid("the body is not JSON: " + ec.message());
    }
    auto r = make_request(it->second, std::string(path), query_list(query.begin(), query.end()));
    r.body = std::string(body);
    if (!type.empty()) r.content_type = type;
    set_if_match(r, match);
    for (auto& h : extra) r.headers.push_back(h);
    return r;
}

request certificate_trust(std::string_view secret, std::string_view name, bool is_token) {
    if (secret.empty()) fail_invalid("empty trust password or token");
    json::object body{{"type", "client"}, {"password", std::string(secret)}};
    if (is_token) body["trust_token"] = std::string(secret);
    if (!name.empty()) body["name"] = std::string(name);
    return json_request(verb::post, "/1.0/certificates", json::serialize(body));
}

request certificate_token(std::string_view name) {
    return json_request(verb::post, "/1.0/certificates", json::serialize(json::object{{"type", "client"}, {"token", true}, {"name", std::string(name)}}));
}

request raw_get(std::string_view path) {
    if (path.substr(0, 4) != "/1.0") fail_invalid("raw_get path must start with /1.0");
    return make_request(verb::get, std::string(path));   // the caller's query, if any, is kept verbatim
}

request operation_list() { return make_request(verb::get, "/1.0/operations", {{"recursion", "1"}}); }

request operation_get(std::string_view id) {
    if (id.empty()) fail_invalid("empty operation id");
    return make_request(verb::get, api_path({"operations", id}));
}

request operation_cancel(std::string_view id) {
    if (id.empty()) fail_invalid("empty operation id");
    return make_request(verb::delete_, api_path({"operations", id}));
}

request operation_wait(std::string_view id, int server_wait) {
    auto r = make_request(verb::get, api_path({"operations", id, "wait"}), {{"timeout", std::to_string(server_wait)}});
    r.timeout = std::chrono::seconds(server_wait + 30);
    return r;
}

request operation_websocket(std::string_view id, std::string_view secret) {
    return make_request(verb::get, api_path({"operations", id, "websocket"}), {{"secret", std::string(secret)}});
}

std::string operation_url(std::string_view address, std::string_view id) {
    return "https://" + std::string(address) + "/1.0/operations/" + escape_segment(id);
}

request events(const std::vector<std::string>& types, bool all_projects) {
    auto r = make_request(verb::get, "/1.0/events");
    if (!types.empty()) {
        std::string t;
        for (auto& s : types) t += (t.empty() ? "" : ",") + s;
        r.query.emplace_back("type", t);
    }
    if (all_projects) r.query.emplace_back("all-projects", "true");
    return r;
}

}  // namespace lxd::protocol
