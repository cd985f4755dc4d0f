"""Node lifecycle: notice silent nodes, taint them, evict their pods.

Every 5 s (nodeMonitorPeriod) each node's Lease is checked. A node whose kubelet has not
renewed it for 40 s (nodeMonitorGracePeriod) gets its conditions set to Unknown ("Kubelet
stopped posting node status.") and the `node.kubernetes.io/unreachable` taints; a node that
reports Ready=False gets `node.kubernetes.io/not-ready`. The taint-eviction part then deletes
pods that do not tolerate a NoExecute taint — at once, or after their tolerationSeconds
(300 s for the tolerations every pod gets from DefaultTolerationSeconds)."""
from __future__ import annotations

from kcore.machinery.objects import clone

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller

MONITOR_PERIOD = 5.0
GRACE = 40.0
UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"


def _ready(node) -> str:
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status", "Unknown")
    return "Unknown"


def tolerates(tolerations, taint) -> tuple[bool, float | None]:
    """(tolerated, seconds) for a NoExecute taint."""
    best = None
    ok = False
    for t in tolerations or []:
        if t.get("effect") not in (None, "", taint["effect"]):
            continue
        op = t.get("operator", "Equal")
        if t.get("key"):
            if t["key"] != taint["key"]:
                continue
            if op == "Equal" and t.get("value", "") != taint.get("value", ""):
                continue
        elif op != "Exists":
            continue
        ok = True
        secs = t.get("tolerationSeconds")
        if secs is None:
            return True, None
        best = secs if best is None else min(best, secs)
    return ok, best


class NodeLifecycleController(Controller):
    name = "nodelifecycle"
    component_name = "node-controller"

    def setup(self) -> None:
        self.nodes = self.informer("nodes")
        self.leases = self.informer("leases")
        self.pods = self.informer("pods")
        self.nodes.add_handler(lambda et, n, old: et != "DELETED" and self.enqueue(n["metadata"]["name"]))
        self.by_node: dict[str, dict[str, dict]] = {}
        self.pods.add_handler(self._on_pod)
        self.first_seen: dict[str, float] = {}
        self.eviction_timers: dict[str, object] = {}
        self.loop.call_later(MONITOR_PERIOD, self._monitor, background=True)

    def _on_pod(self, etype, pod, old):
        node = (pod.get("spec") or {}).get("nodeName")
        key = f"{pod['metadata'].get('namespace')}/{pod['metadata']['name']}"
        if old is not None:
            prev = (old.get("spec") or {}).get("nodeName")
            if prev and prev != node:
                self.by_node.get(prev, {}).pop(key, None)
        if node:
            if etype == "DELETED":
                self.by_node.get(node, {}).pop(key, None)
            else:
                self.by_node.setdefault(node, {})[key] = pod
        if node and etype != "DELETED":
            n = self.nodes.get(None, node)
            if n is not None and any(t.get("effect") == "NoExecute" for t in (n.get("spec") or {}).get("taints") or []):
                self.enqueue(node)

    def _monitor(self) -> None:
        if not self.running:
            return
        for node in self.nodes.list():
            self.enqueue(node["metadata"]["name"])
        self.loop.call_later(MONITOR_PERIOD, self._monitor, background=True)

    def reconcile(self, name: str):
        node = self.nodes.get(None, name)
        if node is None:
            return None
        now = self.loop.now
        self.first_seen.setdefault(name, now)
        lease = self.leases.get("kube-node-lease", name)
        renew = None
        if lease is not None and (lease.get("spec") or {}).get("renewTime"):
            renew = self.loop.parse_timestamp(lease["spec"]["renewTime"])
        last = renew if renew is not None else self.first_seen[name]
        ready = _ready(node)
        if now - last > GRACE and ready != "Unknown":
            node = self._mark_unknown(node)
            ready = "Unknown"
        want = []
        if ready == "Unknown":
            want = [UNREACHABLE]
        elif ready == "False":
            want = [NOT_READY]
        if (node.get("spec") or {}).get("unschedulable"):
            want.append(UNSCHEDULABLE)
        node = self._sync_taints(node, want)
        self._evict(node)
        return None

    def _mark_unknown(self, node):
        node = clone(node)
        now = self.loop.timestamp()
        for c in (node.get("status") or {}).get("conditions") or []:
            c["status"] = "Unknown"
            c["reason"] = "NodeStatusUnknown"
            c["message"] = "Kubelet stopped posting node status."
            c["lastTransitionTime"] = now
        try:
            node = self.client.update_status("nodes", None, node)
        except ApiError:
            return node
        self.event(node, "NodeNotReady", f"Node {node['metadata']['name']} status is now: NodeNotReady")
        for pod in list(self.by_node.get(node["metadata"]["name"], {}).values()):
            self.client.event(pod, "NodeNotReady", "Node is not ready", type_="Warning",
                              component="node-controller")
        return node

    def _sync_taints(self, node, want):
        taints = list((node.get("spec") or {}).get("taints") or [])
        managed = {UNREACHABLE, NOT_READY, UNSCHEDULABLE}
        keep = [t for t in taints if t.get("key") not in managed or t.get("key") in want]
        have = {(t.get("key"), t.get("effect")) for t in keep}
        now = self.loop.timestamp()
        for key in want:
            for effect in (("NoSchedule",) if key == UNSCHEDULABLE else ("NoSchedule", "NoExecute")):
                if (key, effect) not in have:
                    t = {"key": key, "effect": effect}
                    if effect == "NoExecute":
                        t["timeAdded"] = now
                    keep.append(t)
        if keep == taints:
            return node
        node = clone(node)
        node.setdefault("spec", {})["taints"] = keep
        if not keep:
            node["spec"].pop("taints")
        try:
            return self.client.update("nodes", None, node)
        except ApiError:
            return node

    def _evict(self, node) -> None:
        name = node["metadata"]["name"]
        noexec = [t for t in (node.get("spec") or {}).get("taints") or [] if t.get("effect") == "NoExecute"]
        if not noexec:
            for key in [k for k in self.eviction_timers if k.startswith(name + "/")]:
                self.eviction_timers.pop(key).cancel()
            return
        for pod in list(self.by_node.get(name, {}).values()):
            if pod["metadata"].get("deletionTimestamp"):
                continue
            tols = (pod.get("spec") or {}).get("tolerations")
            wait = 0.0
            for taint in noexec:
                ok, secs = tolerates(tols, taint)
                if not ok:
                    wait = 0.0
                    break
                if secs is None:
                    wait = None
                    continue
                added = self.loop.parse_timestamp(taint["timeAdded"]) if taint.get("timeAdded") else self.loop.now
                left = max(0.0, added + secs - self.loop.now)
                wait = left if wait in (None, 0.0) else min(wait, left)
            key = f"{name}/{pod['metadata']['namespace']}/{pod['metadata']['name']}"
            if wait is None:
                continue
            if wait <= 0:
                self._evict_pod(pod)
                self.eviction_timers.pop(key, None)
            elif key not in self.eviction_timers:
                self.eviction_timers[key] = self.loop.call_later(
                    wait, self._fire_eviction, key, name, background=True)

    def _fire_eviction(self, key, node_name):
        self.eviction_timers.pop(key, None)
        self.enqueue(node_name)

    def _evict_pod(self, pod) -> None:
        md = pod["metadata"]
        self.client.event(pod, "TaintManagerEviction",
                          f"Marking for deletion Pod {md['namespace']}/{md['name']}",
                          component="taint-eviction-controller")
        try:
            self.client.delete("pods", md["namespace"], md["name"])
        except ApiError:
            pass
