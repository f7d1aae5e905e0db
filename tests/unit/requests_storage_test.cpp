// The request builders and decoders of storage pools, volumes and volume snapshots
// (src/protocol/storage.*): method, path, query, scope, exact JSON body, refused input.
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

namespace {
const std::string vol = "/1.0/storage-pools/p1/volumes/custom/v1";
}  // namespace

TEST(StoragePoolRequests, PoolsAreUnscoped) {
    auto l = storage_pool_list();
    expect(l, verb::get, "/1.0/storage-pools", {{"recursion", "1"}});
    EXPECT_FALSE(l.scoped);
    expect(storage_pool_names(), verb::get, "/1.0/storage-pools");
    expect(storage_pool_get("my pool"), verb::get, "/1.0/storage-pools/my%20pool");
    EXPECT_FALSE(storage_pool_get("p1").scoped);
    expect(storage_pool_delete("p1"), verb::delete_, "/1.0/storage-pools/p1");
    EXPECT_FALSE(storage_pool_delete("p1").scoped);
    expect(storage_pool_resources("p1"), verb::get, "/1.0/storage-pools/p1/resources");
    EXPECT_FALSE(storage_pool_resources("p1").scoped);
}

TEST(StoragePoolRequests, CreatePutPatch) {
    expect(storage_pool_create({.name = "p1", .driver = "dir"}), verb::post, "/1.0/storage-pools", {},
           R"({"name":"p1","driver":"dir"})");
    expect(storage_pool_create({.name = "p2", .driver = "dir", .description = "d", .config = {{"source", "/x"}}}), verb::post,
           "/1.0/storage-pools", {}, R"({"name":"p2","driver":"dir","description":"d","config":{"source":"/x"}})");
    EXPECT_FALSE(storage_pool_create({.name = "p1", .driver = "dir"}).scoped);
    api::storage_pool p;
    p.name = "p1";
    p.description = "new";
    p.config = {{"source", "/x"}, {"user.a", "1"}};
    auto put = storage_pool_put(p, "e1");
    expect(put, verb::put, "/1.0/storage-pools/p1", {}, R"({"config":{"source":"/x","user.a":"1"},"description":"new"})");
    EXPECT_EQ(header_of(put, "If-Match"), "e1");
    EXPECT_FALSE(put.scoped);
    auto patch = storage_pool_patch("p1", {.description = std::string("d2")}, "e2");
    expect(patch, verb::patch, "/1.0/storage-pools/p1", {}, R"({"description":"d2"})");
    EXPECT_EQ(header_of(patch, "If-Match"), "e2");
    EXPECT_EQ(header_of(storage_pool_put(p, ""), "If-Match"), "");
}

TEST(StoragePoolRequests, BadInputIsRefused) {
    for (auto name : {"", "a/b", ".", "..", "a\nb"}) {
        EXPECT_EQ(code_of([&] { storage_pool_get(name); }), errc::invalid_argument) << name;
        EXPECT_EQ(code_of([&] { storage_pool_create({.name = name, .driver = "dir"}); }), errc::invalid_argument) << name;
    }
    EXPECT_EQ(code_of([] { storage_pool_create({.name = "p1"}); }), errc::invalid_argument);   // no driver
    EXPECT_EQ(code_of([] { storage_pool_create({.name = "p1", .driver = "dir", .config = {{"a b", "1"}}}); }),
              errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_pool_patch("p1", {}, ""); }), errc::invalid_argument);   // empty patch
    auto [code, message] = test_support::failure_of([] { storage_pool_get("a/b"); });
    EXPECT_EQ(code, errc::invalid_argument);
    EXPECT_NE(message.find("storage pool names may not contain slashes"), std::string::npos) << message;
}

TEST(StorageVolumeRequests, ListGetCreateAreScoped) {
    auto l = storage_volume_list("p1");
    expect(l, verb::get, "/1.0/storage-pools/p1/volumes", {{"recursion", "1"}});
    EXPECT_TRUE(l.scoped);
    expect(storage_volume_get("p1", "v 1"), verb::get, "/1.0/storage-pools/p1/volumes/custom/v%201");
    expect(storage_volume_create("p1", {.name = "v1"}), verb::post, "/1.0/storage-pools/p1/volumes/custom", {},
           R"({"name":"v1","type":"custom","content_type":"filesystem"})");
    expect(storage_volume_create("p1", {.name = "v2", .description = "d", .content_type = "block", .config = {{"size", "10MiB"}}}),
           verb::post, "/1.0/storage-pools/p1/volumes/custom", {},
           R"({"name":"v2","type":"custom","content_type":"block","description":"d","config":{"size":"10MiB"}})");
    EXPECT_TRUE(storage_volume_create("p1", {.name = "v1"}).scoped);
    expect(storage_volume_delete("p1", "v1"), verb::delete_, vol);
}

TEST(StorageVolumeRequests, CopyFromVolumeOrSnapshot) {
    expect(storage_volume_copy("p2", {.name = "v2", .source = "v1"}), verb::post, "/1.0/storage-pools/p2/volumes/custom", {},
           R"({"name":"v2","type":"custom","source":{"type":"copy","pool":"p2","name":"v1"}})");
    expect(storage_volume_copy("p2", {.name = "v2", .source_pool = "p1", .source = "v1/s0", .volume_only = true}), verb::post,
           "/1.0/storage-pools/p2/volumes/custom", {},
           R"({"name":"v2","type":"custom","source":{"type":"copy","pool":"p1","name":"v1/s0","volume_only":true}})");
    // From another project, and a refresh of an existing copy.
    expect(storage_volume_copy("p2", {.name = "v2", .source = "v1", .source_project = "other", .refresh = true}), verb::post,
           "/1.0/storage-pools/p2/volumes/custom", {},
           R"({"name":"v2","type":"custom","source":{"type":"copy","pool":"p2","name":"v1","project":"other","refresh":true}})");
    EXPECT_EQ(code_of([] { storage_volume_copy("p1", {.name = "v2", .source = "v1", .source_project = "a/b"}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_copy("p1", {.name = "v2", .source = ""}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_copy("p1", {.name = "v2", .source = "v1/"}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_copy("p1", {.name = "", .source = "v1"}); }), errc::invalid_argument);
}

TEST(StorageVolumeRequests, PutPatchRenameMoveRestore) {
    api::storage_volume v;
    v.name = "v1";
    v.description = "d";
    v.config = {{"size", "1GiB"}};
    auto put = storage_volume_put("p1", v, "e1");
    expect(put, verb::put, vol, {}, R"({"config":{"size":"1GiB"},"description":"d"})");
    EXPECT_EQ(header_of(put, "If-Match"), "e1");
    EXPECT_TRUE(put.scoped);
    auto patch = storage_volume_patch("p1", "v1", {.config = api::config_map{{"user.a", "b"}}}, "e2");
    expect(patch, verb::patch, vol, {}, R"({"config":{"user.a":"b"}})");
    EXPECT_EQ(header_of(patch, "If-Match"), "e2");
    expect(storage_volume_rename("p1", "v1", "v2"), verb::post, vol, {}, R"({"name":"v2"})");
    expect(storage_volume_rename("p1", "v1", "v1", "p2"), verb::post, vol, {}, R"({"name":"v1","pool":"p2"})");
    expect(storage_volume_restore("p1", "v1", "s0"), verb::put, vol, {}, R"({"restore":"s0"})");
    EXPECT_EQ(code_of([] { storage_volume_rename("p1", "v1", "a/b"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_rename("p1", "v1", "v2", ".."); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_restore("p1", "v1", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_patch("p1", "v1", {}, ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_create("p1", {.name = "v1", .content_type = "iso"}); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_get("", "v1"); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_get("p1", "a/b"); }), errc::invalid_argument);
}

TEST(StorageVolumeRequests, Snapshots) {
    expect(storage_volume_snapshot_list("p1", "v1"), verb::get, vol + "/snapshots", {{"recursion", "1"}});
    expect(storage_volume_snapshot_get("p1", "v1", "s0"), verb::get, vol + "/snapshots/s0");
    expect(storage_volume_snapshot_create("p1", "v1", "s0", ""), verb::post, vol + "/snapshots", {}, R"({"name":"s0"})");
    expect(storage_volume_snapshot_create("p1", "v1", "s0", "2030-01-01T00:00:00Z"), verb::post, vol + "/snapshots", {},
           R"({"name":"s0","expires_at":"2030-01-01T00:00:00Z"})");
    expect(storage_volume_snapshot_rename("p1", "v1", "s0", "s1"), verb::post, vol + "/snapshots/s0", {}, R"({"name":"s1"})");
    expect(storage_volume_snapshot_delete("p1", "v1", "s0"), verb::delete_, vol + "/snapshots/s0");
    EXPECT_TRUE(storage_volume_snapshot_delete("p1", "v1", "s0").scoped);
    EXPECT_EQ(code_of([] { storage_volume_snapshot_create("p1", "v1", "a/b", ""); }), errc::invalid_argument);
    EXPECT_EQ(code_of([] { storage_volume_snapshot_rename("p1", "v1", "s0", ""); }), errc::invalid_argument);
}

TEST(StorageCodecs, PoolResourcesVolumeSnapshot) {
    auto pool = decode_storage_pool(json::parse(R"({"name":"p","driver":"dir","description":"d","status":"Created",)"
                                                R"("config":{"source":"/s"},"locations":["none"],"used_by":["/1.0/instances/c"]})"),
                                    "GET /x");
    EXPECT_EQ(pool.name, "p");
    EXPECT_EQ(pool.driver, "dir");
    EXPECT_EQ(pool.status, "Created");
    EXPECT_EQ(pool.config.at("source"), "/s");
    EXPECT_EQ(pool.locations, std::vector<std::string>{"none"});
    EXPECT_EQ(pool.used_by.size(), 1u);
    auto res = decode_storage_pool_resources(
        json::parse(R"({"inodes":{"total":16777216,"used":444181},"space":{"total":270553174016,"used":41444651008}})"), "GET /x");
    EXPECT_EQ(res.space_used, 41444651008u);
    EXPECT_EQ(res.space_total, 270553174016u);
    EXPECT_EQ(res.inodes_used, 444181u);
    EXPECT_EQ(res.inodes_total, 16777216u);
    auto v = decode_storage_volume(json::parse(R"({"config":{},"description":"","name":"v1","type":"custom","used_by":[],)"
                                               R"("location":"none","content_type":"filesystem","project":"default"})"),
                                   "GET /x");
    EXPECT_EQ(v.name, "v1");
    EXPECT_EQ(v.type, "custom");
    EXPECT_EQ(v.content_type, "filesystem");
    EXPECT_EQ(v.project, "default");
    auto s = decode_storage_volume_snapshot(
        json::parse(R"({"config":{},"content_type":"","created_at":"0001-01-01T00:00:00Z","description":"","expires_at":null,"name":"v1/s0"})"),
        "GET /x");
    EXPECT_EQ(s.name, "s0");
    EXPECT_EQ(s.expires_at, "");
    EXPECT_EQ(code_of([] { decode_storage_pool(json::parse(R"({"driver":"dir"})"), "GET /x"); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { decode_storage_pool_resources(json::parse(R"({"space":{"used":-1}})"), "GET /x"); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { decode_storage_volume(json::parse(R"([])"), "GET /x"); }), errc::protocol_error);
}
