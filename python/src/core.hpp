// python/src/core.hpp — the lxdpp._core extension: what the bindings share.
//
// The pure-Python layer (python/lxdpp/) builds pylxd's models over a few calls of this
// module. Rules kept by every binding here:
// - Python objects are converted to C++ values before the GIL is released, and results back
//   after it is taken again: no Python object is touched while a request runs.
// - lxdpp's I/O thread never calls into Python: callbacks queue, the waiting caller
//   dispatches (exec handlers).
#pragma once

#include <pybind11/pybind11.h>

#include <chrono>
#include <optional>

#include <lxd/lxd.hpp>

namespace lxdpy {

namespace py = pybind11;

void bind_client(py::module_& m);
void bind_instance(py::module_& m);
void bind_resources(py::module_& m);

/// Seconds as Python gives them (None: no limit) to a C++ duration.
inline std::optional<std::chrono::milliseconds> to_ms(const std::optional<double>& seconds) {
    if (!seconds) return std::nullopt;
    return std::chrono::milliseconds(static_cast<long long>(*seconds * 1000.0));
}

/// The handle of instance `name` of client `c`, made without a request.
inline lxd::instance instance_of(const lxd::client& c, const std::string& name) {
    lxd::api::instance data;
    data.name = name;
    return lxd::instance(c, std::move(data), {});
}

}  // namespace lxdpy
