"""ConfigMaps, Secrets and Namespaces: data keys, the keys each Secret type requires, and the
`immutable: true` freeze (data and the flag itself may not change; a Secret's type never may)."""
from __future__ import annotations

from kcore.api import errors as fe
from kcore.api.validation.common import IMMUTABLE, as_dict, as_list
from kcore.machinery import names


def _config_keys(obj, fields=("data", "binaryData")):
    errs = []
    seen: set[str] = set()
    for fld in fields:
        for key in sorted(as_dict(obj.get(fld))):
            errs += [fe.invalid(f"{fld}[{key}]", key, m) for m in names.is_config_map_key(key)]
            if key in seen:
                errs.append(fe.invalid(f"{fld}[{key}]", key, "duplicate of key present in data"))
            seen.add(key)
    return errs


def _secret(obj):
    errs = _config_keys(obj, ("data", "stringData"))
    stype = obj.get("type") or "Opaque"
    data = dict(as_dict(obj.get("data")))
    data.update(as_dict(obj.get("stringData")))
    required = {"kubernetes.io/tls": ("tls.crt", "tls.key"),
                "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
                "kubernetes.io/basic-auth": (),
                "kubernetes.io/ssh-auth": ("ssh-privatekey",)}.get(stype, ())
    for key in required:
        if key not in data:
            errs.append(fe.required(f"data[{key}]"))
    if stype == "kubernetes.io/service-account-token":
        annotations = as_dict(as_dict(obj.get("metadata")).get("annotations"))
        if not annotations.get("kubernetes.io/service-account.name"):
            errs.append(fe.required("metadata.annotations[kubernetes.io/service-account.name]"))
    return errs


def _namespace(obj):
    errs = []
    for i, fin in enumerate(as_list(as_dict(obj.get("spec")).get("finalizers"))):
        if "/" not in fin and fin != "kubernetes":
            errs.append(fe.invalid(f"spec.finalizers[{i}]", fin,
                                   "name is neither a standard finalizer name nor is it fully qualified"))
    return errs


def _u_immutable_data(fields):
    def check(new, old):
        errs = []
        if old.get("immutable"):
            if not new.get("immutable"):
                errs.append(fe.forbidden("immutable", "field is immutable when `immutable` is set"))
            for fld in fields:
                if as_dict(new.get(fld)) != as_dict(old.get(fld)):
                    errs.append(fe.forbidden(fld, "field is immutable when `immutable` is set"))
        if new.get("kind") == "Secret" and (new.get("type") or "Opaque") != (old.get("type") or "Opaque"):
            errs.append(fe.invalid("type", new.get("type"), IMMUTABLE))
        return errs
    return check


CHECKS = {
    ("", "Secret"): _secret,
    ("", "ConfigMap"): _config_keys,
    ("", "Namespace"): _namespace,
}
UPDATES = {
    ("", "Secret"): _u_immutable_data(("data",)),
    ("", "ConfigMap"): _u_immutable_data(("data", "binaryData")),
}
