#!/usr/bin/python3
"""Turns bench/run's JSON lines into the table (stdout) and results.json."""
import json
import platform
import sys

GOALS = {
    # workload: (text, check(lxdpp, pylxd, lxc, raw))
    "list_with_status": ("≥15× pylxd; ≤1.3× one raw recursion=1 request",
                         lambda r: r["pylxd"] / r["lxdpp"] >= 15 and r["lxdpp"] <= 1.3 * r["raw"]),
    "file_put_256MiB": ("≥ `lxc file push` throughput", lambda r: r["lxdpp"] <= r["lxc"]),
    "file_get_256MiB": ("≥ `lxc file pull` throughput", lambda r: r["lxdpp"] <= r["lxc"]),
    "cli_list": ("`lxdpp list` faster than `lxc list` (whole processes)", lambda r: r["lxdpp"] < r["lxc"]),
    "cli_exec_true": ("`lxdpp exec` faster than `lxc exec` (whole processes)", lambda r: r["lxdpp"] < r["lxc"]),
    "cli_profile_list": ("`lxdpp profile list` faster than lxc's (whole processes; one request)", lambda r: r["lxdpp"] < r["lxc"]),
    "cli_project_list": ("`lxdpp project list` faster than lxc's (whole processes; one request)", lambda r: r["lxdpp"] < r["lxc"]),
    "cluster_list_300": ("beside `lxc list` on the same cluster", lambda r: r["lxdpp"] < r["lxc"]),
    "cli_cluster_list_300": ("`lxdpp list` faster than `lxc list` (whole processes)", lambda r: r["lxdpp"] < r["lxc"]),
    "exec_true": ("≥20× pylxd; ≤0.5× `lxc exec` as a process",
                  lambda r: r["pylxd"] / r["lxdpp"] >= 20 and r["lxdpp"] <= 0.5 * r["lxc"]),
}

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in rows:
    by.setdefault(r["workload"], {})[r["tool"]] = r
raw = by.get("raw_recursion1_request", {}).get("lxdpp", {}).get("p50_ms")
# bench/run --incus measures the incus CLI where the other runs measure lxc: its column.
cli = "incus" if any("incus" in tools for tools in by.values()) else "lxc"
table = []
print(f"{'workload':<24}{'lxdpp ms':>10}{'pylxd ms':>10}{cli + ' ms':>10}{'/pylxd':>9}{'/' + cli:>8}  goal")
for w, tools in by.items():
    l = tools.get("lxdpp", {}).get("p50_ms")
    p = tools.get("pylxd", {}).get("p50_ms")
    c = tools.get(cli, {}).get("p50_ms")
    goal, met = "", None
    if w in GOALS and l:
        goal = GOALS[w][0].replace("lxc", cli)
        try:
            met = GOALS[w][1]({"lxdpp": l, "pylxd": p, "lxc": c, "raw": raw})
        except TypeError:   # a tool's figure is missing
            met = None
    fmt = lambda v: f"{v:10.2f}" if v is not None else f"{'-':>10}"
    ratio = lambda a, b: f"{b / a:8.1f}×" if a and b else f"{'-':>9}"
    print(f"{w:<24}{fmt(l)}{fmt(p)}{fmt(c)}{ratio(l, p)}{ratio(l, c):>8}  {goal}{'' if met is None else (' — met' if met else ' — NOT met')}")
    if any(v.get("runs", 0) >= 50 for v in tools.values()):
        print(f"{'':<24}p99 ms: " + ", ".join(f"{t} {v['p99_ms']:.2f}" for t, v in tools.items()))
    if "lxdpp-python" in tools:   # pylxd's program on lxdpp's Python package (python/)
        py = tools["lxdpp-python"]["p50_ms"]
        print(f"{'':<24}lxdpp-python ms: {py:.2f} ({p / py:.1f}× pylxd)" if p else f"{'':<24}lxdpp-python ms: {py:.2f}")
    rss = {t: v["peak_rss_kib"] for t, v in tools.items() if "peak_rss_kib" in v}
    if rss:
        print(f"{'':<24}peak RSS MiB: " + ", ".join(f"{t} {k / 1024:.1f}" for t, k in rss.items()))
    if "peak_rss_after_kib" in tools.get("lxdpp", {}):
        t = tools["lxdpp"]
        print(f"{'':<24}peak RSS {t['peak_rss_before_kib'] / 1024:.1f} MiB before, {t['peak_rss_after_kib'] / 1024:.1f} MiB after")
    table.append({"workload": w, "lxdpp_p50_ms": l, "pylxd_p50_ms": p, "lxc_p50_ms": c,
                  "lxdpp_p99_ms": tools.get("lxdpp", {}).get("p99_ms"),
                  "pylxd_p99_ms": tools.get("pylxd", {}).get("p99_ms"),
                  "lxc_p99_ms": tools.get(cli, {}).get("p99_ms"),
                  "goal": goal, "met": met})
json.dump({"machine": {"cpus": __import__("os").cpu_count(), "kernel": platform.release()}, "cli": cli,
           "rows": table}, open(sys.argv[2], "w"), indent=1)
print("(ratios: how many times faster lxdpp is; p50 over the runs; written to " + sys.argv[2] + ")")
