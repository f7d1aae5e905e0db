// The request builders of custom volume transfers between servers (src/protocol/storage.*):
// the source side (POST on the volume, migration) and the target side (POST on the pool's
// custom volumes, source type migration); exact bodies and refused input.
#include "protocol/backups.hpp"
#include "protocol/storage.hpp"

#include <gtest/gtest.h>

#include "support/code_of.hpp"
#include "support/expect_request.hpp"

using namespace lxd::protocol;
using lxd::errc;
namespace api = lxd::api;
namespace json = boost::json;
using test_support::code_of;
using test_support::expect;

TEST(StorageTransferRequests, SourceSide) {
    auto r = storage_volume_migration_source("p1", "v1", false);
    expect(r, verb::post, "/1.0/storage-pools/p1/volumes/custom/v1", {}, R"({"name":"v1","migration":true})");
    EXPECT_TRUE(r.scoped);
    expect(storage_volume_migration_source("p1", "v1", true), verb::post, "/1.0/storage-pools/p1/volumes/custom/v1", {},
           R"({"name":"v1","migration":true,"volume_only":true})");
    json::object target{{"operation", "https://127.0.0.1:8443/1.0/operations/abc"}, {"certificate", "PEM"},
                        {"secrets", json::object{{"control", "c"}, {"fs", "f"}}}};
    expect(storage_volume_migration_source("p1", "v1", false, target), verb::post, "/1.0/storage-pools/p1/volumes/custom/v1", {},
           R"({"name":"v1","migration":true,"target":{"operation":"https://127.0.0.1:8443/1.0/operations/abc",)"
           R"("certificate":"PEM","secrets":{"control":"c","fs":"f"}}})");
    EXPECT_EQ(code_of([] { storage_volume_migration_source("p1", "a/b", false); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_migration_source("", "v1", false); }), errc::invalid_argument);
}

TEST(StorageTransferRequests, TargetSideDropsVolatileKeys) {
    api::storage_volume src;
    src.name = "v1";
    src.description = "d";
    src.content_type = "filesystem";
    src.config = {{"size", "64MiB"}, {"user.k", "v"}, {"volatile.uuid", "1234"}, {"volatile.idmap.last", "[]"}};
    auto r = storage_volume_migration_target("p2", src, "v2", false, json::object{{"mode", "push"}});
    expect(r, verb::post, "/1.0/storage-pools/p2/volumes/custom", {},
           R"({"name":"v2","type":"custom","content_type":"filesystem","description":"d",)"
           R"("config":{"size":"64MiB","user.k":"v"},"source":{"mode":"push","type":"migration"}})");
    EXPECT_TRUE(r.scoped);
    api::storage_volume block;
    block.name = "b";
    block.content_type = "block";
    json::object pull{{"mode", "pull"}, {"operation", "https://h/1.0/operations/x"}, {"certificate", "PEM"},
                      {"secrets", json::object{{"control", "c"}, {"fs", "f"}}}};
    expect(storage_volume_migration_target("p2", block, "b", true, pull), verb::post, "/1.0/storage-pools/p2/volumes/custom", {},
           R"({"name":"b","type":"custom","content_type":"block","source":{"mode":"pull",)"
           R"("operation":"https://h/1.0/operations/x","certificate":"PEM","secrets":{"control":"c","fs":"f"},)"
           R"("type":"migration","volume_only":true}})");
    EXPECT_EQ(code_of([&] { storage_volume_migration_target("p2", src, "..", false, {}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([&] { storage_volume_migration_target("p/2", src, "v", false, {}); }), errc::invalid_argument);
}

TEST(StorageVolumeBackupRequests, CreateImportAndDecode) {
    auto base = storage_volume_path("p1", "v 1");
    EXPECT_EQ(base, "/1.0/storage-pools/p1/volumes/custom/v%201");
    expect(backup_create(base, {.name = "b0", .instance_only = true}), verb::post, base + "/backups", {},
           R"({"name":"b0","volume_only":true,"optimized_storage":false})");
    expect(backup_create("/1.0/instances/c1", {.name = "b0"}), verb::post, "/1.0/instances/c1/backups", {},
           R"({"name":"b0","instance_only":false,"optimized_storage":false})");
    expect(backup_export(base, "b0"), verb::get, base + "/backups/b0/export");
    auto r = storage_volume_import("p1", "X-Incus-", "v2");
    expect(r, verb::post, "/1.0/storage-pools/p1/volumes/custom");
    EXPECT_EQ(r.content_type, "application/octet-stream");
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].first, "X-Incus-name");
    EXPECT_EQ(r.headers[0].second, "v2");
    EXPECT_TRUE(r.scoped);
    EXPECT_TRUE(storage_volume_import("p1", "X-LXD-", "").headers.empty());
    EXPECT_EQ(code_of([] { storage_volume_import("p1", "X-LXD-", "a/b"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_import("", "X-LXD-", "v"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_path("p1", ".."); }), errc::invalid_argument);
    auto b = decode_backup(json::parse(R"({"name":"v1/b0","created_at":"c","expires_at":"e","volume_only":true,)"
                                       R"("optimized_storage":false})"),
                           "GET x");
    EXPECT_EQ(b.name, "b0");
    EXPECT_TRUE(b.instance_only);
}
