// lxd/profiles.hpp — the profiles manager (client.profiles()) and the profile handle.
// Profiles live in a project: the client's (client::use_project).
#pragma once

#include <lxd/export.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/profile.hpp>
#include <lxd/client.hpp>

namespace lxd {

struct profile_create {
    std::string name;
    std::string description;
    api::config_map config;
    api::device_map devices;
};

struct profile_patch {
    std::optional<api::config_map> config;
    std::optional<api::device_map> devices;
    std::optional<std::string> description;
};

/// One profile as last read, plus the means to change it. Accessors never do I/O.
/// Thread safety: distinct objects safe; a shared one is not (it is a value).
class LXDPP_API profile {
public:
    profile(client c, api::profile data, std::string etag);

    const std::string& name() const { return data_.name; }
    const std::string& description() const { return data_.description; }
    const api::config_map& config() const { return data_.config; }
    const api::device_map& devices() const { return data_.devices; }
    const std::vector<std::string>& used_by() const { return data_.used_by; }
    const std::string& etag() const { return etag_; }
    const api::profile& data() const { return data_; }

    profile& set_config(std::string key, std::string value);
    profile& unset_config(const std::string& key);
    profile& set_config(api::config_map config);
    profile& set_devices(api::device_map devices);
    profile& set_description(std::string description);

    /// PUT with If-Match: the editable fields as set here, every field the library does not
    /// know as the server sent it. If the profile changed on the server since it was read,
    /// throws errc::precondition_failed and changes nothing. Re-reads afterwards.
    void save();
    /// PATCH of just the given fields (with If-Match), then a re-read.
    void patch(const profile_patch& changes);
    void refresh();
    /// POST {name} (synchronous on both servers); this handle then holds the new name.
    /// The server refuses to rename "default" (errc::forbidden).
    void rename(std::string_view new_name);
    /// DELETE. The server refuses "default" (errc::forbidden) and a profile an instance
    /// uses (errc::server_error: both servers answer 500 "Profile is currently in use").
    void remove();

    const client& owner() const { return client_; }

private:
    client client_;
    api::profile data_;
    std::string etag_;
};

/// The profiles manager of the client's project. Thread safety: safe to share.
class LXDPP_API profiles {
public:
    explicit profiles(client c) : client_(std::move(c)) {}

    /// All profiles in one request (recursion=1).
    std::vector<profile> all() const;
    std::vector<std::string> names() const;
    profile get(std::string_view name) const;
    bool exists(std::string_view name) const;
    /// POST /1.0/profiles (synchronous), then reads the new profile.
    profile create(const profile_create& p) const;

    const client& owner() const { return client_; }

private:
    client client_;
};

}  // namespace lxd
