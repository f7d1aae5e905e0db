// src/protocol/entry_name.hpp — the names a server may list in a directory being copied.
#pragma once

#include <string_view>

namespace lxd::protocol {

/// A directory entry a server listed in `dir` (recursive transfers): "", ".", "..", or a
/// name with '/' or NUL would steer writes out of the target: errc::protocol_error.
void check_entry_name(std::string_view name, std::string_view dir);

}  // namespace lxd::protocol
