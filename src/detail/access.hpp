// src/detail/access.hpp — the library's way into its public classes. Their constructors
// from internal state and their internal members are private, with `detail::access` as
// their one friend, so a user sees no `detail::` in any public signature.
#pragma once

#include <memory>

#include <lxd/client.hpp>
#include <lxd/events.hpp>
#include <lxd/exec.hpp>
#include <lxd/operation.hpp>

namespace lxd::detail {

struct access {
    static const std::shared_ptr<core>& core_of(const client& c) { return c.core_; }
    static const scope& scope_of(const client& c) { return *c.scope_; }
    static client make_client(std::shared_ptr<core> c, std::shared_ptr<const scope> s) { return {std::move(c), std::move(s)}; }
    static operation make_operation(std::shared_ptr<core> c, std::shared_ptr<operation_state> st) {
        return {std::move(c), std::move(st)};
    }
    static exec_session make_session(std::shared_ptr<core> c, std::shared_ptr<session_base> s) { return {std::move(c), std::move(s)}; }
    static event_stream make_stream(std::shared_ptr<event_channel> ch) { return event_stream(std::move(ch)); }
    static event_subscription make_subscription(std::shared_ptr<event_channel> ch) { return event_subscription(std::move(ch)); }
    static const std::shared_ptr<exec_signal_state>& state_of(const exec_signals& s) { return s.state_; }
};

inline const std::shared_ptr<core>& core_of(const client& c) { return access::core_of(c); }
inline const scope& scope_of(const client& c) { return access::scope_of(c); }

}  // namespace lxd::detail
