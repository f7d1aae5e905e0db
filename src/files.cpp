// Files in an instance over /1.0/instances/{name}/files: streamed both ways, never held
// whole in memory unless the caller asks for the whole file.
#include <lxd/files.hpp>
#include <lxd/instances.hpp>

#include <atomic>
#include <deque>
#include <map>
#include <filesystem>
#include <mutex>
#include <thread>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detail/calls.hpp"
#include "detail/local_file.hpp"

namespace lxd {

using namespace detail;
namespace fs = std::filesystem;

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
    auto pre = lower_prefix(c);
    file_info i;
    auto num = [&](const char* name, int base) -> std::uint32_t {
        auto v = res.field(pre + name);
        if (v.empty()) return 0;
        try {
            return static_cast<std::uint32_t>(std::stoul(v, nullptr, base));
        } catch (...) {
            protocol::fail_protocol(res.request_line, "bad " + std::string(name) + " header: " + v);
        }
    };
    i.uid = num("uid", 10);
    i.gid = num("gid", 10);
    i.mode = num("mode", 8);
    i.type = res.field(pre + "type");
    if (i.type.empty()) i.type = "file";
    return i;
}

/// The upload request of `path` (protocol::file_push), with the extension `append` needs.
http_request push_request(const client& c, const std::string& base, std::string_view path, const put_options& o,
                          const char* type, std::string body = {}) {
    protocol::check_file_path(path);   // before header_prefix(), which may ask the server
    auto r = protocol::file_push(base, path, header_prefix(c), o, type, std::move(body));
    if (o.append) c.assert_has_api_extension("file_append");
    return r;
}

/// Throws for any answer that is not success.
std::vector<std::string> decode_listing(const http_response& res) {
    auto env = protocol::parse_envelope(res.status, res.content_type, res.body, res.request_line);
    std::vector<std::string> out;
    if (env.metadata.is_null()) return out;
    if (!env.metadata.is_array()) protocol::fail_protocol(res.request_line, "directory listing is not an array");
    for (auto& v : env.metadata.get_array()) {
        if (!v.is_string()) protocol::fail_protocol(res.request_line, "directory entry is not a string");
        out.emplace_back(v.get_string());
    }
    return out;
}

std::string join(std::string_view dir, std::string_view name) {
    std::string out(dir);
    if (out.empty() || out.back() != '/') out.push_back('/');
    out += name;
    return out;
}

/// True if `p` (lexically normalized) is `root` or below it.
bool inside(const fs::path& root, const fs::path& p) {
    auto r = root.lexically_normal(), q = p.lexically_normal();
    auto [a, b] = std::mismatch(r.begin(), r.end(), q.begin(), q.end());
    return a == r.end() || (std::next(a) == r.end() && a->empty());
}

/// Runs jobs on `parallel` threads (each job makes synchronous calls; the client's I/O
/// thread multiplexes them). The first failure is rethrown after all threads stop.
void run_parallel(std::size_t count, unsigned parallel, const std::function<void(std::size_t)>& job) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr first;
    std::mutex mu;
    auto worker = [&] {
        for (;;) {
            {
                std::lock_guard lk(mu);
                if (first) return;
            }
            auto i = next++;
            if (i >= count) return;
            try {
                job(i);
            } catch (...) {
                std::lock_guard lk(mu);
                if (!first) first = std::current_exception();
            }
        }
    };
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < std::max(1u, parallel) && t < count; ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    if (first) std::rethrow_exception(first);
}

/// LXD 5.0 drops the setuid, setgid and sticky bits of X-LXD-mode (Go's FileMode keeps
/// them elsewhere). When they are asked for, set them with chmod inside the instance.
void apply_special_bits(const client& c, const std::string& base, std::string_view path, const put_options& o) {
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

void check_stop(const std::stop_token& stop) {
    if (stop.stop_requested()) fail(errc::operation_cancelled, "the transfer was stopped");
}

/// Runs an upload; if it fails after its bytes may have started to reach the server (the
/// connection broke, the source failed or changed, a stop, a server-side failure), the
/// partial file is removed from the instance. A refusal (4xx) is the server's decision
/// about a file it did not write: nothing is removed then.
template <class Upload>
void guarded_upload(const lxd::files& f, const client& c, std::string_view path, const put_options& o, Upload&& upload) {
    try {
        upload();
    } catch (...) {
        bool partial = true;   // any failure of ours (a source that threw, a stop) is mid-body
        try {
            throw;
        } catch (const error& e) {
            auto code = e.code_value();
            partial = code == errc::connection_lost || code == errc::timeout || code == errc::invalid_argument ||
                      code == errc::operation_cancelled || code == errc::server_error || code == errc::protocol_error;
        } catch (...) {
        }
        if (partial && !o.append && c.has_api_extension("file_delete")) {
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
    auto res = exchange_sync(client_, protocol::file_get(base_, path));
    check_file_answer(path, res);
    file_contents out;
    out.info = info_from(client_, res);
    if (out.info.type == "directory")
        out.entries = with_path(path, [&] { return decode_listing(res); });
    else if (out.info.type == "symlink")
        out.target = std::move(res.body);
    else
        out.data = std::move(res.body);
    return out;
}

file_info files::get(std::string_view path, const std::function<void(std::string_view)>& sink) const {
    std::string type_header = lower_prefix(client_) + "type";
    auto res = stream_sync(client_, protocol::file_get(base_, path),
                           {.sink = sink, .keep_body = [type_header](const http_response& r) {
                                auto t = r.field(type_header);
                                return !t.empty() && t != "file";
                            }});
    check_file_answer(path, res);
    auto info = info_from(client_, res);
    if (info.type != "file") fail(errc::invalid_argument, std::string(path) + " is a " + info.type + ", not a file");
    return info;
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

namespace {
/// Streams an opened local file to `path` (the mode defaults to the file's own).
void put_reader(const lxd::files& f, const client& c, const std::string& base, std::string_view path, local_reader& in,
                put_options o) {
    if (!o.mode) o.mode = in.mode();
    auto r = push_request(c, base, path, o, "file");
    guarded_upload(f, c, path, o, [&] {
        std::uint64_t sent = 0;
        auto res = stream_sync(c, std::move(r),
                               {.source = [&](char* buf, std::size_t cap) {
                                   check_stop(o.stop);
                                   auto n = in.read(buf, cap);
                                   check_stop(o.stop);
                                   sent += n;
                                   if (o.progress && n) o.progress(sent, in.size());
                                   return n;
                               },
                               .length = in.size()});
        in.check();
        check_file_answer(path, res);
    });
    apply_special_bits(c, base, path, o);
}
}  // namespace

void files::put_file(std::string_view path, const std::string& local_path, put_options o) const {
    local_reader in(local_path);
    put_reader(*this, client_, base_, path, in, std::move(o));
}

void files::mkdir(std::string_view path, const mkdir_options& o) const {
    protocol::check_file_path(path);
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
            if (stat(path).type != "directory") fail(errc::conflict, std::string(path) + " exists and is not a directory");
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
    auto r = push_request(client_, base_, path, put_options{.uid = o.uid, .gid = o.gid}, "symlink", std::string(target));
    check_file_answer(path, exchange_sync(client_, std::move(r)));
}

std::string files::readlink(std::string_view path) const {
    auto c = get(path);
    if (c.info.type != "symlink") fail(errc::invalid_argument, std::string(path) + " is not a symlink");
    return c.target;
}

std::vector<std::string> files::list(std::string_view directory) const {
    auto c = get(directory);
    if (c.info.type != "directory") fail(errc::invalid_argument, std::string(directory) + " is not a directory");
    return c.entries;
}

file_info files::stat(std::string_view path) const {
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
    check_file_answer(path, exchange_sync(client_, protocol::file_delete(base_, path)));
}

namespace {

struct local_entry {
    std::string rel;      // '/'-separated, relative to the root
    struct stat st;
    std::string link;     // symlinks: the target
};

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

void files::recursive_put(const std::string& local_dir, std::string_view remote_dir, const recursive_options& o) const {
    fs::path root = fs::absolute(local_dir).lexically_normal();
    unique_fd root_fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!root_fd) fail(errc::invalid_argument, local_dir + " is not a directory");
    std::vector<local_entry> dirs, regular, links;
    // Walk and check everything first: a refused entry must leave the remote side untouched.
    walk_local(root_fd.get(), "", root.string(), dirs, regular, links);
    for (auto& l : links) {
        fs::path target(l.link);
        auto resolved = target.is_absolute() ? target : (root / l.rel).parent_path() / target;
        if (!inside(root, resolved))
            fail(errc::invalid_argument, "refusing symlink " + (root / l.rel).string() + " -> " + l.link + ": it leaves " + root.string());
    }
    auto owner = [&](const struct stat& st, put_options p) {
        if (o.preserve_owner) { p.uid = st.st_uid; p.gid = st.st_gid; }
        p.stop = o.stop;
        return p;
    };
    auto remote = [&](const std::string& rel) { return join(remote_dir, rel); };
    check_stop(o.stop);
    if (!exists(remote_dir)) mkdir(remote_dir, {.mode = 0755, .parents = true});
    for (auto& d : dirs) {   // pre-order: parents first
        check_stop(o.stop);
        auto p = owner(d.st, {});
        mkdir(remote(d.rel), {.mode = d.st.st_mode & 07777, .uid = p.uid, .gid = p.gid});
    }
    run_parallel(regular.size(), o.parallel, [&](std::size_t i) {
        check_stop(o.stop);
        auto& f = regular[i];
        // Opened now, component by component without following symlinks: what is sent is
        // what is in the tree at this moment, or nothing.
        auto display = (root / f.rel).string();
        local_reader in(open_beneath(root_fd.get(), f.rel, false, display), display);
        put_reader(*this, client_, base_, remote(f.rel), in, owner(f.st, {.mode = in.mode()}));
    });
    for (auto& l : links) {
        check_stop(o.stop);
        symlink(remote(l.rel), l.link, owner(l.st, {}));
    }
}

void files::recursive_get(std::string_view remote_dir, const std::string& local_dir, const recursive_options& o) const {
    fs::path root = fs::absolute(local_dir).lexically_normal();
    const std::string rroot(remote_dir);
    struct node {
        std::string rel, remote;
        file_info info;
        std::string target;   // symlinks, relative to the link's directory
    };
    std::vector<node> dirs, regular, links;
    std::map<std::string, std::string> link_map;
    // 1. List and check the whole remote tree: nothing is written if anything is refused.
    std::function<void(const std::string&, const std::string&)> walk = [&](const std::string& rdir, const std::string& rel) {
        for (auto& name : list(rdir)) {
            check_stop(o.stop);
            // A malicious or confused server must not steer writes out of the target.
            if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
                name.find('\0') != std::string::npos)
                fail(errc::protocol_error, "refusing directory entry '" + name + "' in " + rdir);
            node n{rel.empty() ? name : rel + "/" + name, join(rdir, name), stat(join(rdir, name)), {}};
            if (n.info.type == "directory") {
                dirs.push_back(n);
                walk(n.remote, n.rel);
            } else if (n.info.type == "symlink") {
                // LXD answers with the target made absolute (joined to the link's directory):
                // inside the copied tree it becomes relative again; anywhere else is refused.
                auto target = fs::path(readlink(n.remote));
                if (target.is_absolute()) {
                    auto rel_to_tree = target.lexically_normal().lexically_relative(fs::path(rroot).lexically_normal());
                    if (rel_to_tree.empty() || *rel_to_tree.begin() == "..")
                        fail(errc::protocol_error, "refusing symlink " + n.remote + " -> " + target.string() + ": it leaves " + rroot);
                    target = rel_to_tree.lexically_relative(fs::path(n.rel).parent_path());
                    if (target.empty()) target = ".";
                }
                n.target = target.string();
                link_map[n.rel] = n.target;
                links.push_back(std::move(n));
            } else {
                regular.push_back(std::move(n));
            }
        }
    };
    walk(rroot, "");
    for (auto& l : links)
        if (!resolves_inside(link_map, l.rel))
            fail(errc::protocol_error, "refusing symlink " + l.remote + " -> " + l.target + ": it leaves the target");

    // 2. Write, every path relative to its parent's descriptor, never through a symlink.
    fs::create_directories(root);
    unique_fd root_fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root_fd) fail(errc::invalid_argument, "cannot open " + root.string());
    const bool chown_ok = o.preserve_owner && ::geteuid() == 0;
    auto mode_of = [&](const file_info& i) { return i.mode & (o.keep_special_bits ? 07777u : 0777u); };
    auto display = [&](const std::string& rel) { return (root / rel).string(); };
    for (auto& d : dirs) {
        check_stop(o.stop);
        auto [parent, name] = split_parent(d.rel);
        auto pfd = open_beneath(root_fd.get(), parent, true, display(parent));
        if (::mkdirat(pfd.get(), name.c_str(), 0700) != 0 && errno != EEXIST)
            fail(errc::invalid_argument, "cannot create " + display(d.rel) + ": " + std::strerror(errno));
        (void)open_beneath(pfd.get(), name, true, display(d.rel));   // a directory, not a symlink to one
    }
    run_parallel(regular.size(), o.parallel, [&](std::size_t i) {
        check_stop(o.stop);
        auto& f = regular[i];
        auto [parent, name] = split_parent(f.rel);
        auto pfd = open_beneath(root_fd.get(), parent, true, display(parent));
        local_writer out(pfd.get(), name, display(f.rel));
        auto info = get(f.remote, [&](std::string_view chunk) {
            check_stop(o.stop);
            out.write(chunk);
        });
        check_stop(o.stop);
        std::optional<std::pair<std::uint32_t, std::uint32_t>> own;
        if (chown_ok) own = std::pair{info.uid, info.gid};
        out.commit(mode_of(info), own);
    });
    for (auto& l : links) {
        check_stop(o.stop);
        auto [parent, name] = split_parent(l.rel);
        auto pfd = open_beneath(root_fd.get(), parent, true, display(parent));
        // Made under a temporary name and renamed into place: an existing link is replaced.
        auto temp = "." + name.substr(0, 200) + ".lxdpp-link";
        ::unlinkat(pfd.get(), temp.c_str(), 0);
        if (::symlinkat(l.target.c_str(), pfd.get(), temp.c_str()) != 0)
            fail(errc::invalid_argument, "cannot create symlink " + display(l.rel) + ": " + std::strerror(errno));
        if (chown_ok) (void)::fchownat(pfd.get(), temp.c_str(), l.info.uid, l.info.gid, AT_SYMLINK_NOFOLLOW);
        if (::renameat(pfd.get(), temp.c_str(), pfd.get(), name.c_str()) != 0) {
            int e = errno;
            ::unlinkat(pfd.get(), temp.c_str(), 0);
            fail(errc::invalid_argument, "cannot create symlink " + display(l.rel) + ": " + std::strerror(e));
        }
    }
    // Directory owners and modes last, deepest first, so a read-only directory could still be filled.
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) {
        auto fd = open_beneath(root_fd.get(), it->rel, true, display(it->rel));
        if (chown_ok) (void)::fchown(fd.get(), it->info.uid, it->info.gid);
        ::fchmod(fd.get(), mode_of(it->info));
    }
}

}  // namespace lxd
