"""The garbage collector: dependents follow their owners out.

Every object's ownerReferences form a graph. When an owner is gone (background deletion),
its dependents are deleted; an owner deleted with `foregroundDeletion` waits, Terminating,
until its blocking dependents are gone; with `orphan` its dependents lose the reference and
stay. The graph is rebuilt from the informers it watches, one per kind that can own or be
owned in the course's world."""
from __future__ import annotations

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller

KINDS = {"pods": "Pod", "replicasets": "ReplicaSet", "deployments": "Deployment",
         "daemonsets": "DaemonSet", "statefulsets": "StatefulSet", "jobs": "Job",
         "cronjobs": "CronJob", "replicationcontrollers": "ReplicationController",
         "controllerrevisions": "ControllerRevision", "endpointslices": "EndpointSlice",
         "services": "Service", "configmaps": "ConfigMap", "secrets": "Secret",
         "leases": "Lease", "persistentvolumeclaims": "PersistentVolumeClaim",
         "nodes": "Node"}


class GarbageCollector(Controller):
    name = "garbagecollector"
    component_name = "garbage-collector-controller"

    def setup(self) -> None:
        self.objects: dict[str, tuple[str, dict]] = {}      # uid -> (resource, obj)
        self.dependents: dict[str, set[str]] = {}            # owner uid -> dependent uids
        for resource in KINDS:
            try:
                inf = self.informer(resource)
            except Exception:  # noqa: BLE001 - a kind this cluster does not serve
                continue
            inf.add_handler(lambda et, obj, old, r=resource: self._on(r, et, obj, old))

    def _on(self, resource, etype, obj, old) -> None:
        uid = obj["metadata"]["uid"]
        if old is not None:
            for ref in old["metadata"].get("ownerReferences") or []:
                self.dependents.get(ref.get("uid"), set()).discard(uid)
        if etype == "DELETED":
            self.objects.pop(uid, None)
            for dep in list(self.dependents.get(uid, ())):
                self.enqueue(dep)
            for ref in obj["metadata"].get("ownerReferences") or []:
                if ref.get("uid") in self.objects:
                    self.enqueue(ref["uid"])
            return
        self.objects[uid] = (resource, obj)
        for ref in obj["metadata"].get("ownerReferences") or []:
            self.dependents.setdefault(ref.get("uid"), set()).add(uid)
            if ref.get("uid") not in self.objects:
                self.enqueue(uid)  # owner may be gone already
        if obj["metadata"].get("deletionTimestamp"):
            self.enqueue(uid)
            for ref in obj["metadata"].get("ownerReferences") or []:
                self.enqueue(ref.get("uid"))

    def reconcile(self, uid: str):
        entry = self.objects.get(uid)
        if entry is None:
            return None
        resource, obj = entry
        md = obj["metadata"]
        finalizers = md.get("finalizers") or []
        if md.get("deletionTimestamp") and "orphan" in finalizers:
            self._orphan_dependents(uid)
            self._remove_finalizer(resource, obj, "orphan")
            return None
        if md.get("deletionTimestamp") and "foregroundDeletion" in finalizers:
            deps = [d for d in self.dependents.get(uid, ()) if d in self.objects]
            for d in deps:
                dres, dobj = self.objects[d]
                if not dobj["metadata"].get("deletionTimestamp"):
                    self._delete(dres, dobj, "Foreground")
            if not deps:
                self._remove_finalizer(resource, obj, "foregroundDeletion")
            return None
        refs = md.get("ownerReferences") or []
        if refs and all(r.get("uid") not in self.objects for r in refs):
            if not md.get("deletionTimestamp"):
                self._delete(resource, obj, "Background")
        return None

    def _delete(self, resource, obj, policy) -> None:
        md = obj["metadata"]
        try:
            self.client.delete(resource, md.get("namespace"), md["name"],
                               propagation_policy=policy if policy == "Foreground" else None,
                               preconditions={"uid": md["uid"]})
        except ApiError as exc:
            if exc.reason not in ("NotFound", "Conflict"):
                raise

    def _orphan_dependents(self, uid) -> None:
        for d in list(self.dependents.get(uid, ())):
            if d not in self.objects:
                continue
            dres, dobj = self.objects[d]
            refs = [r for r in dobj["metadata"].get("ownerReferences") or [] if r.get("uid") != uid]
            patch = {"metadata": {"ownerReferences": refs or None, "uid": dobj["metadata"]["uid"]}}
            try:
                self.client.patch(dres, dobj["metadata"].get("namespace"), dobj["metadata"]["name"],
                                  patch, patch_type="merge")
            except ApiError:
                pass

    def _remove_finalizer(self, resource, obj, name) -> None:
        md = obj["metadata"]
        fresh = self.client.try_get(resource, md.get("namespace"), md["name"])
        if fresh is None:
            return
        fresh["metadata"]["finalizers"] = [f for f in fresh["metadata"].get("finalizers") or []
                                           if f != name]
        try:
            self.client.update(resource, md.get("namespace"), fresh)
        except ApiError as exc:
            if exc.reason not in ("NotFound",):
                raise
