// Directory entries a server lists during a recursive get (REST or SFTP): the names that
// would steer a write out of the target are refused before anything is written.
#include "protocol/entry_name.hpp"

#include <string>

#include <gtest/gtest.h>

#include "support/code_of.hpp"

using namespace lxd;
using test_support::code_of;

TEST(EntryNames, OrdinaryNamesPass) {
    for (std::string n : {"a", "file.txt", "...", ".hidden", "..x", "spaced name ü", "-dash"})
        EXPECT_EQ(code_of([&] { protocol::check_entry_name(n, "/root/t"); }), errc{}) << n;
}

TEST(EntryNames, TraversalNamesAreRefusedNamingTheEntry) {
    for (std::string n : {std::string(""), std::string("."), std::string(".."), std::string("../x"), std::string("a/b"),
                          std::string("/etc"), std::string("a\0b", 3)})
        EXPECT_EQ(code_of([&] { protocol::check_entry_name(n, "/root/t"); }), errc::protocol_error) << n;
    try {
        protocol::check_entry_name("../../etc", "/root/t");
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_NE(std::string(e.what()).find("refusing directory entry '../../etc' in /root/t"), std::string::npos) << e.what();
    }
}
