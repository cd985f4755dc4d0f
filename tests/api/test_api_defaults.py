"""API-server defaulting: what appears in `-o yaml` that nobody wrote."""
from __future__ import annotations

import copy

import pytest
from api_builders import cronjob, deployment, job, pod, service, simple, workload

from kcore.api import defaults


def at(obj, dotted):
    node = obj
    for part in dotted.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def defaulted(builder):
    obj = builder.obj()
    defaults.apply(obj)
    return obj


C0 = "spec.containers.0"
T = "spec.template.spec"


@pytest.mark.parametrize("builder, path, value", [
    pytest.param(pod(), "spec.restartPolicy", "Always", id="a pod restarts Always"),
    pytest.param(pod(), "spec.dnsPolicy", "ClusterFirst", id="a pod's DNS policy is ClusterFirst"),
    pytest.param(pod(), "spec.schedulerName", "default-scheduler", id="a pod goes to the default scheduler"),
    pytest.param(pod(), "spec.terminationGracePeriodSeconds", 30, id="a pod gets 30s to terminate"),
    pytest.param(pod(), "spec.securityContext", {}, id="a pod gets an empty security context"),
    pytest.param(pod(), "spec.enableServiceLinks", True, id="service links are enabled"),
    pytest.param(pod(), "spec.priority", 0, id="a pod without a priority class has priority 0"),
    pytest.param(pod(), "spec.preemptionPolicy", "PreemptLowerPriority", id="and preempts lower priorities"),
    pytest.param(pod(image="nginx"), f"{C0}.imagePullPolicy", "Always", id="an untagged image is always pulled"),
    pytest.param(pod(image="nginx:latest"), f"{C0}.imagePullPolicy", "Always", id="latest is always pulled"),
    pytest.param(pod(image="nginx:1.25"), f"{C0}.imagePullPolicy", "IfNotPresent", id="a tagged image is pulled if not present"),
    pytest.param(pod(image="localhost:5000/app"), f"{C0}.imagePullPolicy", "Always",
                 id="a registry port is not a tag"),
    pytest.param(pod(image="nginx@sha256:abcd"), f"{C0}.imagePullPolicy", "IfNotPresent", id="a digest is pulled if not present"),
    pytest.param(pod(), f"{C0}.terminationMessagePath", "/dev/termination-log", id="the termination message path"),
    pytest.param(pod(), f"{C0}.terminationMessagePolicy", "File", id="the termination message policy"),
    pytest.param(pod(), f"{C0}.resources", {}, id="resources are an empty object"),
    pytest.param(pod().set(f"{C0}.ports", [{"containerPort": 80}]), f"{C0}.ports.0.protocol", "TCP",
                 id="container ports are TCP"),
    pytest.param(pod().resources(limits={"cpu": "1"}), f"{C0}.resources.requests", {"cpu": "1"},
                 id="requests are copied from limits"),
    pytest.param(pod().set(f"{C0}.livenessProbe", {"httpGet": {"port": 80}}), f"{C0}.livenessProbe",
                 {"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10,
                  "successThreshold": 1, "failureThreshold": 3}, id="probes get their timings and HTTP defaults"),
    pytest.param(pod().set("spec.volumes", [{"name": "cfg", "configMap": {"name": "c"}}]), "spec.volumes.0.configMap.defaultMode",
                 420, id="config map volumes get mode 0644"),
    pytest.param(pod().set("spec.volumes", [{"name": "scratch"}]), "spec.volumes.0.emptyDir", {},
                 id="a volume without a source is an emptyDir"),
    pytest.param(pod().set(f"{C0}.env", [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]),
                 f"{C0}.env.0.valueFrom.fieldRef.apiVersion", "v1", id="field refs default to v1"),
    pytest.param(deployment(), "spec.replicas", 1, id="a deployment has one replica"),
    pytest.param(deployment(), "spec.strategy", {"type": "RollingUpdate",
                                                  "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                 id="a deployment rolls 25 percent at a time"),
    pytest.param(deployment(), "spec.revisionHistoryLimit", 10, id="a deployment keeps ten revisions"),
    pytest.param(deployment(), "spec.progressDeadlineSeconds", 600, id="a deployment has ten minutes to progress"),
    pytest.param(deployment(), f"{T}.restartPolicy", "Always", id="pod templates get pod defaults"),
    pytest.param(deployment().set("spec.strategy", {"type": "Recreate"}), "spec.strategy", {"type": "Recreate"},
                 id="a Recreate strategy gets no rolling update"),
    pytest.param(workload("ReplicaSet"), "spec.replicas", 1, id="a replicaset has one replica"),
    pytest.param(workload("DaemonSet"), "spec.updateStrategy",
                 {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
                 id="a daemonset replaces one pod at a time"),
    pytest.param(workload("DaemonSet"), "spec.revisionHistoryLimit", 10, id="a daemonset keeps ten revisions"),
    pytest.param(workload("StatefulSet"), "spec.podManagementPolicy", "OrderedReady", id="a statefulset is ordered"),
    pytest.param(workload("StatefulSet"), "spec.updateStrategy",
                 {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}, id="a statefulset rolls from partition 0"),
    pytest.param(workload("StatefulSet"), "spec.persistentVolumeClaimRetentionPolicy",
                 {"whenDeleted": "Retain", "whenScaled": "Retain"}, id="a statefulset retains its claims"),
    pytest.param(workload("StatefulSet").set("spec.volumeClaimTemplates", [{"metadata": {"name": "www"}, "spec": {}}]),
                 "spec.volumeClaimTemplates.0", {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                                                 "metadata": {"name": "www"}, "spec": {"volumeMode": "Filesystem"},
                                                 "status": {"phase": "Pending"}},
                 id="claim templates are stored as full claims"),
    pytest.param(job(), "spec.backoffLimit", 6, id="a job retries six times"),
    pytest.param(job(), "spec.completions", 1, id="a job completes once"),
    pytest.param(job(), "spec.parallelism", 1, id="a job runs one pod at a time"),
    pytest.param(job().set("spec.completions", 5), "spec.parallelism", 1, id="parallelism defaults alone too"),
    pytest.param(job(), "spec.completionMode", "NonIndexed", id="a job is not indexed"),
    pytest.param(job(), "spec.suspend", False, id="a job is not suspended"),
    pytest.param(job(), "spec.podReplacementPolicy", "TerminatingOrFailed", id="pods are replaced when terminating or failed"),
    pytest.param(cronjob(), "spec.concurrencyPolicy", "Allow", id="a cronjob allows concurrent jobs"),
    pytest.param(cronjob(), "spec.successfulJobsHistoryLimit", 3, id="a cronjob keeps three successful jobs"),
    pytest.param(cronjob(), "spec.failedJobsHistoryLimit", 1, id="a cronjob keeps one failed job"),
    pytest.param(cronjob(), "spec.suspend", False, id="a cronjob is not suspended"),
    pytest.param(cronjob(), "spec.jobTemplate.spec.template.spec.dnsPolicy", "ClusterFirst",
                 id="a cronjob's pod template gets pod defaults"),
    pytest.param(service(), "spec.type", "ClusterIP", id="a service is ClusterIP"),
    pytest.param(service(), "spec.sessionAffinity", "None", id="a service has no session affinity"),
    pytest.param(service(), "spec.ports.0", {"port": 80, "protocol": "TCP", "targetPort": 80},
                 id="a port is TCP and targets itself"),
    pytest.param(service(ports=[{"port": 80, "targetPort": "http"}]), "spec.ports.0.targetPort", "http",
                 id="a named target port is kept"),
    pytest.param(service(), "spec.ipFamilies", ["IPv4"], id="a service is IPv4"),
    pytest.param(service(), "spec.ipFamilyPolicy", "SingleStack", id="a service is single-stack"),
    pytest.param(service(), "spec.internalTrafficPolicy", "Cluster", id="internal traffic goes cluster-wide"),
    pytest.param(service(type_="NodePort"), "spec.externalTrafficPolicy", "Cluster", id="a NodePort routes external traffic cluster-wide"),
    pytest.param(service(type_="LoadBalancer"), "spec.allocateLoadBalancerNodePorts", True, id="a load balancer allocates node ports"),
    pytest.param(service().set("spec.sessionAffinity", "ClientIP"), "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                 10800, id="ClientIP affinity lasts three hours"),
    pytest.param(simple("PersistentVolumeClaim", spec={}), "spec.volumeMode", "Filesystem", id="a claim is a filesystem"),
    pytest.param(simple("PersistentVolumeClaim", spec={}), "status.phase", "Pending", id="a claim starts Pending"),
    pytest.param(simple("PersistentVolume", spec={}), "spec.persistentVolumeReclaimPolicy", "Retain", id="a volume is retained"),
    pytest.param(simple("Namespace", "dev"), "spec.finalizers", ["kubernetes"], id="a namespace has the kubernetes finalizer"),
    pytest.param(simple("Namespace", "dev"), "status.phase", "Active", id="a namespace is Active"),
    pytest.param(simple("Namespace", "dev"), "metadata.labels", {"kubernetes.io/metadata.name": "dev"},
                 id="a namespace is labelled with its name"),
    pytest.param(simple("Secret"), "type", "Opaque", id="a secret is Opaque"),
    pytest.param(simple("StorageClass", api_version="storage.k8s.io/v1", provisioner="x"), "reclaimPolicy", "Delete",
                 id="a storage class deletes"),
    pytest.param(simple("StorageClass", api_version="storage.k8s.io/v1", provisioner="x"), "volumeBindingMode", "Immediate",
                 id="a storage class binds immediately"),
    pytest.param(simple("PriorityClass", api_version="scheduling.k8s.io/v1", value=1), "preemptionPolicy",
                 "PreemptLowerPriority", id="a priority class preempts"),
    pytest.param(simple("NetworkPolicy", api_version="networking.k8s.io/v1", spec={"podSelector": {}}),
                 "spec.policyTypes", ["Ingress"], id="a network policy is an ingress policy"),
    pytest.param(simple("NetworkPolicy", api_version="networking.k8s.io/v1", spec={"podSelector": {}, "egress": [{}]}),
                 "spec.policyTypes", ["Ingress", "Egress"], id="egress rules add the Egress type"),
    pytest.param(simple("RoleBinding", api_version="rbac.authorization.k8s.io/v1",
                        subjects=[{"kind": "User", "name": "jane"}]),
                 "subjects.0.apiGroup", "rbac.authorization.k8s.io", id="user subjects are in the rbac group"),
    pytest.param(simple("HorizontalPodAutoscaler", api_version="autoscaling/v2", spec={"maxReplicas": 3}),
                 "spec.minReplicas", 1, id="an autoscaler keeps at least one replica"),
    pytest.param(simple("LimitRange", spec={"limits": [{"type": "Container", "max": {"cpu": "1"}}]}),
                 "spec.limits.0", {"type": "Container", "max": {"cpu": "1"}, "default": {"cpu": "1"},
                                   "defaultRequest": {"cpu": "1"}}, id="a limit range defaults to its max"),
])
def test_default(builder, path, value):
    assert at(defaulted(builder), path) == value


@pytest.mark.parametrize("builder, path, value", [
    pytest.param(pod().set("spec.restartPolicy", "Never"), "spec.restartPolicy", "Never", id="an explicit restart policy is kept"),
    pytest.param(deployment().set("spec.replicas", 0), "spec.replicas", 0, id="zero replicas stay zero"),
    pytest.param(pod().set(f"{C0}.imagePullPolicy", "Never"), f"{C0}.imagePullPolicy", "Never", id="an explicit pull policy is kept"),
    pytest.param(job().set("spec.backoffLimit", 0), "spec.backoffLimit", 0, id="a zero backoff limit is kept"),
    pytest.param(pod().resources(limits={"cpu": "1"}, requests={"cpu": "500m"}), f"{C0}.resources.requests",
                 {"cpu": "500m"}, id="explicit requests are not overwritten by limits"),
])
def test_explicit_values_win(builder, path, value):
    assert at(defaulted(builder), path) == value


EVERYTHING = [pod(), deployment(), workload("ReplicaSet"), workload("DaemonSet"), workload("StatefulSet"),
              job(), cronjob(), service(), service(type_="LoadBalancer"), simple("Namespace", "dev"),
              simple("Secret"), simple("PersistentVolumeClaim", spec={}), simple("PersistentVolume", spec={}),
              simple("ConfigMap")]


@pytest.mark.parametrize("builder", [pytest.param(b, id=f"defaulting a {b.data['kind']} twice changes nothing")
                                     for b in EVERYTHING])
def test_idempotent(builder):
    once = defaulted(builder)
    twice = copy.deepcopy(once)
    defaults.apply(twice)
    assert twice == once


def test_kinds_without_defaults_are_left_alone():
    obj = simple("ConfigMap", data={"a": "b"}).obj()
    before = copy.deepcopy(obj)
    defaults.apply(obj)
    assert obj == before
    defaults.apply("not an object")  # bad input never crashes


ETCD_STATIC_POD = """
apiVersion: v1
kind: Pod
metadata:
  labels: {component: etcd, tier: control-plane}
  name: etcd
  namespace: kube-system
spec:
  containers:
  - command: [etcd, --data-dir=/var/lib/etcd]
    image: registry.k8s.io/etcd:3.6.6-0
    imagePullPolicy: IfNotPresent
    livenessProbe:
      failureThreshold: 8
      httpGet: {host: 127.0.0.1, path: /livez, port: probe-port, scheme: HTTP}
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    name: etcd
    ports:
    - {containerPort: 2381, name: probe-port, protocol: TCP}
    resources:
      requests: {cpu: 100m, memory: 100Mi}
    volumeMounts:
    - {mountPath: /var/lib/etcd, name: etcd-data}
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile: {type: RuntimeDefault}
  volumes:
  - hostPath: {path: /var/lib/etcd, type: DirectoryOrCreate}
    name: etcd-data
status: {}
"""


def test_the_etcd_mirror_pod_gets_the_defaults_a_real_cluster_shows():
    """control-plane-fidelity.md §1.10: what `kubectl get pod etcd-controlplane -o yaml` adds."""
    import yaml

    obj = yaml.safe_load(ETCD_STATIC_POD)
    defaults.apply(obj)
    spec, c = obj["spec"], obj["spec"]["containers"][0]
    assert (spec["dnsPolicy"], spec["enableServiceLinks"], spec["restartPolicy"], spec["schedulerName"],
            spec["terminationGracePeriodSeconds"]) == ("ClusterFirst", True, "Always", "default-scheduler", 30)
    assert (c["terminationMessagePath"], c["terminationMessagePolicy"]) == ("/dev/termination-log", "File")
    assert c["livenessProbe"]["successThreshold"] == 1 and c["livenessProbe"]["failureThreshold"] == 8
    assert c["ports"][0]["hostPort"] == 2381, "hostNetwork pods publish their container ports on the host"
    assert spec["priority"] == 2000001000 and "preemptionPolicy" not in spec, \
        "a pod with a priority class gets its policy from the class (admission), not from defaulting"
