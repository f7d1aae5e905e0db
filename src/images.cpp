// Images over /1.0/images: uploads and exports streamed in constant memory, with the
// fingerprint checked on both sides of the wire.
#include <lxd/images.hpp>
#include <lxd/instances.hpp>
#include <lxd/snapshots.hpp>

#include <filesystem>
#include <memory>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "detail/calls.hpp"
#include "detail/local_file.hpp"

namespace lxd {

using namespace detail;
namespace fs = std::filesystem;

namespace {

/// SHA-256 as the image fingerprint: streamed updates, lowercase hex at the end.
class sha256 {
public:
    sha256() : ctx_(EVP_MD_CTX_new()) {
        if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
    }
    ~sha256() { EVP_MD_CTX_free(ctx_); }
    sha256(const sha256&) = delete;
    sha256& operator=(const sha256&) = delete;
    void update(std::string_view d) { EVP_DigestUpdate(ctx_, d.data(), d.size()); }
    std::string hex() {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_DigestFinal_ex(ctx_, md, &n);
        return protocol::hex_lower(md, n);
    }

private:
    EVP_MD_CTX* ctx_;
};

std::string random_boundary() {
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("RAND_bytes failed");
    return "lxdpp-" + protocol::hex_lower(b, sizeof b);
}

/// The request body of an upload: text and local files, served in order.
class upload_body {
public:
    void text(std::string t) { segments_.push_back({std::move(t), nullptr}); }
    void file(const std::string& path) { segments_.push_back({{}, std::make_unique<local_reader>(path)}); }
    std::uint64_t size() const {
        std::uint64_t n = 0;
        for (auto& s : segments_) n += s.reader ? s.reader->size() : s.text.size();
        return n;
    }
    std::size_t read(char* buf, std::size_t cap) {
        while (i_ < segments_.size()) {
            auto& s = segments_[i_];
            std::size_t n = 0;
            if (s.reader) {
                n = s.reader->read(buf, cap);
                if (s.reader->failed()) return 0;   // length mismatch: core abandons the request
            } else {
                n = std::min(cap, s.text.size() - off_);
                std::memcpy(buf, s.text.data() + off_, n);
                off_ += n;
            }
            if (n > 0) return n;
            ++i_;
            off_ = 0;
        }
        return 0;
    }
    void check() const {
        for (auto& s : segments_)
            if (s.reader) s.reader->check();
    }

private:
    struct segment {
        std::string text;
        std::unique_ptr<local_reader> reader;
    };
    std::vector<segment> segments_;
    std::size_t i_ = 0, off_ = 0;
};

/// Continuation of an import: creates the aliases once the image is in.
std::function<asio::awaitable<std::string>(const api::operation_info&)> add_aliases_after(const client& c,
                                                                                         std::vector<std::string> aliases,
                                                                                         std::string fingerprint) {
    if (aliases.empty()) return {};
    return [co = core_of(c).get(), sc = scope_of(c), aliases = std::move(aliases),
            fingerprint = std::move(fingerprint)](const api::operation_info&) -> asio::awaitable<std::string> {
        for (auto& a : aliases) co_await co->call(protocol::alias_create(a, fingerprint, ""), sc);
        co_return std::string{};
    };
}

}  // namespace

std::string image_fingerprint(const api::operation_info& finished) {
    return protocol::decode_image_fingerprint(finished.metadata_json, finished.id);
}

std::string sha256_of_files(const std::vector<std::string>& paths) {
    sha256 h;
    std::vector<char> buf(1 << 20);
    for (auto& p : paths) {
        local_reader in(p);
        while (auto n = in.read(buf.data(), buf.size())) h.update(std::string_view(buf.data(), n));
        in.check();
    }
    return h.hex();
}

lxd::images client::images() const { return lxd::images(*this); }

// ---- image ------------------------------------------------------------------------------

image::image(client c, api::image data, std::string etag)
    : client_(std::move(c)), data_(std::move(data)), etag_(std::move(etag)) {}

image& image::set_public(bool is_public) { data_.is_public = is_public; return *this; }
image& image::set_auto_update(bool auto_update) { data_.auto_update = auto_update; return *this; }
image& image::set_properties(api::config_map properties) { data_.properties = std::move(properties); return *this; }
image& image::set_property(std::string key, std::string value) { data_.properties[std::move(key)] = std::move(value); return *this; }
image& image::unset_property(const std::string& key) { data_.properties.erase(key); return *this; }
image& image::set_expires_at(std::string rfc3339) { data_.expires_at = std::move(rfc3339); return *this; }
image& image::set_profiles(std::vector<std::string> profiles) { data_.profiles = std::move(profiles); return *this; }

void image::save() {
    wait_if_async(client_, call_sync(client_, protocol::image_put(data_, etag_)));
    refresh();
}

void image::patch(const image_patch& p) {
    wait_if_async(client_, call_sync(client_, protocol::image_patch(data_.fingerprint, p, etag_)));
    refresh();
}

void image::refresh() { *this = client_.images().get(data_.fingerprint); }

operation image::remove() const {
    return as_operation(client_, call_sync(client_, protocol::image_delete(data_.fingerprint)));
}

std::string image::secret() const {
    auto [env, res] = call_sync(client_, protocol::image_secret(data_.fingerprint));
    // The secret is in the (still running) operation's metadata; it ends once used or expired.
    return protocol::decode_image_secret(env.metadata, res.request_line);
}

// ---- images -----------------------------------------------------------------------------

std::vector<image> images::all() const {
    return get_list(client_, protocol::image_list(), "image list", [&](const json::value& v, const std::string& rl) {
        return image(client_, protocol::decode_image(v, rl), "");
    });
}

std::vector<std::string> images::fingerprints() const {
    return get_names(client_, protocol::image_fingerprints(), "image list");
}

image images::get(std::string_view fingerprint) const {
    auto [env, res] = call_sync(client_, protocol::image_get(fingerprint));
    return image(client_, protocol::decode_image(env.metadata, res.request_line), res.etag);
}

image images::get_by_alias(std::string_view name) const { return get(alias(name).target()); }

bool images::exists(std::string_view fingerprint) const {
    return exists_by([&] { return get(fingerprint); });
}

namespace {

/// The common part of unified and split uploads.
operation upload(const client& c, const images& self, upload_body& body, const std::vector<std::string>& files,
                 const image_import& o, std::string content_type, const std::string& default_filename) {
    for (auto& a : o.aliases) {
        protocol::check_alias_name(a);
        if (self.alias_exists(a)) protocol::fail(errc::conflict, "image alias '" + a + "' already exists; nothing was uploaded");
    }
    auto fp = o.fingerprint.empty() ? sha256_of_files(files) : protocol::full_fingerprint(o.fingerprint);
    if (self.exists(fp))
        protocol::fail(errc::conflict, "an image with fingerprint " + fp + " is already on the server; nothing was uploaded");
    auto r = protocol::image_upload(header_prefix(c), std::move(content_type), fp,
                                    o.filename.empty() ? default_filename : o.filename, o.is_public, o.properties);
    const auto total = body.size();
    std::uint64_t sent = 0;
    auto source = [&](char* buf, std::size_t cap) -> std::size_t {
        auto n = body.read(buf, cap);
        sent += n;
        if (o.progress && n) o.progress(sent, total);
        return n;
    };
    auto res = stream_sync(c, std::move(r), {.source = source, .length = total});
    body.check();
    check_answer(res);
    auto env = protocol::parse_envelope(res.status, res.content_type, res.body, res.request_line);
    return as_operation(c, {std::move(env), std::move(res)}, add_aliases_after(c, o.aliases, fp));
}

}  // namespace

operation images::import_file(const std::string& path, const image_import& o) const {
    upload_body body;
    body.file(path);
    return upload(client_, *this, body, {path}, o, "application/octet-stream", fs::path(path).filename().string());
}

operation images::import_split(const std::string& metadata_path, const std::string& rootfs_path, const image_import& o,
                               bool virtual_machine) const {
    protocol::multipart_writer w{random_boundary()};
    upload_body body;
    body.text(w.part_header("metadata", fs::path(metadata_path).filename().string(), true));
    body.file(metadata_path);
    body.text(w.part_header(virtual_machine ? "rootfs.img" : "rootfs", fs::path(rootfs_path).filename().string(), false));
    body.file(rootfs_path);
    body.text(w.closing());
    return upload(client_, *this, body, {metadata_path, rootfs_path}, o, "multipart/form-data; boundary=" + w.boundary,
                  fs::path(metadata_path).filename().string());
}

exported_image image::export_to(const std::string& directory, const image_export_options& o) const {
    const auto& img = data_;
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec || !fs::is_directory(directory)) fail_invalid("cannot create directory " + directory + ": " + ec.message());

    exported_image out;
    out.fingerprint = img.fingerprint;
    std::vector<std::unique_ptr<local_writer>> writers;
    std::optional<protocol::multipart_reader> multipart;
    sha256 hash;
    std::uint64_t total = 0;
    std::string rl;

    auto open = [&](std::string name) {
        if (name.empty()) name = img.fingerprint;
        auto path = (fs::path(directory) / name).string();
        for (auto& w : writers)
            if (w->path() == path) protocol::fail_protocol(rl, "the export names two parts '" + name + "'");
        writers.push_back(std::make_unique<local_writer>(path));
    };
    auto write = [&](std::string_view d) {
        writers.back()->write(d);
        hash.update(d);
        out.bytes += d.size();
        if (o.progress) o.progress(out.bytes, total);
    };
    auto on_headers = [&](const http_response& res) {
        rl = res.request_line;
        // The image's size: a split export is chunked (no Content-Length), and its framing
        // is not image bytes anyway.
        total = static_cast<std::uint64_t>(std::max<std::int64_t>(img.size, 0));
        if (res.content_type.rfind("multipart/", 0) == 0) {
            out.split = true;
            multipart.emplace(protocol::header_parameter(res.content_type, "boundary"), res.request_line);
        } else {
            open(protocol::safe_file_name(protocol::header_parameter(res.field("content-disposition"), "filename")));
        }
        return false;   // stream the body to the sink
    };
    auto sink = [&](std::string_view chunk) {
        if (!multipart) return write(chunk);
        multipart->feed(
            chunk,
            [&](const protocol::multipart_reader::part& p) {
                if (p.name != "metadata" && p.name != "rootfs" && p.name != "rootfs.img")
                    protocol::fail_protocol(rl, "unexpected part '" + p.name + "' in a split image export");
                auto name = protocol::safe_file_name(p.filename);
                open(name.empty() ? p.name + "-" + img.fingerprint : name);
            },
            write);
    };
    auto res = stream_sync(client_, protocol::image_export(img.fingerprint), {.sink = sink, .keep_body = on_headers});
    check_answer(res);
    if (res.status != 200 || writers.empty()) protocol::fail_protocol(res.request_line, "the export had no file in it");
    if (multipart) multipart->finish();
    if (o.verify) {
        auto got = hash.hex();
        if (got != img.fingerprint)
            protocol::fail(errc::protocol_error,
                           "the exported bytes have SHA-256 " + got + ", not the image's fingerprint; the files were removed",
                           res.request_line);
    }
    for (auto& w : writers) {
        w->commit(0644);
        out.files.push_back(w->path());
    }
    return out;
}

operation images::publish(std::string_view source, const image_publish& o) const {
    auto r = protocol::image_publish(source, o);
    return as_operation(client_, call_sync(client_, std::move(r)));
}

operation instance::publish(const image_publish& o) const { return owner().images().publish(name(), o); }

operation snapshot::publish(const image_publish& o) const { return client_.images().publish(instance_ + "/" + name(), o); }
operation snapshot::publish() const { return publish(image_publish{}); }

}  // namespace lxd
