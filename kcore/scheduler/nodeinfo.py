"""PodInfo and NodeInfo: what the scheduler knows about a pod and a node, computed once.

A PodInfo parses a pod dict a single time — requests (with the init-container max rule, sidecars
and overhead), the non-zero requests used for scoring, host ports, affinity terms, priority —
so that filtering 5,000 nodes never re-reads the dict. A NodeInfo aggregates the pods placed on
a node; adding or removing a pod updates the sums in O(1) (no recomputation, no deep copies).
`clone()` is shallow where it can be and is only used by preemption and nominated pods."""
from __future__ import annotations

from . import util

_SCALAR_SKIP = ("cpu", "memory", "ephemeral-storage", "pods")
# Equal signatures are one tuple: the score and filter loops over 5,000 nodes then hash a few
# tuples that stay in the CPU cache instead of 5,000 scattered ones (and their integers).
_SIGS: dict[tuple, tuple] = {}


class AffinityTerm:
    """A parsed PodAffinityTerm: which namespaces, which labels, which topology key."""
    __slots__ = ("namespaces", "ns_selector", "selector", "topology_key", "weight")

    def __init__(self, owner_ns: str, term: dict, weight: int = 0):
        self.selector = term.get("labelSelector")
        self.topology_key = term.get("topologyKey") or ""
        self.ns_selector = term.get("namespaceSelector")
        names = term.get("namespaces") or ()
        if not names and self.ns_selector is None:
            names = (owner_ns,)
        self.namespaces = frozenset(names)
        self.weight = weight

    def matches(self, pod_info: "PodInfo", ns_labels) -> bool:
        if pod_info.namespace in self.namespaces or (
                self.ns_selector is not None
                and util.label_selector_matches(self.ns_selector, ns_labels(pod_info.namespace))):
            return util.label_selector_matches(self.selector, pod_info.labels)
        return False


class PodInfo:
    """A pod dict plus everything the plugins derive from it."""
    __slots__ = ("pod", "key", "name", "namespace", "uid", "labels", "priority", "requests",
                 "cpu", "memory", "nz_cpu", "nz_memory", "scalars", "ports", "required_affinity",
                 "required_anti_affinity", "preferred_affinity", "preferred_anti_affinity",
                 "node_name", "tolerations", "start_time")

    def __init__(self, pod: dict):
        self.pod = pod
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        self.name = meta.get("name", "")
        self.namespace = meta.get("namespace") or "default"
        self.key = f"{self.namespace}/{self.name}"
        self.uid = meta.get("uid", "")
        self.labels = meta.get("labels") or {}
        self.priority = util.pod_priority(pod)
        self.node_name = spec.get("nodeName") or ""
        self.tolerations = spec.get("tolerations") or ()
        self.start_time = (pod.get("status") or {}).get("startTime") or meta.get("creationTimestamp") or ""
        req = util.pod_requests(pod)
        self.requests = req
        self.cpu = req.get("cpu", 0)
        self.memory = req.get("memory", 0)
        scalars = {"ephemeral-storage": req["ephemeral-storage"]} if req.get("ephemeral-storage") else {}
        scalars.update((k, v) for k, v in req.items() if k not in _SCALAR_SKIP and v)
        self.scalars = scalars
        nz = util.pod_requests(pod, non_zero=True)
        self.nz_cpu = nz.get("cpu", 0)
        self.nz_memory = nz.get("memory", 0)
        self.ports = util.host_ports(pod)
        aff = spec.get("affinity") or {}
        pa = aff.get("podAffinity") or {}
        paa = aff.get("podAntiAffinity") or {}
        ns = self.namespace
        self.required_affinity = [AffinityTerm(ns, t) for t in
                                  pa.get("requiredDuringSchedulingIgnoredDuringExecution") or ()]
        self.required_anti_affinity = [AffinityTerm(ns, t) for t in
                                       paa.get("requiredDuringSchedulingIgnoredDuringExecution") or ()]
        self.preferred_affinity = [AffinityTerm(ns, w.get("podAffinityTerm") or {}, w.get("weight", 0))
                                   for w in pa.get("preferredDuringSchedulingIgnoredDuringExecution") or ()]
        self.preferred_anti_affinity = [
            AffinityTerm(ns, w.get("podAffinityTerm") or {}, w.get("weight", 0))
            for w in paa.get("preferredDuringSchedulingIgnoredDuringExecution") or ()]

    def reuse_for(self, pod: dict) -> "PodInfo | None":
        """This PodInfo for a newer revision of the same pod, if nothing it was computed from
        changed (the kubelet's status updates); None if it must be computed again."""
        meta = pod.get("metadata") or {}
        if meta.get("uid", "") != self.uid or (meta.get("labels") or {}) != self.labels:
            return None
        spec, old_spec = pod.get("spec") or {}, self.pod.get("spec") or {}
        if spec != old_spec:
            # the binding only sets nodeName (the pod the scheduler assumed had none)
            if old_spec.get("nodeName") or not spec.get("nodeName"):
                return None
            unbound = dict(spec)
            del unbound["nodeName"]
            if unbound != old_spec:
                return None
        pi = PodInfo.__new__(PodInfo)
        for slot in PodInfo.__slots__:
            setattr(pi, slot, getattr(self, slot))
        pi.pod = pod
        pi.node_name = spec.get("nodeName") or ""
        pi.start_time = (pod.get("status") or {}).get("startTime") or meta.get("creationTimestamp") or ""
        return pi

    @property
    def has_affinity(self) -> bool:
        return bool(self.required_affinity or self.required_anti_affinity
                    or self.preferred_affinity or self.preferred_anti_affinity)

    @property
    def terminating(self) -> bool:
        return bool((self.pod.get("metadata") or {}).get("deletionTimestamp"))

    def __repr__(self) -> str:
        return f"PodInfo({self.key})"


class NodeInfo:
    """A node and the pods on it, with running sums the Filter and Score plugins read."""
    __slots__ = ("name", "node", "labels", "pods", "cpu", "memory", "nz_cpu", "nz_memory",
                 "scalars", "alloc_cpu", "alloc_memory", "alloc_pods", "alloc_scalars",
                 "used_ports", "image_sizes", "hard_taints", "prefer_taints", "unschedulable",
                 "pods_with_affinity", "pods_with_required_anti_affinity", "generation",
                 "free_cpu", "free_memory", "free_pods", "free_sig", "nz_sig", "req_sig",
                 "first_hard_taint", "index")

    def __init__(self, node: dict | None = None, name: str = ""):
        self.pods: dict[str, PodInfo] = {}
        self.cpu = self.memory = self.nz_cpu = self.nz_memory = 0
        self.scalars: dict[str, int] = {}
        self.used_ports: set = set()
        self.pods_with_affinity: list[PodInfo] = []
        self.pods_with_required_anti_affinity: list[PodInfo] = []
        self.generation = 0
        self.index = -1                 # position in Cache.node_list
        self.node = None
        self.name = name
        self.set_node(node)

    # -- node ---------------------------------------------------------------------------
    def set_node(self, node: dict | None) -> None:
        self.node = node
        self.generation += 1
        if node is None:
            self.labels, self.hard_taints, self.prefer_taints = {}, (), ()
            self.first_hard_taint = None
            self.unschedulable = False
            self.alloc_cpu = self.alloc_memory = self.alloc_pods = 0
            self.alloc_scalars, self.image_sizes = {}, {}
            self._refresh()
            return
        meta = node.get("metadata") or {}
        spec = node.get("spec") or {}
        status = node.get("status") or {}
        self.name = meta.get("name", self.name)
        self.labels = meta.get("labels") or {}
        taints = spec.get("taints") or ()
        self.hard_taints = tuple(t for t in taints if t.get("effect") in ("NoSchedule", "NoExecute"))
        self.prefer_taints = tuple(t for t in taints if t.get("effect") == "PreferNoSchedule")
        first = self.hard_taints[0] if self.hard_taints else None
        self.first_hard_taint = None if first is None else (
            first.get("key", ""), first.get("value", ""), first.get("effect", ""))
        self.unschedulable = bool(spec.get("unschedulable"))
        alloc = status.get("allocatable") or status.get("capacity") or {}
        self.alloc_cpu = util.milli_value(alloc["cpu"]) if "cpu" in alloc else 0
        self.alloc_memory = util.value(alloc["memory"]) if "memory" in alloc else 0
        self.alloc_pods = util.value(alloc["pods"]) if "pods" in alloc else 0
        self.alloc_scalars = {k: util.value(v) for k, v in alloc.items()
                              if k not in ("cpu", "memory", "pods")}
        sizes = {}
        for img in status.get("images") or ():
            for n in img.get("names") or ():
                sizes[util.normalized_image_name(n)] = img.get("sizeBytes", 0)
        self.image_sizes = sizes
        self._refresh()

    def _refresh(self) -> None:
        """Derived sums the hot loops read: free room and the scoring signatures."""
        self.free_cpu = self.alloc_cpu - self.cpu
        self.free_memory = self.alloc_memory - self.memory
        self.free_pods = self.alloc_pods - len(self.pods)
        sigs = _SIGS
        if len(sigs) > 100_000:
            sigs.clear()
        sig = (self.free_pods, self.free_cpu, self.free_memory)
        self.free_sig = sigs.setdefault(sig, sig)
        sig = (self.nz_cpu, self.nz_memory, self.alloc_cpu, self.alloc_memory)
        self.nz_sig = sigs.setdefault(sig, sig)
        sig = (self.cpu, self.memory, self.alloc_cpu, self.alloc_memory)
        self.req_sig = sigs.setdefault(sig, sig)

    # -- pods ---------------------------------------------------------------------------
    def add_pod(self, pi: PodInfo) -> None:
        if pi.key in self.pods:
            self.remove_pod(pi.key)
        self.pods[pi.key] = pi
        self.cpu += pi.cpu
        self.memory += pi.memory
        self.nz_cpu += pi.nz_cpu
        self.nz_memory += pi.nz_memory
        if pi.scalars:
            s = self.scalars
            for k, v in pi.scalars.items():
                s[k] = s.get(k, 0) + v
        if pi.ports:
            self.used_ports = self.used_ports | set(pi.ports)
        if pi.has_affinity:
            self.pods_with_affinity = self.pods_with_affinity + [pi]
            if pi.required_anti_affinity:
                self.pods_with_required_anti_affinity = self.pods_with_required_anti_affinity + [pi]
        self.generation += 1
        self._refresh()

    def remove_pod(self, key: str) -> PodInfo | None:
        pi = self.pods.pop(key, None)
        if pi is None:
            return None
        self.cpu -= pi.cpu
        self.memory -= pi.memory
        self.nz_cpu -= pi.nz_cpu
        self.nz_memory -= pi.nz_memory
        for k, v in pi.scalars.items():
            self.scalars[k] = self.scalars.get(k, 0) - v
        if pi.ports:
            ports = set()
            for other in self.pods.values():
                ports.update(other.ports)
            self.used_ports = ports
        if pi.has_affinity:
            self.pods_with_affinity = [p for p in self.pods_with_affinity if p.key != key]
            self.pods_with_required_anti_affinity = [
                p for p in self.pods_with_required_anti_affinity if p.key != key]
        self.generation += 1
        self._refresh()
        return pi

    def clone(self) -> "NodeInfo":
        """A copy whose pod set can change without touching this one (lists are rebuilt on
        write, so sharing them is safe)."""
        c = NodeInfo.__new__(NodeInfo)
        for slot in NodeInfo.__slots__:
            setattr(c, slot, getattr(self, slot))
        c.pods = dict(self.pods)
        c.scalars = dict(self.scalars)
        return c

    def requested(self) -> dict:
        """Requested resources as a dict, for describe-style output and the explainer."""
        out = {"cpu": self.cpu, "memory": self.memory, "pods": len(self.pods)}
        out.update(self.scalars)
        return out

    def __repr__(self) -> str:
        return f"NodeInfo({self.name}, pods={len(self.pods)})"
