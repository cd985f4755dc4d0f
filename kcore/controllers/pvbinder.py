"""PersistentVolume binder: marry claims to volumes, provision, reclaim, protect.

A PersistentVolumeClaim is Pending until it is bound to a PersistentVolume. The binder looks
for a volume pre-bound to the claim (`spec.claimRef`), or one the claim names
(`spec.volumeName`), else the *smallest* Available volume that fits: same storageClassName,
every requested access mode, same volumeMode, enough capacity and labels matching the
claim's selector. Binding writes both sides (PV `claimRef` + phase Bound, PVC `volumeName` +
phase Bound with the volume's capacity and access modes). With no volume:

- a class with a provisioner gets one made: PV `pvc-<claim uid>` with the class's
  reclaimPolicy (`ExternalProvisioning` from this controller, then `Provisioning` and
  `ProvisioningSucceeded` from the provisioner, which every provisioner but
  kubernetes.io/no-provisioner is assumed to run);
- a class whose volumeBindingMode is WaitForFirstConsumer waits (`WaitForFirstConsumer`)
  until a pod using the claim is scheduled — the scheduler's choice arrives as the claim's
  `volume.kubernetes.io/selected-node` annotation (or, failing that, the pod's nodeName) —
  and then binds a volume reachable from that node or provisions one pinned to it;
- no class at all leaves it Pending (`FailedBinding`).

When a bound claim is deleted its volume is Released; reclaimPolicy Retain keeps it so,
Delete removes it (or marks it Failed when no deleter can remove that kind of volume: a
hostPath outside /tmp/, a static volume of another type), and the deprecated Recycle scrubs a
hostPath or NFS volume and makes it Available again (`VolumeRecycled`). A bound claim asking
for more storage grows when its class has allowVolumeExpansion.

Folded in here as well: the ephemeral-volume controller (a pod's generic ephemeral volume
gets the claim `<pod>-<volume>`, owned by the pod) and the protection controllers: the
finalizers `kubernetes.io/pvc-protection` and `kubernetes.io/pv-protection` are added to every
claim and volume and removed only when nothing uses them any more — a claim used by a pod
stays Terminating until the pod is gone, a bound volume until its claim is."""
from __future__ import annotations

import copy

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller
from kcore.machinery import labels as labels_mod
from kcore.machinery import quantity

PVC_PROTECTION = "kubernetes.io/pvc-protection"
PV_PROTECTION = "kubernetes.io/pv-protection"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"
NO_PROVISIONER = "kubernetes.io/no-provisioner"

NO_CLASS = "no persistent volumes available for this claim and no storage class is set"
WAITING = "waiting for first consumer to be created before binding"


def _storage(res: dict | None) -> int:
    q = (res or {}).get("storage")
    if q is None:
        return 0
    try:
        return quantity.parse(str(q)).value()
    except (ValueError, quantity.QuantityError):
        return 0


def claim_class(pvc: dict) -> str:
    spec = pvc.get("spec") or {}
    cls = spec.get("storageClassName")
    if cls is None:
        cls = (pvc["metadata"].get("annotations") or {}).get("volume.beta.kubernetes.io/storage-class", "")
    return cls or ""


def claims_of(pod: dict) -> list[str]:
    out = []
    for v in (pod.get("spec") or {}).get("volumes") or []:
        if v.get("persistentVolumeClaim"):
            out.append(v["persistentVolumeClaim"].get("claimName", ""))
        elif v.get("ephemeral"):
            out.append(f"{pod['metadata']['name']}-{v.get('name', '')}")
    return out


def node_matches(pv: dict, node: dict | None) -> bool:
    terms = (((pv.get("spec") or {}).get("nodeAffinity") or {}).get("required") or {}) \
        .get("nodeSelectorTerms")
    if not terms:
        return True
    if node is None:
        return False
    node_labels = node["metadata"].get("labels") or {}
    for term in terms:
        ok = True
        for e in term.get("matchExpressions") or []:
            key, op, vals = e.get("key"), e.get("operator"), e.get("values") or []
            have = node_labels.get(key)
            if op == "In":
                ok = have in vals
            elif op == "NotIn":
                ok = have not in vals
            elif op == "Exists":
                ok = key in node_labels
            elif op == "DoesNotExist":
                ok = key not in node_labels
            else:
                ok = False
            if not ok:
                break
        for f in term.get("matchFields") or []:
            if f.get("key") == "metadata.name":
                inside = node["metadata"]["name"] in (f.get("values") or [])
                ok = ok and (inside if f.get("operator") == "In" else not inside)
        if ok:
            return True
    return False


def volume_fits(pv: dict, pvc: dict, node: dict | None = None, check_node: bool = False) -> bool:
    spec, cspec = pv.get("spec") or {}, pvc.get("spec") or {}
    if pv["metadata"].get("deletionTimestamp"):
        return False
    if (spec.get("storageClassName") or "") != claim_class(pvc):
        return False
    if not set(cspec.get("accessModes") or []) <= set(spec.get("accessModes") or []):
        return False
    if (cspec.get("volumeMode") or "Filesystem") != (spec.get("volumeMode") or "Filesystem"):
        return False
    if _storage(spec.get("capacity")) < _storage((cspec.get("resources") or {}).get("requests")):
        return False
    if cspec.get("selector") is not None:
        try:
            sel = labels_mod.from_label_selector(cspec["selector"])
        except labels_mod.SelectorError:
            return False
        if not sel.matches(pv["metadata"].get("labels") or {}):
            return False
    if check_node and not node_matches(pv, node):
        return False
    return True


def best_volume(pvs, pvc: dict, node: dict | None = None, check_node: bool = False):
    """The pre-bound volume, else the smallest Available one that fits, else None."""
    md = pvc["metadata"]
    candidates = []
    for pv in pvs:
        ref = (pv.get("spec") or {}).get("claimRef")
        if ref:
            if ref.get("name") != md["name"] or ref.get("namespace") != md["namespace"]:
                continue
            if ref.get("uid") and ref["uid"] != md.get("uid"):
                continue
            if volume_fits(pv, pvc, node, check_node) or not check_node:
                return pv
            continue
        if (pv.get("status") or {}).get("phase", "Available") not in ("Available", "Pending"):
            continue
        if volume_fits(pv, pvc, node, check_node):
            candidates.append(pv)
    if not candidates:
        return None
    return min(candidates, key=lambda pv: (_storage(pv["spec"].get("capacity")),
                                           pv["metadata"]["name"]))


class PersistentVolumeBinder(Controller):
    name = "persistentvolume-binder"
    component_name = "persistentvolume-controller"

    def setup(self) -> None:
        self.pvs = self.informer("persistentvolumes")
        self.pvcs = self.informer("persistentvolumeclaims")
        self.classes = self.informer("storageclasses")
        self.pods = self.informer("pods")
        self.nodes = self.informer("nodes")
        self.pvs.add_handler(self._on_pv)
        self.pvcs.add_handler(self._on_pvc)
        self.classes.add_handler(lambda et, o, old: self._pending_claims())
        self.pods.add_handler(self._on_pod)

    # -- events -------------------------------------------------------------------------
    def _on_pv(self, etype, pv, old) -> None:
        if etype != "DELETED":
            self.enqueue("pv:" + pv["metadata"]["name"])
        ref = (pv.get("spec") or {}).get("claimRef")
        if ref:
            self.enqueue(f"pvc:{ref.get('namespace')}/{ref.get('name')}")
        self._pending_claims()

    def _on_pvc(self, etype, pvc, old) -> None:
        md = pvc["metadata"]
        if etype != "DELETED":
            self.enqueue(f"pvc:{md['namespace']}/{md['name']}")
        volume = (pvc.get("spec") or {}).get("volumeName")
        if volume:
            self.enqueue("pv:" + volume)
        for pv in self.pvs.list():
            ref = (pv.get("spec") or {}).get("claimRef") or {}
            if ref.get("name") == md["name"] and ref.get("namespace") == md["namespace"]:
                self.enqueue("pv:" + pv["metadata"]["name"])

    def _on_pod(self, etype, pod, old) -> None:
        ns = pod["metadata"].get("namespace")
        for claim in claims_of(pod):
            self.enqueue(f"pvc:{ns}/{claim}")
        if etype != "DELETED" and any(v.get("ephemeral") for v in
                                      (pod.get("spec") or {}).get("volumes") or []):
            self.enqueue(f"pod:{ns}/{pod['metadata']['name']}")

    def _pending_claims(self) -> None:
        for pvc in self.pvcs.list():
            if not (pvc.get("spec") or {}).get("volumeName"):
                self.enqueue(f"pvc:{pvc['metadata']['namespace']}/{pvc['metadata']['name']}")

    def reconcile(self, key: str):
        kind, _, rest = key.partition(":")
        if kind == "pv":
            return self._sync_volume(rest)
        ns, _, name = rest.partition("/")
        if kind == "pod":
            return self._sync_ephemeral(ns, name)
        return self._sync_claim(ns, name)

    def _sync_ephemeral(self, ns, name):
        """Generic ephemeral volumes: the claim `<pod>-<volume>`, owned by the pod (the job of
        kube-controller-manager's ephemeral-volume controller)."""
        pod = self.pods.get(ns, name)
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            return None
        for v in (pod.get("spec") or {}).get("volumes") or []:
            tmpl = (v.get("ephemeral") or {}).get("volumeClaimTemplate")
            if tmpl is None:
                continue
            cname = f"{name}-{v.get('name', '')}"
            if self.pvcs.get(ns, cname) is not None:
                continue
            md = copy.deepcopy(tmpl.get("metadata") or {})
            md.update({"name": cname, "namespace": ns, "ownerReferences": [
                {"apiVersion": "v1", "kind": "Pod", "name": name, "uid": pod["metadata"]["uid"],
                 "controller": True, "blockOwnerDeletion": True}]})
            body = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": md,
                    "spec": copy.deepcopy(tmpl.get("spec") or {})}
            try:
                self.client.create("persistentvolumeclaims", ns, body)
            except ApiError as exc:
                if exc.reason != "AlreadyExists":
                    self.event(pod, "FailedBinding", f"create PVC {cname}: {exc.message}",
                               "Warning")
        return None

    # -- helpers ------------------------------------------------------------------------
    def _users(self, ns: str, claim: str) -> list[dict]:
        return [p for p in self.pods.list(ns) if claim in claims_of(p)
                and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]

    def _add_finalizer(self, resource, obj, finalizer) -> dict:
        fins = obj["metadata"].get("finalizers") or []
        if finalizer in fins or obj["metadata"].get("deletionTimestamp"):
            return obj
        body = copy.deepcopy(obj)
        body["metadata"]["finalizers"] = fins + [finalizer]
        return self.client.update(resource, obj["metadata"].get("namespace"), body)

    def _drop_finalizer(self, resource, obj, finalizer) -> None:
        fins = obj["metadata"].get("finalizers") or []
        if finalizer not in fins:
            return
        body = copy.deepcopy(obj)
        body["metadata"]["finalizers"] = [f for f in fins if f != finalizer]
        self.client.update(resource, obj["metadata"].get("namespace"), body)

    def _set_phase(self, resource, obj, phase, extra: dict | None = None, message=None) -> dict:
        st = dict(obj.get("status") or {})
        new = dict(st)
        new["phase"] = phase
        if extra:
            new.update(extra)
        if message:
            new["message"] = message
        else:
            new.pop("message", None)
        if resource == "persistentvolumes" and st.get("phase") != phase:
            new["lastPhaseTransitionTime"] = self.loop.timestamp()
        if new == st:
            return obj
        body = copy.deepcopy(obj)
        body["status"] = new
        return self.client.update_status(resource, obj["metadata"].get("namespace"), body)

    # -- claims -------------------------------------------------------------------------
    def _sync_claim(self, ns, name):
        pvc = self.pvcs.get(ns, name)
        if pvc is None:
            return None
        if pvc["metadata"].get("deletionTimestamp"):
            if not self._users(ns, name):
                self._drop_finalizer("persistentvolumeclaims", pvc, PVC_PROTECTION)
            return None
        pvc = self._add_finalizer("persistentvolumeclaims", pvc, PVC_PROTECTION)
        spec = pvc.get("spec") or {}
        volume_name = spec.get("volumeName")
        if volume_name:
            pv = self.pvs.get(None, volume_name) or self.client.try_get("persistentvolumes", None,
                                                                        volume_name)
            if pv is None:
                if (pvc.get("status") or {}).get("phase") == "Bound":
                    self.event(pvc, "ClaimLost", "Bound claim has lost its PersistentVolume. "
                               "Data on the volume is lost!", "Warning")
                    self._set_phase("persistentvolumeclaims", pvc, "Lost")
                return None
            ref = (pv.get("spec") or {}).get("claimRef")
            if ref and ref.get("uid") and ref["uid"] != pvc["metadata"]["uid"]:
                if (pvc.get("status") or {}).get("phase") == "Bound":
                    self.event(pvc, "ClaimMisbound", "Two claims are bound to the same volume, "
                               "this one is bound incorrectly", "Warning")
                    self._set_phase("persistentvolumeclaims", pvc, "Lost")
                return None
            self._bind(pv, pvc)
            self._expand(ns, name)
            return None
        cls_name = claim_class(pvc)
        sc = self.classes.get(None, cls_name) if cls_name else None
        delayed = sc is not None and sc.get("volumeBindingMode") == "WaitForFirstConsumer"
        node_name = None
        if delayed:
            node_name = (pvc["metadata"].get("annotations") or {}).get(SELECTED_NODE)
            if node_name is None:
                node_name = self._consumer_node(ns, name)
                if node_name is not None:
                    body = copy.deepcopy(pvc)
                    body["metadata"].setdefault("annotations", {})[SELECTED_NODE] = node_name
                    pvc = self.client.update("persistentvolumeclaims", ns, body)
        node = self.nodes.get(None, node_name) if node_name else None
        pv = best_volume(self.pvs.list(), pvc, node, check_node=delayed)
        if delayed and node_name is None:
            if pv is None or not (pv.get("spec") or {}).get("claimRef"):
                self.event(pvc, "WaitForFirstConsumer", WAITING)
                return None
        if pv is not None:
            self._bind(pv, pvc)
            return None
        if not cls_name:
            self.event(pvc, "FailedBinding", NO_CLASS)
            return None
        if sc is None:
            self.event(pvc, "ProvisioningFailed",
                       f"storageclass.storage.k8s.io \"{cls_name}\" not found", "Warning")
            return None
        self._provision(pvc, sc, node_name)
        return None

    def _consumer_node(self, ns, claim) -> str | None:
        for pod in sorted(self._users(ns, claim), key=lambda p: p["metadata"]["name"]):
            node = (pod.get("spec") or {}).get("nodeName")
            if node:
                return node
        return None

    def _provision(self, pvc, sc, node_name) -> None:
        provisioner = sc.get("provisioner") or NO_PROVISIONER
        self.event(pvc, "ExternalProvisioning",
                   f"Waiting for a volume to be created either by the external provisioner "
                   f"'{provisioner}' or manually by the system administrator. If volume "
                   f"creation is delayed, please verify that the provisioner is running and "
                   f"correctly registered.")
        if provisioner == NO_PROVISIONER:
            return
        md = pvc["metadata"]
        ann = md.get("annotations") or {}
        if ann.get(STORAGE_PROVISIONER) != provisioner:
            body = copy.deepcopy(pvc)
            body["metadata"].setdefault("annotations", {}).update(
                {STORAGE_PROVISIONER: provisioner, BETA_STORAGE_PROVISIONER: provisioner})
            pvc = self.client.update("persistentvolumeclaims", md["namespace"], body)
            md = pvc["metadata"]
        self.event(pvc, "Provisioning",
                   f"External provisioner is provisioning volume for claim "
                   f"\"{md['namespace']}/{md['name']}\"", component=provisioner)
        cspec = pvc.get("spec") or {}
        pv_name = f"pvc-{md['uid']}"
        spec = {"capacity": {"storage": ((cspec.get("resources") or {}).get("requests") or {})
                             .get("storage", "1Gi")},
                "accessModes": list(cspec.get("accessModes") or ["ReadWriteOnce"]),
                "persistentVolumeReclaimPolicy": sc.get("reclaimPolicy", "Delete"),
                "storageClassName": sc["metadata"]["name"],
                "volumeMode": cspec.get("volumeMode") or "Filesystem",
                "claimRef": {"kind": "PersistentVolumeClaim", "namespace": md["namespace"],
                             "name": md["name"], "uid": md["uid"], "apiVersion": "v1",
                             "resourceVersion": md.get("resourceVersion")},
                "hostPath": {"path": f"/var/lib/kcore-provisioner/{pv_name}", "type": ""}}
        if sc.get("mountOptions"):
            spec["mountOptions"] = list(sc["mountOptions"])
        if node_name:
            spec["nodeAffinity"] = {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "In", "values": [node_name]}]}]}}
        body = {"apiVersion": "v1", "kind": "PersistentVolume",
                "metadata": {"name": pv_name, "annotations": {PROVISIONED_BY: provisioner},
                             "finalizers": [PV_PROTECTION]},
                "spec": spec}
        try:
            pv = self.client.create("persistentvolumes", None, body)
        except ApiError as exc:
            if exc.reason != "AlreadyExists":
                self.event(pvc, "ProvisioningFailed", f"failed to provision volume with "
                           f"StorageClass \"{sc['metadata']['name']}\": {exc.message}", "Warning")
                return
            pv = self.client.get("persistentvolumes", None, pv_name)
        else:
            self.event(pvc, "ProvisioningSucceeded", f"Successfully provisioned volume {pv_name}",
                       component=provisioner)
        self._bind(pv, pvc)

    def _bind(self, pv, pvc) -> None:
        """Write both halves of the binding (each only if it changed)."""
        md = pvc["metadata"]
        ref = (pv.get("spec") or {}).get("claimRef") or {}
        if ref.get("uid") != md["uid"] or ref.get("name") != md["name"]:
            body = copy.deepcopy(pv)
            body["spec"]["claimRef"] = {"kind": "PersistentVolumeClaim",
                                        "namespace": md["namespace"], "name": md["name"],
                                        "uid": md["uid"], "apiVersion": "v1",
                                        "resourceVersion": md.get("resourceVersion")}
            if not ref:
                body["metadata"].setdefault("annotations", {})[BOUND_BY_CONTROLLER] = "yes"
            pv = self.client.update("persistentvolumes", None, body)
        pv = self._set_phase("persistentvolumes", pv, "Bound")
        spec = pvc.get("spec") or {}
        if spec.get("volumeName") != pv["metadata"]["name"] or \
                (md.get("annotations") or {}).get(BIND_COMPLETED) != "yes":
            body = copy.deepcopy(pvc)
            ann = body["metadata"].setdefault("annotations", {})
            ann[BIND_COMPLETED] = "yes"
            if not spec.get("volumeName"):
                ann[BOUND_BY_CONTROLLER] = "yes"
            body["spec"]["volumeName"] = pv["metadata"]["name"]
            pvc = self.client.update("persistentvolumeclaims", md["namespace"], body)
        pspec = pv.get("spec") or {}
        extra = {"accessModes": list(pspec.get("accessModes") or [])}
        if not (pvc.get("status") or {}).get("capacity"):     # later growth is _expand's job
            extra["capacity"] = dict(pspec.get("capacity") or {})
        self._set_phase("persistentvolumeclaims", pvc, "Bound", extra)

    # -- expansion ----------------------------------------------------------------------
    def _expand(self, ns, name) -> None:
        """A bound claim asking for more than it has grows when its class allows expansion:
        the volume at once, the claim's status.capacity once a pod mounts it (until then the
        claim carries the FileSystemResizePending condition)."""
        pvc = self.client.try_get("persistentvolumeclaims", ns, name)
        if pvc is None or (pvc.get("status") or {}).get("phase") != "Bound":
            return
        want_q = ((pvc["spec"].get("resources") or {}).get("requests") or {}).get("storage")
        have = _storage((pvc.get("status") or {}).get("capacity"))
        if want_q is None or _storage({"storage": want_q}) <= have:
            return
        sc = self.classes.get(None, claim_class(pvc)) if claim_class(pvc) else None
        if sc is None or not sc.get("allowVolumeExpansion"):
            return
        pv = self.client.try_get("persistentvolumes", None, pvc["spec"]["volumeName"])
        if pv is None:
            return
        provisioner = sc.get("provisioner", "")
        if _storage((pv.get("spec") or {}).get("capacity")) < _storage({"storage": want_q}):
            self.event(pvc, "ExternalExpanding", "waiting for an external controller to expand "
                       "this PVC")
            self.event(pvc, "Resizing", f"External resizer is resizing volume "
                       f"{pv['metadata']['name']}", component=f"external-resizer {provisioner}")
            body = copy.deepcopy(pv)
            body["spec"]["capacity"] = {**(body["spec"].get("capacity") or {}), "storage": want_q}
            self.client.update("persistentvolumes", None, body)
        users = [p for p in self._users(ns, name) if (p.get("spec") or {}).get("nodeName")]
        st = copy.deepcopy(pvc.get("status") or {})
        conds = [c for c in st.get("conditions") or [] if c.get("type") != "FileSystemResizePending"]
        if users:
            node = users[0]["spec"]["nodeName"]
            self.event(pvc, "FileSystemResizeSuccessful",
                       f"MountVolume.NodeExpandVolume succeeded for volume "
                       f"\"{pv['metadata']['name']}\" {node}", component="kubelet")
            st["capacity"] = {**(st.get("capacity") or {}), "storage": want_q}
        else:
            conds.append({"type": "FileSystemResizePending", "status": "True",
                          "lastProbeTime": None, "lastTransitionTime": self.loop.timestamp(),
                          "message": "Waiting for user to (re-)start a pod to finish file "
                                     "system resize of volume on node."})
        if conds:
            st["conditions"] = conds
        else:
            st.pop("conditions", None)
        if st != (pvc.get("status") or {}):
            body = copy.deepcopy(pvc)
            body["status"] = st
            self.client.update_status("persistentvolumeclaims", ns, body)

    # -- volumes ------------------------------------------------------------------------
    def _sync_volume(self, name):
        pv = self.pvs.get(None, name)
        if pv is None:
            return None
        spec = pv.get("spec") or {}
        ref = spec.get("claimRef")
        claim = None
        if ref:
            claim = self.pvcs.get(ref.get("namespace"), ref.get("name"))
            if claim is not None and ref.get("uid") and claim["metadata"]["uid"] != ref["uid"]:
                claim = None
        if pv["metadata"].get("deletionTimestamp"):
            phase = (pv.get("status") or {}).get("phase")
            if phase != "Bound" or claim is None:
                self._drop_finalizer("persistentvolumes", pv, PV_PROTECTION)
            return None
        pv = self._add_finalizer("persistentvolumes", pv, PV_PROTECTION)
        if not ref:
            self._set_phase("persistentvolumes", pv, "Available")
            return None
        if claim is None and not ref.get("uid"):
            self._set_phase("persistentvolumes", pv, "Available")   # pre-bound, claim not yet here
            return None
        if claim is not None:
            if (claim.get("spec") or {}).get("volumeName") == name:
                self._set_phase("persistentvolumes", pv, "Bound")
            elif not ref.get("uid"):
                self._set_phase("persistentvolumes", pv, "Available")
            return None
        # the claim is gone: Released, then reclaim
        if (pv.get("status") or {}).get("phase") == "Failed":
            return None
        pv = self._set_phase("persistentvolumes", pv, "Released")
        policy = spec.get("persistentVolumeReclaimPolicy", "Retain")
        if policy == "Delete":
            problem = self._delete_problem(pv)
            if problem is None:
                try:
                    self.client.delete("persistentvolumes", None, name)
                except ApiError as exc:
                    if exc.reason != "NotFound":
                        raise
            else:
                self.event(pv, "VolumeFailedDelete", problem, "Warning")
                self._set_phase("persistentvolumes", pv, "Failed", message=problem)
        elif policy == "Recycle":
            if spec.get("hostPath") is None and spec.get("nfs") is None:
                msg = "No recycler plugin found for the volume!"
                self.event(pv, "VolumeFailedRecycle", msg, "Warning")
                self._set_phase("persistentvolumes", pv, "Failed", message=msg)
                return None
            # the recycler pod scrubs the volume (rm -rf /scrub/*); then it is free again
            body = copy.deepcopy(pv)
            body["spec"].pop("claimRef", None)
            (body["metadata"].get("annotations") or {}).pop(BOUND_BY_CONTROLLER, None)
            pv = self.client.update("persistentvolumes", None, body)
            self.event(pv, "VolumeRecycled", "Volume recycled")
            self._set_phase("persistentvolumes", pv, "Available")
        return None

    @staticmethod
    def _delete_problem(pv) -> str | None:
        """None when the volume can be deleted, else the deleter's complaint."""
        if (pv["metadata"].get("annotations") or {}).get(PROVISIONED_BY):
            return None
        host = (pv.get("spec") or {}).get("hostPath")
        if host is not None:
            path = host.get("path", "")
            if path.startswith("/tmp/") and len(path) > len("/tmp/"):
                return None
            return f"host_path deleter only supports /tmp/.+ but received provided {path}"
        return (f"error getting deleter volume plugin for volume \"{pv['metadata']['name']}\": "
                f"no deletable volume plugin matched")
