// tools/lxdpp/commands/commands.hpp — the verb groups of the lxdpp command line. Each is a
// struct that owns its flags: add() registers its subcommands (and flags) on the parser,
// and the subcommand's callback runs it. One .cpp per group in this folder.
#pragma once

#include <map>
#include <stop_token>
#include <string>
#include <vector>

#include "context.hpp"

namespace lxdpp_cli {

/// list (ls): instances as a table or JSON/YAML.
class list_command {
public:
    explicit list_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void run();

private:
    context& ctx_;
    std::string remote_, format_ = "table", columns_ = "ns46tS";
    std::vector<std::string> filters_;
    bool all_projects_ = false, fast_ = false;
};

/// info: an instance, or with REMOTE: the server.
class info_command {
public:
    explicit info_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void run();

private:
    context& ctx_;
    std::string name_;
    bool resources_ = false, show_log_ = false;
};

/// launch, init: a new instance from an image (or empty).
class create_command {
public:
    explicit create_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void run(bool start);

private:
    lxd::instance_source image_source(const lxd::client& c, const std::string& remote) const;
    context& ctx_;
    std::string image_, name_, storage_;
    std::vector<std::string> profiles_, config_;
    bool ephemeral_ = false, vm_ = false, empty_ = false, no_profiles_ = false;
};

/// start, stop, restart, pause, resume.
class lifecycle_command {
public:
    enum class action { start, stop, restart, pause, resume };
    explicit lifecycle_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void run(action a);

private:
    std::vector<std::string> all_names(action a) const;
    context& ctx_;
    std::vector<std::string> names_;
    bool all_ = false, force_ = false, stateful_ = false, stateless_ = false;
    int timeout_ = -1;
};

/// delete (rm): instances and snapshots.
class delete_command {
public:
    explicit delete_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void run();

private:
    context& ctx_;
    std::vector<std::string> names_;
    bool force_ = false;
};

/// rename, move (mv), copy (cp).
class move_command {
public:
    explicit move_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void run(bool copy);

private:
    void snapshot(lxd::client& source, const std::string& src, const std::string& src_snap, const std::string& src_remote,
                  const std::string& dst_remote, const std::string& dst, bool copy);
    context& ctx_;
    std::string src_, dst_, mode_, member_;
    bool instance_only_ = false, stateless_ = false, refresh_ = false;
};

/// exec: a command in an instance, piped or on a terminal.
class forwarded_signals;   // exec.cpp: the signals exec forwards to the command

class exec_command {
public:
    explicit exec_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    int run();

private:
    int run_piped(lxd::instance& inst, const std::map<std::string, std::string>& environment, forwarded_signals& signals);
    int run_interactive(lxd::instance& inst, const std::map<std::string, std::string>& environment,
                        forwarded_signals& signals);
    context& ctx_;
    std::string name_, cwd_, mode_ = "auto";
    std::vector<std::string> command_, env_;
    int user_ = -1, group_ = -1;
    bool force_tty_ = false, no_tty_ = false, no_stdin_ = false;
};

/// file push, pull, delete (rm).
class file_command {
public:
    explicit file_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void push();
    void pull();
    void remove();

private:
    void push_one(lxd::files& files, const std::string& local, const std::string& path, bool into_dir, const std::stop_token& stop);
    context& ctx_;
    std::vector<std::string> paths_;
    bool recursive_ = false, parents_ = false;
    std::string mode_;
    int uid_ = -1, gid_ = -1;
};

/// snapshot, snapshots, restore (lxc); snapshot create|delete|list|rename|restore|show (incus).
class snapshot_command {
public:
    explicit snapshot_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void create();
    void list();
    void restore();

private:
    void add_incus(CLI::App& app);   // incus 6's `snapshot create|delete|list|rename|restore|show`
    void remove();
    void rename();
    void show();
    context& ctx_;
    std::string name_, snapshot_, new_name_, expiry_, format_ = "table";
    bool stateful_ = false, no_expiry_ = false, reuse_ = false;
};

/// image alias create, delete (rm), rename (mv), list (ls).
class image_alias_command {
public:
    explicit image_alias_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& image);
    void create();
    void remove();
    void rename();
    void list();

private:
    context& ctx_;
    std::string alias_, image_, new_name_, description_, format_ = "table";
    std::vector<std::string> args_;
};

/// image list (ls), import, export, delete (rm), show, and the alias group.
class image_command {
public:
    explicit image_command(context& ctx) : ctx_(ctx), alias_(ctx) {}
    void add(CLI::App& app);
    void list();
    void import();
    void export_image();
    void remove();
    void show();

private:
    context& ctx_;
    image_alias_command alias_;
    std::vector<std::string> args_, aliases_;
    std::string image_, target_, format_ = "table", columns_ = "lfpdatsu";
    bool is_public_ = false;
};

/// publish: an image of an instance or snapshot.
class publish_command {
public:
    explicit publish_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void run();

private:
    std::string publish_image(lxd::client& c, const std::string& src, const api_config& properties);
    context& ctx_;
    std::vector<std::string> args_, aliases_;
    std::string compression_, expire_;
    bool is_public_ = false, force_ = false;
};

/// remote add, list (ls), remove (rm), switch (set-default), get-default.
class remote_command {
public:
    explicit remote_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void add_remote();
    void list();

private:
    void add_https(remote r, const std::string& url, const std::string& token_fp, const std::string& secret_token);
    context& ctx_;
    std::string name_, url_, password_, token_, project_, protocol_, auth_type_, format_ = "table";
    bool accept_ = false, is_public_ = false;
};

/// config get, set, unset, show.
class config_command {
public:
    explicit config_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void get();
    void set();
    void unset();
    void show();
    void edit();

private:
    context& ctx_;
    std::vector<std::string> args_;
    std::string name_;
    bool expanded_ = false;
};

/// cluster list (ls), show, evacuate, restore.
class cluster_command {
public:
    explicit cluster_command(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);
    void list();
    void show();
    void evacuate_or_restore(const std::string& verb, bool evacuate);

private:
    context& ctx_;
    std::string member_, format_ = "table";
    bool force_ = false;
};

/// version, help, completion: about lxdpp itself.
class meta_commands {
public:
    explicit meta_commands(context& ctx) : ctx_(ctx) {}
    void add(CLI::App& app);

private:
    context& ctx_;
    std::string remote_, shell_ = "bash";
    std::vector<std::string> help_;
};

/// lxc's `aliases:` from config.yml applied to the command line.
std::vector<std::string> expand_aliases(const config& cfg, const std::vector<std::string>& args);

}  // namespace lxdpp_cli
