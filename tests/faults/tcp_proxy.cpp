#include "tcp_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace faults {

struct tcp_proxy::link {
    int client = -1, server = -1;
    std::atomic<bool> faulted{false};
    std::atomic<bool> closed{false};
    std::mutex mu;
    void reset_both() {
        std::lock_guard lk(mu);
        if (closed.exchange(true)) return;
        // A real RST: closing with linger 0. The descriptor number is kept valid (a dummy
        // socket dup2'ed over it) so that the other pump thread can never act on a number
        // that accept() has given to a new connection meanwhile.
        linger l{1, 0};
        ::setsockopt(client, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        int dummy = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ::dup2(dummy, client);
        ::close(dummy);
        ::shutdown(server, SHUT_RDWR);
    }
    ~link() {
        if (client >= 0) ::close(client);
        if (server >= 0) ::close(server);
    }
};

tcp_proxy::tcp_proxy(std::string host, std::uint16_t port) : host_(std::move(host)), port_(port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_fd_, 64) != 0)
        throw std::runtime_error("tcp_proxy: cannot listen");
    socklen_t len = sizeof a;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
    listen_port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

tcp_proxy::~tcp_proxy() {
    stop_ = true;
    acceptor_.join();
    {
        std::lock_guard lk(mu_);
        for (auto& l : links_) l->reset_both();
    }
    for (auto& t : threads_) t.join();
    ::close(listen_fd_);
}

std::string tcp_proxy::address() const { return "127.0.0.1:" + std::to_string(listen_port_); }

void tcp_proxy::arm(fault f, direction dir, std::uint64_t after_bytes) {
    std::lock_guard lk(mu_);
    fault_ = f;
    dir_ = dir;
    after_ = after_bytes;
}

void tcp_proxy::die() {
    dead_ = true;
    // A dead daemon's port refuses connections (ECONNREFUSED), as a closed listener does:
    // shutdown stops the listening socket while its descriptor stays valid for the loop.
    ::shutdown(listen_fd_, SHUT_RDWR);
    std::lock_guard lk(mu_);
    for (auto& l : links_) l->reset_both();
}

void tcp_proxy::accept_loop() {
    while (!stop_) {
        if (dead_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) continue;
        if (dead_) {   // a dead daemon: the connection is refused (reset at once)
            linger l{1, 0};
            ::setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
            ::close(c);
            continue;
        }
        int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port_);
        ::inet_pton(AF_INET, host_.c_str(), &a.sin_addr);
        if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(s);
            ::close(c);
            continue;
        }
        auto l = std::make_shared<link>();
        l->client = c;
        l->server = s;
        std::lock_guard lk(mu_);
        links_.push_back(l);
        threads_.emplace_back([this, l] { pump(l, direction::to_client); });
        threads_.emplace_back([this, l] { pump(l, direction::to_server); });
    }
}

void tcp_proxy::pump(std::shared_ptr<link> l, direction dir) {
    int from = dir == direction::to_client ? l->server : l->client;
    int to = dir == direction::to_client ? l->client : l->server;
    std::uint64_t moved = 0;
    char buf[16384];
    for (;;) {
        pollfd p{from, POLLIN, 0};
        int r = ::poll(&p, 1, 50);
        if (stop_ || l->closed) break;
        if (r <= 0) continue;
        auto n = ::recv(from, buf, sizeof buf, 0);
        if (n <= 0) {
            ::shutdown(to, SHUT_WR);
            break;
        }
        std::size_t len = static_cast<std::size_t>(n);
        fault f;
        std::uint64_t after;
        {
            std::lock_guard lk(mu_);
            f = dir == dir_ ? fault_ : fault::none;
            after = after_;
        }
        if (f != fault::none && !l->faulted && moved + len > after) {
            std::size_t keep = static_cast<std::size_t>(after - std::min(after, moved));
            if (keep) ::send(to, buf, keep, MSG_NOSIGNAL);
            l->faulted = true;
            applied_++;
            if (f == fault::stall) {
                // Hold both directions: nothing more moves, the sockets stay open.
                while (!stop_ && !l->closed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
                return;
            }
            if (f == fault::cut) {
                std::lock_guard lk(l->mu);
                l->closed = true;
                ::shutdown(l->client, SHUT_RDWR);
                ::shutdown(l->server, SHUT_RDWR);
                return;
            }
            l->reset_both();
            return;
        }
        if (l->faulted) {   // the other direction of a stalled link: hold it too
            while (!stop_ && !l->closed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            return;
        }
        std::size_t off = 0;
        while (off < len) {
            auto w = ::send(to, buf + off, len - off, MSG_NOSIGNAL);
            if (w <= 0) return;
            off += static_cast<std::size_t>(w);
        }
        moved += len;
    }
}

}  // namespace faults
