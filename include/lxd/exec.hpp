// lxd/exec.hpp — running commands in instances.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lxd {

struct exec_options {
    std::map<std::string, std::string> environment;
    std::string cwd;                          ///< empty: the server's default
    std::optional<std::uint32_t> user;        ///< uid inside the instance
    std::optional<std::uint32_t> group;       ///< gid inside the instance
    std::string stdin_data;                   ///< sent, then end-of-file
    /// When set, output goes here in chunks as it arrives (constant memory) instead of into
    /// exec_result::out / err. Runs on the client's I/O thread.
    std::function<void(std::string_view)> on_stdout;
    std::function<void(std::string_view)> on_stderr;
    /// When it expires the command gets SIGTERM, then SIGKILL 2 s later, through the control
    /// channel; the result says timed_out. nullopt: no limit.
    std::optional<std::chrono::milliseconds> timeout;
};

struct exec_result {
    int exit_code = -1;
    std::string out;        ///< bytes as the command wrote them (binary-safe)
    std::string err;
    bool timed_out = false;
};

}  // namespace lxd
