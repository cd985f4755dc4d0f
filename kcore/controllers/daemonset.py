"""DaemonSets: one pod on every node that should run one.

A node should run the daemon pod when the pod's nodeSelector/affinity match it and the pod
tolerates its NoSchedule/NoExecute taints — counting the tolerations every DaemonSet pod gets
automatically (not-ready, unreachable, disk/memory/pid-pressure, unschedulable). Each pod is
pinned to its node with required node affinity on `metadata.name` and then placed by the
default scheduler, as in Kubernetes ≥ 1.12. Nodes joining get a pod; nodes leaving lose it;
a changed template rolls out node by node (RollingUpdate, maxUnavailable 1)."""
from __future__ import annotations

from kcore.machinery.objects import clone
import json

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller, controller_of, key_of, owner_ref, split_key
from kcore.controllers.deployment import fnv32a, safe_encode
from kcore.controllers.podcontrol import OwnedPods, is_active, is_ready, pod_from_template

AUTO_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
]
HOST_NETWORK_TOLERATION = {"key": "node.kubernetes.io/network-unavailable", "operator": "Exists",
                           "effect": "NoSchedule"}
HASH_LABEL = "controller-revision-hash"
GEN_LABEL = "pod-template-generation"


def _tolerated(taint, tolerations) -> bool:
    for t in tolerations:
        if t.get("effect") not in (None, "", taint.get("effect")):
            continue
        op = t.get("operator", "Equal")
        if not t.get("key"):
            if op == "Exists":
                return True
            continue
        if t["key"] != taint.get("key"):
            continue
        if op == "Exists" or t.get("value", "") == taint.get("value", ""):
            return True
    return False


def should_run(ds, node) -> bool:
    from kcore.machinery import labels
    spec = ((ds.get("spec") or {}).get("template") or {}).get("spec") or {}
    node_labels = node["metadata"].get("labels") or {}
    for k, v in (spec.get("nodeSelector") or {}).items():
        if node_labels.get(k) != v:
            return False
    req = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
           .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    terms = req.get("nodeSelectorTerms") or []
    if terms:
        ok = False
        for term in terms:
            exprs = term.get("matchExpressions") or []
            fields = term.get("matchFields") or []
            sel = labels.from_label_selector({"matchExpressions": exprs}) if exprs else None
            if sel is not None and not sel.matches(node_labels):
                continue
            if any(not _field_match(f, node) for f in fields):
                continue
            ok = True
            break
        if not ok:
            return False
    tolerations = (spec.get("tolerations") or []) + AUTO_TOLERATIONS
    if spec.get("hostNetwork"):
        tolerations = tolerations + [HOST_NETWORK_TOLERATION]
    for taint in (node.get("spec") or {}).get("taints") or []:
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not _tolerated(taint, tolerations):
            return False
    return True


def _field_match(expr, node) -> bool:
    if expr.get("key") != "metadata.name":
        return False
    name = node["metadata"]["name"]
    op = expr.get("operator")
    if op == "In":
        return name in (expr.get("values") or [])
    if op == "NotIn":
        return name not in (expr.get("values") or [])
    return False


def template_revision_hash(template) -> str:
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    return safe_encode(fnv32a(data))


class DaemonSetController(Controller):
    name = "daemonset"
    component_name = "daemonset-controller"

    def setup(self) -> None:
        self.owned = OwnedPods("DaemonSet")
        self.sets = self.informer("daemonsets")
        self.nodes = self.informer("nodes")
        self.pods = self.informer("pods")
        self.sets.add_handler(lambda et, ds, old: et != "DELETED" and self.enqueue(key_of(ds)))
        self.nodes.add_handler(lambda et, n, old: [self.enqueue(key_of(ds)) for ds in self.sets.list()])
        self.pods.add_handler(self._on_pod)

    def _on_pod(self, etype, pod, old):
        self.owned.observe(pod, deleted=etype == "DELETED")
        self.enqueue_owner(pod, "DaemonSet")

    def _node_of(self, pod) -> str:
        spec = pod.get("spec") or {}
        if spec.get("nodeName"):
            return spec["nodeName"]
        for term in ((((spec.get("affinity") or {}).get("nodeAffinity") or {})
                      .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
                     .get("nodeSelectorTerms") or []):
            for f in term.get("matchFields") or []:
                if f.get("key") == "metadata.name" and f.get("values"):
                    return f["values"][0]
        return ""

    def reconcile(self, key: str):
        ns, name = split_key(key)
        ds = self.sets.get(ns, name)
        if ds is None or ds["metadata"].get("deletionTimestamp"):
            return None
        template = (ds.get("spec") or {}).get("template") or {}
        rev_hash = self._ensure_revision(ds, template)
        pods = [p for p in self.owned.pods(ds["metadata"]["uid"]) if is_active(p)]
        by_node: dict[str, list] = {}
        for p in pods:
            by_node.setdefault(self._node_of(p), []).append(p)
        nodes = sorted(self.nodes.list(), key=lambda n: n["metadata"]["name"])
        wanted = {n["metadata"]["name"] for n in nodes if should_run(ds, n)}
        # delete pods on nodes that should not run one (or duplicates)
        for node_name, plist in by_node.items():
            extra = plist if node_name not in wanted else sorted(
                plist, key=lambda p: p["metadata"].get("creationTimestamp", ""))[1:]
            for p in extra:
                self._delete(ds, p)
        # rolling update: replace out-of-date pods, maxUnavailable at a time
        strategy = (ds.get("spec") or {}).get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") == "RollingUpdate":
            max_unavail = int(((strategy.get("rollingUpdate") or {}).get("maxUnavailable", 1))
                              if not str((strategy.get("rollingUpdate") or {}).get("maxUnavailable", 1)).endswith("%") else 1)
            old = [p for n, pl in by_node.items() if n in wanted for p in pl[:1]
                   if (p["metadata"].get("labels") or {}).get(HASH_LABEL) != rev_hash]
            unavailable = sum(1 for n in wanted if not any(is_ready(p) for p in by_node.get(n, [])))
            budget = max(0, max_unavail - unavailable)
            for p in old[:budget]:
                self._delete(ds, p)
                by_node[self._node_of(p)] = []
        for node_name in sorted(wanted):
            if by_node.get(node_name):
                continue
            self._create(ds, template, node_name, rev_hash)
        return self._status(ds, wanted, rev_hash)

    def _create(self, ds, template, node_name, rev_hash) -> None:
        body = pod_from_template(ds, template, extra_labels={
            HASH_LABEL: rev_hash, GEN_LABEL: str(ds["metadata"].get("generation", 1))})
        spec = body["spec"]
        aff = spec.setdefault("affinity", {}).setdefault("nodeAffinity", {})
        aff["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_name]}]}]}
        tols = spec.setdefault("tolerations", [])
        auto = AUTO_TOLERATIONS + ([HOST_NETWORK_TOLERATION] if spec.get("hostNetwork") else [])
        for t in auto:
            if t not in tols:
                tols.append(dict(t))
        try:
            pod = self.client.create("pods", ds["metadata"]["namespace"], body)
        except ApiError as exc:
            self.event(ds, "FailedCreate", f"Error creating: {exc.message}", "Warning")
            return
        self.owned.observe(pod)
        self.event(ds, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}")

    def _delete(self, ds, pod) -> None:
        md = pod["metadata"]
        try:
            self.client.delete("pods", md["namespace"], md["name"])
        except ApiError:
            return
        self.owned.forget(pod)
        self.event(ds, "SuccessfulDelete", f"Deleted pod: {md['name']}")

    def _ensure_revision(self, ds, template) -> str:
        h = template_revision_hash(template)
        ns = ds["metadata"]["namespace"]
        name = f"{ds['metadata']['name']}-{h}"
        if self.client.try_get("controllerrevisions", ns, name) is None:
            revs = [r for r in self.client.list("controllerrevisions", ns)["items"]
                    if (controller_of(r) or {}).get("uid") == ds["metadata"]["uid"]]
            number = max([r.get("revision", 0) for r in revs] + [0]) + 1
            labels_ = dict(((template.get("metadata") or {}).get("labels") or {}))
            labels_[HASH_LABEL] = h
            try:
                self.client.create("controllerrevisions", ns, {
                    "apiVersion": "apps/v1", "kind": "ControllerRevision",
                    "metadata": {"name": name, "namespace": ns, "labels": labels_,
                                 "ownerReferences": [owner_ref(ds)]},
                    "data": {"spec": {"template": clone(template)}}, "revision": number})
            except ApiError as exc:
                if exc.reason != "AlreadyExists":
                    raise
        return h

    def _status(self, ds, wanted, rev_hash):
        pods = [p for p in self.owned.pods(ds["metadata"]["uid"]) if is_active(p)]
        on_wanted = [p for p in pods if self._node_of(p) in wanted]
        current = len({self._node_of(p) for p in on_wanted if (p.get("spec") or {}).get("nodeName")})
        ready = sum(1 for p in on_wanted if is_ready(p))
        updated = sum(1 for p in on_wanted if (p["metadata"].get("labels") or {}).get(HASH_LABEL) == rev_hash
                      and (p.get("spec") or {}).get("nodeName"))
        st = {"currentNumberScheduled": current, "desiredNumberScheduled": len(wanted),
              "numberMisscheduled": len([p for p in pods if self._node_of(p) not in wanted
                                         and (p.get("spec") or {}).get("nodeName")]),
              "numberReady": ready, "observedGeneration": ds["metadata"].get("generation", 1)}
        if ready:
            st["numberAvailable"] = ready
        if len(wanted) - ready > 0:
            st["numberUnavailable"] = len(wanted) - ready
        if updated:
            st["updatedNumberScheduled"] = updated
        if st != (ds.get("status") or {}):
            body = dict(ds)
            body["status"] = st
            self.client.update_status("daemonsets", ds["metadata"]["namespace"], body)
        return None
