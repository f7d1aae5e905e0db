#include "output.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <unistd.h>
#include <yaml-cpp/yaml.h>

namespace lxdpp_cli {

namespace json = boost::json;

namespace {

std::size_t display_width(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;   // count UTF-8 code points, not bytes
    return n;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

void emit(YAML::Emitter& e, const json::value& v) {
    switch (v.kind()) {
    case json::kind::object:
        e << YAML::BeginMap;
        for (auto& kv : v.get_object()) {
            e << YAML::Key << std::string(kv.key()) << YAML::Value;
            emit(e, kv.value());
        }
        e << YAML::EndMap;
        break;
    case json::kind::array:
        e << YAML::BeginSeq;
        for (auto& x : v.get_array()) emit(e, x);
        e << YAML::EndSeq;
        break;
    case json::kind::string:
        e << YAML::DoubleQuoted << std::string(v.get_string());
        break;
    case json::kind::bool_:
        e << v.get_bool();
        break;
    case json::kind::null:
        e << YAML::Null;
        break;
    default:
        e << json::serialize(v);   // numbers as written
    }
}

}  // namespace

void print_table(std::ostream& out, const table& t, const std::string& format) {
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
    if (format == "compact") {
        for (std::size_t i = 0; i < t.header.size(); ++i) out << (i ? "  " : "") << pad(t.header[i], w[i]);
        out << "\n";
        for (auto& row : t.rows) {
            for (std::size_t i = 0; i < row.size(); ++i) {
                auto cell = row[i];
                std::replace(cell.begin(), cell.end(), '\n', ' ');
                out << (i ? "  " : "") << (i + 1 == row.size() ? cell : pad(cell, std::max(w[i], display_width(cell))));
            }
            out << "\n";
        }
        return;
    }
    auto rule = [&] {
        out << "+";
        for (auto x : w) out << std::string(x + 2, '-') << "+";
        out << "\n";
    };
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
            out << "|";
            for (std::size_t i = 0; i < w.size(); ++i) out << " " << pad(h < parts[i].size() ? parts[i][h] : "", w[i]) << " |";
            out << "\n";
        }
    };
    rule();
    line(t.header);
    rule();
    for (auto& row : t.rows) {
        line(row);
        rule();
    }
    if (t.rows.empty()) return;
}

std::string to_yaml(const json::value& v) {
    YAML::Emitter e;
    emit(e, v);
    return std::string(e.c_str()) + "\n";
}

bool print_structured(std::ostream& out, const json::value& v, const std::string& format) {
    if (format == "json") {
        out << json::serialize(v) << "\n";
        return true;
    }
    if (format == "yaml") {
        out << to_yaml(v);
        return true;
    }
    return false;
}

std::string human_size(std::uint64_t b) {
    const char* units[] = {"B", "kB", "MB", "GB", "TB"};
    double v = static_cast<double>(b);
    int u = 0;
    while (v >= 1000 && u < 4) {
        v /= 1000;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u ? "%.2f%s" : "%.0f%s", v, units[u]);
    return buf;
}

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
