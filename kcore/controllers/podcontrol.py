"""Shared machinery for controllers that own pods (ReplicaSet, RC, Job, DaemonSet, StatefulSet).

OwnedPods keeps, per owner UID, the pods that owner controls — fed by the pod informer *and*
by the controller's own API calls, so a reconcile that runs before the watch catches up never
creates the same pod twice (what client-go's "expectations" guard against). It also ranks
pods for deletion the way the ReplicaSet controller does."""
from __future__ import annotations

from kcore.machinery.objects import clone

from kcore.controllers.base import controller_of, owner_ref


def is_active(pod: dict) -> bool:
    return not pod["metadata"].get("deletionTimestamp") and \
        (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")


def is_ready(pod: dict) -> bool:
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def ready_since(pod: dict) -> str | None:
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready" and c.get("status") == "True":
            return c.get("lastTransitionTime")
    return None


def _rv(obj) -> int:
    try:
        return int(obj["metadata"].get("resourceVersion") or 0)
    except (TypeError, ValueError):
        return 0


class OwnedPods:
    def __init__(self, owner_kind: str):
        self.owner_kind = owner_kind
        self.by_owner: dict[str, dict[str, dict]] = {}
        self.owner_of: dict[str, str] = {}  # pod key -> owner uid

    def observe(self, pod: dict, deleted: bool = False) -> str | None:
        """Record a pod seen in a watch or returned by the API; returns its owner uid."""
        md = pod["metadata"]
        key = f"{md.get('namespace')}/{md['name']}"
        ref = controller_of(pod)
        uid = ref.get("uid") if ref and ref.get("kind") == self.owner_kind else None
        old_uid = self.owner_of.get(key)
        if old_uid is not None:
            current = self.by_owner.get(old_uid, {}).get(key)
            if current is not None and _rv(current) > _rv(pod) and not deleted:
                return old_uid  # stale event: we already know a newer version
        if old_uid is not None and (deleted or old_uid != uid):
            self.by_owner.get(old_uid, {}).pop(key, None)
            self.owner_of.pop(key, None)
        if deleted or uid is None:
            return uid or old_uid
        self.by_owner.setdefault(uid, {})[key] = pod
        self.owner_of[key] = uid
        return uid

    def forget(self, pod: dict) -> None:
        self.observe(pod, deleted=True)

    def pods(self, owner_uid: str) -> list[dict]:
        return list(self.by_owner.get(owner_uid, {}).values())

    def drop_owner(self, owner_uid: str) -> None:
        for key in self.by_owner.pop(owner_uid, {}):
            self.owner_of.pop(key, None)


def pod_from_template(owner: dict, template: dict, *, generate_name: str | None = None,
                      name: str | None = None, extra_labels: dict | None = None) -> dict:
    tmpl = clone(template or {})
    md = tmpl.get("metadata") or {}
    pod_md = {"labels": dict(md.get("labels") or {})}
    if extra_labels:
        pod_md["labels"].update(extra_labels)
    if md.get("annotations"):
        pod_md["annotations"] = dict(md["annotations"])
    if name:
        pod_md["name"] = name
    else:
        pod_md["generateName"] = generate_name or (owner["metadata"]["name"] + "-")
    pod_md["namespace"] = owner["metadata"].get("namespace")
    pod_md["ownerReferences"] = [owner_ref(owner)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": pod_md,
            "spec": clone(tmpl.get("spec") or {})}


_PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}


def deletion_rank(pod: dict):
    """Lower sorts first = deleted first (ReplicaSet's ActivePods ordering)."""
    st = pod.get("status") or {}
    assigned = 1 if (pod.get("spec") or {}).get("nodeName") else 0
    ready = 1 if is_ready(pod) else 0
    restarts = sum(c.get("restartCount", 0) for c in st.get("containerStatuses") or [])
    created = pod["metadata"].get("creationTimestamp", "")
    # newer pods first: invert the timestamp ordering by negating a sortable key
    return (assigned, _PHASE_RANK.get(st.get("phase"), 0), ready, -restarts,
            _neg(created), pod["metadata"]["name"])


def _neg(ts: str):
    return tuple(-ord(ch) for ch in ts)
