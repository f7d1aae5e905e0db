// python/src/core_instance.cpp — execute (with output handlers) and files of an instance.
#include "core.hpp"

#include <pybind11/stl.h>

#include <condition_variable>
#include <csignal>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace lxdpy {
namespace {

using namespace std::chrono_literals;

/// Output chunks queued by lxdpp's I/O thread for the Python thread that waits.
struct chunk_queue {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::pair<int, std::string>> items;

    void push(int stream, std::string_view data) {
        {
            std::lock_guard lk(mu);
            items.emplace_back(stream, std::string(data));
        }
        cv.notify_one();
    }
    /// Waits (GIL released by the caller) up to `slice` for a chunk; takes every queued one.
    std::deque<std::pair<int, std::string>> take(std::chrono::milliseconds slice) {
        std::unique_lock lk(mu);
        cv.wait_for(lk, slice, [&] { return !items.empty(); });
        std::deque<std::pair<int, std::string>> out;
        out.swap(items);
        return out;
    }
};

struct exec_args {
    std::vector<std::string> argv;
    std::map<std::string, std::string> environment;
    std::string cwd;
    std::optional<std::uint32_t> user, group;
    std::string stdin_data;
};

lxd::exec_options make_exec_options(exec_args& a) {
    lxd::exec_options o;
    o.environment = std::move(a.environment);
    o.cwd = std::move(a.cwd);
    o.user = a.user;
    o.group = a.group;
    o.stdin_data = std::move(a.stdin_data);
    return o;
}

/// Runs the command with its output sent to `on_chunk(stream, bytes)` (1 stdout, 2 stderr),
/// called on this thread with the GIL held. A handler that raises stops the command
/// (SIGTERM); its exception is raised once the command has ended.
int execute_streaming(lxd::instance& inst, exec_args& a, const py::function& on_chunk) {
    auto q = std::make_shared<chunk_queue>();
    auto o = make_exec_options(a);
    o.on_stdout = [q](std::string_view d) { q->push(1, d); };
    o.on_stderr = [q](std::string_view d) { q->push(2, d); };
    lxd::exec_signals signals;
    o.signals = signals;
    std::shared_future<lxd::exec_result> fut;
    {
        py::gil_scoped_release unlocked;
        fut = inst.async_execute(std::move(a.argv), std::move(o));
    }
    std::optional<py::error_already_set> failure;
    for (;;) {
        bool done = false;
        std::deque<std::pair<int, std::string>> batch;
        {
            py::gil_scoped_release unlocked;
            done = fut.wait_for(0s) == std::future_status::ready;
            batch = q->take(done ? 0ms : 50ms);
        }
        for (auto& [stream, data] : batch) {
            if (failure) break;
            try {
                on_chunk(stream, py::bytes(data));
            } catch (py::error_already_set& e) {
                failure.emplace(std::move(e));
                signals.send(SIGTERM);
            }
        }
        if (!failure && PyErr_CheckSignals() != 0) {
            failure.emplace();
            signals.send(SIGTERM);
        }
        if (done && batch.empty()) break;
    }
    lxd::exec_result r;
    {
        py::gil_scoped_release unlocked;
        r = fut.get();
    }
    if (failure) throw std::move(*failure);
    return r.exit_code;
}

py::tuple execute(const lxd::client& c, const std::string& name, exec_args a, const py::object& on_chunk) {
    auto inst = instance_of(c, name);
    if (!on_chunk.is_none()) return py::make_tuple(execute_streaming(inst, a, on_chunk), py::bytes(), py::bytes());
    lxd::exec_result r;
    {
        py::gil_scoped_release unlocked;
        r = inst.execute(std::move(a.argv), make_exec_options(a));
    }
    return py::make_tuple(r.exit_code, py::bytes(r.out), py::bytes(r.err));
}

/// GET of a path: (type, bytes, directory entries, symlink target, mode, uid, gid).
py::tuple file_get(const lxd::client& c, const std::string& name, const std::string& path) {
    lxd::file_contents f;
    {
        py::gil_scoped_release unlocked;
        f = instance_of(c, name).files().get(path);
    }
    return py::make_tuple(std::string(lxd::api::to_string(f.info.type)), py::bytes(f.data), f.entries, f.target,
                          f.info.mode, f.info.uid, f.info.gid);
}

void file_put(const lxd::client& c, const std::string& name, const std::string& path, const py::bytes& data,
              std::optional<std::uint32_t> mode, std::optional<std::uint32_t> uid, std::optional<std::uint32_t> gid) {
    std::string bytes = data;
    lxd::put_options o;
    o.mode = mode;
    o.uid = uid;
    o.gid = gid;
    py::gil_scoped_release unlocked;
    instance_of(c, name).files().put(path, bytes, o);
}

void file_mkdir(const lxd::client& c, const std::string& name, const std::string& path,
                std::optional<std::uint32_t> mode, std::optional<std::uint32_t> uid, std::optional<std::uint32_t> gid) {
    lxd::mkdir_options o;
    o.mode = mode;
    o.uid = uid;
    o.gid = gid;
    instance_of(c, name).files().mkdir(path, o);
}

void register_exec_args(py::module_& m) {
    py::class_<exec_args>(m, "ExecArgs")
        .def(py::init<>())
        .def_readwrite("argv", &exec_args::argv)
        .def_readwrite("environment", &exec_args::environment)
        .def_readwrite("cwd", &exec_args::cwd)
        .def_readwrite("user", &exec_args::user)
        .def_readwrite("group", &exec_args::group)
        .def_property("stdin_data", [](const exec_args& a) { return py::bytes(a.stdin_data); },
                      [](exec_args& a, const py::bytes& b) { a.stdin_data = b; });
}

}  // namespace

void bind_instance(py::module_& m) {
    using release = py::call_guard<py::gil_scoped_release>;
    register_exec_args(m);
    m.def("execute", &execute, py::arg("client"), py::arg("name"), py::arg("args"), py::arg("on_chunk"));
    m.def("file_get", &file_get);
    m.def("file_put", &file_put);
    m.def("file_mkdir", &file_mkdir, release());
    m.def("file_remove", [](const lxd::client& c, const std::string& n, const std::string& p) {
        instance_of(c, n).files().remove(p);
    }, release());
    m.def("recursive_put", [](const lxd::client& c, const std::string& n, const std::string& src, const std::string& dst) {
        instance_of(c, n).files().recursive_put(src, dst);
    }, release());
    m.def("recursive_get", [](const lxd::client& c, const std::string& n, const std::string& src, const std::string& dst) {
        instance_of(c, n).files().recursive_get(src, dst);
    }, release());
    m.def("get_to_file", [](const lxd::client& c, const std::string& n, const std::string& src, const std::string& dst) {
        instance_of(c, n).files().get_to_file(src, dst);
    }, release());
}

}  // namespace lxdpy
