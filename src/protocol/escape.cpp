#include "escape.hpp"

#include <cctype>

namespace lxd::protocol {

namespace {

bool unreserved(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (unreserved(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string hex_lower(const unsigned char* bytes, std::size_t n) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(digits[bytes[i] >> 4]);
        out.push_back(digits[bytes[i] & 15]);
    }
    return out;
}

std::string hex_lower(std::string_view bytes) {
    return hex_lower(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

bool is_hex(std::string_view s) noexcept {
    for (char c : s)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

std::string escape_segment(std::string_view segment) { return percent_encode(segment); }
std::string escape_query(std::string_view value) { return percent_encode(value); }

std::string api_path(std::initializer_list<std::string_view> segments) {
    std::string out = "/1.0";
    for (auto s : segments) {
        out.push_back('/');
        out += escape_segment(s);
    }
    return out;
}

std::string build_target(std::string_view path, const query_list& query) {
    std::string out(path);
    char sep = out.find('?') == std::string::npos ? '?' : '&';
    for (auto& [k, v] : query) {
        out.push_back(sep);
        sep = '&';
        out += escape_query(k);
        out.push_back('=');
        out += escape_query(v);
    }
    return out;
}

std::string unescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
                continue;
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

std::string last_segment(std::string_view url) {
    auto q = url.find('?');
    if (q != std::string_view::npos) url = url.substr(0, q);
    while (!url.empty() && url.back() == '/') url.remove_suffix(1);
    auto slash = url.rfind('/');
    return unescape(slash == std::string_view::npos ? url : url.substr(slash + 1));
}

}  // namespace lxd::protocol
