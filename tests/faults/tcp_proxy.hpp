// tests/faults/tcp_proxy.hpp — a TCP proxy on 127.0.0.1 that forwards to a real daemon
// and injects faults: after a connection has carried N bytes in one direction it stalls
// (stops forwarding, keeps the socket open), cuts (closes cleanly) or resets (RST). It can
// also "die": reset every connection and refuse new ones, as a killed daemon does.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace faults {

class tcp_proxy {
public:
    enum class fault { none, stall, cut, reset };
    enum class direction { to_client, to_server };

    /// Forwards to host:port (the daemon's HTTPS address).
    tcp_proxy(std::string host, std::uint16_t port);
    ~tcp_proxy();
    tcp_proxy(const tcp_proxy&) = delete;
    tcp_proxy& operator=(const tcp_proxy&) = delete;

    /// "127.0.0.1:PORT" to give the client instead of the daemon's address.
    std::string address() const;

    /// Every connection that has forwarded more than `after_bytes` in `dir` gets `f`
    /// (applied once per connection, at that byte: the bytes up to it are delivered).
    void arm(fault f, direction dir, std::uint64_t after_bytes);
    /// Resets every open connection and refuses new ones (a dead daemon).
    void die();
    /// How many connections have had the armed fault applied.
    int faults_applied() const { return applied_; }

private:
    struct link;
    void accept_loop();
    void pump(std::shared_ptr<link> l, direction dir);

    std::string host_;
    std::uint16_t port_;
    std::uint16_t listen_port_ = 0;
    int listen_fd_ = -1;
    std::atomic<bool> stop_{false}, dead_{false};
    std::atomic<int> applied_{0};
    std::mutex mu_;
    fault fault_ = fault::none;
    direction dir_ = direction::to_client;
    std::uint64_t after_ = 0;
    std::vector<std::shared_ptr<link>> links_;
    std::vector<std::thread> threads_;
    std::thread acceptor_;
};

}  // namespace faults
