// Clusters over /1.0/cluster: members and their state.
#include <lxd/cluster.hpp>

#include "detail/calls.hpp"

namespace lxd {

using namespace detail;

namespace {

operation member_state(const client& c, std::string_view name, const char* action) {
    return as_operation(c, call_sync(c, protocol::cluster_member_state(name, action)));
}

}  // namespace

lxd::cluster client::cluster() const { return lxd::cluster(*this); }

api::cluster_info cluster::info() const {
    auto [env, res] = call_sync(client_, protocol::cluster_get());
    return protocol::decode_cluster_info(env.metadata, res.request_line);
}

std::vector<api::cluster_member> cluster::members() const {
    return get_list(client_, protocol::cluster_members(), "member list", protocol::decode_cluster_member);
}

api::cluster_member cluster::member(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::cluster_member(name));
    return protocol::decode_cluster_member(env.metadata, res.request_line);
}

operation cluster::evacuate(std::string_view name) const { return member_state(client_, name, "evacuate"); }
operation cluster::restore(std::string_view name) const { return member_state(client_, name, "restore"); }

}  // namespace lxd
