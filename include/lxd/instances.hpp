// lxd/instances.hpp — the instances manager (client.instances(), .containers(),
// .virtual_machines()) and the instance handle.
#pragma once

#include <lxd/export.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/instance.hpp>
#include <lxd/transfer_mode.hpp>
#include <lxd/backups.hpp>
#include <lxd/api/instance_metadata.hpp>
#include <lxd/client.hpp>
#include <lxd/console.hpp>
#include <lxd/exec.hpp>
#include <lxd/files.hpp>
#include <lxd/images.hpp>
#include <lxd/snapshots.hpp>
#include <lxd/operation.hpp>

namespace lxd {

namespace detail { struct instance_news; }

/// Where a new instance comes from.
struct instance_source {
    enum class kind { none, image, copy };
    kind type = kind::none;
    // image: exactly one of alias, fingerprint, properties
    std::string alias;
    std::string fingerprint;
    std::map<std::string, std::string> properties;
    // image on another server (empty: this server)
    std::string server;        ///< "https://images.example:8443"
    std::string protocol;      ///< "lxd" or "simplestreams" (empty: lxd)
    std::string secret;        ///< for a private image on another LXD; never logged
    std::string certificate;   ///< PEM of that server, for pinning by the daemon
    // copy
    std::string source_name;   ///< instance (or "instance/snapshot") to copy
    bool instance_only = false;

    static instance_source none() { return {}; }
    static instance_source image_alias(std::string alias) { instance_source s; s.type = kind::image; s.alias = std::move(alias); return s; }
    static instance_source image_fingerprint(std::string fp) { instance_source s; s.type = kind::image; s.fingerprint = std::move(fp); return s; }
    static instance_source image_properties(std::map<std::string, std::string> props) { instance_source s; s.type = kind::image; s.properties = std::move(props); return s; }
    static instance_source copy_of(std::string name, bool instance_only = false) { instance_source s; s.type = kind::copy; s.source_name = std::move(name); s.instance_only = instance_only; return s; }
    /// The image lives on another server.
    instance_source& from_server(std::string url, std::string proto = "lxd") { server = std::move(url); protocol = std::move(proto); return *this; }
};

/// What to create. Only `name` is required (a `none` source gives an empty instance).
struct instance_create {
    std::string name;
    instance_source source;
    std::optional<std::vector<std::string>> profiles;   ///< nullopt: the server's default
    api::config_map config;
    api::device_map devices;
    bool ephemeral = false;
    std::string description;
    std::optional<api::instance_type> type;   ///< nullopt: the manager's (the server's default for instances())
    bool start = false;        ///< start it once created (the operation covers both)
};

struct list_options {
    bool with_state = false;            ///< recursion=2: state (and snapshots) included
    std::vector<std::string> fields;    ///< with_state: only these ("state.disk", ...)
    bool all_projects = false;
    std::string filter;                 ///< the server's filter expression (instances_filter)
};

struct state_options {
    std::optional<std::chrono::seconds> timeout;   ///< stop/restart: before giving up (server side)
    bool force = false;                            ///< stop: kill rather than shut down
    bool stateful = false;                         ///< needs CRIU on the server
};


struct migrate_options {
    bool live = false;                  ///< keep it running (needs CRIU on both servers)
    migration_mode mode = migration_mode::automatic;
    bool instance_only = false;         ///< leave the snapshots behind
    std::string new_name;               ///< empty: the same name
};

struct instance_patch {
    std::optional<api::config_map> config;
    std::optional<api::device_map> devices;
    std::optional<std::vector<std::string>> profiles;
    std::optional<std::string> description;
    std::optional<bool> ephemeral;
};

/// One instance as last read from the server, plus the means to change it.
/// Accessors never do I/O. Setters change only this value; save() sends it.
/// Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API instance {
public:
    instance(client c, api::instance data, std::string etag);

    const std::string& name() const { return cur().name; }
    const std::string& architecture() const { return cur().architecture; }
    const api::config_map& config() const { return cur().config; }
    const std::string& created_at() const { return cur().created_at; }
    const std::string& description() const { return cur().description; }
    const api::device_map& devices() const { return cur().devices; }
    bool ephemeral() const { return cur().ephemeral; }
    const api::config_map& expanded_config() const { return cur().expanded_config; }
    const api::device_map& expanded_devices() const { return cur().expanded_devices; }
    const std::string& last_used_at() const { return cur().last_used_at; }
    const std::string& location() const { return cur().location; }
    const std::vector<std::string>& profiles() const { return cur().profiles; }
    const std::string& project() const { return cur().project; }
    bool stateful() const { return cur().stateful; }
    const std::string& status() const { return cur().status; }
    api::status_code status_code() const { return cur().status_code; }
    api::instance_type type() const { return cur().type; }
    const std::string& etag() const { sync(); return etag_; }
    const api::instance& data() const { return cur(); }
    /// The state included by list_options::with_state (nullopt otherwise).
    const std::optional<api::instance_state>& listed_state() const { sync(); return listed_state_; }

    instance& set_config(std::string key, std::string value);
    instance& unset_config(const std::string& key);
    instance& set_config(api::config_map config);
    instance& set_devices(api::device_map devices);
    instance& set_profiles(std::vector<std::string> profiles);
    instance& set_description(std::string description);
    instance& set_ephemeral(bool ephemeral);

    /// PUT with If-Match: the editable fields as set here, every field the library does not
    /// know as the server sent it. If the instance changed on the server since it was read,
    /// throws errc::precondition_failed and changes nothing. Re-reads afterwards.
    void save();
    /// PATCH of just the given fields (with If-Match), then a re-read.
    void patch(const instance_patch& changes);
    /// Re-reads the instance (and its ETag).
    void refresh();
    /// DELETE. LXD refuses a running instance (errc::bad_request); with `force` it is
    /// stopped (killed) first, waiting for that stop.
    operation remove(bool force = false);
    /// POST {name}. The server refuses a running instance (errc::bad_request with its
    /// message). Once the operation has succeeded this handle (and its copies) has the new
    /// name and the server's value under it.
    operation rename(std::string_view new_name);
    api::instance_state state() const;

    /// The state changes. Once the operation has succeeded this handle (and its copies) is
    /// re-read: status() and status_code() are the server's.
    operation start(state_options o = {});
    /// Graceful by default (unlike pylxd); force = true kills.
    operation stop(state_options o = {});
    operation restart(state_options o = {});
    operation freeze(state_options o = {});
    operation unfreeze(state_options o = {});

    /// Runs argv in the instance and waits: exit code and output (bytes). The command's
    /// own failure is its exit code (127: not found); an lxd::error means LXD could not run
    /// it (stopped instance: errc::bad_request with the server's message; empty argv:
    /// errc::invalid_argument, nothing sent).
    exec_result execute(std::vector<std::string> argv, exec_options options = {});
    /// The asynchronous face: many commands in flight on the client's one I/O thread.
    std::shared_future<exec_result> async_execute(std::vector<std::string> argv, exec_options options = {});
    /// The snapshots manager of this instance (see snapshots.hpp).
    lxd::snapshots snapshots() const;
    /// Restores a snapshot by name (PUT {restore}); as snapshots().get(name).restore().
    operation restore_snapshot(std::string_view snapshot_name, bool stateful = false);
    /// The backups manager of this instance (see backups.hpp).
    lxd::backups backups() const;

    /// Moves the instance (with its snapshots unless instance_only) to the server of
    /// `target` (with target's project). Returns the operation on the target; once it has
    /// succeeded this handle (and its copies) is the instance on the target: owner() is
    /// `target`, name() the new name, the value read from the target. The source is
    /// removed only after the target reports success, so a failed migration leaves the
    /// source as it was. To the same server it is a rename.
    /// A running instance moved without `live` is copied as it is on disk, then the source is
    /// stopped and deleted and the copy started; if the source cannot be stopped or deleted,
    /// the copy is deleted again and the source restarted: never two instances, never none.
    /// A source protected against deletion (security.protection.delete) is refused
    /// (errc::invalid_argument) before anything is copied.
    operation migrate(const client& target, migrate_options o = {});
    /// Copies the instance to the server of `target` (or to this one), under o.new_name
    /// (required on the same server). The source is untouched.
    operation copy(const client& target, migrate_options o = {});

    /// Makes an image of this instance (see images::publish); the operation's metadata has
    /// the new image's fingerprint.
    operation publish(const image_publish& o = {}) const;

    /// The files manager of this instance (see files.hpp).
    lxd::files files() const;

    /// Starts argv on a pseudo-terminal and returns the session (see exec_session).
    exec_session execute_interactive(std::vector<std::string> argv, interactive_options options = {});

    // ---- console, log files, metadata and templates (src/instance_meta.cpp) ----
    /// POST .../console: attaches to the console of this running instance (see
    /// console_session, console.hpp). A stopped instance is the server's refusal
    /// (errc::bad_request, "Instance is not running"); a type other than "console" or a size
    /// outside 1..65535 is errc::invalid_argument before any request.
    console_session console(console_options options = {}) const;
    /// GET .../console: what the console has printed so far (a container's console log).
    std::string console_log() const;
    /// DELETE .../console: empties the console log.
    void clear_console_log() const;
    /// The names of the instance's log files (GET .../logs): "lxc.log", "lxc.conf", ...
    std::vector<std::string> logs() const;
    /// One log file's content (GET .../logs/{file}).
    std::string log(std::string_view file) const;
    /// metadata.yaml (GET .../metadata).
    api::instance_metadata metadata() const;
    /// PUT .../metadata: the modelled fields as given, the rest of m.raw_json as it is.
    void set_metadata(const api::instance_metadata& m) const;
    /// The template files (GET .../metadata/templates).
    std::vector<std::string> templates() const;
    std::string get_template(std::string_view file) const;
    /// POST (PUT is 501 on both servers). Without replace, an existing file is errc::conflict.
    void put_template(std::string_view file, std::string content, bool replace = false) const;
    void remove_template(std::string_view file) const;

    const client& owner() const { sync(); return client_; }

private:
    friend class instances;
    operation change_state(std::string_view action, const state_options& o);
    operation transfer(const client& target, const migrate_options& o, bool move);
    /// Takes in what the handle's own succeeded operations learned (see the class comment).
    void sync() const;
    const api::instance& cur() const { sync(); return data_; }

    mutable client client_;
    mutable api::instance data_;
    mutable std::string etag_;
    mutable std::optional<api::instance_state> listed_state_;
    mutable std::uint64_t seen_ = 0;
    std::shared_ptr<detail::instance_news> news_;
};

/// The instances manager. Thread safety: safe to share.
class LXDPP_API instances {
public:
    instances(client c, std::optional<api::instance_type> type_filter) : client_(std::move(c)), type_(type_filter) {}

    /// All instances (of this manager's type) in one request.
    std::vector<instance> all(const list_options& o = {}) const;
    /// Just the names (recursion=0).
    std::vector<std::string> names() const;
    instance get(std::string_view name) const;
    bool exists(std::string_view name) const;
    /// POST /1.0/instances. The name is checked first (errc::invalid_argument).
    operation create(const instance_create& config) const;
    /// Creates an instance from a backup tarball (lxc import), streamed in constant memory
    /// as the request body of POST /1.0/instances. The operation ends once the instance
    /// exists; a damaged tarball fails it with the server's message (see docs/backups.md).
    [[nodiscard]] operation import_backup(const std::string& path, const backup_import& o = {}) const;
    [[nodiscard]] operation import_backup(std::istream& in, const backup_import& o = {}) const;

    const client& owner() const { return client_; }

private:
    client client_;
    std::optional<api::instance_type> type_;   ///< nullopt: every type
};

}  // namespace lxd
