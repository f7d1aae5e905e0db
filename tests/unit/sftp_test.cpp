// SFTP v3 packets (protocol::sftp): encoders against hand-written bytes, framing of split
// and coalesced input, decoders with truncated and hostile input, the status -> errc map.
#include "protocol/sftp.hpp"
#include "protocol/files.hpp"

#include <gtest/gtest.h>

#include "support/code_of.hpp"

using namespace lxd;
namespace sftp = lxd::protocol::sftp;
using test_support::code_of;
using test_support::failure_of;

namespace {
std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int x : b) s.push_back(static_cast<char>(x));
    return s;
}
std::string u32(std::uint32_t v) { return bytes({int(v >> 24 & 255), int(v >> 16 & 255), int(v >> 8 & 255), int(v & 255)}); }
std::string str(std::string_view s) { return u32(static_cast<std::uint32_t>(s.size())) + std::string(s); }
std::string frame(int type, std::string payload) { return u32(static_cast<std::uint32_t>(payload.size() + 1)) + char(type) + payload; }
}  // namespace

TEST(Sftp, InitIsVersion3) {
    std::string out;
    sftp::encode_init(out);
    EXPECT_EQ(out, bytes({0, 0, 0, 5, 1, 0, 0, 0, 3}));
}

TEST(Sftp, PathAndHandleRequests) {
    std::string out;
    sftp::encode_path_request(out, sftp::type::lstat, 7, "/etc");
    EXPECT_EQ(out, frame(7, u32(7) + str("/etc")));
    out.clear();
    sftp::encode_handle_request(out, sftp::type::close, 9, "12");
    EXPECT_EQ(out, frame(4, u32(9) + str("12")));
}

TEST(Sftp, OpenReadWrite) {
    std::string out;
    sftp::encode_open(out, 1, "/f", sftp::open_write | sftp::open_creat | sftp::open_trunc);
    EXPECT_EQ(out, frame(3, u32(1) + str("/f") + u32(0x1a) + u32(0)));
    out.clear();
    sftp::encode_read(out, 2, "h", 0x100000000ull + 5, 32768);
    EXPECT_EQ(out, frame(5, u32(2) + str("h") + u32(1) + u32(5) + u32(32768)));
    out.clear();
    sftp::encode_write_header(out, 3, "h", 0, 4);   // the 4 data bytes follow on the wire
    EXPECT_EQ(out + "abcd", frame(6, u32(3) + str("h") + u32(0) + u32(0) + str("abcd")));
}

TEST(Sftp, SymlinkSendsTheTargetFirst) {
    std::string out;
    sftp::encode_symlink(out, 4, "../target", "/tmp/link");
    EXPECT_EQ(out, frame(20, u32(4) + str("../target") + str("/tmp/link")));
}

TEST(Sftp, SetstatAttributes) {
    std::string out;
    sftp::encode_with_attrs(out, sftp::type::fsetstat, 5, "h", {.uid = 1000u});
    // UIDGID with the gid left unchanged (-1)
    EXPECT_EQ(out, frame(10, u32(5) + str("h") + u32(2) + u32(1000) + u32(0xFFFFFFFFu)));
    out.clear();
    sftp::encode_with_attrs(out, sftp::type::setstat, 6, "/x", {.permissions = 0755u});
    EXPECT_EQ(out, frame(9, u32(6) + str("/x") + u32(4) + u32(0755)));
}

TEST(Sftp, FramingSplitAndCoalesced) {
    auto a = frame(101, u32(1) + u32(0) + str("") + str(""));
    auto b = frame(103, u32(2) + str("data"));
    auto both = a + b;
    EXPECT_EQ(sftp::frame_length(both.substr(0, 3)), 0u);
    EXPECT_EQ(sftp::frame_length(both.substr(0, a.size() - 1)), 0u);
    EXPECT_EQ(sftp::frame_length(both), a.size());
    auto p = sftp::parse_packet(std::string_view(both).substr(0, a.size()));
    EXPECT_EQ(p.kind, 101);
    EXPECT_EQ(p.id, 1u);
    EXPECT_EQ(sftp::decode_status(p.body).code, 0u);
    auto q = sftp::parse_packet(std::string_view(both).substr(a.size()));
    EXPECT_EQ(q.id, 2u);
    EXPECT_EQ(sftp::decode_data(q.body), "data");
}

TEST(Sftp, FramingRefusesZeroAndOversizedLengths) {
    EXPECT_EQ(code_of([] { (void)sftp::frame_length(u32(0)); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { (void)sftp::frame_length(u32(sftp::max_incoming + 1)); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { (void)sftp::parse_packet(u32(1) + "e"); }), errc::protocol_error);   // no id
}

TEST(Sftp, NameWithAttributes) {
    std::string body = u32(2) + str("a") + str("-rw-r--r-- a") + u32(0xF) + u32(0) + u32(10) + u32(1000) + u32(100) +
                       u32(0100644) + u32(1) + u32(2) + str("l") + str("") + u32(4) + u32(0120777);
    auto n = sftp::decode_name(body);
    ASSERT_EQ(n.size(), 2u);
    EXPECT_EQ(n[0].name, "a");
    EXPECT_EQ(*n[0].attrs.size, 10u);
    EXPECT_EQ(*n[0].attrs.uid, 1000u);
    EXPECT_EQ(*n[0].attrs.gid, 100u);
    EXPECT_EQ(*n[0].attrs.mtime, 2u);
    auto i = sftp::info_of(n[0].attrs);
    EXPECT_EQ(i.type, lxd::api::file_type::file);
    EXPECT_EQ(i.mode, 0644u);
    EXPECT_EQ(sftp::info_of(n[1].attrs).type, lxd::api::file_type::symlink);
    EXPECT_FALSE(n[1].attrs.uid.has_value());
}

TEST(Sftp, AttributesExtendedSkippedUnknownFlagRefused) {
    auto a = sftp::decode_attrs_reply(u32(0x80000004u) + u32(04755) + u32(1) + str("k") + str("v"));
    EXPECT_EQ(*a.permissions, 04755u);
    EXPECT_EQ(sftp::info_of(a).mode, 04755u);
    EXPECT_EQ(code_of([] { (void)sftp::decode_attrs_reply(u32(0x10)); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { (void)sftp::decode_attrs_reply(u32(0x1) + u32(0)); }), errc::protocol_error);   // truncated size
}

TEST(Sftp, TruncatedAndHostileNames) {
    EXPECT_EQ(code_of([] { (void)sftp::decode_name(u32(1) + str("a")); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { (void)sftp::decode_name(u32(0xFFFFFFFFu)); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { (void)sftp::decode_data(u32(100) + "short"); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { (void)sftp::decode_handle(str("")); }), errc::protocol_error);
}

TEST(Sftp, TypesOfOtherFiles) {
    EXPECT_EQ(sftp::info_of({.permissions = 040755u}).type, lxd::api::file_type::directory);
    EXPECT_EQ(sftp::info_of({.permissions = 010644u}).type, lxd::api::file_type::fifo);
    EXPECT_EQ(sftp::info_of({.permissions = 0140755u}).type, lxd::api::file_type::socket);
}

TEST(Sftp, StatusToErrc) {
    EXPECT_EQ(sftp::errc_of({2, "stat /etc/nope: no such file or directory"}), errc::not_found);
    EXPECT_EQ(sftp::errc_of({3, "open /etc/shadow: permission denied"}), errc::forbidden);
    EXPECT_EQ(sftp::errc_of({4, "mkdir /x: file exists"}), errc::conflict);
    EXPECT_EQ(sftp::errc_of({4, "remove /d: directory not empty"}), errc::conflict);
    EXPECT_EQ(sftp::errc_of({4, "open /d: is a directory"}), errc::invalid_argument);
    EXPECT_EQ(sftp::errc_of({4, "write /f: no space left on device"}), errc::server_error);
    EXPECT_EQ(sftp::errc_of({8, ""}), errc::unsupported);
    EXPECT_EQ(sftp::errc_of({5, ""}), errc::protocol_error);
}

TEST(Sftp, StatusErrorNamesThePath) {
    auto [code, what] = failure_of([] { sftp::fail_status({2, "no such file"}, "OPEN", "/etc/nope"); });
    EXPECT_EQ(code, errc::not_found);
    EXPECT_EQ(what, "not_found: no such file (/etc/nope) [SFTP OPEN]");
}

TEST(Sftp, UpgradeRequest) {
    auto r = protocol::file_sftp("/1.0/instances/c%201/files");
    EXPECT_EQ(r.method, protocol::verb::get);
    EXPECT_EQ(r.path, "/1.0/instances/c%201/sftp");
    EXPECT_TRUE(r.scoped);
    EXPECT_EQ(protocol::header_of(r, "Upgrade"), "sftp");
    EXPECT_EQ(protocol::header_of(r, "Connection"), "Upgrade");
}
