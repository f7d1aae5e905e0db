#include "files.hpp"

#include <cstdio>

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

}  // namespace lxd::protocol
