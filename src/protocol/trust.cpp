#include "trust.hpp"

#include <algorithm>
#include <cctype>

#include "codecs.hpp"
#include "errors.hpp"
#include "json_reader.hpp"
#include "validation.hpp"

namespace lxd::protocol {

namespace {

bool all_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

void check_certificate_fingerprint(std::string_view fp) {
    if (fp.empty() || fp.size() > 64 || !all_hex(fp))
        fail_invalid("'" + std::string(fp) + "' is not a certificate fingerprint (1 to 64 hexadecimal digits)");
}


std::string certificate_path(std::string_view fp) {
    check_certificate_fingerprint(fp);
    return api_path({"certificates", fp});
}

std::string warning_path(std::string_view uuid) {
    check_uuid(uuid);
    return api_path({"warnings", uuid});
}

}  // namespace

request certificate_list(bool full) {
    return unscoped(make_request(verb::get, "/1.0/certificates", full ? query_list{{"recursion", "1"}} : query_list{}));
}

request certificate_get(std::string_view fp) { return unscoped(make_request(verb::get, certificate_path(fp))); }

std::string certificate_der_base64(std::string_view pem) {
    constexpr std::string_view begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----";
    auto b = pem.find(begin);
    auto e = pem.find(end);
    if (b == std::string_view::npos || e == std::string_view::npos || e < b)
        fail_invalid("the certificate must be PEM (a -----BEGIN CERTIFICATE----- block)");
    if (pem.find(begin, b + 1) != std::string_view::npos) fail_invalid("the PEM holds more than one certificate");
    std::string body;
    for (char c : pem.substr(b + begin.size(), e - b - begin.size())) {
        if (std::isspace(static_cast<unsigned char>(c))) continue;
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=')
            fail_invalid("the PEM certificate body is not base64");
        body.push_back(c);
    }
    if (body.empty() || body.size() % 4 != 0) fail_invalid("the PEM certificate body is not base64");
    return body;
}

request certificate_add(std::string_view pem, std::string_view name, std::string_view type, bool restricted,
                        const std::vector<std::string>& projects, std::string_view description) {
    if (type != "client" && type != "metrics") fail_invalid("certificate type must be \"client\" or \"metrics\"");
    for (auto& p : projects) check_project_name(p);
    json::object body{{"type", std::string(type)}, {"certificate", certificate_der_base64(pem)}, {"name", std::string(name)},
                      {"restricted", restricted}, {"projects", encode_strings(projects)}};
    if (!description.empty()) body["description"] = std::string(description);
    return unscoped(json_request(verb::post, "/1.0/certificates", json::serialize(body)));
}

request certificate_put(const api::certificate& data, std::string_view etag) {
    auto path = certificate_path(data.fingerprint);
    for (auto& p : data.projects) check_project_name(p);
    json::object o;
    if (!data.raw_json.empty()) {   // fields this library does not know go back as they came
        o = stored_object(data.raw_json, "certificate");
    }
    o["name"] = data.name;
    o["type"] = data.type;
    o["restricted"] = data.restricted;
    o["projects"] = encode_strings(data.projects);
    o["certificate"] = data.pem;
    o.erase("fingerprint");
    auto r = unscoped(json_request(verb::put, std::move(path), json::serialize(o)));
    set_if_match(r, etag);
    return r;
}

request certificate_delete(std::string_view fp) { return unscoped(make_request(verb::delete_, certificate_path(fp))); }

void check_uuid(std::string_view u) {
    bool ok = u.size() == 36;
    for (std::size_t i = 0; ok && i < u.size(); ++i)
        ok = (i == 8 || i == 13 || i == 18 || i == 23) ? u[i] == '-' : std::isxdigit(static_cast<unsigned char>(u[i])) != 0;
    if (!ok) fail_invalid("'" + std::string(u) + "' is not a UUID (8-4-4-4-12 hexadecimal digits)");
}

request warning_list(bool all_projects) {
    query_list q{{"recursion", "1"}};
    if (all_projects) q.emplace_back("all-projects", "true");
    auto r = make_request(verb::get, "/1.0/warnings", std::move(q));
    r.scoped = !all_projects;   // the client's project, unless every project is asked for
    return r;
}

request warning_get(std::string_view uuid) { return unscoped(make_request(verb::get, warning_path(uuid))); }

request warning_status(std::string_view uuid, bool acknowledged) {
    auto path = warning_path(uuid);
    return unscoped(json_request(verb::put, std::move(path),
                                 json::serialize(json::object{{"status", acknowledged ? "acknowledged" : "new"}})));
}

request warning_delete(std::string_view uuid) { return unscoped(make_request(verb::delete_, warning_path(uuid))); }

api::certificate decode_certificate(const json::value& v, const std::string& rl) {
    reader r{as_object(v, rl, "certificate"), rl};
    api::certificate c;
    c.pem = r.str("certificate");
    c.fingerprint = r.str("fingerprint");
    c.name = r.str("name");
    c.type = r.str("type");
    c.restricted = r.boolean("restricted");
    c.projects = r.strings("projects");
    c.description = r.str("description");
    c.raw_json = json::serialize(v);
    return c;
}

api::warning decode_warning(const json::value& v, const std::string& rl) {
    reader r{as_object(v, rl, "warning"), rl};
    api::warning w;
    w.uuid = r.str("uuid");
    w.status = r.str("status");
    w.severity = r.str("severity");
    w.type = r.str("type");
    w.count = r.integer("count");
    w.project = r.str("project");
    w.location = r.str("location");
    w.entity_url = r.str("entity_url");
    w.first_seen_at = r.str("first_seen_at");
    w.last_seen_at = r.str("last_seen_at");
    w.last_message = r.str("last_message");
    w.raw_json = json::serialize(v);
    return w;
}

}  // namespace lxd::protocol
