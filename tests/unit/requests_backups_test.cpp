// The request builders and decoders of instance backups (src/protocol/backups.*): method,
// path, query, headers, exact JSON body, and the input refused before any I/O.
#include "protocol/backups.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/code_of.hpp"

using namespace lxd::protocol;
using lxd::errc;
using test_support::code_of;

namespace {
void expect(const request& r, verb m, const std::string& path, const query_list& query = {}, const std::string& body = {}) {
    EXPECT_EQ(r.method, m) << r.line();
    EXPECT_EQ(r.path, path);
    EXPECT_EQ(r.query, query) << r.line();
    EXPECT_EQ(r.body, body) << r.line();
    EXPECT_TRUE(r.scoped) << r.line();
}
const std::string base = "/1.0/instances/c1";
}  // namespace

TEST(BackupRequests, ListGetRenameDeleteExport) {
    expect(backup_list(base), verb::get, "/1.0/instances/c1/backups", {{"recursion", "1"}});
    expect(backup_get(base, "b 1"), verb::get, "/1.0/instances/c1/backups/b%201");
    expect(backup_rename(base, "b1", "b2"), verb::post, "/1.0/instances/c1/backups/b1", {}, R"({"name":"b2"})");
    expect(backup_delete(base, "b1"), verb::delete_, "/1.0/instances/c1/backups/b1");
    expect(backup_export(base, "b1"), verb::get, "/1.0/instances/c1/backups/b1/export");
}

TEST(BackupRequests, CreateSendsTheOptionalFieldsOnlyWhenGiven) {
    expect(backup_create(base, {}), verb::post, "/1.0/instances/c1/backups", {},
           R"({"name":"","instance_only":false,"optimized_storage":false})");
    expect(backup_create(base, {.name = "b1", .expires_at = "2030-01-02T03:04:05Z", .instance_only = true,
                                .optimized_storage = true, .compression_algorithm = "none"}),
           verb::post, "/1.0/instances/c1/backups", {},
           R"({"name":"b1","instance_only":true,"optimized_storage":true,"expires_at":"2030-01-02T03:04:05Z","compression_algorithm":"none"})");
    EXPECT_EQ(backup_create(base, {}).content_type, "application/json");
}

TEST(BackupRequests, BadNamesAreRefusedBeforeAnything) {
    EXPECT_EQ(code_of([] { (void)backup_create(base, {.name = "a/b"}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)backup_get(base, ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)backup_get(base, ".."); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)backup_rename(base, "b1", "x/y"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)backup_rename(base, "b1", std::string("a\nb")); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)backup_delete(base, std::string(256, 'a')); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)backup_export(base, "a/b"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { (void)backup_import("instances", "X-LXD-", "1bad", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { check_backup_name(std::string(255, 'a')); }), errc{});
}

TEST(BackupRequests, ImportStreamsOctetsWithTheFlavoursHeaders) {
    auto r = backup_import("instances", "X-LXD-", "c2", "p");
    expect(r, verb::post, "/1.0/instances");
    EXPECT_EQ(r.content_type, "application/octet-stream");
    EXPECT_EQ(r.headers, (header_list{{"X-LXD-name", "c2"}, {"X-LXD-pool", "p"}}));
    auto i = backup_import("instances", "X-Incus-", "", "");
    EXPECT_TRUE(i.headers.empty());
    EXPECT_EQ(backup_import("instances", "X-Incus-", "c3", "").headers, (header_list{{"X-Incus-name", "c3"}}));
    EXPECT_EQ(backup_import("containers", "X-LXD-", "", "").path, "/1.0/containers");
}

TEST(BackupCodecs, DecodesBothServersShapes) {
    auto lxd5 = boost::json::parse(R"({"container_only":true,"created_at":"2026-11-30T08:57:12Z",
        "expires_at":"0001-01-01T00:00:00Z","instance_only":false,"name":"backup0","optimized_storage":true})");
    auto b = decode_backup(lxd5, "GET /x");
    EXPECT_EQ(b.name, "backup0");
    EXPECT_EQ(b.created_at, "2026-11-30T08:57:12Z");
    EXPECT_EQ(b.expires_at, "0001-01-01T00:00:00Z");
    EXPECT_FALSE(b.instance_only);   // instance_only wins over the older container_only
    EXPECT_TRUE(b.optimized_storage);
    EXPECT_EQ(b.raw_json, boost::json::serialize(lxd5));
    auto old = decode_backup(boost::json::parse(R"({"name":"c1/b","container_only":true})"), "GET /x");
    EXPECT_EQ(old.name, "b");
    EXPECT_TRUE(old.instance_only);
    EXPECT_EQ(code_of([] { (void)decode_backup(boost::json::parse(R"({"name":""})"), "GET /x"); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { (void)decode_backup(boost::json::parse(R"({"name":"b","instance_only":"yes"})"), "GET /x"); }),
              errc::protocol_error);
    EXPECT_EQ(code_of([] { (void)decode_backup(boost::json::parse("[]"), "GET /x"); }), errc::protocol_error);
}

TEST(BackupCodecs, TheCreatedBackupsNameFromEitherServersResources) {
    // LXD 5.0 names it "/1.0/backups/backup0"; Incus "/1.0/instances/c1/backups/backup0".
    EXPECT_EQ(decode_backup_name({{"backups", {"/1.0/backups/backup0"}}}, "op"), "backup0");
    EXPECT_EQ(decode_backup_name({{"backups", {"/1.0/instances/c1/backups/my%20b"}}}, "op"), "my b");
    EXPECT_EQ(code_of([] { (void)decode_backup_name({{"instances", {"/1.0/instances/c1"}}}, "op"); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { (void)decode_backup_name({{"backups", {}}}, "op"); }), errc::protocol_error);
}
