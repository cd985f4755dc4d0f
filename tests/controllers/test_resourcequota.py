"""ResourceQuota controller: status.hard and status.used for every resource in spec.hard."""
from __future__ import annotations

import pytest

from .conftest import apply, get_json, namespace


def quota(hard: dict) -> str:
    lines = "".join(f'    {k}: "{v}"\n' for k, v in hard.items())
    return f"apiVersion: v1\nkind: ResourceQuota\nmetadata: {{name: q}}\nspec:\n  hard:\n{lines}"


DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        image: nginx
        resources:
          requests: {cpu: 250m, memory: 64Mi}
          limits: {cpu: 500m, memory: 128Mi}
"""

SVC = """apiVersion: v1
kind: Service
metadata: {name: np}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80}]
"""

PVC = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 3Gi}}
"""

CM = """apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: b}
"""

JOB_DONE = """apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: ["sh", "-c", "echo done"]}]
"""


@pytest.mark.parametrize("ns, objects, hard, used", [
    pytest.param("rq-compute", DEPLOY,
                 {"pods": 10, "requests.cpu": 2, "requests.memory": "1Gi", "limits.cpu": 4,
                  "limits.memory": "2Gi"},
                 {"pods": "2", "requests.cpu": "500m", "requests.memory": "128Mi",
                  "limits.cpu": "1", "limits.memory": "256Mi"},
                 id="pods and their requests and limits are summed"),
    pytest.param("rq-counts", DEPLOY + "---\n" + CM,
                 {"count/deployments.apps": 5, "count/replicasets.apps": 5, "configmaps": 5},
                 {"count/deployments.apps": "1", "count/replicasets.apps": "1",
                  "configmaps": "2"},
                 id="object counts include the namespace's root CA configmap"),
    pytest.param("rq-services", SVC,
                 {"services": 5, "services.nodeports": 5, "services.loadbalancers": 5},
                 {"services": "2", "services.nodeports": "2", "services.loadbalancers": "1"},
                 id="services are counted by type"),
    pytest.param("rq-storage", PVC,
                 {"persistentvolumeclaims": 3, "requests.storage": "10Gi"},
                 {"persistentvolumeclaims": "1", "requests.storage": "3Gi"},
                 id="claims and requested storage are counted"),
    pytest.param("rq-finished", JOB_DONE,
                 {"pods": 5, "count/jobs.batch": 5},
                 {"pods": "0", "count/jobs.batch": "1"},
                 id="a finished pod no longer counts"),
    pytest.param("rq-empty", "",
                 {"pods": 5, "secrets": 5, "count/statefulsets.apps": 1},
                 {"pods": "0", "secrets": "0", "count/statefulsets.apps": "0"},
                 id="an empty namespace uses nothing"),
])
def test_quota_usage(cluster, ns, objects, hard, used):
    namespace(cluster, ns)
    apply(cluster, quota(hard), ns)
    if objects:
        apply(cluster, objects, ns)
    cluster.advance(10)
    st = get_json(cluster, "quota q", ns)["status"]
    assert st["hard"] == {k: str(v) for k, v in hard.items()}
    assert st["used"] == used


def test_usage_is_recomputed_when_objects_change(cluster):
    ns = namespace(cluster, "rq-follow")
    apply(cluster, quota({"pods": 10, "requests.cpu": 4}), ns)
    apply(cluster, DEPLOY, ns)
    assert get_json(cluster, "quota q", ns)["status"]["used"] == {"pods": "2",
                                                                  "requests.cpu": "500m"}
    r = cluster.kubectl(f"scale deployment web --replicas=5 -n {ns}")
    assert r.returncode == 0, r.stderr
    cluster.advance(10)
    assert get_json(cluster, "quota q", ns)["status"]["used"] == {"pods": "5",
                                                                  "requests.cpu": "1250m"}
    cluster.kubectl(f"delete deployment web -n {ns}")
    cluster.advance(30)
    assert get_json(cluster, "quota q", ns)["status"]["used"] == {"pods": "0",
                                                                  "requests.cpu": "0"}


def test_changing_the_hard_limits_updates_status_hard(cluster):
    ns = namespace(cluster, "rq-edit")
    apply(cluster, quota({"pods": 3}), ns)
    apply(cluster, quota({"pods": 7, "services": 1}), ns)
    st = get_json(cluster, "quota q", ns)["status"]
    assert st["hard"] == {"pods": "7", "services": "1"}
    assert st["used"] == {"pods": "0", "services": "0"}


MIXED = """apiVersion: v1
kind: Pod
metadata: {name: besteffort}
spec:
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: sized}
spec:
  containers:
  - {name: c, image: nginx, resources: {requests: {cpu: 100m}, limits: {cpu: 200m}}}
---
apiVersion: v1
kind: Pod
metadata: {name: deadline}
spec:
  activeDeadlineSeconds: 3600
  containers: [{name: c, image: nginx}]
"""


@pytest.mark.parametrize("ns, scopes, used", [
    pytest.param("rq-scope-be", ["BestEffort"], "2", id="BestEffort counts pods without resources"),
    pytest.param("rq-scope-nbe", ["NotBestEffort"], "1", id="NotBestEffort counts sized pods"),
    pytest.param("rq-scope-term", ["Terminating"], "1",
                 id="Terminating counts pods with an active deadline"),
    pytest.param("rq-scope-nterm", ["NotTerminating"], "2",
                 id="NotTerminating counts pods without a deadline"),
    pytest.param("rq-scope-both", ["BestEffort", "NotTerminating"], "1",
                 id="several scopes must all match"),
])
def test_scoped_quotas_count_only_their_pods(cluster, ns, scopes, used):
    namespace(cluster, ns)
    apply(cluster, MIXED, ns)
    apply(cluster, quota({"pods": 10}) + f"  scopes: [{', '.join(scopes)}]\n", ns)
    assert get_json(cluster, "quota q", ns)["status"]["used"] == {"pods": used}
