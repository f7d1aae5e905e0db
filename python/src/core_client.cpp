// python/src/core_client.cpp — the module, error translation, and the client calls.
#include "core.hpp"

#include <pybind11/stl.h>

#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace lxdpy {
namespace {

using raw_answer = std::tuple<std::string, int, std::string, std::string, std::string>;

lxd::client_options make_options(const std::optional<double>& timeout, const std::string& project) {
    lxd::client_options o;
    if (auto t = to_ms(timeout)) o.timeout = *t;
    o.project = project;
    o.user_agent = "lxdpp-python/0.1";
    return o;
}

lxd::client connect_unix(const std::string& path, std::optional<double> timeout, const std::string& project) {
    return lxd::client::connect_unix(path, make_options(timeout, project));
}

lxd::client connect_https(const std::string& url, const py::dict& tls, std::optional<double> timeout,
                          const std::string& project) {
    lxd::tls_options t;
    auto text = [&](const char* key) { return tls.contains(key) ? tls[key].cast<std::string>() : std::string(); };
    t.client_cert_pem = text("client_cert_pem");
    t.client_key_pem = text("client_key_pem");
    t.server_cert_pem = text("server_cert_pem");
    t.server_fingerprint = text("server_fingerprint");
    t.ca_pem = text("ca_pem");
    py::gil_scoped_release unlocked;
    return lxd::client::connect_https(url, std::move(t), make_options(timeout, project));
}

raw_answer raw(const lxd::client& c, const std::string& method, const std::string& path,
               const std::vector<std::pair<std::string, std::string>>& query, const std::string& body,
               const std::string& etag, bool wait) {
    lxd::raw_request r;
    r.method = method;
    r.path = path;
    r.query = query;
    r.body = body;
    r.etag = etag;
    r.wait = wait;
    r.wait_timeout = std::chrono::hours(24 * 365);   // pylxd's wait=True has no deadline
    auto a = c.raw(r);
    return {std::move(a.type), a.status_code, std::move(a.operation), std::move(a.metadata_json), std::move(a.etag)};
}

/// A request whose answer is not read as an envelope (client.api with data=, a file GET):
/// (HTTP status, [(header, value)] with lowercased names, body bytes). The body may be bytes.
py::tuple raw_bytes(const lxd::client& c, const std::string& method, const std::string& path,
                    const std::vector<std::pair<std::string, std::string>>& query, const py::bytes& body,
                    const std::string& content_type, const std::vector<std::pair<std::string, std::string>>& headers) {
    lxd::raw_request r;
    r.method = method;
    r.path = path;
    r.query = query;
    r.body = std::string(body);
    r.content_type = content_type;
    r.headers = headers;
    r.envelope = false;
    lxd::raw_response a;
    {
        py::gil_scoped_release unlocked;
        a = c.raw(r);
    }
    return py::make_tuple(a.http_status, a.headers, py::bytes(a.body));
}

/// Instances (of one type, or every type for "") in one request, as JSON texts.
std::vector<std::string> list_instances(const lxd::client& c, const std::string& type, bool with_state) {
    lxd::list_options o;
    o.with_state = with_state;
    auto mgr = type == "container" ? c.containers() : type == "virtual-machine" ? c.virtual_machines() : c.instances();
    std::vector<std::string> out;
    for (auto& i : mgr.all(o)) out.push_back(i.data().raw_json);
    return out;
}

/// Waits for operation `id` (no deadline when `timeout` is None); the final operation's JSON.
/// A failed operation is returned, not thrown, as LXD's /wait answers it (on Incus too).
std::string wait_operation(const lxd::client& c, const std::string& id, std::optional<double> timeout) {
    auto op = c.get_operation(id);
    try {
        return op.wait(to_ms(timeout)).raw_json;
    } catch (const lxd::error& e) {
        if (e.code_value() != lxd::errc::operation_failed && e.code_value() != lxd::errc::operation_cancelled) throw;
        // Incus answers /wait of a failed operation with an error, not the operation (whose
        // last state seen may still be "Running"): read it once more.
        return c.get_operation(id).info().raw_json;
    }
}

/// lxd::error as lxdpp.exceptions builds it (pylxd's classes, with a synthetic response).
void translate(std::exception_ptr p) {
    try {
        if (p) std::rethrow_exception(p);
    } catch (const lxd::error& e) {
        auto mod = py::module_::import("lxdpp.exceptions");
        auto exc = mod.attr("_from_core")(std::string(lxd::to_string(e.code_value())), e.http_status(),
                                          e.server_message(), e.request(), e.operation_id(), std::string(e.what()));
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
    }
}

}  // namespace

void bind_client(py::module_& m) {
    py::register_exception_translator(&translate);
    using release = py::call_guard<py::gil_scoped_release>;
    py::class_<lxd::client>(m, "Client")
        .def_static("unix", &connect_unix, py::arg("path"), py::arg("timeout"), py::arg("project"), release())
        .def_static("https", &connect_https, py::arg("url"), py::arg("tls"), py::arg("timeout"), py::arg("project"))
        .def("host_info", [](const lxd::client& c) { return c.host_info().raw_json; }, release())
        .def("authenticate", [](const lxd::client& c, const std::string& s) { c.authenticate(s); }, release())
        .def("raw", &raw, py::arg("method"), py::arg("path"), py::arg("query"), py::arg("body"), py::arg("etag"),
             py::arg("wait"), release())
        .def("raw_bytes", &raw_bytes, py::arg("method"), py::arg("path"), py::arg("query"), py::arg("body"),
             py::arg("content_type"), py::arg("headers"))
        .def("list_instances", &list_instances, py::arg("type"), py::arg("with_state"), release())
        .def("wait_operation", &wait_operation, py::arg("id"), py::arg("timeout"), release())
        .def("request_count", &lxd::client::request_count);
    m.def("find_unix_socket", [] { return lxd::find_unix_socket(); }, release());
    m.def("fetch_server_certificate", [](const std::string& url) { return lxd::fetch_server_certificate(url); },
          release());
    m.def("certificate_fingerprint", [](const std::string& pem) { return lxd::certificate_fingerprint(pem); });
}

}  // namespace lxdpy

PYBIND11_MODULE(_core, m) {
    m.doc() = "lxdpp's native core for the pylxd-compatible lxdpp package";
    lxdpy::bind_client(m);
    lxdpy::bind_instance(m);
    lxdpy::bind_resources(m);
}
