"""Disruption controller: keep each PodDisruptionBudget's status current.

A budget selects pods (`spec.selector`; `{}` selects every pod of the namespace). It counts
how many are healthy (Ready and not being deleted), how many must stay healthy, and how many
may therefore be disrupted — the number the eviction API reads (`status.disruptionsAllowed`)
before letting `kubectl drain` evict a pod.

    minAvailable: 2       desiredHealthy = 2; expectedPods = pods selected
    minAvailable: "50%"   desiredHealthy = ceil(50% of expected); expected = the replicas the
                          pods' controllers ask for (Deployment, ReplicaSet, StatefulSet, RC)
    maxUnavailable: 1     desiredHealthy = expected - 1 (percentages round up, as Kubernetes
                          rounds unavailable counts)

Status also carries observedGeneration and the condition DisruptionAllowed (True/SufficientPods,
False/InsufficientPods, or False/SyncFailed when expected pods cannot be computed because a
pod has no controller)."""
from __future__ import annotations

import math

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller, controller_of, key_of, split_key
from kcore.controllers.podcontrol import is_ready
from kcore.machinery import labels as labels_mod


def scaled(value, total: int, round_up: bool) -> int:
    """An int-or-percent against `total` (intstr.GetScaledValueFromIntOrPercent)."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            pct = int(text[:-1])
            raw = pct * total / 100
            return math.ceil(raw) if round_up else math.floor(raw)
        return int(text)
    return int(value)


def _is_percent(v) -> bool:
    return isinstance(v, str) and v.strip().endswith("%")


class NoControllers(Exception):
    pass


class DisruptionController(Controller):
    name = "disruption"
    component_name = "controllermanager"

    def setup(self) -> None:
        self.pdbs = self.informer("poddisruptionbudgets")
        self.pods = self.informer("pods")
        self.owners = {kind: self.informer(res) for kind, res in (
            ("ReplicaSet", "replicasets"), ("Deployment", "deployments"),
            ("StatefulSet", "statefulsets"), ("ReplicationController", "replicationcontrollers"))}
        self.pdbs.add_handler(lambda et, o, old: et != "DELETED" and self.enqueue(key_of(o)))
        self.pods.add_handler(self._on_pod)
        for kind in ("Deployment", "StatefulSet", "ReplicationController", "ReplicaSet"):
            self.owners[kind].add_handler(self._on_owner, replay=False)

    def _on_pod(self, etype, pod, old) -> None:
        ns = pod["metadata"].get("namespace")
        labels = pod["metadata"].get("labels") or {}
        old_labels = (old or {}).get("metadata", {}).get("labels") or {}
        for pdb in self.pdbs.list(ns):
            sel = self._selector(pdb)
            if sel is not None and (sel.matches(labels) or sel.matches(old_labels)):
                self.enqueue(key_of(pdb))

    def _on_owner(self, etype, obj, old) -> None:
        for pdb in self.pdbs.list(obj["metadata"].get("namespace")):
            self.enqueue(key_of(pdb))

    @staticmethod
    def _selector(pdb):
        sel = (pdb.get("spec") or {}).get("selector")
        if sel is None:
            return None
        try:
            return labels_mod.from_label_selector(sel)
        except labels_mod.SelectorError:
            return None

    def _selected(self, pdb) -> list[dict]:
        sel = self._selector(pdb)
        if sel is None:
            return []
        return [p for p in self.pods.list(pdb["metadata"]["namespace"])
                if sel.matches(p["metadata"].get("labels") or {})]

    def _scale_of(self, ns: str, ref: dict) -> tuple[str, int] | None:
        """(uid, desired replicas) of the workload behind a pod's controller reference."""
        kind = ref.get("kind")
        inf = self.owners.get(kind)
        if inf is None:
            return None
        obj = inf.get(ns, ref.get("name"))
        if obj is None or obj["metadata"].get("uid") != ref.get("uid"):
            return None
        if kind == "ReplicaSet":
            parent = controller_of(obj)
            if parent is not None and parent.get("kind") == "Deployment":
                dep = self._scale_of(ns, parent)
                if dep is not None:
                    return dep
        return obj["metadata"]["uid"], int((obj.get("spec") or {}).get("replicas", 1))

    def _expected(self, pdb, pods) -> tuple[int, int]:
        """(expectedPods, desiredHealthy)."""
        spec = pdb.get("spec") or {}
        ns = pdb["metadata"]["namespace"]
        max_unavailable = spec.get("maxUnavailable")
        min_available = spec.get("minAvailable")
        if max_unavailable is None and min_available is None:
            return 0, 0
        if max_unavailable is None and not _is_percent(min_available):
            return len(pods), scaled(min_available, len(pods), True)
        seen: dict[str, int] = {}
        for pod in pods:
            ref = controller_of(pod)
            scale = self._scale_of(ns, ref) if ref else None
            if scale is None:
                raise NoControllers(f"found no controllers for pod \"{pod['metadata']['name']}\"")
            seen[scale[0]] = scale[1]
        expected = sum(seen.values())
        if max_unavailable is not None:
            return expected, max(0, expected - scaled(max_unavailable, expected, True))
        return expected, scaled(min_available, expected, True)

    def reconcile(self, key: str):
        ns, name = split_key(key)
        pdb = self.pdbs.get(ns, name)
        if pdb is None or pdb["metadata"].get("deletionTimestamp"):
            return None
        pods = self._selected(pdb)
        old = pdb.get("status") or {}
        healthy = sum(1 for p in pods if is_ready(p) and not p["metadata"].get("deletionTimestamp")
                      and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed"))
        try:
            expected, desired = self._expected(pdb, pods)
        except (NoControllers, ValueError) as exc:
            self.event(pdb, "CalculateExpectedPodCountFailed",
                       f"Failed to calculate the number of expected pods: {exc}", "Warning")
            st = {"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0,
                  "expectedPods": 0,
                  "observedGeneration": pdb["metadata"].get("generation", 1),
                  "conditions": [self._condition(old, "False", "SyncFailed", str(exc))]}
            return self._write(pdb, old, st)
        disrupted = {k: v for k, v in (old.get("disruptedPods") or {}).items()
                     if any(p["metadata"]["name"] == k and not p["metadata"].get("deletionTimestamp")
                            for p in pods)}
        allowed = max(0, healthy - desired - len(disrupted)) if expected > 0 else 0
        st = {"currentHealthy": healthy, "desiredHealthy": desired,
              "disruptionsAllowed": allowed, "expectedPods": expected,
              "observedGeneration": pdb["metadata"].get("generation", 1)}
        if disrupted:
            st["disruptedPods"] = disrupted
        cond = self._condition(old, "True", "SufficientPods", "") if allowed > 0 else \
            self._condition(old, "False", "InsufficientPods", "")
        st["conditions"] = [cond]
        return self._write(pdb, old, st)

    def _condition(self, old, status, reason, message) -> dict:
        prev = next((c for c in old.get("conditions") or [] if c.get("type") == "DisruptionAllowed"),
                    None)
        changed = prev is None or prev.get("status") != status
        return {"type": "DisruptionAllowed", "status": status,
                "observedGeneration": None, "lastTransitionTime":
                    self.loop.timestamp() if changed else prev.get("lastTransitionTime"),
                "reason": reason, "message": message}

    def _write(self, pdb, old, st):
        for c in st.get("conditions") or []:
            c["observedGeneration"] = pdb["metadata"].get("generation", 1)
        if st != old:
            body = dict(pdb)
            body["status"] = st
            try:
                self.client.update_status("poddisruptionbudgets", pdb["metadata"]["namespace"], body)
            except ApiError as exc:
                if exc.reason != "NotFound":
                    raise
        return None
