// src/detail/local_file.hpp — local files read and written in chunks for streamed
// transfers (file put/get, image import/export).
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calls.hpp"

namespace lxd::detail {

/// A regular file opened for reading; read() serves exactly size() bytes.
class local_reader {
public:
    explicit local_reader(std::string path) : path_(std::move(path)) {
        fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) fail_invalid("cannot open " + path_ + ": " + std::strerror(errno));
        struct stat st {};
        if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(fd_);
            fail_invalid(path_ + " is not a regular file");
        }
        size_ = left_ = static_cast<std::uint64_t>(st.st_size);
        mode_ = st.st_mode & 07777;
    }
    ~local_reader() { ::close(fd_); }
    local_reader(const local_reader&) = delete;
    local_reader& operator=(const local_reader&) = delete;

    std::uint64_t size() const { return size_; }
    std::uint32_t mode() const { return mode_; }
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
    std::string path_;
    int fd_ = -1;
    std::uint64_t size_ = 0, left_ = 0;
    std::uint32_t mode_ = 0;
    bool failed_ = false;
};

/// A local file being written (never through a symlink, 0600 until committed). Removed
/// again unless commit() is called: a failed transfer leaves nothing behind.
class local_writer {
public:
    explicit local_writer(std::string path) : path_(std::move(path)) {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd_ < 0) fail_invalid("cannot create " + path_ + ": " + std::strerror(errno));
    }
    ~local_writer() {
        if (fd_ >= 0) ::close(fd_);
        if (!committed_) ::unlink(path_.c_str());
    }
    local_writer(const local_writer&) = delete;
    local_writer& operator=(const local_writer&) = delete;

    /// Writes all of `chunk`; after a failure further writes are ignored and commit() throws.
    void write(std::string_view chunk) {
        while (!chunk.empty() && !failed_) {
            auto n = ::write(fd_, chunk.data(), chunk.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                failed_ = true;
                error_ = std::strerror(errno);
                break;
            }
            chunk.remove_prefix(static_cast<std::size_t>(n));
        }
    }
    /// Sets the final mode and keeps the file.
    void commit(std::uint32_t mode) {
        if (failed_) fail_invalid("cannot write " + path_ + ": " + error_);
        ::fchmod(fd_, mode & 07777);
        if (::close(fd_) != 0) {
            fd_ = -1;
            fail_invalid("cannot write " + path_ + ": " + std::strerror(errno));
        }
        fd_ = -1;
        committed_ = true;
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
    bool failed_ = false, committed_ = false;
    std::string error_;
};

}  // namespace lxd::detail
