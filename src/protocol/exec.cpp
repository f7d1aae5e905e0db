#include "exec.hpp"

#include <boost/json.hpp>

#include "codecs.hpp"
#include "errors.hpp"

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
    return json_request(verb::post, api_path({collection, name, "exec"}), json::serialize(body));
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

namespace lxd::protocol {

namespace {
// Operation metadata as lxdpp stored it (valid JSON; a null value when there is none).
json::value metadata_of(const api::operation_info& op) {
    boost::system::error_code ec;
    auto v = json::parse(op.metadata_json, ec);
    return ec ? json::value() : v;
}
}  // namespace

std::string exec_secret(const api::operation_info& op, const char* key, const std::string& rl) {
    auto meta = metadata_of(op);
    const json::value* fds = meta.is_object() ? meta.get_object().if_contains("fds") : nullptr;
    const json::value* secret = fds && fds->is_object() ? fds->get_object().if_contains(key) : nullptr;
    if (!secret || !secret->is_string()) fail_protocol(rl, std::string("exec without a '") + key + "' websocket");
    return std::string(secret->get_string());
}

int exec_exit_code(const api::operation_info& info, const std::string& rl) {
    auto meta = metadata_of(info);
    std::optional<int> ret;
    if (meta.is_object())
        if (auto it = meta.get_object().find("return"); it != meta.get_object().end() && it->value().is_number()) {
            // An exit status is a small integer; anything else (1e300, -2^63, 3.5) is not one.
            auto& v = it->value();
            bool fits = (v.is_int64() && v.get_int64() >= INT32_MIN && v.get_int64() <= INT32_MAX) ||
                        (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT32_MAX));
            if (!fits) fail_protocol(rl, "exec operation with an exit status that is not an integer");
            ret = static_cast<int>(v.is_int64() ? v.get_int64() : static_cast<std::int64_t>(v.get_uint64()));
        }
    // A command that could not be found fails the operation but has an exit status (127):
    // that is the command's outcome, not LXD's failure. -1 means LXD could not run it.
    if (info.code != api::status_code::success && !(ret && *ret >= 0)) std::rethrow_exception(operation_failure(info, rl));
    return ret.value_or(-1);
}

}  // namespace lxd::protocol
