// src/detail/news.hpp — how a handle learns from its own operations: the operation's last
// step (on the I/O thread, before any waiter is released) re-reads the object and posts it
// here; every copy of the handle takes it in at its next access.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include <lxd/instances.hpp>
#include <lxd/snapshots.hpp>

#include "calls.hpp"

namespace lxd::detail {

struct instance_news {
    std::mutex mu;
    std::uint64_t version = 0;
    client owner;
    api::instance data;
    std::string etag;

    explicit instance_news(client c) : owner(std::move(c)) {}
    void post(client c, api::instance d, std::string e) {
        std::lock_guard lk(mu);
        owner = std::move(c);
        data = std::move(d);
        etag = std::move(e);
        ++version;
    }
};

/// Reads instance `name` through `via` and posts it to `news`. A failed read (the instance is
/// gone, e.g. an ephemeral one that stopped) posts nothing: the operation's outcome stands.
/// `col` is collection(via), computed before (it may ask the server: not on the I/O thread).
inline asio::awaitable<void> learn_instance(std::shared_ptr<instance_news> news, client via, std::string col, std::string name) {
    try {
        auto r = protocol::instance_get(col, name);
        auto [env, res] = co_await core_of(via)->call(std::move(r), scope_of(via));
        auto data = protocol::decode_instance(env.metadata, res.request_line);
        news->post(std::move(via), std::move(data), res.etag);
    } catch (const error&) {
    }
}

/// The operation step that learns instance `name` through `via` (see learn_instance).
inline std::function<asio::awaitable<std::string>(const api::operation_info&)> then_learn(std::shared_ptr<instance_news> news,
                                                                                           client via, std::string name) {
    auto col = collection(via);
    return [news = std::move(news), via = std::move(via), col = std::move(col),
            name = std::move(name)](const api::operation_info&) -> asio::awaitable<std::string> {
        co_await learn_instance(news, via, col, name);
        co_return std::string();
    };
}

/// A value handle's slot (a snapshot, a backup): the value as re-read after its own rename.
template <class T>
struct value_news {
    std::mutex mu;
    std::uint64_t version = 0;
    T data;

    void post(T d) {
        std::lock_guard lk(mu);
        data = std::move(d);
        ++version;
    }
    /// The handle's sync(): copies a value newer than version `seen` into `into`.
    void take(T& into, std::uint64_t& seen) {
        std::lock_guard lk(mu);
        if (version == seen) return;
        seen = version;
        into = data;
    }
};

struct snapshot_news : value_news<api::snapshot> {};

/// The operation step that reads `req` through `via`, decodes the answer with
/// decode(metadata, request_line) and posts it to `news`. A failed read posts nothing.
template <class News, class Decode>
std::function<asio::awaitable<std::string>(const api::operation_info&)> then_learn_value(std::shared_ptr<News> news, client via,
                                                                                        protocol::request req, Decode decode) {
    return [news = std::move(news), via = std::move(via), req = std::move(req),
            decode](const api::operation_info&) -> asio::awaitable<std::string> {
        try {
            auto [env, res] = co_await core_of(via)->call(protocol::request(req), scope_of(via));
            news->post(decode(env.metadata, res.request_line));
        } catch (const error&) {
        }
        co_return std::string();
    };
}

/// The operation step that re-reads snapshot `name` of the instance at `instance_path`
/// through `via` and posts it to `news`. A failed read posts nothing.
inline std::function<asio::awaitable<std::string>(const api::operation_info&)> then_learn_snapshot(
    std::shared_ptr<snapshot_news> news, client via, std::string instance_path, std::string name) {
    return then_learn_value(std::move(news), std::move(via), protocol::snapshot_get(instance_path, name),
                            [](const json::value& v, const std::string& rl) { return protocol::decode_snapshot(v, rl); });
}

}  // namespace lxd::detail
