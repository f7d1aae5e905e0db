#include <lxd/error.hpp>

#include <gtest/gtest.h>

TEST(Error, IsASystemErrorWithTheLxdCategory) {
    lxd::diagnostics d;
    d.http_status = 409;
    d.server_message = "Instance \"c1\" already exists";
    d.request = "POST /1.0/instances";
    lxd::error e(lxd::errc::conflict, d);
    const std::system_error& se = e;
    EXPECT_EQ(se.code(), lxd::errc::conflict);
    EXPECT_STREQ(se.code().category().name(), "lxd");
    EXPECT_EQ(std::string(e.what()), "conflict: Instance \"c1\" already exists [HTTP 409] [POST /1.0/instances]");
}

TEST(Error, EveryCodeHasAName) {
    for (int i = 1; i <= static_cast<int>(lxd::errc::unsupported); ++i)
        EXPECT_STRNE(lxd::to_string(static_cast<lxd::errc>(i)), "unknown") << i;
}
