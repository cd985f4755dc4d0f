"""ConfigMaps, Secrets and Namespaces: data keys, the keys each Secret type requires, and the
`immutable: true` freeze (data and the flag itself may not change; a Secret's type never may)."""
from __future__ import annotations

from kcore.api import errors as fe
from kcore.api.validation.common import IMMUTABLE, as_dict, as_list
from kcore.machinery import names


MAX_SIZE = 1024 * 1024  # core.MaxSecretSize, also the ConfigMap limit


def _config_map(obj):
    """ValidateConfigMap: keys are config keys, no key in both bags, 1 MiB in all."""
    errs = []
    data, binary = as_dict(obj.get("data")), as_dict(obj.get("binaryData"))
    for key in sorted(data):
        errs += [fe.invalid(f"data[{key}]", key, m) for m in names.is_config_map_key(key)]
        if key in binary:
            errs.append(fe.invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
    for key in sorted(binary):
        errs += [fe.invalid(f"binaryData[{key}]", key, m) for m in names.is_config_map_key(key)]
    size = sum(len(str(v)) for v in data.values()) + sum(len(str(v)) * 3 // 4 for v in binary.values())
    if size > MAX_SIZE:
        errs.append(fe.too_long("", MAX_SIZE))
    return errs


# keys each Secret type must carry (ValidateSecret); stringData has been merged into data by then
_SECRET_KEYS = {
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
    "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/dockercfg": (".dockercfg",),
}


def _secret(obj):
    errs = []
    data = dict(as_dict(obj.get("data")))
    data.update(as_dict(obj.get("stringData")))
    for key in sorted(data):
        errs += [fe.invalid(f"data[{key}]", key, m) for m in names.is_config_map_key(key)]
    if sum(len(str(v)) for v in data.values()) > MAX_SIZE:
        errs.append(fe.too_long("data", MAX_SIZE))
    stype = obj.get("type") or "Opaque"
    if stype == "kubernetes.io/service-account-token":
        annotations = as_dict(as_dict(obj.get("metadata")).get("annotations"))
        if not annotations.get("kubernetes.io/service-account.name"):
            errs.append(fe.required("metadata.annotations[kubernetes.io/service-account.name]"))
    elif stype == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            errs += [fe.required("data[username]"), fe.required("data[password]")]
    elif stype == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            errs.append(fe.required("data[ssh-privatekey]"))
    for key in _SECRET_KEYS.get(stype, ()):
        if key not in data:
            errs.append(fe.required(f"data[{key}]"))
            if stype != "kubernetes.io/tls":
                break
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
        if new.get("kind") == "Secret" and (new.get("type") or "Opaque") != (old.get("type") or "Opaque"):
            errs.append(fe.invalid("type", new.get("type"), IMMUTABLE))
        if old.get("immutable"):
            if not new.get("immutable"):
                errs.append(fe.forbidden("immutable", "field is immutable when `immutable` is set"))
            for fld in fields:
                if as_dict(new.get(fld)) != as_dict(old.get(fld)):
                    errs.append(fe.forbidden(fld, "field is immutable when `immutable` is set"))
        return errs
    return check


CHECKS = {
    ("", "Secret"): _secret,
    ("", "ConfigMap"): _config_map,
    ("", "Namespace"): _namespace,
}
UPDATES = {
    ("", "Secret"): _u_immutable_data(("data",)),
    ("", "ConfigMap"): _u_immutable_data(("data", "binaryData")),
}
UPDATE_RULES_FIRST = (("", "Secret"), ("", "ConfigMap"))
