// Files in an instance over /1.0/instances/{name}/files: streamed both ways, never held
// whole in memory unless the caller asks for the whole file.
#include <lxd/files.hpp>
#include <lxd/instances.hpp>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detail/calls.hpp"
#include "detail/local_file.hpp"

namespace lxd {

using namespace detail;
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(errc code, std::string what) {
    diagnostics d;
    d.detail = std::move(what);
    throw error(code, std::move(d));
}

void check_path(std::string_view p) {
    if (p.empty()) fail(errc::invalid_argument, "empty path");
    if (p.find('\0') != std::string_view::npos) fail(errc::invalid_argument, "path contains a NUL byte");
}

std::string octal(std::uint32_t mode) {
    // LXD reads the mode with a leading 0 as octal; "644" would be decimal 644 (= 01204).
    char buf[16];
    std::snprintf(buf, sizeof buf, "0%o", mode & 07777);   // always a leading 0: "0644", "04755"
    return buf;
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

http_request file_request(const std::string& base, http::verb m, std::string_view path) {
    check_path(path);
    http_request r;
    r.method = m;
    r.path = base;
    r.query = {{"path", std::string(path)}};
    return r;
}

void add_put_headers(const client& c, http_request& r, const put_options& o, const char* type) {
    auto pre = header_prefix(c);
    r.headers.emplace_back(pre + "type", type);
    if (o.mode) r.headers.emplace_back(pre + "mode", octal(*o.mode));
    if (o.uid) r.headers.emplace_back(pre + "uid", std::to_string(*o.uid));
    if (o.gid) r.headers.emplace_back(pre + "gid", std::to_string(*o.gid));
    if (o.append) {
        c.assert_has_api_extension("file_append");
        r.headers.emplace_back(pre + "write", "append");
    }
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

}  // namespace

lxd::files instance::files() const {
    return lxd::files(client_, protocol::api_path({collection(client_), data_.name, "files"}));
}

file_contents files::get(std::string_view path) const {
    auto res = exchange_sync(client_, file_request(base_, http::verb::get, path));
    check_answer(res);
    file_contents out;
    out.info = info_from(client_, res);
    if (out.info.type == "directory")
        out.entries = decode_listing(res);
    else if (out.info.type == "symlink")
        out.target = std::move(res.body);
    else
        out.data = std::move(res.body);
    return out;
}

file_info files::get(std::string_view path, const std::function<void(std::string_view)>& sink) const {
    std::string type_header = lower_prefix(client_) + "type";
    auto res = stream_sync(client_, file_request(base_, http::verb::get, path), nullptr, std::nullopt, sink,
                           [type_header](const http_response& r) {
                               auto t = r.field(type_header);
                               return !t.empty() && t != "file";
                           });
    check_answer(res);
    auto info = info_from(client_, res);
    if (info.type != "file") fail(errc::invalid_argument, std::string(path) + " is a " + info.type + ", not a file");
    return info;
}

file_info files::get_to_file(std::string_view path, const std::string& local_path) const {
    local_writer out(local_path);
    auto info = get(path, [&](std::string_view chunk) { out.write(chunk); });
    out.commit(info.mode);
    return info;
}

void files::put(std::string_view path, std::string_view data, const put_options& o) const {
    auto r = file_request(base_, http::verb::post, path);
    add_put_headers(client_, r, o, "file");
    r.body = std::string(data);
    r.content_type = "application/octet-stream";
    if (r.body.empty()) {
        // An empty body still needs a request body of length 0: stream it.
        auto res = stream_sync(client_, std::move(r), [](char*, std::size_t) { return std::size_t{0}; }, 0, nullptr, nullptr);
        check_answer(res);
    } else {
        check_answer(exchange_sync(client_, std::move(r)));
    }
    apply_special_bits(client_, base_, path, o);
}

void files::put(std::string_view path, const std::function<std::size_t(char*, std::size_t)>& source, const put_options& o) const {
    if (!source) fail(errc::invalid_argument, "put needs a source");
    auto r = file_request(base_, http::verb::post, path);
    add_put_headers(client_, r, o, "file");
    check_answer(stream_sync(client_, std::move(r), source, std::nullopt, nullptr, nullptr));
    apply_special_bits(client_, base_, path, o);
}

void files::put_file(std::string_view path, const std::string& local_path, put_options o) const {
    local_reader in(local_path);
    if (!o.mode) o.mode = in.mode();
    auto r = file_request(base_, http::verb::post, path);
    add_put_headers(client_, r, o, "file");
    auto res = stream_sync(client_, std::move(r), [&](char* buf, std::size_t cap) { return in.read(buf, cap); }, in.size(),
                           nullptr, nullptr);
    in.check();
    check_answer(res);
    apply_special_bits(client_, base_, path, o);
}

void files::mkdir(std::string_view path, const mkdir_options& o) const {
    check_path(path);
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
    auto r = file_request(base_, http::verb::post, path);
    add_put_headers(client_, r, put_options{.mode = o.mode.value_or(0755), .uid = o.uid, .gid = o.gid}, "directory");
    auto res = stream_sync(client_, std::move(r), [](char*, std::size_t) { return std::size_t{0}; }, 0, nullptr, nullptr);
    check_answer(res);
}

void files::symlink(std::string_view path, std::string_view target, const put_options& o) const {
    if (target.empty()) fail(errc::invalid_argument, "empty symlink target");
    client_.assert_has_api_extension("file_symlinks");
    auto r = file_request(base_, http::verb::post, path);
    add_put_headers(client_, r, put_options{.uid = o.uid, .gid = o.gid}, "symlink");
    r.body = std::string(target);
    r.content_type = "application/octet-stream";
    check_answer(exchange_sync(client_, std::move(r)));
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
        auto res = exchange_sync(client_, file_request(base_, http::verb::head, path));
        if (res.status != 200) {
            // HEAD answers carry no body: map the status alone.
            diagnostics d;
            d.http_status = res.status;
            d.request = res.request_line;
            d.detail = std::string(path);
            throw error(protocol::errc_for_http_status(res.status), std::move(d));
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
    check_answer(exchange_sync(client_, file_request(base_, http::verb::delete_, path)));
}

void files::recursive_put(const std::string& local_dir, std::string_view remote_dir, const recursive_options& o) const {
    fs::path root = fs::absolute(local_dir).lexically_normal();
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(root, ec))) fail(errc::invalid_argument, local_dir + " is not a directory");
    struct entry { fs::path local; std::string remote; struct stat st; };
    std::vector<entry> dirs, regular, links;
    // Walk and check everything first: a refused entry must leave the remote side untouched.
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none); it != fs::recursive_directory_iterator(); ++it) {
        entry e{it->path(), join(remote_dir, it->path().lexically_relative(root).generic_string()), {}};
        if (::lstat(e.local.c_str(), &e.st) != 0) fail(errc::invalid_argument, "cannot stat " + e.local.string());
        if (S_ISDIR(e.st.st_mode)) {
            dirs.push_back(std::move(e));
        } else if (S_ISREG(e.st.st_mode)) {
            regular.push_back(std::move(e));
        } else if (S_ISLNK(e.st.st_mode)) {
            auto target = fs::read_symlink(e.local);
            auto resolved = target.is_absolute() ? target : e.local.parent_path() / target;
            if (!inside(root, resolved))
                fail(errc::invalid_argument, "refusing symlink " + e.local.string() + " -> " + target.string() + ": it leaves " + root.string());
            links.push_back(std::move(e));
        }   // sockets, fifos and devices are not files to copy
    }
    auto owner = [&](const entry& e, put_options p) {
        if (o.preserve_owner) { p.uid = e.st.st_uid; p.gid = e.st.st_gid; }
        return p;
    };
    if (!exists(remote_dir)) mkdir(remote_dir, {.mode = 0755, .parents = true});
    std::sort(dirs.begin(), dirs.end(), [](auto& a, auto& b) { return a.remote < b.remote; });   // parents first
    for (auto& d : dirs) {
        auto p = owner(d, {});
        mkdir(d.remote, {.mode = d.st.st_mode & 07777, .uid = p.uid, .gid = p.gid});
    }
    run_parallel(regular.size(), o.parallel, [&](std::size_t i) {
        auto& f = regular[i];
        put_file(f.remote, f.local.string(), owner(f, {.mode = f.st.st_mode & 07777}));
    });
    for (auto& l : links) symlink(l.remote, fs::read_symlink(l.local).string(), owner(l, {}));
}

void files::recursive_get(std::string_view remote_dir, const std::string& local_dir, const recursive_options& o) const {
    fs::path root = fs::absolute(local_dir).lexically_normal();
    fs::create_directories(root);
    struct job { std::string remote; fs::path local; };
    std::vector<job> regular;
    std::vector<std::pair<fs::path, std::uint32_t>> dir_modes;
    const bool chown_ok = o.preserve_owner && ::geteuid() == 0;
    std::function<void(const std::string&, const fs::path&)> walk = [&](const std::string& rdir, const fs::path& ldir) {
        for (auto& name : list(rdir)) {
            // A malicious or confused server must not steer writes out of the target.
            if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
                name.find('\\') != std::string::npos || name.find('\0') != std::string::npos)
                fail(errc::protocol_error, "refusing directory entry '" + name + "' in " + rdir);
            auto rpath = join(rdir, name);
            auto lpath = ldir / name;
            if (!inside(root, lpath)) fail(errc::protocol_error, "refusing " + rpath + ": it lands outside " + root.string());
            auto info = stat(rpath);
            if (info.type == "directory") {
                if (::mkdir(lpath.c_str(), 0700) != 0 && errno != EEXIST) fail(errc::invalid_argument, "cannot create " + lpath.string());
                struct stat st {};
                if (::lstat(lpath.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
                    fail(errc::invalid_argument, lpath.string() + " exists and is not a directory");
                if (chown_ok) (void)::lchown(lpath.c_str(), info.uid, info.gid);
                dir_modes.emplace_back(lpath, info.mode);
                walk(rpath, lpath);
            } else if (info.type == "symlink") {
                // LXD answers with the target made absolute (joined to the link's directory):
                // inside the copied tree it becomes relative again; anywhere else is refused.
                auto target = fs::path(readlink(rpath));
                if (target.is_absolute()) {
                    auto rel_to_tree = target.lexically_normal().lexically_relative(fs::path(std::string(remote_dir)).lexically_normal());
                    if (rel_to_tree.empty() || *rel_to_tree.begin() == "..")
                        fail(errc::protocol_error, "refusing symlink " + rpath + " -> " + target.string() + ": it leaves " + std::string(remote_dir));
                    target = (root / rel_to_tree).lexically_relative(lpath.parent_path());
                }
                if (!inside(root, lpath.parent_path() / target))
                    fail(errc::protocol_error, "refusing symlink " + rpath + " -> " + target.string() + ": it leaves the target");
                fs::create_symlink(target, lpath);
                if (chown_ok) (void)::lchown(lpath.c_str(), info.uid, info.gid);
            } else {
                regular.push_back({rpath, lpath});
            }
        }
    };
    walk(std::string(remote_dir), root);
    run_parallel(regular.size(), o.parallel, [&](std::size_t i) {
        auto info = get_to_file(regular[i].remote, regular[i].local.string());
        if (chown_ok) (void)::lchown(regular[i].local.c_str(), info.uid, info.gid);
        ::chmod(regular[i].local.c_str(), info.mode & 07777);   // after chown, which clears setuid
    });
    // Directory modes last, deepest first, so a read-only directory could still be filled.
    for (auto it = dir_modes.rbegin(); it != dir_modes.rend(); ++it) ::chmod(it->first.c_str(), it->second & 07777);
}

}  // namespace lxd
