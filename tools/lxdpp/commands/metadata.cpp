// tools/lxdpp/commands/metadata.cpp — `lxdpp config metadata` and `config template`: an
// instance's metadata.yaml and its template files, as lxc shows and edits them.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <unistd.h>

#include "editor.hpp"
#include "network_commands.hpp"

namespace lxdpp_cli {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const char* metadata_header =
    "### This is a YAML representation of the instance metadata.\n"
    "### Any line starting with a '# will be ignored.\n"
    "###\n";

lxd::api::config_map strings_in(const json::object& o, const char* key) {
    lxd::api::config_map out;
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) return out;
    if (!v->is_object()) throw usage_error(std::string(key) + " must be a mapping");
    for (auto& kv : v->get_object()) {
        if (!kv.value().is_string()) throw usage_error(std::string(key) + "." + std::string(kv.key()) + " must be a string");
        out.emplace(kv.key(), kv.value().get_string());
    }
    return out;
}

std::int64_t number_in(const json::object& o, const char* key) {
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) return 0;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
    throw usage_error(std::string(key) + " must be an integer");
}

/// The edited metadata.yaml as the library's value (its text kept for the fields it does not model).
lxd::api::instance_metadata metadata_of(const json::value& v) {
    if (!v.is_object()) throw usage_error("the metadata must be a mapping");
    const auto& o = v.get_object();
    lxd::api::instance_metadata m;
    if (auto* a = o.if_contains("architecture"); a && a->is_string()) m.architecture = a->get_string();
    m.creation_date = number_in(o, "creation_date");
    m.expiry_date = number_in(o, "expiry_date");
    m.properties = strings_in(o, "properties");
    if (auto* t = o.if_contains("templates"); t && t->is_object())
        for (auto& kv : t->get_object()) {
            if (!kv.value().is_object()) throw usage_error("templates." + std::string(kv.key()) + " must be a mapping");
            const auto& e = kv.value().get_object();
            lxd::api::template_trigger tt;
            if (auto* w = e.if_contains("when"); w && w->is_array())
                for (auto& x : w->get_array()) tt.when.emplace_back(x.is_string() ? std::string(x.get_string()) : json::serialize(x));
            if (auto* c = e.if_contains("create_only"); c && c->is_bool()) tt.create_only = c->get_bool();
            if (auto* n = e.if_contains("template"); n && n->is_string()) tt.template_name = n->get_string();
            tt.properties = strings_in(e, "properties");
            m.templates[std::string(kv.key())] = std::move(tt);
        }
    m.raw_json = json::serialize(v);
    return m;
}

/// Text in $VISUAL, else $EDITOR, else vi; the text as saved.
std::string edit_text(const std::string& text) {
    auto path = fs::temp_directory_path() / ("lxdpp-template-" + std::to_string(::getpid()));
    std::ofstream(path, std::ios::binary) << text;
    const char* ed = std::getenv("VISUAL");
    if (!ed || !*ed) ed = std::getenv("EDITOR");
    std::string cmd = std::string(ed && *ed ? ed : "vi") + " '" + path.string() + "'";
    int rc = std::system(cmd.c_str());
    std::ifstream in(path, std::ios::binary);
    std::string out{std::istreambuf_iterator<char>(in), {}};
    fs::remove(path);
    if (rc != 0) throw usage_error("the editor failed (status " + std::to_string(rc) + ")");
    return out;
}

}  // namespace

void metadata_command::add(CLI::App& config) {
    auto* meta = config.add_subcommand("metadata", "Manage instance metadata files");
    meta->require_subcommand(1);
    auto* show = meta->add_subcommand("show", "[REMOTE:]INSTANCE");
    show->add_option("args", args_)->required();
    show->callback([this] {
        auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
        auto m = parse_raw(ctx_.connect(remote).instances().get(name).metadata().raw_json);
        // As lxc (Go's nil maps): no properties or templates show as {}.
        if (m.is_object())
            for (const char* key : {"properties", "templates"})
                if (auto* v = m.as_object().if_contains(key); v && v->is_null()) *v = json::object();
        std::cout << printable(to_yaml(m));
    });
    auto* edit = meta->add_subcommand("edit", "[REMOTE:]INSTANCE");
    edit->add_option("args", args_)->required();
    edit->callback([this] { metadata_edit(); });

    auto* tpl = config.add_subcommand("template", "Manage instance file templates");
    tpl->require_subcommand(1);
    auto* list = tpl->add_subcommand("list", "[REMOTE:]INSTANCE")->alias("ls");
    list->add_option("args", args_)->required();
    list->add_option("-f,--format", format_, "table|compact|csv|json|yaml");
    list->callback([this] { template_verb("list"); });
    for (const char* verb : {"show", "create", "edit", "delete"}) {
        auto* s = tpl->add_subcommand(verb, "[REMOTE:]INSTANCE TEMPLATE");
        s->add_option("args", args_)->required();
        s->callback([this, verb] { template_verb(verb); });
        if (std::string(verb) == "delete") s->alias("rm");
    }
}

void metadata_command::metadata_edit() {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    auto inst = ctx_.connect(remote).instances().get(name);
    edit_object(parse_raw(inst.metadata().raw_json), [&inst](const json::value& v) { inst.set_metadata(metadata_of(v)); },
                {.header = metadata_header});
}

void metadata_command::template_verb(const std::string& verb) {
    auto [remote, name] = split_remote(ctx_.cfg, args_.at(0));
    auto inst = ctx_.connect(remote).instances().get(name);
    if (verb == "list") {
        if (args_.size() != 1) throw usage_error("usage: lxdpp config template list [REMOTE:]INSTANCE");
        auto names = inst.templates();
        std::sort(names.begin(), names.end());
        listing out{{{"FILENAME"}, {}}, json::array()};
        for (auto& n : names) {
            out.add_item(json::string(n));
            out.add_row({n});
        }
        out.print(std::cout, format_);
        return;
    }
    if (args_.size() != 2) throw usage_error("usage: lxdpp config template " + verb + " [REMOTE:]INSTANCE TEMPLATE");
    const auto& file = args_[1];
    if (verb == "show") {
        std::cout << inst.get_template(file);
    } else if (verb == "create") {
        inst.put_template(file, "", true);   // as lxc: an existing file is emptied
    } else if (verb == "delete") {
        inst.remove_template(file);
    } else if (!::isatty(STDIN_FILENO)) {   // edit: the new content from stdin, as lxc
        inst.put_template(file, std::string{std::istreambuf_iterator<char>(std::cin), {}}, true);
    } else {
        inst.put_template(file, edit_text(inst.get_template(file)), true);
    }
}

}  // namespace lxdpp_cli
