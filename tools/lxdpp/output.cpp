#include "output.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <unistd.h>
#include <cctype>
#include <string_view>

namespace lxdpp_cli {

namespace json = boost::json;

namespace {

std::size_t display_width(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;   // count UTF-8 code points, not bytes
    return n;
}

/// A field as Go's encoding/csv writes it: quoted when it holds a comma, quote or line
/// break, begins with a space or tab, or is `\.` alone.
std::string csv_field(const std::string& s) {
    bool quote = s.find_first_of(",\"\n\r") != std::string::npos || s == "\\." || (!s.empty() && (s[0] == ' ' || s[0] == '\t'));
    if (!quote) return s;
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

bool is_yaml11_non_string(const std::string& s) {
    // What yaml.v2 would read back as something other than a string: it quotes these.
    static const char* words[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
                                  "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null",
                                  "NULL", "~", ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf",
                                  "+.INF", ".nan", ".NaN", ".NAN", "<<"};
    for (auto* w : words)
        if (s == w) return true;
    // Numbers: [-+]digits[.digits][e[-+]digits], 0x.., 0o.., 0b.., digits with '_' or ':' (base 60).
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (i == s.size()) return false;
    // Each prefix with its own digits: "0b1bb1f4..." (a fingerprint) is a string, not binary.
    if (s.size() > i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'b' || s[i + 1] == 'o')) {
        const char* digits_of = s[i + 1] == 'x' ? "0123456789abcdefABCDEF_" : s[i + 1] == 'b' ? "01_" : "01234567_";
        return s.find_first_not_of(digits_of, i + 2) == std::string::npos;
    }
    bool digits = false, dot = false, exp = false;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '_' || (c == ':' && digits && !dot)) {
            digits = true;
        } else if (c == '.' && !dot && !exp) {
            dot = true;
        } else if ((c == 'e' || c == 'E') && digits && !exp) {
            exp = true;
            if (i + 1 < s.size() && (s[i + 1] == '-' || s[i + 1] == '+')) ++i;
            if (i + 1 == s.size()) return false;
        } else {
            return false;
        }
    }
    return digits;
}

bool has_control(const std::string& s) {
    for (unsigned char c : s)
        if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
    return false;
}

/// As libyaml decides whether a plain scalar is allowed.
bool plain_allowed(const std::string& s) {
    if (s.empty() || has_control(s) || s.find('\n') != std::string::npos) return false;
    if (s.front() == ' ' || s.back() == ' ' || s.front() == '\t' || s.back() == '\t') return false;
    if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos) {
        // "-", "?" and ":" start a plain scalar only when followed by a non-space.
        bool indicator_ok = (s.front() == '-' || s.front() == '?' || s.front() == ':') && s.size() > 1 && s[1] != ' ';
        if (!indicator_ok) return false;
    }
    if (s.rfind("---", 0) == 0 || s.rfind("...", 0) == 0) return false;
    if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos || s.back() == ':') return false;
    for (unsigned char c : s)
        if (c >= 0x80) continue;   // UTF-8 is fine in plain scalars
    return true;
}

std::string double_quoted(const std::string& s) {
    std::string q = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': q += "\\\""; break;
        case '\\': q += "\\\\"; break;
        case '\n': q += "\\n"; break;
        case '\t': q += "\\t"; break;
        case '\r': q += "\\r"; break;
        case 0x1b: q += "\\e"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02X", c);
                q += buf;
            } else {
                q += static_cast<char>(c);
            }
        }
    }
    return q + "\"";
}

/// A string scalar as yaml.v2 writes it (without the block styles, handled by the caller).
std::string scalar(const std::string& s) {
    if (s.empty() || is_yaml11_non_string(s)) return "\"" + s + "\"";
    if (plain_allowed(s)) return s;
    if (has_control(s) || s.find('\n') != std::string::npos) return double_quoted(s);
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
    return q + "'";
}

void put_string(std::string& out, const std::string& s, std::size_t indent) {
    if (s.find('\n') != std::string::npos && !has_control(s)) {
        // Literal block, chomping as yaml.v2: "|-" without a final newline, "|+" with several.
        std::string body = s;
        std::string head = "|";
        if (body.back() != '\n') head = "|-";
        else if (body.size() > 1 && body[body.size() - 2] == '\n') head = "|+";
        if (body.front() == ' ') head.insert(1, "2");
        out += head + "\n";
        std::size_t start = 0;
        while (start < body.size()) {
            auto nl = body.find('\n', start);
            auto line = body.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
            out += (line.empty() ? "" : std::string(indent, ' ') + line) + "\n";
            if (nl == std::string::npos) break;
            start = nl + 1;
        }
        if (body.back() != '\n') return;
        out.pop_back();   // the block's last line already ends the value
        out += "\n";
        return;
    }
    out += scalar(s) + "\n";
}

void put_scalar(std::string& out, const json::value& v, std::size_t indent) {
    switch (v.kind()) {
    case json::kind::string: put_string(out, std::string(v.get_string()), indent); break;
    case json::kind::bool_: out += v.get_bool() ? "true\n" : "false\n"; break;
    case json::kind::null: out += "null\n"; break;
    default: out += json::serialize(v) + "\n";
    }
}

bool is_empty_container(const json::value& v) {
    return (v.is_object() && v.get_object().empty()) || (v.is_array() && v.get_array().empty());
}

void emit(std::string& out, const json::value& v, std::size_t indent, bool inline_first);

/// A value after "key:" or "- ": scalars on the same line, collections below (maps indented,
/// lists of a map at the key's own indentation, as yaml.v2).
/// What yaml.v2 writes for a Go nil slice or map the server sent as JSON null: lxc marshals
/// the typed value, so a nil list is "[]" and a nil map "{}".
const char* nil_as(std::string_view key) {
    static const char* lists[] = {"backups", "snapshots", "aliases", "profiles", "addresses", "used_by", "roles", "cpus",
                                  "disks", "nics", "gpus", "locations", "ports", "members"};
    static const char* maps[] = {"network", "config", "devices", "expanded_config", "expanded_devices", "properties",
                                 "counters", "disk", "metadata", "resources"};
    for (auto* k : lists)
        if (key == k) return " []\n";
    for (auto* k : maps)
        if (key == k) return " {}\n";
    return nullptr;
}

void emit_value(std::string& out, const json::value& v, std::size_t indent, bool in_seq, std::string_view key = {}) {
    if (v.is_null() && !key.empty())
        if (auto* nil = nil_as(key)) {
            out += nil;
            return;
        }
    if (is_empty_container(v)) {
        out += v.is_object() ? " {}\n" : " []\n";
        return;
    }
    if (v.is_object() || v.is_array()) {
        if (in_seq) {
            out += " ";
            emit(out, v, indent + 2, true);
        } else {
            out += "\n";
            emit(out, v, v.is_object() ? indent + 2 : indent, false);   // a list under a key is not indented
        }
        return;
    }
    out += " ";
    put_scalar(out, v, indent + 2);
}

void emit(std::string& out, const json::value& v, std::size_t indent, bool inline_first) {
    bool first = true;
    auto lead = [&] {
        if (!(first && inline_first)) out += std::string(indent, ' ');
        first = false;
    };
    if (v.is_object()) {
        for (auto& kv : v.get_object()) {
            lead();
            out += scalar(std::string(kv.key())) + ":";
            emit_value(out, kv.value(), indent, false, kv.key());
        }
    } else if (v.is_array()) {
        for (auto& x : v.get_array()) {
            lead();
            out += "-";
            emit_value(out, x, indent, true);
        }
    } else {
        lead();
        put_scalar(out, v, indent);
    }
}

}  // namespace

void print_table(std::ostream& out, const table& raw, const std::string& format) {
    table t = raw;   // cells come from the server: never let them drive the terminal
    for (auto& h : t.header) h = printable(h);
    for (auto& row : t.rows)
        for (auto& cell : row) cell = printable(cell);
    if (format == "csv") {
        for (auto& row : t.rows) {
            for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csv_field(row[i]);
            out << "\n";
        }
        return;
    }
    std::vector<std::size_t> w(t.header.size());
    for (std::size_t i = 0; i < t.header.size(); ++i) w[i] = display_width(t.header[i]);
    for (auto& row : t.rows)
        for (std::size_t i = 0; i < row.size() && i < w.size(); ++i) {
            // A multi-line cell (several addresses) is as wide as its widest line.
            std::size_t start = 0;
            while (start <= row[i].size()) {
                auto nl = row[i].find('\n', start);
                auto line = row[i].substr(start, nl == std::string::npos ? std::string::npos : nl - start);
                w[i] = std::max(w[i], display_width(line));
                if (nl == std::string::npos) break;
                start = nl + 1;
            }
        }
    auto pad = [](const std::string& s, std::size_t width) { return s + std::string(width - display_width(s), ' '); };
    auto rule = [&] {
        out << "+";
        for (auto x : w) out << std::string(x + 2, '-') << "+";
        out << "\n";
    };
    bool compact = format == "compact";   // lxc's: no borders, two spaces before each cell and at the end
    auto line = [&](const std::vector<std::string>& cells) {
        // Split multi-line cells into physical lines.
        std::vector<std::vector<std::string>> parts(w.size());
        std::size_t height = 1;
        for (std::size_t i = 0; i < w.size(); ++i) {
            std::string cell = i < cells.size() ? cells[i] : "";
            std::size_t start = 0;
            for (;;) {
                auto nl = cell.find('\n', start);
                parts[i].push_back(cell.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
                if (nl == std::string::npos) break;
                start = nl + 1;
            }
            height = std::max(height, parts[i].size());
        }
        for (std::size_t h = 0; h < height; ++h) {
            out << (compact ? "" : "|");
            for (std::size_t i = 0; i < w.size(); ++i) {
                auto cell = pad(h < parts[i].size() ? parts[i][h] : "", w[i]);
                out << (compact ? "  " + cell : " " + cell + " |");
            }
            out << (compact ? "  \n" : "\n");
        }
    };
    if (!compact) rule();
    {
        // Headers centred in their columns, as lxc's table writer does.
        std::vector<std::string> centred;
        for (std::size_t i = 0; i < t.header.size(); ++i) {
            auto space = w[i] - display_width(t.header[i]);
            centred.push_back(std::string(space / 2, ' ') + t.header[i]);
        }
        line(centred);
    }
    if (!compact) rule();
    for (auto& row : t.rows) {
        line(row);
        if (!compact) rule();
    }
    if (t.rows.empty()) return;
}

std::string to_yaml(const json::value& v) {
    if (is_empty_container(v)) return v.is_object() ? "{}\n" : "[]\n";
    std::string out;
    emit(out, v, 0, false);
    return out;
}

std::string printable(std::string_view s) {
    // C0 controls (but newline and tab), DEL, and the C1 controls (UTF-8 C2 80..9F) could
    // drive the terminal: shown escaped instead.
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        bool c1 = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                  static_cast<unsigned char>(s[i + 1]) <= 0x9F;
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || c1) {
            unsigned v = c1 ? static_cast<unsigned char>(s[++i]) : c;
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", v);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

bool print_structured(std::ostream& out, const json::value& v, const std::string& format) {
    if (format == "json") {
        // The serializer escapes C0 controls; DEL and the C1 controls are escaped here, as
        // \u sequences that keep the JSON valid.
        auto text = json::serialize(v);
        std::string safe;
        safe.reserve(text.size());
        for (std::size_t i = 0; i < text.size(); ++i) {
            auto c = static_cast<unsigned char>(text[i]);
            unsigned code = 0;
            if (c == 0x7f) code = 0x7f;
            else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                     static_cast<unsigned char>(text[i + 1]) <= 0x9F)
                code = static_cast<unsigned char>(text[++i]);
            if (!code) {
                safe += static_cast<char>(c);
                continue;
            }
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", code);
            safe += buf;
        }
        out << safe << "\n";
        return true;
    }
    if (format == "yaml") {
        out << printable(to_yaml(v));
        return true;
    }
    return false;
}

void listing::print(std::ostream& out, const std::string& format) const {
    if (!print_structured(out, items, format)) print_table(out, rows, format);
}

namespace {
std::string scaled(std::uint64_t b, double base, const std::vector<const char*>& units) {
    double v = static_cast<double>(b);
    std::size_t u = 0;
    while (v >= base && u + 1 < units.size()) {
        v /= base;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u ? "%.2f%s" : "%.0f%s", v, units[u]);
    return buf;
}
}  // namespace

std::string human_size(std::uint64_t b) { return scaled(b, 1000, {"B", "kB", "MB", "GB", "TB"}); }

std::string iec_size(std::uint64_t b) { return scaled(b, 1024, {"B", "KiB", "MiB", "GiB", "TiB", "PiB"}); }

progress_line::progress_line(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled && ::isatty(2)), start_(std::chrono::steady_clock::now()) {}

progress_line::~progress_line() { clear(); }

void progress_line::update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_) return;
    std::lock_guard lk(mu_);
    auto now = std::chrono::steady_clock::now();
    if (shown_ && now - last_ < std::chrono::milliseconds(100) && done != total) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    std::string rate = secs > 0 ? human_size(static_cast<std::uint64_t>(done / secs)) + "/s" : "";
    std::string msg = label_ + ": ";
    if (total) msg += std::to_string(done * 100 / total) + "% ";
    msg += human_size(done) + " (" + rate + ")";
    show(msg);
}

void progress_line::text(const std::string& s) {
    if (!enabled_) return;
    std::lock_guard lk(mu_);
    show(s);
}

void progress_line::show(const std::string& s) {
    std::fprintf(stderr, "\r\033[K%s", s.c_str());
    std::fflush(stderr);
    shown_ = true;
}

void progress_line::clear() {
    if (!enabled_) return;
    std::lock_guard lk(mu_);
    if (!shown_) return;
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    shown_ = false;
}

}  // namespace lxdpp_cli
