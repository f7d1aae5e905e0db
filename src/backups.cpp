// Instance backups over /1.0/instances/{name}/backups, and their import as a new instance:
// tarballs streamed both ways in constant memory.
#include <lxd/backups.hpp>
#include <lxd/instances.hpp>
#include <lxd/storage.hpp>

#include <cstdlib>
#include <istream>
#include <optional>
#include <ostream>

#include "detail/calls.hpp"
#include "detail/file_transfer.hpp"
#include "detail/local_file.hpp"
#include "detail/news.hpp"
#include "protocol/backups.hpp"
#include "protocol/storage.hpp"

namespace lxd {

namespace detail {
/// A backup handle's slot: the backup as re-read after its own rename (see news.hpp).
struct backup_news : value_news<api::backup> {};
}  // namespace detail

using namespace detail;

std::string backup_name(const api::operation_info& finished) {
    return protocol::decode_backup_name(finished.resources, finished.id);
}

backup::backup(client c, std::string instance_path, std::string instance_name, api::backup data)
    : client_(std::move(c)),
      base_(std::move(instance_path)),
      instance_(std::move(instance_name)),
      data_(std::move(data)),
      news_(std::make_shared<backup_news>()) {}

void backup::sync() const { news_->take(data_, seen_); }

void backup::refresh() {
    sync();
    auto [env, res] = call_sync(client_, protocol::backup_get(base_, data_.name));
    data_ = protocol::decode_backup(env.metadata, res.request_line);
}

operation backup::rename(std::string_view new_name) {
    sync();
    auto r = protocol::backup_rename(base_, data_.name, new_name);   // checks the new name
    auto learn = then_learn_value(news_, client_, protocol::backup_get(base_, new_name),
                                  [](const json::value& v, const std::string& rl) { return protocol::decode_backup(v, rl); });
    return as_operation(client_, call_sync(client_, std::move(r)), std::move(learn));
}

operation backup::remove() const {
    return as_operation(client_, call_sync(client_, protocol::backup_delete(base_, name())));
}

std::uint64_t backup::stream(const std::function<void(std::string_view)>& write, const backup_download& o) const {
    std::uint64_t total = 0, done = 0;
    auto on_headers = [&](const http_response& res) {
        auto len = res.field("content-length");
        if (!len.empty()) total = std::strtoull(std::string(len).c_str(), nullptr, 10);
        return res.status < 200 || res.status >= 300;   // keep an error's body, stream a tarball
    };
    auto sink = [&](std::string_view chunk) {
        check_stop(o.stop);
        write(chunk);
        done += chunk.size();
        if (o.progress) o.progress(done, total);
    };
    check_stop(o.stop);
    auto res = stream_sync(client_, protocol::backup_export(base_, name()), {.sink = sink, .keep_body = on_headers});
    check_answer(res);
    check_stop(o.stop);
    if (total && done != total)
        protocol::fail(errc::connection_lost,
                       "the backup ended after " + std::to_string(done) + " of " + std::to_string(total) + " bytes",
                       res.request_line);
    return done;
}

std::uint64_t backup::download(const std::string& path, const backup_download& o) const {
    local_writer out(path);
    auto n = stream([&](std::string_view chunk) { out.write(chunk); }, o);
    out.commit(0600);
    return n;
}

std::uint64_t backup::download(std::ostream& out, const backup_download& o) const {
    return stream([&](std::string_view chunk) {
        out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        if (!out) protocol::fail(errc::invalid_argument, "writing the backup to the stream failed");
    }, o);
}

std::vector<backup> backups::all() const {
    return get_list(client_, protocol::backup_list(base_), "backup list", [&](const json::value& v, const std::string& rl) {
        return backup(client_, base_, instance_, protocol::decode_backup(v, rl));
    });
}

backup backups::get(std::string_view name) const {
    auto [env, res] = call_sync(client_, protocol::backup_get(base_, name));
    return backup(client_, base_, instance_, protocol::decode_backup(env.metadata, res.request_line));
}

bool backups::exists(std::string_view name) const {
    return exists_by([&] { return get(name); });
}

operation backups::create(std::string_view name, const backup_create& o) const {
    auto r = protocol::backup_create(base_, {.name = std::string(name), .expires_at = o.expires_at,
                                             .instance_only = o.instance_only, .optimized_storage = o.optimized_storage,
                                             .compression_algorithm = o.compression_algorithm});   // checks the name
    if (!o.compression_algorithm.empty()) client_.assert_has_api_extension("backup_compression_algorithm");
    return as_operation(client_, call_sync(client_, std::move(r)));
}

lxd::backups instance::backups() const {
    sync();
    return lxd::backups(client_, protocol::instance_path(collection(client_), data_.name), data_.name);
}

// ---- import -----------------------------------------------------------------------------

namespace {

/// Uploads a tarball read by `read` (length `size`, or chunked when unknown) as a new instance.
operation import_stream(const client& c, http_request r, const backup_import& o, std::optional<std::uint64_t> size,
                        const std::function<std::size_t(char*, std::size_t)>& read) {
    check_stop(o.stop);
    std::uint64_t sent = 0;
    auto source = [&](char* buf, std::size_t cap) -> std::size_t {
        check_stop(o.stop);
        auto n = read(buf, cap);
        check_stop(o.stop);   // a read that ended because of the stop is not complete
        sent += n;
        if (o.progress && n) o.progress(sent, size.value_or(0));
        return n;
    };
    auto res = stream_sync(c, std::move(r), {.source = source, .length = size});
    check_answer(res);
    auto env = protocol::parse_envelope(res.status, res.content_type, res.body, res.request_line);
    return as_operation(c, {std::move(env), std::move(res)});
}

/// Uploads the file at `path` with `r` (an import request).
operation import_file(const client& c, http_request r, const std::string& path, const backup_import& o) {
    local_reader in(path);
    auto op = import_stream(c, std::move(r), o, in.size(), [&](char* buf, std::size_t cap) { return in.read(buf, cap); });
    in.check();
    return op;
}

}  // namespace

operation instances::import_backup(const std::string& path, const backup_import& o) const {
    return import_file(client_, protocol::backup_import(collection(client_), header_prefix(client_), o.name, o.pool), path, o);
}

// ---- custom volume backups ----------------------------------------------------------------

namespace {
constexpr const char* volume_backups = "custom_volume_backup";
}  // namespace

lxd::backups storage_volume::backups() const {
    client_.assert_has_api_extension(volume_backups);
    return lxd::backups(client_, protocol::storage_volume_path(pool_, data_.name), data_.name);
}

operation storage_volumes::import_backup(const std::string& path, const backup_import& o) const {
    client_.assert_has_api_extension(volume_backups);
    if (!o.pool.empty()) fail_invalid("a volume backup is imported into the manager's pool: backup_import::pool must be empty");
    return import_file(client_, protocol::storage_volume_import(pool_, header_prefix(client_), o.name), path, o);
}

operation instances::import_backup(std::istream& in, const backup_import& o) const {
    bool failed = false;
    auto op = import_stream(client_, protocol::backup_import(collection(client_), header_prefix(client_), o.name, o.pool), o, std::nullopt, [&](char* buf, std::size_t cap) -> std::size_t {
        if (!in.read(buf, static_cast<std::streamsize>(cap)) && !in.eof()) failed = true;
        return static_cast<std::size_t>(in.gcount());
    });
    if (failed) protocol::fail(errc::invalid_argument, "reading the backup from the stream failed");
    return op;
}

}  // namespace lxd
