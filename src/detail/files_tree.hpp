// src/detail/files_tree.hpp — what both ways of moving a whole tree share (REST, one
// request per file, in files_recursive.cpp; one SFTP session, in files_tree_sftp.cpp):
// the files in flight as coroutines on the client's I/O thread, the checked listing of a
// remote tree, the local side written beneath descriptors, and the local tree walked
// without following symlinks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>

#include <lxd/files.hpp>

#include "local_file.hpp"

namespace lxd::detail {

std::string join(std::string_view dir, std::string_view name);

/// Runs job(0..count-1) with up to `parallel` jobs in flight, as coroutines on the calling
/// executor (no thread per job). The first failure stops new jobs; it is rethrown once
/// every job has ended. Both ways of moving a tree run their files through it.
asio::awaitable<void> in_flight(std::size_t count, unsigned parallel, std::function<asio::awaitable<void>(std::size_t)> job);

/// The remote tree below a directory, listed and checked (names, symlink targets).
struct remote_node {
    std::string rel, remote;
    file_info info;
    std::string target;   // symlinks, relative to the link's directory
    std::uint64_t size = 0;   // regular files over SFTP: the size listed
};
struct remote_tree {
    std::vector<remote_node> dirs, regular, links;   // dirs in pre-order (parents first)
    std::map<std::string, std::string> link_map;     // rel -> target, for resolves_inside
};

/// `target`, the link `n`'s target as LXD's REST answers it (made absolute against the
/// link's directory), made relative to the link's directory when it stays inside `rroot`;
/// anything else is refused (errc::protocol_error).
std::string relative_link_target(const std::string& target, const remote_node& n, const std::string& rroot);

/// Every symlink of `t` must resolve inside the tree (through the tree's own links), else
/// errc::protocol_error naming it.
void check_links_stay_inside(const remote_tree& t);

/// Where a recursive get writes: every path relative to its parent's descriptor, never
/// through a symlink.
struct local_target {
    std::filesystem::path root;
    unique_fd root_fd;
    bool chown_ok;
    bool keep_special_bits;
    std::uint32_t mode_of(const file_info& i) const { return i.mode & (keep_special_bits ? 07777u : 0777u); }
    std::string display(const std::string& rel) const { return (root / rel).string(); }
    unique_fd parent_of(const std::string& rel, std::string& name) const {
        auto [parent, last] = split_parent(rel);
        name = last;
        return open_beneath(root_fd.get(), parent, true, display(parent));
    }
    /// Creates the root (and its parents) and opens it.
    void open_root();
};

void make_local_dirs(const local_target& t, const std::vector<remote_node>& dirs, const std::stop_token& stop);
/// Symlinks, then the directories' owners and modes (deepest first, so that a read-only
/// directory could still be filled).
void finish_local_tree(const local_target& t, const remote_tree& tree, const std::stop_token& stop);

struct local_entry {
    std::string rel;      // '/'-separated, relative to the root
    struct stat st;
    std::string link;     // symlinks: the target
};

/// A local tree listed through descriptors (never following a symlink): directories in
/// pre-order (parents first), then files and links; a link leaving the tree is refused
/// (errc::invalid_argument) before anything is sent.
struct local_tree {
    std::filesystem::path root;
    unique_fd root_fd;
    std::vector<local_entry> dirs, regular, links;
    explicit local_tree(const std::string& local_dir);
};

// ---- over one SFTP session (files_tree_sftp.cpp) ------------------------------------------

/// Lists and checks the remote tree `rroot`, calls `prepare` (nothing local is written
/// before it), then fetches every regular file into `t` with o.parallel files in flight,
/// all over one session on the client's I/O thread. Returns the tree listed.
remote_tree sftp_tree_get(const client& c, const std::string& base, const std::string& rroot, const recursive_options& o,
                          local_target& t, const std::function<void(const remote_tree&)>& prepare);

/// Sends `tree` into `remote_dir` (created with parents if missing) over one session:
/// directories, files (o.parallel in flight), symlinks.
void sftp_tree_put(const lxd::files& f, const client& c, const std::string& base, const std::string& remote_dir,
                   const local_tree& tree, const recursive_options& o);

}  // namespace lxd::detail
