"""Roles, ClusterRoles and their bindings: rules need verbs, API groups and resources (or
non-resource URLs on cluster roles); subjects are users, groups or service accounts in the
right API group; a binding's roleRef never changes."""
from __future__ import annotations

from kcore.api import errors as fe
from kcore.api.validation.common import as_dict, as_list, immutable


def _rules(obj, path="rules"):
    errs = []
    for i, rule in enumerate(as_list(obj.get("rules"))):
        rule, rpath = as_dict(rule), f"{path}[{i}]"
        if not as_list(rule.get("verbs")):
            errs.append(fe.required(f"{rpath}.verbs", "verbs must contain at least one value"))
        if rule.get("nonResourceURLs"):
            if obj.get("kind") == "Role":
                errs.append(fe.invalid(f"{rpath}.nonResourceURLs", rule["nonResourceURLs"],
                                       "namespaced rules cannot apply to non-resource URLs"))
            continue
        if not as_list(rule.get("apiGroups")):
            errs.append(fe.required(f"{rpath}.apiGroups",
                                    "resource rules must supply at least one api group"))
        if not as_list(rule.get("resources")):
            errs.append(fe.required(f"{rpath}.resources",
                                    "resource rules must supply at least one resource"))
    return errs


def _binding(obj):
    errs = []
    ref = as_dict(obj.get("roleRef"))
    if ref.get("apiGroup") != "rbac.authorization.k8s.io":
        errs.append(fe.not_supported("roleRef.apiGroup", ref.get("apiGroup", ""), ("rbac.authorization.k8s.io",)))
    kinds_ok = ("ClusterRole",) if obj.get("kind") == "ClusterRoleBinding" else ("ClusterRole", "Role")
    if ref.get("kind") not in kinds_ok:
        errs.append(fe.not_supported("roleRef.kind", ref.get("kind", ""), kinds_ok))
    if not ref.get("name"):
        errs.append(fe.required("roleRef.name"))
    for i, subject in enumerate(as_list(obj.get("subjects"))):
        subject, spath = as_dict(subject), f"subjects[{i}]"
        if not subject.get("name"):
            errs.append(fe.required(f"{spath}.name"))
        kind = subject.get("kind")
        if kind not in ("ServiceAccount", "User", "Group"):
            errs.append(fe.not_supported(f"{spath}.kind", kind or "", ("ServiceAccount", "User", "Group")))
        elif kind == "ServiceAccount" and subject.get("apiGroup"):
            errs.append(fe.not_supported(f"{spath}.apiGroup", subject["apiGroup"], ("",)))
        elif kind in ("User", "Group") and subject.get("apiGroup") != "rbac.authorization.k8s.io":
            errs.append(fe.not_supported(f"{spath}.apiGroup", subject.get("apiGroup", ""),
                                         ("rbac.authorization.k8s.io",)))
        if kind == "ServiceAccount" and obj.get("kind") == "ClusterRoleBinding" and not subject.get("namespace"):
            errs.append(fe.required(f"{spath}.namespace"))
    return errs


def _u_role_binding(new, old):
    return immutable(new.get("roleRef"), old.get("roleRef"), "roleRef")


CHECKS = {
    ("rbac.authorization.k8s.io", "Role"): _rules,
    ("rbac.authorization.k8s.io", "ClusterRole"): _rules,
    ("rbac.authorization.k8s.io", "RoleBinding"): _binding,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): _binding,
}
UPDATES = {
    ("rbac.authorization.k8s.io", "RoleBinding"): _u_role_binding,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): _u_role_binding,
}
