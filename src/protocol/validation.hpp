// src/protocol/validation.hpp — every check of caller input that happens before a request:
// all throw errc::invalid_argument.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace lxd::protocol {

/// Checks an instance name by LXD's rules (1-63 of [A-Za-z0-9-], not starting with a digit
/// or '-', not ending with '-'). Throws errc::invalid_argument.
void check_instance_name(std::string_view name);
/// Snapshot names: non-empty, no '/', no space, not "." or "..". Throws invalid_argument.
void check_snapshot_name(std::string_view name);
/// Project names, as the servers check them: non-empty, no '/', space, '_' or quote, not
/// "*", "." or "..".
void check_project_name(std::string_view name);

/// Cluster member names: non-empty, no '/', no space.
void check_member_name(std::string_view name);
/// A fingerprint or a prefix of one (as LXD accepts them in URLs): 1 to 64 hex digits.
void check_fingerprint(std::string_view fp);
/// A whole SHA-256 fingerprint (64 hex digits), lowercased.
std::string full_fingerprint(std::string fp);
/// Image alias names: non-empty, no ':' and no NUL, CR or LF.
void check_alias_name(std::string_view name);
/// A path in an instance: non-empty, no NUL byte.
void check_file_path(std::string_view path);
/// "instance" or "instance/snapshot": each part checked.
void check_instance_or_snapshot(std::string_view source);

}  // namespace lxd::protocol

namespace lxd::protocol {

/// Profile names, as LXD and Incus check them on create and rename: non-empty, no '/',
/// not "." or "..".
void check_profile_name(std::string_view name);
/// Config keys (of instances, profiles, projects, devices): non-empty, no whitespace or
/// control character (LXD's keys are dotted words: "limits.cpu", "user.x").
void check_config_key(std::string_view key);
/// check_config_key on every key of a config map.
void check_config_keys(const std::map<std::string, std::string>& config);
/// Device names: non-empty, at most 64 characters, no '/', not "." or "..".
void check_device_name(std::string_view name);

}  // namespace lxd::protocol
