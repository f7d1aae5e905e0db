// lxd/console.hpp — an instance's console, interactive (what `lxc console` attaches to).
// The console log is instance::console_log() (instances.hpp).
#pragma once

#include <lxd/export.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <lxd/exec.hpp>

namespace lxd {

namespace detail { struct session_base; struct core; struct console_access; }

/// What instance::console() attaches to.
struct console_options {
    unsigned width = 80;    ///< the console's window size (1..65535)
    unsigned height = 24;
    /// Incus: take the console over from the client that holds it (Incus lets one client
    /// attach at a time and refuses a second without force; the first one's output then
    /// ends). LXD 5.0 has no such field and ignores it.
    bool force = false;
    /// "console" (the text console). "vga" (a virtual machine's SPICE display) is not
    /// supported by lxdpp and is refused, as any other type, before any request.
    std::string type = "console";
};

/// An instance's console on its two websockets (the terminal's bytes and control), on the
/// same plumbing as exec_session. Output is what the console prints (with no getty: the
/// echo of what was typed); input goes to it as keystrokes.
/// The server attaches the console only after both websockets are connected, by a helper
/// process (milliseconds on an idle machine, seconds on a busy one); keystrokes that arrive
/// before are discarded by the console's terminal set-up, which a human typing into
/// `lxc console` never notices. A script should wait for output (or type a probe until it
/// is echoed) before it relies on what it types.
/// Thread safety: all members may be called from any thread; read() from one at a time.
class LXDPP_API console_session {
public:
    console_session() = default;
    console_session(console_session&&) noexcept = default;
    console_session& operator=(console_session&&) noexcept = default;
    /// Detaches at once if detach() was not called (both websockets close).
    ~console_session() = default;

    /// Sends bytes to the console (keystrokes). Queued; never blocks on the network.
    void write(std::string_view data);
    /// The next chunk of output; nullopt if none arrives within `timeout`; an empty string
    /// once the output has ended (after a detach, or when the console ended: the instance
    /// stopped, or Incus gave it to a client that forced it over).
    std::optional<std::string> read(std::chrono::milliseconds timeout);
    /// Sets the console's window size (the control websocket's "window-resize").
    void resize(unsigned width, unsigned height);
    /// Detaches, as ctrl+a q in lxc: closes the control websocket with a close frame; the
    /// server then ends the console, its output and the operation. Waits up to `timeout`
    /// for that and throws errc::timeout if it does not come (or the operation's failure).
    /// Output still queued stays readable with read().
    void detach(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    /// True once the server has ended the operation and the output has ended.
    bool done() const;

private:
    friend struct detail::console_access;
    console_session(exec_session terminal, std::shared_ptr<detail::core> core, std::shared_ptr<detail::session_base> s);
    exec_session terminal_;                      // the plumbing: write, read, resize, the end
    std::shared_ptr<detail::core> core_;
    std::shared_ptr<detail::session_base> s_;    // the same session, for detach()
};

}  // namespace lxd
