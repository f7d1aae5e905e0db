#include "cluster.hpp"

#include <boost/json.hpp>

#include "validation.hpp"

namespace lxd::protocol {

namespace {
request unscoped(verb m, std::string path, query_list q = {}) {
    auto r = make_request(m, std::move(path), std::move(q));
    r.scoped = false;
    return r;
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
    r.body = boost::json::serialize(boost::json::object{{"action", action}});
    return r;
}

}  // namespace lxd::protocol
