// tools/lxdpp/commands/storage.hpp — `storage` (pools) and `storage volume` (custom volumes
// and their snapshots), as lxc spells them; as an incus client, `storage volume snapshot`
// is incus 6's group (create|delete|list|rename|restore|show).
#pragma once

#include <string>
#include <vector>

#include <lxd/storage.hpp>

#include "context.hpp"

namespace lxdpp_cli {

/// `get|set|unset` on a config map (of a pool or a volume) as lxc does them: args[first] is
/// KEY (get, unset) or KEY VALUE / KEY=VALUE... (set). `get` prints the value (nothing for a
/// key that is not set) and returns false; set and unset change `config` and return true.
bool config_keys(const std::string& verb, const std::vector<std::string>& args, std::size_t first, lxd::api::config_map& config,
                 const std::string& usage);

/// Takes an edited {config, description} document (other fields are ignored, as lxc does)
/// into a pool or volume handle and saves it with the ETag read before editing, so a change
/// made meanwhile is refused. `what` names the object in the error for a non-mapping.
template <class Handle>
void save_edited(Handle& h, const boost::json::value& v, const std::string& what) {
    if (!v.is_object()) throw usage_error("the " + what + " must be a mapping");
    const auto& o = v.get_object();
    h.set_config(o.contains("config") ? config_of(o.at("config")) : lxd::api::config_map{});
    if (auto* d = o.if_contains("description")) h.set_description(d->is_string() ? std::string(d->get_string()) : "");
    h.save();
}

/// storage volume list|show|create|delete|get|set|unset|rename|copy|move|attach|detach|
/// snapshot|restore.
class storage_volume_command {
public:
    explicit storage_volume_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& storage);

private:
    void add_snapshot_verbs(CLI::App& group);
    void list();
    void show();
    void create();
    void remove();
    void keys(const std::string& verb);
    void rename();
    void copy_or_move(bool move);
    void export_volume();
    void edit();
    void info();
    void import_volume();
    void attach(bool detach);
    void snapshot();
    void snapshot_list();
    void restore();
    /// The pool argument ([REMOTE:]POOL) → a client and the pool's volumes.
    lxd::storage_volumes volumes_of(const std::string& arg) const;
    context& ctx_;
    std::vector<std::string> args_;
    std::string format_ = "table", content_type_ = "filesystem", mode_ = "pull", compression_;
    std::string member_, destination_member_, target_project_;   // copy/move --target, --destination-target, --target-project
    bool volume_only_ = false, reuse_ = false, no_expiry_ = false, optimized_ = false, refresh_ = false;
};

/// storage list|show|create|delete|get|set|unset|edit|info, and the volume group.
class storage_command {
public:
    explicit storage_command(context& ctx) : ctx_(ctx), volume_(ctx) {}
    void add(CLI::App& app);

private:
    void list();
    void create();
    void edit();
    void info();
    void keys(const std::string& verb);
    context& ctx_;
    storage_volume_command volume_;
    std::vector<std::string> args_;
    std::string format_ = "table", description_;
};

}  // namespace lxdpp_cli
