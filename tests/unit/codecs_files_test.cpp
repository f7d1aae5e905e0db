// The files decoders (protocol::decode_file_info, protocol::decode_file_listing): what
// files::get/stat read from an answer's headers and a directory's listing.
#include "protocol/files.hpp"
#include "protocol/protocol.hpp"

#include <gtest/gtest.h>

#include "support/code_of.hpp"

using namespace lxd;

using test_support::failure_of;

namespace {
const std::string rl = "GET /1.0/instances/c1/files";
using fields = std::vector<std::pair<std::string, std::string>>;
}  // namespace

TEST(CodecsFiles, InfoFromLxdHeaders) {
    auto i = protocol::decode_file_info({{"content-type", "application/octet-stream"}, {"x-lxd-uid", "1000"},
                                         {"x-lxd-gid", "100"}, {"x-lxd-mode", "4755"}, {"x-lxd-type", "file"}},
                                        "x-lxd-", rl);
    EXPECT_EQ(i.uid, 1000u);
    EXPECT_EQ(i.gid, 100u);
    EXPECT_EQ(i.mode, 04755u);   // octal
    EXPECT_EQ(i.type, lxd::api::file_type::file);
}

TEST(CodecsFiles, InfoReadsOnlyTheServersPrefix) {
    fields f{{"x-lxd-uid", "5"}, {"x-incus-uid", "7"}, {"x-incus-mode", "0700"}, {"x-incus-type", "directory"}};
    auto incus = protocol::decode_file_info(f, "x-incus-", rl);
    EXPECT_EQ(incus.uid, 7u);
    EXPECT_EQ(incus.mode, 0700u);
    EXPECT_EQ(incus.type, lxd::api::file_type::directory);
    auto lxd = protocol::decode_file_info(f, "x-lxd-", rl);
    EXPECT_EQ(lxd.uid, 5u);
    EXPECT_EQ(lxd.mode, 0u);
    EXPECT_EQ(lxd.type, lxd::api::file_type::file);   // no type header: a file
}

TEST(CodecsFiles, InfoMissingHeadersAreZeroAndFile) {
    auto i = protocol::decode_file_info({}, "x-lxd-", rl);
    EXPECT_EQ(i.uid, 0u);
    EXPECT_EQ(i.gid, 0u);
    EXPECT_EQ(i.mode, 0u);
    EXPECT_EQ(i.type, lxd::api::file_type::file);
}

TEST(CodecsFiles, InfoRefusesANumberThatDoesNotParse) {
    auto [code, what] = failure_of([] { (void)protocol::decode_file_info({{"x-lxd-gid", "abc"}}, "x-lxd-", rl); });
    EXPECT_EQ(code, errc::protocol_error);
    EXPECT_NE(what.find("bad gid header: abc"), std::string::npos) << what;
    EXPECT_NE(what.find(rl), std::string::npos) << what;
    auto [mode_code, mode_what] = failure_of([] { (void)protocol::decode_file_info({{"x-lxd-mode", "9"}}, "x-lxd-", rl); });
    EXPECT_EQ(mode_code, errc::protocol_error);   // 9 is not an octal digit
    EXPECT_NE(mode_what.find("bad mode header: 9"), std::string::npos) << mode_what;
}

TEST(CodecsFiles, ListingInTheAnswersOrder) {
    auto names = protocol::decode_file_listing(
        200, "application/json", R"({"type":"sync","status":"Success","status_code":200,"metadata":["b","a",".hidden"]})", rl);
    EXPECT_EQ(names, (std::vector<std::string>{"b", "a", ".hidden"}));
}

TEST(CodecsFiles, ListingNullIsAnEmptyDirectory) {
    auto names = protocol::decode_file_listing(200, "application/json",
                                               R"({"type":"sync","status":"Success","status_code":200,"metadata":null})", rl);
    EXPECT_TRUE(names.empty());
}

TEST(CodecsFiles, ListingRefusesOtherShapes) {
    auto [obj, obj_what] = failure_of([] {
        (void)protocol::decode_file_listing(200, "application/json",
                                            R"({"type":"sync","status":"Success","status_code":200,"metadata":{"a":1}})", rl);
    });
    EXPECT_EQ(obj, errc::protocol_error);
    EXPECT_NE(obj_what.find("directory listing is not an array"), std::string::npos) << obj_what;
    auto [num, num_what] = failure_of([] {
        (void)protocol::decode_file_listing(200, "application/json",
                                            R"({"type":"sync","status":"Success","status_code":200,"metadata":["a",1]})", rl);
    });
    EXPECT_EQ(num, errc::protocol_error);
    EXPECT_NE(num_what.find("directory entry is not a string"), std::string::npos) << num_what;
}

TEST(CodecsFiles, ListingOfAnErrorAnswerIsTheServersError) {
    auto [code, what] = failure_of([] {
        (void)protocol::decode_file_listing(404, "application/json",
                                            R"({"type":"error","error":"Not Found","error_code":404})", rl);
    });
    EXPECT_EQ(code, errc::not_found);
    EXPECT_NE(what.find("Not Found"), std::string::npos) << what;
}
