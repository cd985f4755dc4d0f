"""`kubectl describe`: one describer per kind, chosen by a registry, all pure functions.

    describe(kind, obj, events, now, related=None) -> str

`events` is the list of Events about the object (None when events are not shown; kinds
whose describer never prints events ignore it). `related` holds whatever else kubectl
fetches for that kind: a Node's `pods` and `lease`, a Deployment's `replicasets`, a
Service's `endpointslices`, a Namespace's `resourcequotas`/`limitranges`, a PVC's `pods`,
an Ingress's `services`/`endpointslices`, a ServiceAccount's `secrets`, controllers' `pods`.
Kinds without a describer get the generic one, as kubectl does for custom resources."""
from __future__ import annotations

from .common import without_nulls
from .describe_pod import describe_pod
from .describe_node import describe_node
from .describe_workloads import (describe_deployment, describe_replicaset, describe_replicationcontroller,
                                 describe_daemonset, describe_statefulset, describe_job, describe_cronjob)
from .describe_network import (describe_service, describe_endpoints, describe_ingress,
                               describe_ingressclass, describe_networkpolicy,
                               describe_endpointslice)
from .describe_config import (describe_namespace, describe_configmap, describe_secret,
                              describe_serviceaccount, describe_resourcequota, describe_limitrange,
                              describe_role, describe_rolebinding, describe_pv, describe_pvc,
                              describe_storageclass, describe_pdb, describe_priorityclass,
                              describe_hpa, describe_generic)

__all__ = ["describe", "join_descriptions", "DESCRIBERS"]

DESCRIBERS = {
    "Pod": describe_pod,
    "Node": describe_node,
    "Deployment": describe_deployment,
    "ReplicaSet": describe_replicaset,
    "ReplicationController": describe_replicationcontroller,
    "DaemonSet": describe_daemonset,
    "StatefulSet": describe_statefulset,
    "Job": describe_job,
    "CronJob": describe_cronjob,
    "Service": describe_service,
    "Endpoints": describe_endpoints,
    "EndpointSlice": describe_endpointslice,
    "Ingress": describe_ingress,
    "IngressClass": describe_ingressclass,
    "NetworkPolicy": describe_networkpolicy,
    "Namespace": describe_namespace,
    "ConfigMap": describe_configmap,
    "Secret": describe_secret,
    "ServiceAccount": describe_serviceaccount,
    "ResourceQuota": describe_resourcequota,
    "LimitRange": describe_limitrange,
    "Role": describe_role,
    "ClusterRole": describe_role,
    "RoleBinding": describe_rolebinding,
    "ClusterRoleBinding": describe_rolebinding,
    "PersistentVolume": describe_pv,
    "PersistentVolumeClaim": describe_pvc,
    "StorageClass": describe_storageclass,
    "PodDisruptionBudget": describe_pdb,
    "PriorityClass": describe_priorityclass,
    "HorizontalPodAutoscaler": describe_hpa,
}

_BY_LOWER = {k.lower(): fn for k, fn in DESCRIBERS.items()}


def describe(kind: str, obj: dict, events, now: float, related=None) -> str:
    """The text `kubectl describe` prints for one object (kind is the object's Kind)."""
    obj = without_nulls(obj if isinstance(obj, dict) else {})
    kind = kind or obj.get("kind", "")
    fn = _BY_LOWER.get(kind.lower(), describe_generic)
    if events is not None:
        events = [without_nulls(e) for e in events if isinstance(e, dict)]
    if related:
        related = {k: without_nulls(v) for k, v in related.items()}
    return fn(obj, events, now, related)


def join_descriptions(texts) -> str:
    """Several objects described by one command: kubectl prints two blank lines between them.
    (No objects at all is the caller's `No resources found in <ns> namespace.` on stderr.)"""
    return "\n\n".join(texts)
