"""How fast does the scheduler place pods? Prints pods/s for 10,000 pods onto 5,000 nodes.

Two runs: plain pods (cpu/memory requests only) and pods with a required node affinity plus a
preferred one (so NodeAffinity filters and scores every node it looks at). Nodes carry a zone
label and images; a tenth are tainted for a dedicated workload. Each binding is assumed in the
cache, as kube-scheduler does, so every pod sees the ones before it. The target is >= 680
pods/s in pure Python; on a busy machine read the CPU-second figure. Not a test: run `python benchmarks/bench_scheduler.py [pods] [nodes]`."""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kcore.scheduler import Bind, Scheduler  # noqa: E402

PODS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
NODES = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000


def node(i: int) -> dict:
    name = f"node{i:05d}"
    taints = [{"key": "dedicated", "value": "batch", "effect": "NoSchedule"}] if i % 10 == 0 else []
    return {"metadata": {"name": name, "labels": {
                "kubernetes.io/hostname": name, "topology.kubernetes.io/zone": f"zone-{i % 3}",
                "disktype": "ssd" if i % 2 else "hdd"}},
            "spec": {"taints": taints},
            "status": {"allocatable": {"cpu": "8", "memory": "32Gi", "pods": "110"},
                       "images": [{"names": ["nginx:1.27"], "sizeBytes": 70_000_000}]}}


def pod(i: int, affinity: bool) -> dict:
    spec = {"containers": [{"name": "app", "image": "nginx:1.27",
                            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}]}
    if affinity:
        spec["affinity"] = {"nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{
                "matchExpressions": [{"key": "topology.kubernetes.io/zone", "operator": "In",
                                      "values": ["zone-0", "zone-1"]}]}]},
            "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 10, "preference": {
                "matchExpressions": [{"key": "disktype", "operator": "In", "values": ["ssd"]}]}}]}}
    return {"metadata": {"name": f"p{i}", "namespace": "default", "labels": {"app": "web"}},
            "spec": spec}


def run(affinity: bool) -> float:
    s = Scheduler()
    for i in range(NODES):
        s.add_node(node(i))
    for i in range(PODS):
        s.add_pod(pod(i, affinity))
    t0, c0 = time.perf_counter(), time.process_time()
    bound = 0
    while True:                 # decisions are dropped as they come, as an owner would
        d = s.schedule_one()
        if d is None:
            break
        bound += isinstance(d, Bind)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert bound == PODS, f"only {bound}/{PODS} pods were bound"
    return PODS / wall, PODS / cpu


if __name__ == "__main__":
    for label, aff in (("plain", False), ("node affinity", True)):
        wall, cpu = run(aff)
        print(f"{PODS} pods onto {NODES} nodes ({label}): {wall:,.0f} pods/s "
              f"({cpu:,.0f} pods per CPU-second)")
