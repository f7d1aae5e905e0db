// python/src/core_resources.cpp — networks, storage pools and volumes, certificates, the
// cluster, events, migration and image upload/export: lxdpp's C++ managers and handles
// exposed as plain calls returning the server's JSON (the pure-Python models parse it).
//
// Saving goes through a handle made from the Python model's values and the ETag of its last
// read, so the C++ library's If-Match check applies (see python/README.md).
#include "core.hpp"

#include <pybind11/stl.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace lxdpy {
namespace {

using config = std::map<std::string, std::string>;
using json_etag = std::pair<std::string, std::string>;
using release = py::call_guard<py::gil_scoped_release>;

lxd::api::config_map to_config(const config& c) { return lxd::api::config_map(c.begin(), c.end()); }

template <class Handle>
std::vector<std::string> jsons(const std::vector<Handle>& handles) {
    std::vector<std::string> out;
    out.reserve(handles.size());
    for (auto& h : handles) out.push_back(h.data().raw_json);
    return out;
}

/// The handle's JSON as the server sent it, and its ETag.
template <class Handle>
json_etag with_etag(const Handle& h) {
    return {h.data().raw_json, h.etag()};
}

// ---- networks -----------------------------------------------------------------------------

json_etag network_get(const lxd::client& c, const std::string& name) {
    return with_etag(c.networks().get(name));
}

json_etag network_create(const lxd::client& c, const std::string& name, const std::string& type,
                         const std::string& description, const config& cfg) {
    return with_etag(c.networks().create({name, type, description, to_config(cfg)}));
}

json_etag network_save(const lxd::client& c, const std::string& name, const std::string& description,
                       const config& cfg, const std::string& etag) {
    lxd::api::network data;
    data.name = name;
    lxd::network n(c, std::move(data), etag);
    n.set_description(description).set_config(to_config(cfg));
    n.save();
    return with_etag(n);
}

lxd::network network_of(const lxd::client& c, const std::string& name) {
    lxd::api::network data;
    data.name = name;
    return lxd::network(c, std::move(data), {});
}

std::vector<config> network_leases(const lxd::client& c, const std::string& name) {
    std::vector<config> out;
    for (auto& l : network_of(c, name).leases())
        out.push_back({{"hostname", l.hostname}, {"hwaddr", l.hwaddr}, {"address", l.address}, {"type", l.type},
                       {"location", l.location}, {"project", l.project}});
    return out;
}

void bind_networks(py::module_& m) {
    m.def("networks_all", [](const lxd::client& c) { return jsons(c.networks().all()); }, release());
    m.def("network_get", &network_get, release());
    m.def("network_create", &network_create, release());
    m.def("network_save", &network_save, release());
    m.def("network_rename", [](const lxd::client& c, const std::string& n, const std::string& to) {
        network_of(c, n).rename(to);
    }, release());
    m.def("network_delete", [](const lxd::client& c, const std::string& n) { network_of(c, n).remove(); }, release());
    m.def("network_state", [](const lxd::client& c, const std::string& n) { return network_of(c, n).state().raw_json; },
          release());
    m.def("network_leases", &network_leases, release());
}

// ---- storage pools and volumes ------------------------------------------------------------

lxd::storage_pool pool_of(const lxd::client& c, const std::string& name, const std::string& etag = {}) {
    lxd::api::storage_pool data;
    data.name = name;
    return lxd::storage_pool(c, std::move(data), etag);
}

json_etag pool_get(const lxd::client& c, const std::string& name) {
    return with_etag(c.storage_pools().get(name));
}

json_etag pool_create(const lxd::client& c, const std::string& name, const std::string& driver,
                      const std::string& description, const config& cfg) {
    return with_etag(c.storage_pools().create({name, driver, description, to_config(cfg)}));
}

/// `read_json`: the pool as last read; without an ETag (LXD 5.0 sends none for pools) the C++
/// handle compares it with the server's before the PUT, refusing a lost update.
json_etag pool_save(const lxd::client& c, const std::string& name, const std::string& description, const config& cfg,
                    const std::string& etag, const std::string& read_json) {
    lxd::api::storage_pool data;
    data.name = name;
    data.raw_json = read_json;
    lxd::storage_pool p(c, std::move(data), etag);
    p.set_description(description).set_config(to_config(cfg));
    p.save();
    return with_etag(p);
}

lxd::storage_volume volume_of(const lxd::client& c, const std::string& pool, const std::string& name,
                              const std::string& etag = {}) {
    lxd::api::storage_volume data;
    data.name = name;
    data.type = "custom";
    return lxd::storage_volume(c, pool, std::move(data), etag);
}

std::vector<std::string> volumes_all(const lxd::client& c, const std::string& pool) {
    std::vector<std::string> out;
    for (auto& v : pool_of(c, pool).volumes().all_types()) out.push_back(v.raw_json);
    return out;
}

json_etag volume_get(const lxd::client& c, const std::string& pool, const std::string& name) {
    return with_etag(pool_of(c, pool).volumes().get(name));
}

json_etag volume_create(const lxd::client& c, const std::string& pool, const std::string& name,
                        const std::string& description, const std::string& content_type, const config& cfg) {
    return with_etag(pool_of(c, pool).volumes().create({name, description, content_type, to_config(cfg)}));
}

json_etag volume_save(const lxd::client& c, const std::string& pool, const std::string& name,
                      const std::string& description, const config& cfg, const std::string& etag) {
    auto v = volume_of(c, pool, name, etag);
    v.set_description(description).set_config(to_config(cfg));
    v.save();
    return with_etag(v);
}

void bind_storage(py::module_& m) {
    m.def("pools_all", [](const lxd::client& c) { return jsons(c.storage_pools().all()); }, release());
    m.def("pool_get", &pool_get, release());
    m.def("pool_create", &pool_create, release());
    m.def("pool_save", &pool_save, release());
    m.def("pool_delete", [](const lxd::client& c, const std::string& n) { pool_of(c, n).remove(); }, release());
    m.def("pool_resources", [](const lxd::client& c, const std::string& n) { return pool_of(c, n).resources().raw_json; },
          release());
    m.def("volumes_all", &volumes_all, release());
    m.def("volume_get", &volume_get, release());
    m.def("volume_create", &volume_create, release());
    m.def("volume_save", &volume_save, release());
    m.def("volume_move", [](const lxd::client& c, const std::string& pool, const std::string& n,
                            const std::string& to_pool, const std::string& to) { volume_of(c, pool, n).move_to(to_pool, to); },
          release());
    m.def("volume_rename", [](const lxd::client& c, const std::string& pool, const std::string& n,
                              const std::string& to) { volume_of(c, pool, n).rename(to); }, release());
    m.def("volume_delete", [](const lxd::client& c, const std::string& pool, const std::string& n) {
        volume_of(c, pool, n).remove();
    }, release());
}

// ---- certificates and the cluster ---------------------------------------------------------

json_etag certificate_get(const lxd::client& c, const std::string& fingerprint) {
    return with_etag(c.certificates().get(fingerprint));
}

void certificate_add(const lxd::client& c, const std::string& pem, const std::string& name, const std::string& type,
                     bool restricted, const std::vector<std::string>& projects) {
    lxd::certificate_add a;
    a.pem = pem;
    a.name = name;
    a.type = type;
    a.restricted = restricted;
    a.projects = projects;
    c.certificates().add(a);
}

json_etag certificate_save(const lxd::client& c, const std::string& fingerprint, const std::string& name,
                           bool restricted, const std::vector<std::string>& projects, const std::string& etag) {
    auto cert = c.certificates().get(fingerprint);   // the PUT needs the certificate itself
    lxd::api::certificate data = cert.data();
    lxd::certificate edited(c, std::move(data), etag);
    edited.set_name(name).set_restricted(restricted).set_projects(projects);
    edited.save();
    return with_etag(edited);
}

void bind_trust_and_cluster(py::module_& m) {
    m.def("certificates_all", [](const lxd::client& c) { return jsons(c.certificates().all()); }, release());
    m.def("certificate_get", &certificate_get, release());
    m.def("certificate_add", &certificate_add, release());
    m.def("certificate_save", &certificate_save, release());
    m.def("certificate_delete", [](const lxd::client& c, const std::string& fp) { c.certificates().get(fp).remove(); },
          release());
    m.def("cluster_info", [](const lxd::client& c) { return c.cluster().info().raw_json; }, release());
    m.def("cluster_members", [](const lxd::client& c) { return jsons(c.cluster().members()); }, release());
    m.def("cluster_member", [](const lxd::client& c, const std::string& n) { return c.cluster().member(n).data().raw_json; },
          release());
}

// ---- operations, events, migration, images ------------------------------------------------

/// Waits for `op` (no deadline when `timeout` is None); the final operation's JSON. Failures
/// raise (lxdpp.exceptions), as the C++ wait throws them.
std::string operation_wait(const lxd::operation& op, std::optional<double> timeout) {
    return op.wait(to_ms(timeout)).raw_json;
}

lxd::event_stream events_open(const lxd::client& c, const std::vector<std::string>& types, bool all_projects) {
    lxd::event_options o;
    o.types = types;
    o.all_projects = all_projects;
    return c.events(std::move(o));
}

std::optional<std::string> events_next(lxd::event_stream& s, double timeout) {
    auto e = s.next(std::chrono::milliseconds(static_cast<long long>(timeout * 1000.0)));
    if (!e) return std::nullopt;
    return e->raw_json;
}

lxd::operation migrate(const lxd::client& c, const std::string& name, const lxd::client& target, bool live) {
    lxd::migrate_options o;
    o.live = live;
    return instance_of(c, name).migrate(target, o);
}

/// Uploads the image file at `path` (with `metadata_path`: a split image, `path` its rootfs);
/// the new image's fingerprint (waited for).
std::string image_import(const lxd::client& c, const std::string& path, const std::string& metadata_path,
                         bool is_public, const std::string& fingerprint) {
    lxd::image_import o;
    o.is_public = is_public;
    o.fingerprint = fingerprint;
    auto op = metadata_path.empty() ? c.images().import_file(path, o) : c.images().import_split(metadata_path, path, o);
    return lxd::image_fingerprint(op.wait());
}

/// Copies image `image` (fingerprint or alias) from `source`'s server to `target`'s (lxdpp
/// picks pull, or a relay through this machine when the source has no network address);
/// `alias` (when not empty) is created on the target. The image's fingerprint there.
std::string image_copy(const lxd::client& target, const lxd::client& source, const std::string& image,
                       bool is_public, bool auto_update, const std::string& alias) {
    lxd::image_copy o;
    o.is_public = is_public;
    o.auto_update = auto_update;
    if (!alias.empty()) o.aliases.push_back(alias);
    return target.images().copy_from(source, image, o).fingerprint();
}

/// Exports image `fingerprint` into `directory`: (split, paths written).
std::pair<bool, std::vector<std::string>> image_export(const lxd::client& c, const std::string& fingerprint,
                                                       const std::string& directory) {
    auto e = c.images().get(fingerprint).export_to(directory);
    return {e.split, e.files};
}

void bind_async(py::module_& m) {
    py::class_<lxd::operation>(m, "Operation")
        .def_property_readonly("id", &lxd::operation::id)
        .def("wait", &operation_wait, py::arg("timeout") = py::none(), release());
    py::class_<lxd::event_stream>(m, "EventStream")
        .def("next", &events_next, py::arg("timeout"), release())
        .def("close", &lxd::event_stream::close, release());
    m.def("events_open", &events_open, release());
    m.def("migrate", &migrate, release());
    m.def("image_import", &image_import, release());
    m.def("image_export", &image_export, release());
    m.def("image_copy", &image_copy, py::arg("target"), py::arg("source"), py::arg("image"), py::arg("public"),
          py::arg("auto_update"), py::arg("alias"), release());
}

}  // namespace

void bind_resources(py::module_& m) {
    bind_networks(m);
    bind_storage(m);
    bind_trust_and_cluster(m);
    bind_async(m);
}

}  // namespace lxdpy
