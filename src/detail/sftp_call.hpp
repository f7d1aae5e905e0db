// src/detail/sftp_call.hpp — running file verbs over one SFTP session (files_sftp.cpp for
// single files, files_tree_sftp.cpp for whole trees).
#pragma once

#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "calls.hpp"
#include "../protocol/files.hpp"
#include "../transport/sftp_session.hpp"

namespace lxd::detail {

using transport::sftp_session;

/// Runs `body(session)` on the I/O thread over a new session to the instance of `base`;
/// the session is closed on every path. An error whose detail does not start with `path`
/// gets it.
template <class T, class Body>
T with_session(const client& c, const std::string& base, std::string_view path, Body body) {
    protocol::check_file_path(path);
    try {
        return core_of(c)->run([](core* co, http_request r, scope sc, Body& body) -> asio::awaitable<T> {
            auto s = co_await sftp_session::open(*co, std::move(r), std::move(sc));
            std::exception_ptr err;
            std::optional<T> out;
            try {
                out = co_await body(*s);
            } catch (...) {
                err = std::current_exception();
            }
            s->close();
            if (err) std::rethrow_exception(err);
            co_return std::move(*out);
        }(core_of(c).get(), protocol::file_sftp(base), scope_of(c), body));
    } catch (const error& e) {
        const auto& detail = e.diag().detail;
        if (detail.starts_with(path) && (detail.size() == path.size() || detail[path.size()] == ' ')) throw;   // names it already
        diagnostics d = e.diag();
        d.detail = d.detail.empty() ? "path " + std::string(path) : d.detail + " (path " + std::string(path) + ")";
        throw error(e.code_value(), std::move(d));
    }
}

using owner_ids = std::optional<std::pair<std::uint32_t, std::uint32_t>>;

/// True when `own` is given and is not root's (0:0, what the server creates).
bool not_root(const owner_ids& own);

/// MKDIR; true if it made `p`, false if `p` is already a directory; anything else at `p`
/// is refused with errc::conflict ("P exists and is not a directory").
asio::awaitable<bool> mkdir_or_directory(sftp_session& s, const std::string& p);

/// MKDIR (the servers ignore its attributes), then owner and mode as REST sets them; an
/// existing directory is kept and given them too (a tree push). Anything else at `p` is
/// refused with errc::conflict.
asio::awaitable<void> make_dir(sftp_session& s, const std::string& p, std::uint32_t mode, owner_ids own);

/// Creates the missing components of `dir` (0755), as mkdir -p. True if `dir` was missing.
asio::awaitable<bool> make_parents(sftp_session& s, const std::string& dir);

/// LXD's REST answers a relative link target joined to the link's directory, lexically.
inline std::string absolute_target(const std::string& link, const std::string& target) {
    if (!target.empty() && target[0] == '/') return target;
    return (std::filesystem::path(link).parent_path() / target).lexically_normal().string();
}

}  // namespace lxd::detail
