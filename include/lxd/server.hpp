// lxd/server.hpp — the server itself: its configuration (client.server()), its resources,
// its trust store (client.certificates()) and its warnings (client.warnings()).
#pragma once

#include <lxd/export.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lxd/api/instance.hpp>
#include <lxd/api/server.hpp>
#include <lxd/client.hpp>
#include <lxd/operation.hpp>

namespace lxd {

/// The server's configuration (GET /1.0) as last read, plus the means to change it.
/// Accessors never do I/O; set()/unset() change only this value; save() sends it.
/// Thread safety: a value (distinct objects are independent; a shared one is not).
class LXDPP_API server_config {
public:
    server_config(client c, api::server_info info, std::string etag);

    /// The server's config keys (values as the server sent them; non-strings as JSON text).
    const api::config_map& config() const { return info_.config; }
    const api::server_info& info() const { return info_; }
    const std::string& etag() const { return etag_; }

    /// Checks the key (non-empty; no space, '=' or control character): errc::invalid_argument.
    server_config& set(std::string key, std::string value);
    server_config& unset(const std::string& key);

    /// PUT /1.0 {config} with If-Match: if the server's config changed since it was read,
    /// errc::precondition_failed and nothing changes. The server refuses unknown keys and
    /// bad values (errc::bad_request with its message). Re-reads afterwards.
    void save();
    /// PATCH /1.0 of just these keys (an empty value removes a key), with If-Match; re-reads.
    void patch(const api::config_map& changes);
    /// Re-reads the configuration (and its ETag).
    void refresh();

private:
    client client_;
    api::server_info info_;
    std::string etag_;
};

/// A trusted certificate (GET /1.0/certificates/{fingerprint}) and its verbs.
/// Thread safety: a value, as server_config.
class LXDPP_API certificate {
public:
    certificate(client c, api::certificate data, std::string etag);

    const std::string& fingerprint() const { return data_.fingerprint; }
    const std::string& name() const { return data_.name; }
    const std::string& type() const { return data_.type; }
    bool restricted() const { return data_.restricted; }
    const std::vector<std::string>& projects() const { return data_.projects; }
    /// PEM of the certificate.
    const std::string& pem() const { return data_.pem; }
    const std::string& etag() const { return etag_; }
    const api::certificate& data() const { return data_; }

    certificate& set_name(std::string name);
    certificate& set_restricted(bool restricted);
    /// Project names are checked (errc::invalid_argument).
    certificate& set_projects(std::vector<std::string> projects);

    /// PUT with If-Match (errc::precondition_failed after a concurrent change); re-reads.
    void save();
    /// Re-reads it (errc::not_found once it is removed).
    void refresh();
    /// DELETE: the server no longer trusts it.
    void remove();

private:
    client client_;
    api::certificate data_;
    std::string etag_;
};

/// What to trust. `pem` is the certificate's PEM (one CERTIFICATE block; checked before any
/// request). `type` is "client" (or "metrics").
struct certificate_add {
    std::string pem;
    std::string name;
    std::string type = "client";
    bool restricted = false;
    std::vector<std::string> projects;
    std::string description;   ///< Incus keeps it; LXD 5.0 has no such field (sent only when set)
};

/// The trust store: client.certificates(). Thread safety: safe to share.
class LXDPP_API certificates {
public:
    explicit certificates(client c) : client_(std::move(c)) {}

    std::vector<certificate> all() const;
    std::vector<std::string> fingerprints() const;
    /// A whole fingerprint or a unique prefix (1-64 hex digits, checked before any request).
    certificate get(std::string_view fingerprint) const;
    bool exists(std::string_view fingerprint) const;
    /// POST /1.0/certificates with the certificate (no secret needed: the caller is trusted).
    void add(const certificate_add& c) const;

    /// Issues a certificate add token for `name` (its string: client::token_from_operation).
    operation create_token(std::string_view name) const;
    /// The pending tokens: the running token operations of the server.
    std::vector<api::operation_info> tokens() const;
    /// Revokes a pending token by its operation id (DELETE /1.0/operations/{id}).
    void revoke_token(std::string_view operation_id) const;

private:
    client client_;
};

/// The server's warnings: client.warnings(). Needs the `warnings` API extension (checked:
/// errc::unsupported). Thread safety: safe to share.
class LXDPP_API warnings {
public:
    explicit warnings(client c) : client_(std::move(c)) {}

    /// Every warning of the client's project (all_projects: of all), full objects.
    std::vector<api::warning> all(bool all_projects = false) const;
    /// By UUID (checked: 36 characters, 8-4-4-4-12 hex digits). errc::not_found if unknown.
    api::warning get(std::string_view uuid) const;
    bool exists(std::string_view uuid) const;
    /// PUT {"status": "acknowledged"} (or "new" with acknowledged = false).
    void acknowledge(std::string_view uuid, bool acknowledged = true) const;
    /// DELETE: gone (it comes back if the condition recurs).
    void remove(std::string_view uuid) const;

private:
    client client_;
};

}  // namespace lxd
