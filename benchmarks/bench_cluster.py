"""Benchmark: a Deployment of N replicas on Cluster(workers=W), all Running, end to end.

Prints pods/s (virtual scheduling + kubelet + controllers, measured in wall time), the time
to build the cluster, and peak memory. kube-scheduler's CI threshold for 5,000 nodes and
10,000 pods is 680 pods/s; the NodeAffinity shape 220 pods/s.

    python benchmarks/bench_cluster.py --workers 5000 --replicas 10000 [--affinity]
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time

sys.setrecursionlimit(10000)


def manifest(replicas: int, affinity: bool) -> str:
    spec = {"containers": [{"name": "app", "image": "registry.k8s.io/pause:3.10.1",
                            "resources": {"requests": {"cpu": "1m", "memory": "1Mi"}}}]}
    if affinity:
        spec["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [
                {"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]}]}]}}}
    return json.dumps({"apiVersion": "apps/v1", "kind": "Deployment",
                       "metadata": {"name": "bench"},
                       "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "bench"}},
                                "template": {"metadata": {"labels": {"app": "bench"}}, "spec": spec}}})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=500)
    ap.add_argument("--replicas", type=int, default=1000)
    ap.add_argument("--affinity", action="store_true")
    args = ap.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    import kcore
    t1, c1 = time.perf_counter(), time.process_time()
    c = kcore.Cluster(workers=args.workers, worker_cpu="32", worker_memory="64Gi")
    t2, c2 = time.perf_counter(), time.process_time()
    r = c.kubectl("apply -f -", stdin=manifest(args.replicas, args.affinity))
    t3, c3 = time.perf_counter(), time.process_time()
    assert r.returncode == 0, r.stderr
    pods = c.kubectl(["get", "pods", "-l", "app=bench", "--no-headers"]).stdout.splitlines()
    running = sum(1 for line in pods if " Running " in line)
    if running != args.replicas:
        from collections import Counter
        print("not all Running:", dict(Counter(line.split()[2] for line in pods if line.split())),
              "last traceback:", getattr(c, "last_traceback", None))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"import kcore: {t1 - t0:.3f}s wall, {c1 - c0:.3f}s CPU; "
          f"Cluster(workers={args.workers}): {t2 - t1:.2f}s wall, {c2 - c1:.2f}s CPU")
    print(f"{running}/{args.replicas} pods Running in {t3 - t2:.2f}s wall, {c3 - c2:.2f}s CPU "
          f"({args.replicas / (t3 - t2):.0f} pods/s wall, {args.replicas / (c3 - c2):.0f} pods/s CPU)"
          f"{' [NodeAffinity shape]' if args.affinity else ''}")
    print(f"peak RSS: {peak:.0f} MiB; virtual time now {c.loop.now:.1f}s; events run {c.loop.events_run}")


if __name__ == "__main__":
    main()
