"""Checks every kind shares: ObjectMeta (the kind's name rule, labels, annotations), label
selectors, and the small helpers the per-kind modules build on.

Names follow NAME_POLICY (most kinds: DNS-1123 subdomain; namespaces: DNS-1123 label;
services: DNS-1035 label; RBAC objects: a path segment). Labels are reported at the map's
path (`metadata.labels: Invalid value: "bad value!": ...`), as ValidateLabels does."""
from __future__ import annotations

import re

from kcore.api import errors as fe
from kcore.api import kinds
from kcore.api.errors import FieldError
from kcore.machinery import names


IMMUTABLE = "field is immutable"


NEGATIVE = "must be greater than or equal to 0"


TOTAL_ANNOTATION_SIZE = 256 * 1024


# metadata.name rule per kind (everything else: DNS-1123 subdomain)
NAME_POLICY = {
    ("", "Namespace"): "label",
    ("", "Service"): "dns1035",
    ("apps", "StatefulSet"): "label",
    ("rbac.authorization.k8s.io", "Role"): "path",
    ("rbac.authorization.k8s.io", "ClusterRole"): "path",
    ("rbac.authorization.k8s.io", "RoleBinding"): "path",
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): "path",
    ("", "ComponentStatus"): "path",
}


def as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value) -> list:
    return value if isinstance(value, list) else []


def group_kind(obj: dict) -> tuple[str, str]:
    return (obj.get("apiVersion") or "").rpartition("/")[0], obj.get("kind") or ""


def validate_labels(labels, path: str) -> list[FieldError]:
    """ValidateLabels: qualified-name keys and label values, reported at the map's path."""
    errs = []
    for key in sorted(as_dict(labels)):
        errs += [fe.invalid(path, key, m) for m in names.is_qualified_name(key)]
        value = labels[key]
        if not isinstance(value, str):
            value = str(value)
        errs += [fe.invalid(path, value, m) for m in names.is_valid_label_value(value)]
    return errs


def validate_annotations(annotations, path: str) -> list[FieldError]:
    errs = []
    total = 0
    for key in sorted(as_dict(annotations)):
        errs += [fe.invalid(path, key, m) for m in names.is_qualified_name(key.lower())]
        total += len(key) + len(str(annotations[key]))
    if total > TOTAL_ANNOTATION_SIZE:
        errs.append(fe.too_long(path, TOTAL_ANNOTATION_SIZE))
    return errs


def validate_object_meta(obj: dict, rt: kinds.ResourceType | None, path: str = "metadata") -> list[FieldError]:
    """ValidateObjectMeta. The apiserver generates a name from generateName before validating;
    kcore tolerates an object whose name is still to be generated."""
    meta = as_dict(obj.get("metadata"))
    errs: list[FieldError] = []
    policy = NAME_POLICY.get(group_kind(obj), "subdomain")
    generate = meta.get("generateName") or ""
    if generate:
        errs += [fe.invalid(f"{path}.generateName", generate, m)
                 for m in names.validate_name(policy, generate, prefix=True)]
    name = meta.get("name") or ""
    if not name:
        if not generate:
            errs.append(fe.required(f"{path}.name", "name or generateName is required"))
    else:
        errs += [fe.invalid(f"{path}.name", name, m) for m in names.validate_name(policy, name)]
    if rt is not None and rt.namespaced:
        ns = meta.get("namespace")
        if ns:
            errs += [fe.invalid(f"{path}.namespace", ns, m) for m in names.is_dns1123_label(ns)]
    # a cluster-scoped object's metadata.namespace is ignored (cleared) by the server
    errs += validate_labels(meta.get("labels"), f"{path}.labels")
    errs += validate_annotations(meta.get("annotations"), f"{path}.annotations")
    return errs


def meta_update(new: dict, old: dict) -> list[FieldError]:
    nm, om = as_dict(new.get("metadata")), as_dict(old.get("metadata"))
    errs = []
    for key in ("name", "namespace", "uid", "creationTimestamp"):
        if om.get(key) and nm.get(key) != om.get(key):
            errs.append(fe.invalid(f"metadata.{key}", nm.get(key), IMMUTABLE))
    return errs


def validate_label_selector(selector, path: str) -> list[FieldError]:
    errs = []
    selector = as_dict(selector)
    errs += validate_labels(selector.get("matchLabels"), f"{path}.matchLabels")
    for i, req in enumerate(as_list(selector.get("matchExpressions"))):
        req, rpath = as_dict(req), f"{path}.matchExpressions[{i}]"
        op, values = req.get("operator") or "", as_list(req.get("values"))
        if op in ("In", "NotIn"):
            if not values:
                errs.append(fe.required(f"{rpath}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(fe.forbidden(f"{rpath}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        else:
            errs.append(fe.invalid(f"{rpath}.operator", op, "not a valid selector operator"))
        errs += [fe.invalid(f"{rpath}.key", req.get("key", ""), m)
                 for m in names.is_qualified_name(req.get("key") or "")]
    return errs


def selector_matches(selector: dict | None, labels: dict | None) -> bool:
    """metav1.LabelSelectorAsSelector(selector).Matches(labels); a nil selector matches nothing."""
    if selector is None:
        return False
    labels = as_dict(labels)
    for key, value in as_dict(selector.get("matchLabels")).items():
        if labels.get(key) != value:
            return False
    for req in as_list(selector.get("matchExpressions")):
        req = as_dict(req)
        key, op, values = req.get("key"), req.get("operator"), as_list(req.get("values"))
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def nonneg(spec: dict, key: str, path: str) -> list[FieldError]:
    value = spec.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [fe.invalid(f"{path}.{key}", value, NEGATIVE)]
    return []


def percent_or_int(value, path):
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]+%", value):
            return [fe.invalid(path, value, "a valid percent string must be a numeric string followed by an "
                               "ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")]
        if int(value[:-1]) > 100:
            return [fe.invalid(path, value, "must not be greater than 100%")]
    elif isinstance(value, int) and value < 0:
        return [fe.invalid(path, value, NEGATIVE)]
    return []


def immutable(new, old, path) -> list[FieldError]:
    if new != old:
        return [fe.invalid(path, new, IMMUTABLE)]
    return []


def spec_of(obj) -> dict:
    return as_dict(obj.get("spec"))


