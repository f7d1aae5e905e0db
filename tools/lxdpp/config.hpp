// tools/lxdpp/config.hpp — the lxc client configuration (config.yml, client.crt/key,
// servercerts/), read and written in lxc's own format so both tools share it.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

#include <lxd/client.hpp>

namespace lxdpp_cli {

struct remote {
    std::string name;
    std::string addr;        ///< "unix://", "unix:///path/unix.socket" or "https://host:port"
    std::string protocol;    ///< "lxd" (default) or "simplestreams"
    std::string auth_type;   ///< "tls"
    std::string project;
    bool is_public = false;
    bool is_static = false;  ///< lxc's built-in local, ubuntu, ubuntu-daily
    bool is_unix() const { return addr.rfind("unix:", 0) == 0; }
};

class config {
public:
    /// Whose configuration: lxc's, or incus's (same format). The rule, first match wins:
    /// $LXDPP_CLIENT=incus or =lxc; else the program's name (lxdpp installed as a link named
    /// `incus` is an incus client); else lxc's.
    /// lxc's: $LXD_CONF, else ~/.config/lxc, else the snap's ~/snap/lxd/common/config when only
    /// it exists. incus's: $INCUS_CONF, else ~/.config/incus; its "local" remote is the Incus
    /// socket ($INCUS_SOCKET, $INCUS_DIR, /run/incus, /var/lib/incus). A missing config.yml
    /// gives that client's built-in remotes.
    static config load();
    /// True when the rule above picks incus's (an unknown $LXDPP_CLIENT counts as lxc's here;
    /// load() refuses it). Decides which verb forms the command line offers.
    static bool incus_flavour() noexcept;
    bool is_incus() const { return incus_; }

    const std::string& dir() const { return dir_; }
    const std::string& default_remote() const { return default_; }
    const std::map<std::string, remote>& remotes() const { return remotes_; }
    const remote& get(const std::string& name) const;   ///< throws std::runtime_error
    bool has(const std::string& name) const { return remotes_.count(name) != 0; }

    /// The `aliases:` section of config.yml (alias → command words).
    const std::map<std::string, std::string>& aliases() const { return aliases_; }
    /// --force-local: only the local socket, as a fresh configuration (incus: the remotes stay,
    /// `local` is the default); never saved.
    void force_local();

    void add(const remote& r);
    void remove(const std::string& name);
    void set_default(const std::string& name);
    /// Writes config.yml (other keys, e.g. aliases, kept as they were).
    void save() const;

    /// A client for the remote: the unix socket, or HTTPS with client.crt/client.key and the
    /// server certificate pinned from servercerts/<name>.crt.
    lxd::client connect(const std::string& remote_name, const lxd::client_options& o) const;

    std::string server_cert_path(const std::string& name) const { return dir_ + "/servercerts/" + name + ".crt"; }
    std::string client_cert_path() const { return dir_ + "/client.crt"; }
    std::string client_key_path() const { return dir_ + "/client.key"; }
    /// Creates client.crt/client.key (as lxc does on first use) if they are missing.
    void ensure_client_certificate() const;

private:
    std::string dir_;
    std::string default_ = "local";
    std::map<std::string, remote> remotes_;
    std::map<std::string, std::string> aliases_;
    bool read_only_ = false;
    bool incus_ = false;
    YAML::Node doc_;
};

/// "remote:name" → {remote, name}; a prefix that is not a known remote stays in the name.
std::pair<std::string, std::string> split_remote(const config& cfg, const std::string& arg);

}  // namespace lxdpp_cli
