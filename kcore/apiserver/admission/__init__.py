"""Admission plugins, one module each, run in kube-apiserver's order.

A plugin may have `admit(req)` (mutating: defaults that depend on other objects) and/or
`validate(req)` (may refuse by raising ApiError). Both see an AdmissionRequest."""
from __future__ import annotations

from kcore.apiserver.admission.default_storage_class import DefaultStorageClass
from kcore.apiserver.admission.default_toleration_seconds import DefaultTolerationSeconds
from kcore.apiserver.admission.limit_ranger import LimitRanger
from kcore.apiserver.admission.namespace_lifecycle import NamespaceLifecycle
from kcore.apiserver.admission.priority import Priority
from kcore.apiserver.admission.resource_quota import ResourceQuota
from kcore.apiserver.admission.service_account import ServiceAccount

REGISTRY = {p.name: p for p in (NamespaceLifecycle, LimitRanger, ServiceAccount,
                                DefaultTolerationSeconds, Priority, DefaultStorageClass,
                                ResourceQuota)}

# kube-apiserver's default enabled plugins, in its order (the ones kcore models)
DEFAULT_ORDER = ["NamespaceLifecycle", "LimitRanger", "ServiceAccount", "Priority",
                 "DefaultTolerationSeconds", "DefaultStorageClass", "ResourceQuota"]


def default_plugins(names=None):
    return [REGISTRY[n]() for n in (names or DEFAULT_ORDER) if n in REGISTRY]
