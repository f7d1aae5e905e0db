// src/detail/local_file.hpp — local files read and written in chunks for streamed
// transfers (file put/get, image import/export).
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <optional>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calls.hpp"

namespace lxd::detail {

/// An owned file descriptor.
class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) : fd_(fd) {}
    ~unique_fd() { if (fd_ >= 0) ::close(fd_); }
    unique_fd(unique_fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    unique_fd& operator=(unique_fd&& o) noexcept {
        if (this != &o) { if (fd_ >= 0) ::close(fd_); fd_ = std::exchange(o.fd_, -1); }
        return *this;
    }
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }
    explicit operator bool() const { return fd_ >= 0; }

private:
    int fd_ = -1;
};

/// Opens `rel` ('/'-separated, relative; "" is the root itself) below the directory
/// `root_fd`, one component at a time and never following a symlink (O_NOFOLLOW at every
/// step, every directory checked with fstat on its descriptor). Whatever happens to the
/// tree meanwhile (a directory swapped for a symlink), nothing outside it is reached: the
/// open fails instead. `want_dir`: the last component must be a directory, else a regular
/// file. Throws errc::invalid_argument naming `display`.
unique_fd open_beneath(int root_fd, const std::string& rel, bool want_dir, const std::string& display);

/// Splits "a/b/c" into ("a/b", "c"); ("", "c") for "c".
std::pair<std::string, std::string> split_parent(const std::string& rel);

/// A regular file opened for reading; read() serves exactly size() bytes.
class local_reader {
public:
    explicit local_reader(std::string path) : path_(std::move(path)) {
        int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);   // O_NONBLOCK: a fifo must not hang open()
        if (fd < 0) fail_invalid("cannot open " + path_ + ": " + std::strerror(errno));
        init(fd);
    }
    /// Takes ownership of `fd` (already opened, e.g. by open_beneath); `display` names it.
    local_reader(unique_fd fd, std::string display) : path_(std::move(display)) { init(fd.release()); }
    ~local_reader() { ::close(fd_); }
    local_reader(const local_reader&) = delete;
    local_reader& operator=(const local_reader&) = delete;

    std::uint64_t size() const { return size_; }
    std::uint32_t mode() const { return mode_; }
    std::uint32_t uid() const { return uid_; }
    std::uint32_t gid() const { return gid_; }
    const std::string& path() const { return path_; }
    /// Up to `cap` bytes; 0 at the end. A file that shrank or failed to read sets failed().
    std::size_t read(char* buf, std::size_t cap) {
        if (left_ == 0) return 0;
        for (;;) {
            auto n = ::read(fd_, buf, static_cast<std::size_t>(std::min<std::uint64_t>(cap, left_)));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                failed_ = true;
                left_ = 0;
                return 0;
            }
            left_ -= static_cast<std::uint64_t>(n);
            return static_cast<std::size_t>(n);
        }
    }
    bool failed() const { return failed_; }
    /// Throws errc::invalid_argument if the file could not be read to its end.
    void check() const {
        if (failed_) fail_invalid("reading " + path_ + " failed, or it shrank while being sent");
    }

private:
    void init(int fd) {
        fd_ = fd;
        struct stat st {};
        if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(fd_);
            fd_ = -1;
            fail_invalid(path_ + " is not a regular file");
        }
        ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
        size_ = left_ = static_cast<std::uint64_t>(st.st_size);
        mode_ = st.st_mode & 07777;
        uid_ = st.st_uid;
        gid_ = st.st_gid;
    }
    std::string path_;
    int fd_ = -1;
    std::uint64_t size_ = 0, left_ = 0;
    std::uint32_t mode_ = 0, uid_ = 0, gid_ = 0;
    bool failed_ = false;
};

/// A local file being written. The bytes go to a new temporary file beside the target
/// (".NAME.lxdpp-XXXXXXXX", mode 0600, created with O_EXCL); commit() renames it over the
/// target only when the transfer is complete. Until then, and whenever commit() is not
/// reached (an error, a cancel), the target is untouched and the temporary file removed:
/// a failed download never destroys the file it would have replaced, and never leaves a
/// partial one. A symlink at the target is replaced, never written through.
class local_writer {
public:
    explicit local_writer(const std::string& path);
    /// In the directory `dir_fd` (borrowed: it must outlive the writer), under `name`.
    local_writer(int dir_fd, std::string name, std::string display);
    ~local_writer();
    local_writer(const local_writer&) = delete;
    local_writer& operator=(const local_writer&) = delete;

    /// Writes all of `chunk`; after a failure further writes are ignored and commit() throws.
    void write(std::string_view chunk);
    /// Sets owner (when given) and mode, then renames the file into place.
    void commit(std::uint32_t mode, std::optional<std::pair<std::uint32_t, std::uint32_t>> owner = std::nullopt);
    const std::string& path() const { return display_; }

private:
    void create();
    unique_fd own_dir_;    // when constructed from a path
    int dir_fd_ = -1;
    std::string name_, temp_, display_;
    int fd_ = -1;
    bool failed_ = false, committed_ = false;
    std::string error_;
};

}  // namespace lxd::detail
