// src/transport/sftp_session.hpp — one SFTP session to an instance over the transport's
// byte stream (GET /1.0/instances/NAME/sftp, upgraded): many requests in flight, one reader
// and one writer coroutine, replies matched by id. Everything runs on the client's I/O
// thread. A session blocks the instance's start/stop/snapshot on the server while it is
// open: callers open one per call and close it when the call ends.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <lxd/error.hpp>

#include "../protocol/sftp.hpp"
#include "http_client.hpp"

namespace lxd::transport {

namespace sftp = protocol::sftp;

class sftp_session : public std::enable_shared_from_this<sftp_session> {
public:
    /// Upgrades with `upgrade` (protocol::file_sftp) and exchanges INIT/VERSION.
    static asio::awaitable<std::shared_ptr<sftp_session>> open(http_client& http, protocol::request upgrade, scope sc);
    sftp_session(byte_stream s, std::string leftover, std::chrono::milliseconds timeout, std::string request_line);
    ~sftp_session();

    /// LSTAT (STAT with `follow`); nullopt when the path does not exist.
    asio::awaitable<std::optional<sftp::attributes>> lstat(const std::string& path, bool follow = false);
    asio::awaitable<sftp::attributes> fstat(const std::string& handle, const std::string& path);
    asio::awaitable<std::string> open_file(const std::string& path, std::uint32_t pflags);
    asio::awaitable<void> close_handle(const std::string& handle, const std::string& path);
    /// A request answered by STATUS: REMOVE, RMDIR (path), or SETSTAT, FSETSTAT, MKDIR with
    /// `a` (`target` is the path or handle; `path` names it in errors).
    asio::awaitable<void> status_call(sftp::type t, const std::string& target, const std::string& path,
                                      std::optional<sftp::attributes> a = std::nullopt);
    asio::awaitable<void> symlink(const std::string& target, const std::string& link);
    asio::awaitable<std::string> readlink(const std::string& path);
    /// OPENDIR, READDIR to the end, CLOSE.
    asio::awaitable<std::vector<sftp::name_entry>> list(const std::string& path);
    /// Pipelined READs of the open file `handle` from offset 0 to EOF (size: the expected
    /// size, from FSTAT), handed to `sink` in order. Returns the bytes read.
    asio::awaitable<std::uint64_t> read_file(const std::string& handle, std::uint64_t size, const body_sink& sink,
                                             const std::string& path);
    /// Pipelined WRITEs from `source` (0 at the end) at `offset` onwards. Returns the bytes sent.
    asio::awaitable<std::uint64_t> write_file(const std::string& handle, std::uint64_t offset, const body_source& source,
                                              const std::string& path);
    /// Closes the stream; pending and later requests fail with connection_lost.
    void close();

    unsigned read_window = 64;                  ///< READs in flight per file
    unsigned write_window = 8;                  ///< WRITEs in flight per file
    std::uint32_t write_chunk = 128u * 1024;    ///< bytes per WRITE

private:
    struct slot {
        std::uint8_t kind = 0;
        std::string body;
        bool done = false;
    };
    using slot_ptr = std::shared_ptr<slot>;

    std::uint32_t next_id() { return ++id_; }
    /// Queues a whole packet whose id is `id`; the slot completes with the reply.
    slot_ptr send(std::string packet, std::uint32_t id);
    asio::awaitable<void> wait(const slot& s);
    /// send + wait.
    asio::awaitable<slot_ptr> call(std::string packet, std::uint32_t id);
    /// A STATUS reply: OK returns, anything else throws (named by op and path).
    void expect_ok(const slot& s, const char* op, const std::string& path) const;
    /// Throws the STATUS in `s` if it is one, or a protocol error unless it is of `kind`.
    void expect(const slot& s, sftp::type kind, const char* op, const std::string& path) const;
    asio::awaitable<void> handshake();
    void start();
    asio::awaitable<void> reader();
    asio::awaitable<void> writer();
    asio::awaitable<void> watchdog();
    /// Parses the whole packets received so far and completes their slots.
    void dispatch();
    void fail_all(errc code, std::string what);

    byte_stream stream_;
    std::vector<char> rx_;
    std::size_t rb_ = 0, re_ = 0;
    std::unordered_map<std::uint32_t, slot_ptr> pending_;
    std::deque<std::string> out_;
    asio::steady_timer wake_, write_wake_, watchdog_;
    std::optional<lxd::error> broken_;
    clock::time_point last_rx_;
    std::chrono::milliseconds timeout_;
    std::string rl_;
    std::uint32_t id_ = 0;
    bool closed_ = false;
};

}  // namespace lxd::transport
