"""Deployments: roll a pod template out through ReplicaSets.

Each distinct pod template gets its own ReplicaSet `<deployment>-<pod-template-hash>`; the
one matching the current template is the *new* one, the others are *old*. RollingUpdate moves
replicas from old to new within maxSurge (extra pods allowed) and maxUnavailable (pods that
may be missing); Recreate scales every old ReplicaSet to zero before the new one starts.
Each ReplicaSet carries `deployment.kubernetes.io/revision`; rolling back (`rollout undo`)
copies an old template back, which makes that old ReplicaSet new again with the next
revision number. Status and conditions are what `kubectl rollout status` reads."""
from __future__ import annotations

from kcore.machinery.objects import clone
import json
import math

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller, controller_of, key_of, owner_ref, split_key

HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
SAFE = "bcdfghjklmnpqrstvwxz2456789"


def fnv32a(data: bytes) -> int:
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def safe_encode(n: int) -> str:
    """Kubernetes' rand.SafeEncodeString of the decimal hash: no vowels, no look-alikes."""
    return "".join(SAFE[ord(ch) % len(SAFE)] for ch in str(n))


def template_hash(template: dict, collision_count: int = 0) -> str:
    t = clone(template)
    (t.get("metadata") or {}).get("labels", {}).pop(HASH_LABEL, None)
    data = json.dumps(t, sort_keys=True, separators=(",", ":")).encode()
    if collision_count:
        data += str(collision_count).encode()
    return safe_encode(fnv32a(data))


def _without_hash(template: dict) -> dict:
    t = clone(template or {})
    labels = (t.get("metadata") or {}).get("labels")
    if labels:
        labels.pop(HASH_LABEL, None)
    return t


def resolve_fenceposts(d: dict) -> tuple[int, int]:
    replicas = int((d.get("spec") or {}).get("replicas", 1))
    ru = ((d.get("spec") or {}).get("strategy") or {}).get("rollingUpdate") or {}
    surge = _scaled(ru.get("maxSurge", "25%"), replicas, up=True)
    unavail = _scaled(ru.get("maxUnavailable", "25%"), replicas, up=False)
    if surge == 0 and unavail == 0:
        unavail = 1
    return surge, unavail


def _scaled(v, total: int, up: bool) -> int:
    if isinstance(v, str) and v.endswith("%"):
        frac = int(v[:-1]) * total / 100
        return math.ceil(frac) if up else math.floor(frac)
    return int(v)


def revision_of(rs: dict) -> int:
    try:
        return int((rs["metadata"].get("annotations") or {}).get(REVISION, "0"))
    except ValueError:
        return 0


def _rs_available(rs):
    return int((rs.get("status") or {}).get("availableReplicas", 0))


def _rs_replicas(rs):
    return int((rs.get("spec") or {}).get("replicas", 0))


class DeploymentController(Controller):
    name = "deployment"
    component_name = "deployment-controller"

    def setup(self) -> None:
        self.deployments = self.informer("deployments")
        self.sets = self.informer("replicasets")
        self.owned: dict[str, dict[str, dict]] = {}  # deployment uid -> rs name -> rs
        self.deployments.add_handler(self._on_deployment)
        self.sets.add_handler(self._on_rs)

    def _on_deployment(self, etype, obj, old):
        if etype == "DELETED":
            self.owned.pop(obj["metadata"]["uid"], None)
            return
        self.enqueue(key_of(obj))

    def _on_rs(self, etype, rs, old):
        ref = controller_of(rs)
        if ref is None or ref.get("kind") != "Deployment":
            return
        self._track(rs, deleted=etype == "DELETED")
        self.enqueue(f"{rs['metadata']['namespace']}/{ref['name']}")

    def _track(self, rs, deleted=False):
        ref = controller_of(rs)
        if ref is None:
            return
        sets = self.owned.setdefault(ref["uid"], {})
        name = rs["metadata"]["name"]
        if deleted:
            sets.pop(name, None)
            return
        cur = sets.get(name)
        if cur is not None and int(cur["metadata"].get("resourceVersion", 0)) > \
                int(rs["metadata"].get("resourceVersion", 0)):
            return
        sets[name] = rs

    # -- reconcile --------------------------------------------------------------------------
    def reconcile(self, key: str):
        ns, name = split_key(key)
        d = self.deployments.get(ns, name)
        if d is None or d["metadata"].get("deletionTimestamp"):
            return None
        sets = list(self.owned.get(d["metadata"]["uid"], {}).values())
        sets = [rs for rs in sets if not rs["metadata"].get("deletionTimestamp")]
        template = _without_hash((d.get("spec") or {}).get("template"))
        new_rs = next((rs for rs in sets
                       if _without_hash((rs.get("spec") or {}).get("template")) == template), None)
        olds = [rs for rs in sets if rs is not new_rs]
        spec = d.get("spec") or {}
        if spec.get("paused"):
            if new_rs is not None:
                self._scale_proportional(d, new_rs, olds)
            return self._status(d, new_rs, olds)
        if new_rs is None:
            new_rs = self._create_new_rs(d, olds)
            if new_rs is None:
                return self._status(d, None, olds)
        else:
            new_rs = self._sync_revision(d, new_rs, olds)
        strategy = (spec.get("strategy") or {}).get("type", "RollingUpdate")
        if strategy == "Recreate":
            self._recreate(d, new_rs, olds)
        else:
            self._rolling(d, new_rs, olds)
        self._cleanup(d, olds)
        return self._status(d, new_rs, olds)

    def _create_new_rs(self, d, olds):
        spec = d.get("spec") or {}
        tmpl = clone(spec.get("template") or {})
        collision = int((d.get("status") or {}).get("collisionCount", 0))
        h = template_hash(tmpl, collision)
        tmpl.setdefault("metadata", {}).setdefault("labels", {})[HASH_LABEL] = h
        selector = clone(spec.get("selector") or {})
        selector.setdefault("matchLabels", {})[HASH_LABEL] = h
        revision = max([revision_of(rs) for rs in olds] + [0]) + 1
        replicas = int(spec.get("replicas", 1))
        strategy = (spec.get("strategy") or {}).get("type", "RollingUpdate")
        if strategy == "Recreate" or not olds or sum(_rs_replicas(r) for r in olds) == 0:
            start = replicas if strategy != "Recreate" or not any(_rs_replicas(r) for r in olds) else 0
        else:
            surge, _ = resolve_fenceposts(d)
            current = sum(_rs_replicas(r) for r in olds)
            start = max(0, min(replicas, replicas + surge - current))
        surge, _ = resolve_fenceposts(d)
        labels = dict((tmpl.get("metadata") or {}).get("labels") or {})
        rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
              "metadata": {"name": f"{d['metadata']['name']}-{h}",
                           "namespace": d["metadata"]["namespace"], "labels": labels,
                           "annotations": {DESIRED: str(replicas),
                                           MAX_REPLICAS: str(replicas + surge),
                                           REVISION: str(revision)},
                           "ownerReferences": [owner_ref(d)]},
              "spec": {"replicas": start, "minReadySeconds": int(spec.get("minReadySeconds", 0)),
                       "selector": selector, "template": tmpl}}
        try:
            created = self.client.create("replicasets", d["metadata"]["namespace"], rs)
        except ApiError as exc:
            if exc.reason == "AlreadyExists":
                st = dict(d.get("status") or {})
                st["collisionCount"] = collision + 1
                d = dict(d)
                d["status"] = st
                self.client.update_status("deployments", d["metadata"]["namespace"], d)
            raise
        self._track(created)
        if start:
            self.event(d, "ScalingReplicaSet",
                       f"Scaled up replica set {created['metadata']['name']} from 0 to {start}")
        self._progress_reason = ("NewReplicaSetCreated",
                                 f'Created new replica set "{created["metadata"]["name"]}"')
        return created

    def _sync_revision(self, d, new_rs, olds):
        """An old template came back (rollback): it takes the next revision number."""
        max_old = max([revision_of(rs) for rs in olds] + [0])
        ann = dict(new_rs["metadata"].get("annotations") or {})
        changed = False
        if revision_of(new_rs) < max_old:
            old_rev = ann.get(REVISION)
            ann[REVISION] = str(max_old + 1)
            hist = [h for h in (ann.get(REVISION_HISTORY) or "").split(",") if h]
            hist.append(old_rev)
            ann[REVISION_HISTORY] = ",".join(hist)
            changed = True
        replicas = str(int((d.get("spec") or {}).get("replicas", 1)))
        if ann.get(DESIRED) != replicas:
            ann[DESIRED] = replicas
            surge, _ = resolve_fenceposts(d)
            ann[MAX_REPLICAS] = str(int(replicas) + surge)
            changed = True
        if (new_rs.get("spec") or {}).get("minReadySeconds", 0) != (d.get("spec") or {}).get("minReadySeconds", 0):
            changed = True
        if not changed:
            return new_rs
        rs = clone(new_rs)
        rs["metadata"]["annotations"] = ann
        rs["spec"]["minReadySeconds"] = int((d.get("spec") or {}).get("minReadySeconds", 0))
        updated = self.client.update("replicasets", rs["metadata"]["namespace"], rs)
        self._track(updated)
        return updated

    def _scale(self, d, rs, to: int) -> dict:
        frm = _rs_replicas(rs)
        if frm == to:
            return rs
        body = clone(rs)
        body["spec"]["replicas"] = to
        replicas = int((d.get("spec") or {}).get("replicas", 1))
        surge, _ = resolve_fenceposts(d)
        ann = body["metadata"].setdefault("annotations", {})
        ann[DESIRED] = str(replicas)
        ann[MAX_REPLICAS] = str(replicas + surge)
        updated = self.client.update("replicasets", rs["metadata"]["namespace"], body)
        self._track(updated)
        verb = "up" if to > frm else "down"
        self.event(d, "ScalingReplicaSet",
                   f"Scaled {verb} replica set {rs['metadata']['name']} from {frm} to {to}")
        return updated

    def _recreate(self, d, new_rs, olds):
        active_old = [rs for rs in olds if _rs_replicas(rs) > 0]
        for rs in active_old:
            self._scale(d, rs, 0)
        if any(int((rs.get("status") or {}).get("replicas", 0)) > 0 for rs in olds):
            return  # wait for old pods to go away
        self._scale(d, new_rs, int((d.get("spec") or {}).get("replicas", 1)))

    def _rolling(self, d, new_rs, olds):
        replicas = int((d.get("spec") or {}).get("replicas", 1))
        surge, unavail = resolve_fenceposts(d)
        all_sets = [new_rs] + olds
        total = sum(_rs_replicas(rs) for rs in all_sets)
        # scale up the new replica set
        new_count = _rs_replicas(new_rs)
        if new_count < replicas:
            room = replicas + surge - total
            if room > 0:
                new_rs = self._scale(d, new_rs, min(replicas, new_count + room))
        elif new_count > replicas:
            new_rs = self._scale(d, new_rs, replicas)
        # scale down old replica sets
        olds_active = [rs for rs in olds if _rs_replicas(rs) > 0]
        if not olds_active:
            return
        total = _rs_replicas(new_rs) + sum(_rs_replicas(rs) for rs in olds_active)
        min_available = replicas - unavail
        new_unavailable = _rs_replicas(new_rs) - _rs_available(new_rs)
        max_scaled_down = total - min_available - new_unavailable
        if max_scaled_down <= 0:
            return
        olds_active.sort(key=lambda rs: (revision_of(rs), rs["metadata"]["name"]))
        # first, old replicas that are not available at all
        for rs in olds_active:
            if max_scaled_down <= 0:
                break
            unhealthy = _rs_replicas(rs) - _rs_available(rs)
            if unhealthy <= 0:
                continue
            cut = min(unhealthy, max_scaled_down)
            self._scale(d, rs, _rs_replicas(rs) - cut)
            max_scaled_down -= cut
        olds_active = [self.owned.get(d["metadata"]["uid"], {}).get(rs["metadata"]["name"], rs)
                       for rs in olds_active]
        total = _rs_replicas(new_rs) + sum(_rs_replicas(rs) for rs in olds_active)
        available = _rs_available(new_rs) + sum(_rs_available(rs) for rs in olds_active)
        can_cut = available - min_available
        for rs in olds_active:
            if can_cut <= 0:
                break
            if _rs_replicas(rs) == 0:
                continue
            cut = min(_rs_replicas(rs), can_cut)
            self._scale(d, rs, _rs_replicas(rs) - cut)
            can_cut -= cut

    def _scale_proportional(self, d, new_rs, olds):
        """A paused deployment still follows `scale`: resize the new set (simplified)."""
        replicas = int((d.get("spec") or {}).get("replicas", 1))
        if not any(_rs_replicas(rs) for rs in olds) and _rs_replicas(new_rs) != replicas:
            self._scale(d, new_rs, replicas)

    def _cleanup(self, d, olds):
        limit = (d.get("spec") or {}).get("revisionHistoryLimit", 10)
        dead = [rs for rs in olds if _rs_replicas(rs) == 0 and
                int((rs.get("status") or {}).get("replicas", 0)) == 0]
        dead.sort(key=revision_of)
        for rs in dead[:max(0, len(dead) - int(limit))]:
            try:
                self.client.delete("replicasets", rs["metadata"]["namespace"], rs["metadata"]["name"])
            except ApiError:
                pass
            self._track(rs, deleted=True)

    def _status(self, d, new_rs, olds):
        replicas = int((d.get("spec") or {}).get("replicas", 1))
        all_sets = ([new_rs] if new_rs else []) + olds
        st_of = lambda rs, f: int((rs.get("status") or {}).get(f, 0))
        total = sum(st_of(rs, "replicas") for rs in all_sets)
        updated = st_of(new_rs, "replicas") if new_rs else 0
        ready = sum(st_of(rs, "readyReplicas") for rs in all_sets)
        available = sum(st_of(rs, "availableReplicas") for rs in all_sets)
        old_status = d.get("status") or {}
        now = self.loop.timestamp()
        conds = {c["type"]: c for c in clone(old_status.get("conditions") or [])}
        _, unavail = resolve_fenceposts(d)
        is_available = available >= replicas - unavail
        self._set_cond(conds, "Available", "True" if is_available else "False",
                       "MinimumReplicasAvailable" if is_available else "MinimumReplicasUnavailable",
                       "Deployment has minimum availability." if is_available else
                       "Deployment does not have minimum availability.", now)
        spec = d.get("spec") or {}
        complete = new_rs is not None and updated == replicas and available == replicas and \
            total == replicas and _rs_replicas(new_rs) == replicas
        if spec.get("paused"):
            self._set_cond(conds, "Progressing", "Unknown", "DeploymentPaused",
                           "Deployment is paused", now)
        elif new_rs is not None:
            rs_name = new_rs["metadata"]["name"]
            reason_msg = getattr(self, "_progress_reason", None)
            self._progress_reason = None
            prev = conds.get("Progressing")
            if complete:
                self._set_cond(conds, "Progressing", "True", "NewReplicaSetAvailable",
                               f'ReplicaSet "{rs_name}" has successfully progressed.', now)
            elif reason_msg:
                self._set_cond(conds, "Progressing", "True", reason_msg[0], reason_msg[1], now,
                               force_update=True)
            elif prev is not None and prev.get("reason") == "ProgressDeadlineExceeded":
                pass
            else:
                deadline = spec.get("progressDeadlineSeconds", 600)
                since = prev.get("lastUpdateTime") if prev else None
                changed = (old_status.get("updatedReplicas"), old_status.get("availableReplicas"),
                           old_status.get("replicas")) != (updated or None, available or None,
                                                            total or None)
                if since and not changed and \
                        self.loop.now - self.loop.parse_timestamp(since) >= deadline:
                    self._set_cond(conds, "Progressing", "False", "ProgressDeadlineExceeded",
                                   f'ReplicaSet "{rs_name}" has timed out progressing.', now)
                else:
                    self._set_cond(conds, "Progressing", "True", "ReplicaSetUpdated",
                                   f'ReplicaSet "{rs_name}" is progressing.', now,
                                   force_update=changed)
        order = [c for c in ("Available", "Progressing", "ReplicaFailure") if c in conds]
        status = {"observedGeneration": d["metadata"].get("generation", 1)}
        if total:
            status["replicas"] = total
        if updated:
            status["updatedReplicas"] = updated
        if ready:
            status["readyReplicas"] = ready
        if available:
            status["availableReplicas"] = available
        if total - available > 0 or replicas - available > 0:
            status["unavailableReplicas"] = max(total, replicas) - available
        if old_status.get("collisionCount"):
            status["collisionCount"] = old_status["collisionCount"]
        status["conditions"] = [conds[c] for c in order]
        if status != old_status:
            body = dict(d)
            body["status"] = status
            self.client.update_status("deployments", d["metadata"]["namespace"], body)
        if not complete and not spec.get("paused") and new_rs is not None:
            # re-check the progress deadline later; background: it must not drag settle()
            self.enqueue_after(key_of(d), spec.get("progressDeadlineSeconds", 600) + 1,
                               background=True)
        return None

    def _set_cond(self, conds, type_, status, reason, message, now, force_update=False):
        c = conds.get(type_)
        if c is not None and c.get("status") == status and c.get("reason") == reason and \
                c.get("message") == message and not force_update:
            return
        if c is None or c.get("status") != status:
            transition = now
        else:
            transition = c.get("lastTransitionTime", now)
        conds[type_] = {"type": type_, "status": status, "lastUpdateTime": now,
                        "lastTransitionTime": transition, "reason": reason, "message": message}
