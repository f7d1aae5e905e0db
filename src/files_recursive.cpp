// Recursive transfers between a local directory and an instance: the local tree is read
// through descriptors and the remote one listed and checked before anything is written.
// Over REST (servers without SFTP), one request per file with up to 8 files in flight as
// coroutines on the client's I/O thread (no thread per file); local reads and writes are
// small blocking chunks on that thread, as over SFTP.
#include <lxd/files.hpp>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>

#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detail/file_transfer.hpp"
#include "detail/files_sftp.hpp"
#include "detail/files_tree.hpp"
#include "protocol/entry_name.hpp"

namespace lxd {

using namespace detail;
namespace fs = std::filesystem;

using protocol::fail;

asio::awaitable<void> detail::in_flight(std::size_t count, unsigned parallel,
                                        std::function<asio::awaitable<void>(std::size_t)> job) {
    auto ex = co_await asio::this_coro::executor;
    std::size_t next = 0, running = 0;
    std::exception_ptr first;
    asio::steady_timer idle(ex, transport::clock::time_point::max());
    auto worker = [&]() -> asio::awaitable<void> {
        while (!first && next < count) {
            auto i = next++;
            try {
                co_await job(i);
            } catch (...) {
                if (!first) first = std::current_exception();
            }
        }
        if (--running == 0) idle.cancel();
    };
    running = std::min<std::size_t>(parallel, count);
    for (std::size_t w = 0, n = running; w < n; ++w) asio::co_spawn(ex, worker(), asio::detached);
    while (running > 0) {
        boost::system::error_code ec;
        co_await idle.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (first) std::rethrow_exception(first);
}

std::string detail::join(std::string_view dir, std::string_view name) {
    std::string out(dir);
    if (out.empty() || out.back() != '/') out.push_back('/');
    out += name;
    return out;
}

namespace {

/// True if `p` (lexically normalized) is `root` or below it.
bool inside(const fs::path& root, const fs::path& p) {
    auto r = root.lexically_normal(), q = p.lexically_normal();
    auto [a, b] = std::mismatch(r.begin(), r.end(), q.begin(), q.end());
    return a == r.end() || (std::next(a) == r.end() && a->empty());
}

/// Lists a local tree through descriptors (never following a symlink): directories in
/// pre-order (parents first), then files and links.
void walk_local(int dir_fd, const std::string& rel, const std::string& display_root, std::vector<local_entry>& dirs,
                std::vector<local_entry>& regular, std::vector<local_entry>& links) {
    unique_fd copy(::fcntl(dir_fd, F_DUPFD_CLOEXEC, 3));
    DIR* d = copy ? ::fdopendir(copy.get()) : nullptr;
    if (!d) fail(errc::invalid_argument, "cannot read directory " + display_root + "/" + rel);
    copy.release();   // owned by d now
    std::vector<std::string> names;
    while (auto* ent = ::readdir(d)) {
        std::string n = ent->d_name;
        if (n != "." && n != "..") names.push_back(std::move(n));
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (auto& n : names) {
        local_entry e{rel.empty() ? n : rel + "/" + n, {}, {}};
        if (::fstatat(dir_fd, n.c_str(), &e.st, AT_SYMLINK_NOFOLLOW) != 0)
            fail(errc::invalid_argument, "cannot stat " + display_root + "/" + e.rel);
        if (S_ISDIR(e.st.st_mode)) {
            unique_fd sub(::openat(dir_fd, n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!sub) fail(errc::invalid_argument, "refusing " + display_root + "/" + e.rel + ": it changed while being read");
            dirs.push_back(e);
            walk_local(sub.get(), e.rel, display_root, dirs, regular, links);
        } else if (S_ISREG(e.st.st_mode)) {
            regular.push_back(std::move(e));
        } else if (S_ISLNK(e.st.st_mode)) {
            std::vector<char> buf(static_cast<std::size_t>(std::max<off_t>(e.st.st_size, 255)) + 2);
            auto len = ::readlinkat(dir_fd, n.c_str(), buf.data(), buf.size());
            if (len < 0 || static_cast<std::size_t>(len) >= buf.size())
                fail(errc::invalid_argument, "cannot read symlink " + display_root + "/" + e.rel);
            e.link.assign(buf.data(), static_cast<std::size_t>(len));
            links.push_back(std::move(e));
        }   // sockets, fifos and devices are not files to copy
    }
}

std::vector<std::string> components(std::string_view p) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= p.size()) {
        auto slash = p.find('/', pos);
        auto c = p.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
        if (!c.empty()) out.emplace_back(c);
        if (slash == std::string_view::npos) break;
        pos = slash + 1;
    }
    return out;
}

/// Resolves the symlink at `link_rel` (relative to the tree's root) as the kernel would,
/// through the other symlinks of the same tree (`links`: relative path -> relative
/// target); true if the resolution never leaves the tree. Lexical checks are not enough:
/// with l2 -> . and l1 -> l2/.., "l1/../x" looks inside but is two levels above.
bool resolves_inside(const std::map<std::string, std::string>& links, const std::string& link_rel) {
    auto start = components(link_rel);
    if (start.empty()) return false;
    start.pop_back();   // the link's directory
    std::vector<std::string> stack = start;
    auto it0 = links.find(link_rel);
    if (it0 == links.end() || (!it0->second.empty() && it0->second.front() == '/')) return false;
    std::deque<std::string> todo;
    for (auto& c : components(it0->second)) todo.push_back(c);
    int expansions = 0;
    while (!todo.empty()) {
        auto c = std::move(todo.front());
        todo.pop_front();
        if (c == ".") continue;
        if (c == "..") {
            if (stack.empty()) return false;   // above the root
            stack.pop_back();
            continue;
        }
        stack.push_back(c);
        std::string key;
        for (auto& s : stack) key += (key.empty() ? "" : "/") + s;
        if (auto it = links.find(key); it != links.end()) {
            if (++expansions > 40) return false;   // a loop (the kernel gives up at 40 too)
            if (!it->second.empty() && it->second.front() == '/') return false;
            stack.pop_back();
            auto more = components(it->second);
            for (auto r = more.rbegin(); r != more.rend(); ++r) todo.push_front(*r);
        }
    }
    return true;
}

}  // namespace

std::string detail::relative_link_target(const std::string& link_target, const remote_node& n, const std::string& rroot) {
    auto target = fs::path(link_target);
    if (target.is_absolute()) {
        auto rel_to_tree = target.lexically_normal().lexically_relative(fs::path(rroot).lexically_normal());
        if (rel_to_tree.empty() || *rel_to_tree.begin() == "..")
            fail(errc::protocol_error, "refusing symlink " + n.remote + " -> " + target.string() + ": it leaves " + rroot);
        target = rel_to_tree.lexically_relative(fs::path(n.rel).parent_path());
        if (target.empty()) target = ".";
    }
    return target.string();
}

void detail::check_links_stay_inside(const remote_tree& t) {
    for (auto& l : t.links)
        if (!resolves_inside(t.link_map, l.rel))
            fail(errc::protocol_error, "refusing symlink " + l.remote + " -> " + l.target + ": it leaves the target");
}

namespace {

/// Lists `rdir` (at `rel` in the tree) and everything below it into `t`.
void list_remote(const lxd::files& f, const std::string& rroot, const std::string& rdir, const std::string& rel,
                 const recursive_options& o, remote_tree& t) {
    for (auto& name : f.list(rdir)) {
        check_stop(o.stop);
        protocol::check_entry_name(name, rdir);   // a malicious or confused server must not steer writes out
        remote_node n{rel.empty() ? name : rel + "/" + name, join(rdir, name), f.stat(join(rdir, name)), {}};
        if (n.info.type == api::file_type::directory) {
            t.dirs.push_back(n);
            list_remote(f, rroot, n.remote, n.rel, o, t);
        } else if (n.info.type == api::file_type::symlink) {
            n.target = relative_link_target(f.readlink(n.remote), n, rroot);
            t.link_map[n.rel] = n.target;
            t.links.push_back(std::move(n));
        } else {
            t.regular.push_back(std::move(n));
        }
    }
}

}  // namespace

void detail::make_local_dirs(const local_target& t, const std::vector<remote_node>& dirs, const std::stop_token& stop) {
    for (auto& d : dirs) {
        check_stop(stop);
        std::string name;
        auto pfd = t.parent_of(d.rel, name);
        if (::mkdirat(pfd.get(), name.c_str(), 0700) != 0 && errno != EEXIST)
            fail(errc::invalid_argument, "cannot create " + t.display(d.rel) + ": " + std::strerror(errno));
        (void)open_beneath(pfd.get(), name, true, t.display(d.rel));   // a directory, not a symlink to one
    }
}

namespace {

/// Files in flight over REST: one connection each, as many as the pool keeps.
constexpr unsigned rest_in_flight = 8;
unsigned rest_parallel(const recursive_options& o) { return std::clamp(o.parallel, 1u, rest_in_flight); }

/// One file into a temporary name beside its target, renamed into place once complete.
asio::awaitable<void> fetch_rest(const rest_files& r, const local_target& t, const remote_node& n, const std::stop_token& stop) {
    check_stop(stop);
    std::string name;
    auto pfd = t.parent_of(n.rel, name);
    local_writer out(pfd.get(), name, t.display(n.rel));
    std::function<void(std::string_view)> sink = [&](std::string_view chunk) {
        check_stop(stop);
        out.write(chunk);
    };
    auto info = co_await rest_get_file(r, n.remote, sink);
    check_stop(stop);
    std::optional<std::pair<std::uint32_t, std::uint32_t>> own;
    if (t.chown_ok) own = std::pair{info.uid, info.gid};
    out.commit(t.mode_of(info), own);
}

/// A REST put's files: what a failure left partial (removed again) and the modes with
/// setuid/setgid/sticky bits (set with chmod in the instance), both after the files.
struct rest_put {
    rest_files r;
    const local_tree& tree;
    std::string remote_dir;
    const recursive_options& o;
    std::vector<std::string> partial;
    std::vector<std::pair<std::string, std::uint32_t>> special;
    put_options options(const struct stat& st, put_options p) const {
        if (o.preserve_owner) { p.uid = st.st_uid; p.gid = st.st_gid; }
        p.stop = o.stop;
        return p;
    }
};

asio::awaitable<void> send_rest(rest_put& x, const local_entry& f) {
    check_stop(x.o.stop);
    // Opened now, component by component without following symlinks: what is sent is
    // what is in the tree at this moment, or nothing.
    auto display = (x.tree.root / f.rel).string();
    local_reader in(open_beneath(x.tree.root_fd.get(), f.rel, false, display), display);
    auto p = join(x.remote_dir, f.rel);
    auto po = x.options(f.st, {.mode = in.mode()});
    protocol::check_file_path(p);
    auto req = protocol::file_push(x.r.base, p, x.r.prefix, po, "file", {});
    try {
        co_await rest_put_file(x.r, std::move(req), p, in, po);
    } catch (...) {
        if (upload_may_be_partial(std::current_exception())) x.partial.push_back(p);
        throw;
    }
    if (in.mode() & 07000) x.special.emplace_back(p, in.mode());
}

/// Every regular file of the tree, up to rest_parallel(o) in flight; on failure the partial
/// files are removed (best effort) before the first error is rethrown.
void rest_put_files(const lxd::files& f, const client& c, rest_put& x) {
    try {
        x.r.co->run(in_flight(x.tree.regular.size(), rest_parallel(x.o),
                              [&](std::size_t i) { return send_rest(x, x.tree.regular[i]); }));
    } catch (...) {
        for (auto& p : x.partial) {
            try {
                if (c.has_api_extension("file_delete")) f.remove(p);
            } catch (...) {   // best effort: the transfer's own error is the one to report
            }
        }
        throw;
    }
    for (auto& [p, mode] : x.special) apply_special_bits(c, x.r.base, p, put_options{.mode = mode});
}

/// Made under a temporary name and renamed into place: an existing link is replaced.
void make_local_link(const local_target& t, const remote_node& l) {
    std::string name;
    auto pfd = t.parent_of(l.rel, name);
    auto temp = "." + name.substr(0, 200) + ".lxdpp-link";
    ::unlinkat(pfd.get(), temp.c_str(), 0);
    if (::symlinkat(l.target.c_str(), pfd.get(), temp.c_str()) != 0)
        fail(errc::invalid_argument, "cannot create symlink " + t.display(l.rel) + ": " + std::strerror(errno));
    if (t.chown_ok) (void)::fchownat(pfd.get(), temp.c_str(), l.info.uid, l.info.gid, AT_SYMLINK_NOFOLLOW);
    if (::renameat(pfd.get(), temp.c_str(), pfd.get(), name.c_str()) != 0) {
        int e = errno;
        ::unlinkat(pfd.get(), temp.c_str(), 0);
        fail(errc::invalid_argument, "cannot create symlink " + t.display(l.rel) + ": " + std::strerror(e));
    }
}

}  // namespace

void detail::local_target::open_root() {
    fs::create_directories(root);
    root_fd = unique_fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root_fd) fail(errc::invalid_argument, "cannot open " + root.string());
}

void detail::finish_local_tree(const local_target& t, const remote_tree& tree, const std::stop_token& stop) {
    for (auto& l : tree.links) {
        check_stop(stop);
        make_local_link(t, l);
    }
    // Directory owners and modes last, deepest first, so a read-only directory could still be filled.
    for (auto it = tree.dirs.rbegin(); it != tree.dirs.rend(); ++it) {
        auto fd = open_beneath(t.root_fd.get(), it->rel, true, t.display(it->rel));
        if (t.chown_ok) (void)::fchown(fd.get(), it->info.uid, it->info.gid);
        ::fchmod(fd.get(), t.mode_of(it->info));
    }
}

detail::local_tree::local_tree(const std::string& local_dir) : root(fs::absolute(local_dir).lexically_normal()) {
    root_fd = unique_fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!root_fd) fail(errc::invalid_argument, local_dir + " is not a directory");
    // Walk and check everything first: a refused entry must leave the remote side untouched.
    walk_local(root_fd.get(), "", root.string(), dirs, regular, links);
    for (auto& l : links) {
        fs::path target(l.link);
        auto resolved = target.is_absolute() ? target : (root / l.rel).parent_path() / target;
        if (!inside(root, resolved))
            fail(errc::invalid_argument, "refusing symlink " + (root / l.rel).string() + " -> " + l.link + ": it leaves " + root.string());
    }
}

void files::recursive_put(const std::string& local_dir, std::string_view remote_dir, const recursive_options& o) const {
    local_tree tree(local_dir);
    if (use_sftp(client_)) return sftp_tree_put(*this, client_, base_, std::string(remote_dir), tree, o);
    rest_put x{rest_files(client_, base_), tree, std::string(remote_dir), o, {}, {}};
    check_stop(o.stop);
    if (!exists(remote_dir)) mkdir(remote_dir, {.mode = 0755, .parents = true});
    for (auto& d : tree.dirs) {   // pre-order: parents first
        check_stop(o.stop);
        auto p = x.options(d.st, {});
        mkdir(join(remote_dir, d.rel), {.mode = d.st.st_mode & 07777, .uid = p.uid, .gid = p.gid});
    }
    rest_put_files(*this, client_, x);
    for (auto& l : tree.links) {
        check_stop(o.stop);
        symlink(join(remote_dir, l.rel), l.link, x.options(l.st, {}));
    }
}

void files::recursive_get(std::string_view remote_dir, const std::string& local_dir, const recursive_options& o) const {
    const std::string rroot(remote_dir);
    local_target t{fs::absolute(local_dir).lexically_normal(), {}, o.preserve_owner && ::geteuid() == 0, o.keep_special_bits};
    if (use_sftp(client_)) {
        auto tree = sftp_tree_get(client_, base_, rroot, o, t, [&](const remote_tree& listed) {
            check_links_stay_inside(listed);
            t.open_root();
            make_local_dirs(t, listed.dirs, o.stop);
        });
        finish_local_tree(t, tree, o.stop);
        return;
    }
    // 1. List and check the whole remote tree: nothing is written if anything is refused.
    remote_tree tree;
    list_remote(*this, rroot, rroot, "", o, tree);
    check_links_stay_inside(tree);

    // 2. Write, every path relative to its parent's descriptor, never through a symlink.
    t.open_root();
    make_local_dirs(t, tree.dirs, o.stop);
    rest_files r(client_, base_);
    r.co->run(in_flight(tree.regular.size(), rest_parallel(o), [&](std::size_t i) { return fetch_rest(r, t, tree.regular[i], o.stop); }));
    finish_local_tree(t, tree, o.stop);
}

}  // namespace lxd
