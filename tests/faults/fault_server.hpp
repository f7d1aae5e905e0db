// tests/faults/fault_server.hpp — a tiny scripted HTTP server on a Unix socket, for faults
// a real LXD cannot be made to produce (garbage, silence, truncation, dropped requests).
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace faults {

class fault_server {
public:
    /// `handler(fd, connection_index)` runs for each accepted connection on its own thread.
    explicit fault_server(std::function<void(int, int)> handler);
    ~fault_server();
    const std::string& path() const { return path_; }
    int requests_seen() const { return requests_.load(); }
    int connections_seen() const { return connections_.load(); }

    /// Reads one request (headers and Content-Length body); false on EOF. Counts it.
    bool read_request(int fd, std::string* out = nullptr);
    static void write_all(int fd, const std::string& s);
    /// A valid LXD sync response with `metadata` (JSON), keep-alive.
    static std::string sync_response(const std::string& metadata);

private:
    std::string path_;
    int listen_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::atomic<int> requests_{0}, connections_{0};
    std::thread thread_;
    std::function<void(int, int)> handler_;
};

}  // namespace faults
