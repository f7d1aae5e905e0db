// tools/lxdpp/commands/context.hpp — what the command files share: the context (client
// configuration and global flags), the errors a command throws, small argument helpers.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <lxd/lxd.hpp>

#include "../config.hpp"
#include "../output.hpp"

namespace lxdpp_cli {

/// A user mistake the CLI detects itself: printed as "Error: ..." like server errors.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Ends lxdpp with this exit status and nothing printed (e.g. 130 after SIGINT).
struct exit_status {
    int code;
    explicit exit_status(int c) : code(c) {}
};

using api_config = lxd::api::config_map;

/// How long lxdpp waits for a server operation.
inline constexpr auto op_wait = std::chrono::minutes(30);

/// The state every command reads: the configuration and the global flags. One lives in
/// main(); the commands hold a reference to it.
struct context {
    config cfg;
    std::string project;
    std::string target;   ///< cluster member for placement (--target of some commands)
    bool quiet = false;
    std::chrono::seconds timeout{30};
    int exit_code = 0;    ///< what main returns after a command that ran (exec sets it)

    /// A client for the remote with the global flags applied.
    lxd::client connect(const std::string& remote) const;
    /// Progress on stderr: not --quiet, and stderr a terminal.
    bool show_progress() const;
    /// Waits for an operation, showing its progress metadata when stderr is a terminal.
    lxd::api::operation_info wait_with_progress(const lxd::operation& op, const std::string& label) const;
    /// A "REMOTE:" argument (the colon optional; empty: the default remote) → the remote name.
    std::string remote_arg_name(const std::string& arg) const;
    /// An image argument: alias or fingerprint (prefix) on a remote → the image (its owner()
    /// is the remote's client).
    lxd::image resolve_image(const std::string& arg) const;
};

std::string upper(std::string s);
/// "KEY=VALUE" → {KEY, VALUE}; throws usage_error otherwise.
std::pair<std::string, std::string> parse_kv(const std::string& s);
/// An octal file mode ("0644"); throws usage_error otherwise.
std::uint32_t parse_mode(const std::string& s);
/// --mode of copy/move: "pull", "push", "relay"; "" is automatic. usage_error otherwise.
lxd::migration_mode parse_transfer_mode(const std::string& s);
boost::json::value parse_raw(const std::string& raw);
/// The `config:` mapping of an edited document (null: empty); usage_error otherwise.
lxd::api::config_map config_of(const boost::json::value& v);
/// Separates lxc's trailing KEY=VALUE arguments (image properties) from the others.
api_config split_properties(std::vector<std::string>& args);
/// "NAME/SNAPSHOT" → {NAME, SNAPSHOT}; no slash: {NAME, ""}.
std::pair<std::string, std::string> split_snapshot(const std::string& name);
/// An RFC 3339 time from the server in Go's layout `layout` (strftime form), local time, as
/// lxc prints times; "" for LXD's zero time.
std::string local_time(const std::string& rfc3339, const char* layout);

/// A flag lxc has and lxdpp does not implement: accepted by the parser (so it never swallows
/// or shifts other arguments) and refused with one line when given.
void unsupported_flag(CLI::App* s, const std::string& names);
/// The same for an option that takes a value.
void unsupported_option(CLI::App* s, const std::string& names);

}  // namespace lxdpp_cli
