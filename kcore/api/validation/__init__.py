"""Object validation with the apiserver's wording: validate(obj, old=None) -> [FieldError].

Runs after defaulting, like the apiserver's create and update strategies. Every kind gets the
ObjectMeta checks in `common` (name by the kind's rule, labels, annotations); kinds with a
module here get their spec checked too, one module per area, each exporting CHECKS (create)
and UPDATES (the extra rules on update: immutable selectors and templates, the pod-spec
update rule, frozen immutable Secrets and ConfigMaps ...):

    pod         pod specs wherever they appear, and the pod update rule
    workloads   Deployment, ReplicaSet, ReplicationController, DaemonSet, StatefulSet, Job, CronJob
    service     Service
    config      ConfigMap, Secret, Namespace
    storage     PersistentVolume, PersistentVolumeClaim, StorageClass
    rbac        Role, ClusterRole, RoleBinding, ClusterRoleBinding
    networking  NetworkPolicy, Ingress
    policy      HorizontalPodAutoscaler, PodDisruptionBudget, PriorityClass, ResourceQuota,
                LimitRange, CertificateSigningRequest
    node        Node (taints, pod CIDRs)

Render the result with errors.invalid_message(rt.group_kind, name, errs) for the 422 status,
or errors.kubectl_invalid(kind, name, errs) for what kubectl prints."""
from __future__ import annotations

from typing import Callable

from kcore.api import errors as fe
from kcore.api import kinds, schema
from kcore.api.errors import FieldError
from kcore.api.validation import (
    config, networking, node, pod, policy, rbac, service, storage, workloads,
)
from kcore.api.validation.common import (
    NAME_POLICY, group_kind, meta_update, selector_matches, validate_label_selector, validate_labels,
    validate_object_meta,
)

__all__ = ["validate", "validate_object_meta", "validate_labels", "validate_label_selector",
           "selector_matches", "NAME_POLICY", "VALIDATORS", "UPDATE_VALIDATORS"]

_AREAS = (pod, workloads, service, config, storage, rbac, networking, policy, node)

VALIDATORS: dict[tuple[str, str], Callable[[dict], list[FieldError]]] = {
    key: fn for area in _AREAS for key, fn in area.CHECKS.items()}
UPDATE_VALIDATORS: dict[tuple[str, str], Callable[[dict, dict], list[FieldError]]] = {
    key: fn for area in _AREAS for key, fn in area.UPDATES.items()}
# kinds whose Validate<Kind>Update checks the update rules before re-validating the object
UPDATE_RULES_FIRST = frozenset(key for area in _AREAS for key in getattr(area, "UPDATE_RULES_FIRST", ()))


def validate(obj: dict, old: dict | None = None) -> list[FieldError]:
    """All field errors for obj (already defaulted); [] means the apiserver would accept it.

    With old (the stored object) the update rules apply as well. The checks assume an object
    that strictly decodes (schema.decode_errors); one that does not gets its decode errors,
    which is where the apiserver would have stopped."""
    if not isinstance(obj, dict):
        return [fe.invalid("", obj, "must be an object")]
    try:
        return _validate(obj, old)
    except (TypeError, AttributeError, ValueError, KeyError):
        try:
            errs = schema.decode_errors(obj)
        except kinds.UnknownResource:
            errs = []
        if errs:
            return errs
        raise


def _validate(obj: dict, old: dict | None) -> list[FieldError]:
    gk = group_kind(obj)
    try:
        rt = kinds.for_kind(obj.get("apiVersion") or "", obj.get("kind") or "")
    except kinds.UnknownResource:
        rt = None
    errs: list[FieldError] = []
    if isinstance(old, dict):
        errs += meta_update(obj, old)
    update_rules: list[FieldError] = []
    if isinstance(old, dict) and gk in UPDATE_VALIDATORS:
        update_rules = UPDATE_VALIDATORS[gk](obj, old)
    if gk in UPDATE_RULES_FIRST:
        errs += update_rules
    errs += validate_object_meta(obj, rt)
    check = VALIDATORS.get(gk)
    if check is not None:
        errs += check(obj)
    if gk not in UPDATE_RULES_FIRST:
        errs += update_rules
    return errs
