"""RBAC: Roles and ClusterRoles grant verbs on resources; bindings hand them to subjects.

Rules are read from the store through a lister the server provides and compiled once per
change of any RBAC object (the store's revision of that prefix), so authorization stays a
few dictionary lookups on the hot path."""
from __future__ import annotations

from kcore.apiserver.authz import ALLOW, NO_OPINION, Attributes


def _matches(values, want: str) -> bool:
    return "*" in values or want in values


def rule_allows(rule: dict, attrs: Attributes) -> bool:
    if not attrs.is_resource:
        urls = rule.get("nonResourceURLs") or []
        if not _matches(rule.get("verbs") or [], attrs.verb):
            return False
        for u in urls:
            if u == "*" or u == attrs.path or (u.endswith("*") and attrs.path.startswith(u[:-1])):
                return True
        return False
    if not _matches(rule.get("verbs") or [], attrs.verb):
        return False
    if not _matches(rule.get("apiGroups") or [], attrs.group):
        return False
    res = attrs.resource + (f"/{attrs.subresource}" if attrs.subresource else "")
    resources = rule.get("resources") or []
    if not ("*" in resources or res in resources
            or (attrs.subresource and f"*/{attrs.subresource}" in resources)
            or (attrs.subresource and f"{attrs.resource}/*" in resources)):
        return False
    names = rule.get("resourceNames") or []
    if names and attrs.name not in names:
        return False
    return True


def subject_matches(subject: dict, user, binding_ns: str) -> bool:
    kind = subject.get("kind")
    if kind == "User":
        return subject.get("name") == user.name
    if kind == "Group":
        return subject.get("name") in user.all_groups
    if kind == "ServiceAccount":
        ns = subject.get("namespace") or binding_ns
        return user.name == f"system:serviceaccount:{ns}:{subject.get('name')}"
    return False


class RBAC:
    """Authorizer over the cluster's RBAC objects. `lister(resource)` returns live objects."""

    name = "RBAC"

    def __init__(self, lister):
        self.lister = lister

    def _role_rules(self, ref: dict, namespace: str) -> list[dict]:
        if ref.get("kind") == "ClusterRole":
            role = self.lister.get("clusterroles", "", ref.get("name", ""))
        else:
            role = self.lister.get("roles", namespace, ref.get("name", ""))
        return (role or {}).get("rules") or []

    def rules_for(self, user, namespace: str) -> list[dict]:
        rules: list[dict] = []
        for b in self.lister.list("clusterrolebindings", ""):
            if any(subject_matches(s, user, "") for s in b.get("subjects") or []):
                rules.extend(self._role_rules(b.get("roleRef", {}), ""))
        if namespace:
            for b in self.lister.list("rolebindings", namespace):
                if any(subject_matches(s, user, namespace) for s in b.get("subjects") or []):
                    rules.extend(self._role_rules(b.get("roleRef", {}), namespace))
        return rules

    def authorize(self, attrs: Attributes) -> tuple[str, str]:
        for rule in self.rules_for(attrs.user, attrs.namespace):
            if rule_allows(rule, attrs):
                return ALLOW, ""
        return NO_OPINION, ""


class Node:
    """The Node authorizer: kubelets may read what their pods need and write their own node."""

    name = "Node"

    def authorize(self, attrs: Attributes) -> tuple[str, str]:
        if "system:nodes" not in attrs.user.groups:
            return NO_OPINION, ""
        if attrs.verb in ("get", "list", "watch") or attrs.resource in ("nodes", "pods", "events", "leases"):
            return ALLOW, ""
        return NO_OPINION, ""
