// lxd/client.hpp — a connection to one LXD (or Incus) server.
#pragma once

#include <lxd/export.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <lxd/api/operation.hpp>
#include <lxd/api/server.hpp>
#include <lxd/events.hpp>
#include <lxd/operation.hpp>
#include <lxd/tls.hpp>

namespace lxd {

class instances;
class images;
class cluster;
class profiles;
class networks;
class projects;
class storage_pools;
class server_config;
class certificates;
class warnings;

/// A request the library does not wrap (client::raw). `path` starts with "/1.0" and may
/// carry a query ("?recursion=1"); `query` pairs are added to it (escaped). `body` is JSON
/// text or empty.
struct raw_request {
    std::string method = "GET";       ///< GET, POST, PUT, PATCH, DELETE (checked)
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;
    std::string body;
    std::string etag;                 ///< sent as If-Match when set
    /// Wait for the operation of an asynchronous answer (up to `wait_timeout`); the answer's
    /// metadata is then the final operation object. A failed or cancelled operation throws.
    bool wait = false;
    std::chrono::milliseconds wait_timeout = std::chrono::minutes(30);
    /// Empty or application/json: `body` must be JSON. Anything else: `body` is bytes sent
    /// as they are with this Content-Type (held in memory: this is the raw interface; files
    /// and images stream through instance::files() and images()).
    std::string content_type;
    /// Extra headers: only X-LXD-*, X-Incus-*, Content-Type and If-Match (any other name is
    /// refused with errc::invalid_argument naming it, and nothing is sent).
    std::vector<std::pair<std::string, std::string>> headers;
    /// false: the answer is not read as an envelope (a file GET, a log): raw_response gets
    /// `http_status`, `headers` and `body` as the server sent them; `wait` is ignored. An
    /// answer that is not 2xx still throws the server's error.
    bool envelope = true;
};

/// The envelope of a successful raw answer (an error envelope throws lxd::error).
struct raw_response {
    std::string type;                 ///< "sync" or "async"
    int status_code = 0;              ///< 200 (sync) or 100 (async) as the envelope says
    std::string operation;            ///< async: "/1.0/operations/<id>"
    std::string metadata_json;        ///< the metadata (after wait: the final operation)
    std::string etag;                 ///< the answer's ETag header, if any
    /// raw_request::envelope false only: the HTTP status, every header (names lowercased)
    /// and the body, unparsed (type, status_code and metadata_json stay empty).
    int http_status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

enum class flavour { lxd, incus };

struct client_options {
    /// Deadline of each request (not of waiting for an operation: operation::wait takes
    /// its own). No request of this client outlives it.
    std::chrono::milliseconds timeout = std::chrono::seconds(30);
    /// A streamed transfer (file get/put, image import/export) may take as long as it needs
    /// while it makes progress (each chunk has `timeout`), but never longer than this in
    /// all: a server that sends forever (a never-ending chunked body) is cut off here.
    std::chrono::milliseconds transfer_timeout = std::chrono::hours(24);
    std::string project;          ///< empty: the server's default project
    std::string target;           ///< cluster member for placement; empty: none
    std::size_t max_idle_connections = 8;
    std::string user_agent = "lxdpp/0.1";
};

/// Where a local server's socket is, found as LXD's own client finds it: an explicit path
/// wins; then $LXD_SOCKET, $LXD_DIR/unix.socket, /var/snap/lxd/common/lxd/unix.socket,
/// /var/lib/lxd/unix.socket. Incus's ($INCUS_SOCKET, $INCUS_DIR/unix.socket,
/// /run/incus/unix.socket, /var/lib/incus/unix.socket) are used when `want` is incus, or
/// when no LXD socket exists. Returns the first that exists; throws errc::connection_failed
/// listing what was tried when none does.
LXDPP_API std::string find_unix_socket(std::optional<flavour> want = std::nullopt);

/// The server certificate of an HTTPS endpoint, fetched WITHOUT verification, for showing
/// its fingerprint to a human (as `lxc remote add` does). Never use it to skip pinning.
LXDPP_API std::string fetch_server_certificate(std::string_view url, std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// What a certificate add token (`lxc config trust add`, client::create_certificate_token)
/// carries. The secret is in it: never log it.
struct certificate_token {
    std::string client_name;
    std::string fingerprint;              ///< the issuing server's certificate
    std::vector<std::string> addresses;   ///< "host:port" where the server listens
    std::string secret;
    std::string expires_at;
};
/// Decodes a token; nullopt if `text` is not one (e.g. a trust password).
LXDPP_API std::optional<certificate_token> parse_certificate_token(std::string_view text);

namespace detail { struct core; struct scope; struct access; }

/// A client of one server.
///
/// Copies are cheap and share the connection pool and the I/O thread; use_project(),
/// use_target() and with_timeout() return such copies with a different scope.
/// Thread safety: all members are safe to call from several threads at once. Synchronous
/// members must not be called from lxdpp callbacks (refused: errc::invalid_argument).
class LXDPP_API client {
public:
    /// Over the Unix socket (`path` empty: find_unix_socket()). Connects lazily: the first
    /// request reports an unreachable socket (errc::connection_failed).
    static client connect_unix(std::string path = {}, client_options options = {});
    /// Over HTTPS, e.g. "https://127.0.0.1:8443". TLS 1.3 only; the server certificate is
    /// checked as `tls` says before any request is sent (errc::tls_error otherwise).
    static client connect_https(std::string url, tls_options tls, client_options options = {});

    client use_project(std::string project) const;
    client use_target(std::string member) const;
    client with_timeout(std::chrono::milliseconds timeout) const;
    const std::string& project() const;
    const std::string& target() const;

    /// GET /1.0, fresh.
    api::server_info host_info() const;
    /// From the first host_info() of this server (fetched if needed; cached after).
    std::vector<std::string> api_extensions() const;
    bool has_api_extension(std::string_view name) const;
    /// Throws errc::unsupported naming the missing extension.
    void assert_has_api_extension(std::string_view name) const;
    flavour server_flavour() const;
    std::string server_version() const;

    /// Whether the server trusts this client (a fresh GET /1.0).
    bool trusted() const;
    /// Asks the server to trust this client's certificate, with a trust password or a
    /// certificate add token (told apart automatically). A token's embedded fingerprint
    /// must match the server's certificate. The secret never appears in errors.
    void authenticate(std::string_view password_or_token, std::string_view name = {}) const;
    /// Issues a certificate add token (POST /1.0/certificates {token:true}). The operation's
    /// metadata holds the secret; cancelling the operation revokes the token.
    operation create_certificate_token(std::string_view name) const;
    /// The token string `lxc` users paste (base64 JSON), from a token operation.
    static std::string token_from_operation(const api::operation_info& op);

    std::vector<api::operation_info> operations() const;
    operation get_operation(std::string_view id) const;

    /// Subscribes to /1.0/events (with this client's project unless all_projects).
    event_stream events(event_options options = {}) const;
    event_subscription subscribe(event_options options, std::function<void(const api::event&)> on_event,
                                 std::function<void(const std::exception_ptr&)> on_error = {}) const;

    /// Managers.
    lxd::instances instances() const;
    lxd::instances containers() const;
    lxd::instances virtual_machines() const;
    /// The image store (see images.hpp).
    lxd::images images() const;
    /// The cluster this server belongs to (see cluster.hpp).
    lxd::cluster cluster() const;
    /// The profiles of this client's project (see profiles.hpp).
    lxd::profiles profiles() const;
    /// The networks of this client's project (see networks.hpp).
    lxd::networks networks() const;
    /// The server's projects (see projects.hpp).
    lxd::projects projects() const;
    /// The server's storage pools and, through each, its custom volumes (see storage.hpp).
    lxd::storage_pools storage_pools() const;

    /// A raw request for endpoints the library does not model yet: `path` starts with "/1.0",
    /// `body` is JSON text or empty. Returns the sync metadata as JSON text; throws for errors.
    std::string raw_get(std::string_view path) const;

    /// Any request (see raw_request). Checks the method and that the path starts with /1.0
    /// (errc::invalid_argument, nothing sent).
    raw_response raw(const raw_request& request) const;

    /// The server's configuration as a handle (see server.hpp).
    server_config server() const;
    /// GET /1.0/resources: the host's CPUs, memory, GPUs, NICs, disks..., as JSON text.
    std::string resources() const;
    /// The trust store (see server.hpp).
    lxd::certificates certificates() const;
    /// The server's warnings (see server.hpp).
    lxd::warnings warnings() const;

    /// Requests sent by this client and its copies (a diagnostic and test aid).
    std::uint64_t request_count() const;
    /// Connections opened by this client and its copies (keep-alive makes this small).
    std::uint64_t connection_count() const;

private:
    friend struct detail::access;   // the library's own way in (src/detail/access.hpp)
    client(std::shared_ptr<detail::core> core, std::shared_ptr<const detail::scope> scope);
    std::shared_ptr<detail::core> core_;
    std::shared_ptr<const detail::scope> scope_;
};

}  // namespace lxd
