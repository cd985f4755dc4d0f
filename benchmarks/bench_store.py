"""How fast is the etcd store? Prints puts/s, gets/s and watch fan-out events/s.

The hot path of the simulator is the API server writing and reading ~1-2 KB JSON objects, and
every write fanning out to the watchers (scheduler, kubelets, controllers). Not a test: run
`python benchmarks/bench_store.py` and read the figures."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kcore.etcd import Store  # noqa: E402

N = 50_000
KEYS = 5_000
WATCHERS = 10


def pod_bytes(i: int) -> bytes:
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": f"web-{i}", "namespace": "default", "labels": {"app": "web"},
                        "annotations": {"note": "x" * 900}},
           "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                                    "ports": [{"containerPort": 80}]}], "nodeName": "node01"},
           "status": {"phase": "Running", "podIP": "10.244.1.7"}}
    return json.dumps(pod).encode()


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s"


def main() -> None:
    values = [pod_bytes(i) for i in range(16)]
    keys = [f"/registry/pods/default/web-{i}" for i in range(KEYS)]
    size = sum(map(len, values)) // len(values)

    s = Store()
    t = time.perf_counter()
    for i in range(N):
        s.put(keys[i % KEYS], values[i & 15])
    put_s = time.perf_counter() - t

    t = time.perf_counter()
    for i in range(N):
        s.get(keys[i % KEYS])
    get_s = time.perf_counter() - t

    w = Store()
    delivered = [0]

    def on_event(ev) -> None:
        delivered[0] += 1
    for _ in range(WATCHERS):
        w.watch("/registry/pods/", on_event)
    t = time.perf_counter()
    for i in range(N):
        w.put(keys[i % KEYS], values[i & 15])
    watch_s = time.perf_counter() - t

    print(f"value size        {size} bytes, {KEYS} keys, {N} operations")
    print(f"puts              {rate(N, put_s)}")
    print(f"gets              {rate(N, get_s)}")
    print(f"watch fan-out     {rate(delivered[0], watch_s)} events delivered "
          f"({WATCHERS} watchers, {rate(N, watch_s)} puts)")


if __name__ == "__main__":
    main()
