// The operation-shaped decoders: the operations list (status -> [operation], flattened) and
// a migration's websocket secrets.
#include "protocol/migration.hpp"
#include "protocol/protocol.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/code_of.hpp"

using namespace lxd;

using test_support::failure_of;

namespace {
const std::string rl = "GET /1.0/operations";

protocol::envelope async_with(const char* operation_json) {
    protocol::envelope env;
    env.type = protocol::envelope::kind::async;
    env.operation = "/1.0/operations/op1";
    env.metadata = boost::json::parse(operation_json);
    return env;
}
}  // namespace

TEST(CodecsOperations, ListIsFlattenedInTheAnswersOrder) {
    auto ops = protocol::decode_operation_list(boost::json::parse(R"({
        "running":[{"id":"a","status":"Running","status_code":103},{"id":"b","status":"Running","status_code":103}],
        "success":[{"id":"c","status":"Success","status_code":200}]})"), rl);
    ASSERT_EQ(ops.size(), 3u);
    EXPECT_EQ(ops[0].id, "a");
    EXPECT_EQ(ops[1].id, "b");
    EXPECT_EQ(ops[2].id, "c");
    EXPECT_EQ(ops[0].code, api::status_code::running);
    EXPECT_EQ(ops[2].code, api::status_code::success);
}

TEST(CodecsOperations, ListNullOrEmptyIsNoOperation) {
    EXPECT_TRUE(protocol::decode_operation_list(boost::json::value(nullptr), rl).empty());
    EXPECT_TRUE(protocol::decode_operation_list(boost::json::parse("{}"), rl).empty());
    EXPECT_TRUE(protocol::decode_operation_list(boost::json::parse(R"({"running":[]})"), rl).empty());
}

TEST(CodecsOperations, ListRefusesOtherShapes) {
    auto [arr, arr_what] = failure_of([] { (void)protocol::decode_operation_list(boost::json::parse("[]"), rl); });
    EXPECT_EQ(arr, errc::protocol_error);
    EXPECT_NE(arr_what.find("operations are not an object"), std::string::npos) << arr_what;
    auto [inner, inner_what] = failure_of([] { (void)protocol::decode_operation_list(boost::json::parse(R"({"running":{}})"), rl); });
    EXPECT_EQ(inner, errc::protocol_error);
    EXPECT_NE(inner_what.find("operations list is not an array"), std::string::npos) << inner_what;
    auto [op, op_what] = failure_of([] { (void)protocol::decode_operation_list(boost::json::parse(R"({"running":[{"x":1}]})"), rl); });
    EXPECT_EQ(op, errc::protocol_error);   // an operation without an id
}

TEST(CodecsOperations, MigrationSecretsAreTheStringMembers) {
    auto s = protocol::migration_secrets(
        async_with(R"({"id":"op1","metadata":{"control":"c1","fs":"f1","criu":"k1","other":5}})"), "POST /1.0/instances/c1");
    EXPECT_EQ(boost::json::serialize(s), R"({"control":"c1","fs":"f1","criu":"k1"})");
}

TEST(CodecsOperations, MigrationSecretsRefuseWhatIsNotAMigration) {
    const std::string post = "POST /1.0/instances/c1";
    protocol::envelope sync;
    sync.metadata = boost::json::parse("[]");
    auto [none, none_what] = failure_of([&] { (void)protocol::migration_secrets(sync, post); });
    EXPECT_EQ(none, errc::protocol_error);
    EXPECT_NE(none_what.find("migration without an operation"), std::string::npos) << none_what;
    EXPECT_NE(none_what.find(post), std::string::npos) << none_what;
    auto [nometa, nometa_what] = failure_of([&] { (void)protocol::migration_secrets(async_with(R"({"id":"op1"})"), post); });
    EXPECT_EQ(nometa, errc::protocol_error);
    EXPECT_NE(nometa_what.find("without websocket secrets"), std::string::npos) << nometa_what;
    auto [nofs, nofs_what] =
        failure_of([&] { (void)protocol::migration_secrets(async_with(R"({"metadata":{"control":"c1","fs":7}})"), post); });
    EXPECT_EQ(nofs, errc::protocol_error);
    EXPECT_NE(nofs_what.find("lack control or fs"), std::string::npos) << nofs_what;
}
