// tools/lxdpp/commands/editor.hpp — the `edit` verbs' editor: an object as YAML in
// $VISUAL/$EDITOR (or YAML from stdin when it is not a terminal), read back as JSON.
#pragma once

#include <functional>
#include <string>

#include <boost/json.hpp>

namespace lxdpp_cli {

/// The edited YAML `text` as JSON, typed after `before` (the object as it was):
///  - a scalar takes the JSON type that the same path (keys and list indices) had in
///    `before`: a bool reads yes/no/true/false/on/off (YAML 1.1, as lxc's yaml.v2), a
///    number an integer or a decimal, a string the text as written; a value that does not
///    read as that type is refused, naming its path;
///  - a scalar at a path new to the object is a string (LXD's config and device values are
///    strings), but a new key whose value is a YAML sequence or mapping is a JSON array or
///    object, its members typed by the same rules (so strings);
///  - an empty value (`key:`, `~`, `null` unquoted) is "" where a string was (or at a new
///    path), {} or [] where an object or list was, null where null was;
///  - a mapping where a scalar or list was (or the reverse) is refused, naming its path.
/// Comments (lxc's `###` header) are ignored. Throws usage_error on a parse error.
boost::json::value from_yaml(const std::string& text, const boost::json::value& before);

/// What edit_object shows above the YAML: lxc's `### ...` help lines ("" for none).
struct edit_options {
    std::string header;
};

/// lxc's edit flow. When stdin is not a terminal: reads YAML from stdin, converts it with
/// from_yaml, passes it to `apply` and returns it; errors are thrown. Otherwise: writes the
/// header and to_yaml(current) to a temporary file, runs `$VISUAL`, else `$EDITOR`, else
/// `vi` on it (through /bin/sh, so the variable may hold arguments), and reads it back; when
/// it does not parse, or `apply` throws (the server refused the change), prints the error
/// and "Press enter to open the editor again or ctrl+c to abort change", waits for a line on
/// stdin and opens the editor again on the user's text. Returns the value `apply` accepted.
/// An editor that exits non-zero ends the edit with a usage_error.
boost::json::value edit_object(const boost::json::value& current,
                               const std::function<void(const boost::json::value&)>& apply,
                               const edit_options& options = {});

}  // namespace lxdpp_cli
