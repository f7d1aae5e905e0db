#include "validation.hpp"
#include "entry_name.hpp"

#include <cctype>

#include "errors.hpp"
#include "escape.hpp"

namespace lxd::protocol {

void check_instance_name(std::string_view name) {
    auto quoted = "'" + std::string(name.substr(0, 80)) + "'";
    if (name.empty()) fail_invalid("instance name is empty");
    if (name.size() > 63) fail_invalid("instance name " + quoted + " is longer than 63 characters");
    for (unsigned char c : name)
        if (!std::isalnum(c) && c != '-')
            fail_invalid("instance name " + quoted + " may contain only letters, digits and '-'");
    if (std::isdigit(static_cast<unsigned char>(name.front())) || name.front() == '-')
        fail_invalid("instance name " + quoted + " must not start with a digit or '-'");
    if (name.back() == '-') fail_invalid("instance name " + quoted + " must not end with '-'");
}

void check_snapshot_name(std::string_view name) {
    auto quoted = "'" + std::string(name.substr(0, 80)) + "'";
    if (name.empty()) fail_invalid("snapshot name is empty");
    if (name == "." || name == "..") fail_invalid("snapshot name " + quoted + " is not allowed");
    if (name.find_first_of("/ ") != std::string_view::npos)
        fail_invalid("snapshot name " + quoted + " must not contain '/' or a space");
}

void check_project_name(std::string_view name) {
    if (name.empty()) fail_invalid("project name is empty");
    // The servers' sentences alone, as lxc prints them.
    if (name.find('/') != std::string_view::npos) fail_invalid("Project names may not contain slashes");
    if (name.find(' ') != std::string_view::npos) fail_invalid("Project names may not contain spaces");
    if (name.find('_') != std::string_view::npos) fail_invalid("Project names may not contain underscores");
    if (name.find_first_of("'\"") != std::string_view::npos) fail_invalid("Project names may not contain quotes");
    if (name == "*") fail_invalid("Reserved project name");
    if (name == "." || name == "..") fail_invalid("Invalid project name \"" + std::string(name) + "\"");
}

void check_member_name(std::string_view name) {
    if (name.empty() || name.find('/') != std::string_view::npos || name.find(' ') != std::string_view::npos)
        fail_invalid("'" + std::string(name) + "' is not a cluster member name");
}

void check_fingerprint(std::string_view fp) {
    if (fp.empty() || fp.size() > 64 || !is_hex(fp))
        fail_invalid("'" + std::string(fp) + "' is not an image fingerprint (1 to 64 hexadecimal digits)");
}

std::string full_fingerprint(std::string fp) {
    if (fp.size() != 64 || !is_hex(fp)) fail_invalid("a fingerprint must be 64 hexadecimal digits (SHA-256), got '" + fp + "'");
    for (auto& c : fp) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return fp;
}

void check_alias_name(std::string_view name) {
    if (name.empty()) fail_invalid("empty image alias name");
    if (name.find_first_of(std::string_view("\0\n\r", 3)) != std::string_view::npos || name.find(':') != std::string_view::npos)
        fail_invalid("image alias '" + std::string(name) + "' contains a ':' or a control character");
}

void check_file_path(std::string_view p) {
    if (p.empty()) fail_invalid("empty path");
    if (p.find('\0') != std::string_view::npos) fail_invalid("path contains a NUL byte");
}

void check_entry_name(std::string_view name, std::string_view dir) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos ||
        name.find('\0') != std::string_view::npos)
        fail(errc::protocol_error, "refusing directory entry '" + std::string(name) + "' in " + std::string(dir));
}

void check_instance_or_snapshot(std::string_view source) {
    auto slash = source.find('/');
    if (slash == std::string_view::npos) {
        check_instance_name(source);
    } else {
        check_instance_name(source.substr(0, slash));
        check_snapshot_name(source.substr(slash + 1));
    }
}

}  // namespace lxd::protocol

namespace lxd::protocol {

void check_profile_name(std::string_view name) {
    if (name.empty()) fail_invalid("profile name is empty");
    if (name.find('/') != std::string_view::npos)
        fail_invalid("profile name '" + std::string(name) + "': profile names may not contain slashes");
    if (name == "." || name == "..") fail_invalid("invalid profile name '" + std::string(name) + "'");
}

void check_config_keys(const std::map<std::string, std::string>& config) {
    for (auto& [k, v] : config) check_config_key(k);
}

void check_config_key(std::string_view key) {
    if (key.empty()) fail_invalid("config key is empty");
    for (unsigned char c : key)
        if (c <= 0x20 || c == 0x7f)
            fail_invalid("config key '" + std::string(key) + "' must not contain whitespace or control characters");
}

void check_device_name(std::string_view name) {
    if (name.empty()) fail_invalid("device name is empty");
    if (name.size() > 64) fail_invalid("device name '" + std::string(name) + "' is longer than 64 characters");
    if (name.find('/') != std::string_view::npos || name == "." || name == "..")
        fail_invalid("invalid device name '" + std::string(name) + "': no '/', not '.' or '..'");
}

}  // namespace lxd::protocol
