#include "cluster.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "codecs.hpp"
#include "json_reader.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace json = boost::json;

namespace {
request unscoped(verb m, std::string path, query_list q = {}) {
    return protocol::unscoped(make_request(m, std::move(path), std::move(q)));
}
}  // namespace

request cluster_get() { return unscoped(verb::get, "/1.0/cluster"); }

request cluster_members() { return unscoped(verb::get, "/1.0/cluster/members", {{"recursion", "1"}}); }

request cluster_member(std::string_view name) {
    check_member_name(name);
    return unscoped(verb::get, api_path({"cluster", "members", name}));
}

request cluster_member_state(std::string_view name, std::string_view action) {
    check_member_name(name);
    auto r = unscoped(verb::post, api_path({"cluster", "members", name, "state"}));
    r.body = json::serialize(json::object{{"action", action}});
    return r;
}

request cluster_member_put(const api::cluster_member& data, std::string_view etag) {
    check_member_name(data.server_name);
    for (auto& [k, v] : data.config) check_config_key(k);
    // What the server sent, in its order, without the read-only fields; the editable ones
    // overlaid (fields this library does not know go back as they came).
    static constexpr std::string_view read_only[] = {"server_name", "url",     "database", "status",
                                                     "message",     "architecture"};
    json::object o;
    if (!data.raw_json.empty())
        for (auto& kv : stored_object(data.raw_json, "cluster member"))
            if (std::find(std::begin(read_only), std::end(read_only), kv.key()) == std::end(read_only)) o[kv.key()] = kv.value();
    o["config"] = encode_config(data.config);
    o["description"] = data.description;
    o["failure_domain"] = data.failure_domain;
    o["groups"] = encode_strings(data.groups);
    o["roles"] = encode_strings(data.roles);
    auto r = unscoped(verb::put, api_path({"cluster", "members", data.server_name}));
    r.body = json::serialize(o);
    set_if_match(r, etag);
    return r;
}

request cluster_member_rename(std::string_view name, std::string_view new_name) {
    check_member_name(name);
    check_member_name(new_name);
    auto r = unscoped(verb::post, api_path({"cluster", "members", name}));
    r.body = json::serialize(json::object{{"server_name", new_name}});
    return r;
}

request cluster_member_delete(std::string_view name, bool force) {
    check_member_name(name);
    query_list q;
    if (force) q.emplace_back("force", "1");
    return unscoped(verb::delete_, api_path({"cluster", "members", name}), std::move(q));
}

}  // namespace lxd::protocol
