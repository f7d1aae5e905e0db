// File verbs over SFTP: one session per call, closed when the call ends (an open session
// blocks the instance's start/stop/snapshot on the server).
#include "detail/files_sftp.hpp"
#include "detail/sftp_call.hpp"

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "detail/calls.hpp"
#include "protocol/files.hpp"
#include "protocol/sftp.hpp"
#include "transport/sftp_session.hpp"

namespace lxd::detail {

namespace sftp = protocol::sftp;
using transport::sftp_session;
using protocol::fail;

namespace {

/// LSTAT that must find the path (errc::not_found naming it otherwise).
asio::awaitable<sftp::attributes> must_lstat(sftp_session& s, const std::string& p) {
    auto a = co_await s.lstat(p);
    if (!a) fail(errc::not_found, p, "SFTP LSTAT");
    co_return *a;
}

/// As REST reports it: no setuid/setgid/sticky bits.
file_info rest_like(const sftp::attributes& a) {
    auto i = sftp::info_of(a);
    i.mode &= 0777;
    return i;
}

asio::awaitable<file_info> read_into(sftp_session& s, std::string p, const std::function<void(std::string_view)>& sink) {
    auto a = co_await must_lstat(s, p);
    auto info = rest_like(a);
    if (info.type != api::file_type::file) fail(errc::invalid_argument, p + " is a " + std::string(to_string(info.type)) + ", not a file");
    auto h = co_await s.open_file(p, sftp::open_read);
    co_await s.read_file(h, a.size.value_or(0), sink, p);
    co_await s.close_handle(h, p);
    co_return info;
}

}  // namespace

bool use_sftp(const client& c) {
    if (const char* t = std::getenv("LXDPP_FILE_TRANSPORT"); t && std::string_view(t) == "rest") return false;
    return c.server_flavour() == flavour::incus || c.has_api_extension("metrics_authentication");
}

file_info sftp_get(const client& c, const std::string& base, std::string_view path,
                   const std::function<void(std::string_view)>& sink) {
    return with_session<file_info>(c, base, path, [&](sftp_session& s) { return read_into(s, std::string(path), sink); });
}

file_contents sftp_get_whole(const client& c, const std::string& base, std::string_view path) {
    return with_session<file_contents>(c, base, path, [&](sftp_session& s) -> asio::awaitable<file_contents> {
        std::string p(path);
        file_contents out;
        auto a = co_await must_lstat(s, p);
        out.info = rest_like(a);
        if (out.info.type == api::file_type::directory) {
            for (auto& e : co_await s.list(p)) out.entries.push_back(std::move(e.name));
        } else if (out.info.type == api::file_type::symlink) {
            out.target = absolute_target(p, co_await s.readlink(p));
        } else {
            out.info = co_await read_into(s, p, [&](std::string_view d) { out.data.append(d); });
        }
        co_return out;
    });
}

void sftp_put(const client& c, const std::string& base, std::string_view path,
              const std::function<std::size_t(char*, std::size_t)>& source, const put_options& o) {
    (void)with_session<int>(c, base, path, [&](sftp_session& s) -> asio::awaitable<int> {
        std::string p(path);
        bool existed = (co_await s.lstat(p, true)).has_value();
        if (o.append && !existed) fail(errc::not_found, p, "SFTP STAT");
        auto h = co_await s.open_file(p, sftp::open_write | (o.append ? 0 : sftp::open_creat | sftp::open_trunc));
        std::uint64_t offset = 0;
        if (o.append) offset = (co_await s.fstat(h, p)).size.value_or(0);
        co_await s.write_file(h, offset, source, p);
        if (!existed) {
            // On the open descriptor (fchown, fchmod), owner first: chown clears setuid bits.
            if (o.uid || o.gid) co_await s.status_call(sftp::type::fsetstat, h, p, sftp::attributes{.uid = o.uid, .gid = o.gid});
            if (o.mode) co_await s.status_call(sftp::type::fsetstat, h, p, sftp::attributes{.permissions = *o.mode & 07777});
        }
        co_await s.close_handle(h, p);
        co_return 0;
    });
}

file_info sftp_stat(const client& c, const std::string& base, std::string_view path) {
    return with_session<file_info>(c, base, path, [&](sftp_session& s) -> asio::awaitable<file_info> {
        co_return rest_like(co_await must_lstat(s, std::string(path)));
    });
}

void sftp_mkdir(const client& c, const std::string& base, std::string_view path, const mkdir_options& o) {
    (void)with_session<int>(c, base, path, [&](sftp_session& s) -> asio::awaitable<int> {
        std::string p(path);
        if (o.parents) {
            if (auto a = co_await s.lstat(p, true)) {
                if (sftp::info_of(*a).type != api::file_type::directory) fail(errc::conflict, p + " exists and is not a directory");
                co_return 0;   // as mkdir -p: an existing directory is kept as it is
            }
            auto parent = std::filesystem::path(p).parent_path().string();
            if (parent.size() > 1) (void)co_await make_parents(s, parent);
        }
        // REST keeps an existing directory unchanged; anything else at the path is refused.
        if (!co_await mkdir_or_directory(s, p)) co_return 0;
        // The servers ignore MKDIR's attributes: owner, then mode as REST sets them (no
        // setuid/setgid/sticky bits on a directory made over REST either).
        if (o.uid || o.gid) {
            auto a = co_await must_lstat(s, p);
            co_await s.status_call(sftp::type::setstat, p, p,
                                   sftp::attributes{.uid = o.uid ? *o.uid : a.uid.value_or(0), .gid = o.gid ? *o.gid : a.gid.value_or(0)});
        }
        co_await s.status_call(sftp::type::setstat, p, p, sftp::attributes{.permissions = o.mode.value_or(0755) & 0777});
        co_return 0;
    });
}

void sftp_symlink(const client& c, const std::string& base, std::string_view path, std::string_view target) {
    (void)with_session<int>(c, base, path, [&](sftp_session& s) -> asio::awaitable<int> {
        co_await s.symlink(std::string(target), std::string(path));   // SYMLINK takes the target first
        co_return 0;
    });
}

void sftp_remove(const client& c, const std::string& base, std::string_view path) {
    (void)with_session<int>(c, base, path, [&](sftp_session& s) -> asio::awaitable<int> {
        std::string p(path);
        auto a = co_await must_lstat(s, p);
        bool dir = sftp::info_of(a).type == api::file_type::directory;
        co_await s.status_call(dir ? sftp::type::rmdir : sftp::type::remove, p, p);
        co_return 0;
    });
}

}  // namespace lxd::detail
