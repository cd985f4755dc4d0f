"""Differential tests: the real kubectl v1.35 describes (and lists) the same objects, served by
a loopback stub API server, and our printers must print the same bytes.

kubectl reads the wall clock for ages, so these cases build timestamps from the wall clock
and accept our rendering at the instant just before or just after kubectl ran. (The oracle is
run with a stub kubeconfig here, so `run_real_kubectl`'s KUBECONFIG=/dev/null does not fit.)"""
import copy
import os
import subprocess
import time

import pytest

from kcore.cli.kubectl.printers import describe, print_custom_columns, sort_objects, print_names
from tests.printers import test_describe as cases
from tests.printers.stub_apiserver import StubAPI

WALL = float(int(time.time()))


def wts(seconds_ago):
    import datetime
    when = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + \
        datetime.timedelta(seconds=WALL - seconds_ago)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def typed(obj, api_version, kind, namespace="default"):
    obj = copy.deepcopy(obj)
    obj.update({"apiVersion": api_version, "kind": kind})
    if namespace:
        obj["metadata"].setdefault("namespace", namespace)
    return obj


def served_event(target, reason, age, message, source="kubelet", field_path="", type_="Normal", count=1,
                 first=None, n=[0]):
    n[0] += 1
    meta = target["metadata"]
    involved = {"kind": target["kind"], "name": meta["name"], "namespace": meta.get("namespace", ""),
                "uid": meta.get("uid", "")}
    if field_path:
        involved["fieldPath"] = field_path
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": f"{meta['name']}.{n[0]:016x}", "namespace": meta.get("namespace") or "default"},
            "involvedObject": involved, "reason": reason, "message": message, "type": type_,
            "source": {"component": source}, "count": count,
            "firstTimestamp": wts(first if first is not None else age), "lastTimestamp": wts(age)}


def run(kubectl, api, *args):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": "/tmp", "KUBECONFIG": api.kubeconfig}
    t0 = time.time()
    proc = subprocess.run([kubectl, *args], capture_output=True, text=True, env=env, timeout=60)
    t1 = time.time()
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, (t0, t1)


def same_as_kubectl(real, render, window):
    """Our text at the instant before or after kubectl ran equals kubectl's."""
    import difflib
    ours = [render(t) for t in window]
    diff = "".join(difflib.unified_diff(real.splitlines(True), ours[-1].splitlines(True), "kubectl", "ours"))
    assert real in ours, diff


def pod_case():
    pod = typed(cases.nginx_pod(), "v1", "Pod")
    pod["metadata"]["creationTimestamp"] = wts(200)
    fp = "spec.containers{nginx}"
    events = [served_event(pod, "Scheduled", 144, "Successfully assigned default/nginx to node01", "default-scheduler"),
              served_event(pod, "Pulling", 143, 'Pulling image "nginx"', field_path=fp),
              served_event(pod, "BackOff", 29, "Back-off restarting failed container", field_path=fp,
                           type_="Warning", count=290, first=3500)]
    return pod, events, None


def crash_case():
    pod = typed(cases.crashing_pod(), "v1", "Pod")
    return pod, [], None


def node_case():
    node = typed(cases.node02(), "v1", "Node", namespace=None)
    node["metadata"]["uid"] = "node-uid"
    node["status"]["allocatable"] = {"cpu": "2", "memory": "4000Mi", "pods": "110", "hugepages-2Mi": "0"}
    pods = [typed({"metadata": {"name": "api", "creationTimestamp": wts(4000)},
                   "spec": {"nodeName": "node02", "containers": [{"name": "a", "image": "x", "resources": {
                       "requests": {"cpu": "100m", "memory": "70Mi"}, "limits": {"memory": "170Mi"}}}]},
                   "status": {"phase": "Running"}}, "v1", "Pod"),
            typed({"metadata": {"name": "kube-proxy-p8d6w", "namespace": "kube-system",
                                "creationTimestamp": wts(864000)},
                   "spec": {"nodeName": "node02", "containers": [{"name": "p", "image": "y"}]},
                   "status": {"phase": "Running"}}, "v1", "Pod", namespace=None)]
    lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
             "metadata": {"name": "node02", "namespace": "kube-node-lease"},
             "spec": {"holderIdentity": "node02", "renewTime": "2026-11-26T10:25:06.000000Z"}}
    events = [served_event(node, "NodeNotSchedulable", 780, "Node node02 status is now: NodeNotSchedulable")]
    return node, events + pods + [lease], {"pods": pods, "lease": lease}


def deployment_case():
    d = typed(cases.web_deployment(), "apps/v1", "Deployment")
    rss = [typed(cases.replicaset(d, "5d8f9c7b6d", 3, "nginx:1.27", "2026-11-26T06:00:00Z"), "apps/v1", "ReplicaSet"),
           typed(cases.replicaset(d, "7c5ddbdf54", 0, "nginx:1.26", "2026-11-26T05:52:21Z"), "apps/v1", "ReplicaSet")]
    for rs in rss:
        rs["metadata"]["labels"] = {"app": "web"}
    events = [served_event(d, "ScalingReplicaSet", 14460, "Scaled up replica set web-5d8f9c7b6d from 0 to 1",
                           "deployment-controller")]
    return d, events + rss, {"replicasets": rss}


def service_case():
    svc = typed(cases.web_service(), "v1", "Service")
    slices = [typed(s, "discovery.k8s.io/v1", "EndpointSlice") for s in cases.SLICES]
    return svc, slices, {"endpointslices": slices}


def generated_case(index, api_version, kind, namespace="default"):
    _, _, obj, events, related = cases.GENERATED[index].values
    obj = typed(obj, api_version, kind, namespace)
    extra = []
    if related and "pods" in related:
        extra = [typed(p, "v1", "Pod") for p in related["pods"]]
    return obj, extra, related


CASES = [
    pytest.param(pod_case, ["describe", "pod", "nginx"], id="a running pod with repeated events"),
    pytest.param(crash_case, ["describe", "pod", "crashy"], id="a crash-looping pod with env, probes and resources"),
    pytest.param(node_case, ["describe", "node", "node02"], id="a cordoned node with pods and a lease"),
    pytest.param(deployment_case, ["describe", "deployment", "web"], id="a deployment with old and new replica sets"),
    pytest.param(service_case, ["describe", "service", "web"], id="a node port service with endpoints"),
    pytest.param(lambda: generated_case(0, "v1", "Secret"), ["describe", "secret", "db"], id="a secret"),
    pytest.param(lambda: generated_case(2, "v1", "ServiceAccount"), ["describe", "sa", "default"],
                 id="a service account"),
    pytest.param(lambda: generated_case(5, "networking.k8s.io/v1", "NetworkPolicy"),
                 ["describe", "netpol", "allow-web"], id="a network policy"),
    pytest.param(lambda: generated_case(6, "batch/v1", "Job"), ["describe", "job", "pi"], id="a finished job"),
    pytest.param(lambda: generated_case(7, "v1", "PersistentVolumeClaim"), ["describe", "pvc", "claim-log"],
                 id="a bound claim used by a pod"),
    pytest.param(lambda: generated_case(8, "storage.k8s.io/v1", "StorageClass", None),
                 ["describe", "storageclass", "local-path"], id="a default storage class"),
]


@pytest.mark.parametrize("build, argv", CASES)
def test_describe_matches_real_kubectl(real_kubectl, build, argv):
    obj, extra, related = build()
    events = [e for e in extra if e.get("kind") == "Event"]
    with StubAPI() as api:
        for o in [obj, *extra]:
            api.add(o)
        real, window = run(real_kubectl, api, *argv)
    shown_events = events if obj["kind"] not in ("Secret", "NetworkPolicy") else None
    same_as_kubectl(real, lambda now: describe(obj["kind"], obj, shown_events, now, related), window)


LISTED = [
    {"apiVersion": "v1", "kind": "PersistentVolume",
     "metadata": {"name": n, "creationTimestamp": t, "labels": {"tier": tier} if tier else {}},
     "spec": {"capacity": {"storage": s}, "accessModes": ["ReadWriteOnce"]}}
    for n, s, t, tier in [("pv-log-1", "100Mi", "2026-01-02T00:00:00Z", "a"), ("pv-log-10", "40Mi", "2026-01-01T00:00:00Z", ""),
                          ("pv-log-2", "1Gi", "2026-01-03T00:00:00Z", "b"), ("pv-log-3", "300Mi", "2025-12-31T00:00:00Z", "")]
]


@pytest.mark.parametrize("columns, sort_by", [
    pytest.param("NAME:.metadata.name,CAPACITY:.spec.capacity.storage", ".spec.capacity.storage",
                 id="custom columns sorted by a quantity"),
    pytest.param("NAME:.metadata.name,TIER:.metadata.labels.tier,MODES:.spec.accessModes", ".metadata.name",
                 id="custom columns with missing values and lists, sorted naturally by name"),
    pytest.param("CREATED:.metadata.creationTimestamp,L:.metadata.labels", ".metadata.creationTimestamp",
                 id="custom columns of maps sorted by timestamp"),
])
def test_custom_columns_and_sort_match_real_kubectl(real_kubectl, columns, sort_by):
    with StubAPI() as api:
        for o in LISTED:
            api.add(o)
        real, _ = run(real_kubectl, api, "get", "pv", f"--sort-by={sort_by}", "-o", f"custom-columns={columns}")
        names, _ = run(real_kubectl, api, "get", "pv", f"--sort-by={sort_by}", "-o", "name")
    ordered = sort_objects(LISTED, sort_by)
    assert real == print_custom_columns(columns, ordered)
    assert names == print_names([(("PersistentVolume", "", False), ordered)])


# ---------------------------------------------------------------- tables
# The stub answers `as=Table` requests with rows from our own printers (server-side printing),
# so these cases check kubectl's client-side decoration against print_tables, byte for byte.

def table_world():
    from tests.printers.test_tables import PODS, web_service, node, svc, tcp
    pods = [PODS[n].obj() for n in ("nginx", "crashy", "web-5d8f9c7b6d-4xk2p", "init-demo")]
    system = pod_in("kube-system", "etcd-controlplane", {"tier": "control-plane", "component": "etcd"})
    services = [web_service(), svc("kube-dns", "kube-system", "ClusterIP", "10.96.0.10", [tcp(53, proto="UDP")], 900)]
    for s in services:
        s["apiVersion"] = "v1"
    nodes = [dict(node("controlplane", ("control-plane",), "192.168.1.10"), apiVersion="v1"),
             dict(node("node01", ip="192.168.1.11", unschedulable=True), apiVersion="v1")]
    nodes[1]["metadata"]["labels"]["kubernetes.io/hostname"] = "node01"
    return pods, [system], services, nodes


def pod_in(namespace, name, labels):
    from tests.printers.builders import pod
    return pod(name, namespace=namespace, age=864000).labels(**labels).running().obj()


POD_T, SVC_T, NODE_T = ("Pod", "", True), ("Service", "", True), ("Node", "", False)

TABLE_CASES = [
    pytest.param(["get", "pods"], lambda p, s, v, n: [(POD_T, p)], {}, None, id="a pod table"),
    pytest.param(["get", "pods", "-o", "wide", "--show-labels"], lambda p, s, v, n: [(POD_T, p)],
                 {"wide": True, "show_labels": True}, None, id="wide pods with labels"),
    pytest.param(["get", "pods", "-L", "run,app", "--no-headers"], lambda p, s, v, n: [(POD_T, p)],
                 {"label_columns": ["run", "app"], "no_headers": True}, None, id="label columns without headers"),
    pytest.param(["get", "pods,svc"], lambda p, s, v, n: [(POD_T, p), (SVC_T, v[:1])], {}, None,
                 id="two types in one command"),
    pytest.param(["get", "pods", "-A", "--sort-by=.metadata.name"],
                 lambda p, s, v, n: [(POD_T, p + s)], {"all_namespaces": True}, ".metadata.name",
                 id="all namespaces sorted by name"),
    pytest.param(["get", "svc", "-A", "-o", "wide", "--sort-by=.spec.clusterIP"],
                 lambda p, s, v, n: [(SVC_T, v)], {"all_namespaces": True, "wide": True}, ".spec.clusterIP",
                 id="wide services sorted by cluster IP"),
    pytest.param(["get", "nodes", "-o", "wide", "-L", "kubernetes.io/hostname", "--show-kind"],
                 lambda p, s, v, n: [(NODE_T, n)], {"wide": True, "label_columns": ["kubernetes.io/hostname"],
                                                    "show_kind": True}, None,
                 id="nodes with a label column and kinds"),
    pytest.param(["get", "nodes", "-A"], lambda p, s, v, n: [(NODE_T, n)], {"all_namespaces": True}, None,
                 id="all namespaces adds no column for cluster-scoped nodes"),
]


@pytest.mark.parametrize("argv, sections, options, sort_by", TABLE_CASES)
def test_tables_match_real_kubectl(real_kubectl, argv, sections, options, sort_by):
    pods, system, services, nodes = table_world()
    with StubAPI(WALL) as api:
        for o in pods + system + services + nodes:
            api.add(o)
        real, _ = run(real_kubectl, api, *argv)
    chosen = sections(pods, system, services, nodes)
    from kcore.cli.kubectl.printers import print_tables
    assert real == print_tables(chosen, WALL, sort_by=sort_by, **options)


# ---------------------------------------------------------------- more describers

def _tmpl(labels, **spec):
    spec.setdefault("containers", [{"name": "app", "image": "nginx:1.27",
                                    "ports": [{"containerPort": 80, "protocol": "TCP"},
                                              {"containerPort": 443, "protocol": "TCP"}],
                                    "envFrom": [{"configMapRef": {"name": "cfg"}},
                                                {"secretRef": {"name": "s"}, "prefix": "S_"}],
                                    "volumeMounts": [{"name": "data", "mountPath": "/data", "subPath": "x"}]}])
    return {"metadata": {"labels": labels}, "spec": spec}


def _owned(obj, owner, uid):
    obj["metadata"]["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": owner, "name": "x", "uid": uid,
                                           "controller": True}]
    return obj


def _pods_for(owner, uid, phases):
    from tests.printers.builders import pod
    out = []
    for i, phase in enumerate(phases):
        p = typed(pod(f"p{i}").labels(app="web").phase(phase).obj(), "v1", "Pod")
        out.append(_owned(p, owner, uid))
    return out


def more_cases():
    sel = {"matchLabels": {"app": "web"}}
    volumes = [{"name": "data", "emptyDir": {"sizeLimit": "1Gi"}}, {"name": "cfg", "configMap": {"name": "cfg"}},
               {"name": "host", "hostPath": {"path": "/var/log", "type": "Directory"}},
               {"name": "claim", "persistentVolumeClaim": {"claimName": "c1"}},
               {"name": "sec", "secret": {"secretName": "s", "optional": True}}]
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
          "metadata": {"name": "web-abc", "namespace": "default", "uid": "rs1", "labels": {"app": "web"},
                       "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                            "uid": "d1", "controller": True}]},
          "spec": {"replicas": 3, "selector": sel, "template": _tmpl({"app": "web"}, volumes=volumes,
                                                                     nodeSelector={"disk": "ssd"},
                                                                     tolerations=[{"operator": "Exists"}])},
          "status": {"replicas": 3}}
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet",
          "metadata": {"name": "agent", "namespace": "default", "uid": "ds1"},
          "spec": {"selector": sel, "template": _tmpl({"app": "web"}, nodeSelector={"kubernetes.io/os": "linux"})},
          "status": {"desiredNumberScheduled": 2, "currentNumberScheduled": 2, "numberReady": 1,
                     "updatedNumberScheduled": 2, "numberAvailable": 1}}
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet",
           "metadata": {"name": "db", "namespace": "default", "uid": "sts1", "creationTimestamp": "2026-11-20T08:00:00Z"},
           "spec": {"replicas": 2, "selector": sel, "serviceName": "db",
                    "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
                    "template": _tmpl({"app": "web"}),
                    "volumeClaimTemplates": [{"metadata": {"name": "data"},
                                              "spec": {"accessModes": ["ReadWriteOnce"],
                                                       "resources": {"requests": {"storage": "1Gi"}}}}]},
           "status": {"replicas": 2}}
    cj = {"apiVersion": "batch/v1", "kind": "CronJob",
          "metadata": {"name": "hello", "namespace": "default"},
          "spec": {"schedule": "*/5 * * * *", "concurrencyPolicy": "Allow", "suspend": False,
                   "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                   "jobTemplate": {"spec": {"template": _tmpl({}, restartPolicy="OnFailure")}}},
          "status": {"lastScheduleTime": "2026-11-26T10:25:00Z", "active": [{"name": "hello-1"}, {"name": "hello-2"}]}}
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "default"},
          "data": {"only": "one"}, "binaryData": {"blob": "AAEC"}}
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "dev"}},
          "status": {"phase": "Active"}}
    quota = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q", "namespace": "dev"},
             "status": {"hard": {"pods": "10", "requests.memory": "1Gi"}, "used": {"pods": "3", "requests.memory": "256Mi"}}}
    lr = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "lr", "namespace": "dev"},
          "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m", "memory": "512Mi"},
                               "defaultRequest": {"cpu": "250m", "memory": "256Mi"}, "max": {"cpu": "1"}}]}}
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "dev", "namespace": "default"},
            "rules": [{"apiGroups": ["", "apps"], "resources": ["pods", "deployments"], "verbs": ["get", "list"]},
                      {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]},
                      {"apiGroups": ["apps"], "resources": ["deployments"], "resourceNames": ["web"], "verbs": ["patch"]}]}
    rb = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
          "metadata": {"name": "dev-binding", "namespace": "default", "labels": {"team": "a"}},
          "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "dev"},
          "subjects": [{"kind": "User", "name": "jane"}, {"kind": "Group", "name": "devs"},
                       {"kind": "ServiceAccount", "name": "ci", "namespace": "default"}]}
    ep = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "web", "namespace": "default"},
          "subsets": [{"addresses": [{"ip": "10.244.1.2"}], "notReadyAddresses": [{"ip": "10.244.1.3"}],
                       "ports": [{"port": 80, "protocol": "TCP"}]}]}
    pv = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv-log", "finalizers": ["kubernetes.io/pv-protection"]},
          "spec": {"capacity": {"storage": "100Mi"}, "accessModes": ["ReadWriteMany"], "persistentVolumeReclaimPolicy": "Retain",
                   "hostPath": {"path": "/pv/log", "type": ""}, "claimRef": {"namespace": "default", "name": "claim-log"},
                   "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                       {"key": "kubernetes.io/hostname", "operator": "In", "values": ["node01"]}]}]}}},
          "status": {"phase": "Bound"}}
    pdb = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web-pdb", "namespace": "default"},
           "spec": {"minAvailable": 2, "selector": sel},
           "status": {"disruptionsAllowed": 1, "currentHealthy": 3, "desiredHealthy": 2, "expectedPods": 3}}
    pc = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
          "value": 1000000, "globalDefault": False, "preemptionPolicy": "PreemptLowerPriority",
          "description": "important pods"}
    ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "multi", "namespace": "default"},
           "spec": {"rules": [{"http": {"paths": [
               {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
               {"path": "/missing", "pathType": "Prefix", "backend": {"service": {"name": "gone", "port": {"name": "http"}}}}]}}]}}
    svc = typed(cases.web_service(), "v1", "Service")
    slices = [typed(s, "discovery.k8s.io/v1", "EndpointSlice") for s in cases.SLICES]
    return [
        (rs, ["describe", "rs", "web-abc"], _pods_for("ReplicaSet", "rs1", ["Running", "Running", "Pending"]), "pods"),
        (ds, ["describe", "ds", "agent"], _pods_for("DaemonSet", "ds1", ["Running", "Failed"]), "pods"),
        (sts, ["describe", "sts", "db"], _pods_for("StatefulSet", "sts1", ["Running"]), "pods"),
        (cj, ["describe", "cj", "hello"], [], None),
        (cm, ["describe", "cm", "cfg"], [], None),
        (ns, ["describe", "ns", "dev"], [quota, lr], "namespace"),
        (role, ["describe", "role", "dev"], [], None),
        (rb, ["describe", "rolebinding", "dev-binding"], [], None),
        (ep, ["describe", "ep", "web"], [], None),
        (pv, ["describe", "pv", "pv-log"], [], None),
        (pdb, ["describe", "pdb", "web-pdb"], [], None),
        (pc, ["describe", "priorityclass", "high"], [], None),
        (ing, ["describe", "ing", "multi"], [svc, *slices], "ingress"),
    ]


@pytest.mark.parametrize("index", range(13), ids=[
    "a replica set with pod counts, volumes and tolerations", "a daemon set", "a stateful set with claim templates",
    "a cron job with active jobs", "a config map with binary data", "a namespace with quota and limits",
    "a role whose rules are broken down and compacted", "a role binding", "endpoints with ready and not ready",
    "a persistent volume with node affinity", "a pod disruption budget", "a priority class",
    "an ingress with a missing backend service"])
def test_more_describers_match_real_kubectl(real_kubectl, index):
    obj, argv, extra, kind_of_related = more_cases()[index]
    with StubAPI(WALL) as api:
        for o in [obj, *extra]:
            api.add(o)
        real, window = run(real_kubectl, api, *argv)
    related = None
    if kind_of_related == "pods":
        related = {"pods": extra}
    elif kind_of_related == "namespace":
        related = {"resourcequotas": [extra[0]], "limitranges": [extra[1]]}
    elif kind_of_related == "ingress":
        related = {"services": {"web": extra[0]}, "endpointslices": extra[1:]}
    no_events = obj["kind"] in ("Namespace", "Role", "RoleBinding", "ResourceQuota", "LimitRange")
    if obj["kind"] == "Namespace":
        # kubectl walks a Go map for limit-range resources: its row order is random; ours is sorted
        ours = describe("Namespace", obj, None, window[0], related)
        assert sorted(real.splitlines()) == sorted(ours.splitlines())
        return
    same_as_kubectl(real, lambda now: describe(obj["kind"], obj, None if no_events else [], now, related), window)


# ---------------------------------------------------------------- pods in unusual shapes

def unusual_pods():
    base = {"apiVersion": "v1", "kind": "Pod"}
    init_pod = dict(base, metadata={"name": "init-demo", "namespace": "default",
                                    "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}",
                                                    "note": "x" * 150, "multi": "line one\nline two\n"}},
                    spec={"nodeName": "node01", "priorityClassName": "high", "priority": 1000000,
                          "initContainers": [
                              {"name": "setup", "image": "busybox", "command": ["sh", "-c", "echo hi\nsleep 5"]},
                              {"name": "log", "image": "busybox", "restartPolicy": "Always",
                               "startupProbe": {"exec": {"command": ["cat", "/tmp/ok"]}, "initialDelaySeconds": 5,
                                                "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1,
                                                "failureThreshold": 3}}],
                          "containers": [{"name": "app", "image": "nginx",
                                          "env": [{"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
                                                  {"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "level", "optional": True}}},
                                                  {"name": "MULTI", "value": "a\nb"}],
                                          "readinessProbe": {"tcpSocket": {"port": 80}, "timeoutSeconds": 1,
                                                             "periodSeconds": 5, "successThreshold": 1, "failureThreshold": 3},
                                          "resources": {"limits": {"cpu": "500m", "memory": "128Mi"},
                                                        "requests": {"cpu": "500m", "memory": "128Mi"}}}],
                          "volumes": [{"name": "info", "downwardAPI": {"items": [
                              {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}}],
                          "nodeSelector": {"disk": "ssd", "zone": "a"},
                          "readinessGates": [{"conditionType": "example.com/ready"}],
                          "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                                                         "labelSelector": {"matchLabels": {"app": "web"}}}],
                          "tolerations": [{"key": "gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"},
                                          {"operator": "Exists"}]},
                    status={"phase": "Pending", "hostIP": "192.168.1.11", "startTime": "2026-11-26T10:00:00Z",
                            "initContainerStatuses": [
                                {"name": "setup", "ready": False, "restartCount": 0, "image": "busybox", "imageID": "",
                                 "state": {"running": {"startedAt": "2026-11-26T10:00:01Z"}}},
                                {"name": "log", "ready": False, "restartCount": 0, "image": "busybox", "imageID": "",
                                 "state": {"waiting": {"reason": "PodInitializing"}}}],
                            "containerStatuses": [{"name": "app", "ready": False, "restartCount": 0, "image": "nginx",
                                                   "imageID": "", "state": {"waiting": {"reason": "PodInitializing"}}}],
                            "conditions": [{"type": "Initialized", "status": "False"}]})
    leaving = typed(cases.nginx_pod(), "v1", "Pod")
    leaving["metadata"].update({"name": "leaving", "deletionTimestamp": wts(12), "deletionGracePeriodSeconds": 30})
    leaving["status"]["message"] = "shutting down"
    leaving["status"]["reason"] = "Terminated"
    return [init_pod, leaving]


@pytest.mark.parametrize("index", [0, 1], ids=["an initializing pod with sidecar, probes, env sources and spread",
                                               "a terminating pod"])
def test_unusual_pods_match_real_kubectl(real_kubectl, index):
    obj = unusual_pods()[index]
    with StubAPI(WALL) as api:
        api.add(obj)
        real, window = run(real_kubectl, api, "describe", "pod", obj["metadata"]["name"])
    same_as_kubectl(real, lambda now: describe("Pod", obj, [], now), window)


# ---------------------------------------------------------------- cluster-scoped and autoscaling

def cluster_cases():
    admin = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
             "metadata": {"name": "cluster-admin", "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"},
                          "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}},
             "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
                       {"nonResourceURLs": ["*"], "verbs": ["*"]}]}
    crb = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
           "metadata": {"name": "cluster-admin"},
           "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
           "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:masters"}]}
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "web", "namespace": "default", "creationTimestamp": "2026-11-26T09:00:00Z"},
           "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                    "minReplicas": 1, "maxReplicas": 5,
                    "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                        "type": "Utilization", "averageUtilization": 50}}}]},
           "status": {"currentReplicas": 2, "desiredReplicas": 2,
                      "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {
                          "averageUtilization": 12, "averageValue": "6m"}}}],
                      "conditions": [{"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale",
                                      "message": "recommended size matches current size"}]}}
    ic = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "nginx"},
          "spec": {"controller": "k8s.io/ingress-nginx"}}
    lb = typed(cases.web_service(), "v1", "Service")
    lb["metadata"]["name"] = "lb"
    lb["spec"].update({"type": "LoadBalancer", "externalIPs": ["1.2.3.4"], "healthCheckNodePort": 32000,
                       "externalTrafficPolicy": "Local",
                       "ports": [{"name": "http", "port": 80, "targetPort": "web", "nodePort": 30080, "protocol": "TCP"}]})
    lb["status"] = {"loadBalancer": {"ingress": [{"ip": "192.168.1.240", "ipMode": "VIP"}, {"hostname": "lb.example.com"}]}}
    rq = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q", "namespace": "default"},
          "spec": {"scopes": ["NotBestEffort"]},
          "status": {"hard": {"pods": "10", "limits.memory": "2Gi"}, "used": {"pods": "1", "limits.memory": "512Mi"}}}
    lr = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "lr", "namespace": "default"},
          "spec": {"limits": [{"type": "Container", "max": {"cpu": "1"}}]}}
    return [(admin, ["describe", "clusterrole", "cluster-admin"], None),
            (crb, ["describe", "clusterrolebinding", "cluster-admin"], None),
            (hpa, ["describe", "hpa", "web"], []),
            (ic, ["describe", "ingressclass", "nginx"], []),
            (lb, ["describe", "svc", "lb"], []),
            (rq, ["describe", "quota", "q"], None),
            (lr, ["describe", "limits", "lr"], None)]


@pytest.mark.parametrize("index", range(7), ids=[
    "cluster-admin with resource and non-resource rules", "a cluster role binding to a group",
    "an autoscaler on cpu utilization", "an ingress class", "a load balancer with ingress and a named target port",
    "a scoped resource quota", "a limit range"])
def test_cluster_and_policy_describers_match_real_kubectl(real_kubectl, index):
    obj, argv, events = cluster_cases()[index]
    with StubAPI(WALL) as api:
        api.add(obj)
        real, window = run(real_kubectl, api, *argv)
    same_as_kubectl(real, lambda now: describe(obj["kind"], obj, events, now), window)


def test_endpointslice_and_generic_describers_match_real_kubectl(real_kubectl):
    eps = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
           "metadata": {"name": "web-abcde", "namespace": "default", "labels": {"kubernetes.io/service-name": "web"}},
           "addressType": "IPv4", "ports": [{"name": "", "port": 80, "protocol": "TCP"}],
           "endpoints": [{"addresses": ["10.244.1.20"], "conditions": {"ready": True}, "nodeName": "node01",
                          "targetRef": {"kind": "Pod", "name": "web-1"}},
                         {"addresses": ["10.244.2.21"], "conditions": {}}]}
    lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
             "metadata": {"name": "node01", "namespace": "kube-node-lease", "uid": "abc", "resourceVersion": "42",
                          "creationTimestamp": "2026-11-16T10:25:11Z", "labels": {"x": "y"},
                          "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "node01", "uid": "n1"}]},
             "spec": {"holderIdentity": "node01", "leaseDurationSeconds": 40,
                      "renewTime": "2026-11-26T10:25:06.123456Z"}}
    with StubAPI(WALL) as api:
        api.add(eps)
        api.add(lease)
        real_eps, window = run(real_kubectl, api, "describe", "endpointslice", "web-abcde")
        real_lease, _ = run(real_kubectl, api, "describe", "lease", "node01", "-n", "kube-node-lease")
    same_as_kubectl(real_eps, lambda now: describe("EndpointSlice", eps, [], now), window)
    same_as_kubectl(real_lease, lambda now: describe("Lease", lease, [], now), window)


def test_several_descriptions_are_joined_like_kubectl(real_kubectl):
    from kcore.cli.kubectl.printers import join_descriptions
    cms = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": n, "namespace": "default"},
            "data": {"k": "v"}} for n in ("a", "b")]
    with StubAPI(WALL) as api:
        for cm in cms:
            api.add(cm)
        real, window = run(real_kubectl, api, "describe", "cm")
    assert real == join_descriptions([describe("ConfigMap", cm, [], window[0]) for cm in cms])


def test_events_beside_pods_keep_plain_cells(real_kubectl):
    from kcore.cli.kubectl.printers import print_tables
    from tests.printers.test_tables import PODS, event
    pod = PODS["nginx"].obj()
    ev = dict(event("Pulling", 567, 'Pulling image "nginx"'), apiVersion="v1")
    with StubAPI(WALL) as api:
        api.add(pod)
        api.add(ev)
        real, _ = run(real_kubectl, api, "get", "pods,events")
        wide, _ = run(real_kubectl, api, "get", "events", "-o", "wide", "--show-kind")
    assert real == print_tables([(("Pod", "", True), [pod]), (("Event", "", True), [ev])], WALL)
    assert wide == print_tables([(("Event", "", True), [ev])], WALL, wide=True, show_kind=True)
