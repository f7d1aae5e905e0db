#include "core.hpp"

namespace lxd::detail {

namespace {
transport::settings settings_of(const client_options& o) {
    return {.user_agent = o.user_agent, .max_idle_connections = o.max_idle_connections, .transfer_timeout = o.transfer_timeout};
}
}  // namespace

core::core(transport::endpoint ep, client_options o) : http_client(std::move(ep), settings_of(o)), options(std::move(o)) {}

core::~core() { shutdown(); }   // no coroutine runs while this part is destroyed

json::value parse_json(std::string_view text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec) protocol::fail_protocol("", "invalid JSON: " + ec.message());
    return v;
}

api::server_info core::cached_info(const scope& sc) {
    {
        std::lock_guard lk(info_mu);
        if (info_cache) return *info_cache;
    }
    auto info = run([](core* self, scope s) -> asio::awaitable<api::server_info> {
        auto [env, res] = co_await self->call(protocol::server_get(), std::move(s));
        co_return protocol::decode_server_info(env.metadata, res.request_line);
    }(this, sc));
    std::lock_guard lk(info_mu);
    if (!info_cache || info.auth == "trusted") info_cache = info;
    return *info_cache;
}

}  // namespace lxd::detail
