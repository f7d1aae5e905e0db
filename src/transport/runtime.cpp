#include "runtime.hpp"

namespace lxd::transport {

runtime::runtime() : thread_([this] { io_.run(); }) {}

void runtime::stop_and_join() {
    guard_.reset();
    io_.stop();
    if (!thread_.joinable()) return;
    if (on_io_thread())
        thread_.detach();
    else
        thread_.join();
}

void runtime::abandon(std::unique_ptr<runtime> rt) {
    rt->guard_.reset();
    rt->io_.stop();
    rt->thread_.detach();
    (void)rt.release();
}

runtime::~runtime() { stop_and_join(); }

}  // namespace lxd::transport
