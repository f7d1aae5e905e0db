// src/detail/calls.hpp — the synchronous face's building blocks: run one request on the
// client's I/O thread and wait; turn an async answer into an operation handle.
#pragma once

#include <lxd/client.hpp>

#include "core.hpp"

namespace lxd::detail {

using envelope_and_response = std::pair<protocol::envelope, http_response>;

/// One request with envelope parsing, blocking.
inline envelope_and_response call_sync(const client& c, http_request r) {
    return core_of(c)->run([](core* co, http_request r, scope sc) -> asio::awaitable<envelope_and_response> {
        co_return co_await co->call(std::move(r), std::move(sc));
    }(core_of(c).get(), std::move(r), scope_of(c)));
}

/// One request without envelope parsing (raw bodies), blocking.
inline http_response exchange_sync(const client& c, http_request r) {
    return core_of(c)->run([](core* co, http_request r, scope sc) -> asio::awaitable<http_response> {
        co_return co_await co->exchange(std::move(r), std::move(sc));
    }(core_of(c).get(), std::move(r), scope_of(c)));
}

/// A streamed exchange (see transport::transfer), blocking.
inline http_response stream_sync(const client& c, http_request r, transfer t) {
    return core_of(c)->run([](core* co, http_request r, scope sc, transfer t) -> asio::awaitable<http_response> {
        co_return co_await co->exchange_streaming(std::move(r), std::move(sc), std::move(t));
    }(core_of(c).get(), std::move(r), scope_of(c), std::move(t)));
}

/// A collection GET (usually recursion=1): the metadata array, each element decoded with
/// decode(value, request_line).
template <class Decode>
auto get_list(const client& c, http_request r, const char* what, Decode&& decode) {
    auto [env, res] = call_sync(c, std::move(r));
    if (!env.metadata.is_array()) protocol::fail_protocol(res.request_line, std::string(what) + " is not an array");
    std::vector<decltype(decode(env.metadata, res.request_line))> out;
    for (auto& v : env.metadata.get_array()) out.push_back(decode(v, res.request_line));
    return out;
}

/// A collection GET without recursion: the last segment of each URL (a name or fingerprint).
inline std::vector<std::string> get_names(const client& c, http_request r, const char* what) {
    return get_list(c, std::move(r), what, [what](const json::value& v, const std::string& rl) {
        if (!v.is_string()) protocol::fail_protocol(rl, std::string(what) + " holds something that is not a URL");
        return protocol::last_segment(v.get_string());
    });
}

/// The answer as an operation handle (an async envelope is required).
inline operation as_operation(const client& c, const envelope_and_response& er,
                              std::function<asio::awaitable<std::string>(const api::operation_info&)> then = {}) {
    auto& [env, res] = er;
    if (env.type != protocol::envelope::kind::async)
        protocol::fail_protocol(res.request_line, "expected an asynchronous operation, got a synchronous answer");
    return start_operation(core_of(c), scope_of(c), env, res.request_line, std::move(then));
}

/// How long a synchronous convenience (save, remove, ...) waits for its operation.
inline std::chrono::milliseconds op_deadline(const client& c) {
    return std::max<std::chrono::milliseconds>(scope_of(c).timeout, std::chrono::minutes(2));
}

inline void wait_if_async(const client& c, const envelope_and_response& er) {
    if (er.first.type == protocol::envelope::kind::async) as_operation(c, er).wait(op_deadline(c));
}

/// "instances", or "containers" on servers without the "instances" extension.
inline std::string collection(const client& c) { return c.has_api_extension("instances") ? "instances" : "containers"; }

/// Throws the server's error for a raw (non-envelope) exchange that did not succeed.
inline void check_answer(const http_response& res) {
    if (res.status < 200 || res.status >= 300)
        protocol::parse_envelope(res.status, res.content_type, res.body, res.request_line);
}

/// "X-LXD-" or "X-Incus-" (headers of file and image transfers), from the server's flavour.
inline std::string header_prefix(const client& c) { return c.server_flavour() == flavour::incus ? "X-Incus-" : "X-LXD-"; }
/// The same, lowercased, for reading response fields.
inline std::string lower_prefix(const client& c) { return c.server_flavour() == flavour::incus ? "x-incus-" : "x-lxd-"; }

using protocol::fail_invalid;

/// True if `get()` succeeds, false if it throws errc::not_found; other errors propagate.
template <class Get>
bool exists_by(Get&& get) {
    try {
        (void)get();
        return true;
    } catch (const error& e) {
        if (e.code_value() == errc::not_found) return false;
        throw;
    }
}

}  // namespace lxd::detail
