#include "config.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <cerrno>
#include <string_view>
#include <cstring>

#include <errno.h>   // program_invocation_short_name (glibc)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lxd/tls.hpp>

namespace lxdpp_cli {

namespace fs = std::filesystem;

namespace {

std::string home() {
    const char* h = std::getenv("HOME");
    return h && *h ? h : "/root";
}

void write_file(const std::string& path, const std::string& data, mode_t mode) {
    auto tmp = path + ".tmp";
    // Created with its final mode and never an existing file: a private key is never readable
    // by others, not even for a moment, and a planted link is not followed.
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0 && errno == EEXIST) {   // left over by an interrupted run
        ::unlink(tmp.c_str());
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    }
    if (fd < 0) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
    std::string_view rest = data;
    while (!rest.empty()) {
        auto n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            ::unlink(tmp.c_str());
            throw std::runtime_error("cannot write " + tmp);
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot write " + tmp);
    }
    fs::rename(tmp, path);   // atomic: a reader never sees half a file
}

remote builtin(const std::string& name, const std::string& addr, const std::string& proto, bool pub) {
    remote r;
    r.name = name;
    r.addr = addr;
    r.protocol = proto;
    r.is_public = pub;
    return r;
}

bool incus_client() {
    if (const char* e = std::getenv("LXDPP_CLIENT"); e && *e) {
        std::string v = e;
        if (v == "incus") return true;
        if (v == "lxc") return false;
        throw std::runtime_error("LXDPP_CLIENT must be \"lxc\" or \"incus\", not \"" + v + "\"");
    }
    return std::string_view(program_invocation_short_name) == "incus";
}

}  // namespace

bool config::incus_flavour() noexcept {
    try {
        return incus_client();
    } catch (...) {
        return false;
    }
}

config config::load() {
    config c;
    c.incus_ = incus_client();
    if (c.incus_) {
        const char* e = std::getenv("INCUS_CONF");
        c.dir_ = e && *e ? e : home() + "/.config/incus";
    } else if (const char* e = std::getenv("LXD_CONF"); e && *e) {
        c.dir_ = e;
    } else {
        c.dir_ = home() + "/.config/lxc";
        auto snap = home() + "/snap/lxd/common/config";
        if (!fs::exists(c.dir_) && fs::exists(snap)) c.dir_ = snap;
    }
    auto file = c.dir_ + "/config.yml";
    if (fs::exists(file)) {
        try {
            c.doc_ = YAML::LoadFile(file);
        } catch (const YAML::Exception& e) {
            throw std::runtime_error(file + ": " + e.what());
        }
    }
    if (!c.doc_.IsMap()) {
        // lxc's defaults when it has no configuration yet.
        c.doc_ = YAML::Node(YAML::NodeType::Map);
        c.doc_["default-remote"] = "local";
        auto rs = c.doc_["remotes"];
        rs["images"]["addr"] = "https://images.linuxcontainers.org";
        rs["images"]["protocol"] = "simplestreams";
        rs["images"]["public"] = true;
        rs["local"]["addr"] = "unix://";
        rs["local"]["public"] = false;
    }
    if (auto d = c.doc_["default-remote"]; d && d.IsScalar()) c.default_ = d.as<std::string>();
    if (auto rs = c.doc_["remotes"]; rs && rs.IsMap()) {
        for (auto it : rs) {
            remote r;
            r.name = it.first.as<std::string>();
            auto n = it.second;
            if (n["addr"]) r.addr = n["addr"].as<std::string>();
            r.protocol = n["protocol"] ? n["protocol"].as<std::string>() : "";   // as written (lxc: lxd)
            if (n["auth_type"]) r.auth_type = n["auth_type"].as<std::string>();
            if (n["project"]) r.project = n["project"].as<std::string>();
            if (n["public"]) r.is_public = n["public"].as<bool>();
            c.remotes_[r.name] = r;
        }
    }
    // The client's static remotes: always there, never written to config.yml.
    if (!c.remotes_.count("local")) c.remotes_["local"] = builtin("local", "unix://", "", false);
    if (c.incus_) {
        if (!c.remotes_.count("images"))
            c.remotes_["images"] = builtin("images", "https://images.linuxcontainers.org", "simplestreams", true);
        c.remotes_["local"].is_static = true;
    } else {
    if (!c.remotes_.count("ubuntu"))
        c.remotes_["ubuntu"] = builtin("ubuntu", "https://cloud-images.ubuntu.com/releases", "simplestreams", true);
    if (!c.remotes_.count("ubuntu-daily"))
        c.remotes_["ubuntu-daily"] = builtin("ubuntu-daily", "https://cloud-images.ubuntu.com/daily", "simplestreams", true);
    for (auto* n : {"local", "ubuntu", "ubuntu-daily"}) c.remotes_[n].is_static = true;
    }
    if (auto as = c.doc_["aliases"]; as && as.IsMap())
        for (auto it : as)
            if (it.first.IsScalar() && it.second.IsScalar()) c.aliases_[it.first.as<std::string>()] = it.second.as<std::string>();
    return c;
}

void config::force_local() {
    // incus 6 --force-local keeps the remotes (`d1:` still works) and makes `local` the default.
    if (incus_) {
        default_ = "local";
        read_only_ = true;
        return;
    }
    // As lxc --force-local: a fresh configuration, only the local socket.
    remotes_.clear();
    remotes_["local"] = builtin("local", "unix://", "", false);
    remotes_["local"].is_static = true;
    default_ = "local";
    read_only_ = true;
}

const remote& config::get(const std::string& name) const {
    auto it = remotes_.find(name);
    if (it == remotes_.end()) throw std::runtime_error("The remote \"" + name + "\" doesn't exist");
    return it->second;
}

void config::add(const remote& r) {
    auto n = doc_["remotes"][r.name];
    n["addr"] = r.addr;
    if (!r.auth_type.empty()) n["auth_type"] = r.auth_type;
    if (!r.project.empty()) n["project"] = r.project;
    n["protocol"] = r.protocol.empty() ? (incus_ ? "incus" : "lxd") : r.protocol;
    n["public"] = r.is_public;
    remotes_[r.name] = r;
}

void config::remove(const std::string& name) {
    if (!remotes_.count(name)) throw std::runtime_error("The remote \"" + name + "\" doesn't exist");
    if (remotes_.at(name).is_static) throw std::runtime_error("Remote " + name + " is static and cannot be modified");
    if (name == default_) throw std::runtime_error("Can't remove the default remote");
    doc_["remotes"].remove(name);
    remotes_.erase(name);
    std::error_code ec;
    fs::remove(server_cert_path(name), ec);
}

void config::set_default(const std::string& name) {
    (void)get(name);
    default_ = name;
    doc_["default-remote"] = name;
}

void config::save() const {
    if (read_only_) throw std::runtime_error("the configuration is not written with --force-local");
    fs::create_directories(dir_);
    YAML::Emitter out;
    out << doc_;
    write_file(dir_ + "/config.yml", std::string(out.c_str()) + "\n", 0644);
}

void config::ensure_client_certificate() const {
    if (fs::exists(client_cert_path()) && fs::exists(client_key_path())) return;
    fs::create_directories(dir_);
    auto pair = lxd::generate_client_certificate();
    write_file(client_key_path(), pair.key_pem, 0600);
    write_file(client_cert_path(), pair.cert_pem, 0644);
}

lxd::client config::connect(const std::string& name, const lxd::client_options& o) const {
    const auto& r = get(name);
    auto opts = o;
    // As lxc and incus: a remote's project "default" is not sent (the server's default), so
    // listings that filter by ?project= (warnings, operations) show what lxc shows.
    if (opts.project.empty() && !r.project.empty() && r.project != "default") opts.project = r.project;
    if (r.is_unix()) {
        std::string path = r.addr.substr(5);   // after "unix:"
        while (path.rfind("//", 0) == 0) path = path.substr(1);
        if (path == "/") path.clear();         // "unix://": find the local socket (the client's own)
        if (path.empty() && incus_) path = lxd::find_unix_socket(lxd::flavour::incus);
        return lxd::client::connect_unix(path, opts);
    }
    if (r.protocol == "simplestreams")
        throw std::runtime_error("remote \"" + name + "\" is a simplestreams image server; lxdpp talks to LXD servers only");
    lxd::tls_options tls;
    if (fs::exists(client_cert_path()) && fs::exists(client_key_path()))
        tls = lxd::tls_options::from_files(client_cert_path(), client_key_path());
    if (fs::exists(server_cert_path(name)))
        tls.server_cert_pem = lxd::read_text_file(server_cert_path(name));
    else
        throw std::runtime_error("no certificate for remote \"" + name + "\" in " + server_cert_path(name) +
                                 " (add the remote again to accept its certificate)");
    return lxd::client::connect_https(r.addr, tls, opts);
}

std::pair<std::string, std::string> split_remote(const config& cfg, const std::string& arg) {
    auto colon = arg.find(':');
    if (colon != std::string::npos) {
        auto r = arg.substr(0, colon);
        if (cfg.has(r)) return {r, arg.substr(colon + 1)};
        if (arg.find('/') == std::string::npos || colon < arg.find('/'))
            throw std::runtime_error("The remote \"" + r + "\" doesn't exist");
    }
    return {cfg.default_remote(), arg};
}

}  // namespace lxdpp_cli
