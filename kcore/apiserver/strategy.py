"""Per-kind storage rules: where an object lives in etcd and what the server owns in it.

The REST strategies of kube-apiserver, reduced to data and small functions: the etcd key
prefix, which kinds count `metadata.generation`, what status a new object starts with, which
fields may be used in a field selector, and how a status-subresource write differs from a
main-resource write."""
from __future__ import annotations

from kcore.machinery.objects import clone

# etcd prefixes that differ from /registry/<plural> (control-plane-fidelity.md §6)
KEY_PREFIX = {
    "nodes": "/registry/minions",
    "services": "/registry/services/specs",
    "endpoints": "/registry/services/endpoints",
    "ingresses": "/registry/ingress",
    "replicationcontrollers": "/registry/controllers",
}

GENERATION_KINDS = {
    "pods", "deployments", "replicasets", "replicationcontrollers", "daemonsets",
    "statefulsets", "jobs", "cronjobs", "networkpolicies", "ingresses",
    "poddisruptionbudgets", "horizontalpodautoscalers", "persistentvolumeclaims",
}

# Kinds whose `status` belongs to the status subresource (main writes keep the old status).
STATUS_SUBRESOURCE = {
    "pods", "nodes", "deployments", "replicasets", "replicationcontrollers", "daemonsets",
    "statefulsets", "jobs", "cronjobs", "services", "namespaces", "persistentvolumes",
    "persistentvolumeclaims", "resourcequotas", "poddisruptionbudgets",
    "horizontalpodautoscalers", "certificatesigningrequests", "ingresses",
}

SCALABLE = {"deployments", "replicasets", "replicationcontrollers", "statefulsets"}

COMMON_FIELDS = ("metadata.name", "metadata.namespace")
FIELD_SELECTORS = {
    "pods": ("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
             "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP",
             "status.nominatedNodeName"),
    "events": ("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
               "involvedObject.uid", "involvedObject.apiVersion",
               "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
               "reportingComponent", "source", "type"),
    "nodes": ("spec.unschedulable",),
    "namespaces": ("status.phase",),
    "secrets": ("type",),
    "jobs": ("status.successful",),
    "replicasets": ("status.replicas",),
    "replicationcontrollers": ("status.replicas",),
    "certificatesigningrequests": ("spec.signerName",),
}


def key_prefix(rt) -> str:
    return rt.etcd_prefix or KEY_PREFIX.get(rt.plural, "/registry/" + rt.plural)


def object_key(rt, namespace: str, name: str) -> str:
    base = key_prefix(rt)
    return f"{base}/{namespace}/{name}" if rt.namespaced else f"{base}/{name}"


def list_prefix(rt, namespace: str | None) -> str:
    base = key_prefix(rt)
    if rt.namespaced and namespace:
        return f"{base}/{namespace}/"
    return base + "/"


def field_value(obj: dict, path: str) -> str:
    """The string a field selector compares (`spec.nodeName` -> "node01", missing -> "")."""
    if path == "source" and obj.get("kind") == "Event":
        return (obj.get("source") or {}).get("component", "")
    cur = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(part)
        if cur is None:
            return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


def supported_fields(rt) -> tuple[str, ...]:
    return COMMON_FIELDS + FIELD_SELECTORS.get(rt.plural, ())


def initial_status(rt, obj: dict) -> None:
    """What the registry sets on create (before any controller touches the object)."""
    kind = rt.plural
    if kind == "pods":
        st = obj.setdefault("status", {})
        st.setdefault("phase", "Pending")
        st["qosClass"] = qos_class(obj)
    elif kind == "namespaces":
        obj["status"] = {"phase": "Active"}
    elif kind == "services":
        obj.setdefault("status", {}).setdefault("loadBalancer", {})
    elif kind == "persistentvolumeclaims":
        obj.setdefault("status", {}).setdefault("phase", "Pending")
    elif kind == "persistentvolumes":
        obj.setdefault("status", {}).setdefault("phase", "Pending")
    elif kind in ("deployments", "replicasets", "daemonsets", "statefulsets", "jobs",
                  "cronjobs", "replicationcontrollers", "horizontalpodautoscalers",
                  "poddisruptionbudgets", "certificatesigningrequests", "nodes",
                  "resourcequotas", "ingresses"):
        obj.setdefault("status", {})
        if kind == "replicasets" or kind == "replicationcontrollers":
            obj["status"].setdefault("replicas", 0)
        if kind == "statefulsets":
            obj["status"].setdefault("replicas", 0)
            obj["status"].setdefault("availableReplicas", 0)
        if kind == "daemonsets":
            for f in ("currentNumberScheduled", "desiredNumberScheduled", "numberMisscheduled",
                      "numberReady"):
                obj["status"].setdefault(f, 0)


def _requests_limits(obj: dict):
    for c in (obj.get("spec") or {}).get("containers") or []:
        res = c.get("resources") or {}
        yield res.get("requests") or {}, res.get("limits") or {}


def qos_class(pod: dict) -> str:
    """Guaranteed / Burstable / BestEffort from the containers' requests and limits."""
    containers = list(_requests_limits(pod))
    for c in (pod.get("spec") or {}).get("initContainers") or []:
        res = c.get("resources") or {}
        containers.append((res.get("requests") or {}, res.get("limits") or {}))
    any_set = False
    guaranteed = True
    for req, lim in containers:
        r = {k: v for k, v in req.items() if k in ("cpu", "memory")}
        l = {k: v for k, v in lim.items() if k in ("cpu", "memory")}
        if r or l:
            any_set = True
        if set(l) != {"cpu", "memory"}:
            guaranteed = False
        for k, v in r.items():
            if k not in l or str(l[k]) != str(v):
                if not _same_quantity(l.get(k), v):
                    guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def _same_quantity(a, b) -> bool:
    if a is None:
        return False
    try:
        from kcore.machinery import quantity
        return quantity.parse(str(a)) == quantity.parse(str(b))
    except Exception:
        return str(a) == str(b)


def spec_changed(rt, old: dict, new: dict) -> bool:
    """Does an update bump metadata.generation? Everything but metadata and status counts."""
    for k in set(old) | set(new):
        if k in ("metadata", "status", "apiVersion", "kind"):
            continue
        if old.get(k) != new.get(k):
            return True
    if rt.plural in ("deployments", "replicasets", "daemonsets", "statefulsets") and \
            (old.get("metadata", {}).get("deletionTimestamp") != new.get("metadata", {}).get("deletionTimestamp")):
        return True
    return False


def prepare_update(rt, old: dict, new: dict, subresource: str | None) -> dict:
    """Keep the parts of `old` that this kind of write may not change."""
    if subresource == "status":
        merged = old  # freshly decoded from the store: ours to change
        merged["status"] = new.get("status", {})
        # labels/annotations may not change through status, like the real strategies
        merged["metadata"]["resourceVersion"] = new.get("metadata", {}).get("resourceVersion")
        return merged
    if rt.plural in STATUS_SUBRESOURCE and subresource is None:
        new = dict(new)
        if "status" in old:
            new["status"] = old["status"]
        else:
            new.pop("status", None)
    return new


def prepare_create(rt, obj: dict) -> None:
    """Server-generated fields that need the object's UID (Job's controller-uid selector)."""
    if rt.plural == "jobs":
        spec = obj.setdefault("spec", {})
        if spec.get("manualSelector"):
            return
        uid = obj["metadata"]["uid"]
        name = obj["metadata"]["name"]
        spec["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
        tmd = spec.setdefault("template", {}).setdefault("metadata", {})
        labels = tmd.setdefault("labels", {})
        labels.update({"batch.kubernetes.io/controller-uid": uid,
                       "batch.kubernetes.io/job-name": name, "controller-uid": uid,
                       "job-name": name})
