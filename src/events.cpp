#include <lxd/client.hpp>
#include <lxd/events.hpp>

#include "detail/core.hpp"

namespace lxd {

using namespace detail;

namespace detail {

void event_channel::close() {
    std::function<void()> c;
    {
        std::unique_lock lk(mu);
        if (!closing) {
            closing = true;
            c = closer;
            on_event = nullptr;
            on_error = nullptr;
        }
        events.close();   // a failure that came first stays the one next() reports
        if (!owner->on_io_thread()) cv.wait(lk, [&] { return !in_callback; });
    }
    if (c) asio::post(owner->io(), c);
}

namespace {

// Ends the stream with `code`: next() rethrows it once the events before it are taken; a
// subscription's on_error gets it. Nothing when the user closed the stream.
void fail_channel(event_channel& ch, errc code, const std::string& rl, std::string detail) {
    std::function<void(const std::exception_ptr&)> on_error;
    std::exception_ptr failure;
    {
        std::lock_guard lk(ch.mu);
        if (!ch.closing) {
            failure = std::make_exception_ptr(protocol::make_error(code, std::move(detail), rl));
            on_error = ch.on_error;
        }
        ch.events.close(failure);
    }
    if (on_error) on_error(failure);
}

asio::awaitable<void> read_events(ws_stream& ws, std::weak_ptr<event_channel> weak, std::string rl,
                                  std::chrono::milliseconds idle_limit) {
    beast::flat_buffer buf;
    for (;;) {
        boost::system::error_code ec;
        co_await ws.async_read(buf, asio::redirect_error(asio::use_awaitable, ec));
        auto ch = weak.lock();
        if (!ch) co_return;
        if (ec) {
            fail_channel(*ch, errc::connection_lost, rl,
                         ec == websocket::error::closed ? "the server closed the event stream"
                         : ec == beast::error::timeout
                             ? "the event stream was silent for " + std::to_string(idle_limit.count()) +
                                   " ms and did not answer a ping (the idle limit)"
                             : "the event stream broke: " + ec.message());
            co_return;
        }
        std::string text = beast::buffers_to_string(buf.data());
        buf.consume(buf.size());
        api::event ev;
        try {
            if (!ws.got_text()) protocol::fail_protocol(rl, "a binary frame on the event stream");
            boost::system::error_code jec;
            auto v = json::parse(text, jec);
            if (jec) protocol::fail_protocol(rl, "event is not JSON: " + jec.message());
            ev = protocol::decode_event(v, rl);
        } catch (const error& e) {
            // A server that sends what is not an event is not one we understand: end the
            // stream with a clear error rather than drop events silently while TCP stays up.
            fail_channel(*ch, errc::protocol_error, rl, e.diag().detail);
            co_return;
        }
        std::function<void(const api::event&)> cb;
        {
            std::lock_guard lk(ch->mu);
            if (ch->closing) co_return;
            cb = ch->on_event;
            if (!cb) ch->events.push(std::move(ev));
            ch->in_callback = static_cast<bool>(cb);
        }
        if (cb) {
            try {
                cb(ev);
            } catch (...) {
                // a throwing callback must not take the I/O thread down; it loses this event
            }
            {
                std::lock_guard lk(ch->mu);
                ch->in_callback = false;
            }
            ch->cv.notify_all();
        }
    }
}

asio::awaitable<void> run_reader(std::shared_ptr<ws_stream> ws, std::weak_ptr<event_channel> weak, std::string rl,
                                 std::chrono::milliseconds idle_limit) {
    co_await read_events(*ws, std::move(weak), std::move(rl), idle_limit);
    beast::get_lowest_layer(*ws).close();
}

std::shared_ptr<event_channel> open_channel(const std::shared_ptr<core>& c, const scope& sc, const event_options& o,
                                            std::function<void(const api::event&)> on_event,
                                            std::function<void(const std::exception_ptr&)> on_error) {
    if (o.idle_limit <= std::chrono::milliseconds::zero()) {
        protocol::fail_invalid("event_options::idle_limit must be positive");
    }
    auto ch = std::make_shared<event_channel>();
    ch->owner = c;
    ch->on_event = std::move(on_event);
    ch->on_error = std::move(on_error);
    scope s = sc;
    if (o.all_projects) s.project.clear();
    auto target = c->target_for(protocol::events(o.types, o.all_projects), s);
    c->run([](core* c, std::string target, scope sc, std::shared_ptr<event_channel> ch,
              std::chrono::milliseconds idle_limit) -> asio::awaitable<void> {
        auto ws = co_await c->open_websocket(target, clock::now() + sc.timeout);
        std::string rl = "GET /1.0/events";
        std::weak_ptr<event_channel> weak = ch;
        std::shared_ptr<ws_stream> shared(std::move(ws));
        // A silent peer is asked with a ping after half the idle limit; if nothing at all
        // (event, ping or pong) arrives by the limit, the read ends with a timeout.
        websocket::stream_base::timeout t{};
        t.handshake_timeout = sc.timeout;   // bounds the closing handshake
        t.idle_timeout = idle_limit;
        t.keep_alive_pings = true;
        shared->set_option(t);
        {
            std::lock_guard lk(ch->mu);
            ch->closer = [shared] { beast::get_lowest_layer(*shared).close(); };
        }
        asio::co_spawn(c->io(), run_reader(shared, weak, rl, idle_limit), asio::detached);
    }(c.get(), target, s, ch, o.idle_limit));
    return ch;
}

}  // namespace
}  // namespace detail

event_stream& event_stream::operator=(event_stream&& o) noexcept {
    if (this != &o) {
        if (ch_) ch_->close();
        ch_ = std::move(o.ch_);
    }
    return *this;
}

event_stream::~event_stream() {
    if (ch_) ch_->close();
}

void event_stream::close() {
    if (ch_) ch_->close();
}

std::optional<api::event> event_stream::next(std::chrono::milliseconds timeout) {
    if (!ch_) {
        protocol::fail_invalid("empty event stream");
    }
    if (auto ev = ch_->events.pop(timeout)) return ev;
    if (ch_->events.drained()) {
        ch_->events.rethrow_failure();
        protocol::fail(errc::connection_lost, "the event stream is closed");
    }
    return std::nullopt;
}

event_subscription& event_subscription::operator=(event_subscription&& o) noexcept {
    if (this != &o) {
        if (ch_) ch_->close();
        ch_ = std::move(o.ch_);
    }
    return *this;
}

event_subscription::~event_subscription() {
    if (ch_) ch_->close();
}

void event_subscription::close() {
    if (ch_) ch_->close();
}

event_stream client::events(event_options options) const {
    return access::make_stream(open_channel(core_, *scope_, options, nullptr, nullptr));
}

event_subscription client::subscribe(event_options options, std::function<void(const api::event&)> on_event,
                                     std::function<void(const std::exception_ptr&)> on_error) const {
    if (!on_event) {
        protocol::fail_invalid("subscribe needs a callback");
    }
    return access::make_subscription(open_channel(core_, *scope_, options, std::move(on_event), std::move(on_error)));
}

}  // namespace lxd
