// tools/lxdpp/output.hpp — tables (table/csv/compact), JSON and YAML rendering, progress.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

namespace lxdpp_cli {

struct table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

/// format: "table" (lxc's boxes), "compact" (aligned columns), "csv" (RFC 4180 quoting, no header).
void print_table(std::ostream& out, const table& t, const std::string& format);
/// `s` with terminal control characters (C0 but newline and tab, DEL, C1) shown as \xNN:
/// everything a server sends passes through it before it reaches a terminal.
std::string printable(std::string_view s);
/// YAML text of a JSON value as lxc's yaml.v2 writes it: keys in the server's order, plain
/// scalars where yaml.v2 leaves them plain, lists at their key's indentation.
std::string to_yaml(const boost::json::value& v);
/// JSON or YAML of `v` per format ("json" or "yaml"); false for other formats.
bool print_structured(std::ostream& out, const boost::json::value& v, const std::string& format);

/// What a listing command prints, in every format: `items` (the server's objects: a list,
/// or an object keyed by name) as JSON or YAML, else `rows` as a table, compact columns or
/// CSV. The one printer the commands share.
struct listing {
    table rows;
    boost::json::value items = boost::json::array();
    void add_row(std::vector<std::string> row) { rows.rows.push_back(std::move(row)); }
    void add_item(boost::json::value v) { items.as_array().push_back(std::move(v)); }
    void print(std::ostream& out, const std::string& format) const;
};

/// A one-line progress display on stderr, only when stderr is a terminal; silent otherwise.
/// Thread safety: its members may be called from any thread.
class progress_line {
public:
    explicit progress_line(std::string label, bool enabled);
    ~progress_line();
    void update(std::uint64_t done, std::uint64_t total);   ///< safe from any one thread
    void text(const std::string& s);
    void clear();

private:
    std::string label_;
    bool enabled_;
    bool shown_ = false;
    std::mutex mu_;
    void show(const std::string& s);   // mu_ held
    std::chrono::steady_clock::time_point start_, last_;
};

/// "1.23MB" style sizes as lxc prints them.
std::string human_size(std::uint64_t bytes);
/// "268.00KiB", "0B": IEC sizes as lxc's info prints them.
std::string iec_size(std::uint64_t bytes);

}  // namespace lxdpp_cli
