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
    /// A valid LXD async response (HTTP 202) for the operation object `operation` (JSON)
    /// whose id is `id`.
    static std::string async_response(const std::string& id, const std::string& operation);

    // A minimal websocket server side (RFC 6455): enough for the event stream.
    /// Reads the upgrade request and answers 101; false if it was not one. Counts it.
    bool accept_websocket(int fd, std::string* request = nullptr);
    /// Sends one unmasked frame (opcode 1 text, 2 binary, 9 ping, 10 pong).
    static void ws_send(int fd, int opcode, const std::string& payload);
    /// Reads one (masked) frame from the client; false on EOF or a malformed frame.
    static bool ws_read(int fd, int* opcode, std::string* payload);

private:
    std::string path_;
    int listen_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::atomic<int> requests_{0}, connections_{0};
    std::thread thread_;
    std::function<void(int, int)> handler_;
};

}  // namespace faults
