"""The kinds table: every spelling kubectl accepts, api-resources order, etcd prefixes."""
from __future__ import annotations

import pytest

from kcore.api import kinds


@pytest.mark.parametrize("spelling, group_resource", [
    pytest.param("pods", "pods", id="the plural names pods"),
    pytest.param("pod", "pods", id="the singular names pods"),
    pytest.param("po", "pods", id="the short name po names pods"),
    pytest.param("Pod", "pods", id="the Kind names pods"),
    pytest.param("PODS", "pods", id="names are case-insensitive"),
    pytest.param("deploy", "deployments.apps", id="deploy is a deployment"),
    pytest.param("deployments.apps", "deployments.apps", id="plural.group is accepted"),
    pytest.param("deployment.apps", "deployments.apps", id="singular.group is accepted"),
    pytest.param("deploy.v1.apps", "deployments.apps", id="short.version.group is accepted"),
    pytest.param("svc", "services", id="svc is a service"),
    pytest.param("ep", "endpoints", id="ep is endpoints"),
    pytest.param("netpol", "networkpolicies.networking.k8s.io", id="netpol is a network policy"),
    pytest.param("ing", "ingresses.networking.k8s.io", id="ing is an ingress"),
    pytest.param("cj", "cronjobs.batch", id="cj is a cronjob"),
    pytest.param("jobs.batch", "jobs.batch", id="jobs.batch is accepted"),
    pytest.param("hpa", "horizontalpodautoscalers.autoscaling", id="hpa is autoscaling"),
    pytest.param("pc", "priorityclasses.scheduling.k8s.io", id="pc is a priority class"),
    pytest.param("quota", "resourcequotas", id="quota is a resource quota"),
    pytest.param("limits", "limitranges", id="limits is a limit range"),
    pytest.param("csr", "certificatesigningrequests.certificates.k8s.io", id="csr is a certificate signing request"),
    pytest.param("events", "events", id="events prefers core v1 events"),
    pytest.param("ev", "events", id="ev prefers core v1 events"),
    pytest.param("events.events.k8s.io", "events.events.k8s.io", id="events.events.k8s.io picks the events group"),
    pytest.param("cs", "componentstatuses", id="cs is componentstatuses"),
    pytest.param("rolebinding", "rolebindings.rbac.authorization.k8s.io", id="rolebinding resolves to rbac"),
])
def test_lookup_accepts_every_kubectl_spelling(spelling, group_resource):
    assert kinds.lookup(spelling).group_resource == group_resource


@pytest.mark.parametrize("name, message", [
    pytest.param("foo", 'the server doesn\'t have a resource type "foo"', id="an unknown name carries kubectl's message"),
    pytest.param("podz", 'the server doesn\'t have a resource type "podz"', id="a typo is unknown"),
    pytest.param("deployments.batch", 'the server doesn\'t have a resource type "deployments"',
                 id="a resource in the wrong group names only the resource, as kubectl does"),
])
def test_unknown_resource_message(name, message):
    with pytest.raises(kinds.UnknownResource) as exc:
        kinds.lookup(name)
    assert str(exc.value) == message


@pytest.mark.parametrize("api_version, kind, plural", [
    pytest.param("v1", "Pod", "pods", id="core pods"),
    pytest.param("apps/v1", "Deployment", "deployments", id="apps deployments"),
    pytest.param("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", id="autoscaling v2"),
    pytest.param("events.k8s.io/v1", "Event", "events", id="events.k8s.io events"),
])
def test_for_kind(api_version, kind, plural):
    rt = kinds.for_kind(api_version, kind)
    assert (rt.plural, rt.api_version) == (plural, api_version)


def test_for_kind_unknown_is_the_rest_mapper_message():
    with pytest.raises(kinds.UnknownResource) as exc:
        kinds.for_kind("v1", "Podz")
    assert str(exc.value) == 'no matches for kind "Podz" in version "v1"'


def test_all_is_in_api_resources_order():
    groups = []
    for rt in kinds.ALL:
        if not groups or groups[-1] != rt.group:
            groups.append(rt.group)
    assert groups[0] == "" and groups[1:] == sorted(groups[1:]), "core first, then groups alphabetically"
    assert len(groups) == len(set(groups)), "each group is one block"
    for g in groups:
        plurals = [rt.plural for rt in kinds.ALL if rt.group == g]
        assert plurals == sorted(plurals), f"group {g!r} is sorted by name"


# the real 1.35 rows (kubectl-fidelity.md §4.10): NAME SHORTNAMES APIVERSION NAMESPACED KIND
API_RESOURCES = """
bindings  - v1 true Binding
componentstatuses cs v1 false ComponentStatus
configmaps cm v1 true ConfigMap
endpoints ep v1 true Endpoints
events ev v1 true Event
limitranges limits v1 true LimitRange
namespaces ns v1 false Namespace
nodes no v1 false Node
persistentvolumeclaims pvc v1 true PersistentVolumeClaim
persistentvolumes pv v1 false PersistentVolume
pods po v1 true Pod
podtemplates - v1 true PodTemplate
replicationcontrollers rc v1 true ReplicationController
resourcequotas quota v1 true ResourceQuota
secrets - v1 true Secret
serviceaccounts sa v1 true ServiceAccount
services svc v1 true Service
controllerrevisions - apps/v1 true ControllerRevision
daemonsets ds apps/v1 true DaemonSet
deployments deploy apps/v1 true Deployment
replicasets rs apps/v1 true ReplicaSet
statefulsets sts apps/v1 true StatefulSet
horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler
cronjobs cj batch/v1 true CronJob
jobs - batch/v1 true Job
certificatesigningrequests csr certificates.k8s.io/v1 false CertificateSigningRequest
leases - coordination.k8s.io/v1 true Lease
endpointslices - discovery.k8s.io/v1 true EndpointSlice
events ev events.k8s.io/v1 true Event
ingressclasses - networking.k8s.io/v1 false IngressClass
ingresses ing networking.k8s.io/v1 true Ingress
networkpolicies netpol networking.k8s.io/v1 true NetworkPolicy
poddisruptionbudgets pdb policy/v1 true PodDisruptionBudget
clusterrolebindings - rbac.authorization.k8s.io/v1 false ClusterRoleBinding
clusterroles - rbac.authorization.k8s.io/v1 false ClusterRole
rolebindings - rbac.authorization.k8s.io/v1 true RoleBinding
roles - rbac.authorization.k8s.io/v1 true Role
priorityclasses pc scheduling.k8s.io/v1 false PriorityClass
storageclasses sc storage.k8s.io/v1 false StorageClass
"""


def test_rows_match_the_real_api_resources_listing():
    expected = [line.split() for line in API_RESOURCES.strip().splitlines()]
    got = [[rt.plural, ",".join(rt.short_names) or "-", rt.api_version,
            str(rt.namespaced).lower(), rt.kind] for rt in kinds.ALL]
    assert got == expected


@pytest.mark.parametrize("name, namespace, obj, key", [
    pytest.param("pods", "default", "nginx", "/registry/pods/default/nginx", id="pods live under /registry/pods"),
    pytest.param("nodes", None, "node01", "/registry/minions/node01", id="nodes are minions in etcd"),
    pytest.param("svc", "default", "kubernetes", "/registry/services/specs/default/kubernetes",
                 id="services live under services/specs"),
    pytest.param("ep", "default", "kubernetes", "/registry/services/endpoints/default/kubernetes",
                 id="endpoints live under services/endpoints"),
    pytest.param("ing", "web", "main", "/registry/ingress/web/main", id="ingresses use the singular prefix"),
    pytest.param("rc", "default", "old", "/registry/controllers/default/old", id="replication controllers are controllers"),
    pytest.param("deploy", "default", "web", "/registry/deployments/default/web", id="deployments use their plural"),
    pytest.param("clusterroles", None, "cluster-admin", "/registry/clusterroles/cluster-admin",
                 id="cluster-scoped keys have no namespace"),
    pytest.param("events.events.k8s.io", "default", "e1", "/registry/events/default/e1",
                 id="events.k8s.io shares the core events prefix"),
])
def test_etcd_keys(name, namespace, obj, key):
    assert kinds.lookup(name).etcd_key(namespace, obj) == key


@pytest.mark.parametrize("name, subresource", [
    pytest.param("pods", "status", id="pods have status"),
    pytest.param("pods", "binding", id="pods have binding"),
    pytest.param("pods", "eviction", id="pods have eviction"),
    pytest.param("pods", "log", id="pods have log"),
    pytest.param("pods", "exec", id="pods have exec"),
    pytest.param("deployments", "scale", id="deployments have scale"),
    pytest.param("statefulsets", "scale", id="statefulsets have scale"),
    pytest.param("replicationcontrollers", "scale", id="replication controllers have scale"),
])
def test_subresources(name, subresource):
    assert subresource in kinds.lookup(name).subresources


def test_verbs_and_categories():
    assert kinds.lookup("bindings").verbs == ("create",)
    assert "deletecollection" not in kinds.lookup("namespaces").verbs
    assert kinds.lookup("pods").verbs == ("create", "delete", "deletecollection", "get", "list",
                                          "patch", "update", "watch")
    in_all = sorted(rt.plural for rt in kinds.ALL if "all" in rt.categories)
    assert in_all == ["cronjobs", "daemonsets", "deployments", "horizontalpodautoscalers", "jobs",
                      "pods", "replicasets", "replicationcontrollers", "services", "statefulsets"]


def test_group_kind_names_the_apiserver_uses():
    assert kinds.lookup("deploy").group_kind == "Deployment.apps"
    assert kinds.lookup("po").group_kind == "Pod"
    assert kinds.lookup("deploy").list_kind == "DeploymentList"
