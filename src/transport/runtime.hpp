// src/transport/runtime.hpp — the I/O thread: one io_context, run by one thread, for all
// of a client's connections, websockets, operation watchers and event readers.
#pragma once

#include <memory>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace lxd::transport {

class runtime {
public:
    runtime();
    ~runtime();
    runtime(const runtime&) = delete;
    runtime& operator=(const runtime&) = delete;

    boost::asio::io_context& io() { return io_; }
    bool on_io_thread() const { return thread_.get_id() == std::this_thread::get_id(); }
    /// Stops the context and joins the thread (detaches it when called on the thread itself:
    /// the last handle died inside a callback; the thread then ends by itself).
    void stop_and_join();
    /// For a destructor running on the I/O thread: destroying the io_context from inside its
    /// own run() would be undefined, so the context is stopped and leaked with its thread.
    static void abandon(std::unique_ptr<runtime> rt);

private:
    boost::asio::io_context io_{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_{io_.get_executor()};
    std::thread thread_;
};

}  // namespace lxd::transport
