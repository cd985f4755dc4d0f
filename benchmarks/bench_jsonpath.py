"""How fast kcore renders `-o jsonpath` over a 1,000-pod list, next to jsonpath-ng.

Both sides parse once, outside the timed loop (kcore caches parsed templates; jsonpath-ng's
parse result is kept), then evaluate the same query on the same list. kcore must be at least
10x faster. Run: python benchmarks/bench_jsonpath.py"""
from __future__ import annotations

import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jsonpath_ng.ext import parse as ng_parse  # noqa: E402

from kcore.machinery import jsonpath  # noqa: E402


def pod(i: int) -> dict:
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": f"web-{i:04d}", "namespace": "default",
                     "labels": {"app": "web" if i % 3 else "db", "tier": "frontend"}},
        "spec": {"nodeName": f"worker-{i % 7}",
                 "containers": [{"name": "app", "image": "nginx:1.25", "ports": [{"containerPort": 80}]},
                                {"name": "sidecar", "image": "busybox:1.36"}]},
        "status": {"phase": "Running" if i % 5 else "Pending", "podIP": f"10.244.{i // 250}.{i % 250}",
                   "containerStatuses": [{"name": "app", "ready": True, "restartCount": i % 4}]},
    }


DATA = {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
        "items": [pod(i) for i in range(1000)]}

QUERIES = [
    ("names", "{.items[*].metadata.name}", "$.items[*].metadata.name"),
    ("images", "{.items[*].spec.containers[*].image}", "$.items[*].spec.containers[*].image"),
    ("filter", '{.items[?(@.status.phase=="Pending")].metadata.name}',
     '$.items[?(@.status.phase=="Pending")].metadata.name'),
]


def best_of(fn, number: int = 5, repeat: int = 5) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main() -> int:
    worst = float("inf")
    print(f"{'query':<8} {'kcore ms':>10} {'jsonpath-ng ms':>15} {'ratio':>7}")
    for label, template, ng_expr in QUERIES:
        compiled = ng_parse(ng_expr)
        ours = jsonpath.render(template, DATA)
        theirs = " ".join(str(m.value) for m in compiled.find(DATA))
        assert ours == theirs, (label, ours[:80], theirs[:80])
        t_kcore = best_of(lambda: jsonpath.render(template, DATA))
        t_ng = best_of(lambda: " ".join(str(m.value) for m in compiled.find(DATA)), number=1, repeat=3)
        ratio = t_ng / t_kcore
        worst = min(worst, ratio)
        print(f"{label:<8} {t_kcore * 1e3:>10.2f} {t_ng * 1e3:>15.2f} {ratio:>6.1f}x")
    table = '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'
    t_range = best_of(lambda: jsonpath.render(table, DATA))
    print(f"range table over 1,000 pods (kcore only): {t_range * 1e3:.2f} ms")
    print(f"slowest ratio: {worst:.1f}x ({'OK' if worst >= 10 else 'BELOW 10x'})")
    return 0 if worst >= 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
