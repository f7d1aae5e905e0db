// Terminal sessions: interactive exec and the console. One data websocket (the terminal) and
// control, driven on the I/O thread; the two differ only in how they end.
#include <lxd/console.hpp>
#include <lxd/instances.hpp>

#include "detail/calls.hpp"
#include "detail/exec_start.hpp"
#include "protocol/console.hpp"
#include "protocol/server.hpp"

namespace lxd {

using namespace detail;

namespace detail {

/// What a session is for: an exec's end is its command's exit code; a console has none, and
/// the server ends its output by closing the connection (no close frame) after a detach.
enum class session_kind { exec, console };

struct session_base {
    mailbox<std::string> output;   // the terminal's output; closed at its end
    mailbox<int> ended;            // closed once the operation is final, with its failure if any
    std::mutex mu;                 // guards exit_code and stream_failure
    int exit_code = -1;            // set before `ended` closes
    std::exception_ptr stream_failure;   // the terminal's output broke before its end
    bool closing = false;                // we closed the sockets ourselves (I/O thread only)
    virtual ~session_base() = default;
    virtual void post_data(std::string bytes) = 0;
    virtual void post_control(std::string text) = 0;
    /// Closes the control websocket with a close frame, after what was queued before.
    virtual void post_control_close() = 0;
    virtual void shutdown() = 0;
};

namespace {

struct session_impl : session_base, std::enable_shared_from_this<session_impl> {
    enum class frame { binary, text, close };
    struct writer {
        std::deque<std::pair<frame, std::string>> queue;
        bool busy = false;
    };
    core* c;
    session_kind kind;
    std::unique_ptr<ws_stream> data, control;
    writer data_writer, control_writer;

    session_impl(core* co, session_kind k, std::unique_ptr<ws_stream> d, std::unique_ptr<ws_stream> ctl)
        : c(co), kind(k), data(std::move(d)), control(std::move(ctl)) {}

    void post_data(std::string bytes) override { post(false, std::move(bytes), frame::binary); }
    void post_control(std::string text) override { post(true, std::move(text), frame::text); }
    void post_control_close() override { post(true, "Detaching from console", frame::close); }

    void post(bool to_control, std::string payload, frame f) {
        asio::post(c->io(), [self = this->shared_from_this(), to_control, f, payload = std::move(payload)]() mutable {
            auto& w = to_control ? self->control_writer : self->data_writer;
            w.queue.emplace_back(f, std::move(payload));
            if (w.busy) return;
            w.busy = true;
            asio::co_spawn(self->c->io(), drain(self, to_control), asio::detached);
        });
    }

    // One writer per websocket at a time (Beast allows a single outstanding write).
    static asio::awaitable<void> drain(std::shared_ptr<session_impl> self, bool to_control) {
        auto& w = to_control ? self->control_writer : self->data_writer;
        auto& ws = to_control ? *self->control : *self->data;
        while (!w.queue.empty()) {
            auto [f, payload] = std::move(w.queue.front());
            w.queue.pop_front();
            boost::system::error_code ec;
            if (f == frame::close) {
                websocket::close_reason why(websocket::close_code::normal, payload);
                co_await ws.async_close(why, asio::redirect_error(asio::use_awaitable, ec));
                w.queue.clear();
                break;
            }
            ws.text(f == frame::text);
            co_await ws.async_write(asio::buffer(payload), asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                w.queue.clear();
                break;
            }
        }
        w.busy = false;
    }

    void shutdown() override {
        asio::post(c->io(), [self = this->shared_from_this()] { self->close_all(); });
    }
    void close_all() {
        closing = true;
        beast::get_lowest_layer(*data).close();
        beast::get_lowest_layer(*control).close();
    }

    static asio::awaitable<void> read_output(std::shared_ptr<session_impl> self) {
        beast::flat_buffer buf;
        close_frame_watch server_closed(*self->data);
        for (;;) {
            boost::system::error_code ec;
            co_await self->data->async_read(buf, asio::redirect_error(asio::use_awaitable, ec));
            // A console's output ends with the connection closed, no close frame (LXD, Incus).
            bool abrupt_end_is_normal = self->kind == session_kind::console;
            if (ec && ec != websocket::error::closed && !server_closed.seen() && !self->closing && !abrupt_end_is_normal) {
                // Reset, EOF without a close, a broken frame: output was lost. Say so
                // rather than let the session end as if the terminal had closed.
                auto failure = protocol::make_error(
                    errc::connection_lost, "the terminal's output stream broke before its end (" + ec.message() + "); output is incomplete");
                std::lock_guard lk(self->mu);
                self->stream_failure = std::make_exception_ptr(std::move(failure));
            }
            if (ec || (self->data->got_text() && buf.size() == 0)) break;
            std::string chunk = beast::buffers_to_string(buf.data());
            buf.consume(buf.size());
            self->output.push(std::move(chunk));
        }
        self->output.close();   // after stream_failure: wait() sees both
        // LXD finishes the operation only when both directions of the terminal have ended:
        // answer its end of output with ours (the empty text frame), then close.
        self->post_data_eof();
    }

    void post_data_eof() {
        asio::post(c->io(), [self = this->shared_from_this()] {
            asio::co_spawn(self->c->io(), [](std::shared_ptr<session_impl> self) -> asio::awaitable<void> {
                boost::system::error_code ec;
                self->data->text(true);
                if (!self->data_writer.busy)
                    co_await self->data->async_write(asio::buffer("", 0), asio::redirect_error(asio::use_awaitable, ec));
                co_await self->data->async_close(websocket::close_code::normal, asio::redirect_error(asio::use_awaitable, ec));
            }(self), asio::detached);
        });
    }

    static asio::awaitable<void> read_control(std::shared_ptr<session_impl> self) {
        beast::flat_buffer buf;
        for (;;) {   // keeps pings answered; nothing useful arrives here
            boost::system::error_code ec;
            co_await self->control->async_read(buf, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            buf.consume(buf.size());
        }
    }

    static asio::awaitable<void> follow(std::shared_ptr<session_impl> self, scope sc, std::string id, std::string rl) {
        std::exception_ptr failure;
        int code = -1;
        try {
            auto info = co_await wait_operation_final(self->c, sc, id, rl);
            if (self->kind == session_kind::exec) code = exec_exit_code(info, rl);
        } catch (...) {
            failure = std::current_exception();
        }
        {
            std::lock_guard lk(self->mu);
            self->exit_code = code;
        }
        self->ended.close(failure);
        // The PTY's output ends when the command does; should the server keep the socket
        // open, give it two seconds and close it ourselves so that wait() cannot hang.
        asio::steady_timer grace(self->c->io(), std::chrono::seconds(2));
        boost::system::error_code ignored;
        co_await grace.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        {
            std::lock_guard lk(self->mu);
            if (!self->output.closed() && !failure && !self->stream_failure) {
                self->stream_failure = std::make_exception_ptr(protocol::make_error(
                    errc::connection_lost, "the terminal's output did not end within 2 s of the operation's end; output may be incomplete"));
            }
        }
        self->close_all();
    }
};

std::shared_ptr<session_base> start_session(core* c, const scope& sc, session_kind kind, std::vector<std::unique_ptr<ws_stream>>& sockets,
                                            const std::string& id, const std::string& rl) {
    auto s = std::make_shared<session_impl>(c, kind, std::move(sockets[0]), std::move(sockets[1]));
    s->data->binary(true);
    asio::co_spawn(c->io(), session_impl::read_output(s), asio::detached);
    asio::co_spawn(c->io(), session_impl::read_control(s), asio::detached);
    asio::co_spawn(c->io(), session_impl::follow(s, sc, id, rl), asio::detached);
    return s;
}

asio::awaitable<std::shared_ptr<session_base>> open_session(core* c, scope sc, http_request start, session_kind kind) {
    auto [op, rl] = co_await post_exec(c, sc, std::move(start));
    auto deadline = clock::now() + std::chrono::seconds(5);
    // Control first (see exec.cpp): the command starts once the terminal is attached.
    std::vector<std::unique_ptr<ws_stream>> sockets(2);
    std::exception_ptr connect_failure;
    try {
        for (auto [key, slot] : {std::pair{"control", 1}, {"0", 0}}) {
            auto w = protocol::operation_websocket(op.id, exec_secret(op, key, rl));
            sockets[static_cast<std::size_t>(slot)] = co_await c->open_websocket(c->target_for(w, sc), deadline);
        }
    } catch (const error&) {
        connect_failure = std::current_exception();
    }
    if (connect_failure) {
        // Incus holds the console for this operation until it ends: cancel it (best effort).
        try {
            (void)co_await c->call(protocol::operation_cancel(op.id), sc);
        } catch (const error&) {
        }
        std::rethrow_exception(connect_failure);
    }
    co_return start_session(c, sc, kind, sockets, op.id, rl);
}

}  // namespace
}  // namespace detail

exec_session::exec_session(std::shared_ptr<detail::core> core, std::shared_ptr<detail::session_base> s)
    : core_(std::move(core)), s_(std::move(s)) {}

exec_session::~exec_session() {
    if (s_) s_->shutdown();
}

namespace {
[[noreturn]] void no_session() {
    protocol::fail_invalid("empty exec_session or console_session");
}
}  // namespace

void exec_session::write(std::string_view data) {
    if (!s_) no_session();
    s_->post_data(std::string(data));
}

std::optional<std::string> exec_session::read(std::chrono::milliseconds timeout) {
    if (!s_) no_session();
    if (auto chunk = s_->output.pop(timeout)) return chunk;
    if (s_->output.drained()) return std::string();   // the end of the output
    return std::nullopt;
}

void exec_session::resize(unsigned width, unsigned height) {
    if (!s_) no_session();
    json::object args{{"width", std::to_string(width)}, {"height", std::to_string(height)}};
    s_->post_control(json::serialize(json::object{{"command", "window-resize"}, {"args", args}}));
}

void exec_session::signal(int signal_number) {
    if (!s_) no_session();
    s_->post_control(json::serialize(json::object{{"command", "signal"}, {"signal", signal_number}}));
}

bool exec_session::done() const {
    if (!s_) no_session();
    return s_->ended.closed() && s_->output.closed();
}

int exec_session::wait(std::optional<std::chrono::milliseconds> timeout) {
    if (!s_) no_session();
    core_->refuse_on_io_thread();
    std::optional<mailbox<int>::clock::time_point> deadline;
    if (timeout) deadline = mailbox<int>::deadline_after(*timeout);
    auto timed_out = [&] {
        protocol::fail(errc::timeout, "the command did not end within " + std::to_string(timeout->count()) + " ms (it goes on)");
    };
    // A broken output stream ends the wait at once: the output is incomplete whatever the
    // command does next (Incus keeps such a command, and its operation, going for a while).
    // The broken stream comes before the operation's end: an operation that failed after it
    // (Incus) failed because of it. stream_failure is only ever set while the output is still
    // open, so once the output has closed it is final.
    if (!s_->output.wait_closed(deadline)) timed_out();
    {
        std::lock_guard lk(s_->mu);
        if (s_->stream_failure) std::rethrow_exception(s_->stream_failure);
    }
    if (!s_->ended.wait_closed(deadline)) timed_out();
    s_->ended.rethrow_failure();
    std::lock_guard lk(s_->mu);
    return s_->exit_code;
}

exec_session instance::execute_interactive(std::vector<std::string> argv, interactive_options options) {
    sync();
    if (argv.empty()) fail_invalid("execute_interactive needs a command (argv is empty)");
    auto& core = core_of(client_);
    if (!options.environment.count("TERM")) options.environment["TERM"] = "xterm-256color";
    auto start = protocol::exec_start_interactive(collection(client_), data_.name,
                                                  {std::move(argv), options.environment, options.cwd, options.user, options.group},
                                                  options.width, options.height);
    auto s = core->run(open_session(core.get(), scope_of(client_), std::move(start), session_kind::exec));
    return access::make_session(core, std::move(s));
}

namespace detail {
struct console_access {
    static console_session make(exec_session terminal, std::shared_ptr<core> c, std::shared_ptr<session_base> s) {
        return {std::move(terminal), std::move(c), std::move(s)};
    }
};
}  // namespace detail

console_session::console_session(exec_session terminal, std::shared_ptr<detail::core> core, std::shared_ptr<detail::session_base> s)
    : terminal_(std::move(terminal)), core_(std::move(core)), s_(std::move(s)) {}

void console_session::write(std::string_view data) { terminal_.write(data); }
std::optional<std::string> console_session::read(std::chrono::milliseconds timeout) { return terminal_.read(timeout); }
void console_session::resize(unsigned width, unsigned height) { terminal_.resize(width, height); }
bool console_session::done() const { return terminal_.done(); }

void console_session::detach(std::chrono::milliseconds timeout) {
    if (!s_) no_session();
    core_->refuse_on_io_thread();
    s_->post_control_close();
    auto deadline = mailbox<int>::deadline_after(timeout);
    if (!s_->output.wait_closed(deadline) || !s_->ended.wait_closed(deadline))
        protocol::fail(errc::timeout, "the server did not end the console within " + std::to_string(timeout.count()) + " ms of the detach");
    s_->ended.rethrow_failure();
}

console_session instance::console(console_options options) const {
    const auto& c = owner();
    auto start = protocol::console_start(collection(c), name(), options.type, options.width, options.height, options.force);
    auto& core = core_of(c);
    auto s = core->run(open_session(core.get(), scope_of(c), std::move(start), session_kind::console));
    return detail::console_access::make(access::make_session(core, s), core, s);
}

}  // namespace lxd
