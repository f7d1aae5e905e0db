// The console log, log files, metadata and templates of an instance.
#include <lxd/instances.hpp>

#include <algorithm>

#include "detail/calls.hpp"
#include "protocol/instance_meta.hpp"

namespace lxd {

using namespace detail;

namespace {

/// A raw (non-envelope) answer's body; the server's error otherwise.
std::string body_of(const client& c, protocol::request r) {
    auto res = exchange_sync(c, std::move(r));
    check_answer(res);
    return std::move(res.body);
}

}  // namespace

std::string instance::console_log() const {
    return body_of(owner(), protocol::console_log_get(collection(owner()), name()));
}

void instance::clear_console_log() const {
    wait_if_async(owner(), call_sync(owner(), protocol::console_log_delete(collection(owner()), name())));
}

std::vector<std::string> instance::logs() const {
    return get_names(owner(), protocol::instance_logs_list(collection(owner()), name()), "log list");
}

std::string instance::log(std::string_view file) const {
    return body_of(owner(), protocol::instance_log_get(collection(owner()), name(), file));
}

api::instance_metadata instance::metadata() const {
    auto [env, res] = call_sync(owner(), protocol::metadata_get(collection(owner()), name()));
    return protocol::decode_instance_metadata(env.metadata, res.request_line);
}

void instance::set_metadata(const api::instance_metadata& m) const {
    wait_if_async(owner(), call_sync(owner(), protocol::metadata_put(collection(owner()), name(), m)));
}

std::vector<std::string> instance::templates() const {
    return get_list(owner(), protocol::templates_list(collection(owner()), name()), "template list",
                    [](const json::value& v, const std::string& rl) {
                        if (!v.is_string()) protocol::fail_protocol(rl, "template list holds something that is not a name");
                        return std::string(v.get_string());
                    });
}

std::string instance::get_template(std::string_view file) const {
    return body_of(owner(), protocol::template_get(collection(owner()), name(), file));
}

void instance::put_template(std::string_view file, std::string content, bool replace) const {
    auto r = protocol::template_put(collection(owner()), name(), file, std::move(content));   // checks the name first
    // The server's POST overwrites silently: creating is refused here when the file exists.
    if (!replace) {
        auto names = templates();
        if (std::find(names.begin(), names.end(), file) != names.end())
            protocol::fail(errc::conflict, "template '" + std::string(file) + "' already exists (replace it with replace=true)");
    }
    wait_if_async(owner(), call_sync(owner(), std::move(r)));
}

void instance::remove_template(std::string_view file) const {
    wait_if_async(owner(), call_sync(owner(), protocol::template_delete(collection(owner()), name(), file)));
}

}  // namespace lxd
