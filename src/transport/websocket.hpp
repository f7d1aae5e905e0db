// src/transport/websocket.hpp — what the websocket users (exec, the PTY session, events,
// migration) share beyond http_client::open_websocket.
#pragma once

#include "stream.hpp"

namespace lxd::transport {

/// Watches one websocket for the server's close frame while it is read. A close frame
/// ends a stream: everything sent before it has arrived. Beast then writes the close reply
/// and tears down, and reports a failure of those (EPIPE, a reset: the server already hung
/// up) as the read's error; with the frame seen, that error is not lost output.
class close_frame_watch {
public:
    explicit close_frame_watch(websocket_stream& ws) : ws_(ws) {
        ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
            if (kind == websocket::frame_type::close) seen_ = true;
        });
    }
    ~close_frame_watch() { ws_.control_callback(); }
    close_frame_watch(const close_frame_watch&) = delete;
    close_frame_watch& operator=(const close_frame_watch&) = delete;

    bool seen() const { return seen_; }

private:
    websocket_stream& ws_;
    bool seen_ = false;
};

}  // namespace lxd::transport
