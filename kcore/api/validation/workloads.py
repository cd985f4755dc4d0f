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
    NEGATIVE, as_dict, immutable, nonneg, selector_matches, spec_of, validate_annotations,
    validate_label_selector, validate_labels,
)
from kcore.api.validation.pod import validate_pod_spec


def _selector_empty(selector) -> bool:
    """labels.Selector.Empty(): a selector with no requirements (nil is Nothing, not empty)."""
    return selector is not None and not as_dict(selector).get("matchLabels") \
        and not as_dict(selector).get("matchExpressions")


def _template_meta(template: dict, tpath: str) -> list[FieldError]:
    tmeta = as_dict(template.get("metadata"))
    return (validate_labels(tmeta.get("labels"), f"{tpath}.metadata.labels")
            + validate_annotations(tmeta.get("annotations"), f"{tpath}.metadata.annotations"))


def _selector_mismatch(selector, template: dict, tpath: str) -> list[FieldError]:
    labels = as_dict(as_dict(template.get("metadata")).get("labels"))
    if not _selector_empty(selector) and not selector_matches(selector, labels):
        return [fe.invalid(f"{tpath}.metadata.labels", labels, "`selector` does not match template `labels`")]
    return []


def _template(spec: dict, path: str, selector=None, check_selector=True, owner="ReplicaSet",
              restart=("Always",)) -> list[FieldError]:
    """ValidatePodTemplateSpecForReplicaSet (and its RC/DaemonSet/Job twins): the selector
    matches the template's labels, the template's metadata and pod spec are valid, pods
    always restart and have no activeDeadlineSeconds."""
    template = spec.get("template")
    tpath = f"{path}.template"
    if not isinstance(template, dict):
        return [fe.required(tpath)]
    errs = _selector_mismatch(selector, template, tpath) if check_selector else []
    errs += _template_meta(template, tpath)
    errs += validate_pod_spec(template.get("spec"), f"{tpath}.spec")
    tspec = as_dict(template.get("spec"))
    rp = tspec.get("restartPolicy") or ""
    if restart and rp not in restart:
        errs.append(fe.not_supported(f"{tpath}.spec.restartPolicy", rp, restart))
    if restart and tspec.get("activeDeadlineSeconds") is not None:
        errs.append(fe.forbidden(f"{tpath}.spec.activeDeadlineSeconds",
                                 f"activeDeadlineSeconds in {owner} is not Supported"))
    return errs


def _selector_required(spec: dict, path: str, kind_word: str) -> list[FieldError]:
    selector = spec.get("selector")
    if selector is None:
        return [fe.required(f"{path}.selector")]
    errs = validate_label_selector(selector, f"{path}.selector")
    if _selector_empty(selector):
        errs.append(fe.invalid(f"{path}.selector", selector, f"empty selector is invalid for {kind_word}"))
    return errs


def _percent(value, path) -> list[FieldError]:
    """ValidatePositiveIntOrPercent."""
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]+%", value):
            return [fe.invalid(path, value, "a valid percent string must be a numeric string followed by an "
                               "ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")]
    elif isinstance(value, int) and value < 0:
        return [fe.invalid(path, value, NEGATIVE)]
    return []


def _over_100(value, path) -> list[FieldError]:
    if isinstance(value, str) and re.fullmatch(r"[0-9]+%", value) and int(value[:-1]) > 100:
        return [fe.invalid(path, value, "must not be greater than 100%")]
    return []


def _int_or_percent_value(value) -> int:
    if isinstance(value, str):
        return int(value[:-1]) if re.fullmatch(r"[0-9]+%", value) else 0
    return value if isinstance(value, int) else 0


def _deployment(obj):
    """ValidateDeploymentSpec, in its order."""
    spec, path = as_dict(obj.get("spec")), "spec"
    errs = nonneg(spec, "replicas", path) + _selector_required(spec, path, "deployment")
    errs += _template(spec, path, spec.get("selector"))
    strategy = as_dict(spec.get("strategy"))
    stype = strategy.get("type")
    if stype == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            errs.append(fe.forbidden("spec.strategy.rollingUpdate",
                                     "may not be specified when strategy `type` is 'Recreate'"))
    elif stype == "RollingUpdate":
        rolling, rpath = as_dict(strategy.get("rollingUpdate")), "spec.strategy.rollingUpdate"
        surge, unavailable = rolling.get("maxSurge"), rolling.get("maxUnavailable")
        errs += _percent(unavailable, f"{rpath}.maxUnavailable") + _percent(surge, f"{rpath}.maxSurge")
        if _int_or_percent_value(unavailable) == 0 and _int_or_percent_value(surge) == 0:
            errs.append(fe.invalid(f"{rpath}.maxUnavailable", unavailable if unavailable is not None else 0,
                                   "may not be 0 when `maxSurge` is 0"))
        errs += _over_100(unavailable, f"{rpath}.maxUnavailable")
    else:
        errs.append(fe.not_supported("spec.strategy", strategy, ("Recreate", "RollingUpdate")))
    errs += nonneg(spec, "minReadySeconds", path) + nonneg(spec, "revisionHistoryLimit", path)
    pds = spec.get("progressDeadlineSeconds")
    if isinstance(pds, int) and not isinstance(pds, bool):
        errs += nonneg(spec, "progressDeadlineSeconds", path)
        if pds <= (spec.get("minReadySeconds") or 0):
            errs.append(fe.invalid("spec.progressDeadlineSeconds", pds, "must be greater than minReadySeconds"))
    return errs


def _replica_set(obj):
    """ValidateReplicaSetSpec (whose empty-selector message really does say "deployment")."""
    spec = as_dict(obj.get("spec"))
    return (nonneg(spec, "replicas", "spec") + nonneg(spec, "minReadySeconds", "spec")
            + _selector_required(spec, "spec", "deployment") + _template(spec, "spec", spec.get("selector")))


def _replication_controller(obj):
    """ValidateReplicationControllerSpec: a plain label map as selector."""
    spec = as_dict(obj.get("spec"))
    errs = nonneg(spec, "minReadySeconds", "spec")
    selector = as_dict(spec.get("selector"))
    if not selector:
        errs.append(fe.required("spec.selector"))
    errs += nonneg(spec, "replicas", "spec")
    errs += _template(spec, "spec", {"matchLabels": selector} if selector else {},
                      owner="ReplicationController")
    return errs


def _daemon_set(obj):
    """ValidateDaemonSetSpec: no Required for a missing selector, but nothing then matches."""
    spec = as_dict(obj.get("spec"))
    selector = spec.get("selector")
    errs = validate_label_selector(selector, "spec.selector") if selector is not None else []
    template = as_dict(spec.get("template"))
    labels = as_dict(as_dict(template.get("metadata")).get("labels"))
    if not selector_matches(selector, labels) and not _selector_empty(selector):
        errs.append(fe.invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`"))
    if _selector_empty(selector):
        errs.append(fe.invalid("spec.selector", selector, "empty selector is invalid for daemonset"))
    errs += _template(spec, "spec", check_selector=False, owner="DaemonSet")
    errs += nonneg(spec, "minReadySeconds", "spec")
    strategy, spath = as_dict(spec.get("updateStrategy")), "spec.updateStrategy"
    stype = strategy.get("type")
    if stype == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if rolling is None:
            errs.append(fe.required(f"{spath}.rollingUpdate"))
        else:
            rolling, rpath = as_dict(rolling), f"{spath}.rollingUpdate"
            unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
            errs += _percent(unavailable, f"{rpath}.maxUnavailable") + _percent(surge, f"{rpath}.maxSurge")
            errs += _over_100(unavailable, f"{rpath}.maxUnavailable") + _over_100(surge, f"{rpath}.maxSurge")
            has_unavailable, has_surge = _int_or_percent_value(unavailable) != 0, _int_or_percent_value(surge) != 0
            if has_unavailable and has_surge:
                errs.append(fe.invalid(f"{rpath}.maxSurge", surge, "may not be set when maxUnavailable is non-zero"))
            elif not has_unavailable and not has_surge:
                errs.append(fe.required(f"{rpath}.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    elif stype != "OnDelete":
        errs.append(fe.not_supported(spath, strategy, ("RollingUpdate", "OnDelete")))
    errs += nonneg(spec, "revisionHistoryLimit", "spec")
    return errs


def _stateful_set(obj):
    """ValidateStatefulSetSpec. Its template's pod spec is deliberately not validated (the
    volumes are only complete once claim templates are added), only labels and annotations."""
    spec = as_dict(obj.get("spec"))
    errs = []
    policy = spec.get("podManagementPolicy") or ""
    if not policy:
        errs.append(fe.required("spec.podManagementPolicy"))
    elif policy not in ("OrderedReady", "Parallel"):
        errs.append(fe.invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'"))
    strategy = as_dict(spec.get("updateStrategy"))
    stype = strategy.get("type") or ""
    if not stype:
        errs.append(fe.required("spec.updateStrategy"))
    elif stype == "OnDelete" and strategy.get("rollingUpdate") is not None:
        errs.append(fe.invalid("spec.updateStrategy.rollingUpdate", strategy["rollingUpdate"],
                               "only allowed for updateStrategy 'RollingUpdate'"))
    elif stype == "RollingUpdate":
        errs += nonneg(as_dict(strategy.get("rollingUpdate")), "partition", "spec.updateStrategy.rollingUpdate")
    elif stype != "OnDelete":
        errs.append(fe.invalid("spec.updateStrategy", strategy, "must be 'RollingUpdate' or 'OnDelete'"))
    retention = as_dict(spec.get("persistentVolumeClaimRetentionPolicy"))
    for key in ("whenDeleted", "whenScaled"):
        if retention and retention.get(key) not in ("Retain", "Delete"):
            errs.append(fe.not_supported(f"spec.persistentVolumeClaimRetentionPolicy.{key}",
                                         retention.get(key) or "", ("Retain", "Delete")))
    errs += nonneg(spec, "replicas", "spec") + nonneg(spec, "minReadySeconds", "spec")
    errs += _selector_required(spec, "spec", "statefulset")
    template = spec.get("template")
    if not isinstance(template, dict):
        errs.append(fe.required("spec.template"))
        template = {}
    else:
        errs += _selector_mismatch(spec.get("selector"), template, "spec.template")
        errs += _template_meta(template, "spec.template")
    tspec = as_dict(template.get("spec"))
    if (tspec.get("restartPolicy") or "") != "Always":
        errs.append(fe.not_supported("spec.template.spec.restartPolicy", tspec.get("restartPolicy") or "", ("Always",)))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(fe.forbidden("spec.template.spec.activeDeadlineSeconds",
                                 "activeDeadlineSeconds in StatefulSet is not Supported"))
    return errs


def _job_spec(spec: dict, path: str) -> list[FieldError]:
    """ValidateJobSpec, in its order: counts, completion mode, template, restart policy."""
    errs = []
    for key in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"):
        errs += nonneg(spec, key, path)
    mode = spec.get("completionMode")
    if mode not in (None, "NonIndexed", "Indexed"):
        errs.append(fe.not_supported(f"{path}.completionMode", mode, ("NonIndexed", "Indexed")))
    if mode == "Indexed" and spec.get("completions") is None:
        errs.append(fe.required(f"{path}.completions", "when completion mode is Indexed"))
    selector = spec.get("selector")
    if spec.get("manualSelector") and selector is None:
        errs.append(fe.required(f"{path}.selector"))
    errs += _template(spec, path, selector, check_selector=selector is not None, restart=())
    rp = as_dict(as_dict(spec.get("template")).get("spec")).get("restartPolicy") or ""
    if rp in ("Always", ""):
        errs.append(fe.required(f"{path}.template.spec.restartPolicy", 'valid values: "OnFailure", "Never"'))
    elif rp not in ("OnFailure", "Never"):
        errs.append(fe.not_supported(f"{path}.template.spec.restartPolicy", rp, ("OnFailure", "Never")))
    elif spec.get("podFailurePolicy") is not None and rp != "Never":
        errs.append(fe.invalid(f"{path}.template.spec.restartPolicy", rp,
                               'only "Never" is supported when podFailurePolicy is specified'))
    return errs


def _job(obj):
    return _job_spec(as_dict(obj.get("spec")), "spec")


def _cron_job(obj):
    """validateCronJobSpec, then the name limit: the controller appends an 11-character
    `-<minutes>` suffix and a Job name may have 63."""
    spec = as_dict(obj.get("spec"))
    errs = []
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
    name = as_dict(obj.get("metadata")).get("name") or ""
    if len(name) > 52:
        errs.append(fe.invalid("metadata.name", name, "must be no more than 52 characters"))
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
