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
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


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
        t = timed(lambda: c.kubectl(args))
        print(f"kubectl {' '.join(args)}: {t * 1000:.1f} ms")
    objs = []
    for i in range(50):
        objs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{i}"},
                     "data": {"k": str(i)}} if i % 2 else
                    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"svc-{i}"},
                     "spec": {"selector": {"app": "many"}, "ports": [{"port": 80 + i}]}})
    text = "\n---\n".join(json.dumps(o) for o in objs)
    t = time.perf_counter()
    r = c.kubectl("apply -f -", stdin=text)
    t1 = time.perf_counter() - t
    assert r.returncode == 0, r.stderr
    t2 = timed(lambda: c.kubectl("apply -f -", stdin=text), repeat=3)
    print(f"apply -f (50 objects) create: {t1 * 1000:.0f} ms; unchanged re-apply: {t2 * 1000:.0f} ms")


if __name__ == "__main__":
    main()
