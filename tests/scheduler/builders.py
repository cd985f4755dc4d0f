"""Builders for scheduler tests: `node("n1").cpu("2").taint("k", "v").obj()`,
`pod("web").requests(cpu="500m").tolerates("k").obj()`, plus helpers that run one plugin the
way the framework would (PreFilter, then Filter per node; PreScore, Score, NormalizeScore)."""
from __future__ import annotations

import copy

from kcore.scheduler import CycleState, PodInfo, Scheduler


class node:
    def __init__(self, name: str):
        self._o = {"apiVersion": "v1", "kind": "Node",
                   "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
                   "spec": {},
                   "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}}

    def cpu(self, q):
        self._o["status"]["allocatable"]["cpu"] = q
        return self

    def memory(self, q):
        self._o["status"]["allocatable"]["memory"] = q
        return self

    def pods(self, n):
        self._o["status"]["allocatable"]["pods"] = str(n)
        return self

    def allocatable(self, **res):
        self._o["status"]["allocatable"].update({k.replace("_", "-"): v for k, v in res.items()})
        return self

    def extended(self, name, q):
        self._o["status"]["allocatable"][name] = q
        return self

    def label(self, k, v=""):
        self._o["metadata"]["labels"][k] = v
        return self

    def taint(self, key, value="", effect="NoSchedule"):
        t = {"key": key, "effect": effect}
        if value:
            t["value"] = value
        self._o["spec"].setdefault("taints", []).append(t)
        return self

    def cordon(self):
        self._o["spec"]["unschedulable"] = True
        return self

    def image(self, name, size):
        self._o["status"].setdefault("images", []).append({"names": [name], "sizeBytes": size})
        return self

    def obj(self):
        return copy.deepcopy(self._o)


class pod:
    def __init__(self, name: str, namespace: str = "default"):
        self._o = {"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": name, "namespace": namespace},
                   "spec": {"containers": [{"name": "c", "image": "nginx"}]}}

    @property
    def spec(self):
        return self._o["spec"]

    def requests(self, cpu=None, memory=None, **other):
        req = self.spec["containers"][0].setdefault("resources", {}).setdefault("requests", {})
        if cpu is not None:
            req["cpu"] = cpu
        if memory is not None:
            req["memory"] = memory
        req.update({k.replace("_", "-"): v for k, v in other.items()})
        return self

    def container(self, name, cpu=None, memory=None, image="nginx"):
        c = {"name": name, "image": image}
        req = {}
        if cpu:
            req["cpu"] = cpu
        if memory:
            req["memory"] = memory
        if req:
            c["resources"] = {"requests": req}
        self.spec["containers"].append(c)
        return self

    def init(self, name, cpu=None, memory=None, sidecar=False):
        c = {"name": name, "image": "busybox"}
        req = {}
        if cpu:
            req["cpu"] = cpu
        if memory:
            req["memory"] = memory
        if req:
            c["resources"] = {"requests": req}
        if sidecar:
            c["restartPolicy"] = "Always"
        self.spec.setdefault("initContainers", []).append(c)
        return self

    def overhead(self, **res):
        self.spec["overhead"] = res
        return self

    def label(self, k, v):
        self._o["metadata"].setdefault("labels", {})[k] = v
        return self

    def labels(self, **kv):
        for k, v in kv.items():
            self.label(k, v)
        return self

    def on(self, node_name):
        self.spec["nodeName"] = node_name
        return self

    def node_name(self, node_name):
        return self.on(node_name)

    def priority(self, p):
        self.spec["priority"] = p
        return self

    def start(self, ts):
        self._o.setdefault("status", {})["startTime"] = ts
        return self

    def tolerates(self, key="", value=None, effect=None, operator=None):
        t = {}
        if key:
            t["key"] = key
        if operator:
            t["operator"] = operator
        elif value is None:
            t["operator"] = "Exists"
        if value is not None:
            t["value"] = value
        if effect:
            t["effect"] = effect
        self.spec.setdefault("tolerations", []).append(t)
        return self

    def node_selector(self, **kv):
        self.spec.setdefault("nodeSelector", {}).update(kv)
        return self

    def require_node(self, *terms):
        na = self.spec.setdefault("affinity", {}).setdefault("nodeAffinity", {})
        na["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": list(terms)}
        return self

    def prefer_node(self, weight, term):
        na = self.spec.setdefault("affinity", {}).setdefault("nodeAffinity", {})
        na.setdefault("preferredDuringSchedulingIgnoredDuringExecution", []).append(
            {"weight": weight, "preference": term})
        return self

    def pod_affinity(self, kind, topology_key, match_labels, weight=None, anti=False, **extra):
        key = "podAntiAffinity" if anti else "podAffinity"
        term = {"labelSelector": {"matchLabels": match_labels}, "topologyKey": topology_key, **extra}
        aff = self.spec.setdefault("affinity", {}).setdefault(key, {})
        if weight is None:
            aff.setdefault("requiredDuringSchedulingIgnoredDuringExecution", []).append(term)
        else:
            aff.setdefault("preferredDuringSchedulingIgnoredDuringExecution", []).append(
                {"weight": weight, "podAffinityTerm": term})
        return self

    def spread(self, max_skew, key, match_labels, when="DoNotSchedule", **extra):
        self.spec.setdefault("topologySpreadConstraints", []).append(
            {"maxSkew": max_skew, "topologyKey": key, "whenUnsatisfiable": when,
             "labelSelector": {"matchLabels": match_labels}, **extra})
        return self

    def host_port(self, port, protocol="TCP", ip=None):
        p = {"containerPort": port, "hostPort": port, "protocol": protocol}
        if ip:
            p["hostIP"] = ip
        self.spec["containers"][0].setdefault("ports", []).append(p)
        return self

    def pvc(self, claim, volume="data"):
        self.spec.setdefault("volumes", []).append(
            {"name": volume, "persistentVolumeClaim": {"claimName": claim}})
        return self

    def gate(self, name):
        self.spec.setdefault("schedulingGates", []).append({"name": name})
        return self

    def scheduler_name(self, name):
        self.spec["schedulerName"] = name
        return self

    def never_preempt(self):
        self.spec["preemptionPolicy"] = "Never"
        return self

    def obj(self):
        return copy.deepcopy(self._o)


def expr(key, op, *values):
    e = {"key": key, "operator": op}
    if values:
        e["values"] = list(values)
    return e


def term(*exprs, fields=()):
    t = {"matchExpressions": list(exprs)}
    if fields:
        t["matchFields"] = list(fields)
    return t


def cluster(nodes=(), pods=(), others=()):
    """A Scheduler fed with nodes, assigned pods and other objects (kind inferred)."""
    s = Scheduler()
    for n in nodes:
        s.add_node(n if isinstance(n, dict) else n.obj())
    for p in pods:
        s.add_pod(p if isinstance(p, dict) else p.obj())
    for o in others:
        s.handle(o["kind"], "ADDED", o)
    return s


def _prep(plugin_name, nodes, the_pod, pods=(), others=()):
    s = cluster(nodes, pods, others)
    fw = s.profiles["default-scheduler"]
    pl = fw.plugin(plugin_name)
    pi = PodInfo(the_pod if isinstance(the_pod, dict) else the_pod.obj())
    return s, fw, pl, pi, CycleState()


def filter_results(plugin_name, nodes, the_pod, pods=(), others=()) -> dict:
    """{node: None | (code name, message)} for one Filter plugin after its PreFilter."""
    s, fw, pl, pi, state = _prep(plugin_name, nodes, the_pod, pods, others)
    if hasattr(pl, "pre_filter"):
        st = pl.pre_filter(state, pi, s.cache.node_list)
        if st is not None and st.code == 5:           # Skip: the plugin passes every node
            return {ni.name: None for ni in s.cache.node_list}
        if st is not None and st.code:
            return {ni.name: (st.code_name, st.message()) for ni in s.cache.node_list}
    out = {}
    for ni in s.cache.node_list:
        st = pl.filter(state, pi, ni)
        out[ni.name] = None if st is None or not st.code else (st.code_name, st.message())
    # the vectorised path must agree with the per-node one
    failed = {}
    passed = pl.filter_nodes(state, pi, list(s.cache.node_list), failed)
    assert {ni.name for ni in passed} == {n for n, v in out.items() if v is None}
    return out


def scores(plugin_name, nodes, the_pod, pods=(), others=(), normalized=True) -> dict:
    """{node: score} for one Score plugin (after its PreScore) over all nodes."""
    s, fw, pl, pi, state = _prep(plugin_name, nodes, the_pod, pods, others)
    infos = list(s.cache.node_list)
    if hasattr(pl, "pre_score"):
        st = pl.pre_score(state, pi, infos)
        if st is not None and st.code == 5:
            return {ni.name: None for ni in infos}
    raw = pl.score_nodes(state, pi, infos)
    assert raw == [pl.score(state, pi, ni) for ni in infos]
    if normalized and pl.normalizes:
        raw = list(raw)
        pl.normalize_score(state, pi, raw)
    return {ni.name: v for ni, v in zip(infos, raw)}
