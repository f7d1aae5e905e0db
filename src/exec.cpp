// exec: POST .../exec with wait-for-websocket, then the four websockets (stdin, stdout,
// stderr, control) driven concurrently on the I/O thread. The command's result is final
// only when the operation is done AND stdout and stderr have reached their end.
#include <lxd/instances.hpp>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <climits>
#include <deque>
#include <functional>
#include <mutex>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detail/calls.hpp"
#include "detail/exec_start.hpp"

namespace lxd {

using namespace detail;
using namespace boost::asio::experimental::awaitable_operators;

namespace detail {

// The channel behind exec_signals: send() queues under the mutex and, when an exec is
// running with it, calls `wake` (which posts to that exec's I/O thread). The running exec
// sets `wake` when it starts and clears it, setting `ended`, before it returns.
struct exec_signal_state {
    std::mutex mu;
    std::deque<int> pending;
    std::function<void()> wake;
    bool ended = false;
};

asio::awaitable<exec_started> post_exec(core* c, scope sc, http_request r) {
    auto [env, res] = co_await c->call(std::move(r), sc);
    if (env.type != protocol::envelope::kind::async) protocol::fail_protocol(res.request_line, "exec did not start an operation");
    co_return exec_started{protocol::decode_operation(env.metadata, res.request_line), res.request_line};
}

}  // namespace detail

namespace {

constexpr std::size_t stdin_chunk = 64 * 1024;

/// Where one output stream stands, for the drain deadline and for error messages.
struct stream_progress {
    const char* name;           ///< "stdout" / "stderr"
    bool ended = false;
};

[[noreturn]] void fail_stream(const std::string& rl, const char* name, const std::string& why,
                              const boost::system::error_code& ec = {}) {
    protocol::fail(errc::connection_lost,
                   std::string("exec's ") + name + " stream " + why + (ec ? " (" + ec.message() + ")" : std::string()) +
                       "; its output is incomplete, so no exit code is reported",
                   rl);
}

/// Reads one output websocket to its end. The end is LXD's barrier (an empty text frame)
/// or a websocket close; anything else (reset, EOF without close, a broken frame) means
/// output was lost and is an error, never a short success. `on_chunk` runs after every
/// chunk (the drain deadline is pushed back on progress).
asio::awaitable<void> pump_output(ws_stream& ws, std::string& sink, const std::function<void(std::string_view)>& cb,
                                  stream_progress& prog, const std::string& rl, const std::function<void()>& on_chunk) {
    beast::flat_buffer buf;
    close_frame_watch server_closed(ws);
    for (;;) {
        boost::system::error_code ec;
        co_await ws.async_read(buf, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == websocket::error::closed || (ec && server_closed.seen())) break;   // the end, whatever our reply met
        // EPIPE can only come from a write, and the only writes in a read are Beast's
        // replies (a close, a pong, or the close that fails a frame it could not parse):
        // the server had already stopped reading this stream, i.e. it was done with it.
        // LXD 5.0 does this under load at the end of a stream (seen in CI, ~1 in 1,000
        // runs, with no close frame seen first). A reset or a cut (ECONNRESET, EOF) is
        // still lost output.
        if (ec == asio::error::broken_pipe) break;
        if (ec == asio::error::operation_aborted) co_return;   // cancelled: someone else reports why
        if (ec) fail_stream(rl, prog.name, "broke before its end", ec);
        if (ws.got_text() && buf.size() == 0) break;   // LXD's end-of-stream barrier
        auto b = buf.data();
        std::string_view chunk(static_cast<const char*>(b.data()), b.size());
        if (cb) cb(chunk); else sink.append(chunk);
        buf.consume(buf.size());
        on_chunk();
    }
    prog.ended = true;
    on_chunk();
}

asio::awaitable<bool> send_stdin(ws_stream& ws, const char* data, std::size_t n) {
    boost::system::error_code ec;
    co_await ws.async_write(asio::buffer(data, n), asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;   // false: the command stopped reading (exited): not an error of ours
}

/// Input from a descriptor: a regular file is read directly (it never blocks for long);
/// anything else asynchronously on a duplicate, whose shared O_NONBLOCK flag is put back.
asio::awaitable<bool> feed_fd(ws_stream& ws, int fd) {
    std::vector<char> buf(stdin_chunk);
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        for (;;) {
            auto n = ::read(fd, buf.data(), buf.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) co_return true;
            if (!co_await send_stdin(ws, buf.data(), static_cast<std::size_t>(n))) co_return false;
        }
    }
    int flags = ::fcntl(fd, F_GETFL);
    int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (copy < 0) co_return true;
    struct restore {
        int fd, flags;
        ~restore() { if (flags >= 0) ::fcntl(fd, F_SETFL, flags); }
    } restore_flags{fd, flags};
    asio::posix::stream_descriptor sd(co_await asio::this_coro::executor, copy);
    for (;;) {
        boost::system::error_code ec;
        auto n = co_await sd.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
        if (n && !co_await send_stdin(ws, buf.data(), n)) co_return false;
        if (ec) co_return true;   // end of input (or an unreadable descriptor): send EOF
    }
}

// Sends the input, then end-of-file, then waits forever: the command's end (not the input's)
// decides when exec is over, and cancels this wherever it is.
asio::awaitable<void> feed_stdin(ws_stream& ws, const exec_options& o) {
    ws.binary(true);
    bool open = true;
    if (o.stdin_source) {
        std::vector<char> buf(stdin_chunk);
        while (open) {
            auto n = o.stdin_source(buf.data(), buf.size());
            if (n == 0) break;
            open = co_await send_stdin(ws, buf.data(), std::min(n, buf.size()));
        }
    }
    if (o.stdin_fd >= 0 && open) open = co_await feed_fd(ws, o.stdin_fd);
    for (std::size_t off = 0; open && off < o.stdin_data.size(); off += stdin_chunk)
        open = co_await send_stdin(ws, o.stdin_data.data() + off, std::min(stdin_chunk, o.stdin_data.size() - off));
    if (open) {
        ws.text(true);
        boost::system::error_code ec;
        co_await ws.async_write(asio::buffer("", 0), asio::redirect_error(asio::use_awaitable, ec));   // EOF
    }
    asio::steady_timer forever(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
    co_await forever.async_wait(asio::use_awaitable);
}

asio::awaitable<void> send_signal(ws_stream& control, int sig) {
    control.text(true);
    auto msg = json::serialize(json::object{{"command", "signal"}, {"signal", sig}});
    boost::system::error_code ec;
    co_await control.async_write(asio::buffer(msg), asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<api::operation_info> wait_operation(core* c, scope sc, std::string id, std::string rl) {
    return wait_operation_final(c, std::move(sc), std::move(id), std::move(rl));
}

// Reads the control websocket (so pings are answered) for as long as the command runs.
// It never completes on its own: the server may close control before the outputs are
// drained, and only the streams decide when the command is over.
asio::awaitable<void> drain_control(ws_stream& ws) {
    beast::flat_buffer buf;
    for (;;) {
        boost::system::error_code ec;
        co_await ws.async_read(buf, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        buf.consume(buf.size());
    }
    asio::steady_timer forever(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
    co_await forever.async_wait(asio::use_awaitable);
}

/// Runs `aw` and records its failure in `failure` (the first real one wins). An exception
/// that comes from this branch being cancelled (because another ended) is swallowed.
/// `rethrow = false` turns the failure into a value: asio's `||` waits for the first branch
/// that *succeeds*, so a failing branch must still complete for `||` to end. With
/// `rethrow = true`, for `&&`: the one real failure propagates and ends the group, while
/// the branches it cancels end quietly (several exceptions would become asio's opaque
/// "multiple exceptions").
template <class T>
asio::awaitable<void> captured(asio::awaitable<T> aw, std::exception_ptr& failure, bool rethrow = false) {
    std::exception_ptr e;
    try {
        co_await std::move(aw);
    } catch (...) {
        e = std::current_exception();
    }
    if (!e) co_return;
    asio::cancellation_state cs = co_await asio::this_coro::cancellation_state;
    if (cs.cancelled() != asio::cancellation_type::none) co_return;
    if (!failure) failure = e;
    if (rethrow) std::rethrow_exception(e);
}

/// Ties an exec_signals channel to one running exec: while it lives, send() wakes the
/// exec's forwarder on the I/O thread; afterwards, signals are dropped.
class signal_link {
public:
    signal_link(const std::optional<exec_signals>& s, asio::any_io_executor ex)
        : state_(s ? access::state_of(*s) : nullptr), timer_(std::make_shared<asio::steady_timer>(ex, asio::steady_timer::time_point::max())) {
        if (!state_) return;
        std::weak_ptr<asio::steady_timer> weak = timer_;
        std::lock_guard lk(state_->mu);
        state_->ended = false;
        state_->wake = [ex, weak] {
            // Runs on the I/O thread, the only one that destroys the timer.
            asio::post(ex, [weak] {
                if (auto t = weak.lock()) t->cancel();
            });
        };
    }
    ~signal_link() {
        if (!state_) return;
        std::lock_guard lk(state_->mu);
        state_->ended = true;
        state_->wake = nullptr;
        state_->pending.clear();
    }
    signal_link(const signal_link&) = delete;
    signal_link& operator=(const signal_link&) = delete;
    /// Signals queued by other threads, in order (I/O thread).
    std::deque<int> take() {
        if (!state_) return {};
        std::lock_guard lk(state_->mu);
        return std::exchange(state_->pending, {});
    }
    asio::steady_timer& timer() { return *timer_; }

private:
    std::shared_ptr<exec_signal_state> state_;
    std::shared_ptr<asio::steady_timer> timer_;
};

/// The one writer of the control websocket: sends the caller's signals (through `link`)
/// and the watchdog's (`own`), in order, so two writes never overlap. Ends when cancelled.
asio::awaitable<void> forward_signals(ws_stream& control, signal_link& link, std::deque<int>& own) {
    for (;;) {
        auto queued = link.take();
        queued.insert(queued.begin(), own.begin(), own.end());
        own.clear();
        // While a write is under way a wake-up finds no wait to cancel: after writing,
        // look again. With nothing to write, take() and the wait below follow with no
        // suspension between them, so a wake-up posted meanwhile cancels that wait.
        for (int sig : queued) co_await send_signal(control, sig);
        if (!queued.empty()) continue;
        boost::system::error_code ec;
        link.timer().expires_at(asio::steady_timer::time_point::max());
        co_await link.timer().async_wait(asio::redirect_error(asio::use_awaitable, ec));
        asio::cancellation_state cs = co_await asio::this_coro::cancellation_state;
        if (cs.cancelled() != asio::cancellation_type::none) co_return;
    }
}

/// The exec's timeout: SIGTERM at o.timeout, SIGKILL 2 s later, then a timeout error if
/// the command has still not ended drain_timeout after that. Without a timeout it only
/// waits (to be cancelled).
asio::awaitable<void> watch_timeout(asio::steady_timer& timer, const exec_options& o, bool& timed_out,
                                    const std::function<void(int)>& signal_command, const std::string& rl) {
    if (!o.timeout) {
        timer.expires_at(asio::steady_timer::time_point::max());
        co_await timer.async_wait(asio::use_awaitable);
        co_return;
    }
    timer.expires_after(*o.timeout);
    co_await timer.async_wait(asio::use_awaitable);
    timed_out = true;
    signal_command(15);
    timer.expires_after(std::chrono::seconds(2));
    co_await timer.async_wait(asio::use_awaitable);
    signal_command(9);
    // A killed command ends at once; if it has not after drain_timeout, the server
    // cannot finish it (e.g. its output is stuck on a stalled connection): give up.
    timer.expires_after(o.drain_timeout);
    co_await timer.async_wait(asio::use_awaitable);
    protocol::fail(errc::timeout,
                   "the command did not end within " + std::to_string(o.timeout->count()) + " ms, nor " +
                       std::to_string(o.drain_timeout.count()) + " ms after SIGKILL (its output is not flowing)",
                   rl);
}

/// Once the operation is final the command has exited and LXD has its last output: each
/// stream must then make progress (or end) within drain_timeout, or it is lost. `drain`
/// is re-armed by each step of progress; this fails when it expires.
asio::awaitable<void> guard_drain(asio::steady_timer& drain, const stream_progress& out_p, const stream_progress& err_p,
                                  const exec_options& o, const std::string& rl) {
    for (;;) {
        boost::system::error_code ec;
        co_await drain.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted) {
            asio::cancellation_state cs = co_await asio::this_coro::cancellation_state;
            if (cs.cancelled() != asio::cancellation_type::none) co_return;
            continue;   // re-armed by progress
        }
        auto& stuck = !out_p.ended ? out_p : err_p;
        fail_stream(rl, stuck.name,
                    "did not reach its end within " + std::to_string(o.drain_timeout.count()) + " ms of the command's end");
    }
}

asio::awaitable<exec_result> run_exec(core* c, scope sc, std::vector<std::unique_ptr<ws_stream>> ws, std::string op_id,
                                      std::string rl, exec_options o) {
    auto& in = *ws[0];
    auto& out = *ws[1];
    auto& err = *ws[2];
    auto& control = *ws[3];
    exec_result result;
    bool timed_out = false;
    asio::steady_timer timer(c->io());
    // The control websocket has one writer, forward_signals: the caller's signals
    // (exec_signals) and the watchdog's go through it.
    signal_link link(o.signals, c->io().get_executor());
    std::deque<int> own_signals;
    std::function<void(int)> signal_command = [&](int sig) {
        own_signals.push_back(sig);
        link.timer().cancel();
    };
    stream_progress out_p{"stdout"}, err_p{"stderr"};
    bool final_seen = false;
    asio::steady_timer drain(c->io(), asio::steady_timer::time_point::max());
    auto progress = [&] {
        if (final_seen) drain.expires_after(o.drain_timeout);
    };
    std::optional<api::operation_info> info;
    std::exception_ptr failure;
    auto waiter = [&]() -> asio::awaitable<void> {
        info = co_await wait_operation(c, sc, op_id, rl);   // a lost server is connection_lost there
        final_seen = true;
        if (!out_p.ended || !err_p.ended) progress();
    };
    auto streams = [&]() -> asio::awaitable<void> {
        co_await (captured(waiter(), failure, true) &&
                  captured(pump_output(out, result.out, o.on_stdout, out_p, rl, progress), failure, true) &&
                  captured(pump_output(err, result.err, o.on_stderr, err_p, rl, progress), failure, true));
    };
    // The command is over when the operation is final and both outputs are drained; the
    // watchdog, the control reader and the input feeder never finish first, so `||` ends
    // with `streams` (or its failure, or the drain guard's) and cancels the rest: an input
    // that never ends cannot hold exec open, and a failure cannot leave it waiting.
    co_await (captured(streams(), failure) || captured(guard_drain(drain, out_p, err_p, o, rl), failure) ||
              captured(watch_timeout(timer, o, timed_out, signal_command, rl), failure) || drain_control(control) ||
              feed_stdin(in, o) || forward_signals(control, link, own_signals));
    for (auto& w : ws) beast::get_lowest_layer(*w).close();
    if (failure) std::rethrow_exception(failure);
    if (!info || !out_p.ended || !err_p.ended) fail_stream(rl, !out_p.ended ? "stdout" : "stderr", "ended early");
    result.exit_code = exec_exit_code(*info, rl);
    result.timed_out = timed_out;
    co_return result;
}

// record-output: wait for the end, then fetch each log file and delete it.
asio::awaitable<exec_result> run_recorded(core* c, scope sc, std::string op_id, std::string rl, exec_options o) {
    auto info = co_await wait_operation(c, sc, op_id, rl);
    auto meta = parse_json(info.metadata_json);
    exec_result result;
    result.exit_code = exec_exit_code(info, rl);
    if (meta.is_object()) {
        auto& m = meta.get_object();
        if (auto it = m.find("output"); it != m.end() && it->value().is_object()) {
            for (auto& [fd, url] : it->value().get_object()) {
                if (!url.is_string()) continue;
                auto got = co_await c->exchange(protocol::exec_output_get(url.get_string()), sc);
                if (got.status != 200) protocol::parse_envelope(got.status, got.content_type, got.body, got.request_line);
                auto& sink = fd == "1" ? result.out : result.err;
                auto& cb = fd == "1" ? o.on_stdout : o.on_stderr;
                if (cb) cb(got.body); else sink = std::move(got.body);
                (void)co_await c->exchange(protocol::exec_output_delete(url.get_string()), sc);   // best effort: the output is already ours
            }
        }
    }
    co_return result;
}

asio::awaitable<exec_result> exec_coro(std::shared_ptr<core> keep, scope sc, http_request start, exec_options o) {
    core* c = keep.get();
    // LXD starts the command only once all four websockets are attached, and gives up
    // after 5 s ("Timed out waiting for websockets to connect"). When that window is missed
    // (a machine under full load) the command has not run: one more attempt is safe. A
    // second miss is reported as what it is.
    std::vector<std::unique_ptr<ws_stream>> sockets;
    exec_started started;
    for (int attempt = 0;; ++attempt) {
        started = co_await post_exec(c, sc, start);
        auto& [op, rl] = started;
        if (o.record_output) co_return co_await run_recorded(c, sc, op.id, rl, std::move(o));
        // Unix-socket and loopback connects take well under a millisecond each, so the four
        // are opened one after the other. Control first: LXD starts the command as soon as
        // stdin, stdout and stderr are attached, and a quick command would be over (and
        // its operation closed to new websockets) before a control opened last could attach.
        auto deadline = clock::now() + std::chrono::seconds(5);
        sockets.clear();
        sockets.resize(4);
        std::exception_ptr connect_failure;
        try {
            for (auto [key, slot] : {std::pair{"control", 3}, {"0", 0}, {"1", 1}, {"2", 2}}) {
                auto w = protocol::operation_websocket(op.id, exec_secret(op, key, rl));
                sockets[static_cast<std::size_t>(slot)] = co_await c->open_websocket(c->target_for(w, sc), deadline);
            }
        } catch (const error&) {
            connect_failure = std::current_exception();
        }
        if (!connect_failure) break;
        sockets.clear();
        // The operation may have ended before we could attach (the command could not be
        // started, or the server stopped waiting): its own error is the one the caller needs.
        api::operation_info info;
        try {
            info = co_await wait_operation(c, sc, op.id, rl);
        } catch (const error&) {
            std::rethrow_exception(connect_failure);
        }
        if (info.code == api::status_code::success) std::rethrow_exception(connect_failure);
        if (info.err.find("waiting for websockets") == std::string::npos) std::rethrow_exception(operation_failure(info, rl));
        if (attempt == 0) continue;
        protocol::fail(errc::timeout,
                       "the server stopped waiting for exec's websockets (5 s) before they were attached, twice; "
                       "the command did not run (is the client or the server overloaded?)",
                       rl, {.server_message = info.err, .operation_id = op.id});
    }
    auto& [op, rl] = started;
    co_return co_await run_exec(c, sc, std::move(sockets), op.id, rl, std::move(o));
}

http_request exec_request(const client& c, const std::string& name, std::vector<std::string> argv, const exec_options& o) {
    return protocol::exec_start(collection(c), name, {std::move(argv), o.environment, o.cwd, o.user, o.group}, o.record_output);
}

void check_argv(const std::vector<std::string>& argv) {
    if (argv.empty()) fail_invalid("execute needs a command (argv is empty)");
}

void check_options(const exec_options& o) {
    if (o.record_output && (!o.stdin_data.empty() || o.stdin_source || o.stdin_fd >= 0 || o.timeout || o.signals))
        fail_invalid("record_output has no stdin, no timeout and no signals (LXD attaches no websockets in that mode)");
    if (int(!o.stdin_data.empty()) + int(bool(o.stdin_source)) + int(o.stdin_fd >= 0) > 1)
        fail_invalid("give one of stdin_data, stdin_source and stdin_fd");
}

}  // namespace

exec_signals::exec_signals() : state_(std::make_shared<detail::exec_signal_state>()) {}

void exec_signals::send(int signal_number) const {
    std::function<void()> wake;
    {
        std::lock_guard lk(state_->mu);
        if (state_->ended) return;
        state_->pending.push_back(signal_number);
        wake = state_->wake;
    }
    if (wake) wake();
}

exec_result instance::execute(std::vector<std::string> argv, exec_options options) {
    sync();
    check_argv(argv);
    check_options(options);
    auto& core = core_of(client_);
    auto start = exec_request(client_, data_.name, std::move(argv), options);
    return core->run(exec_coro(core, scope_of(client_), std::move(start), std::move(options)));
}

std::shared_future<exec_result> instance::async_execute(std::vector<std::string> argv, exec_options options) {
    sync();
    check_argv(argv);
    check_options(options);
    auto& core = core_of(client_);
    auto start = exec_request(client_, data_.name, std::move(argv), options);
    return asio::co_spawn(core->io(), exec_coro(core, scope_of(client_), std::move(start), std::move(options)),
                          asio::use_future)
        .share();
}

}  // namespace lxd
