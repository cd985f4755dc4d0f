"""Describers for the controllers: Deployment, ReplicaSet, ReplicationController, DaemonSet,
StatefulSet, Job and CronJob. Each prints its own header, then the shared Pod Template block.

`related["pods"]` (pods the controller may own) feeds the `Pods Status` line; for a
Deployment `related["replicasets"]` lists the ReplicaSets it owns (or pass
`new_replicaset` / `old_replicasets` directly)."""
from __future__ import annotations

from .common import g, selector_string, format_selector, format_labels, human_duration, parse_time
from .describe_writer import (Writer, labels_multiline, annotations_multiline, describe_events,
                              time_or_zero, controller_of)
from .describe_pod import describe_pod_template

__all__ = ["describe_deployment", "describe_replicaset", "describe_replicationcontroller",
           "describe_daemonset", "describe_statefulset", "describe_job", "describe_cronjob",
           "split_replicasets"]


def _header(w, obj, *, namespace=True):
    w.write(0, f"Name:\t{g(obj, 'metadata', 'name', default='')}\n")
    if namespace:
        w.write(0, f"Namespace:\t{g(obj, 'metadata', 'namespace', default='')}\n")


def _pod_counts(obj, pods) -> tuple[int, int, int, int]:
    uid = g(obj, "metadata", "uid")
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in pods or []:
        owner = next((o for o in g(pod, "metadata", "ownerReferences", default=[]) if o.get("controller")), None)
        if owner is None or (uid is not None and owner.get("uid") != uid) or \
                (uid is None and owner.get("name") != g(obj, "metadata", "name")):
            continue
        phase = g(pod, "status", "phase")
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def _pods_status(obj, related) -> str:
    running, waiting, succeeded, failed = _pod_counts(obj, (related or {}).get("pods"))
    return f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed"


def _conditions(w, obj):
    conditions = g(obj, "status", "conditions", default=[])
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n")


def _template_without_hash(template):
    import copy
    t = copy.deepcopy(template or {})
    (t.get("metadata") or {}).get("labels", {}).pop("pod-template-hash", None)
    return t


def split_replicasets(deployment, replicasets):
    """(old, new): the owned ReplicaSet whose template equals the deployment's is new."""
    uid = g(deployment, "metadata", "uid")
    owned = []
    for rs in replicasets or []:
        refs = g(rs, "metadata", "ownerReferences", default=[])
        if any(r.get("controller") and (r.get("uid") == uid if uid else
                                        r.get("name") == g(deployment, "metadata", "name"))
               for r in refs):
            owned.append(rs)
    want = _template_without_hash(g(deployment, "spec", "template"))
    new = None
    for rs in sorted(owned, key=lambda r: g(r, "metadata", "creationTimestamp", default="")):
        if _template_without_hash(g(rs, "spec", "template")) == want:
            new = rs
            break
    old = sorted((rs for rs in owned if rs is not new),
                 key=lambda r: g(r, "metadata", "creationTimestamp", default=""))
    return old, new


def _rs_list(replicasets) -> str:
    text = ", ".join(f"{g(rs, 'metadata', 'name', default='')} ({g(rs, 'status', 'replicas', default=0)}/"
                     f"{g(rs, 'spec', 'replicas', default=1)} replicas created)" for rs in replicasets)
    return text or "<none>"


def describe_deployment(d: dict, events, now: float, related=None) -> str:
    related = related or {}
    spec, status, meta = d.get("spec") or {}, d.get("status") or {}, d.get("metadata") or {}
    w = Writer()
    _header(w, d)
    w.write(0, f"CreationTimestamp:\t{time_or_zero(meta.get('creationTimestamp'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    w.write(0, f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('updatedReplicas', 0)} updated | "
               f"{status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available | "
               f"{status.get('unavailableReplicas', 0)} unavailable\n")
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{strategy.get('type', 'RollingUpdate')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        w.write(0, f"RollingUpdateStrategy:\t{rolling.get('maxUnavailable', '25%')} max unavailable, "
                   f"{rolling.get('maxSurge', '25%')} max surge\n")
    describe_pod_template(w, spec.get("template"))
    _conditions(w, d)
    if "new_replicaset" in related or "old_replicasets" in related:
        old, new = related.get("old_replicasets") or [], related.get("new_replicaset")
    else:
        old, new = split_replicasets(d, related.get("replicasets"))
    if old or new is not None:
        w.write(0, f"OldReplicaSets:\t{_rs_list(old)}\n")
        w.write(0, f"NewReplicaSet:\t{_rs_list([new] if new is not None else [])}\n")
    describe_events(w, events, now)
    return w.render()


def describe_replicaset(rs: dict, events, now: float, related=None) -> str:
    spec, meta = rs.get("spec") or {}, rs.get("metadata") or {}
    w = Writer()
    _header(w, rs)
    w.write(0, f"Selector:\t{format_selector(spec.get('selector'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    if controller_of(rs):
        w.write(0, f"Controlled By:\t{controller_of(rs)}\n")
    w.write(0, f"Replicas:\t{g(rs, 'status', 'replicas', default=0)} current / {spec.get('replicas', 1)} desired\n")
    w.write(0, "Pods Status:\t")
    w.write(0, _pods_status(rs, related) + "\n")
    describe_pod_template(w, spec.get("template"))
    _conditions(w, rs)
    describe_events(w, events, now)
    return w.render()


def describe_replicationcontroller(rc: dict, events, now: float, related=None) -> str:
    spec, meta = rc.get("spec") or {}, rc.get("metadata") or {}
    w = Writer()
    _header(w, rc)
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Replicas:\t{g(rc, 'status', 'replicas', default=0)} current / {spec.get('replicas', 1)} desired\n")
    w.write(0, f"Pods Status:\t{_pods_status(rc, related)}\n")
    describe_pod_template(w, spec.get("template"))
    _conditions(w, rc)
    describe_events(w, events, now)
    return w.render()


def describe_daemonset(ds: dict, events, now: float, related=None) -> str:
    spec, status, meta = ds.get("spec") or {}, ds.get("status") or {}, ds.get("metadata") or {}
    w = Writer()
    _header(w, ds)
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    w.write(0, f"Node-Selector:\t{format_labels(g(spec, 'template', 'spec', 'nodeSelector'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Desired Number of Nodes Scheduled: {status.get('desiredNumberScheduled', 0)}\n")
    w.write(0, f"Current Number of Nodes Scheduled: {status.get('currentNumberScheduled', 0)}\n")
    w.write(0, f"Number of Nodes Scheduled with Up-to-date Pods: {status.get('updatedNumberScheduled', 0)}\n")
    w.write(0, f"Number of Nodes Scheduled with Available Pods: {status.get('numberAvailable', 0)}\n")
    w.write(0, f"Number of Nodes Misscheduled: {status.get('numberMisscheduled', 0)}\n")
    w.write(0, f"Pods Status:\t{_pods_status(ds, related)}\n")
    describe_pod_template(w, spec.get("template"))
    describe_events(w, events, now)
    return w.render()


def describe_statefulset(sts: dict, events, now: float, related=None) -> str:
    spec, status, meta = sts.get("spec") or {}, sts.get("status") or {}, sts.get("metadata") or {}
    w = Writer()
    _header(w, sts)
    w.write(0, f"CreationTimestamp:\t{time_or_zero(meta.get('creationTimestamp'))}\n")
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('replicas', 0)} total\n")
    strategy = spec.get("updateStrategy") or {}
    w.write(0, f"Update Strategy:\t{strategy.get('type', 'RollingUpdate')}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling and rolling.get("partition") is not None:
        w.write(1, f"Partition:\t{rolling['partition']}\n")
        if rolling.get("maxUnavailable") is not None:
            w.write(1, f"MaxUnavailable:\t{rolling['maxUnavailable']}\n")
    w.write(0, f"Pods Status:\t{_pods_status(sts, related)}\n")
    describe_pod_template(w, spec.get("template"))
    claims = spec.get("volumeClaimTemplates") or []
    if not claims:
        w.write(0, "Volume Claims:\t<none>\n")
    else:
        w.write(0, "Volume Claims:\n")
        for pvc in claims:
            pmeta, pspec = pvc.get("metadata") or {}, pvc.get("spec") or {}
            w.write(1, f"Name:\t{pmeta.get('name', '')}\n")
            w.write(1, f"StorageClass:\t{pspec.get('storageClassName', '')}\n")
            labels_multiline(w, "Labels", pmeta.get("labels"), "  ")
            labels_multiline(w, "Annotations", pmeta.get("annotations"), "  ")
            capacity = g(pspec, "resources", "requests", "storage")
            from .common import quantity_str
            w.write(1, f"Capacity:\t{quantity_str(capacity) if capacity is not None else '<default>'}\n")
            w.write(1, f"Access Modes:\t[{' '.join(pspec.get('accessModes') or [])}]\n")
    describe_events(w, events, now)
    return w.render()


def describe_job(job: dict, events, now: float, related=None) -> str:
    spec, status, meta = job.get("spec") or {}, job.get("status") or {}, job.get("metadata") or {}
    w = Writer()
    _header(w, job)
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    if controller_of(job):
        w.write(0, f"Controlled By:\t{controller_of(job)}\n")
    if spec.get("parallelism") is not None:
        w.write(0, f"Parallelism:\t{spec['parallelism']}\n")
    w.write(0, f"Completions:\t{spec['completions'] if spec.get('completions') is not None else '<unset>'}\n")
    if spec.get("completionMode"):
        w.write(0, f"Completion Mode:\t{spec['completionMode']}\n")
    if spec.get("suspend") is not None:
        w.write(0, f"Suspend:\t{'true' if spec['suspend'] else 'false'}\n")
    if spec.get("backoffLimit") is not None:
        w.write(0, f"Backoff Limit:\t{spec['backoffLimit']}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{time_or_zero(status['startTime'])}\n")
    if status.get("completionTime"):
        w.write(0, f"Completed At:\t{time_or_zero(status['completionTime'])}\n")
    if status.get("startTime") and status.get("completionTime"):
        took = parse_time(status["completionTime"]) - parse_time(status["startTime"])
        w.write(0, f"Duration:\t{human_duration(took)}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    active, succeeded, failed = status.get("active", 0), status.get("succeeded", 0), status.get("failed", 0)
    if status.get("ready") is None:
        w.write(0, f"Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n")
    else:
        w.write(0, f"Pods Statuses:\t{active} Active ({status['ready']} Ready) / {succeeded} Succeeded / {failed} Failed\n")
    if spec.get("completionMode") == "Indexed":
        w.write(0, f"Completed Indexes:\t{status.get('completedIndexes') or '<none>'}\n")
    describe_pod_template(w, spec.get("template"))
    describe_events(w, events, now)
    return w.render()


def describe_cronjob(cj: dict, events, now: float, related=None) -> str:
    spec, status, meta = cj.get("spec") or {}, cj.get("status") or {}, cj.get("metadata") or {}
    w = Writer()
    _header(w, cj)
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Schedule:\t{spec.get('schedule', '')}\n")
    w.write(0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', 'Allow')}\n")
    suspend = spec.get("suspend")
    w.write(0, f"Suspend:\t{'<unset>' if suspend is None else ('True' if suspend else 'False')}\n")
    for title, key in (("Successful Job History Limit", "successfulJobsHistoryLimit"),
                       ("Failed Job History Limit", "failedJobsHistoryLimit")):
        w.write(0, f"{title}:\t{spec[key] if spec.get(key) is not None else '<unset>'}\n")
    deadline = spec.get("startingDeadlineSeconds")
    w.write(0, f"Starting Deadline Seconds:\t{f'{deadline}s' if deadline is not None else '<unset>'}\n")
    tmpl = g(spec, "jobTemplate", "spec", default={})
    if tmpl.get("selector") is not None:
        w.write(0, f"Selector:\t{selector_string(tmpl['selector'])}\n")
    else:
        w.write(0, "Selector:\t<unset>\n")
    for title, key in (("Parallelism", "parallelism"), ("Completions", "completions")):
        w.write(0, f"{title}:\t{tmpl[key] if tmpl.get(key) is not None else '<unset>'}\n")
    if tmpl.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{tmpl['activeDeadlineSeconds']}s\n")
    describe_pod_template(w, tmpl.get("template"))
    last = status.get("lastScheduleTime")
    w.write(0, f"Last Schedule Time:\t{time_or_zero(last) if last else '<unset>'}\n")
    active = status.get("active") or []
    w.write(0, "Active Jobs:\t")
    w.line(", ".join(a.get("name", "") for a in active) if active else "<none>")
    describe_events(w, events, now)
    return w.render()
