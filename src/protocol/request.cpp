#include "request.hpp"

namespace lxd::protocol {

std::string_view verb_name(verb m) noexcept {
    switch (m) {
        case verb::get: return "GET";
        case verb::head: return "HEAD";
        case verb::post: return "POST";
        case verb::put: return "PUT";
        case verb::patch: return "PATCH";
        case verb::delete_: return "DELETE";
    }
    return "GET";
}

std::string request_line(verb m, std::string_view path) {
    std::string rl(verb_name(m));
    rl.push_back(' ');
    rl += path;
    return rl;
}

std::string request::line() const { return request_line(method, path); }

request unscoped(request r) {
    r.scoped = false;
    return r;
}

request make_request(verb m, std::string path, query_list query) {
    request r;
    r.method = m;
    r.path = std::move(path);
    r.query = std::move(query);
    return r;
}

request json_request(verb m, std::string path, std::string body) {
    auto r = make_request(m, std::move(path));
    r.body = std::move(body);
    return r;
}

void set_if_match(request& r, std::string_view etag) {
    if (!etag.empty()) r.headers.emplace_back("If-Match", std::string(etag));
}

std::string header_of(const request& r, std::string_view name) {
    for (auto& [k, v] : r.headers)
        if (k == name) return v;
    return {};
}

}  // namespace lxd::protocol
