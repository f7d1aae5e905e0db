// The server itself: its configuration, resources, trust store, warnings, and raw requests.
#include <lxd/server.hpp>

#include "detail/calls.hpp"
#include "protocol/trust.hpp"

namespace lxd {

using namespace detail;

// ---- client entry points ---------------------------------------------------------------

server_config client::server() const {
    auto [env, res] = call_sync(*this, protocol::server_get());
    return server_config(*this, protocol::decode_server_info(env.metadata, res.request_line), res.etag);
}

std::string client::resources() const {
    auto [env, res] = call_sync(*this, protocol::resources_get());
    if (!env.metadata.is_object()) protocol::fail_protocol(res.request_line, "resources are not an object");
    return json::serialize(env.metadata);
}

lxd::certificates client::certificates() const { return lxd::certificates(*this); }
lxd::warnings client::warnings() const { return lxd::warnings(*this); }

raw_response client::raw(const raw_request& rq) const {
    if (rq.wait && rq.wait_timeout.count() <= 0) protocol::fail_invalid("wait_timeout must be positive");
    auto request = protocol::raw(rq.method, rq.path, rq.query, rq.body, rq.etag, rq.content_type, rq.headers);
    raw_response out;
    if (!rq.envelope) {
        auto res = exchange_sync(*this, std::move(request));
        check_answer(res);
        out.http_status = res.status;
        out.etag = res.etag;
        out.headers = std::move(res.fields);
        out.body = std::move(res.body);
        return out;
    }
    auto er = call_sync(*this, std::move(request));
    auto& [env, res] = er;
    out.type = env.type == protocol::envelope::kind::async ? "async" : "sync";
    out.status_code = env.status_code;
    out.operation = env.operation;
    out.etag = res.etag;
    out.metadata_json = json::serialize(env.metadata);
    if (rq.wait && env.type == protocol::envelope::kind::async) out.metadata_json = as_operation(*this, er).wait(rq.wait_timeout).raw_json;
    return out;
}

// ---- server_config ---------------------------------------------------------------------

server_config::server_config(client c, api::server_info info, std::string etag)
    : client_(std::move(c)), info_(std::move(info)), etag_(std::move(etag)) {}

server_config& server_config::set(std::string key, std::string value) {
    protocol::check_server_config_key(key);
    info_.config[std::move(key)] = std::move(value);
    return *this;
}

server_config& server_config::unset(const std::string& key) {
    protocol::check_server_config_key(key);
    info_.config.erase(key);
    return *this;
}

void server_config::save() {
    call_sync(client_, protocol::server_put(info_.config, etag_, info_.config_json));
    refresh();
}

void server_config::patch(const api::config_map& changes) {
    call_sync(client_, protocol::server_patch(changes, etag_));
    refresh();
}

void server_config::refresh() { *this = client_.server(); }

// ---- certificates ----------------------------------------------------------------------

certificate::certificate(client c, api::certificate data, std::string etag)
    : client_(std::move(c)), data_(std::move(data)), etag_(std::move(etag)) {}

certificate& certificate::set_name(std::string name) { data_.name = std::move(name); return *this; }
certificate& certificate::set_restricted(bool restricted) { data_.restricted = restricted; return *this; }

certificate& certificate::set_projects(std::vector<std::string> projects) {
    for (auto& p : projects) protocol::check_project_name(p);
    data_.projects = std::move(projects);
    return *this;
}

void certificate::save() {
    call_sync(client_, protocol::certificate_put(data_, etag_));
    refresh();
}

void certificate::refresh() { *this = client_.certificates().get(data_.fingerprint); }

void certificate::remove() { call_sync(client_, protocol::certificate_delete(data_.fingerprint)); }

std::vector<certificate> certificates::all() const {
    return get_list(client_, protocol::certificate_list(true), "certificate list", [&](const json::value& v, const std::string& rl) {
        return certificate(client_, protocol::decode_certificate(v, rl), "");
    });
}

std::vector<std::string> certificates::fingerprints() const {
    return get_names(client_, protocol::certificate_list(false), "certificate list");
}

certificate certificates::get(std::string_view fingerprint) const {
    auto [env, res] = call_sync(client_, protocol::certificate_get(fingerprint));
    return certificate(client_, protocol::decode_certificate(env.metadata, res.request_line), res.etag);
}

bool certificates::exists(std::string_view fingerprint) const {
    return exists_by([&] { return get(fingerprint); });
}

void certificates::add(const certificate_add& c) const {
    call_sync(client_, protocol::certificate_add(c.pem, c.name, c.type, c.restricted, c.projects, c.description));
}

operation certificates::create_token(std::string_view name) const { return client_.create_certificate_token(name); }

std::vector<api::operation_info> certificates::tokens() const {
    std::vector<api::operation_info> out;
    for (auto& op : client_.operations())
        if (op.operation_class == "token" && op.code == api::status_code::running) out.push_back(op);
    return out;
}

void certificates::revoke_token(std::string_view operation_id) const {
    call_sync(client_, protocol::operation_cancel(operation_id));
}

// ---- warnings --------------------------------------------------------------------------

std::vector<api::warning> warnings::all(bool all_projects) const {
    client_.assert_has_api_extension("warnings");
    return get_list(client_, protocol::warning_list(all_projects), "warning list", protocol::decode_warning);
}

api::warning warnings::get(std::string_view uuid) const {
    protocol::check_uuid(uuid);
    client_.assert_has_api_extension("warnings");
    auto [env, res] = call_sync(client_, protocol::warning_get(uuid));
    return protocol::decode_warning(env.metadata, res.request_line);
}

bool warnings::exists(std::string_view uuid) const {
    return exists_by([&] { return get(uuid); });
}

void warnings::acknowledge(std::string_view uuid, bool acknowledged) const {
    protocol::check_uuid(uuid);
    client_.assert_has_api_extension("warnings");
    call_sync(client_, protocol::warning_status(uuid, acknowledged));
}

void warnings::remove(std::string_view uuid) const {
    protocol::check_uuid(uuid);
    client_.assert_has_api_extension("warnings");
    call_sync(client_, protocol::warning_delete(uuid));
}

}  // namespace lxd
