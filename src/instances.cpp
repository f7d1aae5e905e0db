#include <lxd/instances.hpp>

#include "detail/calls.hpp"
#include "detail/news.hpp"

namespace lxd {

using namespace detail;

namespace {

instance decode_with_state(const client& c, const json::value& v, const std::string& rl) {
    instance i(c, protocol::decode_instance(v, rl), "");
    return i;
}

}  // namespace

// ---- instance ---------------------------------------------------------------------------

instance::instance(client c, api::instance data, std::string etag)
    : client_(std::move(c)), data_(std::move(data)), etag_(std::move(etag)), news_(std::make_shared<instance_news>(client_)) {}

void instance::sync() const {
    std::lock_guard lk(news_->mu);
    if (news_->version == seen_) return;
    seen_ = news_->version;
    client_ = news_->owner;
    data_ = news_->data;
    etag_ = news_->etag;
    listed_state_.reset();
}

instance& instance::set_config(std::string key, std::string value) { sync(); data_.config[std::move(key)] = std::move(value); return *this; }
instance& instance::unset_config(const std::string& key) { sync(); data_.config.erase(key); return *this; }
instance& instance::set_config(api::config_map config) { sync(); data_.config = std::move(config); return *this; }
instance& instance::set_devices(api::device_map devices) { sync(); data_.devices = std::move(devices); return *this; }
instance& instance::set_profiles(std::vector<std::string> profiles) { sync(); data_.profiles = std::move(profiles); return *this; }
instance& instance::set_description(std::string description) { sync(); data_.description = std::move(description); return *this; }
instance& instance::set_ephemeral(bool ephemeral) { sync(); data_.ephemeral = ephemeral; return *this; }

void instance::save() {
    sync();
    wait_if_async(client_, call_sync(client_, protocol::instance_put(collection(client_), data_, etag_)));
    refresh();
}

void instance::patch(const instance_patch& p) {
    sync();
    wait_if_async(client_, call_sync(client_, protocol::instance_patch(collection(client_), data_.name, p, etag_)));
    refresh();
}

void instance::refresh() {
    sync();
    auto fresh = client_.instances().get(data_.name);
    data_ = std::move(fresh.data_);
    etag_ = std::move(fresh.etag_);
    listed_state_.reset();
}

operation instance::remove(bool force) {
    sync();
    if (force) {
        auto st = state();
        if (st.status_code == api::status_code::running || st.status_code == api::status_code::frozen) {
            state_options o;
            o.force = true;
            stop(o).wait(op_deadline(client_));
        }
    }
    return as_operation(client_, call_sync(client_, protocol::instance_delete(collection(client_), data_.name)));
}

operation instance::rename(std::string_view new_name) {
    protocol::check_instance_name(new_name);   // before collection(), which may ask the server
    sync();
    auto r = protocol::instance_rename(collection(client_), data_.name, new_name);
    return as_operation(client_, call_sync(client_, std::move(r)), then_learn(news_, client_, std::string(new_name)));
}

api::instance_state instance::state() const {
    sync();
    auto [env, res] = call_sync(client_, protocol::instance_state_get(collection(client_), data_.name));
    return protocol::decode_instance_state(env.metadata, res.request_line);
}

operation instance::change_state(std::string_view action, const state_options& o) {
    sync();
    auto r = protocol::instance_state_put(collection(client_), data_.name, action, o);
    return as_operation(client_, call_sync(client_, std::move(r)), then_learn(news_, client_, data_.name));
}

operation instance::start(state_options o) { return change_state("start", o); }
operation instance::stop(state_options o) { return change_state("stop", o); }
operation instance::restart(state_options o) { return change_state("restart", o); }
operation instance::freeze(state_options o) { return change_state("freeze", o); }
operation instance::unfreeze(state_options o) { return change_state("unfreeze", o); }

// ---- instances --------------------------------------------------------------------------

std::vector<instance> instances::all(const list_options& o) const {
    if (o.with_state && !o.fields.empty()) client_.assert_has_api_extension("instances_state_selective_recursion");
    return get_list(client_, protocol::instance_list(collection(client_), type_, o), "instance list", [&](const json::value& v, const std::string& rl) {
        auto i = decode_with_state(client_, v, rl);
        if (o.with_state && v.is_object()) {
            if (auto it = v.get_object().find("state"); it != v.get_object().end() && it->value().is_object())
                i.listed_state_ = protocol::decode_instance_state(it->value(), rl);
        }
        return i;
    });
}

std::vector<std::string> instances::names() const {
    return get_names(client_, protocol::instance_names(collection(client_), type_), "instance list");
}

instance instances::get(std::string_view name) const {
    protocol::check_instance_name(name);   // before collection(), which may ask the server
    auto [env, res] = call_sync(client_, protocol::instance_get(collection(client_), name));
    auto data = protocol::decode_instance(env.metadata, res.request_line);
    return instance(client_, std::move(data), res.etag);
}

bool instances::exists(std::string_view name) const {
    return exists_by([&] { return get(name); });
}

operation instances::create(const instance_create& c) const {
    protocol::check_instance_create(c);   // before collection(), which may ask the server
    auto col = collection(client_);
    auto r = protocol::instance_create(col, type_, c);
    std::function<asio::awaitable<std::string>(const api::operation_info&)> then;
    if (c.start) {
        // LXD 5.0 has no "start" in the create request: the handle follows the start too.
        then = [co = core_of(client_).get(), sc = scope_of(client_), start = protocol::instance_state_put(col, c.name, "start", {})](
                   const api::operation_info&) -> asio::awaitable<std::string> {
            auto [env, res] = co_await co->call(start, sc);
            co_return env.operation;
        };
    }
    return as_operation(client_, call_sync(client_, std::move(r)), std::move(then));
}

}  // namespace lxd
