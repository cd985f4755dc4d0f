"""Deployments, ReplicaSets, ReplicationControllers, DaemonSets, StatefulSets, Jobs and
CronJobs: selectors that match their template's labels, restart policies their controllers
can honour, rollout parameters, and what may change on update (selectors never; a Job's
template never; a StatefulSet only its replicas, ordinals, template, updateStrategy,
PVC retention policy and minReadySeconds)."""
from __future__ import annotations

import re

from kcore.api import errors as fe
from kcore.api.errors import FieldError
from kcore.api.validation.common import (
    as_dict, as_list, immutable, is_zero, nonneg, percent_or_int, selector_matches, spec_of,
    validate_annotations, validate_label_selector, validate_labels,
)
from kcore.api.validation.pod import RESTART_POLICIES, validate_pod_spec
from kcore.api.validation.storage import pvc_spec


def _template(spec: dict, path: str, selector=None, check_selector=True,
              restart=("Always",), extra_volumes=()) -> list[FieldError]:
    """ValidatePodTemplateSpecForReplicaSet-like: labels match selector, restartPolicy allowed."""
    template = spec.get("template")
    tpath = f"{path}.template"
    if not isinstance(template, dict):
        return [fe.required(tpath)]
    errs = []
    tmeta = as_dict(template.get("metadata"))
    errs += validate_labels(tmeta.get("labels"), f"{tpath}.metadata.labels")
    errs += validate_annotations(tmeta.get("annotations"), f"{tpath}.metadata.annotations")
    if check_selector and (selector is None or as_dict(selector).get("matchLabels") or as_dict(selector).get("matchExpressions")):
        if not selector_matches(selector, tmeta.get("labels")):
            errs.append(fe.invalid(f"{tpath}.metadata.labels", as_dict(tmeta.get("labels")),
                                   "`selector` does not match template `labels`"))
    errs += validate_pod_spec(template.get("spec"), f"{tpath}.spec", extra_volumes)
    rp = as_dict(template.get("spec")).get("restartPolicy")
    if restart and rp and rp not in restart and rp in RESTART_POLICIES:
        errs.append(fe.not_supported(f"{tpath}.spec.restartPolicy", rp, restart))
    return errs


def _selector_required(spec: dict, path: str, kind_word: str) -> list[FieldError]:
    selector = spec.get("selector")
    if selector is None:
        return [fe.required(f"{path}.selector")]
    errs = validate_label_selector(selector, f"{path}.selector")
    if not as_dict(selector).get("matchLabels") and not as_dict(selector).get("matchExpressions"):
        errs.append(fe.invalid(f"{path}.selector", selector, f"empty selector is invalid for {kind_word}"))
    return errs


def _replicas(spec, path="spec"):
    return nonneg(spec, "replicas", path)


def _deployment(obj):
    spec, path = as_dict(obj.get("spec")), "spec"
    errs = _replicas(spec) + _selector_required(spec, path, "deployment")
    errs += _template(spec, path, spec.get("selector"))
    strategy = as_dict(spec.get("strategy"))
    stype = strategy.get("type")
    if stype == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            errs.append(fe.forbidden("spec.strategy.rollingUpdate",
                                     "may not be specified when strategy `type` is 'Recreate'"))
    elif stype == "RollingUpdate":
        rolling = as_dict(strategy.get("rollingUpdate"))
        surge, unavailable = rolling.get("maxSurge"), rolling.get("maxUnavailable")
        errs += percent_or_int(surge, "spec.strategy.rollingUpdate.maxSurge")
        errs += percent_or_int(unavailable, "spec.strategy.rollingUpdate.maxUnavailable")
        if is_zero(surge) and is_zero(unavailable):
            errs.append(fe.invalid("spec.strategy.rollingUpdate.maxUnavailable", unavailable,
                                   "may not be 0 when `maxSurge` is 0"))
    elif stype:
        errs.append(fe.not_supported("spec.strategy.type", stype, ("Recreate", "RollingUpdate")))
    errs += nonneg(spec, "revisionHistoryLimit", path) + nonneg(spec, "minReadySeconds", path)
    pds = spec.get("progressDeadlineSeconds")
    if isinstance(pds, int) and pds <= (spec.get("minReadySeconds") or 0):
        errs.append(fe.invalid("spec.progressDeadlineSeconds", pds, "must be greater than minReadySeconds"))
    return errs


def _replica_set(obj):
    spec = as_dict(obj.get("spec"))
    return _replicas(spec) + _selector_required(spec, "spec", "replicaset") + \
        _template(spec, "spec", spec.get("selector"))


def _replication_controller(obj):
    spec = as_dict(obj.get("spec"))
    errs = _replicas(spec)
    selector = as_dict(spec.get("selector"))
    if not selector:
        errs.append(fe.required("spec.selector"))
    else:
        errs += validate_labels(selector, "spec.selector")
    errs += _template(spec, "spec", {"matchLabels": selector} if selector else None)
    return errs


def _daemon_set(obj):
    spec = as_dict(obj.get("spec"))
    errs = _selector_required(spec, "spec", "daemonset") + _template(spec, "spec", spec.get("selector"))
    errs += nonneg(spec, "revisionHistoryLimit", "spec")
    strategy = as_dict(spec.get("updateStrategy"))
    if strategy.get("type") not in (None, "RollingUpdate", "OnDelete"):
        errs.append(fe.not_supported("spec.updateStrategy.type", strategy["type"], ("OnDelete", "RollingUpdate")))
    return errs


def _stateful_set(obj):
    spec = as_dict(obj.get("spec"))
    errs = _replicas(spec) + _selector_required(spec, "spec", "statefulset")
    claims = [as_dict(as_dict(c).get("metadata")).get("name") for c in as_list(spec.get("volumeClaimTemplates"))]
    errs += _template(spec, "spec", spec.get("selector"), extra_volumes=[c for c in claims if c])
    for i, claim in enumerate(as_list(spec.get("volumeClaimTemplates"))):
        errs += pvc_spec(as_dict(as_dict(claim).get("spec")), f"spec.volumeClaimTemplates[{i}].spec")
    policy = spec.get("podManagementPolicy")
    if policy not in (None, "OrderedReady", "Parallel"):
        errs.append(fe.not_supported("spec.podManagementPolicy", policy, ("OrderedReady", "Parallel")))
    return errs


def _job_spec(spec: dict, path: str) -> list[FieldError]:
    errs = []
    for key in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit"):
        errs += nonneg(spec, key, path)
    if spec.get("manualSelector") and spec.get("selector") is None:
        errs.append(fe.required(f"{path}.selector"))
    selector = spec.get("selector")
    errs += _template(spec, path, selector, check_selector=selector is not None, restart=())
    rp = as_dict(as_dict(spec.get("template")).get("spec")).get("restartPolicy")
    if rp in ("Always", "", None):
        errs.append(fe.required(f"{path}.template.spec.restartPolicy",
                                'valid values: "OnFailure", "Never"'))
    elif rp not in ("OnFailure", "Never"):
        pass  # already reported by the pod spec check
    mode = spec.get("completionMode")
    if mode not in (None, "NonIndexed", "Indexed"):
        errs.append(fe.not_supported(f"{path}.completionMode", mode, ("NonIndexed", "Indexed")))
    if mode == "Indexed" and spec.get("completions") is None:
        errs.append(fe.required(f"{path}.completions", "when completion mode is Indexed"))
    return errs


def _job(obj):
    return _job_spec(as_dict(obj.get("spec")), "spec")


def _cron_job(obj):
    spec = as_dict(obj.get("spec"))
    errs = []
    name = as_dict(obj.get("metadata")).get("name") or ""
    if len(name) > 52:
        errs.append(fe.invalid("metadata.name", name, "must be no more than 52 characters"))
    schedule = spec.get("schedule") or ""
    if not schedule:
        errs.append(fe.required("spec.schedule"))
    elif not _cron_ok(schedule):
        errs.append(fe.invalid("spec.schedule", schedule, _cron_problem(schedule)))
    policy = spec.get("concurrencyPolicy")
    if policy not in (None, "Allow", "Forbid", "Replace"):
        errs.append(fe.not_supported("spec.concurrencyPolicy", policy, ("Allow", "Forbid", "Replace")))
    for key in ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        errs += nonneg(spec, key, "spec")
    job_spec = as_dict(as_dict(spec.get("jobTemplate")).get("spec"))
    errs += _job_spec(job_spec, "spec.jobTemplate.spec")
    return errs


_CRON_MACROS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}


_CRON_FIELD = re.compile(r"^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?)*$")


def _cron_problem(schedule: str) -> str:
    fields = schedule.split()
    if len(fields) != 5:
        return f"expected exactly 5 fields, found {len(fields)}: {go_fields(fields)}"
    return "unparseable schedule"


def go_fields(fields: list[str]) -> str:
    return "[" + " ".join(fields) + "]"


def _cron_ok(schedule: str) -> bool:
    text = schedule.strip()
    if text.startswith(("TZ=", "CRON_TZ=")):
        text = text.split(None, 1)[1] if " " in text else ""
    if text in _CRON_MACROS or text.startswith("@every "):
        return True
    fields = text.split()
    return len(fields) == 5 and all(_CRON_FIELD.match(f) for f in fields)


def _u_selector(new, old):
    return immutable(spec_of(new).get("selector"), spec_of(old).get("selector"), "spec.selector")


def _u_job(new, old):
    ns, os_ = spec_of(new), spec_of(old)
    errs = immutable(ns.get("selector"), os_.get("selector"), "spec.selector")
    errs += immutable(ns.get("template"), os_.get("template"), "spec.template")
    if ns.get("completionMode") != os_.get("completionMode"):
        errs += immutable(ns.get("completionMode"), os_.get("completionMode"), "spec.completionMode")
    return errs


STS_UPDATABLE = ("replicas", "ordinals", "template", "updateStrategy",
                 "persistentVolumeClaimRetentionPolicy", "minReadySeconds")


def _u_stateful_set(new, old):
    ns, os_ = dict(spec_of(new)), dict(spec_of(old))
    for key in STS_UPDATABLE:
        ns.pop(key, None)
        os_.pop(key, None)
    if ns != os_:
        return [fe.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', "
                             "'ordinals', 'template', 'updateStrategy', "
                             "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")]
    return []


CHECKS = {
    ("", "ReplicationController"): _replication_controller,
    ("apps", "Deployment"): _deployment,
    ("apps", "ReplicaSet"): _replica_set,
    ("apps", "DaemonSet"): _daemon_set,
    ("apps", "StatefulSet"): _stateful_set,
    ("batch", "Job"): _job,
    ("batch", "CronJob"): _cron_job,
}
UPDATES = {
    ("apps", "Deployment"): _u_selector,
    ("apps", "ReplicaSet"): _u_selector,
    ("apps", "DaemonSet"): _u_selector,
    ("apps", "StatefulSet"): _u_stateful_set,
    ("batch", "Job"): _u_job,
}
