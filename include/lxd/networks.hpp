// lxd/networks.hpp — the networks manager (client.networks()) and the network handle.
// Networks live in a project (the client's); on LXD 5.0 and Incus 6.0 bridges are in the
// default project.
#pragma once

#include <lxd/export.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/network.hpp>
#include <lxd/client.hpp>

namespace lxd {

struct network_create {
    std::string name;          ///< an interface name: 1-15 characters
    std::string type;          ///< "" lets the server choose ("bridge")
    std::string description;
    api::config_map config;
};

struct network_patch {
    std::optional<api::config_map> config;
    std::optional<std::string> description;
};

/// One network as last read, plus the means to change it. Accessors never do I/O.
/// Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API network {
public:
    network(client c, api::network data, std::string etag);

    const std::string& name() const { return data_.name; }
    const std::string& type() const { return data_.type; }
    const std::string& description() const { return data_.description; }
    const api::config_map& config() const { return data_.config; }
    bool managed() const { return data_.managed; }
    const std::string& status() const { return data_.status; }
    const std::vector<std::string>& used_by() const { return data_.used_by; }
    const std::vector<std::string>& locations() const { return data_.locations; }
    const std::string& etag() const { return etag_; }
    const api::network& data() const { return data_; }

    network& set_config(std::string key, std::string value);
    network& unset_config(const std::string& key);
    network& set_config(api::config_map config);
    network& set_description(std::string description);

    /// PUT with If-Match of config and description (what a network has that can be written):
    /// a change made on the server since the read is refused (errc::precondition_failed).
    /// Re-reads afterwards.
    void save();
    /// PATCH of just the given fields (with If-Match), then a re-read.
    void patch(const network_patch& changes);
    void refresh();
    /// POST {name}; this handle then holds the new name. The servers refuse to rename a
    /// network in use.
    void rename(std::string_view new_name);
    /// DELETE. A network in use is refused by the server (its message, errc::bad_request).
    void remove();
    /// GET /1.0/networks/{name}/leases (managed networks only).
    std::vector<api::network_lease> leases() const;
    /// GET /1.0/networks/{name}/state.
    api::network_state state() const;

    const client& owner() const { return client_; }

private:
    client client_;
    api::network data_;
    std::string etag_;
};

/// The networks manager of the client's project. Thread safety: safe to share.
class LXDPP_API networks {
public:
    explicit networks(client c) : client_(std::move(c)) {}

    /// All networks (managed ones and the host's interfaces) in one request (recursion=1).
    std::vector<network> all() const;
    std::vector<std::string> names() const;
    network get(std::string_view name) const;
    bool exists(std::string_view name) const;
    /// POST /1.0/networks (synchronous), then reads the new network.
    network create(const network_create& n) const;

    const client& owner() const { return client_; }

private:
    client client_;
};

}  // namespace lxd
