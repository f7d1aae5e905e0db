// tools/lxdpp/commands/file.cpp — `lxdpp file push|pull|delete`.
#include <filesystem>
#include <tuple>

#include <poll.h>
#include <unistd.h>

#include "commands.hpp"
#include "signals.hpp"

namespace lxdpp_cli {

namespace fs = std::filesystem;

namespace {

/// Files in flight in a recursive push/pull, coroutines on the I/O thread (SFTP: one session; REST: at most 8).
constexpr unsigned tree_parallel = 16;

/// "[remote:]instance/path" → {remote, instance, /path}.
std::tuple<std::string, std::string, std::string> split_file_target(const config& cfg, const std::string& arg) {
    auto [remote, rest] = split_remote(cfg, arg);
    auto slash = rest.find('/');
    if (slash == std::string::npos || slash == 0) throw usage_error("\"" + arg + "\" is not INSTANCE/PATH");
    return {remote, rest.substr(0, slash), rest.substr(slash)};
}

std::string parent_of(const std::string& p) {
    auto slash = p.rfind('/');
    return slash == 0 || slash == std::string::npos ? "/" : p.substr(0, slash);
}

/// Reads stdin for an upload without blocking past a stop request.
std::size_t read_stdin(char* b, std::size_t cap, const std::stop_token& stop) {
    for (;;) {
        if (stop.stop_requested()) return 0;   // the library sees the stop on its next check
        pollfd p{0, POLLIN, 0};
        int r = ::poll(&p, 1, 100);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) continue;
        auto n = ::read(0, b, cap);
        if (n < 0 && errno == EINTR) continue;
        return n > 0 ? static_cast<std::size_t>(n) : 0;
    }
}

/// Creates the missing directories of `d` in the instance with `mode`: lxc makes them 0750,
/// incus 6 0755.
void make_parents(lxd::files& files, std::string d, std::uint32_t mode) {
    if (d.size() > 1 && d.back() == '/') d.pop_back();
    std::vector<std::string> chain;
    for (auto p = d; p != "/" && !p.empty(); p = parent_of(p)) chain.push_back(p);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
        if (!files.exists(*it)) files.mkdir(*it, {.mode = mode});
}

}  // namespace

void file_command::add(CLI::App& app) {
    auto* file = app.add_subcommand("file", "Push, pull and delete files in instances");
    file->require_subcommand(1);
    auto* push = file->add_subcommand("push", "LOCAL... [REMOTE:]NAME/PATH");
    push->add_option("paths", paths_)->required();
    push->add_flag("-r,--recursive", recursive_, "Directories");
    push->add_flag("-p,--create-dirs", parents_, "Create missing directories");
    push->add_option("--mode", mode_, "Octal mode");
    push->add_option("--uid", uid_, "Owner");
    push->add_option("--gid", gid_, "Group");
    push->callback([this] { this->push(); });
    auto* pull = file->add_subcommand("pull", "[REMOTE:]NAME/PATH... LOCAL");
    pull->add_option("paths", paths_)->required();
    pull->add_flag("-r,--recursive", recursive_, "Directories");
    pull->add_flag("-p,--create-dirs", parents_, "Create missing local directories");
    pull->callback([this] { this->pull(); });
    auto* fdel = file->add_subcommand("delete", "[REMOTE:]NAME/PATH...")->alias("rm");
    fdel->add_option("paths", paths_)->required();
    fdel->callback([this] { remove(); });
}

void file_command::push_one(lxd::files& files, const std::string& local, const std::string& path, bool into_dir,
                            const std::stop_token& stop) {
    fs::path lp(local);
    auto dest = into_dir ? (path.back() == '/' ? path : path + "/") + lp.filename().string() : path;
    if (parents_) make_parents(files, into_dir ? path : parent_of(path), ctx_.cfg.is_incus() ? 0755 : 0750);
    if (recursive_) {
        if (!fs::is_directory(lp)) throw usage_error(local + " is not a directory");
        files.recursive_put(local, dest, {.parallel = tree_parallel, .stop = stop});
        return;
    }
    lxd::put_options o;
    if (!mode_.empty()) o.mode = parse_mode(mode_);
    if (uid_ >= 0) o.uid = static_cast<std::uint32_t>(uid_);
    if (gid_ >= 0) o.gid = static_cast<std::uint32_t>(gid_);
    o.stop = stop;
    progress_line line("Pushing " + local, ctx_.show_progress());
    if (ctx_.show_progress()) o.progress = [&](std::uint64_t done, std::uint64_t total) { line.update(done, total); };
    if (local == "-") {
        files.put(dest, [&](char* b, std::size_t cap) { return read_stdin(b, cap, stop); }, o);
        return;
    }
    files.put_file(dest, local, o);
}

void file_command::push() {
    auto args = paths_;
    if (args.size() < 2) throw usage_error("usage: lxdpp file push LOCAL... INSTANCE/PATH");
    auto target = args.back();
    args.pop_back();
    auto [remote, name, raw_path] = split_file_target(ctx_.cfg, target);
    // As lxc: "c/.", "c/tmp/./" and "c/tmp/" name a directory; the path is cleaned lexically.
    auto clean = fs::path(raw_path).lexically_normal().string();
    bool names_dir = raw_path.back() == '/' || raw_path.ends_with("/.") || raw_path.ends_with("/..") || clean == "/";
    if (clean.size() > 1 && clean.back() == '/') clean.pop_back();
    std::string path = names_dir && clean != "/" ? clean + "/" : clean;
    with_transfer_signals([&](std::stop_token stop) {
        auto c = ctx_.connect(remote);
        auto files = c.instances().get(name).files();
        bool into_dir = args.size() > 1 || path.back() == '/' || recursive_;
        for (auto& local : args) push_one(files, local, path, into_dir, stop);
    });
}

void file_command::pull() {
    auto args = paths_;
    if (args.size() < 2) throw usage_error("usage: lxdpp file pull INSTANCE/PATH... LOCAL");
    auto local = args.back();
    args.pop_back();
    bool into_dir = args.size() > 1 || fs::is_directory(local) || recursive_;
    if (parents_) fs::create_directories(into_dir ? fs::path(local) : fs::path(local).parent_path());
    with_transfer_signals([&](std::stop_token stop) {
        for (auto& src : args) {
            auto [remote, name, path] = split_file_target(ctx_.cfg, src);
            auto c = ctx_.connect(remote);
            auto files = c.instances().get(name).files();
            auto base = fs::path(path).filename().string();
            auto dest = into_dir ? (fs::path(local) / base).string() : local;
            if (recursive_) {
                files.recursive_get(path, dest, {.parallel = tree_parallel, .stop = stop});
                continue;
            }
            if (local == "-") {
                files.get(path, [&](std::string_view d) {
                    if (stop.stop_requested()) throw lxd::error(lxd::errc::operation_cancelled, lxd::diagnostics{});
                    (void)!::write(1, d.data(), d.size());
                });
                continue;
            }
            progress_line line("Pulling " + path, ctx_.show_progress());
            lxd::get_options o{.stop = stop};
            if (ctx_.show_progress()) o.progress = [&](std::uint64_t done) { line.update(done, 0); };
            files.get_to_file(path, dest, o);
        }
    });
}

void file_command::remove() {
    for (auto& a : paths_) {
        auto [remote, name, path] = split_file_target(ctx_.cfg, a);
        ctx_.connect(remote).instances().get(name).files().remove(path);
    }
}

}  // namespace lxdpp_cli
