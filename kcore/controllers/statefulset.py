"""StatefulSets: pods with stable names, stable storage and an order.

Pod i is `<sts>-i`, counting from `spec.ordinals.start` (0 by default), with hostname
`<sts>-i`, subdomain `spec.serviceName` and labels `statefulset.kubernetes.io/pod-name` and
`apps.kubernetes.io/pod-index`. Each volumeClaimTemplate gives it the claim
`<template>-<sts>-i`, created before the pod and kept when the pod goes
(persistentVolumeClaimRetentionPolicy Retain, the default; whenScaled Delete removes a
scaled-away pod's claims, whenDeleted Delete makes the set own them for the garbage
collector). OrderedReady creates pods one at a time, each only after every lower ordinal is
Running and Ready, and removes them highest ordinal first, one at a time; Parallel does both
all at once.

Every distinct pod template is a ControllerRevision `<sts>-<hash>` (revision 1, 2, ...); pods
carry the one they were made from in `controller-revision-hash`. RollingUpdate replaces pods
from the highest ordinal down to `partition`, waiting for each replacement to be Running and
Ready; OnDelete only uses the new template for pods someone deleted. Status reports the
counts per revision, and currentRevision catches up with updateRevision when all replicas are
updated and ready — what `kubectl rollout status sts/web` reads. (Under OnDelete it never
does: a v1.35 quirk, kubernetes#73492.)"""
from __future__ import annotations

import copy
import json

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller, controller_of, key_of, owner_ref, split_key
from kcore.controllers.deployment import fnv32a, safe_encode
from kcore.controllers.podcontrol import OwnedPods, is_ready, ready_since

REVISION_LABEL = "controller-revision-hash"
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
HASH_LABEL = "controller.kubernetes.io/hash"


def ordinal_of(sts_name: str, pod_name: str) -> int | None:
    prefix = sts_name + "-"
    if not pod_name.startswith(prefix):
        return None
    rest = pod_name[len(prefix):]
    return int(rest) if rest.isdigit() and (rest == "0" or not rest.startswith("0")) else None


def revision_data(sts: dict) -> dict:
    """What a ControllerRevision stores: the pod template as a replacing patch."""
    tmpl = copy.deepcopy((sts.get("spec") or {}).get("template") or {})
    tmpl["$patch"] = "replace"
    return {"spec": {"template": tmpl}}


def revision_hash(data: dict, collision_count: int = 0) -> str:
    raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    if collision_count:
        raw += str(collision_count).encode()
    return safe_encode(fnv32a(raw))


def start_ordinal(sts: dict) -> int:
    """spec.ordinals.start: the first pod is `<sts>-<start>` (0 by default)."""
    return int(((sts.get("spec") or {}).get("ordinals") or {}).get("start", 0) or 0)


def running_and_ready(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") == "Running" and is_ready(pod)


def _terminating(pod: dict) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def _finished(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


class StatefulSetController(Controller):
    name = "statefulset"
    component_name = "statefulset-controller"

    def setup(self) -> None:
        self.owned = OwnedPods("StatefulSet")
        self.sets = self.informer("statefulsets")
        self.pods = self.informer("pods")
        self.revisions = self.informer("controllerrevisions")
        self.claims = self.informer("persistentvolumeclaims")
        self.sets.add_handler(self._on_set)
        self.pods.add_handler(self._on_pod)
        self.revisions.add_handler(lambda et, r, old: self.enqueue_owner(r, "StatefulSet"))

    def _on_set(self, etype, obj, old) -> None:
        if etype == "DELETED":
            self.owned.drop_owner(obj["metadata"]["uid"])
            return
        self.enqueue(key_of(obj))

    def _on_pod(self, etype, pod, old) -> None:
        self.owned.observe(pod, deleted=etype == "DELETED")
        self.enqueue_owner(pod, "StatefulSet")

    # -- revisions ----------------------------------------------------------------------
    def _owned_revisions(self, sts) -> list[dict]:
        uid = sts["metadata"]["uid"]
        out = [r for r in self.revisions.list(sts["metadata"]["namespace"])
               if (controller_of(r) or {}).get("uid") == uid]
        return sorted(out, key=lambda r: (r.get("revision", 0), r["metadata"]["name"]))

    def _update_revision(self, sts, revisions) -> tuple[dict, int]:
        """Find or create the revision of the current template; returns it and collisionCount."""
        ns = sts["metadata"]["namespace"]
        data = revision_data(sts)
        collisions = int((sts.get("status") or {}).get("collisionCount", 0))
        latest = max((r.get("revision", 0) for r in revisions), default=0)
        for r in revisions:
            if r.get("data") == data:
                if r.get("revision", 0) != latest and r is not revisions[-1]:
                    body = copy.deepcopy(r)
                    body["revision"] = latest + 1
                    r = self.client.update("controllerrevisions", ns, body)
                return r, collisions
        while True:
            name = f"{sts['metadata']['name']}-{revision_hash(data, collisions)}"
            labels = dict(((sts["spec"].get("template") or {}).get("metadata") or {})
                          .get("labels") or {})
            labels[HASH_LABEL] = name.rsplit("-", 1)[1]
            meta = {"name": name, "namespace": ns, "labels": labels,
                    "ownerReferences": [owner_ref(sts)]}
            if sts["metadata"].get("annotations"):       # change-cause for `rollout history`
                meta["annotations"] = dict(sts["metadata"]["annotations"])
            body = {"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": meta,
                    "data": data, "revision": latest + 1}
            try:
                return self.client.create("controllerrevisions", ns, body), collisions
            except ApiError as exc:
                if exc.reason != "AlreadyExists":
                    raise
                existing = self.client.try_get("controllerrevisions", ns, name)
                if existing is not None and existing.get("data") == data and \
                        (controller_of(existing) or {}).get("uid") == sts["metadata"]["uid"]:
                    return existing, collisions
                collisions += 1

    @staticmethod
    def _apply_revision(sts, revision) -> dict:
        """The StatefulSet as it was at `revision` (its pod template)."""
        out = copy.deepcopy(sts)
        tmpl = copy.deepcopy(((revision.get("data") or {}).get("spec") or {}).get("template") or {})
        tmpl.pop("$patch", None)
        out["spec"]["template"] = tmpl
        return out

    # -- pods and claims ----------------------------------------------------------------
    def _new_pod(self, sts, ordinal: int, revision_name: str) -> dict:
        name = f"{sts['metadata']['name']}-{ordinal}"
        spec = sts["spec"]
        tmpl = copy.deepcopy(spec.get("template") or {})
        md = tmpl.get("metadata") or {}
        labels = dict(md.get("labels") or {})
        labels.update({REVISION_LABEL: revision_name, POD_NAME_LABEL: name,
                       POD_INDEX_LABEL: str(ordinal)})
        pod_md = {"name": name, "namespace": sts["metadata"]["namespace"], "labels": labels,
                  "ownerReferences": [owner_ref(sts)]}
        if md.get("annotations"):
            pod_md["annotations"] = dict(md["annotations"])
        pspec = copy.deepcopy(tmpl.get("spec") or {})
        pspec["hostname"] = name
        if spec.get("serviceName"):
            pspec["subdomain"] = spec["serviceName"]
        volumes = [v for v in pspec.get("volumes") or []
                   if v.get("name") not in {t["metadata"]["name"]
                                            for t in spec.get("volumeClaimTemplates") or []}]
        for t in spec.get("volumeClaimTemplates") or []:
            tname = t["metadata"]["name"]
            volumes.append({"name": tname, "persistentVolumeClaim": {
                "claimName": f"{tname}-{name}"}})
        if volumes:
            pspec["volumes"] = volumes
        return {"apiVersion": "v1", "kind": "Pod", "metadata": pod_md, "spec": pspec}

    def _ensure_claims(self, sts, ordinal: int) -> bool:
        ns = sts["metadata"]["namespace"]
        pod_name = f"{sts['metadata']['name']}-{ordinal}"
        policy = (sts["spec"].get("persistentVolumeClaimRetentionPolicy") or {})
        for t in sts["spec"].get("volumeClaimTemplates") or []:
            cname = f"{t['metadata']['name']}-{pod_name}"
            if self.claims.get(ns, cname) is not None:
                continue
            labels = dict((t.get("metadata") or {}).get("labels") or {})
            labels.update(((sts["spec"].get("selector") or {}).get("matchLabels") or {}))
            md = {"name": cname, "namespace": ns, "labels": labels}
            if t["metadata"].get("annotations"):
                md["annotations"] = dict(t["metadata"]["annotations"])
            if policy.get("whenDeleted") == "Delete":
                md["ownerReferences"] = [owner_ref(sts, controller=True, block=True)]
            body = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": md,
                    "spec": copy.deepcopy(t.get("spec") or {})}
            try:
                self.client.create("persistentvolumeclaims", ns, body)
            except ApiError as exc:
                if exc.reason == "AlreadyExists":
                    continue
                self.event(sts, "FailedCreate",
                           f"create Claim {cname} for Pod {pod_name} in StatefulSet "
                           f"{sts['metadata']['name']} failed error: {exc.message}", "Warning")
                return False
            self.event(sts, "SuccessfulCreate",
                       f"create Claim {cname} Pod {pod_name} in StatefulSet "
                       f"{sts['metadata']['name']} success")
        return True

    def _create_pod(self, sts, ordinal, revision_set, revision_name) -> bool:
        if not self._ensure_claims(sts, ordinal):
            return False
        body = self._new_pod(revision_set, ordinal, revision_name)
        name = body["metadata"]["name"]
        try:
            pod = self.client.create("pods", sts["metadata"]["namespace"], body)
        except ApiError as exc:
            if exc.reason == "AlreadyExists":
                return True
            self.event(sts, "FailedCreate", f"create Pod {name} in StatefulSet "
                       f"{sts['metadata']['name']} failed error: {exc.message}", "Warning")
            self.enqueue_after(key_of(sts), 10, background=True)
            return False
        self.owned.observe(pod)
        self.event(sts, "SuccessfulCreate",
                   f"create Pod {name} in StatefulSet {sts['metadata']['name']} successful")
        return True

    def _delete_pod(self, sts, pod) -> None:
        name = pod["metadata"]["name"]
        try:
            self.client.delete("pods", sts["metadata"]["namespace"], name)
        except ApiError as exc:
            if exc.reason != "NotFound":
                raise
        self.event(sts, "SuccessfulDelete",
                   f"delete Pod {name} in StatefulSet {sts['metadata']['name']} successful")

    # -- reconcile ----------------------------------------------------------------------
    def reconcile(self, key: str):
        ns, name = split_key(key)
        sts = self.sets.get(ns, name)
        if sts is None or sts["metadata"].get("deletionTimestamp"):
            return None
        spec = sts.get("spec") or {}
        revisions = self._owned_revisions(sts)
        update_rev, collisions = self._update_revision(sts, revisions)
        revisions = [r for r in revisions if r["metadata"]["name"] != update_rev["metadata"]["name"]]
        revisions.append(update_rev)
        by_name = {r["metadata"]["name"]: r for r in revisions}
        current_name = (sts.get("status") or {}).get("currentRevision")
        current_rev = by_name.get(current_name) or update_rev
        current_set = self._apply_revision(sts, current_rev)
        update_set = self._apply_revision(sts, update_rev)
        cur_name, upd_name = current_rev["metadata"]["name"], update_rev["metadata"]["name"]

        replicas = int(spec.get("replicas", 1))
        ordered = spec.get("podManagementPolicy", "OrderedReady") != "Parallel"
        strategy = spec.get("updateStrategy") or {}
        rolling = strategy.get("type", "RollingUpdate") == "RollingUpdate"
        partition = int((strategy.get("rollingUpdate") or {}).get("partition", 0) or 0)
        start = start_ordinal(sts)
        slots: dict[int, dict] = {}          # index (ordinal - start) -> pod
        condemned: list[tuple[int, dict]] = []
        for pod in self.owned.pods(sts["metadata"]["uid"]):
            ord_ = ordinal_of(name, pod["metadata"]["name"])
            if ord_ is None:
                continue
            if start <= ord_ < start + replicas:
                slots[ord_ - start] = pod
            else:
                condemned.append((ord_, pod))
        condemned.sort(key=lambda x: -x[0])

        wait = self._scale(sts, replicas, ordered, rolling, partition, slots, condemned,
                           current_set, update_set, cur_name, upd_name)
        if not wait and rolling:
            self._roll(sts, replicas, partition, slots, upd_name)
        self._trim_history(sts, revisions, cur_name, upd_name)
        return self._status(sts, cur_name, upd_name, collisions)

    def _scale(self, sts, replicas, ordered, rolling, partition, slots, condemned,
               current_set, update_set, cur_name, upd_name) -> bool:
        """Create missing and remove condemned pods; True when it must wait for a pod."""
        start = start_ordinal(sts)
        for i in range(replicas):
            ord_ = start + i
            pod = slots.get(i)
            if pod is not None and _finished(pod) and not _terminating(pod):
                self.event(sts, "RecreatingFailedPod",
                           f"StatefulSet {sts['metadata']['namespace']}/{sts['metadata']['name']} "
                           f"is recreating failed Pod {pod['metadata']['name']}", "Warning")
                self._delete_pod(sts, pod)
                self.owned.forget(pod)
                slots.pop(i)
                if ordered:
                    return True
                continue
            if pod is None:
                use_current = rolling and i < partition
                rev_set, rev_name = (current_set, cur_name) if use_current else (update_set, upd_name)
                if not self._create_pod(sts, ord_, rev_set, rev_name):
                    return True
                if ordered:
                    return True
                continue
            self._ensure_claims(sts, ord_)
            if ordered and (_terminating(pod) or not running_and_ready(pod)):
                return True
        if not condemned:
            return False
        if ordered:
            if any(_terminating(p) for _, p in condemned):
                return True
            if any(not running_and_ready(p) for p in slots.values()) or len(slots) < replicas:
                return True
            ord_, pod = condemned[0]
            self._delete_pod(sts, pod)
            self._release_claims(sts, ord_)
            return True
        for ord_, pod in condemned:
            if not _terminating(pod):
                self._delete_pod(sts, pod)
                self._release_claims(sts, ord_)
        return True

    def _release_claims(self, sts, ordinal: int) -> None:
        """persistentVolumeClaimRetentionPolicy.whenScaled: Delete removes a condemned pod's claims."""
        policy = sts["spec"].get("persistentVolumeClaimRetentionPolicy") or {}
        if policy.get("whenScaled") != "Delete":
            return
        ns = sts["metadata"]["namespace"]
        for t in sts["spec"].get("volumeClaimTemplates") or []:
            cname = f"{t['metadata']['name']}-{sts['metadata']['name']}-{ordinal}"
            try:
                self.client.delete("persistentvolumeclaims", ns, cname)
            except ApiError as exc:
                if exc.reason != "NotFound":
                    raise

    def _roll(self, sts, replicas, partition, slots, upd_name) -> None:
        """RollingUpdate: replace the highest out-of-date pod at or above the partition
        (slots and partition count from spec.ordinals.start)."""
        for ord_ in range(replicas - 1, max(partition, 0) - 1, -1):
            pod = slots.get(ord_)
            if pod is None or _terminating(pod):
                return
            labels = pod["metadata"].get("labels") or {}
            if labels.get(REVISION_LABEL) != upd_name:
                self._delete_pod(sts, pod)
                return
            if not running_and_ready(pod):
                return

    def _trim_history(self, sts, revisions, cur_name, upd_name) -> None:
        limit = int(sts["spec"].get("revisionHistoryLimit", 10))
        live = {(p["metadata"].get("labels") or {}).get(REVISION_LABEL)
                for p in self.owned.pods(sts["metadata"]["uid"])}
        spare = [r for r in revisions if r["metadata"]["name"] not in live | {cur_name, upd_name}]
        spare.sort(key=lambda r: r.get("revision", 0))
        for r in spare[:max(0, len(spare) - limit)]:
            try:
                self.client.delete("controllerrevisions", sts["metadata"]["namespace"],
                                   r["metadata"]["name"])
            except ApiError:
                pass

    def _status(self, sts, cur_name, upd_name, collisions):
        pods = [p for p in self.owned.pods(sts["metadata"]["uid"])
                if ordinal_of(sts["metadata"]["name"], p["metadata"]["name"]) is not None]
        live = [p for p in pods if not _finished(p)]
        min_ready = int(sts["spec"].get("minReadySeconds", 0) or 0)
        ready = [p for p in live if running_and_ready(p)]
        available, wait = 0, None
        for p in ready:
            since = ready_since(p)
            age = self.loop.now - self.loop.parse_timestamp(since) if since else min_ready
            if age >= min_ready:
                available += 1
            else:
                left = min_ready - age
                wait = left if wait is None else min(wait, left)
        rev = lambda p: (p["metadata"].get("labels") or {}).get(REVISION_LABEL)
        old = sts.get("status") or {}
        st = {"observedGeneration": sts["metadata"].get("generation", 1),
              "replicas": len(live),
              "readyReplicas": len(ready),
              "currentReplicas": sum(1 for p in live if rev(p) == cur_name),
              "updatedReplicas": sum(1 for p in live if rev(p) == upd_name),
              "currentRevision": cur_name, "updateRevision": upd_name,
              "collisionCount": collisions, "availableReplicas": available}
        strategy = (sts["spec"].get("updateStrategy") or {}).get("type", "RollingUpdate")
        if strategy == "RollingUpdate" and st["updatedReplicas"] == st["replicas"] and \
                st["readyReplicas"] == st["replicas"] and \
                st["replicas"] == int(sts["spec"].get("replicas", 1)):
            st["currentReplicas"] = st["updatedReplicas"]
            st["currentRevision"] = upd_name
        # OnDelete never promotes currentRevision in v1.35 (kubernetes#73492, fixed in v1.36)
        for k in ("readyReplicas", "currentReplicas", "updatedReplicas"):
            if not st[k]:
                st.pop(k)
        if old.get("conditions"):
            st["conditions"] = old["conditions"]
        if st != old:
            body = dict(sts)
            body["status"] = st
            self.client.update_status("statefulsets", sts["metadata"]["namespace"], body)
        return wait
