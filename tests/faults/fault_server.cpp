#include "fault_server.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

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

std::string fault_server::async_response(const std::string& id, const std::string& operation) {
    std::string body = R"({"type":"async","status":"Operation created","status_code":100,"operation":"/1.0/operations/)" + id +
                       R"(","error_code":0,"error":"","metadata":)" + operation + "}";
    return "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nLocation: /1.0/operations/" + id +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

bool fault_server::accept_websocket(int fd, std::string* request) {
    std::string req;
    if (!read_request(fd, &req)) return false;
    if (request) *request = req;
    std::string lower = req;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto k = lower.find("sec-websocket-key:");
    if (k == std::string::npos) return false;
    auto start = req.find_first_not_of(' ', k + 18);
    auto key = req.substr(start, req.find("\r\n", start) - start);
    key += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
    unsigned char accept[64];
    int n = EVP_EncodeBlock(accept, digest, SHA_DIGEST_LENGTH);
    write_all(fd, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
                      std::string(reinterpret_cast<char*>(accept), static_cast<size_t>(n)) + "\r\n\r\n");
    return true;
}

void fault_server::ws_send(int fd, int opcode, const std::string& payload) {
    std::string f;
    f.push_back(static_cast<char>(0x80 | opcode));
    if (payload.size() < 126) {
        f.push_back(static_cast<char>(payload.size()));
    } else if (payload.size() < 65536) {
        f.push_back(126);
        f.push_back(static_cast<char>(payload.size() >> 8));
        f.push_back(static_cast<char>(payload.size() & 0xff));
    } else {
        f.push_back(127);
        for (int i = 7; i >= 0; --i) f.push_back(static_cast<char>((payload.size() >> (8 * i)) & 0xff));
    }
    write_all(fd, f + payload);
}

namespace {
bool read_exact(int fd, unsigned char* p, size_t n) {
    while (n) {
        auto got = ::recv(fd, p, n, 0);
        if (got <= 0) return false;
        p += got;
        n -= static_cast<size_t>(got);
    }
    return true;
}
}  // namespace

bool fault_server::ws_read(int fd, int* opcode, std::string* payload) {
    unsigned char h[2];
    if (!read_exact(fd, h, 2)) return false;
    *opcode = h[0] & 0x0f;
    uint64_t len = h[1] & 0x7f;
    if (len == 126 || len == 127) {
        unsigned char ext[8];
        size_t n = len == 126 ? 2 : 8;
        if (!read_exact(fd, ext, n)) return false;
        len = 0;
        for (size_t i = 0; i < n; ++i) len = (len << 8) | ext[i];
    }
    if (len > (1u << 20)) return false;
    unsigned char mask[4] = {0, 0, 0, 0};
    if ((h[1] & 0x80) && !read_exact(fd, mask, 4)) return false;
    payload->assign(len, '\0');
    if (len && !read_exact(fd, reinterpret_cast<unsigned char*>(payload->data()), len)) return false;
    for (size_t i = 0; i < len; ++i) (*payload)[i] = static_cast<char>((*payload)[i] ^ mask[i % 4]);
    return true;
}

}  // namespace faults
