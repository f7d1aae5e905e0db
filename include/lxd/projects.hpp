// lxd/projects.hpp — the projects manager (client.projects()) and the project handle.
// Projects are server-wide: the client's own project does not scope these requests.
#pragma once

#include <lxd/export.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/profile.hpp>
#include <lxd/client.hpp>

namespace lxd {

struct project_create {
    std::string name;
    std::string description;
    /// features.* and limits.*; with no features.* key the server picks its defaults
    /// (which differ between LXD and Incus).
    api::config_map config;
};

/// One project as last read. Accessors never do I/O.
/// Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API project {
public:
    project(client c, api::project data, std::string etag);

    const std::string& name() const { return data_.name; }
    const std::string& description() const { return data_.description; }
    const api::config_map& config() const { return data_.config; }
    const std::vector<std::string>& used_by() const { return data_.used_by; }
    const std::string& etag() const { return etag_; }
    const api::project& data() const { return data_; }

    project& set_config(std::string key, std::string value);
    project& unset_config(const std::string& key);
    project& set_config(api::config_map config);
    project& set_description(std::string description);

    /// PUT {config, description} with If-Match (errc::precondition_failed when it changed
    /// since it was read), then a re-read.
    void save();
    void refresh();
    /// POST {name}, waiting for it (an operation on LXD 5.0 and Incus); the handle then holds
    /// the new name. The server refuses "default" and a project in use.
    void rename(std::string_view new_name);
    /// DELETE. The server refuses "default" and a project that is not empty.
    void remove();
    /// A client of the same server scoped to this project.
    client scoped_client() const { return client_.use_project(data_.name); }

    const client& owner() const { return client_; }

private:
    client client_;
    api::project data_;
    std::string etag_;
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
