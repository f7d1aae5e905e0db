#include "multipart.hpp"

#include <cctype>

#include "errors.hpp"

namespace lxd::protocol {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string header_parameter(std::string_view value, std::string_view name) {
    std::size_t i = value.find(';');
    while (i != std::string_view::npos && i < value.size()) {
        ++i;   // past ';'
        while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
        auto eq = value.find('=', i);
        if (eq == std::string_view::npos) return {};
        auto key = trim(value.substr(i, eq - i));
        std::string val;
        std::size_t j = eq + 1;
        while (j < value.size() && (value[j] == ' ' || value[j] == '\t')) ++j;
        if (j < value.size() && value[j] == '"') {
            ++j;
            while (j < value.size() && value[j] != '"') {
                if (value[j] == '\\' && j + 1 < value.size()) ++j;
                val += value[j++];
            }
            if (j < value.size()) ++j;   // closing quote
            i = value.find(';', j);
        } else {
            auto end = value.find(';', j);
            val = std::string(trim(value.substr(j, end == std::string_view::npos ? std::string_view::npos : end - j)));
            i = end;
        }
        if (iequals(key, name)) return val;
    }
    return {};
}

namespace {

/// The name and file name of a part, from its header block (lines without the blank one).
multipart_reader::part part_from_headers(std::string_view block, const std::string& request_line) {
    multipart_reader::part p;
    while (!block.empty()) {
        auto nl = block.find("\r\n");
        auto line = block.substr(0, nl);
        block = nl == std::string_view::npos ? std::string_view{} : block.substr(nl + 2);
        auto colon = line.find(':');
        if (colon == std::string_view::npos) fail_protocol(request_line, "malformed multipart part header");
        if (iequals(trim(line.substr(0, colon)), "content-disposition")) {
            auto value = line.substr(colon + 1);
            p.name = header_parameter(value, "name");
            p.filename = header_parameter(value, "filename");
        }
    }
    return p;
}

}  // namespace

std::string safe_file_name(std::string_view suggested) {
    auto slash = suggested.find_last_of("/\\");
    auto base = slash == std::string_view::npos ? suggested : suggested.substr(slash + 1);
    if (base.empty() || base == "." || base == "..") return {};
    for (unsigned char c : base)
        if (c < 0x20 || c == 0x7f) return {};
    return std::string(base);
}

std::string multipart_writer::part_header(std::string_view field, std::string_view filename, bool first) const {
    std::string h = first ? "" : "\r\n";
    h += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + std::string(field) + "\"; filename=\"" +
         std::string(filename) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    return h;
}

std::string multipart_writer::closing() const { return "\r\n--" + boundary + "--\r\n"; }

multipart_reader::multipart_reader(std::string boundary, std::string request_line)
    : delimiter_("\r\n--" + boundary), rl_(std::move(request_line)), buf_("\r\n") {
    if (boundary.empty() || boundary.size() > 200) fail_protocol(rl_, "multipart response without a usable boundary");
}

void multipart_reader::feed(std::string_view chunk, const std::function<void(const part&)>& on_part,
                            const std::function<void(std::string_view)>& on_data) {
    buf_.append(chunk);
    const std::size_t keep = delimiter_.size() - 1;   // a delimiter may start in these bytes
    for (;;) {
        switch (state_) {
        case state::preamble: {
            auto at = buf_.find(delimiter_);
            if (at == std::string::npos) {
                if (buf_.size() > keep) buf_.erase(0, buf_.size() - keep);
                return;
            }
            buf_.erase(0, at + delimiter_.size());
            state_ = state::after_boundary;
            break;
        }
        case state::after_boundary: {
            if (buf_.size() < 2) return;
            if (buf_.compare(0, 2, "--") == 0) {
                state_ = state::done;
                buf_.clear();
                return;
            }
            if (buf_.compare(0, 2, "\r\n") != 0) fail_protocol(rl_, "multipart boundary not followed by a line end");
            buf_.erase(0, 2);
            state_ = state::headers;
            break;
        }
        case state::headers: {
            std::size_t end;
            std::size_t skip;
            if (buf_.size() >= 2 && buf_.compare(0, 2, "\r\n") == 0) {
                end = 0;
                skip = 2;
            } else {
                end = buf_.find("\r\n\r\n");
                skip = 4;
                if (end == std::string::npos) {
                    if (buf_.size() > 16384) fail_protocol(rl_, "multipart part headers longer than 16 KiB");
                    return;
                }
            }
            auto p = part_from_headers(std::string_view(buf_.data(), end), rl_);
            buf_.erase(0, end + skip);
            state_ = state::body;
            on_part(p);
            break;
        }
        case state::body: {
            auto at = buf_.find(delimiter_);
            if (at == std::string::npos) {
                if (buf_.size() > keep) {
                    on_data(std::string_view(buf_.data(), buf_.size() - keep));
                    buf_.erase(0, buf_.size() - keep);
                }
                return;
            }
            if (at > 0) on_data(std::string_view(buf_.data(), at));
            buf_.erase(0, at + delimiter_.size());
            state_ = state::after_boundary;
            break;
        }
        case state::done:
            buf_.clear();
            return;
        }
    }
}

void multipart_reader::finish() const {
    if (state_ != state::done) fail_protocol(rl_, "multipart body ended before its closing boundary (truncated)");
}

}  // namespace lxd::protocol
