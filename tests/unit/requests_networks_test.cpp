// The request builders and decoders of networks (src/protocol/networks.*) and of an
// instance's console, logs, metadata and templates (src/protocol/instance_meta.*): method,
// path, query, exact body, and the input refused before any I/O.
#include "protocol/instance_meta.hpp"
#include "protocol/networks.hpp"

#include <gtest/gtest.h>

#include "support/code_of.hpp"

using namespace lxd::protocol;
using lxd::errc;
namespace api = lxd::api;
namespace json = boost::json;
using test_support::code_of;

namespace {
void expect(const request& r, verb m, const std::string& path, const query_list& query = {}, const std::string& body = {}) {
    EXPECT_EQ(r.method, m) << r.line();
    EXPECT_EQ(r.path, path);
    EXPECT_EQ(r.query, query) << r.line();
    EXPECT_EQ(r.body, body) << r.line();
}
}  // namespace

TEST(NetworkRequests, ListGetDeleteLeasesState) {
    expect(network_list(), verb::get, "/1.0/networks", {{"recursion", "1"}});
    EXPECT_TRUE(network_list().scoped);
    expect(network_names(), verb::get, "/1.0/networks");
    expect(network_get("br-0"), verb::get, "/1.0/networks/br-0");
    expect(network_delete("br0"), verb::delete_, "/1.0/networks/br0");
    expect(network_leases("br0"), verb::get, "/1.0/networks/br0/leases");
    expect(network_state_get("br0"), verb::get, "/1.0/networks/br0/state");
}

TEST(NetworkRequests, CreateSendsOnlyWhatIsGiven) {
    expect(network_create({.name = "n1"}), verb::post, "/1.0/networks", {}, R"({"name":"n1"})");
    expect(network_create({.name = "n2", .type = "bridge", .description = "d", .config = {{"ipv4.address", "none"}}}), verb::post,
           "/1.0/networks", {}, R"({"name":"n2","type":"bridge","description":"d","config":{"ipv4.address":"none"}})");
}

TEST(NetworkRequests, PutSendsTheWritableFieldsAndTheEtag) {
    api::network n;
    n.name = "n1";
    n.description = "new";
    n.config = {{"ipv6.address", "none"}};
    n.raw_json = R"({"config":{"x":"y"},"description":"old","name":"n1","type":"bridge","used_by":null,"managed":true,)"
                 R"("status":"Created","locations":["none"],"project":"default"})";
    auto r = network_put(n, "\"e\"");
    expect(r, verb::put, "/1.0/networks/n1", {}, R"({"config":{"ipv6.address":"none"},"description":"new"})");
    EXPECT_EQ(header_of(r, "If-Match"), "\"e\"");
    EXPECT_EQ(header_of(network_put(n, ""), "If-Match"), "");
}

TEST(NetworkRequests, PatchRenameAndRefusals) {
    auto r = network_patch("n1", {.config = api::config_map{{"user.a", "1"}}}, "e1");
    expect(r, verb::patch, "/1.0/networks/n1", {}, R"({"config":{"user.a":"1"}})");
    EXPECT_EQ(header_of(r, "If-Match"), "e1");
    expect(network_patch("n1", {.description = std::string("d")}, ""), verb::patch, "/1.0/networks/n1", {}, R"({"description":"d"})");
    EXPECT_EQ(code_of([] { (void)network_patch("n1", {}, ""); }), errc::invalid_argument);
    expect(network_rename("n1", "n2"), verb::post, "/1.0/networks/n1", {}, R"({"name":"n2"})");
    for (const std::string& bad : std::vector<std::string>{"", "a234567890123456", ".", "..", "a/b", "a:b", "a b", std::string("a\nb")}) {
        EXPECT_EQ(code_of([&] { (void)network_get(bad); }), errc::invalid_argument) << bad;
        EXPECT_EQ(code_of([&] { (void)network_create({.name = bad}); }), errc::invalid_argument) << bad;
        EXPECT_EQ(code_of([&] { (void)network_rename("n1", bad); }), errc::invalid_argument) << bad;
    }
    EXPECT_NO_THROW((void)network_get("a23456789012345"));   // 15: the longest interface name
    EXPECT_EQ(code_of([] { (void)network_create({.name = "n1", .config = {{"bad key", "v"}}}); }), errc::invalid_argument);
}

TEST(NetworkCodecs, NetworkLeaseAndState) {
    auto n = decode_network(json::parse(R"({"config":{"ipv4.address":"none"},"description":"d","name":"n1","type":"bridge",)"
                                        R"("used_by":null,"managed":true,"status":"Created","locations":["none"]})"),
                            "GET /1.0/networks/n1");
    EXPECT_EQ(n.name, "n1");
    EXPECT_EQ(n.type, "bridge");
    EXPECT_EQ(n.config.at("ipv4.address"), "none");
    EXPECT_TRUE(n.managed);
    EXPECT_EQ(n.status, "Created");
    EXPECT_TRUE(n.used_by.empty());
    EXPECT_EQ(n.locations, std::vector<std::string>{"none"});
    EXPECT_EQ(code_of([] { (void)decode_network(json::parse(R"({"type":"bridge"})"), "GET x"); }), errc::protocol_error);
    EXPECT_EQ(code_of([] { (void)decode_network(json::parse(R"({"name":"n","managed":"yes"})"), "GET x"); }), errc::protocol_error);
    auto l = decode_network_lease(json::parse(R"({"hostname":"c1","hwaddr":"00:16:3e:00:00:01","address":"2001:db8::1",)"
                                              R"("type":"dynamic","location":"none"})"),
                                  "GET x");
    EXPECT_EQ(l.hostname, "c1");
    EXPECT_EQ(l.hwaddr, "00:16:3e:00:00:01");
    EXPECT_EQ(l.address, "2001:db8::1");
    EXPECT_EQ(l.type, "dynamic");
    EXPECT_EQ(l.location, "none");
    auto s = decode_network_state(json::parse(R"({"addresses":[{"family":"inet","address":"192.0.2.1","netmask":"24",)"
                                              R"("scope":"global"}],"counters":{"bytes_received":5,"packets_sent":2},)"
                                              R"("hwaddr":"00:16:3e:1a:35:b9","mtu":1500,"state":"up","type":"broadcast",)"
                                              R"("bridge":{"id":"8000.1"}})"),
                                  "GET x");
    EXPECT_EQ(s.hwaddr, "00:16:3e:1a:35:b9");
    EXPECT_EQ(s.mtu, 1500);
    EXPECT_EQ(s.state, "up");
    EXPECT_EQ(s.type, "broadcast");
    ASSERT_EQ(s.addresses.size(), 1u);
    EXPECT_EQ(s.addresses[0].address, "192.0.2.1");
    EXPECT_EQ(s.addresses[0].netmask, "24");
    EXPECT_EQ(s.counters.bytes_received, 5);
    EXPECT_EQ(s.counters.packets_sent, 2);
    EXPECT_NE(s.raw_json.find("8000.1"), std::string::npos);
}

TEST(InstanceMetaRequests, ConsoleAndLogs) {
    expect(console_log_get("instances", "c1"), verb::get, "/1.0/instances/c1/console");
    expect(console_log_delete("containers", "c1"), verb::delete_, "/1.0/containers/c1/console");
    EXPECT_EQ(code_of([] { (void)console_log_get("instances", "bad/name"); }), errc::invalid_argument);
    expect(instance_logs_list("instances", "c1"), verb::get, "/1.0/instances/c1/logs");
    expect(instance_log_get("instances", "c1", "lxc.log"), verb::get, "/1.0/instances/c1/logs/lxc.log");
    for (const std::string& bad : std::vector<std::string>{"", ".", "..", "../x", "a/b"})
        EXPECT_EQ(code_of([&] { (void)instance_log_get("instances", "c1", bad); }), errc::invalid_argument) << bad;
}

TEST(InstanceMetaRequests, MetadataAndTemplates) {
    expect(metadata_get("instances", "c1"), verb::get, "/1.0/instances/c1/metadata");
    api::instance_metadata m;
    m.architecture = "x86_64";
    m.creation_date = 10;
    m.properties = {{"os", "busybox"}};
    m.templates["/etc/hostname"] = {{"create", "copy"}, false, "hostname.tpl", {}};
    m.raw_json = R"({"architecture":"old","creation_date":1,"expiry_date":0,"properties":{},)"
                 R"("templates":{"/etc/hostname":{"when":["start"],"template":"x","future":1},"/gone":{}},"extra":true})";
    expect(metadata_put("instances", "c1", m), verb::put, "/1.0/instances/c1/metadata", {},
           R"({"architecture":"x86_64","creation_date":10,"expiry_date":0,"properties":{"os":"busybox"},)"
           R"("templates":{"/etc/hostname":{"when":["create","copy"],"template":"hostname.tpl","future":1,"create_only":false,"properties":{}}},"extra":true})");
    expect(templates_list("instances", "c1"), verb::get, "/1.0/instances/c1/metadata/templates");
    expect(template_get("instances", "c1", "a.tpl"), verb::get, "/1.0/instances/c1/metadata/templates", {{"path", "a.tpl"}});
    auto create = template_put("instances", "c1", "a.tpl", "hello {{ x }}\n");
    expect(create, verb::post, "/1.0/instances/c1/metadata/templates", {{"path", "a.tpl"}}, "hello {{ x }}\n");
    EXPECT_EQ(create.content_type, "application/octet-stream");
    expect(template_delete("instances", "c1", "a.tpl"), verb::delete_, "/1.0/instances/c1/metadata/templates", {{"path", "a.tpl"}});
    for (const std::string& bad : std::vector<std::string>{"", ".", "..", "a/b", std::string("a\0b", 3), "a\nb"})
        EXPECT_EQ(code_of([&] { (void)template_get("instances", "c1", bad); }), errc::invalid_argument) << bad;
    auto d = decode_instance_metadata(json::parse(R"({"architecture":"x86_64","creation_date":1700000000,"expiry_date":0,)"
                                                  R"("properties":{"os":"Busybox"},"templates":{"/etc/hostname":)"
                                                  R"({"when":["create"],"create_only":true,"template":"hostname.tpl","properties":{"k":"v"}}}})"),
                                      "GET x");
    EXPECT_EQ(d.architecture, "x86_64");
    EXPECT_EQ(d.creation_date, 1700000000);
    EXPECT_EQ(d.properties.at("os"), "Busybox");
    auto& t = d.templates.at("/etc/hostname");
    EXPECT_EQ(t.when, std::vector<std::string>{"create"});
    EXPECT_TRUE(t.create_only);
    EXPECT_EQ(t.template_name, "hostname.tpl");
    EXPECT_EQ(t.properties.at("k"), "v");
    EXPECT_EQ(code_of([] { (void)decode_instance_metadata(json::parse(R"({"templates":{"/x":3}})"), "GET x"); }), errc::protocol_error);
}
