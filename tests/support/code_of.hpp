// tests/support/code_of.hpp — the lxd::errc a call throws (errc{} if it does not throw).
#pragma once

#include <lxd/error.hpp>

#include <functional>

namespace test_support {

inline lxd::errc code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const lxd::error& e) {
        return e.code_value();
    }
    return lxd::errc{};
}

}  // namespace test_support
