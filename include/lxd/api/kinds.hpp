// lxd/api/kinds.hpp — the closed sets of the REST API as typed enums: what an instance
// (or the image it comes from) is, and what a path in an instance is. Each has its REST
// spelling (to_string), a parser that refuses anything else, and stream output.
#pragma once

#include <optional>
#include <ostream>
#include <string_view>

namespace lxd::api {

/// An instance's type; an image's and an alias's too (what it makes).
enum class instance_type { container, virtual_machine };

/// "container" or "virtual-machine", as the REST API spells them.
constexpr std::string_view to_string(instance_type t) noexcept {
    return t == instance_type::virtual_machine ? "virtual-machine" : "container";
}

/// The REST spelling back to the enum; nullopt for anything else.
constexpr std::optional<instance_type> parse_instance_type(std::string_view s) noexcept {
    if (s == "container") return instance_type::container;
    if (s == "virtual-machine") return instance_type::virtual_machine;
    return std::nullopt;
}

inline std::ostream& operator<<(std::ostream& os, instance_type t) { return os << to_string(t); }

/// What a path in an instance is. The REST files API says file, directory or symlink (its
/// X-LXD-type header; a fifo or device reads as a file there); SFTP tells the rest apart.
enum class file_type { file, directory, symlink, fifo, socket, char_device, block_device };

/// "file", "directory", "symlink", "fifo", "socket", "char-device" or "block-device".
constexpr std::string_view to_string(file_type t) noexcept {
    switch (t) {
    case file_type::directory: return "directory";
    case file_type::symlink: return "symlink";
    case file_type::fifo: return "fifo";
    case file_type::socket: return "socket";
    case file_type::char_device: return "char-device";
    case file_type::block_device: return "block-device";
    case file_type::file: break;
    }
    return "file";
}

/// The spelling back to the enum; nullopt for anything else.
constexpr std::optional<file_type> parse_file_type(std::string_view s) noexcept {
    for (auto t : {file_type::file, file_type::directory, file_type::symlink, file_type::fifo, file_type::socket,
                   file_type::char_device, file_type::block_device})
        if (to_string(t) == s) return t;
    return std::nullopt;
}

inline std::ostream& operator<<(std::ostream& os, file_type t) { return os << to_string(t); }

}  // namespace lxd::api
