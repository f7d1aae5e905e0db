// src/protocol/escape.hpp — percent-escaping of paths and queries, and the one hex encoder.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lxd::protocol {

using query_list = std::vector<std::pair<std::string, std::string>>;

/// Lowercase hexadecimal of `bytes` ("0a1b..."), two digits a byte.
std::string hex_lower(std::string_view bytes);
std::string hex_lower(const unsigned char* bytes, std::size_t n);
/// True if every character is a hexadecimal digit (true for "").
bool is_hex(std::string_view s) noexcept;

/// Percent-encodes one path segment: everything but RFC 3986 unreserved characters, so a
/// name can never add a segment ('/'), a query ('?') or a fragment ('#').
std::string escape_segment(std::string_view segment);
/// Percent-encodes a query key or value.
std::string escape_query(std::string_view value);
/// "/1.0" + "/" + escape(seg) for each segment.
std::string api_path(std::initializer_list<std::string_view> segments);
/// path + "?" + k=v&... (empty values kept as "k="; an empty list gives the bare path).
std::string build_target(std::string_view path, const query_list& query);

/// Decodes percent-escapes (used on URLs the server hands back, e.g. operation ids).
std::string unescape(std::string_view s);
/// The last path segment of a URL like "/1.0/operations/abc?project=p", unescaped.
std::string last_segment(std::string_view url);

}  // namespace lxd::protocol
