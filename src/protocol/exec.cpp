#include "exec.hpp"

#include <boost/json.hpp>

#include "codecs.hpp"

namespace lxd::protocol {

namespace json = boost::json;

namespace {

json::object exec_body(const exec_command& c) {
    json::object body{{"command", encode_strings(c.argv)},
                      {"wait-for-websocket", true},
                      {"interactive", false},
                      {"environment", encode_config(api::config_map(c.environment.begin(), c.environment.end()))}};
    if (!c.cwd.empty()) body["cwd"] = c.cwd;
    if (c.user) body["user"] = *c.user;
    if (c.group) body["group"] = *c.group;
    return body;
}

request exec_post(std::string_view collection, std::string_view name, const json::object& body) {
    auto r = make_request(verb::post, api_path({collection, name, "exec"}));
    r.body = json::serialize(body);
    return r;
}

std::string without_query(std::string_view url) { return std::string(url.substr(0, url.find('?'))); }

}  // namespace

request exec_start(std::string_view collection, std::string_view name, const exec_command& c, bool record_output) {
    auto body = exec_body(c);
    if (record_output) {
        body["wait-for-websocket"] = false;
        body["record-output"] = true;
    }
    return exec_post(collection, name, body);
}

request exec_start_interactive(std::string_view collection, std::string_view name, const exec_command& c,
                               unsigned width, unsigned height) {
    auto body = exec_body(c);
    body["interactive"] = true;
    body["width"] = width;
    body["height"] = height;
    return exec_post(collection, name, body);
}

request exec_output_get(std::string_view url) { return make_request(verb::get, without_query(url)); }
request exec_output_delete(std::string_view url) { return make_request(verb::delete_, without_query(url)); }

}  // namespace lxd::protocol
