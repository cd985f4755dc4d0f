"""Benchmark: kubectl on a busy cluster.

- `kubectl get pods` over 1,000 pods (target ≤ 20 ms), also `-o wide`, `-o json`, jsonpath;
- `kubectl apply -f` of a 50-object file (first create, then unchanged re-apply).

    python benchmarks/bench_kubectl.py
"""
from __future__ import annotations

import json
import statistics
import time


def timed(fn, repeat=7):
    """Median wall and CPU seconds of `repeat` calls (the machine is shared: read both)."""
    walls, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    import kcore
    c = kcore.Cluster(workers=10, worker_cpu="64", worker_memory="256Gi")
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "many"},
           "spec": {"replicas": 1000, "selector": {"matchLabels": {"app": "many"}},
                    "template": {"metadata": {"labels": {"app": "many"}},
                                 "spec": {"containers": [{"name": "c", "image": "registry.k8s.io/pause:3.10.1"}]}}}}
    c.kubectl("apply -f -", stdin=json.dumps(dep))
    n = len(c.kubectl("get pods --no-headers").stdout.splitlines())
    print(f"pods: {n}")
    for args in (["get", "pods"], ["get", "pods", "-o", "wide"], ["get", "pods", "-o", "json"],
                 ["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"]):
        t, cpu = timed(lambda: c.kubectl(args))
        print(f"kubectl {' '.join(args)}: {t * 1000:.1f} ms wall, {cpu * 1000:.1f} ms CPU")
    objs = []
    for i in range(50):
        objs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{i}"},
                     "data": {"k": str(i)}} if i % 2 else
                    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"svc-{i}"},
                     "spec": {"selector": {"app": "many"}, "ports": [{"port": 80 + i}]}})
    text = "\n---\n".join(json.dumps(o) for o in objs)
    t, cp = time.perf_counter(), time.process_time()
    r = c.kubectl("apply -f -", stdin=text)
    t1, c1 = time.perf_counter() - t, time.process_time() - cp
    assert r.returncode == 0, r.stderr
    t2, c2 = timed(lambda: c.kubectl("apply -f -", stdin=text), repeat=3)
    print(f"apply -f (50 objects) create: {t1 * 1000:.0f} ms wall, {c1 * 1000:.0f} ms CPU; "
          f"unchanged re-apply: {t2 * 1000:.0f} ms wall, {c2 * 1000:.0f} ms CPU")


if __name__ == "__main__":
    main()
