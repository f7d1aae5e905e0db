#include "files.hpp"

#include <cstdio>

#include "envelope.hpp"
#include "errors.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace {
request file_request(std::string_view base, verb m, std::string_view path) {
    check_file_path(path);
    return make_request(m, std::string(base), {{"path", std::string(path)}});
}
}  // namespace

std::string files_path(std::string_view collection, std::string_view name) { return api_path({collection, name, "files"}); }

std::string octal_mode(std::uint32_t mode) {
    // LXD reads the mode with a leading 0 as octal; "644" would be decimal 644 (= 01204).
    char buf[16];
    std::snprintf(buf, sizeof buf, "0%o", mode & 07777);
    return buf;
}

request file_get(std::string_view base, std::string_view path) { return file_request(base, verb::get, path); }
request file_head(std::string_view base, std::string_view path) { return file_request(base, verb::head, path); }
request file_delete(std::string_view base, std::string_view path) { return file_request(base, verb::delete_, path); }

request file_sftp(std::string_view base) {
    auto instance = base.substr(0, base.rfind('/'));
    auto r = make_request(verb::get, std::string(instance) + "/sftp");
    r.headers.emplace_back("Upgrade", "sftp");
    r.headers.emplace_back("Connection", "Upgrade");
    return r;
}

request file_push(std::string_view base, std::string_view path, std::string_view header_prefix, const put_options& o,
                  std::string_view type, std::string body) {
    auto r = file_request(base, verb::post, path);
    std::string pre(header_prefix);
    r.headers.emplace_back(pre + "type", type);
    if (o.mode) r.headers.emplace_back(pre + "mode", octal_mode(*o.mode));
    if (o.uid) r.headers.emplace_back(pre + "uid", std::to_string(*o.uid));
    if (o.gid) r.headers.emplace_back(pre + "gid", std::to_string(*o.gid));
    if (o.append) r.headers.emplace_back(pre + "write", "append");
    r.body = std::move(body);
    r.content_type = "application/octet-stream";
    return r;
}

file_info decode_file_info(const std::vector<std::pair<std::string, std::string>>& fields, std::string_view lower_prefix,
                           const std::string& request_line) {
    auto field = [&](std::string_view name) -> std::string {
        std::string key = std::string(lower_prefix) + std::string(name);
        for (auto& [k, v] : fields)
            if (k == key) return v;
        return {};
    };
    auto num = [&](const char* name, int base) -> std::uint32_t {
        auto v = field(name);
        if (v.empty()) return 0;
        try {
            return static_cast<std::uint32_t>(std::stoul(v, nullptr, base));
        } catch (...) {
            fail_protocol(request_line, "bad " + std::string(name) + " header: " + v);
        }
    };
    file_info i;
    i.uid = num("uid", 10);
    i.gid = num("gid", 10);
    i.mode = num("mode", 8);
    if (auto t = field("type"); !t.empty()) {
        auto parsed = api::parse_file_type(t);
        if (!parsed) fail_protocol(request_line, "unknown file type header: " + t);
        i.type = *parsed;
    }  // no type header (LXD before file_type headers): a file
    return i;
}

std::vector<std::string> decode_file_listing(int http_status, std::string_view content_type, std::string_view body,
                                             const std::string& request_line) {
    auto env = parse_envelope(http_status, content_type, body, request_line);
    std::vector<std::string> out;
    if (env.metadata.is_null()) return out;
    if (!env.metadata.is_array()) fail_protocol(request_line, "directory listing is not an array");
    for (auto& v : env.metadata.get_array()) {
        if (!v.is_string()) fail_protocol(request_line, "directory entry is not a string");
        out.emplace_back(v.get_string());
    }
    return out;
}

}  // namespace lxd::protocol
