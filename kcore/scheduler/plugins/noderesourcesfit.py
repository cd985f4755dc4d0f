"""NodeResourcesFit (Filter, Score).

Filter: the pod's requests (containers + sidecars, the largest init step, overhead — computed
once in PodInfo) must fit the node's allocatable minus what its pods already request; the pod
also needs a free `pods` slot. Reasons are `Insufficient(...)` records (`Insufficient cpu`) and
`Too many pods`; a request larger than the whole node is UnschedulableAndUnresolvable, since
no eviction can help. Score (default LeastAllocated, cpu and memory weight 1): the free share
left after placing the pod, using the non-zero requests (100m / 200Mi for unset ones)."""
from __future__ import annotations

from itertools import compress
from operator import attrgetter

from ..framework import (MAX_NODE_SCORE, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE,
                         FilterPlugin, Memo, PreScorePlugin, ScorePlugin, Status)
from ..messages import Insufficient, TooManyPods


_FREE = attrgetter("free_sig")
_NZ_SIG = attrgetter("nz_sig")


def least_requested(requested: int, capacity: int) -> int:
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


def most_requested(requested: int, capacity: int) -> int:
    if capacity == 0:
        return 0
    if requested > capacity:
        requested = capacity
    return requested * MAX_NODE_SCORE // capacity


def insufficient_resources(pod, ni) -> list:
    out = []
    if len(ni.pods) + 1 > ni.alloc_pods:
        out.append(TooManyPods(used=len(ni.pods), capacity=ni.alloc_pods))
    if not (pod.cpu or pod.memory or pod.scalars):
        return out
    if pod.cpu and pod.cpu > ni.alloc_cpu - ni.cpu:
        out.append(Insufficient("cpu", pod.cpu, ni.cpu, ni.alloc_cpu))
    if pod.memory and pod.memory > ni.alloc_memory - ni.memory:
        out.append(Insufficient("memory", pod.memory, ni.memory, ni.alloc_memory))
    for name, want in pod.scalars.items():
        cap = ni.alloc_scalars.get(name, 0)
        used = ni.scalars.get(name, 0)
        if want > cap - used:
            out.append(Insufficient(name, want, used, cap))
    return out


class NodeResourcesFit(FilterPlugin, PreScorePlugin, ScorePlugin):
    name = "NodeResourcesFit"

    def __init__(self, handle=None, args=None):
        super().__init__(handle, args)
        strategy = (self.args.get("scoringStrategy") or {})
        self.strategy = strategy.get("type", "LeastAllocated")
        res = strategy.get("resources") or [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]
        self.weights = {r["name"]: r.get("weight", 1) for r in res}
        self.scorer = most_requested if self.strategy == "MostAllocated" else least_requested

    def filter(self, state, pod, ni):
        # fast path: the common case fits on every count
        if (ni.free_pods > 0 and pod.cpu <= ni.free_cpu and pod.memory <= ni.free_memory
                and not pod.scalars):
            return None
        reasons = insufficient_resources(pod, ni)
        if not reasons:
            return None
        code = UNSCHEDULABLE
        if any(getattr(r, "unresolvable", False) for r in reasons):
            code = UNSCHEDULABLE_AND_UNRESOLVABLE
        return Status(code, *reasons)

    def filter_nodes(self, state, pod, nodes, failed):
        pc, pm = pod.cpu, pod.memory
        if pod.scalars:
            return super().filter_nodes(state, pod, nodes, failed)
        fits = Memo(lambda free: free[0] > 0 and pc <= free[1] and pm <= free[2])
        ok = list(compress(nodes, map(fits.__getitem__, map(_FREE, nodes))))
        if len(ok) == len(nodes):
            return ok
        good = set(map(id, ok))
        rest = [ni for ni in nodes if id(ni) not in good]
        rescued = super().filter_nodes(state, pod, rest, failed)   # the slow path's verdict
        if not rescued:
            return ok
        good.update(map(id, rescued))
        return [ni for ni in nodes if id(ni) in good]

    def pre_score(self, state, pod, nodes):
        return None

    def score_nodes(self, state, pod, nodes):
        wc = self.weights.get("cpu", 0)
        wm = self.weights.get("memory", 0)
        pc, pm = pod.nz_cpu, pod.nz_memory
        f = self.scorer
        default = wc == 1 and wm == 1 and set(self.weights) == {"cpu", "memory"}
        if self.strategy == "LeastAllocated" and default:
            def least(key):
                rc, rm, ac, am = key
                rc, rm = rc + pc, rm + pm
                sc = 0 if (ac == 0 or rc > ac) else (ac - rc) * 100 // ac
                sm = 0 if (am == 0 or rm > am) else (am - rm) * 100 // am
                if ac and am:
                    return (sc + sm) // 2
                return sc if ac else sm
            memo = Memo(least)
            return list(map(memo.__getitem__, map(_NZ_SIG, nodes)))
        return [self._score(pod, ni, f) for ni in nodes]

    def _score(self, pod, ni, f):
        total = wsum = 0
        for name, w in self.weights.items():
            if name == "cpu":
                cap, req = ni.alloc_cpu, ni.nz_cpu + pod.nz_cpu
            elif name == "memory":
                cap, req = ni.alloc_memory, ni.nz_memory + pod.nz_memory
            else:
                cap = ni.alloc_scalars.get(name, 0)
                req = ni.scalars.get(name, 0) + pod.scalars.get(name, 0)
            if cap == 0:
                continue
            total += f(req, cap) * w
            wsum += w
        return total // wsum if wsum else 0

    def score(self, state, pod, node_info):
        return self.score_nodes(state, pod, [node_info])[0]

    def events_to_register(self):
        return (("Pod", "Delete"), ("Pod", "Update"), ("Node", "Add"), ("Node", "Update"))
