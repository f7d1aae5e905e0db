// lxdpp's side of bench/run. Prints one JSON object per workload on stdout:
//   {"workload": ..., "tool": "lxdpp", "p50_ms": ..., "p99_ms": ..., "runs": N}
//   lxdpp_bench setup SOCKET COUNT     create COUNT empty containers "bench-K" (not timed)
//   lxdpp_bench teardown SOCKET        remove them
//   lxdpp_bench run SOCKET RUNS        time the workloads
#include <lxd/lxd.hpp>

#include <thread>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

namespace {
using clk = std::chrono::steady_clock;

/// Peak resident set size of this process so far, in KiB (VmHWM).
long peak_rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

template <class F>
void measure(const std::string& workload, int runs, F&& f) {
    std::vector<double> ms;
    f();   // warm: connection and extension cache, as any long-lived client has them
    for (int i = 0; i < runs; ++i) {
        auto t0 = clk::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(clk::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<size_t>(p * (ms.size() - 1) + 0.5))]; };
    std::cout << R"({"workload":")" << workload << R"(","tool":"lxdpp","p50_ms":)" << pct(0.5) << R"(,"p99_ms":)"
              << pct(0.99) << R"(,"runs":)" << runs << "}\n";
}
}  // namespace

int main(int argc, char** argv) try {
    if (argc < 3) { std::cerr << "usage: lxdpp_bench setup|teardown|run SOCKET [N]\n"; return 2; }
    std::string mode = argv[1];
    auto c = lxd::client::connect_unix(argv[2]);
    int n = argc > 3 && mode != "files" ? std::stoi(argv[3]) : 20;
    if (mode == "cluster") {
        // lxdpp_bench cluster SOCKET N RUNS: N empty containers spread round-robin over the
        // cluster's members (created 30 at a time), then the listing with locations.
        auto members = c.cluster().members();
        int runs = argc > 4 ? std::stoi(argv[4]) : 20;
        std::vector<lxd::operation> ops;
        for (int i = 0; i < n; ++i) {
            lxd::instance_create cfg;
            cfg.name = "bench-cl-" + std::to_string(i);
            cfg.profiles = std::vector<std::string>{"default"};
            auto placed = c.use_target(members[static_cast<std::size_t>(i) % members.size()].name());
            if (!c.containers().exists(cfg.name)) ops.push_back(placed.containers().create(cfg));
            if (ops.size() == 30) {
                for (auto& op : ops) op.wait(std::chrono::minutes(5));
                ops.clear();
            }
        }
        for (auto& op : ops) op.wait(std::chrono::minutes(5));
        measure("cluster_list_" + std::to_string(n), runs, [&] {
            auto all = c.containers().all();
            std::size_t located = 0;
            for (auto& i : all) located += !i.location().empty();
            if (all.size() < static_cast<std::size_t>(n) || located != all.size()) throw std::runtime_error("listing incomplete");
        });
        return 0;
    }
    if (mode == "setup") {
        std::vector<lxd::operation> ops;
        for (int i = 0; i < n; ++i) {
            lxd::instance_create cfg;
            cfg.name = "bench-" + std::to_string(i);
            cfg.profiles = std::vector<std::string>{"default"};
            if (!c.containers().exists(cfg.name)) ops.push_back(c.containers().create(cfg));
        }
        for (auto& op : ops) op.wait(std::chrono::minutes(5));
        if (!c.containers().exists("bench-run")) {
            lxd::instance_create cfg;
            cfg.name = "bench-run";
            cfg.source = lxd::instance_source::image_alias(argc > 4 ? argv[4] : "testimage");
            cfg.start = true;
            c.containers().create(cfg).wait(std::chrono::minutes(2));
        }
        return 0;
    }
    if (mode == "teardown") {
        for (auto& name : c.containers().names())
            if (name.rfind("bench-", 0) == 0) c.containers().get(name).remove(true).wait(std::chrono::minutes(2));
        return 0;
    }
    if (mode == "files") {
        // lxdpp_bench files SOCKET LOCAL_FILE: put then get it (256 MiB in bench/run), peak RSS.
        std::string local = argv[3];
        auto box = c.containers().get("bench-run");
        auto f = box.files();
        auto t0 = clk::now();
        f.put_file("/root/bench.bin", local);
        double put_ms = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
        long put_rss = peak_rss_kib();
        t0 = clk::now();
        f.get_to_file("/root/bench.bin", local + ".back");
        double get_ms = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
        long get_rss = peak_rss_kib();
        std::cout << R"({"workload":"file_put_256MiB","tool":"lxdpp","p50_ms":)" << put_ms << R"(,"p99_ms":)" << put_ms
                  << R"(,"runs":1,"peak_rss_kib":)" << put_rss << "}\n";
        std::cout << R"({"workload":"file_get_256MiB","tool":"lxdpp","p50_ms":)" << get_ms << R"(,"p99_ms":)" << get_ms
                  << R"(,"runs":1,"peak_rss_kib":)" << get_rss << "}\n";
        return 0;
    }
    if (mode == "lifecycle") {
        // lxdpp_bench lifecycle SOCKET N: create+start+stop(force)+delete of N containers,
        // one after another, then all at once (operations in flight together).
        auto one_name = [](const char* tag, int i) { return std::string("bench-lc-") + tag + std::to_string(i); };
        auto make = [&](const std::string& name) {
            lxd::instance_create cfg;
            cfg.name = name;
            cfg.source = lxd::instance_source::image_alias("testimage");
            cfg.start = true;
            return c.containers().create(cfg);
        };
        auto t0 = clk::now();
        for (int i = 0; i < n; ++i) {
            make(one_name("s", i)).wait(std::chrono::minutes(2));
            auto inst = c.containers().get(one_name("s", i));
            inst.stop({.force = true}).wait(std::chrono::minutes(2));
            inst.remove().wait(std::chrono::minutes(2));
        }
        double seq = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
        t0 = clk::now();
        std::vector<lxd::operation> ops;
        for (int i = 0; i < n; ++i) ops.push_back(make(one_name("c", i)));
        for (auto& op : ops) op.wait(std::chrono::minutes(5));
        ops.clear();
        std::vector<lxd::instance> all;
        for (int i = 0; i < n; ++i) all.push_back(c.containers().get(one_name("c", i)));
        for (auto& inst : all) ops.push_back(inst.stop({.force = true}));
        for (auto& op : ops) op.wait(std::chrono::minutes(5));
        std::vector<std::thread> deleters;
        for (auto& inst : all) deleters.emplace_back([&inst] { inst.remove().wait(std::chrono::minutes(2)); });
        for (auto& t : deleters) t.join();
        double conc = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
        auto row = [&](const char* kind, double ms) {
            std::cout << R"({"workload":"lifecycle_)" << n << "_" << kind << R"(","tool":"lxdpp","p50_ms":)" << ms
                      << R"(,"p99_ms":)" << ms << R"(,"runs":1})" << "\n";
        };
        row("sequential", seq);
        row("concurrent", conc);
        return 0;
    }
    size_t expected = c.containers().names().size();
    measure("list_with_status", n, [&] {
        auto all = c.containers().all();
        size_t running = 0;
        for (auto& i : all) running += i.status() == "Running";
        if (all.size() != expected) throw std::runtime_error("listing changed size");
    });
    measure("raw_recursion1_request", n, [&] { (void)c.raw_get("/1.0/instances?recursion=1"); });
    measure("get_one", n, [&] { (void)c.containers().get("bench-0").status(); });
    measure("host_info", n, [&] { (void)c.host_info(); });
    auto box = c.containers().get("bench-run");
    measure("exec_true", std::max(n, 50), [&] {
        if (box.execute({"true"}).exit_code != 0) throw std::runtime_error("true failed");
    });
    measure("snapshot_create_delete", std::max(n / 2, 5), [&] {
        auto snaps = box.snapshots();
        snaps.create("bench-snap").wait(std::chrono::minutes(1));
        snaps.get("bench-snap").remove().wait(std::chrono::minutes(1));
    });
    measure("exec_8MiB_out", std::max(n / 2, 5), [&] {
        if (box.execute({"head", "-c", "8388608", "/dev/zero"}).out.size() != 8388608u) throw std::runtime_error("short output");
    });
    {
        auto t0 = clk::now();
        std::vector<std::shared_future<lxd::exec_result>> runs;
        for (int i = 0; i < 32; ++i) runs.push_back(box.async_execute({"true"}));
        for (auto& r : runs) if (r.get().exit_code != 0) throw std::runtime_error("concurrent exec failed");
        double ms = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
        std::cout << R"({"workload":"exec_32_concurrent_total","tool":"lxdpp","p50_ms":)" << ms << R"(,"p99_ms":)" << ms << R"(,"runs":1})" << "\n";
    }
    if (!std::getenv("LXDPP_BENCH_QUICK")) {
        // 1 GiB of output through a callback: the peak RSS must not grow with it.
        long before = peak_rss_kib();
        std::uint64_t bytes = 0;
        auto t0 = clk::now();
        auto r = box.execute({"head", "-c", "1073741824", "/dev/zero"},
                             {.on_stdout = [&](std::string_view s) { bytes += s.size(); }});
        double ms = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
        if (r.exit_code != 0 || bytes != (1ull << 30)) throw std::runtime_error("1 GiB stream incomplete");
        long after = peak_rss_kib();
        std::cout << R"({"workload":"exec_1GiB_callback","tool":"lxdpp","p50_ms":)" << ms << R"(,"p99_ms":)" << ms
                  << R"(,"runs":1,"peak_rss_before_kib":)" << before << R"(,"peak_rss_after_kib":)" << after << "}\n";
    }
    return 0;
} catch (const lxd::error& e) {
    std::cerr << "lxdpp_bench: " << e.what() << "\n";
    return 1;
}
