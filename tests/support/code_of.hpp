// tests/support/code_of.hpp — the lxd::errc a call throws (errc{} if it does not throw), and
// with it the message (failure_of).
#pragma once

#include <lxd/error.hpp>

#include <functional>
#include <string>
#include <utility>

namespace test_support {

inline lxd::errc code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const lxd::error& e) {
        return e.code_value();
    }
    return lxd::errc{};
}

inline std::pair<lxd::errc, std::string> failure_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const lxd::error& e) {
        return {e.code_value(), e.what()};
    }
    return {lxd::errc{}, ""};
}

}  // namespace test_support
