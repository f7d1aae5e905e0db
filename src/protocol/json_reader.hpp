// src/protocol/json_reader.hpp — private to src/protocol: field accessors that tolerate
// absence and null but not a wrong type.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include <lxd/api/instance.hpp>

#include "errors.hpp"

namespace lxd::protocol {

namespace json = boost::json;

struct reader {
    const json::object& obj;
    const std::string& request_line;

    const json::value* find(std::string_view key) const {
        auto it = obj.find(key);
        if (it == obj.end() || it->value().is_null()) return nullptr;
        return &it->value();
    }
    [[noreturn]] void wrong(std::string_view key, const char* want) const {
        fail_protocol(request_line, "field '" + std::string(key) + "' is not " + want);
    }
    std::string str(std::string_view key) const {
        auto* v = find(key);
        if (!v) return {};
        if (!v->is_string()) wrong(key, "a string");
        return std::string(v->get_string());
    }
    bool boolean(std::string_view key) const {
        auto* v = find(key);
        if (!v) return false;
        if (!v->is_bool()) wrong(key, "a boolean");
        return v->get_bool();
    }
    std::int64_t integer(std::string_view key) const {
        auto* v = find(key);
        if (!v) return 0;
        if (v->is_int64()) return v->get_int64();
        if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
        // A double outside int64's range (1e300) or NaN would be undefined to convert.
        if (v->is_double() && v->get_double() >= -9.2e18 && v->get_double() <= 9.2e18)
            return static_cast<std::int64_t>(v->get_double());
        wrong(key, "a number");
    }
    std::vector<std::string> strings(std::string_view key) const {
        std::vector<std::string> out;
        auto* v = find(key);
        if (!v) return out;
        if (!v->is_array()) wrong(key, "an array");
        for (auto& e : v->get_array()) {
            if (!e.is_string()) wrong(key, "an array of strings");
            out.emplace_back(e.get_string());
        }
        return out;
    }
    api::config_map string_map(std::string_view key) const {
        api::config_map out;
        auto* v = find(key);
        if (!v) return out;
        if (!v->is_object()) wrong(key, "an object");
        for (auto& kv : v->get_object()) {
            if (kv.value().is_string())
                out.emplace(kv.key(), kv.value().get_string());
            else if (kv.value().is_null())
                out.emplace(kv.key(), "");
            else  // LXD maps are string->string; keep other scalars readable rather than fail
                out.emplace(kv.key(), json::serialize(kv.value()));
        }
        return out;
    }
    api::device_map devices(std::string_view key) const {
        api::device_map out;
        auto* v = find(key);
        if (!v) return out;
        if (!v->is_object()) wrong(key, "an object");
        for (auto& kv : v->get_object()) {
            if (!kv.value().is_object()) wrong(key, "an object of objects");
            api::config_map dev;
            for (auto& d : kv.value().get_object()) {
                if (d.value().is_string())
                    dev.emplace(d.key(), d.value().get_string());
                else
                    dev.emplace(d.key(), json::serialize(d.value()));
            }
            out.emplace(kv.key(), std::move(dev));
        }
        return out;
    }
    const json::object* object(std::string_view key) const {
        auto* v = find(key);
        if (!v) return nullptr;
        if (!v->is_object()) wrong(key, "an object");
        return &v->get_object();
    }
};

inline const json::object& as_object(const json::value& v, const std::string& request_line, const char* what) {
    if (!v.is_object()) fail_protocol(request_line, std::string(what) + " is not a JSON object");
    return v.get_object();
}

/// The object an api value kept from the server (its raw_json), parsed again to send it
/// back with the editable fields overlaid: fields this library does not know go back as
/// they came.
inline json::object stored_object(const std::string& raw, const char* what) {
    boost::system::error_code ec;
    auto v = json::parse(raw, ec);
    if (ec) fail_protocol("", std::string("stored ") + what + " is not JSON: " + ec.message());
    if (!v.is_object()) fail_protocol("", std::string("stored ") + what + " is not an object");
    return std::move(v.get_object());
}

}  // namespace lxd::protocol
