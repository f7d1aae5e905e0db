// src/detail/sftp_call.hpp — running file verbs over one SFTP session (files_sftp.cpp for
// single files, files_tree_sftp.cpp for whole trees).
#pragma once

#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "calls.hpp"
#include "../protocol/files.hpp"
#include "../transport/sftp_session.hpp"

namespace lxd::detail {

using transport::sftp_session;

/// Runs `body(session)` on the I/O thread over a new session to the instance of `base`;
/// the session is closed on every path. An error that does not name `path` gets it.
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
        if (e.diag().detail == path) throw;
        diagnostics d = e.diag();
        d.detail = d.detail.empty() ? "path " + std::string(path) : d.detail + " (path " + std::string(path) + ")";
        throw error(e.code_value(), std::move(d));
    }
}

/// LXD's REST answers a relative link target joined to the link's directory, lexically.
inline std::string absolute_target(const std::string& link, const std::string& target) {
    if (!target.empty() && target[0] == '/') return target;
    return (std::filesystem::path(link).parent_path() / target).lexically_normal().string();
}

}  // namespace lxd::detail
