#include "fault_server.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <vector>

namespace faults {

fault_server::fault_server(std::function<void(int, int)> handler) : handler_(std::move(handler)) {
    static std::atomic<int> n{0};
    path_ = "/tmp/lxdpp-fault-" + std::to_string(getpid()) + "-" + std::to_string(n++) + ".sock";
    ::unlink(path_.c_str());
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0)
        throw std::runtime_error("fault_server: cannot listen on " + path_);
    thread_ = std::thread([this] {
        std::vector<std::thread> workers;
        int index = 0;
        while (!stop_) {
            pollfd p{listen_fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) continue;
            connections_++;
            workers.emplace_back([this, fd, i = index++] {
                handler_(fd, i);
                ::close(fd);
            });
        }
        for (auto& w : workers) w.join();
    });
}

fault_server::~fault_server() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
    ::unlink(path_.c_str());
}

bool fault_server::read_request(int fd, std::string* out) {
    std::string data;
    char buf[4096];
    size_t header_end = std::string::npos;
    while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
        auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return false;
        data.append(buf, static_cast<size_t>(n));
    }
    size_t length = 0;
    auto cl = data.find("Content-Length: ");
    if (cl == std::string::npos) cl = data.find("content-length: ");
    if (cl != std::string::npos && cl < header_end) length = std::stoul(data.substr(cl + 16));
    while (data.size() < header_end + 4 + length) {
        auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return false;
        data.append(buf, static_cast<size_t>(n));
    }
    requests_++;
    if (out) *out = data;
    return true;
}

void fault_server::write_all(int fd, const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
        auto n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return;
        off += static_cast<size_t>(n);
    }
}

std::string fault_server::sync_response(const std::string& metadata) {
    std::string body = R"({"type":"sync","status":"Success","status_code":200,"operation":"","error_code":0,"error":"","metadata":)" +
                       metadata + "}";
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

}  // namespace faults
