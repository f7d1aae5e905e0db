// lxd/projects.hpp — the projects manager (client.projects()) and the project handle.
// Projects are server-wide: the client's own project does not scope these requests.
#pragma once

#include <lxd/export.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/profile.hpp>
#include <lxd/client.hpp>
#include <lxd/operation.hpp>

namespace lxd {

namespace detail { struct project_news; }

struct project_create {
    std::string name;
    std::string description;
    /// features.* and limits.*; with no features.* key the server picks its defaults
    /// (which differ between LXD and Incus).
    api::config_map config;
};

/// One project as last read. Accessors never do I/O; copies of a handle share what its
/// own rename learns (as instance handles do).
/// Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API project {
public:
    project(client c, api::project data, std::string etag);

    const std::string& name() const { return fresh().name; }
    const std::string& description() const { return fresh().description; }
    const api::config_map& config() const { return fresh().config; }
    const std::vector<std::string>& used_by() const { return fresh().used_by; }
    const std::string& etag() const { fresh(); return etag_; }
    const api::project& data() const { return fresh(); }

    project& set_config(std::string key, std::string value);
    project& unset_config(const std::string& key);
    project& set_config(api::config_map config);
    project& set_description(std::string description);

    /// PUT {config, description} with If-Match (errc::precondition_failed when it changed
    /// since it was read), then a re-read.
    void save();
    void refresh();
    /// POST {name}: an operation on LXD 5.0 and Incus, returned as instance::rename returns
    /// its own. When it succeeds, its last step re-reads the project (before any waiter is
    /// released), so after `rename(n).wait(...)` this handle and its copies hold the new name.
    /// The server refuses "default" and a project in use.
    [[nodiscard]] operation rename(std::string_view new_name);
    /// DELETE. The server refuses "default" and a project that is not empty.
    void remove();
    /// GET /1.0/projects/{name}/state: its resource limits and usage (`lxc project info`).
    api::project_state state() const;
    /// A client of the same server scoped to this project.
    client scoped_client() const { return client_.use_project(data_.name); }

    const client& owner() const { return client_; }

private:
    const api::project& fresh() const;   // takes in what the handle's own rename learned
    mutable client client_;
    mutable api::project data_;
    mutable std::string etag_;
    std::shared_ptr<detail::project_news> news_;
    mutable std::uint64_t seen_ = 0;
};

/// The projects manager. Thread safety: safe to share.
class LXDPP_API projects {
public:
    explicit projects(client c) : client_(std::move(c)) {}

    /// All projects in one request (recursion=1).
    std::vector<project> all() const;
    std::vector<std::string> names() const;
    project get(std::string_view name) const;
    bool exists(std::string_view name) const;
    /// POST /1.0/projects (synchronous), then reads the new project.
    project create(const project_create& p) const;

    const client& owner() const { return client_; }

private:
    client client_;
};

}  // namespace lxd
