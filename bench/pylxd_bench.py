#!/usr/bin/python3
"""pylxd's side of bench/run (Debian's python3-pylxd), same workloads as lxdpp_bench.
With BENCH_PYTHON_MODULE=lxdpp the same program runs on lxdpp's Python package (tool
"lxdpp-python"): `import lxdpp as pylxd` is the only difference."""
import importlib
import json
import os
import sys
import time

pylxd = importlib.import_module(os.environ.get("BENCH_PYTHON_MODULE", "pylxd"))
TOOL = "pylxd" if pylxd.__name__ == "pylxd" else "lxdpp-python"


def measure(workload, runs, f):
    f()
    ms = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    pct = lambda p: ms[min(len(ms) - 1, int(p * (len(ms) - 1) + 0.5))]
    print(json.dumps({"workload": workload, "tool": TOOL, "p50_ms": pct(0.5), "p99_ms": pct(0.99), "runs": runs}))


def main():
    socket, runs = sys.argv[1], int(sys.argv[2])
    # pylxd 2.2 finds the Unix socket through $LXD_DIR
    os.environ["LXD_DIR"] = os.path.dirname(socket)
    client = pylxd.Client()

    def list_with_status():
        # what the seed page shows: all(), then each container's status
        return [c.status for c in client.containers.all()]

    measure("list_with_status", runs, list_with_status)
    measure("get_one", runs, lambda: client.containers.get("bench-0").status)
    measure("host_info", runs, lambda: client.api.get().json())
    box = client.containers.get("bench-run")
    # p99 wants at least 50 runs; --quick (runs < 30) keeps 20 to stay under a minute.
    measure("exec_true", 50 if runs >= 30 else 20, lambda: box.execute(["true"]))
    def snapshot_create_delete():
        box.snapshots.create("bench-snap", wait=True)
        box.snapshots.get("bench-snap").delete(wait=True)

    measure("snapshot_create_delete", max(runs // 2, 5), snapshot_create_delete)
    measure("exec_8MiB_out", max(runs // 4, 3), lambda: box.execute(["head", "-c", "8388608", "/dev/zero"]))
    # 64 MiB of random bytes pushed and pulled whole (pylxd's files API holds them in memory).
    blob = os.urandom(64 << 20)
    measure("file_put_64MiB", max(runs // 10, 3), lambda: box.files.put("/root/bench-blob", blob))
    measure("file_get_64MiB", max(runs // 10, 3), lambda: box.files.get("/root/bench-blob"))
    if box.files.get("/root/bench-blob") != blob:
        sys.exit("file_get_64MiB: the bytes read back differ from those written")
    box.execute(["rm", "-f", "/root/bench-blob"])



def lifecycle(socket, n):
    """create+start+stop(force)+delete of n containers, sequential then concurrent."""
    from concurrent.futures import ThreadPoolExecutor
    os.environ["LXD_DIR"] = os.path.dirname(socket)
    client = pylxd.Client()

    def one(name):
        c = client.containers.create({"name": name, "source": {"type": "image", "alias": "testimage"}}, wait=True)
        c.start(wait=True)
        c.stop(force=True, wait=True)
        c.delete(wait=True)

    t0 = time.perf_counter()
    for i in range(n):
        one("bench-lcpy-s%d" % i)
    seq = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:
        list(pool.map(one, ["bench-lcpy-c%d" % i for i in range(n)]))
    conc = (time.perf_counter() - t0) * 1000
    for w, ms in (("lifecycle_%d_sequential" % n, seq), ("lifecycle_%d_concurrent" % n, conc)):
        print(json.dumps({"workload": w, "tool": TOOL, "p50_ms": ms, "p99_ms": ms, "runs": 1}))


if len(sys.argv) > 3 and sys.argv[3] == "lifecycle":
    lifecycle(sys.argv[1], int(sys.argv[2]))
else:
    main()
