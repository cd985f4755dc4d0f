"""PersistentVolumes, PersistentVolumeClaims and StorageClasses: access modes, capacity and
requests, a volume source, reclaim policies; a claim's spec is immutable after creation
except its storage request (and volumeAttributesClassName) once bound."""
from __future__ import annotations

from kcore.api import errors as fe
from kcore.api.validation.common import as_dict, as_list, spec_of
from kcore.api.validation.pod import VOLUME_SOURCES


def pvc_spec(spec, path):
    errs = []
    modes = as_list(spec.get("accessModes"))
    if not modes:
        errs.append(fe.required(f"{path}.accessModes", "at least 1 access mode is required"))
    supported = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")
    for mode in modes:
        if mode not in supported:
            errs.append(fe.not_supported(f"{path}.accessModes", mode, supported))
    storage = as_dict(as_dict(spec.get("resources")).get("requests")).get("storage")
    if storage is None:
        errs.append(fe.required(f"{path}.resources[storage]"))
    return errs


def _pvc(obj):
    return pvc_spec(as_dict(obj.get("spec")), "spec")


def _pv(obj):
    spec = as_dict(obj.get("spec"))
    errs = []
    if not as_list(spec.get("accessModes")):
        errs.append(fe.required("spec.accessModes"))
    if as_dict(spec.get("capacity")).get("storage") is None:
        errs.append(fe.required("spec.capacity"))
    sources = [k for k in VOLUME_SOURCES + ("local",) if spec.get(k) is not None]
    if not sources:
        errs.append(fe.required("spec", "must specify a volume type"))
    policy = spec.get("persistentVolumeReclaimPolicy")
    if policy not in (None, "Delete", "Recycle", "Retain"):
        errs.append(fe.not_supported("spec.persistentVolumeReclaimPolicy", policy, ("Delete", "Recycle", "Retain")))
    return errs


def _storage_class(obj):
    errs = []
    if not obj.get("provisioner"):
        errs.append(fe.required("provisioner"))
    policy = obj.get("reclaimPolicy")
    if policy not in (None, "Delete", "Retain"):
        errs.append(fe.not_supported("reclaimPolicy", policy, ("Delete", "Retain")))
    mode = obj.get("volumeBindingMode")
    if mode not in (None, "Immediate", "WaitForFirstConsumer"):
        errs.append(fe.not_supported("volumeBindingMode", mode, ("Immediate", "WaitForFirstConsumer")))
    return errs


def _u_pvc(new, old):
    ns, os_ = dict(spec_of(new)), dict(spec_of(old))
    errs = []
    if not os_.get("volumeName"):
        # binding: volumeName may be set once on a claim that had none
        ns.pop("volumeName", None)
        os_.pop("volumeName", None)
    if os_.get("volumeName"):
        for spec in (ns, os_):
            spec.pop("volumeAttributesClassName", None)
            spec["resources"] = {k: v for k, v in as_dict(spec.get("resources")).items() if k != "requests"}
    if ns != os_:
        errs.append(fe.forbidden("spec", "spec is immutable after creation except resources.requests and "
                                 "volumeAttributesClassName for bound claims"))
    return errs


CHECKS = {
    ("", "PersistentVolumeClaim"): _pvc,
    ("", "PersistentVolume"): _pv,
    ("storage.k8s.io", "StorageClass"): _storage_class,
}
UPDATES = {
    ("", "PersistentVolumeClaim"): _u_pvc,
}
