// tools/lxdpp/commands/aliases.cpp — lxc's `aliases:` from config.yml, applied to the
// command line before it is parsed.
#include <sstream>

#include "commands.hpp"

namespace lxdpp_cli {

namespace {

std::vector<std::string> words(const std::string& s) {
    std::vector<std::string> w;
    std::istringstream in(s);
    for (std::string x; in >> x;) w.push_back(x);
    return w;
}

/// @ARGn@ anywhere in a word is replaced by the n-th argument.
std::string replace_numbered(std::string w, const std::vector<std::string>& rest) {
    for (std::size_t n = rest.size(); n >= 1; --n) {
        auto mark = "@ARG" + std::to_string(n) + "@";
        for (auto p = w.find(mark); p != std::string::npos; p = w.find(mark, p + rest[n - 1].size())) w.replace(p, mark.size(), rest[n - 1]);
    }
    return w;
}

}  // namespace

/// The longest alias whose words start the command line (after the global flags) is
/// replaced by its expansion; @ARGS@ stands for the remaining arguments (else they follow),
/// @ARG1@, @ARG2@... inside a word for single ones.
std::vector<std::string> expand_aliases(const config& cfg, const std::vector<std::string>& args) {
    // Global flags before the verb stay where they are.
    std::size_t start = 0;
    while (start < args.size() && args[start].rfind("-", 0) == 0 && args[start] != "--") ++start;
    std::vector<std::string> best_key;
    std::string best_value;
    for (auto& [k, v] : cfg.aliases()) {
        auto kw = words(k);
        if (kw.empty() || kw.size() <= best_key.size() || start + kw.size() > args.size()) continue;
        if (std::equal(kw.begin(), kw.end(), args.begin() + static_cast<std::ptrdiff_t>(start))) {
            best_key = kw;
            best_value = v;
        }
    }
    if (best_key.empty()) return args;
    std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(start + best_key.size()), args.end());
    std::vector<std::string> out(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(start));
    bool used_all = false;
    // Arguments an @ARGn@ takes are not repeated by @ARGS@ or after the expansion.
    std::vector<bool> taken(rest.size(), false);
    for (std::size_t n = 1; n <= rest.size(); ++n)
        if (best_value.find("@ARG" + std::to_string(n) + "@") != std::string::npos) taken[n - 1] = true;
    std::vector<std::string> others;
    for (std::size_t n = 0; n < rest.size(); ++n)
        if (!taken[n]) others.push_back(rest[n]);
    for (auto& w : words(best_value)) {
        if (w == "@ARGS@") {
            out.insert(out.end(), others.begin(), others.end());
            used_all = true;
        } else {
            // The arguments still follow (as lxc).
            out.push_back(replace_numbered(w, rest));
        }
    }
    if (!used_all) out.insert(out.end(), others.begin(), others.end());
    return out;
}

}  // namespace lxdpp_cli
