#include "http_client.hpp"

#include "../protocol/errors.hpp"

namespace lxd::transport {

namespace {
using asio::use_awaitable;

/// Options every websocket gets: the websocket's own timeouts replace the stream's (Beast's
/// rule), the handshake bounded by `deadline`; no Origin and no Sec-Fetch-* headers are
/// ever sent (LXD refuses cross-site requests).
void prepare(websocket_stream& ws, const std::string& user_agent, clock::time_point deadline) {
    beast::get_lowest_layer(ws).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - clock::now());
    if (t.handshake_timeout.count() <= 0) t.handshake_timeout = std::chrono::milliseconds(1);
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws.set_option(t);
    ws.set_option(websocket::stream_base::decorator([user_agent](websocket::request_type& req) {
        req.set(http::field::user_agent, user_agent);
    }));
    ws.read_message_max(64u * 1024 * 1024);
}
}  // namespace

asio::awaitable<std::unique_ptr<websocket_stream>> http_client::open_websocket(std::string target, clock::time_point deadline,
                                                                               asio::io_context* on) {
    auto rl = std::string("GET ") + target.substr(0, target.find('?'));
    auto conn = co_await connect(deadline, rl, on);
    auto ws = std::make_unique<websocket_stream>(std::move(conn->stream));
    prepare(*ws, settings_.user_agent, deadline);
    boost::system::error_code ec;
    websocket::response_type res;
    co_await ws->async_handshake(res, ep_.host_header, target, asio::redirect_error(use_awaitable, ec));
    requests.fetch_add(1, std::memory_order_relaxed);
    if (ec == beast::error::timeout) fail_transport(errc::timeout, rl, "websocket handshake timed out", ec);
    if (ec == websocket::error::upgrade_declined) {
        // The server answered with an ordinary response: its error envelope says why
        // (e.g. "Only running operations can be connected").
        auto status = static_cast<int>(res.result_int());
        protocol::parse_envelope(status >= 400 ? status : 500, res[http::field::content_type], res.body(), rl);
        protocol::fail(errc::protocol_error, "the server declined the websocket upgrade", rl, {.http_status = status});
    }
    if (ec) fail_transport(errc::connection_lost, rl, "websocket handshake failed", ec);
    co_return ws;
}

}  // namespace lxd::transport
