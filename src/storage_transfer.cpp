// Custom volumes copied and moved between pools and servers: on one server the server copies
// (or renames); between servers a migration in pull, push or relay mode (src/detail/transfer.hpp,
// shared with instance migration).
#include <lxd/storage.hpp>

#include "detail/calls.hpp"
#include "detail/transfer.hpp"
#include "protocol/migration.hpp"
#include "protocol/storage.hpp"
#include "protocol/validation.hpp"

namespace lxd {

using namespace detail;

namespace {

constexpr const char* remote_volumes = "storage_api_remote_volume_handling";

/// Whether the target volume exists; refused (errc::conflict) if it does and this is no refresh.
bool check_existing(const client& target, const std::string& pool, const std::string& name, bool refresh = false) {
    bool exists = storage_volumes(target, pool).exists(name);
    if (exists && !refresh)
        throw protocol::make_error(errc::conflict, "storage volume '" + name + "' already exists in pool '" + pool + "'");
    return exists;
}

/// What a transfer between servers sends, beside the names.
struct volume_transfer_flags {
    bool volume_only = false;
    bool refresh = false;
    bool target_existed = false;   ///< a refresh of a volume the target had: kept on failure
};

json::object with_flags(json::object source, const volume_transfer_flags& f) {
    if (f.refresh) source["refresh"] = true;
    return source;
}

bool same_server(const client& a, const client& b) { return core_of(a) == core_of(b); }

/// The client's project by name ("default" when it uses the server's default).
std::string effective_project(const client& c) { return c.project().empty() ? std::string("default") : c.project(); }

struct started_volume_transfer {
    std::string src_op_id;
    envelope_and_response tgt;
};

started_volume_transfer start_pull(const client& source, const client& target, const std::string& src_pool,
                                   const api::storage_volume& data, const std::string& pool, const std::string& name,
                                   const volume_transfer_flags& f) {
    auto src = call_sync(source, protocol::storage_volume_migration_source(src_pool, data.name, f.volume_only));
    auto secrets = protocol::migration_secrets(src.first, src.second.request_line);
    started_volume_transfer out{operation_id_of(src.first.operation), {}};
    auto from = peer_of(source, out.src_op_id, std::move(secrets));
    from["mode"] = "pull";
    try {
        out.tgt = call_sync(target, protocol::storage_volume_migration_target(pool, data, name, f.volume_only, with_flags(std::move(from), f)));
    } catch (const error&) {
        cancel_operation(source, out.src_op_id);
        throw;
    }
    return out;
}

started_volume_transfer start_push_or_relay(const client& source, const client& target, const std::string& src_pool,
                                            const api::storage_volume& data, const std::string& pool, const std::string& name,
                                            const volume_transfer_flags& f, migration_mode mode) {
    started_volume_transfer out;
    out.tgt = call_sync(target, protocol::storage_volume_migration_target(pool, data, name, f.volume_only, with_flags({{"mode", "push"}}, f)));
    auto tgt_secrets = protocol::migration_secrets(out.tgt.first, out.tgt.second.request_line);
    auto tgt_op_id = operation_id_of(out.tgt.first.operation);
    try {
        json::object to;
        if (mode == migration_mode::push) to = peer_of(target, tgt_op_id, tgt_secrets);
        auto src = call_sync(source, protocol::storage_volume_migration_source(src_pool, data.name, f.volume_only, to));
        out.src_op_id = operation_id_of(src.first.operation);
        if (mode == migration_mode::relay)
            spawn_relay(source, target, out.src_op_id, tgt_op_id, protocol::migration_secrets(src.first, src.second.request_line),
                        tgt_secrets);
    } catch (const error&) {
        // The target must not keep a volume waiting for data that will not come (but one it
        // had before a refresh stays).
        cancel_operation(target, tgt_op_id);
        if (f.target_existed) throw;
        try {
            wait_if_async(target, call_sync(target, protocol::storage_volume_delete(pool, name)));
        } catch (const error&) {
        }
        throw;
    }
    return out;
}

/// The last step of a copy between servers: the source side's operation ends too.
asio::awaitable<std::string> source_ended(std::shared_ptr<core> c, scope sc, std::string id) {
    co_await wait_source_end(std::move(c), std::move(sc), std::move(id));
    co_return std::string();
}

}  // namespace

operation storage_volume::copy_to(const client& target, const storage_volume_transfer& o) const {
    auto pool = o.pool.empty() ? pool_ : o.pool;
    auto name = o.new_name.empty() ? data_.name : o.new_name;
    protocol::check_storage_name("storage pool", pool);
    protocol::check_storage_name("storage volume", name);
    if (same_server(client_, target)) {
        if (o.mode != migration_mode::automatic) fail_invalid("the migration mode applies between servers only");
        bool other_project = effective_project(target) != effective_project(client_);
        if (pool == pool_ && name == data_.name && !other_project) fail_invalid("a copy of a volume in the same pool needs a new name");
        check_existing(target, pool, name, o.refresh);
        return storage_volumes(target, pool).copy({.name = name, .source_pool = pool_, .source = data_.name,
                                                   .source_project = other_project ? effective_project(client_) : std::string(),
                                                   .volume_only = o.volume_only, .refresh = o.refresh});
    }
    client_.assert_has_api_extension(remote_volumes);
    target.assert_has_api_extension(remote_volumes);
    const volume_transfer_flags flags{.volume_only = o.volume_only, .refresh = o.refresh,
                                      .target_existed = check_existing(target, pool, name, o.refresh)};
    auto mode = o.mode;
    if (mode == migration_mode::automatic)
        mode = (!core_of(client_)->where().tls || !core_of(target)->where().tls) ? migration_mode::relay : migration_mode::pull;
    auto data = storage_volumes(client_, pool_).get(data_.name).data();   // the source as it is now
    auto started = mode == migration_mode::pull ? start_pull(client_, target, pool_, data, pool, name, flags)
                                                : start_push_or_relay(client_, target, pool_, data, pool, name, flags, mode);
    return as_operation(target, started.tgt,
                        [c = core_of(client_), sc = scope_of(client_), id = started.src_op_id](const api::operation_info&) {
                            return source_ended(c, sc, id);
                        });
}

void storage_volume::move_to(const client& target, const storage_volume_transfer& o) {
    auto pool = o.pool.empty() ? pool_ : o.pool;
    auto name = o.new_name.empty() ? data_.name : o.new_name;
    if (o.refresh) fail_invalid("a refresh applies to copies only, not to moves");
    if (same_server(client_, target) && effective_project(target) == effective_project(client_)) {
        if (o.mode != migration_mode::automatic) fail_invalid("the migration mode applies between servers only");
        if (pool == pool_ && name == data_.name) fail_invalid("moving a volume onto itself changes nothing");
        if (pool == pool_) return rename(name);
        check_existing(target, pool, name);
        return move_to(pool, name);
    }
    refresh();
    if (!data_.used_by.empty())
        fail_invalid("storage volume '" + data_.name + "' is in use (" + data_.used_by.front() + "): detach it before moving it");
    copy_to(target, o).wait(op_deadline(target));
    try {
        remove();
    } catch (const error&) {
        try {   // a source that stays: the copy goes, so there is one volume
            wait_if_async(target, call_sync(target, protocol::storage_volume_delete(pool, name)));
        } catch (const error&) {
        }
        throw;
    }
    *this = storage_volumes(target, pool).get(name);
}

}  // namespace lxd
