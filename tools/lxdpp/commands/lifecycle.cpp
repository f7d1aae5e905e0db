// tools/lxdpp/commands/lifecycle.cpp — start, stop, restart, pause, resume and delete.
#include <tuple>

#include "commands.hpp"

namespace lxdpp_cli {

void lifecycle_command::add(CLI::App& app) {
    for (auto [cmd, act, help] : {std::tuple{"start", action::start, "Start instances"}, std::tuple{"stop", action::stop, "Stop instances"},
                                  std::tuple{"restart", action::restart, "Restart instances"},
                                  std::tuple{"pause", action::pause, "Freeze instances"},
                                  std::tuple{"resume", action::resume, "Unfreeze instances"}}) {
        auto* s = app.add_subcommand(cmd, help);
        s->add_option("names", names_, "[REMOTE:]NAME...");
        s->add_flag("--all", all_, "Run against all instances");
        if (act == action::stop || act == action::restart) {
            s->add_flag("-f,--force", force_, "Kill instead of a clean shutdown");
            s->add_option("--timeout", timeout_, "Seconds to wait for a clean shutdown");
        }
        if (act == action::stop) s->add_flag("--stateful", stateful_, "Store the instance state (needs CRIU)");
        if (act == action::start) s->add_flag("--stateless", stateless_, "Ignore the instance state (lxdpp never restores it)");
        if (act == action::start || act == action::stop || act == action::restart) unsupported_flag(s, "--console");
        s->callback([this, act = act] { run(act); });
    }
}

/// As lxc --all: every instance of the given remotes (default: the default remote) that is
/// not already in the wanted state.
std::vector<std::string> lifecycle_command::all_names(action a) const {
    std::vector<std::string> remotes;
    for (auto& n : names_) {
        if (n.empty() || n.back() != ':') throw usage_error("Both --all and instance name given");
        remotes.push_back(ctx_.remote_arg_name(n));
    }
    if (remotes.empty()) remotes.push_back(ctx_.cfg.default_remote());
    std::vector<std::string> names;
    for (auto& r : remotes)
        for (auto& i : ctx_.connect(r).instances().all()) {
            auto code = i.status();
            bool skip = (a == action::start && code == "Running") || (a == action::stop && code == "Stopped") ||
                        (a == action::pause && code != "Running") || (a == action::resume && code != "Frozen") ||
                        (a == action::restart && code != "Running");
            if (!skip) names.push_back(r + ":" + i.name());
        }
    return names;
}

void lifecycle_command::run(action a) {
    if (!all_ && names_.empty()) throw usage_error("Missing instance name");
    auto names = all_ ? all_names(a) : names_;
    for (auto& arg : names) {
        auto [remote, name] = split_remote(ctx_.cfg, arg);
        auto c = ctx_.connect(remote);
        auto i = c.instances().get(name);
        lxd::state_options o;
        o.force = force_;
        o.stateful = stateful_;
        if (timeout_ >= 0) o.timeout = std::chrono::seconds(timeout_);
        switch (a) {
        case action::start: i.start(o).wait(op_wait); break;
        case action::stop: i.stop(o).wait(op_wait); break;
        case action::restart: i.restart(o).wait(op_wait); break;
        case action::pause: i.freeze(o).wait(op_wait); break;
        case action::resume: i.unfreeze(o).wait(op_wait); break;
        }
    }
}

void delete_command::add(CLI::App& app) {
    auto* del = app.add_subcommand("delete", "Delete instances or snapshots (NAME/SNAPSHOT)")->alias("rm");
    del->add_option("names", names_, "[REMOTE:]NAME[/SNAPSHOT]...")->required();
    del->add_flag("-f,--force", force_, "Stop running instances first");
    unsupported_flag(del, "-i,--interactive");
    del->callback([this] { run(); });
}

void delete_command::run() {
    for (auto& arg : names_) {
        auto [remote, name] = split_remote(ctx_.cfg, arg);
        auto c = ctx_.connect(remote);
        if (auto slash = name.find('/'); slash != std::string::npos) {
            c.instances().get(name.substr(0, slash)).snapshots().get(name.substr(slash + 1)).remove().wait(op_wait);
            continue;
        }
        c.instances().get(name).remove(force_).wait(op_wait);
    }
}

}  // namespace lxdpp_cli
