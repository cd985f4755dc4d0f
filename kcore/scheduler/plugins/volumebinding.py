"""VolumeBinding (PreFilter, Filter, Reserve).

PreFilter sorts the pod's PersistentVolumeClaims: a missing claim or one being deleted rejects
the pod; a claim bound to a PV is checked against the PV's node affinity per node; an unbound
claim whose StorageClass is WaitForFirstConsumer waits for this very decision; any other
unbound claim makes the pod wait (`pod has unbound immediate PersistentVolumeClaims`).
Filter, per node: bound PVs must allow the node (`node(s) didn't match PersistentVolume's node
affinity`); each delayed claim needs an available PV that fits (class, access modes, size, node
affinity) or a class that can provision (`node(s) didn't find available persistent volumes to
bind` otherwise). Reserve records the chosen PV per claim (and claims to provision on that node)
in `state["VolumeBinding/decisions"]` for the owner to apply before binding the pod."""
from __future__ import annotations

from .. import messages, util
from ..framework import (SKIP, UNSCHEDULABLE_AND_UNRESOLVABLE, FilterPlugin, PreFilterPlugin,
                         ReservePlugin, Status)
from ..messages import NotFound

_SKIP = Status(SKIP)
KEY = "VolumeBinding"
NO_PROVISIONER = "kubernetes.io/no-provisioner"


def claim_names(pod) -> list[str]:
    out = []
    for v in (pod.pod.get("spec") or {}).get("volumes") or ():
        if v.get("persistentVolumeClaim"):
            out.append(v["persistentVolumeClaim"].get("claimName", ""))
        elif v.get("ephemeral"):
            out.append(f"{pod.name}-{v.get('name', '')}")
    return out


def pv_allows(pv: dict, ni) -> bool:
    required = (((pv.get("spec") or {}).get("nodeAffinity") or {}).get("required"))
    if not required:
        return True
    return util.node_selector_matches(required, ni.labels, ni.name)


def _storage(obj_resources: dict) -> int:
    q = (obj_resources or {}).get("storage")
    return util.value(q) if q is not None else 0


def pv_fits_claim(pv: dict, pvc: dict, class_name: str) -> bool:
    spec = pv.get("spec") or {}
    if (pv.get("status") or {}).get("phase") not in (None, "Available", "Pending"):
        return False
    ref = spec.get("claimRef")
    meta = pvc.get("metadata") or {}
    if ref and (ref.get("name") != meta.get("name") or ref.get("namespace") != meta.get("namespace")):
        return False
    if (spec.get("storageClassName") or "") != class_name:
        return False
    pspec = pvc.get("spec") or {}
    if not set(pspec.get("accessModes") or ()) <= set(spec.get("accessModes") or ()):
        return False
    if (pspec.get("volumeMode") or "Filesystem") != (spec.get("volumeMode") or "Filesystem"):
        return False
    want = _storage((pspec.get("resources") or {}).get("requests"))
    if _storage(spec.get("capacity")) < want:
        return False
    selector = pspec.get("selector")
    if selector is not None and not util.label_selector_matches(
            selector, (pv.get("metadata") or {}).get("labels") or {}):
        return False
    return True


class VolumeBinding(PreFilterPlugin, FilterPlugin, ReservePlugin):
    name = "VolumeBinding"

    def pre_filter(self, state, pod, nodes):
        names = claim_names(pod)
        if not names:
            return _SKIP
        cache = self.handle.cache
        bound, delayed, immediate = [], [], []
        for name in names:
            pvc = cache.pvc(pod.namespace, name)
            if pvc is None:
                return Status(UNSCHEDULABLE_AND_UNRESOLVABLE,
                              NotFound(resource="persistentvolumeclaim", name=name))
            if (pvc.get("metadata") or {}).get("deletionTimestamp"):
                return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, messages.pvc_being_deleted(name))
            spec = pvc.get("spec") or {}
            if spec.get("volumeName"):
                bound.append((pvc, cache.pvs.get(spec["volumeName"])))
                continue
            class_name = spec.get("storageClassName") or ""
            sc = cache.storage_classes.get(class_name)
            if sc is not None and sc.get("volumeBindingMode") == "WaitForFirstConsumer":
                delayed.append((pvc, class_name, sc))
            else:
                immediate.append(pvc)
        if immediate:
            return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, messages.UNBOUND_IMMEDIATE_PVC)
        state[KEY] = (bound, delayed)
        return None

    def _match(self, delayed, ni):
        """Choose a PV (or provisioning) per delayed claim on this node, or None."""
        taken = set()
        choice = []
        for pvc, class_name, sc in delayed:
            found = None
            for pv in self.handle.cache.pvs.values():
                pname = pv["metadata"]["name"]
                if pname in taken or not pv_allows(pv, ni):
                    continue
                if pv_fits_claim(pv, pvc, class_name):
                    found = pname
                    break
            if found is not None:
                taken.add(found)
                choice.append((pvc, found))
                continue
            if sc.get("provisioner", NO_PROVISIONER) != NO_PROVISIONER and self._topology_ok(sc, ni):
                choice.append((pvc, None))
                continue
            return None
        return choice

    @staticmethod
    def _topology_ok(sc: dict, ni) -> bool:
        allowed = sc.get("allowedTopologies")
        if not allowed:
            return True
        for term in allowed:
            ok = all(ni.labels.get(e.get("key")) in (e.get("values") or ())
                     for e in term.get("matchLabelExpressions") or ())
            if ok:
                return True
        return False

    def filter(self, state, pod, ni):
        bound, delayed = state[KEY]
        reasons = []
        for pvc, pv in bound:
            if pv is None:
                return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, messages.VOLUME_PV_MISSING)
            if not pv_allows(pv, ni):
                reasons.append(messages.VOLUME_NODE_CONFLICT)
                break
        if delayed and self._match(delayed, ni) is None:
            reasons.append(messages.VOLUME_BIND_CONFLICT)
        if reasons:
            return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, *reasons)
        return None

    def reserve(self, state, pod, node_name):
        got = state.get(KEY)
        if not got or not got[1]:
            return None
        ni = self.handle.cache.get(node_name)
        choice = self._match(got[1], ni) if ni is not None else None
        if choice is None:
            return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, messages.VOLUME_BIND_CONFLICT)
        state[KEY + "/decisions"] = [
            {"claim": f"{(pvc.get('metadata') or {}).get('namespace', pod.namespace)}/"
                      f"{pvc['metadata']['name']}", "volume": pv, "provision": pv is None,
             "selectedNode": node_name}
            for pvc, pv in choice]
        return None

    def unreserve(self, state, pod, node_name):
        state.pop(KEY + "/decisions", None)

    def events_to_register(self):
        return (("PersistentVolumeClaim", "Add"), ("PersistentVolumeClaim", "Update"),
                ("PersistentVolume", "Add"), ("PersistentVolume", "Update"),
                ("StorageClass", "Add"), ("StorageClass", "Update"), ("Node", "Add"),
                ("Node", "Update"))
