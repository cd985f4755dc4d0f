"""Describers for configuration, access, storage and policy objects, plus the generic one.

Namespace (with its quotas and limit ranges from `related`), ConfigMap, Secret (sizes, never
values), ServiceAccount, ResourceQuota, LimitRange, Role/ClusterRole (rules broken down and
compacted the way kubectl's rbac helpers do), RoleBinding/ClusterRoleBinding, PV, PVC,
StorageClass, PodDisruptionBudget, PriorityClass, HorizontalPodAutoscaler; any other kind
gets the generic describer (Name, Namespace, Labels, Annotations, then every field)."""
from __future__ import annotations

import base64
import re

from .common import g, format_labels, format_selector, quantity_str, since
from .columns_core import access_modes
from .describe_writer import (Writer, labels_multiline, annotations_multiline, describe_events,
                              time_or_zero)

__all__ = ["describe_namespace", "describe_configmap", "describe_secret", "describe_serviceaccount",
           "describe_resourcequota", "describe_limitrange", "describe_role", "describe_rolebinding",
           "describe_pv", "describe_pvc", "describe_storageclass", "describe_pdb",
           "describe_priorityclass", "describe_hpa", "describe_generic", "compact_rules"]


def _name_ns(w, obj, namespace=True):
    w.write(0, f"Name:\t{g(obj, 'metadata', 'name', default='')}\n")
    if namespace:
        w.write(0, f"Namespace:\t{g(obj, 'metadata', 'namespace', default='')}\n")


def _meta(w, obj):
    labels_multiline(w, "Labels", g(obj, "metadata", "labels"))
    annotations_multiline(w, "Annotations", g(obj, "metadata", "annotations"))


def _b64len(value) -> int:
    try:
        return len(base64.b64decode(value or "", validate=False))
    except (ValueError, TypeError):
        return len(value or "")


# ------------------------------------------------------------------ quotas and limits

SCOPE_HELP = {
    "Terminating": "Matches all pods that have an active deadline. These pods have a limited lifespan on a "
                   "node before being actively terminated by the system.",
    "NotTerminating": "Matches all pods that do not have an active deadline. These pods usually include long "
                      "running pods whose container command is not expected to terminate.",
    "BestEffort": "Matches all pods that do not have resource requirements set. These pods have a best effort "
                  "quality of service.",
    "NotBestEffort": "Matches all pods that have at least one resource requirement set. These pods have a "
                     "burstable or guaranteed quality of service.",
}


def _scopes(w, quota, level, bullet):
    scopes = sorted(g(quota, "spec", "scopes", default=[]))
    if scopes:
        w.write(level, f"Scopes:\t{', '.join(scopes)}\n")
        for scope in scopes:
            if scope in SCOPE_HELP:
                w.write(level, f"{bullet}{SCOPE_HELP[scope]}\n")

def _quota_rows(w, quota, level):
    hard = g(quota, "status", "hard", default={})
    used = g(quota, "status", "used", default={})
    for name in sorted(hard):
        w.write(level, f"{name}\t{quantity_str(used.get(name))}\t{quantity_str(hard[name])}\n")


def _limit_rows(w, limit_range, prefix):
    for item in g(limit_range, "spec", "limits", default=[]):
        columns = [item.get(k) or {} for k in ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")]
        names = sorted(set().union(*[set(c) for c in columns]))
        for name in names:
            cells = [quantity_str(c[name]) if name in c else "-" for c in columns]
            w.write(0, f"{prefix}{item.get('type', '')}\t{name}\t" + "\t".join(cells) + "\n")


def describe_namespace(ns: dict, events, now: float, related=None) -> str:
    related = related or {}
    w = Writer()
    _name_ns(w, ns, namespace=False)
    _meta(w, ns)
    w.write(0, f"Status:\t{g(ns, 'status', 'phase', default='')}\n")
    conditions = g(ns, "status", "conditions", default=[])
    if conditions:
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')}\t{c.get('status', '')}\t{time_or_zero(c.get('lastTransitionTime'))}\t"
                       f"{c.get('reason', '')}\t{c.get('message', '')}\n")
    quotas = related.get("resourcequotas")
    if quotas is not None:
        w.write(0, "\n")
        if not quotas:
            w.write(0, "No resource quota.\n")
        else:
            w.write(0, "Resource Quotas\n")
            for q in sorted(quotas, key=lambda q: g(q, "metadata", "name", default="")):
                w.write(1, f"Name:\t{g(q, 'metadata', 'name', default='')}\n")
                _scopes(w, q, 1, "* ")
                w.write(1, "Resource\tUsed\tHard\n")
                w.write(1, "--------\t---\t---\n")
                _quota_rows(w, q, 1)
    limits = related.get("limitranges")
    if limits is not None:
        w.write(0, "\n")
        if not limits:
            w.write(0, "No LimitRange resource.\n")
        else:
            w.write(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
            w.write(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
            for lr in limits:
                _limit_rows(w, lr, " ")
    return w.render()


def describe_resourcequota(rq: dict, events, now: float, related=None) -> str:
    w = Writer()
    _name_ns(w, rq)
    _scopes(w, rq, 0, " * ")
    w.write(0, "Resource\tUsed\tHard\n")
    w.write(0, "--------\t----\t----\n")
    _quota_rows(w, rq, 0)
    return w.render()


def describe_limitrange(lr: dict, events, now: float, related=None) -> str:
    w = Writer()
    _name_ns(w, lr)
    w.write(0, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
    w.write(0, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
    _limit_rows(w, lr, "")
    return w.render()


# ------------------------------------------------------------------ config and identity

def describe_configmap(cm: dict, events, now: float, related=None) -> str:
    w = Writer()
    _name_ns(w, cm)
    _meta(w, cm)
    w.write(0, "\nData\n====\n")
    data = cm.get("data") or {}
    for key in sorted(data):
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{data[key]}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    binary = cm.get("binaryData") or {}
    for key in sorted(binary):
        w.write(0, f"{key}: {_b64len(binary[key])} bytes\n")
    w.write(0, "\n")
    describe_events(w, events, now)
    return w.render()


def describe_secret(secret: dict, events, now: float, related=None) -> str:
    w = Writer()
    _name_ns(w, secret)
    _meta(w, secret)
    w.write(0, f"\nType:\t{secret.get('type', '')}\n")
    w.write(0, "\nData\n====\n")
    data = secret.get("data") or {}
    for key in sorted(data):
        if key == "token" and secret.get("type") == "kubernetes.io/service-account-token":
            w.write(0, f"{key}:\t{base64.b64decode(data[key] or '').decode('utf-8', 'replace')}\n")
        else:
            w.write(0, f"{key}:\t{_b64len(data[key])} bytes\n")
    return w.render()


def describe_serviceaccount(sa: dict, events, now: float, related=None) -> str:
    related = related or {}
    w = Writer()
    _name_ns(w, sa)
    _meta(w, sa)
    secrets = related.get("secrets")
    existing = None if secrets is None else {g(s, "metadata", "name") for s in secrets}
    tokens = [g(s, "metadata", "name", default="") for s in secrets or []
              if s.get("type") == "kubernetes.io/service-account-token"
              and g(s, "metadata", "annotations", "kubernetes.io/service-account.name") == g(sa, "metadata", "name")]
    groups = {
        "Image pull secrets:": [s.get("name", "") for s in sa.get("imagePullSecrets") or []],
        "Mountable secrets: ": [s.get("name", "") for s in sa.get("secrets") or []],
        "Tokens:            ": tokens,
    }
    for header in sorted(groups):
        names = groups[header]
        if not names:
            if header == "Image pull secrets:":  # v1.35 drops the other two lines when empty
                w.write(0, f"{header}\t<none>\n")
            continue
        prefix = header
        for name in names:
            missing = existing is not None and header != "Tokens:            " and name not in existing
            w.write(0, f"{prefix}\t{name}{' (not found)' if missing else ''}\n")
            prefix = "                   "
    describe_events(w, events, now)
    return w.render()


# ------------------------------------------------------------------ rbac

def _rule_string(rule) -> str:
    def v(key):
        return "[" + " ".join(rule.get(key) or []) + "]"
    return (f"&PolicyRule{{Verbs:{v('verbs')},APIGroups:{v('apiGroups')},Resources:{v('resources')},"
            f"ResourceNames:{v('resourceNames')},NonResourceURLs:{v('nonResourceURLs')},}}")


def compact_rules(rules) -> list[dict]:
    """rbac.BreakdownRule + CompactRules + SortableRuleSlice, as `describe role` shows rules."""
    broken = []
    for rule in rules or []:
        for group in rule.get("apiGroups") or []:
            for resource in rule.get("resources") or []:
                for verb in rule.get("verbs") or []:
                    names = rule.get("resourceNames") or []
                    for name in names or [None]:
                        sub = {"apiGroups": [group], "resources": [resource], "verbs": [verb]}
                        if name is not None:
                            sub["resourceNames"] = [name]
                        broken.append(sub)
        for url in rule.get("nonResourceURLs") or []:
            for verb in rule.get("verbs") or []:
                broken.append({"nonResourceURLs": [url], "verbs": [verb]})
    compacted, simple = [], {}
    for rule in broken:
        if rule.get("nonResourceURLs"):
            compacted.append(rule)
            continue
        key = (rule["apiGroups"][0], rule["resources"][0], tuple(rule.get("resourceNames") or ()))
        if key in simple:
            simple[key]["verbs"].extend(rule["verbs"])
        else:
            simple[key] = {k: list(v) for k, v in rule.items()}
    compacted.extend(simple.values())
    return sorted(compacted, key=_rule_string)


def _resource_group(rule) -> str:
    resources, groups = rule.get("resources") or [], rule.get("apiGroups") or []
    if not resources:
        return ""
    base, _, sub = resources[0].partition("/")
    if groups and groups[0]:
        base += "." + groups[0]
    return base + ("/" + sub if sub else "")


def describe_role(role: dict, events, now: float, related=None) -> str:
    w = Writer()
    _name_ns(w, role, namespace=False)
    _meta(w, role)
    w.write(0, "PolicyRule:\n")
    w.write(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n")
    w.write(1, "---------\t-----------------\t--------------\t-----\n")
    for rule in compact_rules(role.get("rules")):
        def v(key):
            return "[" + " ".join(rule.get(key) or []) + "]"
        w.write(1, f"{_resource_group(rule)}\t{v('nonResourceURLs')}\t{v('resourceNames')}\t{v('verbs')}\n")
    return w.render()


def describe_rolebinding(rb: dict, events, now: float, related=None) -> str:
    w = Writer()
    _name_ns(w, rb, namespace=False)
    _meta(w, rb)
    ref = rb.get("roleRef") or {}
    w.write(0, "Role:\n")
    w.write(1, f"Kind:\t{ref.get('kind', '')}\n")
    w.write(1, f"Name:\t{ref.get('name', '')}\n")
    w.write(0, "Subjects:\n")
    w.write(1, "Kind\tName\tNamespace\n")
    w.write(1, "----\t----\t---------\n")
    for s in rb.get("subjects") or []:
        w.write(1, f"{s.get('kind', '')}\t{s.get('name', '')}\t{s.get('namespace', '')}\n")
    return w.render()


# ------------------------------------------------------------------ storage

def _pv_source(w, spec):
    if spec.get("hostPath") is not None:
        hp = spec["hostPath"]
        w.write(2, "Type:\tHostPath (bare host directory volume)\n"
                   f"    Path:\t{hp.get('path', '')}\n    HostPathType:\t{'<none>' if hp.get('type') is None else hp['type']}\n")
    elif spec.get("nfs") is not None:
        nfs = spec["nfs"]
        w.write(2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"
                   f"    Server:\t{nfs.get('server', '')}\n    Path:\t{nfs.get('path', '')}\n"
                   f"    ReadOnly:\t{'true' if nfs.get('readOnly') else 'false'}\n")
    elif spec.get("local") is not None:
        w.write(2, "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n"
                   f"    Path:\t{spec['local'].get('path', '')}\n")
    elif spec.get("csi") is not None:
        csi = spec["csi"]
        w.write(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
                   f"    Driver:\t{csi.get('driver', '')}\n    FSType:\t{csi.get('fsType', '')}\n"
                   f"    VolumeHandle:\t{csi.get('volumeHandle', '')}\n"
                   f"    ReadOnly:\t{'true' if csi.get('readOnly') else 'false'}\n")
        labels_multiline(w, "VolumeAttributes", csi.get("volumeAttributes"), "    ")
    else:
        w.write(1, "<unknown>\n")


def _node_affinity(w, affinity):
    w.write(0, "Node Affinity:\t")
    required = (affinity or {}).get("required")
    if required is None:
        w.line("<none>")
        return
    w.line("")
    w.write(1, "Required Terms:\t")
    terms = required.get("nodeSelectorTerms") or []
    if not terms:
        w.line("<none>")
        return
    w.line("")
    for i, term in enumerate(terms):
        w.write(2, f"Term {i}:\t")
        exprs = term.get("matchExpressions") or []
        if not exprs:
            w.line("<none>")
            continue
        for j, req in enumerate(exprs):
            if j:
                w.write(2, "\t")
            text = f"{req.get('key', '')} {req.get('operator', '').lower()}"
            if req.get("values"):
                text += f" [{', '.join(req['values'])}]"
            w.write(0, text + "\n")


def _go_list(items) -> str:
    return "[" + " ".join(items or []) + "]"


def describe_pv(pv: dict, events, now: float, related=None) -> str:
    meta, spec = pv.get("metadata") or {}, pv.get("spec") or {}
    w = Writer()
    _name_ns(w, pv, namespace=False)
    _meta(w, pv)
    w.write(0, f"Finalizers:\t{_go_list(meta.get('finalizers'))}\n")
    storage_class = spec.get("storageClassName") or g(
        meta, "annotations", "volume.beta.kubernetes.io/storage-class", default="")
    w.write(0, f"StorageClass:\t{storage_class}\n")
    if meta.get("deletionTimestamp"):
        w.write(0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], now)})\n")
    else:
        w.write(0, f"Status:\t{g(pv, 'status', 'phase', default='')}\n")
    claim = spec.get("claimRef")
    w.write(0, f"Claim:\t{claim.get('namespace', '') + '/' + claim.get('name', '') if claim else ''}\n")
    w.write(0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}\n")
    w.write(0, f"Access Modes:\t{access_modes(spec.get('accessModes'))}\n")
    if spec.get("volumeMode"):
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    w.write(0, f"Capacity:\t{quantity_str(g(spec, 'capacity', 'storage'))}\n")
    _node_affinity(w, spec.get("nodeAffinity"))
    w.write(0, f"Message:\t{g(pv, 'status', 'message', default='')}\n")
    w.write(0, "Source:\n")
    _pv_source(w, spec)
    describe_events(w, events, now)
    return w.render()


def describe_pvc(pvc: dict, events, now: float, related=None) -> str:
    related = related or {}
    meta, spec, status = pvc.get("metadata") or {}, pvc.get("spec") or {}, pvc.get("status") or {}
    w = Writer()
    _name_ns(w, pvc)
    storage_class = spec.get("storageClassName")
    if storage_class is None:
        storage_class = g(meta, "annotations", "volume.beta.kubernetes.io/storage-class", default="")
    w.write(0, f"StorageClass:\t{storage_class}\n")
    if meta.get("deletionTimestamp"):
        w.write(0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], now)})\n")
    else:
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
    w.write(0, f"Volume:\t{spec.get('volumeName', '')}\n")
    _meta(w, pvc)
    w.write(0, f"Finalizers:\t{_go_list(meta.get('finalizers'))}\n")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes(status.get("accessModes"))
        capacity = quantity_str(g(status, "capacity", "storage"))
    w.write(0, f"Capacity:\t{capacity}\n")
    w.write(0, f"Access Modes:\t{modes}\n")
    if spec.get("volumeMode"):
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    if spec.get("dataSource"):
        ds = spec["dataSource"]
        w.write(0, "DataSource:\n")
        if ds.get("apiGroup") is not None:
            w.write(1, f"APIGroup:\t{ds['apiGroup']}\n")
        w.write(1, f"Kind:\t{ds.get('kind', '')}\n")
        w.write(1, f"Name:\t{ds.get('name', '')}\n")
    claim = meta.get("name")
    users = sorted(g(p, "metadata", "name", default="") for p in related.get("pods") or []
                   if any(g(v, "persistentVolumeClaim", "claimName") == claim for v in g(p, "spec", "volumes", default=[])))
    w.write(0, "Used By:\t")
    if not users:
        w.line("<none>")
    for i, name in enumerate(users):
        if i:
            w.write(0, "\t")
        w.write(0, f"{name}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \t{time_or_zero(c.get('lastProbeTime'))} \t"
                       f"{time_or_zero(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}\n")
    describe_events(w, events, now)
    return w.render()


def describe_storageclass(sc: dict, events, now: float, related=None) -> str:
    meta = sc.get("metadata") or {}
    annotations = meta.get("annotations") or {}
    default = "true" in (annotations.get("storageclass.kubernetes.io/is-default-class"),
                         annotations.get("storageclass.beta.kubernetes.io/is-default-class"))
    w = Writer()
    _name_ns(w, sc, namespace=False)
    w.write(0, f"IsDefaultClass:\t{'Yes' if default else 'No'}\n")
    w.write(0, f"Annotations:\t{format_labels(annotations)}\n")
    w.write(0, f"Provisioner:\t{sc.get('provisioner', '')}\n")
    w.write(0, f"Parameters:\t{format_labels(sc.get('parameters'))}\n")
    expand = sc.get("allowVolumeExpansion")
    w.write(0, f"AllowVolumeExpansion:\t{'<unset>' if expand is None else ('True' if expand else 'False')}\n")
    options = sc.get("mountOptions") or []
    if not options:
        w.write(0, "MountOptions:\t<none>\n")
    else:
        w.write(0, "MountOptions:\n")
        for option in options:
            w.write(1, f"{option}\n")
    if sc.get("reclaimPolicy"):
        w.write(0, f"ReclaimPolicy:\t{sc['reclaimPolicy']}\n")
    if sc.get("volumeBindingMode"):
        w.write(0, f"VolumeBindingMode:\t{sc['volumeBindingMode']}\n")
    describe_events(w, events, now)
    return w.render()


# ------------------------------------------------------------------ policy and scheduling

def describe_pdb(pdb: dict, events, now: float, related=None) -> str:
    spec, status = pdb.get("spec") or {}, pdb.get("status") or {}
    w = Writer()
    _name_ns(w, pdb)
    if spec.get("minAvailable") is not None:
        w.write(0, f"Min available:\t{spec['minAvailable']}\n")
    elif spec.get("maxUnavailable") is not None:
        w.write(0, f"Max unavailable:\t{spec['maxUnavailable']}\n")
    if spec.get("selector") is not None:
        w.write(0, f"Selector:\t{format_selector(spec['selector'])}\n")
    else:
        w.write(0, "Selector:\t<unset>\n")
    w.write(0, "Status:\n")
    w.write(2, f"Allowed disruptions:\t{status.get('disruptionsAllowed', 0)}\n")
    w.write(2, f"Current:\t{status.get('currentHealthy', 0)}\n")
    w.write(2, f"Desired:\t{status.get('desiredHealthy', 0)}\n")
    w.write(2, f"Total:\t{status.get('expectedPods', 0)}\n")
    describe_events(w, events, now)
    return w.render()


def describe_priorityclass(pc: dict, events, now: float, related=None) -> str:
    w = Writer()
    _name_ns(w, pc, namespace=False)
    w.write(0, f"Value:\t{pc.get('value', 0)}\n")
    w.write(0, f"GlobalDefault:\t{'true' if pc.get('globalDefault') else 'false'}\n")
    w.write(0, f"PreemptionPolicy:\t{pc.get('preemptionPolicy', 'PreemptLowerPriority')}\n")
    w.write(0, f"Description:\t{pc.get('description', '')}\n")
    w.write(0, f"Annotations:\t{format_labels(g(pc, 'metadata', 'annotations'))}\n")
    describe_events(w, events, now)
    return w.render()


def describe_hpa(hpa: dict, events, now: float, related=None) -> str:
    spec, status = hpa.get("spec") or {}, hpa.get("status") or {}
    ref = spec.get("scaleTargetRef") or {}
    w = Writer()
    _name_ns(w, hpa)
    _meta(w, hpa)
    w.write(0, f"CreationTimestamp:\t{time_or_zero(g(hpa, 'metadata', 'creationTimestamp'))}\n")
    w.write(0, f"Reference:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
    w.write(0, "Metrics:\t( current / target )\n")
    current_metrics = status.get("currentMetrics") or []
    for i, metric in enumerate(spec.get("metrics") or []):
        cur = current_metrics[i] if i < len(current_metrics) else {}
        if metric.get("type") == "Resource":
            res = metric.get("resource") or {}
            target = res.get("target") or {}
            w.write(1, f"resource {res.get('name', '')} on pods")
            if target.get("averageValue") is not None:
                value = g(cur, "resource", "current", "averageValue")
                w.write(0, f":\t{quantity_str(value) if value is not None else '<unknown>'} / "
                           f"{quantity_str(target['averageValue'])}\n")
            else:
                util = g(cur, "resource", "current", "averageUtilization")
                current = "<unknown>" if util is None else \
                    f"{util}% ({quantity_str(g(cur, 'resource', 'current', 'averageValue'))})"
                want = target.get("averageUtilization")
                w.write(1, f"(as a percentage of request):\t{current} / {'<auto>' if want is None else f'{want}%'}\n")
        else:
            w.write(1, f"<unknown metric type \"{metric.get('type', '')}\">\n")
    min_replicas = spec.get("minReplicas")
    w.write(0, f"Min replicas:\t{'<unset>' if min_replicas is None else min_replicas}\n")
    w.write(0, f"Max replicas:\t{spec.get('maxReplicas', 0)}\n")
    w.write(0, f"{ref.get('kind', '')} pods:\t")
    w.write(0, f"{status.get('currentReplicas', 0)} current / {status.get('desiredReplicas', 0)} desired\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tReason\tMessage\n")
        w.write(1, "----\t------\t------\t-------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')}\t{c.get('status', '')}\t{c.get('reason', '')}\t{c.get('message', '')}\n")
    describe_events(w, events, now)
    return w.render()


# ------------------------------------------------------------------ generic

_ACRONYMS = {"API", "URL", "UID", "OSB", "GUID"}


def _smart_label(field: str) -> str:
    if any(not (c.isalpha() or c == "-") for c in field):
        return field
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[A-Z]+|-+", field) or [field]
    out = []
    for part in parts:
        out.append(part.upper() if part.upper() in _ACRONYMS else part[:1].upper() + part[1:])
    return " ".join(out)


def _unstructured(w, level, content, skip_prefix, skip):
    from kcore.machinery.jsonpath.gofmt import fmt_v
    for field in sorted(content):
        value = content[field]
        path = f"{skip_prefix}.{field}"
        if path in skip:
            continue
        if isinstance(value, dict):
            w.write(level, f"{_smart_label(field)}:\n")
            _unstructured(w, level + 1, value, path, skip)
        elif isinstance(value, list):
            w.write(level, f"{_smart_label(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    _unstructured(w, level + 1, child, path, skip)
                else:
                    w.write(level + 1, f"{fmt_v(child)}\n")
        else:
            w.write(level, f"{_smart_label(field)}:\t{fmt_v(value)}\n")


def describe_generic(obj: dict, events, now: float, related=None) -> str:
    w = Writer()
    _name_ns(w, obj)
    _meta(w, obj)
    _unstructured(w, 0, obj, "", {".metadata.managedFields", ".metadata.name", ".metadata.namespace",
                                   ".metadata.labels", ".metadata.annotations"})
    describe_events(w, events, now)
    return w.render()
