// tests/support/expect_request.hpp — what the request-builder unit tests check of a built
// request: method, path, query and exact body.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "protocol/request.hpp"

namespace test_support {

inline void expect(const lxd::protocol::request& r, lxd::protocol::verb m, const std::string& path,
                   const lxd::protocol::query_list& query = {}, const std::string& body = {}) {
    EXPECT_EQ(r.method, m) << r.line();
    EXPECT_EQ(r.path, path);
    EXPECT_EQ(r.query, query) << r.line();
    EXPECT_EQ(r.body, body) << r.line();
}

}  // namespace test_support
