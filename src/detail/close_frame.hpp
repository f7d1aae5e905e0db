// src/detail/close_frame.hpp — whether the server's websocket close frame has arrived.
#pragma once

#include <boost/beast/websocket.hpp>

namespace lxd::detail {

/// Watches one websocket for the server's close frame while it is read. A close frame
/// ends a stream: everything sent before it has arrived. Beast then writes the close reply
/// and tears down, and reports a failure of those (EPIPE, a reset: the server already hung
/// up) as the read's error; with the frame seen, that error is not lost output.
template <class WS>
class close_frame_watch {
public:
    explicit close_frame_watch(WS& ws) : ws_(ws) {
        ws_.control_callback([this](boost::beast::websocket::frame_type kind, boost::beast::string_view) {
            if (kind == boost::beast::websocket::frame_type::close) seen_ = true;
        });
    }
    ~close_frame_watch() { ws_.control_callback(); }
    close_frame_watch(const close_frame_watch&) = delete;
    close_frame_watch& operator=(const close_frame_watch&) = delete;

    bool seen() const { return seen_; }

private:
    WS& ws_;
    bool seen_ = false;
};

}  // namespace lxd::detail
