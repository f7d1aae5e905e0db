// Images: list/get/aliases, import (unified and split, streamed, fingerprint-checked),
// export, publish; truncated uploads refused. The lxc CLI confirms effects.
#include "sandbox.hpp"
#include "support/code_of.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace std::chrono_literals;
using test_support::code_of;
namespace fs = std::filesystem;

namespace {

void sh(const std::string& cmd) {
    int rc = std::system(cmd.c_str());
    ASSERT_EQ(rc, 0) << cmd;
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

struct Images : sandbox::server_test {
    lxd::client c = sandbox::unix_client(1);
    lxd::client c2 = sandbox::unix_client(2);
    fs::path work;
    std::vector<std::pair<lxd::client*, std::string>> created;   // images to delete

    void SetUp() override {
        work = fs::path("/tmp") / sandbox::unique_name("imgwork");
        fs::create_directories(work);
    }
    void TearDown() override {
        sandbox::remove_leftovers(c);
        sandbox::remove_leftovers(c2);
        for (auto& [cl, fp] : created) {
            try {
                cl->images().get(fp).remove().wait(2min);
            } catch (const lxd::error&) {
            }
        }
        fs::remove_all(work);
    }
    /// The sandbox's busybox image unpacked into work/src, with a description unique to
    /// this test so that what we build has a fingerprint no daemon has yet.
    fs::path unpack_unique() {
        auto src = work / "src";
        fs::create_directories(src);
        sh("tar -C " + src.string() + " -xJf " + sandbox::env("LXDPP_TEST_ROOT") + "/busybox.tar.xz");
        sh("sed -i 's/lxdpp sandbox/" + sandbox::unique_name("desc") + "/' " + (src / "metadata.yaml").string());
        return src;
    }
    std::string unified() {
        auto src = unpack_unique();
        auto out = (work / "unified.tar.xz").string();
        sh("tar -C " + src.string() + " -cJf " + out + " metadata.yaml rootfs");
        return out;
    }
    std::pair<std::string, std::string> split() {
        auto src = unpack_unique();
        auto meta = (work / "meta.tar.xz").string(), rootfs = (work / "rootfs.tar.xz").string();
        sh("tar -C " + src.string() + " -cJf " + meta + " metadata.yaml");
        sh("tar -C " + (src / "rootfs").string() + " -cJf " + rootfs + " .");
        return {meta, rootfs};
    }
    /// Launches a container from `image_fp` on `cl` and runs a command in it.
    std::string run_in_new(lxd::client& cl, const std::string& image_fp, std::vector<std::string> argv) {
        lxd::instance_create cfg;
        cfg.name = sandbox::unique_name("fromimg");
        cfg.source = lxd::instance_source::image_fingerprint(image_fp);
        cfg.start = true;
        cl.containers().create(cfg).wait(2min);
        auto r = cl.containers().get(cfg.name).execute(std::move(argv));
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    }
};

using api_config = lxd::api::config_map;

std::string fingerprint_of(const lxd::api::operation_info& done) { return lxd::image_fingerprint(done); }

}  // namespace

TEST_P(Images, ListGetAndAliasLookupInOneRequestEach) {
    auto img = c.images().get_by_alias(sandbox::image());
    ASSERT_EQ(img.fingerprint().size(), 64u);
    EXPECT_EQ(img.properties().at("os"), "busybox");
    EXPECT_EQ(img.type(), lxd::api::instance_type::container);
    EXPECT_GT(img.size(), 0);
    EXPECT_FALSE(img.etag().empty());
    EXPECT_FALSE(img.uploaded_at().empty());
    ASSERT_EQ(img.aliases().size(), 1u);
    EXPECT_EQ(img.aliases()[0].name, sandbox::image());
    (void)c.api_extensions();
    auto before = c.request_count();
    auto all = c.images().all();
    EXPECT_EQ(c.request_count(), before + 1);
    ASSERT_TRUE(std::any_of(all.begin(), all.end(), [&](auto& i) { return i.fingerprint() == img.fingerprint(); }));
    auto fps = c.images().fingerprints();
    EXPECT_NE(std::find(fps.begin(), fps.end(), img.fingerprint()), fps.end());
    EXPECT_EQ(c.images().get(img.fingerprint().substr(0, 12)).fingerprint(), img.fingerprint());   // a prefix
    EXPECT_TRUE(c.images().exists(img.fingerprint()));
    EXPECT_FALSE(c.images().exists(std::string(64, '0')));
    EXPECT_NE(sandbox::lxc("image info d1:" + sandbox::image()).find(img.fingerprint()), std::string::npos);
}

TEST_P(Images, BadInputIsRefusedBeforeAnyRequest) {
    auto before = c.request_count();
    EXPECT_EQ(code_of([&] { c.images().get("not-hex!"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { c.images().get(""); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { c.images().alias("a:b"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { (void)c.images().import_file("/nonexistent/x.tar.xz"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { (void)c.images().import_file("/tmp"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { (void)c.images().import_file("/etc/hostname", {.fingerprint = "abc"}); }), lxd::errc::invalid_argument);
    EXPECT_EQ(code_of([&] { (void)c.images().publish("bad/name/x"); }), lxd::errc::invalid_argument);
    EXPECT_EQ(c.request_count(), before);
    EXPECT_EQ(code_of([&] { c.images().get(std::string(64, 'a')); }), lxd::errc::not_found);
    EXPECT_EQ(code_of([&] { c.images().alias("no-such-alias-here"); }), lxd::errc::not_found);
}

TEST_P(Images, AliasesCreateListRetargetRenameRemove) {
    auto fp = c.images().get_by_alias(sandbox::image()).fingerprint();
    auto name = sandbox::unique_name("al") + "/with-slash";
    auto a = c.images().create_alias(name, fp, "made by lxdpp");
    EXPECT_EQ(a.name(), name);
    EXPECT_EQ(a.target(), fp);
    EXPECT_EQ(a.description(), "made by lxdpp");
    EXPECT_EQ(a.type(), lxd::api::instance_type::container);
    EXPECT_EQ(a.target_image().fingerprint(), fp);
    auto list = c.images().aliases();
    EXPECT_TRUE(std::any_of(list.begin(), list.end(), [&](auto& x) { return x.name() == name && x.target() == fp; }));
    EXPECT_NE(sandbox::lxc("image alias list d1: --format csv").find(name), std::string::npos);
    EXPECT_EQ(code_of([&] { (void)c.images().create_alias(name, fp); }), lxd::errc::conflict);
    // save: PUT with the ETag it was read with; a handle read before a change is refused.
    auto stale = c.images().alias(name);
    a.set_description("changed").save();
    EXPECT_EQ(a.description(), "changed");
    EXPECT_EQ(c.images().alias(name).description(), "changed");
    EXPECT_EQ(code_of([&] { stale.set_description("lost").save(); }), lxd::errc::precondition_failed);
    EXPECT_EQ(c.images().alias(name).description(), "changed");
    a.patch(fp);   // retarget, the description kept
    EXPECT_EQ(a.target(), fp);
    EXPECT_EQ(a.description(), "changed");
    a.patch(std::nullopt, "again");
    EXPECT_EQ(c.images().alias(name).description(), "again");
    auto renamed = name + "-2";
    a.rename(renamed);
    EXPECT_EQ(a.name(), renamed);
    EXPECT_EQ(a.target(), fp);
    EXPECT_FALSE(c.images().alias_exists(name));
    EXPECT_EQ(c.images().alias(renamed).target(), fp);
    a.remove();
    EXPECT_FALSE(c.images().alias_exists(renamed));
    EXPECT_EQ(sandbox::lxc("image alias list d1: --format csv").find(renamed), std::string::npos);
    EXPECT_EQ(code_of([&] { a.remove(); }), lxd::errc::not_found);
}

TEST_P(Images, ImportUnifiedStreamsWithProgressAndAliases) {
    auto file = unified();
    auto size = fs::file_size(file);
    auto expect_fp = lxd::sha256_of_files({file});
    auto alias = sandbox::unique_name("uni");
    std::uint64_t last = 0, calls = 0, total_seen = 0;
    bool monotonic = true;
    lxd::image_import o;
    o.aliases = {alias};
    o.properties = {{"lxdpp.test", "yes"}};
    o.progress = [&](std::uint64_t done, std::uint64_t total) {
        monotonic = monotonic && done > last;
        last = done;
        total_seen = total;
        ++calls;
    };
    auto done = c.images().import_file(file, o).wait(5min);
    created.emplace_back(&c, expect_fp);
    EXPECT_EQ(fingerprint_of(done), expect_fp);
    EXPECT_TRUE(monotonic);
    EXPECT_GE(calls, 1u);
    EXPECT_EQ(last, size);
    EXPECT_EQ(total_seen, size);
    auto img = c.images().get(expect_fp);
    EXPECT_EQ(img.properties().at("lxdpp.test"), "yes");
    EXPECT_EQ(img.filename(), "unified.tar.xz");
    EXPECT_EQ(c.images().alias(alias).target(), expect_fp);
    EXPECT_NE(sandbox::lxc("image info d1:" + alias).find(expect_fp), std::string::npos);
    EXPECT_EQ(run_in_new(c, expect_fp, {"echo", "alive"}), "alive\n");
    // The same image again: refused before the upload, nothing changes.
    EXPECT_EQ(code_of([&] { (void)c.images().import_file(file); }), lxd::errc::conflict);
    // An alias that exists: refused before the upload.
    auto before = c.images().fingerprints().size();
    EXPECT_EQ(code_of([&] { (void)c.images().import_file(file, {.aliases = {alias}}); }), lxd::errc::conflict);
    EXPECT_EQ(c.images().fingerprints().size(), before);
}

TEST_P(Images, ImportSplitThenExportGivesTheSameFiles) {
    auto [meta, rootfs] = split();
    auto expect_fp = lxd::sha256_of_files({meta, rootfs});
    auto done = c.images().import_split(meta, rootfs).wait(5min);
    created.emplace_back(&c, expect_fp);
    EXPECT_EQ(fingerprint_of(done), expect_fp);
    EXPECT_EQ(run_in_new(c, expect_fp, {"cat", "/etc/inittab"}), "\n");

    std::uint64_t last = 0, total_seen = 0;
    auto out = c.images().get(expect_fp.substr(0, 16))
                   .export_to((work / "export").string(),
                              {.progress = [&](std::uint64_t d, std::uint64_t t) { last = d, total_seen = t; }});
    EXPECT_EQ(out.fingerprint, expect_fp);
    EXPECT_TRUE(out.split);
    ASSERT_EQ(out.files.size(), 2u);
    EXPECT_EQ(read_all(out.files[0]), read_all(meta));
    EXPECT_EQ(read_all(out.files[1]), read_all(rootfs));
    EXPECT_EQ(out.bytes, fs::file_size(meta) + fs::file_size(rootfs));
    EXPECT_EQ(last, out.bytes);
    EXPECT_EQ(total_seen, out.bytes);   // the image's size, not the multipart framing
    for (auto& f : out.files) EXPECT_EQ(fs::path(f).parent_path(), work / "export");
}

TEST_P(Images, TruncatedUploadIsRefusedAndStoresNothing) {
    auto file = unified();
    auto full_fp = lxd::sha256_of_files({file});
    auto cut = (work / "cut.tar.xz").string();
    fs::copy_file(file, cut);
    fs::resize_file(cut, fs::file_size(file) / 2);
    auto before = c.images().fingerprints();
    try {
        c.images().import_file(cut, {.aliases = {sandbox::unique_name("cut")}, .fingerprint = full_fp}).wait(5min);
        ADD_FAILURE() << "a truncated upload was accepted";
    } catch (const lxd::error& e) {
        EXPECT_NE(std::string(e.what()).find("ingerprint"), std::string::npos) << e.what();
        EXPECT_NE(e.diag().server_message.find(full_fp), std::string::npos) << e.what();
    }
    EXPECT_EQ(c.images().fingerprints(), before);
    EXPECT_FALSE(c.images().exists(full_fp));
}

TEST_P(Images, PublishExportImportElsewhereKeepsTheFingerprint) {
    auto name = sandbox::unique_name("pub");
    auto box = sandbox::make_container(c, name, true);
    box.files().put("/root/marker", "from d1\n");
    box.stop().wait(2min);
    auto alias = sandbox::unique_name("pubimg");
    auto done = c.containers().get(name).publish({.aliases = {alias}, .properties = {{"origin", "d1"}}}).wait(5min);
    auto fp = fingerprint_of(done);
    created.emplace_back(&c, fp);
    EXPECT_EQ(c.images().alias(alias).target(), fp);
    auto img = c.images().get(fp);
    EXPECT_EQ(img.properties().at("origin"), "d1");

    auto out = img.export_to((work / "exp").string());
    EXPECT_FALSE(out.split);
    ASSERT_EQ(out.files.size(), 1u);
    EXPECT_EQ(lxd::sha256_of_files(out.files), fp);

    auto imported = c2.images().import_file(out.files[0]).wait(5min);
    created.emplace_back(&c2, fp);
    EXPECT_EQ(fingerprint_of(imported), fp);
    EXPECT_EQ(c2.images().get(fp).fingerprint(), fp);
    EXPECT_EQ(run_in_new(c2, fp, {"cat", "/root/marker"}), "from d1\n");
}

TEST_P(Images, SavePatchSecretAndRemove) {
    auto file = unified();
    auto fp = lxd::sha256_of_files({file});
    c.images().import_file(file).wait(5min);
    created.emplace_back(&c, fp);
    auto img = c.images().get(fp);
    auto stale = img;
    EXPECT_FALSE(img.is_public());
    img.set_public(true).set_property("os", "changed").save();
    EXPECT_TRUE(img.is_public());
    EXPECT_EQ(img.properties().at("os"), "changed");
    EXPECT_EQ(img.properties().at("architecture"), stale.properties().at("architecture"));   // the others kept
    EXPECT_NE(sandbox::lxc("image show d1:" + fp).find("public: true"), std::string::npos);
    // A handle read before that change: refused, nothing lost.
    EXPECT_EQ(code_of([&] { stale.set_public(false).save(); }), lxd::errc::precondition_failed);
    EXPECT_TRUE(c.images().get(fp).is_public());
    img.patch({.auto_update = true, .properties = api_config{{"os", "patched"}}});
    EXPECT_TRUE(img.auto_update());
    EXPECT_TRUE(img.is_public());
    EXPECT_EQ(img.properties().at("os"), "patched");
    EXPECT_EQ(img.properties().at("architecture"), stale.properties().at("architecture"));   // merged
    EXPECT_EQ(code_of([&] { img.patch({}); }), lxd::errc::invalid_argument);
    img.set_public(false).save();
    EXPECT_FALSE(img.secret().empty());   // a private image: a one-time secret for another server
    img.remove().wait(2min);
    EXPECT_FALSE(c.images().exists(fp));
    EXPECT_NE(sandbox::lxc("image info d1:" + fp, true).find("not found"), std::string::npos);
}

LXDPP_BOTH_SERVERS(Images);
