// tests/support/code_of.hpp — the lxd::errc a call throws (errc{} if it does not throw), and
// with it the message (failure_of), or the whole error (thrown_by).
#pragma once

#include <lxd/error.hpp>

#include <gtest/gtest.h>

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

/// The lxd::error a call throws; a test failure if it throws none.
inline lxd::error thrown_by(const std::function<void()>& f) {
    try {
        f();
    } catch (const lxd::error& e) {
        return e;
    }
    ADD_FAILURE() << "no lxd::error thrown";
    return lxd::error(lxd::errc{}, {});
}

}  // namespace test_support
