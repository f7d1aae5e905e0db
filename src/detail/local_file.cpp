// Local files for streamed transfers: descriptor-relative opens that never follow a
// symlink, and writers that replace their target only when complete.
#include "local_file.hpp"

#include <random>

namespace lxd::detail {

std::pair<std::string, std::string> split_parent(const std::string& rel) {
    auto slash = rel.rfind('/');
    if (slash == std::string::npos) return {"", rel};
    return {rel.substr(0, slash), rel.substr(slash + 1)};
}

unique_fd open_beneath(int root_fd, const std::string& rel, bool want_dir, const std::string& display) {
    unique_fd cur(::fcntl(root_fd, F_DUPFD_CLOEXEC, 3));
    if (!cur) fail_invalid("cannot open " + display + ": " + std::strerror(errno));
    std::size_t pos = 0;
    while (pos <= rel.size()) {
        auto slash = rel.find('/', pos);
        auto comp = rel.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
        bool last = slash == std::string::npos;
        pos = last ? rel.size() + 1 : slash + 1;
        if (comp.empty() || comp == ".") {
            if (last) break;
            continue;
        }
        if (comp == "..") fail_invalid("refusing " + display + ": its path has a '..' component");
        bool dir = !last || want_dir;
        int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (dir ? O_DIRECTORY : O_NONBLOCK);
        unique_fd next(::openat(cur.get(), comp.c_str(), flags));
        if (!next) {
            int e = errno;
            if (e == ELOOP || e == ENOTDIR)
                fail_invalid("refusing " + display + ": '" + comp + "' is no longer a " + (dir ? "directory" : "regular file") +
                             " (a symlink or another kind of file appeared while it was being read)");
            fail_invalid("cannot open " + display + ": " + std::strerror(e));
        }
        struct stat st {};
        if (::fstat(next.get(), &st) != 0 || (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
            fail_invalid("refusing " + display + ": '" + comp + "' is not a " + (dir ? "directory" : "regular file"));
        cur = std::move(next);
    }
    if (!want_dir) {
        struct stat st {};
        if (::fstat(cur.get(), &st) != 0 || !S_ISREG(st.st_mode)) fail_invalid(display + " is not a regular file");
    }
    return cur;
}

local_writer::local_writer(const std::string& path) : display_(path) {
    auto slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    name_ = slash == std::string::npos ? path : path.substr(slash + 1);
    if (name_.empty() || name_ == "." || name_ == "..") fail_invalid("cannot create " + path + ": not a file name");
    own_dir_ = unique_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!own_dir_) fail_invalid("cannot create " + path + ": " + std::strerror(errno));
    dir_fd_ = own_dir_.get();
    create();
}

local_writer::local_writer(int dir_fd, std::string name, std::string display)
    : dir_fd_(dir_fd), name_(std::move(name)), display_(std::move(display)) {
    create();
}

void local_writer::create() {
    // The target itself must not be a directory: say so now rather than after the transfer.
    struct stat st {};
    if (::fstatat(dir_fd_, name_.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
        fail_invalid("cannot write " + display_ + ": it is a directory");
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    for (int attempt = 0; attempt < 16; ++attempt) {
        char suffix[24];
        std::snprintf(suffix, sizeof suffix, ".lxdpp-%08x", static_cast<unsigned>(rng()));
        temp_ = "." + name_.substr(0, 200) + suffix;
        fd_ = ::openat(dir_fd_, temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd_ >= 0) return;
        if (errno != EEXIST) break;
    }
    fail_invalid("cannot create " + display_ + ": " + std::strerror(errno));
}

local_writer::~local_writer() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlinkat(dir_fd_, temp_.c_str(), 0);
}

void local_writer::write(std::string_view chunk) {
    while (!chunk.empty() && !failed_) {
        auto n = ::write(fd_, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            failed_ = true;
            error_ = std::strerror(n < 0 ? errno : ENOSPC);
            break;
        }
        chunk.remove_prefix(static_cast<std::size_t>(n));
    }
}

void local_writer::commit(std::uint32_t mode, std::optional<std::pair<std::uint32_t, std::uint32_t>> owner) {
    if (failed_) fail_invalid("cannot write " + display_ + ": " + error_);
    if (owner && ::fchown(fd_, owner->first, owner->second) != 0)
        fail_invalid("cannot set the owner of " + display_ + ": " + std::strerror(errno));
    ::fchmod(fd_, mode & 07777);   // after fchown, which clears setuid/setgid
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) fail_invalid("cannot write " + display_ + ": " + std::strerror(errno));
    if (::renameat(dir_fd_, temp_.c_str(), dir_fd_, name_.c_str()) != 0)
        fail_invalid("cannot put " + display_ + " in place: " + std::strerror(errno));
    committed_ = true;
}

}  // namespace lxd::detail
