// The closed sets as typed enums (lxd/api/kinds.hpp): their REST spelling both ways, and
// the decoders refusing a value outside the set instead of passing it on as a string.
#include <lxd/api/kinds.hpp>

#include "protocol/files.hpp"
#include "protocol/protocol.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <sstream>

#include "support/code_of.hpp"

using namespace lxd;
using api::file_type;
using api::instance_type;
using test_support::failure_of;

namespace {
const std::string rl = "GET /1.0/instances/c1";
}

TEST(Kinds, InstanceTypeRoundTrips) {
    EXPECT_EQ(api::to_string(instance_type::container), "container");
    EXPECT_EQ(api::to_string(instance_type::virtual_machine), "virtual-machine");
    EXPECT_EQ(api::parse_instance_type("container"), instance_type::container);
    EXPECT_EQ(api::parse_instance_type("virtual-machine"), instance_type::virtual_machine);
    EXPECT_EQ(api::parse_instance_type("Container"), std::nullopt);   // the REST spelling only
    EXPECT_EQ(api::parse_instance_type(""), std::nullopt);
    std::ostringstream os;
    os << instance_type::virtual_machine;
    EXPECT_EQ(os.str(), "virtual-machine");
}

TEST(Kinds, FileTypeRoundTrips) {
    for (auto t : {file_type::file, file_type::directory, file_type::symlink, file_type::fifo, file_type::socket,
                   file_type::char_device, file_type::block_device})
        EXPECT_EQ(api::parse_file_type(api::to_string(t)), t);
    EXPECT_EQ(api::to_string(file_type::directory), "directory");
    EXPECT_EQ(api::to_string(file_type::char_device), "char-device");
    EXPECT_EQ(api::parse_file_type("pipe"), std::nullopt);
    std::ostringstream os;
    os << file_type::symlink;
    EXPECT_EQ(os.str(), "symlink");
}

TEST(Kinds, DecodersReadTheType) {
    EXPECT_EQ(protocol::decode_instance(boost::json::parse(R"({"name":"v1","type":"virtual-machine"})"), rl).type,
              instance_type::virtual_machine);
    // A server before the "instances" extension sends no type: its instances are containers.
    EXPECT_EQ(protocol::decode_instance(boost::json::parse(R"({"name":"c1"})"), rl).type, instance_type::container);
    EXPECT_EQ(protocol::decode_image(boost::json::parse(R"({"fingerprint":"ab","type":"virtual-machine"})"), rl).type,
              instance_type::virtual_machine);
    EXPECT_EQ(protocol::decode_image_alias(boost::json::parse(R"({"name":"a","target":"ab"})"), rl).type, instance_type::container);
    EXPECT_EQ(protocol::decode_file_info({{"x-incus-type", "symlink"}}, "x-incus-", rl).type, file_type::symlink);
}

TEST(Kinds, DecodersRefuseAValueOutsideTheSet) {
    auto [code, what] = failure_of([] { (void)protocol::decode_instance(boost::json::parse(R"({"name":"c1","type":"pod"})"), rl); });
    EXPECT_EQ(code, errc::protocol_error);
    EXPECT_NE(what.find("instance of unknown type \"pod\""), std::string::npos) << what;
    auto [img_code, img_what] =
        failure_of([] { (void)protocol::decode_image(boost::json::parse(R"({"fingerprint":"ab","type":"vm"})"), rl); });
    EXPECT_EQ(img_code, errc::protocol_error);
    EXPECT_NE(img_what.find("image of unknown type \"vm\""), std::string::npos) << img_what;
    auto [f_code, f_what] = failure_of([] { (void)protocol::decode_file_info({{"x-lxd-type", "pipe"}}, "x-lxd-", rl); });
    EXPECT_EQ(f_code, errc::protocol_error);
    EXPECT_NE(f_what.find("unknown file type header: pipe"), std::string::npos) << f_what;
}
