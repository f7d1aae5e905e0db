#include <lxd/projects.hpp>

#include <mutex>

#include "detail/calls.hpp"
#include "protocol/profiles.hpp"

namespace lxd {

namespace detail {
/// What a project handle's own rename learned, shared by the handle's copies.
struct project_news {
    std::mutex mu;
    std::uint64_t version = 0;
    api::project data;
    std::string etag;
};
}  // namespace detail

using namespace detail;

lxd::projects client::projects() const { return lxd::projects(*this); }

// ---- project ----------------------------------------------------------------------------

project::project(client c, api::project data, std::string etag)
    : client_(std::move(c)), data_(std::move(data)), etag_(std::move(etag)), news_(std::make_shared<project_news>()) {}

const api::project& project::fresh() const {
    std::lock_guard lk(news_->mu);
    if (news_->version != seen_) {
        seen_ = news_->version;
        data_ = news_->data;
        etag_ = news_->etag;
    }
    return data_;
}

project& project::set_config(std::string key, std::string value) { fresh(); data_.config[std::move(key)] = std::move(value); return *this; }
project& project::unset_config(const std::string& key) { fresh(); data_.config.erase(key); return *this; }
project& project::set_config(api::config_map config) { fresh(); data_.config = std::move(config); return *this; }
project& project::set_description(std::string description) { fresh(); data_.description = std::move(description); return *this; }

void project::save() {
    fresh();
    wait_if_async(client_, call_sync(client_, protocol::project_put(data_, etag_)));
    refresh();
}

void project::refresh() {
    auto now = client_.projects().get(fresh().name);
    data_ = now.data_;
    etag_ = now.etag_;
}

operation project::rename(std::string_view new_name) {
    auto r = protocol::project_rename(fresh().name, new_name);   // checks the new name
    // The last step: the project under its new name, posted for every copy of this handle. A
    // failed read posts nothing; the operation's outcome stands.
    auto learn = [news = news_, via = client_, name = std::string(new_name)](const api::operation_info&) -> asio::awaitable<std::string> {
        try {
            auto [env, res] = co_await core_of(via)->call(protocol::project_get(name), scope_of(via));
            auto d = protocol::decode_project(env.metadata, res.request_line);
            std::lock_guard lk(news->mu);
            news->data = std::move(d);
            news->etag = res.etag;
            ++news->version;
        } catch (const error&) {
        }
        co_return std::string();
    };
    return as_operation(client_, call_sync(client_, std::move(r)), std::move(learn));
}

api::project_state project::state() const {
    auto [env, res] = call_sync(client_, protocol::project_state_get(fresh().name));
    return protocol::decode_project_state(env.metadata, res.request_line);
}

void project::remove() { wait_if_async(client_, call_sync(client_, protocol::project_delete(fresh().name))); }

// ---- projects ---------------------------------------------------------------------------

std::vector<project> projects::all() const {
    return get_list(client_, protocol::project_list(), "project list", [&](const json::value& v, const std::string& rl) {
        return project(client_, protocol::decode_project(v, rl), "");
    });
}

std::vector<std::string> projects::names() const { return get_names(client_, protocol::project_names(), "project list"); }

project projects::get(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::project_get(name));
    return project(client_, protocol::decode_project(env.metadata, res.request_line), res.etag);
}

bool projects::exists(std::string_view name) const {
    return exists_by([&] { return get(name); });
}

project projects::create(const project_create& p) const {
    wait_if_async(client_, call_sync(client_, protocol::project_create(p)));
    return get(p.name);
}

}  // namespace lxd
