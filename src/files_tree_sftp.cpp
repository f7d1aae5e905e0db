// Whole trees over ONE SFTP session per call: the tree is listed and checked, then
// o.parallel files are in flight at once as coroutines on the client's I/O thread (no thread
// per file). Each file's window is cut so that the session's total stays bounded whatever
// the tree. The session is closed when the call ends: an open one blocks the instance's
// start/stop on the server.
#include <algorithm>
#include <exception>

#include "detail/file_transfer.hpp"
#include "detail/files_sftp.hpp"
#include "detail/files_tree.hpp"
#include "protocol/entry_name.hpp"
#include "detail/sftp_call.hpp"

namespace lxd::detail {

namespace sftp = protocol::sftp;
using protocol::fail;

namespace {

unsigned files_in_flight(const recursive_options& o) { return std::clamp(o.parallel, 1u, 64u); }

/// Per-file windows so that all files in flight together stay under about 8 MiB of READs
/// and 4 MiB of WRITEs.
void tune(sftp_session& s, const recursive_options& o) {
    auto p = files_in_flight(o);
    s.read_window = std::clamp(256u / p, 2u, 64u);
    s.write_window = std::clamp(32u / p, 2u, 8u);
}

// ---- get -----------------------------------------------------------------------------------

/// Lists `rdir` (at `rel` in the tree) and everything below it into `t`; READDIR carries
/// each entry's LSTAT attributes, so only symlinks cost one more request (READLINK).
asio::awaitable<void> list_tree(sftp_session& s, const std::string& rroot, const std::string& rdir,
                                const std::string& rel, const recursive_options& o, remote_tree& t) {
    for (auto& e : co_await s.list(rdir)) {
        check_stop(o.stop);
        protocol::check_entry_name(e.name, rdir);   // a malicious or confused server must not steer writes out
        remote_node n{rel.empty() ? e.name : rel + "/" + e.name, join(rdir, e.name), sftp::info_of(e.attrs), {},
                      e.attrs.size.value_or(0)};
        if (n.info.type == api::file_type::directory) {
            t.dirs.push_back(n);
            co_await list_tree(s, rroot, n.remote, n.rel, o, t);
        } else if (n.info.type == api::file_type::symlink) {
            n.target = relative_link_target(absolute_target(n.remote, co_await s.readlink(n.remote)), n, rroot);
            t.link_map[n.rel] = n.target;
            t.links.push_back(std::move(n));
        } else if (n.info.type == api::file_type::file) {
            t.regular.push_back(std::move(n));
        }   // fifos, sockets and devices are not files to copy
    }
}

/// One file into a temporary name beside its target, renamed into place once complete.
asio::awaitable<void> fetch(sftp_session& s, const local_target& t, const remote_node& n, const recursive_options& o) {
    check_stop(o.stop);
    std::string name;
    auto pfd = t.parent_of(n.rel, name);
    local_writer out(pfd.get(), name, t.display(n.rel));
    auto h = co_await s.open_file(n.remote, sftp::open_read);
    std::exception_ptr err;
    try {
        co_await s.read_file(h, n.size, [&](std::string_view chunk) {
            check_stop(o.stop);
            out.write(chunk);
        }, n.remote);
    } catch (...) {
        err = std::current_exception();
    }
    if (err) {
        try {
            co_await s.close_handle(h, n.remote);
        } catch (...) {   // the transfer's own error is the one to report
        }
        std::rethrow_exception(err);
    }
    co_await s.close_handle(h, n.remote);
    check_stop(o.stop);
    std::optional<std::pair<std::uint32_t, std::uint32_t>> own;
    if (t.chown_ok) own = std::pair{n.info.uid, n.info.gid};
    out.commit(t.mode_of(n.info), own);
}

asio::awaitable<remote_tree> get_tree(sftp_session& s, const std::string& rroot, const recursive_options& o,
                                      const local_target& t, const std::function<void(const remote_tree&)>& prepare) {
    tune(s, o);
    auto root = co_await s.lstat(rroot, true);
    if (!root) fail(errc::not_found, rroot, "SFTP STAT");
    if (sftp::info_of(*root).type != api::file_type::directory) fail(errc::invalid_argument, rroot + " is not a directory");
    remote_tree tree;
    co_await list_tree(s, rroot, rroot, "", o, tree);
    prepare(tree);   // checks, then the local root and directories
    co_await in_flight(tree.regular.size(), files_in_flight(o),
                       [&](std::size_t i) { return fetch(s, t, tree.regular[i], o); });
    co_return tree;
}

// ---- put -----------------------------------------------------------------------------------

/// What a put learns along the way, for after the session: files left partial by a
/// failure (removed again), modes with setuid/setgid/sticky bits (which SETSTAT drops:
/// set with chmod in the instance), symlinks whose owner SFTP cannot set.
struct put_state {
    const local_tree& tree;
    std::string remote_dir;
    const recursive_options& o;
    bool fresh = false;   // remote_dir was made by this put: nothing in it can exist yet
    std::vector<std::string> partial;
    std::vector<std::pair<std::string, std::uint32_t>> special;
    std::vector<const local_entry*> rest_links;
    std::string remote(const std::string& rel) const { return join(remote_dir, rel); }
    std::optional<std::pair<std::uint32_t, std::uint32_t>> owner(const struct stat& st) const {
        if (!o.preserve_owner) return std::nullopt;
        return std::pair{st.st_uid, st.st_gid};
    }
};

/// One file as REST sends it: created (or truncated) and written; owner and mode only when
/// it is new, on the open handle, owner first (chown clears setuid bits).
asio::awaitable<void> send_file(sftp_session& s, put_state& x, const local_entry& f) {
    check_stop(x.o.stop);
    auto display = (x.tree.root / f.rel).string();
    local_reader in(open_beneath(x.tree.root_fd.get(), f.rel, false, display), display);
    auto p = x.remote(f.rel);
    bool existed = !x.fresh && (co_await s.lstat(p, true)).has_value();
    // Partial from the OPEN on (it creates or truncates), even if its answer never arrives.
    x.partial.push_back(p);
    auto h = co_await s.open_file(p, sftp::open_write | sftp::open_creat | sftp::open_trunc);
    std::exception_ptr err;
    try {
        co_await s.write_file(h, 0, [&](char* buf, std::size_t cap) {
            check_stop(x.o.stop);
            auto n = in.read(buf, cap);
            check_stop(x.o.stop);
            return n;
        }, p);
        in.check();
        auto own = x.owner(f.st);
        if (!existed && not_root(own))
            co_await s.status_call(sftp::type::fsetstat, h, p, sftp::attributes{.uid = own->first, .gid = own->second});
        if (!existed) co_await s.status_call(sftp::type::fsetstat, h, p, sftp::attributes{.permissions = in.mode()});
    } catch (...) {
        err = std::current_exception();
    }
    if (err) {
        try {
            co_await s.close_handle(h, p);
        } catch (...) {   // the transfer's own error is the one to report
        }
        std::rethrow_exception(err);
    }
    co_await s.close_handle(h, p);
    std::erase(x.partial, p);   // complete
    if (!existed && (in.mode() & 07000)) x.special.emplace_back(p, in.mode());
}

asio::awaitable<void> put_tree(sftp_session& s, put_state& x) {
    tune(s, x.o);
    check_stop(x.o.stop);
    x.fresh = co_await make_parents(s, x.remote_dir);
    for (auto& d : x.tree.dirs) {   // pre-order: parents first
        check_stop(x.o.stop);
        co_await make_dir(s, x.remote(d.rel), d.st.st_mode & 07777, x.owner(d.st));
    }
    co_await in_flight(x.tree.regular.size(), files_in_flight(x.o),
                       [&](std::size_t i) { return send_file(s, x, x.tree.regular[i]); });
    for (auto& l : x.tree.links) {
        check_stop(x.o.stop);
        // SETSTAT follows links: a link that must not belong to root is made over REST.
        if (not_root(x.owner(l.st))) x.rest_links.push_back(&l);
        else co_await s.symlink(l.link, x.remote(l.rel));   // SYMLINK takes the target first
    }
}

}  // namespace

bool not_root(const std::optional<std::pair<std::uint32_t, std::uint32_t>>& own) {
    return own && (own->first != 0 || own->second != 0);
}

asio::awaitable<bool> mkdir_or_directory(sftp_session& s, const std::string& p) {
    bool exists = false;
    try {
        co_await s.status_call(sftp::type::mkdir, p, p, sftp::attributes{});
    } catch (const error& e) {
        if (e.code_value() != errc::conflict) throw;
        exists = true;
    }
    if (exists) {
        auto a = co_await s.lstat(p);
        if (!a || sftp::info_of(*a).type != api::file_type::directory) fail(errc::conflict, p + " exists and is not a directory");
    }
    co_return !exists;
}

asio::awaitable<void> make_dir(sftp_session& s, const std::string& p, std::uint32_t mode,
                               std::optional<std::pair<std::uint32_t, std::uint32_t>> own) {
    (void)co_await mkdir_or_directory(s, p);
    if (not_root(own)) co_await s.status_call(sftp::type::setstat, p, p, sftp::attributes{.uid = own->first, .gid = own->second});
    co_await s.status_call(sftp::type::setstat, p, p, sftp::attributes{.permissions = mode & 07777});
}

asio::awaitable<bool> make_parents(sftp_session& s, const std::string& dir) {
    if (co_await s.lstat(dir, true)) co_return false;
    for (std::size_t pos = 1; pos <= dir.size(); ++pos) {
        if (pos != dir.size() && dir[pos] != '/') continue;
        auto prefix = dir.substr(0, pos);
        if (!(co_await s.lstat(prefix, true))) co_await make_dir(s, prefix, 0755, std::nullopt);
    }
    co_return true;
}

remote_tree sftp_tree_get(const client& c, const std::string& base, const std::string& rroot, const recursive_options& o,
                          local_target& t, const std::function<void(const remote_tree&)>& prepare) {
    return with_session<remote_tree>(c, base, rroot, [&](sftp_session& s) { return get_tree(s, rroot, o, t, prepare); });
}

void sftp_tree_put(const lxd::files& f, const client& c, const std::string& base, const std::string& remote_dir,
                   const local_tree& tree, const recursive_options& o) {
    put_state x{tree, remote_dir, o};
    try {
        (void)with_session<int>(c, base, remote_dir, [&](sftp_session& s) -> asio::awaitable<int> {
            co_await put_tree(s, x);
            co_return 0;
        });
    } catch (...) {
        for (auto& p : x.partial) {
            try {
                f.remove(p);
            } catch (...) {   // best effort: the transfer's own error is the one to report
            }
        }
        throw;
    }
    for (auto& [p, mode] : x.special) apply_special_bits(c, base, p, put_options{.mode = mode});
    for (auto* l : x.rest_links) {
        check_stop(o.stop);
        auto own = x.owner(l->st);
        f.symlink(x.remote(l->rel), l->link, put_options{.uid = own->first, .gid = own->second});
    }
}

}  // namespace lxd::detail
