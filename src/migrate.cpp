// Migration and copy between servers: pull, push and relay (LXD's migration websockets).
#include <lxd/instances.hpp>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "detail/calls.hpp"
#include "detail/news.hpp"
#include "detail/transfer.hpp"

namespace lxd {

using namespace detail;

namespace {

// Snapshot config keys that a server knows only with an API extension. Moving from a server
// that sets them (Incus sets volatile.uuid.generation on every snapshot) to one without the
// extension (LXD 5.0) fails when the target creates the snapshot records; in relay mode the
// client drops such keys from the migration header, in pull/push mode it refuses up front.
struct extension_key {
    const char* key;
    const char* extension;
};
constexpr extension_key snapshot_keys_by_extension[] = {
    {"volatile.uuid.generation", "instance_generation_id"},
};

/// The snapshot config keys the source may send and the target would refuse.
std::vector<std::string> keys_unknown_to(const client& source, const client& target) {
    std::vector<std::string> out;
    for (auto& k : snapshot_keys_by_extension)
        if (source.has_api_extension(k.extension) && !target.has_api_extension(k.extension)) out.emplace_back(k.key);
    return out;
}

// The migration header (the source's first message on the control websocket) is protobuf:
// MigrationHeader.snapshots = 5 (Snapshot), Snapshot.localConfig = 2 (Config), Config.key = 1.
bool read_varint(std::string_view s, std::size_t& i, std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (i >= s.size()) return false;
        auto b = static_cast<unsigned char>(s[i++]);
        v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
        if (!(b & 0x80)) return true;
    }
    return false;
}

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

struct pb_field {
    std::uint64_t number = 0;
    int wire = 0;
    std::string_view whole;     ///< tag and value, as received
    std::string_view payload;   ///< the bytes of a length-delimited value
};

/// Splits a protobuf message into its fields; false if it is not well-formed.
bool pb_fields(std::string_view s, std::vector<pb_field>& out) {
    std::size_t i = 0;
    while (i < s.size()) {
        pb_field f;
        auto start = i;
        std::uint64_t tag, v;
        if (!read_varint(s, i, tag)) return false;
        f.number = tag >> 3;
        f.wire = static_cast<int>(tag & 7);
        switch (f.wire) {
        case 0: if (!read_varint(s, i, v)) return false; break;
        case 1: if (s.size() - i < 8) return false; i += 8; break;
        case 5: if (s.size() - i < 4) return false; i += 4; break;
        case 2:
            if (!read_varint(s, i, v) || v > s.size() - i) return false;
            f.payload = s.substr(i, v);
            i += v;
            break;
        default: return false;
        }
        f.whole = s.substr(start, i - start);
        out.push_back(f);
    }
    return true;
}

/// The header without the snapshots' config entries whose key is in `drop`; nullopt when
/// the message is not a header (it is then passed on as it is).
std::optional<std::string> strip_snapshot_keys(std::string_view header, const std::vector<std::string>& drop) {
    std::vector<pb_field> fields;
    if (!pb_fields(header, fields)) return std::nullopt;
    std::string out;
    for (auto& f : fields) {
        if (f.number != 5 || f.wire != 2) {
            out.append(f.whole);
            continue;
        }
        std::vector<pb_field> snap;
        if (!pb_fields(f.payload, snap)) return std::nullopt;
        std::string body;
        for (auto& sf : snap) {
            if (sf.number == 2 && sf.wire == 2) {
                std::vector<pb_field> cfg;
                if (!pb_fields(sf.payload, cfg)) return std::nullopt;
                bool dropped = false;
                for (auto& cf : cfg)
                    if (cf.number == 1 && cf.wire == 2 && std::find(drop.begin(), drop.end(), cf.payload) != drop.end()) dropped = true;
                if (dropped) continue;
            }
            body.append(sf.whole);
        }
        put_varint(out, (5u << 3) | 2u);
        put_varint(out, body.size());
        out += body;
    }
    return out;
}

/// Proxies every frame between two websockets, both ways, until either side ends. With
/// `drop`, the first message (the source's migration header) loses those snapshot keys.
asio::awaitable<void> pipe(ws_stream& from, ws_stream& to, std::vector<std::string> drop = {}) {
    beast::flat_buffer buf;
    bool first = true;
    for (;;) {
        boost::system::error_code ec;
        co_await from.async_read(buf, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        to.binary(from.got_binary());
        std::optional<std::string> rewritten;
        if (first && !drop.empty()) rewritten = strip_snapshot_keys(beast::buffers_to_string(buf.data()), drop);
        first = false;
        if (rewritten)
            co_await to.async_write(asio::buffer(*rewritten), asio::redirect_error(asio::use_awaitable, ec));
        else
            co_await to.async_write(buf.data(), asio::redirect_error(asio::use_awaitable, ec));
        buf.consume(buf.size());
        if (ec) break;
    }
    boost::system::error_code ignored;
    co_await to.async_close(websocket::close_code::normal, asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<void> pipe_both(std::unique_ptr<ws_stream> a, std::unique_ptr<ws_stream> b, std::vector<std::string> drop) {
    using namespace boost::asio::experimental::awaitable_operators;
    co_await (pipe(*a, *b, std::move(drop)) && pipe(*b, *a));
}

asio::awaitable<void> relay(core* src, core* tgt, scope src_sc, scope tgt_sc, std::string src_op, std::string tgt_op,
                            json::object src_secrets, json::object tgt_secrets, std::vector<std::string> drop) {
    auto deadline = clock::now() + std::chrono::seconds(10);
    auto& io = tgt->io();   // every socket of the relay lives on the target client's I/O thread
    for (auto& kv : src_secrets) {
        auto other = tgt_secrets.find(kv.key());
        if (other == tgt_secrets.end()) continue;
        auto a = protocol::operation_websocket(src_op, kv.value().get_string());
        auto b = protocol::operation_websocket(tgt_op, other->value().get_string());
        auto wa = co_await src->open_websocket(src->target_for(a, src_sc), deadline, &io);
        auto wb = co_await tgt->open_websocket(tgt->target_for(b, tgt_sc), deadline, &io);
        auto dropped = kv.key() == "control" ? drop : std::vector<std::string>{};
        asio::co_spawn(io, pipe_both(std::move(wa), std::move(wb), std::move(dropped)), asio::detached);
    }
}

/// PUT .../state with force (the body the migration steps always used).
http_request forced(const std::string& collection, const std::string& name, const char* action) {
    return protocol::instance_state_put(collection, name, action, {.force = true});
}

/// How a transfer goes: the mode (automatic resolved) and the snapshot config keys the
/// relay drops. Refuses, before anything is transferred, what cannot work.
struct transfer_plan {
    migration_mode mode;
    std::vector<std::string> drop;
};

transfer_plan plan_transfer(const client& source, const client& target, const api::instance& data, const migrate_options& o,
                            bool move) {
    if (move) {
        // A source that cannot be deleted would leave two instances (and its copy would be
        // protected too): refused before anything is copied.
        auto it = data.expanded_config.find("security.protection.delete");
        if (it != data.expanded_config.end() && (it->second == "true" || it->second == "1" || it->second == "yes" || it->second == "on"))
            fail_invalid("the instance is protected against deletion (security.protection.delete): it cannot be moved");
    }
    // Snapshot config keys the target would refuse (e.g. Incus -> LXD 5.0): only the relay
    // can drop them; the other modes are refused before anything is transferred.
    transfer_plan plan{o.mode, {}};
    if (!o.instance_only) {
        plan.drop = keys_unknown_to(source, target);
        if (!plan.drop.empty() &&
            parse_json(source.raw_get(protocol::api_path({collection(source), data.name, "snapshots"}))).as_array().empty())
            plan.drop.clear();
    }
    if (plan.mode == migration_mode::automatic)
        plan.mode = (!core_of(source)->where().tls || !core_of(target)->where().tls || !plan.drop.empty()) ? migration_mode::relay
                                                                                                          : migration_mode::pull;
    if (!plan.drop.empty() && plan.mode != migration_mode::relay) {
        std::string keys;
        for (auto& k : plan.drop) keys += (keys.empty() ? "" : ", ") + k;
        fail_invalid("the target server does not know the snapshot config key(s) " + keys +
                     " that the source sets (it lacks the API extension): move it in relay mode, which drops them, or "
                     "without snapshots (instance_only)");
    }
    if (plan.mode == migration_mode::push) target.assert_has_api_extension("container_push_target");
    if (!target.has_api_extension("instances") && data.type != api::instance_type::container) fail_invalid("the target server only knows containers");
    return plan;
}

/// The two operations of a started transfer: the source's id and the target's answer.
struct started_transfer {
    std::string src_op_id;
    envelope_and_response tgt;
};

envelope_and_response source_post(const client& source, const api::instance& data, const migrate_options& o, json::object extra) {
    return call_sync(source, protocol::migration_source(collection(source), data.name, o, extra));
}

/// Pull mode: the source opens its websockets and the target connects to them.
started_transfer start_pull(const client& source, const client& target, const api::instance& data, const migrate_options& o) {
    auto src = source_post(source, data, o, {});
    auto secrets = protocol::migration_secrets(src.first, src.second.request_line);
    started_transfer out{operation_id_of(src.first.operation), {}};
    auto from = peer_of(source, out.src_op_id, std::move(secrets));
    from["mode"] = "pull";
    auto r = protocol::migration_target(collection(target), data, o.new_name, o, std::move(from));
    try {
        out.tgt = call_sync(target, std::move(r));
    } catch (const error&) {
        cancel_operation(source, out.src_op_id);   // the source instance is untouched by a cancelled source operation
        throw;
    }
    return out;
}

/// Push and relay: the target waits for the data first; the source connects to it (push)
/// or this client pipes the two servers' websockets together (relay).
started_transfer start_push_or_relay(const client& source, const client& target, const api::instance& data,
                                     const migrate_options& o, const transfer_plan& plan) {
    started_transfer out;
    out.tgt = call_sync(target, protocol::migration_target(collection(target), data, o.new_name, o, json::object{{"mode", "push"}}));
    auto tgt_secrets = protocol::migration_secrets(out.tgt.first, out.tgt.second.request_line);
    auto tgt_op_id = operation_id_of(out.tgt.first.operation);
    envelope_and_response src;
    try {
        if (plan.mode == migration_mode::push) {
            src = source_post(source, data, o, {{"target", peer_of(target, tgt_op_id, tgt_secrets)}});
        } else {
            src = source_post(source, data, o, {});
            auto src_secrets = protocol::migration_secrets(src.first, src.second.request_line);
            spawn_relay(source, target, operation_id_of(src.first.operation), tgt_op_id, src_secrets, tgt_secrets, plan.drop);
        }
    } catch (const error&) {
        // The source refused (e.g. live without CRIU): the target must not keep a half
        // created instance waiting for data.
        cancel_operation(target, tgt_op_id);
        try {
            wait_if_async(target, call_sync(target, protocol::instance_delete(collection(target), o.new_name)));
        } catch (const error&) {
        }
        throw;
    }
    out.src_op_id = operation_id_of(src.first.operation);
    return out;
}

/// What the last step of a transfer needs, captured before it runs on the I/O thread.
struct transfer_end {
    std::shared_ptr<core> src_core;
    scope src_scope;
    std::string src_op_id, src_col, src_name;
    std::shared_ptr<core> tgt_core;
    scope tgt_scope;
    std::string tgt_col, tgt_name;
    bool move = false, restart = false;
    std::shared_ptr<instance_news> news;
    client tgt_client;
};

/// For a move: stops (if `restart`) and deletes the source, then starts the copy (if
/// `restart`). Until the source is gone, any failure removes the copy again, so there is
/// always exactly one instance; the first failure is the one reported.
asio::awaitable<void> replace_source(const transfer_end& e) {
    std::exception_ptr failed;
    try {
        if (e.restart) co_await call_and_wait(e.src_core, e.src_scope, forced(e.src_col, e.src_name, "stop"));
        co_await call_and_wait(e.src_core, e.src_scope, protocol::instance_delete(e.src_col, e.src_name));
    } catch (...) {
        failed = std::current_exception();
    }
    if (failed) {
        // The clean-up steps are each tried.
        try {
            co_await call_and_wait(e.tgt_core, e.tgt_scope, protocol::instance_delete(e.tgt_col, e.tgt_name));
        } catch (...) {
        }
        if (e.restart) {
            try {
                co_await call_and_wait(e.src_core, e.src_scope, forced(e.src_col, e.src_name, "start"));
            } catch (...) {
            }
        }
        std::rethrow_exception(failed);
    }
    if (e.restart) co_await call_and_wait(e.tgt_core, e.tgt_scope, forced(e.tgt_col, e.tgt_name, "start"));
}

/// When the target reports success: lets the source side end, then (for a move) replaces
/// the source with the copy and makes the handle the target's instance. Runs on the
/// target's I/O thread; source calls go to the source's.
asio::awaitable<std::string> finish_transfer(transfer_end e) {
    co_await wait_source_end(e.src_core, e.src_scope, e.src_op_id);
    if (!e.move) co_return std::string();
    co_await replace_source(e);
    co_await learn_instance(e.news, e.tgt_client, e.tgt_col, e.tgt_name);   // the handle is now the target's instance
    co_return std::string();
}

}  // namespace

namespace detail {

std::string https_operation_url(const client& c, const std::string& op_id) {
    auto info = c.host_info();
    if (info.environment.addresses.empty())
        fail_invalid("the server has no network address (core.https_address) for the other server to connect to; use relay mode");
    return protocol::operation_url(info.environment.addresses.front(), op_id);
}

/// One request on `c` (from any thread), then the wait for its operation, if it made one;
/// an operation's failure is thrown.
asio::awaitable<void> call_and_wait(std::shared_ptr<core> c, scope sc, http_request r) {
    auto what = r.line();
    auto op = co_await asio::co_spawn(
        c->io(),
        [](core* co, scope s, http_request req) -> asio::awaitable<std::string> {
            auto [env, res] = co_await co->call(std::move(req), s);
            co_return env.operation;
        }(c.get(), sc, std::move(r)),
        asio::use_awaitable);
    if (op.empty()) co_return;
    auto info = co_await asio::co_spawn(c->io(), wait_operation_final(c.get(), sc, operation_id_of(op), what), asio::use_awaitable);
    if (auto f = operation_failure(info, what)) std::rethrow_exception(f);
}

json::object peer_of(const client& c, const std::string& op_id, json::object secrets) {
    return {{"operation", https_operation_url(c, op_id)},
            {"certificate", c.host_info().environment.certificate},
            {"secrets", std::move(secrets)}};
}

/// Cancels an operation; one that has ended already is no error.
void cancel_operation(const client& c, const std::string& id) {
    try {
        (void)call_sync(c, protocol::operation_cancel(id));
    } catch (const error&) {
    }
}

asio::awaitable<void> wait_source_end(std::shared_ptr<core> c, scope sc, std::string op_id) {
    try {
        co_await asio::co_spawn(c->io(), wait_operation_final(c.get(), sc, op_id, "migration"), asio::use_awaitable);
    } catch (const error& x) {
        if (x.code_value() != errc::not_found) throw;   // already gone: it ended with the target
    }
}

void spawn_relay(const client& source, const client& target, std::string src_op_id, std::string tgt_op_id,
                 json::object src_secrets, json::object tgt_secrets, std::vector<std::string> drop) {
    auto tc = core_of(target);
    auto sc = core_of(source);
    asio::co_spawn(tc->io(),
                   [](std::shared_ptr<core> s, std::shared_ptr<core> t, scope ss, scope ts, std::string so, std::string to,
                      json::object a, json::object b, std::vector<std::string> d) -> asio::awaitable<void> {
                       co_await relay(s.get(), t.get(), ss, ts, so, to, a, b, std::move(d));
                   }(sc, tc, scope_of(source), scope_of(target), std::move(src_op_id), std::move(tgt_op_id), std::move(src_secrets),
                     std::move(tgt_secrets), std::move(drop)),
                   asio::detached);
}

}  // namespace detail

operation instance::copy(const client& target, migrate_options o) {
    sync();
    auto name = o.new_name.empty() ? data_.name : o.new_name;
    protocol::check_instance_name(name);
    bool same_server = core_of(target) == core_of(client_);
    if (same_server) {
        if (name == data_.name && target.project() == client_.project()) fail_invalid("a copy on the same server needs a new name");
        if (o.mode != migration_mode::automatic) fail_invalid("the migration mode applies between servers only");
        refresh();
        json::object source{{"type", "copy"}, {"source", data_.name}};
        if (target.project() != client_.project()) source["project"] = client_.project();
        return as_operation(target, call_sync(target, protocol::migration_target(collection(target), data_, name, o, std::move(source))));
    }
    o.new_name = name;
    return transfer(target, o, false);
}

operation instance::migrate(const client& target, migrate_options o) {
    sync();
    auto name = o.new_name.empty() ? data_.name : o.new_name;
    protocol::check_instance_name(name);
    if (core_of(target) == core_of(client_) && target.project() == client_.project()) {
        if (!target.target().empty()) {
            // Another member of the same cluster: the cluster moves it (a stopped instance,
            // with its snapshots), optionally renaming it on the way.
            if (o.mode != migration_mode::automatic) fail_invalid("the migration mode applies between servers only");
            auto r = protocol::migration_member_move(collection(target), data_.name, name);
            return as_operation(target, call_sync(target, std::move(r)), then_learn(news_, target, name));
        }
        if (name == data_.name) fail_invalid("migrating to the same server under the same name changes nothing");
        return rename(name);
    }
    o.new_name = name;
    return transfer(target, o, true);
}

operation instance::transfer(const client& target, const migrate_options& o, bool move) {
    refresh();   // the target is created from the source's current configuration
    auto plan = plan_transfer(client_, target, data_, o, move);
    auto started = plan.mode == migration_mode::pull ? start_pull(client_, target, data_, o)
                                                     : start_push_or_relay(client_, target, data_, o, plan);
    // A running source moved without `live` was copied as it is on disk: it is stopped and
    // deleted, then the copy started.
    transfer_end end{core_of(client_), scope_of(client_), started.src_op_id, collection(client_), data_.name,
                     core_of(target), scope_of(target), collection(target), o.new_name, move,
                     move && !o.live && data_.status_code == api::status_code::running, news_, target};
    return as_operation(target, started.tgt,
                        [end = std::move(end)](const api::operation_info&) { return finish_transfer(end); });
}

}  // namespace lxd
