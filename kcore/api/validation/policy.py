"""Cluster policy objects: HorizontalPodAutoscalers, PodDisruptionBudgets, PriorityClasses,
ResourceQuotas, LimitRanges and CertificateSigningRequests."""
from __future__ import annotations

from kcore.api import errors as fe
from kcore.api.validation.common import (
    NEGATIVE, as_dict, as_list, percent_or_int, validate_label_selector,
)
from kcore.api.validation.pod import parse_quantity


def _hpa(obj):
    spec = as_dict(obj.get("spec"))
    errs = []
    ref = as_dict(spec.get("scaleTargetRef"))
    if not ref.get("kind"):
        errs.append(fe.required("spec.scaleTargetRef.kind"))
    if not ref.get("name"):
        errs.append(fe.required("spec.scaleTargetRef.name"))
    min_r, max_r = spec.get("minReplicas"), spec.get("maxReplicas")
    if isinstance(min_r, int) and min_r < 1:
        errs.append(fe.invalid("spec.minReplicas", min_r, "must be greater than or equal to 1"))
    if not isinstance(max_r, int) or max_r < 1:
        errs.append(fe.invalid("spec.maxReplicas", max_r or 0, "must be greater than 0"))
    elif isinstance(min_r, int) and max_r < min_r:
        errs.append(fe.invalid("spec.maxReplicas", max_r, "must be greater than or equal to `minReplicas`"))
    return errs


def _pdb(obj):
    spec = as_dict(obj.get("spec"))
    errs = []
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        errs.append(fe.invalid("spec", spec, "minAvailable and maxUnavailable cannot be both set"))
    for key in ("minAvailable", "maxUnavailable"):
        if spec.get(key) is not None:
            errs += percent_or_int(spec[key], f"spec.{key}")
    errs += validate_label_selector(spec.get("selector"), "spec.selector")
    return errs


def _priority_class(obj):
    errs = []
    name = as_dict(obj.get("metadata")).get("name") or ""
    value = obj.get("value")
    if name.startswith("system-") and name not in ("system-node-critical", "system-cluster-critical"):
        errs.append(fe.forbidden("metadata.name", "priority class names with 'system-' prefix are reserved"))
    if isinstance(value, int) and value > 1_000_000_000 and not name.startswith("system-"):
        errs.append(fe.forbidden("value", "maximum allowed value of a user defined priority is 1000000000"))
    return errs


def _resource_quota(obj):
    errs = []
    for name, value in sorted(as_dict(as_dict(obj.get("spec")).get("hard")).items()):
        q = parse_quantity(value)
        if q is not None and q.sign() < 0:
            errs.append(fe.invalid(f"spec.hard[{name}]", str(q), NEGATIVE))
    return errs


def _limit_range(obj):
    errs = []
    for i, item in enumerate(as_list(as_dict(obj.get("spec")).get("limits"))):
        item, ipath = as_dict(item), f"spec.limits[{i}]"
        ltype = item.get("type")
        supported = ("Container", "Pod", "PersistentVolumeClaim")
        if ltype not in supported:
            errs.append(fe.not_supported(f"{ipath}.type", ltype or "", supported))
        maximum, minimum = as_dict(item.get("max")), as_dict(item.get("min"))
        default, request = as_dict(item.get("default")), as_dict(item.get("defaultRequest"))
        for name in sorted(set(minimum) & set(maximum)):
            lo, hi = parse_quantity(minimum[name]), parse_quantity(maximum[name])
            if lo is not None and hi is not None and lo > hi:
                errs.append(fe.invalid(f"{ipath}.min[{name}]", str(lo),
                                       f"min value {lo} is greater than max value {hi}"))
        for name in sorted(set(request) & set(default)):
            req, lim = parse_quantity(request[name]), parse_quantity(default[name])
            if req is not None and lim is not None and req > lim:
                errs.append(fe.invalid(f"{ipath}.defaultRequest[{name}]", str(req),
                                       f"default request value {req} is greater than default limit value {lim}"))
    return errs


def _csr(obj):
    spec = as_dict(obj.get("spec"))
    errs = []
    if not spec.get("request"):
        errs.append(fe.required("spec.request"))
    if not spec.get("signerName"):
        errs.append(fe.required("spec.signerName"))
    if not as_list(spec.get("usages")):
        errs.append(fe.required("spec.usages"))
    return errs


CHECKS = {
    ("autoscaling", "HorizontalPodAutoscaler"): _hpa,
    ("policy", "PodDisruptionBudget"): _pdb,
    ("scheduling.k8s.io", "PriorityClass"): _priority_class,
    ("", "ResourceQuota"): _resource_quota,
    ("", "LimitRange"): _limit_range,
    ("certificates.k8s.io", "CertificateSigningRequest"): _csr,
}
UPDATES: dict = {}
