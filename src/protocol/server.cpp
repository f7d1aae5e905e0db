#include "server.hpp"

#include <boost/json.hpp>

#include "errors.hpp"

namespace lxd::protocol {

namespace json = boost::json;

request server_get() { return make_request(verb::get, "/1.0"); }

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

request operation_cancel(std::string_view id) { return make_request(verb::delete_, api_path({"operations", id})); }

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
