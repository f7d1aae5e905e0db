#include <lxd/operation.hpp>

#include "detail/core.hpp"

namespace lxd {

using namespace detail;

namespace detail {

void operation_state::publish(const api::operation_info& info) {
    std::vector<std::function<void(const api::operation_info&)>> cbs;
    {
        std::lock_guard lk(mu);
        latest = info;
        cbs = progress;
    }
    for (auto& cb : cbs) cb(info);
}

void operation_state::finish(const api::operation_info& info, std::exception_ptr fail) {
    std::vector<std::function<void(const api::operation_info&)>> cbs;
    {
        std::lock_guard lk(mu);
        if (ended.closed()) return;
        latest = info;
        cbs = std::move(progress);
        progress.clear();
    }
    // Callbacks see the final state before any waiter is released: a caller may destroy
    // what its callback uses as soon as wait() returns.
    for (auto& cb : cbs) cb(info);
    {
        std::lock_guard lk(mu);
        ended.close(fail);   // under mu: on_progress sees it and the list below together
        cbs = std::move(progress);   // registered while the others ran
        progress.clear();
    }
    for (auto& cb : cbs) cb(info);
    if (fail)
        promise.set_exception(fail);
    else
        promise.set_value(info);
}

namespace {

constexpr std::chrono::milliseconds wait_backoff_first{50};
constexpr std::chrono::milliseconds wait_backoff_cap{2000};

// LXD holds /wait until the operation ends or `timeout` seconds pass. A server (or a proxy in
// front of it) that answers at once with a state that is not final would otherwise be asked
// again at once, thousands of times a second: an answer that comes back in less than half
// the asked wait delays the next request, doubling from wait_backoff_first up to
// wait_backoff_cap; an answer that took the wait asked for resets the delay.
struct wait_pacer {
    std::chrono::milliseconds delay{0};
    std::chrono::milliseconds after(clock::duration took, int server_wait_s) {
        if (took * 2 >= std::chrono::seconds(server_wait_s)) {
            delay = std::chrono::milliseconds(0);
        } else {
            delay = delay.count() == 0 ? wait_backoff_first : std::min(delay * 2, wait_backoff_cap);
        }
        return delay;
    }
};

// Incus 6.0 answers the wait of a failed operation with an error envelope (code 500, the
// operation's `err` as its message) where LXD answers with the operation, status Failure.
// Both become a failed operation (`base` with that status and message), so a caller gets
// errc::operation_failed with the server's words on either server.
std::optional<api::operation_info> failed_by_wait(const error& e, api::operation_info base) {
    // Incus answers the wait of a failed operation with the operation's error as an error
    // envelope, its HTTP code chosen from the error (500, 404 for "not found", 400...). Only
    // "Operation not found" means the operation itself is gone; an answer without the
    // server's words (a proxy's HTML 500) is no operation's outcome.
    if (e.http_status() < 400 || e.server_message().empty()) return std::nullopt;
    if (e.http_status() == 404 && e.server_message() == "Operation not found") return std::nullopt;
    base.code = api::status_code::failure;
    base.status = "Failure";
    base.err = e.server_message();
    return base;
}

asio::awaitable<void> pause(std::chrono::milliseconds d) {
    if (d.count() <= 0) co_return;
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::use_awaitable);
}

}  // namespace

asio::awaitable<api::operation_info> wait_operation_final(core* c, scope sc, std::string id, std::string rl) {
    (void)rl;
    wait_pacer pace;
    for (;;) {
        constexpr int server_wait = 30;
        auto r = protocol::operation_wait(id, server_wait);
        auto t0 = clock::now();
        std::optional<std::pair<protocol::envelope, http_response>> got;
        std::optional<error> lost;
        std::optional<api::operation_info> failed;
        try {
            got = co_await c->call(std::move(r), sc);
        } catch (const error& e) {
            failed = failed_by_wait(e, api::operation_info{.id = id});
            if (!failed) {
                // The operation exists: a connection the server now refuses (it died or
                // restarted) means we lost it, with the operation's outcome unknown.
                if (e.code_value() != errc::connection_failed) throw;
                diagnostics d = e.diag();
                d.operation_id = id;
                d.detail = "lost the server while waiting for the operation (" + d.detail + ")";
                lost.emplace(errc::connection_lost, std::move(d));
            }
        }
        if (lost) throw *lost;
        auto info = failed ? std::move(*failed) : protocol::decode_operation(got->first.metadata, got->second.request_line);
        if (api::is_final(info.code)) co_return info;
        co_await pause(pace.after(clock::now() - t0, server_wait));
    }
}

namespace {

// True when nobody can see the outcome any more: every handle is gone, no async_wait()
// future was handed out, no progress callback and no chained step waits.
bool unwatched(operation_state& st) {
    if (!st.abandoned.load()) return false;
    std::lock_guard lk(st.mu);
    return !st.future_taken && st.progress.empty() && !st.then;
}

// Follows one operation to its end with /wait long-polls, until nobody waits for it (see
// unwatched). Holds the state strongly (a dropped handle must not lose a chained step such as
// "then start") and the core weakly through a raw pointer: the core's destructor ends this
// coroutine (see core.hpp).
asio::awaitable<void> watch(core* c, std::shared_ptr<operation_state> st, std::string rl) {
    wait_pacer pace;
    for (;;) {
        bool want_progress;
        std::string id;
        scope sc;
        if (unwatched(*st)) co_return;
        {
            std::lock_guard lk(st->mu);
            want_progress = !st->progress.empty();
            id = st->id;
            sc = st->sc;
        }
        const int server_wait = want_progress ? 1 : 30;
        auto r = protocol::operation_wait(id, server_wait);
        api::operation_info info;
        auto t0 = clock::now();
        try {
            auto [env, res] = co_await c->call(std::move(r), sc);
            info = protocol::decode_operation(env.metadata, res.request_line);
        } catch (const error& e) {
            api::operation_info last;
            {
                std::lock_guard lk(st->mu);
                last = st->latest;
            }
            if (last.id.empty()) last.id = id;
            if (auto failed = failed_by_wait(e, last)) {
                st->finish(*failed, operation_failure(*failed, rl));
                co_return;
            }
            // The wait itself failed (connection lost, server restarted: the operation's
            // outcome is unknown). Report that, with the operation id.
            diagnostics d = e.diag();
            d.operation_id = id;
            if (d.detail.empty()) d.detail = "while waiting for the operation";
            auto code = e.code_value() == errc::not_found || e.code_value() == errc::connection_failed ? errc::connection_lost
                                                                                                    : e.code_value();
            if (e.code_value() == errc::not_found) d.detail = "the server no longer knows the operation (restarted?)";
            st->finish(last, std::make_exception_ptr(error(code, std::move(d))));
            co_return;
        } catch (...) {
            api::operation_info last;
            {
                std::lock_guard lk(st->mu);
                last = st->latest;
            }
            st->finish(last, std::current_exception());
            co_return;
        }
        if (!api::is_final(info.code)) {
            st->publish(info);
            co_await pause(pace.after(clock::now() - t0, server_wait));
            continue;
        }
        auto fail = operation_failure(info, rl);
        if (!fail && st->then) {
            auto then = std::move(st->then);
            st->then = nullptr;
            std::string next;
            try {
                next = co_await then(info);
            } catch (...) {
                st->finish(info, std::current_exception());
                co_return;
            }
            if (!next.empty()) {
                st->publish(info);
                std::lock_guard lk(st->mu);
                st->id = operation_id_of(next);
                pace = {};
                continue;
            }
        }
        st->finish(info, fail);
        co_return;
    }
}

}  // namespace

operation start_operation(const std::shared_ptr<core>& c, const scope& sc, const protocol::envelope& env,
                          const std::string& rl,
                          std::function<asio::awaitable<std::string>(const api::operation_info&)> then) {
    auto st = std::make_shared<operation_state>();
    st->id = operation_id_of(env.operation);
    st->sc = sc;
    st->then = std::move(then);
    if (env.metadata.is_object()) {
        st->latest = protocol::decode_operation(env.metadata, rl);
        st->id = st->latest.id.empty() ? st->id : st->latest.id;
    } else {
        st->latest.id = st->id;
    }
    asio::co_spawn(c->io(), watch(c.get(), st, rl), asio::detached);
    return access::make_operation(c, st);
}

}  // namespace detail

namespace {
[[noreturn]] void no_operation() {
    protocol::fail_invalid("empty operation handle");
}
}  // namespace

operation::operation(std::shared_ptr<detail::core> core, std::shared_ptr<detail::operation_state> st)
    : core_(std::move(core)), st_(std::move(st)) {
    // Shared by every copy of this handle; when the last copy goes, the watcher learns that
    // this waiter is gone.
    if (st_)
        presence_ = std::shared_ptr<void>(nullptr, [w = std::weak_ptr<operation_state>(st_)](void*) {
            if (auto s = w.lock()) s->abandoned = true;
        });
}

const std::string& operation::id() const {
    if (!st_) no_operation();
    return st_->id;
}

api::operation_info operation::wait(std::optional<std::chrono::milliseconds> timeout) const {
    if (!st_) no_operation();
    core_->refuse_on_io_thread();
    std::optional<mailbox<api::operation_info>::clock::time_point> deadline;
    if (timeout) deadline = mailbox<api::operation_info>::deadline_after(*timeout);
    if (!st_->ended.wait_closed(deadline)) {
        std::string op_id;
        {
            std::lock_guard lk(st_->mu);
            op_id = st_->id;
        }
        protocol::fail(errc::timeout, "the operation did not finish within " + std::to_string(timeout->count()) + " ms (it goes on)",
                       "", {.operation_id = op_id});
    }
    st_->ended.rethrow_failure();
    std::lock_guard lk(st_->mu);
    return st_->latest;
}

std::shared_future<api::operation_info> operation::async_wait() const {
    if (!st_) no_operation();
    std::lock_guard lk(st_->mu);
    st_->future_taken = true;   // the future may outlive every handle: keep watching
    return st_->future;
}

void operation::cancel() const {
    if (!st_) no_operation();
    std::string id;
    scope sc;
    {
        std::lock_guard lk(st_->mu);
        id = st_->id;
        sc = st_->sc;
    }
    core_->run([](core* c, scope sc, std::string id) -> asio::awaitable<void> {
        co_await c->call(protocol::operation_cancel(id), std::move(sc));
    }(core_.get(), sc, id));
}

api::operation_info operation::info() const {
    if (!st_) no_operation();
    std::lock_guard lk(st_->mu);
    return st_->latest;
}

bool operation::done() const {
    if (!st_) no_operation();
    return st_->ended.closed();
}

void operation::on_progress(std::function<void(const api::operation_info&)> callback) const {
    if (!st_) no_operation();
    api::operation_info final_state;
    {
        std::lock_guard lk(st_->mu);
        if (!st_->ended.closed()) {
            st_->progress.push_back(std::move(callback));
            return;
        }
        final_state = st_->latest;
    }
    callback(final_state);   // registered too late for progress: it still sees the end
}

}  // namespace lxd
