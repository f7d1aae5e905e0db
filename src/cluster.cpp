// Clusters over /1.0/cluster: members and their state.
#include <lxd/cluster.hpp>

#include "detail/calls.hpp"

namespace lxd {

using namespace detail;

namespace {

void check_member_name(std::string_view name) {
    if (name.empty() || name.find('/') != std::string_view::npos || name.find(' ') != std::string_view::npos)
        fail_invalid("'" + std::string(name) + "' is not a cluster member name");
}

std::string member_path(std::string_view name) { return protocol::api_path({"cluster", "members", name}); }

operation member_state(const client& c, std::string_view name, const char* action) {
    check_member_name(name);
    http_request r;
    r.method = http::verb::post;
    r.path = member_path(name) + "/state";
    r.body = json::serialize(json::object{{"action", action}});
    r.scoped = false;   // a member's state is not placed anywhere
    return as_operation(c, call_sync(c, std::move(r)));
}

}  // namespace

lxd::cluster client::cluster() const { return lxd::cluster(*this); }

api::cluster_info cluster::info() const {
    http_request r;
    r.path = "/1.0/cluster";
    r.scoped = false;
    auto [env, res] = call_sync(client_, std::move(r));
    return protocol::decode_cluster_info(env.metadata, res.request_line);
}

std::vector<api::cluster_member> cluster::members() const {
    http_request r;
    r.path = "/1.0/cluster/members";
    r.query = {{"recursion", "1"}};
    r.scoped = false;
    return get_list(client_, std::move(r), "member list", protocol::decode_cluster_member);
}

api::cluster_member cluster::member(std::string_view name) const {
    check_member_name(name);
    http_request r;
    r.path = member_path(name);
    r.scoped = false;
    auto [env, res] = call_sync(client_, std::move(r));
    return protocol::decode_cluster_member(env.metadata, res.request_line);
}

operation cluster::evacuate(std::string_view name) const { return member_state(client_, name, "evacuate"); }
operation cluster::restore(std::string_view name) const { return member_state(client_, name, "restore"); }

}  // namespace lxd
