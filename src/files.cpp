// Files in an instance over /1.0/instances/{name}/files: streamed both ways, never held
// whole in memory unless the caller asks for the whole file.
#include <lxd/files.hpp>
#include <lxd/instances.hpp>

#include <algorithm>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detail/calls.hpp"
#include "detail/file_transfer.hpp"
#include "detail/files_sftp.hpp"

namespace lxd {

using namespace detail;

namespace {

using protocol::fail;

/// Runs `f`; an lxd::error from it names the file's path (the request line leaves the query
/// out, so "GET /1.0/instances/c/files" alone does not say which file).
template <class F>
auto with_path(std::string_view path, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const error& e) {
        diagnostics d = e.diag();
        d.detail = d.detail.empty() ? "path " + std::string(path) : d.detail + " (path " + std::string(path) + ")";
        throw error(e.code_value(), std::move(d));
    }
}

void check_file_answer(std::string_view path, const http_response& res) {
    with_path(path, [&] { check_answer(res); });
}

file_info info_from(const client& c, const http_response& res) {
    return protocol::decode_file_info(res.fields, lower_prefix(c), res.request_line);
}

/// An upload's body read from `in`: stops on o.stop (a read that ends because of the stop is
/// not complete either) and reports o.progress.
std::function<std::size_t(char*, std::size_t)> reader_source(local_reader& in, const put_options& o) {
    return [&in, &o, sent = std::uint64_t{0}](char* buf, std::size_t cap) mutable {
        check_stop(o.stop);
        auto n = in.read(buf, cap);
        check_stop(o.stop);
        sent += n;
        if (o.progress && n) o.progress(sent, in.size());
        return n;
    };
}

/// The upload request of `path` (protocol::file_push), with the extension `append` needs.
http_request push_request(const client& c, const std::string& base, std::string_view path, const put_options& o,
                          const char* type, std::string body = {}) {
    protocol::check_file_path(path);   // before header_prefix(), which may ask the server
    auto r = protocol::file_push(base, path, header_prefix(c), o, type, std::move(body));
    if (o.append) c.assert_has_api_extension("file_append");
    return r;
}

}  // namespace

void detail::apply_special_bits(const client& c, const std::string& base, std::string_view path, const put_options& o) {
    if (!o.mode || (*o.mode & 07000) == 0) return;
    auto name = protocol::last_segment(base.substr(0, base.rfind('/')));
    api::instance data;
    data.name = name;
    instance inst(c, std::move(data), "");
    char mode[16];
    std::snprintf(mode, sizeof mode, "%o", *o.mode & 07777);
    lxd::exec_result r;
    try {
        r = inst.execute({"chmod", mode, "--", std::string(path)});
    } catch (const error& e) {
        diagnostics d = e.diag();
        d.detail = "LXD 5.0 cannot set setuid/setgid/sticky bits itself, and running chmod in the instance failed"
                   " (is it running?)";
        throw error(errc::unsupported, std::move(d));
    }
    if (r.exit_code != 0) fail(errc::unsupported, "chmod " + std::string(mode) + " in the instance failed: " + r.err);
}

bool detail::upload_may_be_partial(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const error& x) {
        auto code = x.code_value();
        return code == errc::connection_lost || code == errc::timeout || code == errc::invalid_argument ||
               code == errc::operation_cancelled || code == errc::server_error || code == errc::protocol_error;
    } catch (...) {
        return true;   // any failure of ours (a source that threw) is mid-body
    }
}

detail::rest_files::rest_files(const client& c, std::string files_base)
    : co(core_of(c)), sc(scope_of(c)), base(std::move(files_base)), prefix(header_prefix(c)), lower(lower_prefix(c)) {}

asio::awaitable<file_info> detail::rest_get_file(const rest_files& r, const std::string& path,
                                                 const std::function<void(std::string_view)>& sink) {
    // Named, not a temporary in the co_await expression: GCC 12 destroys such a temporary
    // (a lambda with captures in a std::function) twice once the coroutine resumes.
    transfer t{.sink = sink, .keep_body = [type_header = r.lower + "type"](const http_response& a) {
                   auto type = a.field(type_header);
                   return !type.empty() && type != "file";
               }};
    auto req = protocol::file_get(r.base, path);
    auto res = co_await r.co->exchange_streaming(std::move(req), r.sc, std::move(t));
    check_file_answer(path, res);
    auto info = protocol::decode_file_info(res.fields, r.lower, res.request_line);
    if (info.type != api::file_type::file)
        fail(errc::invalid_argument, path + " is a " + std::string(to_string(info.type)) + ", not a file");
    co_return info;
}

asio::awaitable<void> detail::rest_put_file(const rest_files& r, http_request req, const std::string& path, local_reader& in,
                                            const put_options& o) {
    transfer t{.source = reader_source(in, o), .length = in.size()};
    auto res = co_await r.co->exchange_streaming(std::move(req), r.sc, std::move(t));
    in.check();
    check_file_answer(path, res);
}

namespace {

/// Runs an upload; if it fails after its bytes may have started to reach the server (see
/// upload_may_be_partial), the partial file is removed from the instance.
template <class Upload>
void guarded_upload(const lxd::files& f, const client& c, std::string_view path, const put_options& o, Upload&& upload) {
    try {
        upload();
    } catch (...) {
        if (upload_may_be_partial(std::current_exception()) && !o.append && c.has_api_extension("file_delete")) {
            try {
                f.remove(path);
            } catch (...) {
                // best effort: the upload's own error is the one to report
            }
        }
        throw;
    }
}

}  // namespace

lxd::files instance::files() const {
    sync();
    return lxd::files(client_, protocol::files_path(collection(client_), data_.name));
}

file_contents files::get(std::string_view path) const {
    if (use_sftp(client_)) return sftp_get_whole(client_, base_, path);
    auto res = exchange_sync(client_, protocol::file_get(base_, path));
    check_file_answer(path, res);
    file_contents out;
    out.info = info_from(client_, res);
    if (out.info.type == api::file_type::directory)
        out.entries = with_path(path, [&] { return protocol::decode_file_listing(res.status, res.content_type, res.body, res.request_line); });
    else if (out.info.type == api::file_type::symlink)
        out.target = std::move(res.body);
    else
        out.data = std::move(res.body);
    return out;
}

file_info files::get(std::string_view path, const std::function<void(std::string_view)>& sink) const {
    if (use_sftp(client_)) return sftp_get(client_, base_, path, sink);
    rest_files r(client_, base_);
    std::string p(path);
    return r.co->run(rest_get_file(r, p, sink));
}

file_info files::get_to_file(std::string_view path, const std::string& local_path, const get_options& o) const {
    local_writer out(local_path);
    std::uint64_t received = 0;
    auto info = get(path, [&](std::string_view chunk) {
        check_stop(o.stop);
        out.write(chunk);
        received += chunk.size();
        if (o.progress) o.progress(received);
    });
    check_stop(o.stop);
    out.commit(info.mode & (o.keep_special_bits ? 07777u : 0777u));
    return info;
}

void files::put(std::string_view path, std::string_view data, const put_options& o) const {
    if (use_sftp(client_)) {
        put(path, [&, at = std::size_t{0}](char* buf, std::size_t cap) mutable {
            auto n = std::min(cap, data.size() - at);
            std::memcpy(buf, data.data() + at, n);
            at += n;
            return n;
        }, o);
        return;
    }
    auto r = push_request(client_, base_, path, o, "file", std::string(data));
    check_stop(o.stop);
    guarded_upload(*this, client_, path, o, [&] {
        if (r.body.empty()) {
            // An empty body still needs a request body of length 0: stream it.
            auto res = stream_sync(client_, std::move(r), {.source = [](char*, std::size_t) { return std::size_t{0}; }, .length = 0});
            check_file_answer(path, res);
        } else {
            check_file_answer(path, exchange_sync(client_, std::move(r)));
        }
    });
    apply_special_bits(client_, base_, path, o);
}

void files::put(std::string_view path, const std::function<std::size_t(char*, std::size_t)>& source, const put_options& o) const {
    if (!source) fail(errc::invalid_argument, "put needs a source");
    if (use_sftp(client_)) {
        protocol::check_file_path(path);
        if (o.append) client_.assert_has_api_extension("file_append");
        guarded_upload(*this, client_, path, o, [&] {
            sftp_put(client_, base_, path, [&, sent = std::uint64_t{0}](char* buf, std::size_t cap) mutable {
                check_stop(o.stop);
                auto n = source(buf, cap);
                check_stop(o.stop);
                sent += std::min(n, cap);
                if (o.progress && n) o.progress(sent, 0);
                return n;
            }, o);
        });
        apply_special_bits(client_, base_, path, o);
        return;
    }
    auto r = push_request(client_, base_, path, o, "file");
    guarded_upload(*this, client_, path, o, [&] {
        check_file_answer(path, stream_sync(client_, std::move(r),
                                 {.source = [&, sent = std::uint64_t{0}](char* buf, std::size_t cap) mutable {
                                     check_stop(o.stop);
                                     auto n = source(buf, cap);
                                     check_stop(o.stop);   // a source that ends because of the stop is not complete
                                     sent += std::min(n, cap);
                                     if (o.progress && n) o.progress(sent, 0);
                                     return n;
                                 }}));
    });
    apply_special_bits(client_, base_, path, o);
}

void detail::check_stop(const std::stop_token& stop) {
    if (stop.stop_requested()) fail(errc::operation_cancelled, "the transfer was stopped");
}

/// Streams an opened local file to `path` (the mode defaults to the file's own).
void detail::put_reader(const lxd::files& f, const client& c, const std::string& base, std::string_view path,
                        local_reader& in, put_options o) {
    if (!o.mode) o.mode = in.mode();
    if (use_sftp(c)) {
        protocol::check_file_path(path);
        guarded_upload(f, c, path, o, [&] {
            sftp_put(c, base, path, reader_source(in, o), o);
            in.check();
        });
        apply_special_bits(c, base, path, o);
        return;
    }
    auto req = push_request(c, base, path, o, "file");
    rest_files r(c, base);
    std::string p(path);
    guarded_upload(f, c, path, o, [&] { r.co->run(rest_put_file(r, std::move(req), p, in, o)); });
    apply_special_bits(c, base, path, o);
}

void files::put_file(std::string_view path, const std::string& local_path, put_options o) const {
    local_reader in(local_path);
    put_reader(*this, client_, base_, path, in, std::move(o));
}

void files::mkdir(std::string_view path, const mkdir_options& o) const {
    protocol::check_file_path(path);
    if (use_sftp(client_)) return sftp_mkdir(client_, base_, path, o);
    if (o.parents) {
        std::string prefix;
        std::string_view rest = path;
        while (!rest.empty()) {
            auto slash = rest.find('/', 1);
            auto part = rest.substr(0, slash);
            prefix += std::string(part);
            rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
            if (rest.empty()) break;   // the last component is made below, with o's mode
            if (prefix != "/" && !exists(prefix)) mkdir(prefix, mkdir_options{.mode = 0755});
        }
        if (exists(path)) {
            if (stat(path).type != api::file_type::directory) fail(errc::conflict, std::string(path) + " exists and is not a directory");
            return;
        }
    }
    auto r = push_request(client_, base_, path, put_options{.mode = o.mode.value_or(0755), .uid = o.uid, .gid = o.gid}, "directory");
    auto res = stream_sync(client_, std::move(r), {.source = [](char*, std::size_t) { return std::size_t{0}; }, .length = 0});
    check_file_answer(path, res);
}

void files::symlink(std::string_view path, std::string_view target, const put_options& o) const {
    if (target.empty()) fail(errc::invalid_argument, "empty symlink target");
    client_.assert_has_api_extension("file_symlinks");
    // SETSTAT follows links over SFTP: a link owned by someone other than root goes over REST.
    if (use_sftp(client_) && o.uid.value_or(0) == 0 && o.gid.value_or(0) == 0) return sftp_symlink(client_, base_, path, target);
    auto r = push_request(client_, base_, path, put_options{.uid = o.uid, .gid = o.gid}, "symlink", std::string(target));
    check_file_answer(path, exchange_sync(client_, std::move(r)));
}

std::string files::readlink(std::string_view path) const {
    auto c = get(path);
    if (c.info.type != api::file_type::symlink) fail(errc::invalid_argument, std::string(path) + " is not a symlink");
    return c.target;
}

std::vector<std::string> files::list(std::string_view directory) const {
    auto c = get(directory);
    if (c.info.type != api::file_type::directory) fail(errc::invalid_argument, std::string(directory) + " is not a directory");
    return c.entries;
}

file_info files::stat(std::string_view path) const {
    if (use_sftp(client_)) return sftp_stat(client_, base_, path);
    if (client_.has_api_extension("instance_file_head")) {
        auto res = exchange_sync(client_, protocol::file_head(base_, path));
        if (res.status != 200) {
            // HEAD answers carry no body: map the status alone.
            fail(protocol::errc_for_http_status(res.status), std::string(path), res.request_line, {.http_status = res.status});
        }
        return info_from(client_, res);
    }
    return get(path).info;
}

bool files::exists(std::string_view path) const {
    return exists_by([&] { return stat(path); });
}

void files::remove(std::string_view path) const {
    client_.assert_has_api_extension("file_delete");
    if (use_sftp(client_)) return sftp_remove(client_, base_, path);
    check_file_answer(path, exchange_sync(client_, protocol::file_delete(base_, path)));
}

}  // namespace lxd
