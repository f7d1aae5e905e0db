// tools/lxdpp/commands/editor.cpp — the `edit` verbs' editor (see editor.hpp).
#include "editor.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include "context.hpp"

namespace json = boost::json;

namespace lxdpp_cli {
namespace {

std::string where(const std::string& path) { return path.empty() ? "the top level" : path; }

std::string child_path(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

json::value convert(const YAML::Node& n, const json::value* before, const std::string& path);

json::value scalar(const YAML::Node& n, const json::value* before, const std::string& path) {
    const bool empty = n.IsNull();
    if (!before || before->is_string()) return json::string(empty ? "" : n.Scalar());
    if (before->is_null()) return empty ? json::value(nullptr) : json::value(json::string(n.Scalar()));
    if (before->is_object()) {
        if (empty) return json::object();
        throw usage_error("expected a mapping at " + where(path) + ", got \"" + n.Scalar() + "\"");
    }
    if (before->is_array()) {
        if (empty) return json::array();
        throw usage_error("expected a list at " + where(path) + ", got \"" + n.Scalar() + "\"");
    }
    if (empty) throw usage_error("expected a value at " + where(path));
    if (before->is_bool()) {
        bool b = false;
        if (!YAML::convert<bool>::decode(n, b))
            throw usage_error("expected true or false at " + where(path) + ", got \"" + n.Scalar() + "\"");
        return b;
    }
    // A number: an integer where one was and the text is one, else a decimal.
    if (!before->is_double()) {
        if (before->is_uint64()) {
            unsigned long long u = 0;
            if (YAML::convert<unsigned long long>::decode(n, u)) return static_cast<std::uint64_t>(u);
        }
        long long i = 0;
        if (YAML::convert<long long>::decode(n, i)) return static_cast<std::int64_t>(i);
    }
    double d = 0;
    if (YAML::convert<double>::decode(n, d)) return d;
    throw usage_error("expected a number at " + where(path) + ", got \"" + n.Scalar() + "\"");
}

json::value convert(const YAML::Node& n, const json::value* before, const std::string& path) {
    if (n.IsNull() || n.IsScalar()) return scalar(n, before, path);
    const bool fresh = !before || before->is_null();
    if (n.IsSequence()) {
        if (!fresh && !before->is_array()) throw usage_error("unexpected list at " + where(path));
        json::array out;
        for (std::size_t i = 0; i < n.size(); ++i) {
            const json::value* was = nullptr;
            if (!fresh && i < before->as_array().size()) was = &before->as_array()[i];
            out.push_back(convert(n[i], was, child_path(path, std::to_string(i))));
        }
        return out;
    }
    if (n.IsMap()) {
        if (!fresh && !before->is_object()) throw usage_error("unexpected mapping at " + where(path));
        json::object out;
        for (auto it = n.begin(); it != n.end(); ++it) {
            if (!it->first.IsScalar()) throw usage_error("a key at " + where(path) + " is not a plain value");
            const auto& key = it->first.Scalar();
            const json::value* was = fresh ? nullptr : before->as_object().if_contains(key);
            out[key] = convert(it->second, was, child_path(path, key));
        }
        return out;
    }
    throw usage_error("unreadable value at " + where(path));
}

std::string read_stdin() {
    std::ostringstream s;
    s << std::cin.rdbuf();
    return s.str();
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw usage_error("cannot read " + path + ": " + std::strerror(errno));
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw usage_error("cannot write " + path + ": " + std::strerror(errno));
}

std::string editor_command() {
    for (const char* var : {"VISUAL", "EDITOR"})
        if (const char* e = std::getenv(var); e && *e) return e;
    return "vi";
}

/// Runs the editor on `path` through /bin/sh (the variable may carry arguments), with the
/// terminal; throws when it cannot start or exits non-zero.
void run_editor(const std::string& path) {
    const auto cmd = editor_command();
    const std::string script = cmd + " \"$1\"";
    pid_t pid = ::fork();
    if (pid < 0) throw usage_error(std::string("cannot start the editor: ") + std::strerror(errno));
    if (pid == 0) {
        ::execl("/bin/sh", "sh", "-c", script.c_str(), "sh", path.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw usage_error(std::string("waiting for the editor: ") + std::strerror(errno));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    if (WIFEXITED(status))
        throw usage_error("the editor (" + cmd + ") exited with status " + std::to_string(WEXITSTATUS(status)));
    throw usage_error("the editor (" + cmd + ") ended by signal " + std::to_string(WTERMSIG(status)));
}

/// A temporary file named lxd_editor_XXXXXX.yaml (editors pick YAML highlighting from the
/// name), removed when this ends.
struct temp_file {
    std::string path;
    temp_file() {
        const char* dir = std::getenv("TMPDIR");
        std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/lxd_editor_XXXXXX.yaml";
        int fd = ::mkstemps(tmpl.data(), 5);
        if (fd < 0) throw usage_error("cannot create a temporary file: " + std::string(std::strerror(errno)));
        ::close(fd);
        path = tmpl;
    }
    ~temp_file() { ::unlink(path.c_str()); }
    temp_file(const temp_file&) = delete;
    temp_file& operator=(const temp_file&) = delete;
};

}  // namespace

json::value from_yaml(const std::string& text, const json::value& before) {
    YAML::Node doc;
    try {
        doc = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw usage_error(std::string("YAML: ") + e.what());
    }
    return convert(doc, &before, "");
}

json::value edit_object(const json::value& current, const std::function<void(const json::value&)>& apply,
                        const edit_options& options) {
    if (!::isatty(STDIN_FILENO)) {
        auto v = from_yaml(read_stdin(), current);
        apply(v);
        return v;
    }
    temp_file file;
    std::string text = options.header;
    if (!text.empty() && text.back() != '\n') text += '\n';
    text += to_yaml(current);
    for (;;) {
        write_file(file.path, text);
        run_editor(file.path);
        text = read_file(file.path);
        try {
            auto v = from_yaml(text, current);
            apply(v);
            return v;
        } catch (const usage_error& e) {
            std::cerr << "Config parsing error: " << printable(e.what()) << "\n";
        } catch (const lxd::error& e) {
            // The server's words when it refused the change (as lxc prints them).
            std::cerr << "Config parsing error: " << printable(e.server_message().empty() ? e.what() : e.server_message()) << "\n";
        }
        std::cout << "Press enter to open the editor again or ctrl+c to abort change" << std::endl;
        std::string line;
        if (!std::getline(std::cin, line)) throw usage_error("edit aborted");
    }
}

}  // namespace lxdpp_cli
