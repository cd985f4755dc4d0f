"""API-server defaulting: the fields Kubernetes fills in before validation and storage.

apply(obj) mutates a plain-dict object in place, the way the versioned `SetDefaults_*`
functions of pkg/apis/*/v1/defaults.go do (kubectl-fidelity.md §6). Only absent (or null)
fields are filled, so applying twice changes nothing, and nothing here reads a clock or a
random source. What registries, allocators and admission plugins add (clusterIP, nodePort,
uid, timestamps, serviceAccountName, the Job controller-uid selector, tolerations) is not
defaulting and lives with them -- with one exception noted below: a bare Pod gets the
priority the Priority admission plugin gives a pod without a priorityClassName.

One function per kind, looked up in DEFAULTERS by (group, kind); pod templates nested in
workloads get the same pod-spec defaults as a Pod."""
from __future__ import annotations

import base64
from typing import Callable

__all__ = ["apply", "pod_spec", "container", "service", "DEFAULTERS", "image_pull_policy"]

FILE_MODE = 420  # 0644, the default mode of projected files


def _set(d: dict, key: str, value):
    """Fill d[key] when it is absent or null (a nil pointer in Go); return the value."""
    if d.get(key) is None:
        d[key] = value
    return d[key]


def _set_str(d: dict, key: str, value: str):
    """Fill a string field when it is absent, null or empty (Go's zero string)."""
    if not d.get(key):
        d[key] = value
    return d[key]


def _dict(d: dict, key: str) -> dict:
    """d[key], created empty when absent; a value of the wrong type is left alone (the object
    never decoded) and a throwaway dict is returned instead."""
    if d.get(key) is None:
        d[key] = {}
    value = d[key]
    return value if isinstance(value, dict) else {}


def _list(d, key: str) -> list:
    value = d.get(key) if isinstance(d, dict) else None
    return value if isinstance(value, list) else []


# ---------------------------------------------------------------- pods

def image_pull_policy(image: str) -> str:
    """Always for `:latest` or no tag at all; IfNotPresent for other tags and digests."""
    image = image or ""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.partition(":")[2] if ":" in last else ""
    if not tag and not digest:
        tag = "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _http_get(action: dict | None):
    if isinstance(action, dict):
        _set_str(action, "path", "/")
        _set_str(action, "scheme", "HTTP")


def _probe(probe: dict | None):
    if not isinstance(probe, dict):
        return
    _set(probe, "timeoutSeconds", 1)
    _set(probe, "periodSeconds", 10)
    _set(probe, "successThreshold", 1)
    _set(probe, "failureThreshold", 3)
    _http_get(probe.get("httpGet"))


def _field_ref(holder: dict | None):
    if isinstance(holder, dict) and isinstance(holder.get("fieldRef"), dict):
        _set_str(holder["fieldRef"], "apiVersion", "v1")


def container(c: dict) -> None:
    """SetDefaults_Container plus the nested ports, probes, lifecycle and env defaults."""
    if not isinstance(c, dict):
        return
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = image_pull_policy(c.get("image", ""))
    _set_str(c, "terminationMessagePath", "/dev/termination-log")
    _set_str(c, "terminationMessagePolicy", "File")
    resources = _dict(c, "resources")
    limits = resources.get("limits")
    if isinstance(limits, dict) and limits:
        requests = _dict(resources, "requests")
        for name, value in limits.items():
            requests.setdefault(name, value)
    for port in _list(c, "ports"):
        if isinstance(port, dict):
            _set_str(port, "protocol", "TCP")
    for key in ("livenessProbe", "readinessProbe", "startupProbe"):
        _probe(c.get(key))
    lifecycle = c.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), dict):
                _http_get(lifecycle[hook].get("httpGet"))
    for env in _list(c, "env"):
        if isinstance(env, dict):
            _field_ref(env.get("valueFrom"))


_VOLUME_SOURCES_WITH_MODE = ("secret", "configMap", "downwardAPI", "projected")


def _volume(v: dict) -> None:
    if not isinstance(v, dict):
        return
    if set(v) <= {"name"}:
        v["emptyDir"] = {}  # SetDefaults_Volume: no source means an emptyDir
    for source in _VOLUME_SOURCES_WITH_MODE:
        if isinstance(v.get(source), dict):
            _set(v[source], "defaultMode", FILE_MODE)
    if isinstance(v.get("hostPath"), dict):
        _set(v["hostPath"], "type", "")
    if isinstance(v.get("downwardAPI"), dict):
        for item in _list(v["downwardAPI"], "items"):
            _field_ref(item)
    if isinstance(v.get("projected"), dict):
        for source in _list(v["projected"], "sources"):
            if isinstance(source, dict) and isinstance(source.get("downwardAPI"), dict):
                for item in _list(source["downwardAPI"], "items"):
                    _field_ref(item)
            if isinstance(source, dict) and isinstance(source.get("serviceAccountToken"), dict):
                _set(source["serviceAccountToken"], "expirationSeconds", 3600)


def pod_spec(spec: dict) -> None:
    """SetDefaults_PodSpec and everything nested in it (containers, volumes)."""
    if not isinstance(spec, dict):
        return
    _set_str(spec, "dnsPolicy", "ClusterFirst")
    _set_str(spec, "restartPolicy", "Always")
    _set(spec, "terminationGracePeriodSeconds", 30)
    _set(spec, "securityContext", {})
    _set_str(spec, "schedulerName", "default-scheduler")
    _set(spec, "enableServiceLinks", True)
    for key in ("initContainers", "containers"):
        for c in _list(spec, key):
            container(c)
            if spec.get("hostNetwork") and isinstance(c, dict):
                for port in _list(c, "ports"):
                    if isinstance(port, dict) and not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort")
    for c in _list(spec, "ephemeralContainers"):
        container(c)
    for v in _list(spec, "volumes"):
        _volume(v)


def _template(holder: dict) -> None:
    template = holder.get("template")
    if isinstance(template, dict):
        pod_spec(template.get("spec"))


def pod(obj: dict) -> None:
    spec = obj.get("spec")
    pod_spec(spec)
    if isinstance(spec, dict) and not spec.get("priorityClassName"):
        # What the Priority admission plugin gives a pod when no PriorityClass is global default.
        _set(spec, "priority", 0)
        _set_str(spec, "preemptionPolicy", "PreemptLowerPriority")


def pod_template(obj: dict) -> None:
    _template(obj)


# ---------------------------------------------------------------- core

def _pvc_spec(spec: dict | None) -> None:
    if isinstance(spec, dict):
        _set_str(spec, "volumeMode", "Filesystem")


def persistent_volume_claim(obj: dict) -> None:
    _pvc_spec(_dict(obj, "spec"))
    _set_str(_dict(obj, "status"), "phase", "Pending")


def persistent_volume(obj: dict) -> None:
    spec = _dict(obj, "spec")
    _set_str(spec, "persistentVolumeReclaimPolicy", "Retain")
    _set_str(spec, "volumeMode", "Filesystem")
    if isinstance(spec.get("hostPath"), dict):
        _set(spec["hostPath"], "type", "")
    _set_str(_dict(obj, "status"), "phase", "Pending")


def service(obj: dict) -> None:
    """SetDefaults_Service plus the single-stack IP family the registry assigns."""
    spec = _dict(obj, "spec")
    svc_type = _set_str(spec, "type", "ClusterIP")
    affinity = _set_str(spec, "sessionAffinity", "None")
    if affinity == "ClientIP":
        config = _dict(spec, "sessionAffinityConfig")
        _set(_dict(config, "clientIP"), "timeoutSeconds", 10800)
    for port in _list(spec, "ports"):
        if not isinstance(port, dict):
            continue
        _set_str(port, "protocol", "TCP")
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port")
    if svc_type in ("NodePort", "LoadBalancer"):
        _set_str(spec, "externalTrafficPolicy", "Cluster")
    if svc_type == "LoadBalancer":
        _set(spec, "allocateLoadBalancerNodePorts", True)
    if svc_type != "ExternalName":
        _set_str(spec, "internalTrafficPolicy", "Cluster")
        _set_str(spec, "ipFamilyPolicy", "SingleStack")
        if not spec.get("ipFamilies"):
            spec["ipFamilies"] = ["IPv4"]


def namespace(obj: dict) -> None:
    name = (obj.get("metadata") or {}).get("name")
    if name:
        _dict(_dict(obj, "metadata"), "labels").setdefault("kubernetes.io/metadata.name", name)
    spec = _dict(obj, "spec")
    if not spec.get("finalizers"):
        spec["finalizers"] = ["kubernetes"]
    _set_str(_dict(obj, "status"), "phase", "Active")


def secret(obj: dict) -> None:
    """stringData is write-only: its values are merged into data (winning over equal keys)
    and the field dropped, as the v1 -> internal conversion does before anything is stored."""
    string_data = obj.get("stringData")
    if isinstance(string_data, dict):
        data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
        for key, value in string_data.items():
            if isinstance(value, str):
                data[key] = base64.b64encode(value.encode()).decode()
        obj["data"] = data
        del obj["stringData"]
    elif "stringData" in obj and string_data is None:
        del obj["stringData"]
    _set_str(obj, "type", "Opaque")


def node(obj: dict) -> None:
    status = obj.get("status")
    if isinstance(status, dict) and status.get("capacity") and status.get("allocatable") is None:
        status["allocatable"] = dict(status["capacity"])


def endpoints(obj: dict) -> None:
    for subset in _list(obj, "subsets"):
        if isinstance(subset, dict):
            for port in _list(subset, "ports"):
                if isinstance(port, dict):
                    _set_str(port, "protocol", "TCP")


def endpoint_slice(obj: dict) -> None:
    for port in _list(obj, "ports"):
        if isinstance(port, dict):
            _set_str(port, "protocol", "TCP")
            _set(port, "name", "")


def limit_range(obj: dict) -> None:
    """SetDefaults_LimitRangeItem: Container defaults fall back to max, requests to min/default."""
    for item in _list(obj.get("spec") or {}, "limits"):
        if not isinstance(item, dict) or item.get("type") != "Container":
            continue
        maximum, minimum = item.get("max") or {}, item.get("min") or {}
        default = item.get("default") or {}
        for name, value in maximum.items():
            default.setdefault(name, value)
        if default:
            item["default"] = default
        request = item.get("defaultRequest") or {}
        for name, value in default.items():
            request.setdefault(name, value)
        for name, value in minimum.items():
            request.setdefault(name, value)
        if request:
            item["defaultRequest"] = request


def replication_controller(obj: dict) -> None:
    spec = _dict(obj, "spec")
    _set(spec, "replicas", 1)
    template = spec.get("template")
    labels = ((template or {}).get("metadata") or {}).get("labels") if isinstance(template, dict) else None
    if labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        metadata = _dict(obj, "metadata")
        if not metadata.get("labels"):
            metadata["labels"] = dict(labels)
    _template(spec)


def _subjects(obj: dict) -> None:
    for subject in _list(obj, "subjects"):
        if isinstance(subject, dict) and "apiGroup" not in subject:
            kind = subject.get("kind")
            if kind in ("User", "Group"):
                subject["apiGroup"] = "rbac.authorization.k8s.io"
            # a ServiceAccount's default is "", which `omitempty` leaves out of the object


# ---------------------------------------------------------------- workloads

def deployment(obj: dict) -> None:
    spec = _dict(obj, "spec")
    _set(spec, "replicas", 1)
    strategy = _dict(spec, "strategy")
    if _set_str(strategy, "type", "RollingUpdate") == "RollingUpdate":
        rolling = _dict(strategy, "rollingUpdate")
        _set(rolling, "maxUnavailable", "25%")
        _set(rolling, "maxSurge", "25%")
    _set(spec, "revisionHistoryLimit", 10)
    _set(spec, "progressDeadlineSeconds", 600)
    _template(spec)


def replica_set(obj: dict) -> None:
    spec = _dict(obj, "spec")
    _set(spec, "replicas", 1)
    _template(spec)


def daemon_set(obj: dict) -> None:
    spec = _dict(obj, "spec")
    strategy = _dict(spec, "updateStrategy")
    if _set_str(strategy, "type", "RollingUpdate") == "RollingUpdate":
        rolling = _dict(strategy, "rollingUpdate")
        _set(rolling, "maxUnavailable", 1)
        _set(rolling, "maxSurge", 0)
    _set(spec, "revisionHistoryLimit", 10)
    _template(spec)


def stateful_set(obj: dict) -> None:
    spec = _dict(obj, "spec")
    _set_str(spec, "podManagementPolicy", "OrderedReady")
    strategy = _dict(spec, "updateStrategy")
    if _set_str(strategy, "type", "RollingUpdate") == "RollingUpdate":
        _set(_dict(strategy, "rollingUpdate"), "partition", 0)
    _set(spec, "replicas", 1)
    _set(spec, "revisionHistoryLimit", 10)
    policy = _dict(spec, "persistentVolumeClaimRetentionPolicy")
    _set_str(policy, "whenDeleted", "Retain")
    _set_str(policy, "whenScaled", "Retain")
    for claim in _list(spec, "volumeClaimTemplates"):
        if isinstance(claim, dict):
            # embedded claims are stored with their type meta, as conversion writes them
            _set_str(claim, "apiVersion", "v1")
            _set_str(claim, "kind", "PersistentVolumeClaim")
            _pvc_spec(_dict(claim, "spec"))
            _set_str(_dict(claim, "status"), "phase", "Pending")
    _template(spec)


def job(obj: dict) -> None:
    spec = _dict(obj, "spec")
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    _set(spec, "parallelism", 1)
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = 2 ** 31 - 1 if spec.get("backoffLimitPerIndex") is not None else 6
    _set_str(spec, "completionMode", "NonIndexed")
    _set(spec, "suspend", False)
    _set_str(spec, "podReplacementPolicy",
             "Failed" if spec.get("podFailurePolicy") else "TerminatingOrFailed")
    _template(spec)


def cron_job(obj: dict) -> None:
    spec = _dict(obj, "spec")
    _set_str(spec, "concurrencyPolicy", "Allow")
    _set(spec, "suspend", False)
    _set(spec, "successfulJobsHistoryLimit", 3)
    _set(spec, "failedJobsHistoryLimit", 1)
    job_template = spec.get("jobTemplate")
    if isinstance(job_template, dict) and isinstance(job_template.get("spec"), dict):
        _template(job_template["spec"])  # the JobSpec itself is defaulted when the Job is made


def horizontal_pod_autoscaler(obj: dict) -> None:
    spec = _dict(obj, "spec")
    _set(spec, "minReplicas", 1)
    if not spec.get("metrics"):
        spec["metrics"] = [{"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        up = _dict(behavior, "scaleUp")
        _set(up, "stabilizationWindowSeconds", 0)
        _set_str(up, "selectPolicy", "Max")
        if not up.get("policies"):
            up["policies"] = [{"type": "Pods", "value": 4, "periodSeconds": 15},
                              {"type": "Percent", "value": 100, "periodSeconds": 15}]
        down = _dict(behavior, "scaleDown")
        _set_str(down, "selectPolicy", "Max")
        if not down.get("policies"):
            down["policies"] = [{"type": "Percent", "value": 100, "periodSeconds": 15}]


def network_policy(obj: dict) -> None:
    spec = _dict(obj, "spec")
    for direction in ("ingress", "egress"):
        for rule in _list(spec, direction):
            if isinstance(rule, dict):
                for port in _list(rule, "ports"):
                    if isinstance(port, dict):
                        _set_str(port, "protocol", "TCP")
    if not spec.get("policyTypes"):
        types = ["Ingress"]
        if spec.get("egress"):
            types.append("Egress")
        spec["policyTypes"] = types


def priority_class(obj: dict) -> None:
    _set_str(obj, "preemptionPolicy", "PreemptLowerPriority")


def storage_class(obj: dict) -> None:
    _set_str(obj, "reclaimPolicy", "Delete")
    _set_str(obj, "volumeBindingMode", "Immediate")


DEFAULTERS: dict[tuple[str, str], Callable[[dict], None]] = {
    ("", "Pod"): pod,
    ("", "PodTemplate"): pod_template,
    ("", "PersistentVolumeClaim"): persistent_volume_claim,
    ("", "PersistentVolume"): persistent_volume,
    ("", "Service"): service,
    ("", "Namespace"): namespace,
    ("", "Secret"): secret,
    ("", "Node"): node,
    ("", "Endpoints"): endpoints,
    ("", "LimitRange"): limit_range,
    ("", "ReplicationController"): replication_controller,
    ("apps", "Deployment"): deployment,
    ("apps", "ReplicaSet"): replica_set,
    ("apps", "DaemonSet"): daemon_set,
    ("apps", "StatefulSet"): stateful_set,
    ("batch", "Job"): job,
    ("batch", "CronJob"): cron_job,
    ("autoscaling", "HorizontalPodAutoscaler"): horizontal_pod_autoscaler,
    ("discovery.k8s.io", "EndpointSlice"): endpoint_slice,
    ("networking.k8s.io", "NetworkPolicy"): network_policy,
    ("rbac.authorization.k8s.io", "RoleBinding"): _subjects,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): _subjects,
    ("scheduling.k8s.io", "PriorityClass"): priority_class,
    ("storage.k8s.io", "StorageClass"): storage_class,
}


def apply(obj: dict, written: tuple[str, ...] | None = None) -> None:
    """Fill API-server defaults into obj in place; kinds without defaults are left alone.
    First, what decoding itself does: quantities take their canonical form (schema) — only in
    the `written` top-level fields when the rest came from the stored (canonical) object."""
    if not isinstance(obj, dict):
        return
    from kcore.api import schema  # the schema's data file is loaded on first use only
    schema.canonicalize_quantities(obj, written)
    group = (obj.get("apiVersion") or "").rpartition("/")[0]
    fn = DEFAULTERS.get((group, obj.get("kind") or ""))
    if fn is not None:
        fn(obj)
