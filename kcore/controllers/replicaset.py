"""Keep each ReplicaSet's pod count at spec.replicas.

Level-triggered: reconcile() re-reads the ReplicaSet and the pods it owns and makes one step:
adopt matching orphans, create the missing pods (generateName `<rs>-`), delete the surplus
(unscheduled, pending and not-ready pods first, newest first), then report status. Pods are
created and deleted only through the API, and every action leaves the event kube-controller-
manager leaves (SuccessfulCreate `Created pod: web-7c5d-x8f9p`, FailedCreate with the
server's refusal, SuccessfulDelete)."""
from __future__ import annotations

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller, controller_of, key_of, owner_ref, split_key
from kcore.controllers.podcontrol import (OwnedPods, deletion_rank, is_active, is_ready,
                                          pod_from_template, ready_since)


class ReplicaSetController(Controller):
    name = "replicaset"
    resource = "replicasets"
    kind = "ReplicaSet"
    component_name = "replicaset-controller"

    def setup(self) -> None:
        self.owned = OwnedPods(self.kind)
        self._failures: dict[str, str] = {}
        self._retry_at: dict[str, float] = {}
        self.orphans: dict[str, dict[str, dict]] = {}
        self.sets = self.informer(self.resource)
        self.pods = self.informer("pods")
        self.sets.add_handler(self._on_set)
        self.pods.add_handler(self._on_pod)

    def _on_set(self, etype, obj, old) -> None:
        if etype == "DELETED":
            self.owned.drop_owner(obj["metadata"]["uid"])
            return
        self.enqueue(key_of(obj))

    def _on_pod(self, etype, pod, old) -> None:
        md = pod["metadata"]
        ns = md.get("namespace")
        pkey = f"{ns}/{md['name']}"
        ref = controller_of(pod)
        if ref is None and etype != "DELETED" and is_active(pod):
            self.orphans.setdefault(ns, {})[pkey] = pod
            for rs in self.sets.list(ns):
                if self._selects(rs, pod):
                    self.enqueue(key_of(rs))
        else:
            self.orphans.get(ns, {}).pop(pkey, None)
        self.owned.observe(pod, deleted=etype == "DELETED")
        if ref is not None and ref.get("kind") == self.kind:
            self.enqueue(f"{ns}/{ref['name']}")

    def _selector(self, rs):
        from kcore.machinery import labels
        return labels.from_label_selector((rs.get("spec") or {}).get("selector") or {})

    def _selects(self, rs, pod) -> bool:
        sel = self._selector(rs)
        return not sel.empty and sel.matches(pod["metadata"].get("labels") or {})

    def desired(self, rs) -> int:
        return int((rs.get("spec") or {}).get("replicas", 1))

    def reconcile(self, key: str):
        ns, name = split_key(key)
        rs = self.sets.get(ns, name)
        if rs is None:
            return None
        if rs["metadata"].get("deletionTimestamp"):
            return None
        uid = rs["metadata"]["uid"]
        self._adopt(rs)
        pods = [p for p in self.owned.pods(uid) if is_active(p)]
        want = self.desired(rs)
        diff = len(pods) - want
        if diff < 0:
            # after a refused create, wait out the back-off instead of retrying on every
            # status echo (the controller's rate-limited work queue)
            if self.loop.now >= self._retry_at.get(uid, 0.0):
                self._create(rs, -diff)
        elif diff > 0:
            victims = sorted(pods, key=deletion_rank)[:diff]
            for pod in victims:
                md = pod["metadata"]
                try:
                    self.client.delete("pods", md["namespace"], md["name"])
                except ApiError as exc:
                    if exc.reason != "NotFound":
                        raise
                self.owned.forget(pod)
                self.event(rs, "SuccessfulDelete", f"Deleted pod: {md['name']}")
        return self.update_status(rs)

    def _adopt(self, rs) -> None:
        ns = rs["metadata"].get("namespace")
        for pkey, pod in list(self.orphans.get(ns, {}).items()):
            if not self._selects(rs, pod):
                continue
            md = pod["metadata"]
            patch = {"metadata": {"ownerReferences": [owner_ref(rs)], "uid": md["uid"]}}
            try:
                adopted = self.client.patch("pods", ns, md["name"], patch)
            except ApiError:
                continue
            self.orphans[ns].pop(pkey, None)
            self.owned.observe(adopted)

    def _create(self, rs, count: int) -> None:
        ns = rs["metadata"].get("namespace")
        template = (rs.get("spec") or {}).get("template") or {}
        for _ in range(count):
            body = pod_from_template(rs, template)
            try:
                pod = self.client.create("pods", ns, body)
            except ApiError as exc:
                self.event(rs, "FailedCreate", f"Error creating: {exc.message}", "Warning")
                uid = rs["metadata"]["uid"]
                if uid not in self._failures:
                    self._failures[uid] = exc.message  # the condition keeps the first refusal
                self._retry_at[uid] = self.loop.now + 10
                self.enqueue_after(key_of(rs), 10, background=True)
                return
            self.owned.observe(pod)
            self.event(rs, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}")
        self._failures.pop(rs["metadata"]["uid"], None)
        self._retry_at.pop(rs["metadata"]["uid"], None)

    def update_status(self, rs):
        uid = rs["metadata"]["uid"]
        pods = [p for p in self.owned.pods(uid) if is_active(p)]
        labels_ = ((rs.get("spec") or {}).get("template") or {}).get("metadata", {}).get("labels") or {}
        min_ready = int((rs.get("spec") or {}).get("minReadySeconds", 0))
        ready = [p for p in pods if is_ready(p)]
        available = 0
        wait = None
        for p in ready:
            since = ready_since(p)
            if min_ready <= 0 or since is None:
                available += 1
                continue
            age = self.loop.now - self.loop.parse_timestamp(since)
            if age >= min_ready:
                available += 1
            else:
                left = min_ready - age
                wait = left if wait is None else min(wait, left)
        status = dict(rs.get("status") or {})
        new = {"replicas": len(pods),
               "fullyLabeledReplicas": sum(1 for p in pods if all(
                   (p["metadata"].get("labels") or {}).get(k) == v for k, v in labels_.items())),
               "readyReplicas": len(ready), "availableReplicas": available,
               "observedGeneration": rs["metadata"].get("generation", 1)}
        if rs.get("kind") == "ReplicaSet":
            new["terminatingReplicas"] = sum(
                1 for p in self.owned.pods(uid) if p["metadata"].get("deletionTimestamp"))
            if not new["terminatingReplicas"]:
                new.pop("terminatingReplicas")
        conds = [c for c in status.get("conditions") or [] if c.get("type") != "ReplicaFailure"]
        failure = self._failures.get(uid)
        if failure and len(pods) < self.desired(rs):
            conds.append({"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                          "message": failure, "lastTransitionTime": self.loop.timestamp()})
        if conds:
            new["conditions"] = conds
        for k in ("readyReplicas", "availableReplicas", "fullyLabeledReplicas"):
            if not new[k]:
                new.pop(k)
        if new != status:
            rs = dict(rs)
            rs["status"] = new
            self.client.update_status(self.resource, rs["metadata"].get("namespace"), rs)
        return wait
