"""Row cells of the kinds the reference shows as one-liners or describes in words (§1.4)."""
import pytest

from kcore.cli.kubectl.printers import table_rows
from tests.printers.builders import NOW, ts, meta

M, H, D = 60, 3600, 86400


def job(name, age, completions=None, parallelism=None, succeeded=0, started=None, done=None, conditions=()):
    spec = {"template": {"spec": {"containers": [{"name": "pi", "image": "perl"}]}}}
    if completions is not None:
        spec["completions"] = completions
    if parallelism is not None:
        spec["parallelism"] = parallelism
    status = {"succeeded": succeeded, "conditions": [{"type": c, "status": "True"} for c in conditions]}
    if started is not None:
        status["startTime"] = ts(started)
    if done is not None:
        status["completionTime"] = ts(done)
    return {"metadata": meta(name, age, "default"), "spec": spec, "status": status}


CASES = [
    pytest.param("Job", job("done-job", 120 * M, 1, succeeded=1, started=120 * M, done=120 * M - 17,
                            conditions=("Complete",)),
                 ["done-job", "Complete", "1/1", "17s", "120m"], id="a complete job shows its duration"),
    pytest.param("Job", job("running-job", 79, 5, succeeded=2, started=79), ["running-job", "Running", "2/5", "79s", "79s"],
                 id="a running job's duration grows with the clock"),
    pytest.param("Job", job("par", 60, parallelism=3), ["par", "Running", "0/1 of 3", "", "60s"],
                 id="a job without completions but with parallelism says so"),
    pytest.param("Job", job("f", 60, 1, conditions=("Failed",), started=60), ["f", "Failed", "0/1", "60s", "60s"],
                 id="a failed job is Failed"),
    pytest.param("Job", job("s", 60, 1, conditions=("Suspended",)), ["s", "Suspended", "0/1", "", "60s"],
                 id="a suspended job is Suspended"),
    pytest.param("Secret", {"metadata": meta("regcred", 38), "type": "kubernetes.io/dockerconfigjson",
                            "data": {".dockerconfigjson": "e30="}},
                 ["regcred", "kubernetes.io/dockerconfigjson", "1", "38s"], id="a secret counts its keys"),
    pytest.param("ConfigMap", {"metadata": meta("kube-root-ca.crt", 10 * D), "data": {"ca.crt": "x"},
                               "binaryData": {"b": "AA=="}}, ["kube-root-ca.crt", "2", "10d"],
                 id="a config map counts data and binary data"),
    pytest.param("ServiceAccount", {"metadata": meta("default", 10 * D)}, ["default", "0", "10d"],
                 id="a service account without secrets shows 0"),
    pytest.param("Namespace", {"metadata": meta("default", 10 * D), "status": {"phase": "Active"}},
                 ["default", "Active", "10d"], id="a namespace shows its phase"),
    pytest.param("ReplicaSet", {"metadata": meta("web-5d8f9c7b6d", 4 * H + M),
                                "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web", "pod-template-hash": "5d8f9c7b6d"}},
                                         "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}},
                                "status": {"replicas": 3, "readyReplicas": 3}},
                 ["web-5d8f9c7b6d", "3", "3", "3", "4h1m"], id="a replica set shows desired, current, ready"),
    pytest.param("ReplicationController", {"metadata": meta("legacy-rc", 60), "spec": {"replicas": 2, "selector": {"app": "legacy"}},
                                           "status": {"replicas": 2}}, ["legacy-rc", "2", "2", "0", "60s"],
                 id="a replication controller counts like a replica set"),
    pytest.param("StatefulSet", {"metadata": meta("db", 600), "spec": {"replicas": 3}, "status": {"readyReplicas": 2}},
                 ["db", "2/3", "10m"], id="a stateful set shows ready over desired"),
    pytest.param("EndpointSlice", {"metadata": meta("web-abcde", 60), "addressType": "IPv4",
                                   "ports": [{"port": 80}, {"name": "https"}, {}, {"port": 9}],
                                   "endpoints": [{"addresses": ["10.0.0.1"]}, {"addresses": ["10.0.0.2", "10.0.0.3"]},
                                                 {"addresses": ["10.0.0.4"]}]},
                 ["web-abcde", "IPv4", "80,https,* + 1 more...", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...", "60s"],
                 id="an endpoint slice lists three ports and addresses then how many more"),
    pytest.param("EndpointSlice", {"metadata": meta("empty", 60), "addressType": "IPv4"},
                 ["empty", "IPv4", "<unset>", "<unset>", "60s"], id="an empty endpoint slice shows unset"),
    pytest.param("IngressClass", {"metadata": meta("nginx", 60), "spec": {"controller": "k8s.io/ingress-nginx",
                                                                         "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "p"}}},
                 ["nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/p", "60s"],
                 id="an ingress class names its parameters"),
    pytest.param("PriorityClass", {"metadata": meta("system-node-critical", 10 * D), "value": 2000001000, "globalDefault": False},
                 ["system-node-critical", "2000001000", "false", "10d", "PreemptLowerPriority"],
                 id="a priority class shows the default preemption policy last"),
    pytest.param("PodDisruptionBudget", {"metadata": meta("web-pdb", 60), "spec": {"minAvailable": "50%"},
                                         "status": {"disruptionsAllowed": 1}}, ["web-pdb", "50%", "N/A", "1", "60s"],
                 id="a disruption budget shows N/A for the unset bound"),
    pytest.param("Lease", {"metadata": meta("node01", 10 * D), "spec": {"holderIdentity": "node01"}}, ["node01", "node01", "10d"],
                 id="a lease shows its holder"),
    pytest.param("HorizontalPodAutoscaler", {
        "metadata": meta("web", 60), "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "minReplicas": 1,
                                               "maxReplicas": 5, "metrics": [{"type": "Resource", "resource": {
                                                   "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]},
        "status": {"currentReplicas": 1}},
        ["web", "Deployment/web", "cpu: <unknown>/50%", "1", "5", "1", "60s"], id="an autoscaler without metrics yet"),
    pytest.param("HorizontalPodAutoscaler", {
        "metadata": meta("web", 60), "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 5,
                                               "metrics": [{"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "500Mi"}}}]},
        "status": {"currentReplicas": 2, "currentMetrics": [{"type": "Resource", "resource": {"name": "memory", "current": {"averageValue": "200Mi"}}}]}},
        ["web", "Deployment/web", "memory: 200Mi/500Mi", "<unset>", "5", "2", "60s"], id="an autoscaler on average memory"),
    pytest.param("ControllerRevision", {"metadata": dict(meta("kube-proxy-7f9", 60), ownerReferences=[
        {"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "kube-proxy", "controller": True}]), "revision": 1},
                 ["kube-proxy-7f9", "daemonset.apps/kube-proxy", "1", "60s"], id="a controller revision names its owner"),
    pytest.param("LimitRange", {"metadata": {"name": "lr", "creationTimestamp": "2026-01-15T09:30:00Z"}},
                 ["lr", "2026-01-15T09:30:00Z"], id="a limit range has no printer"),
    pytest.param("Service", {"metadata": meta("ext", 60), "spec": {"type": "ExternalName", "externalName": "db.example.com"}},
                 ["ext", "ExternalName", "<none>", "db.example.com", "<none>", "60s"], id="an external name service"),
    pytest.param("Service", {"metadata": meta("lb", 60), "spec": {"type": "LoadBalancer", "clusterIPs": ["10.0.0.9"],
                                                                  "ports": [{"port": 443, "nodePort": 31000}]},
                             "status": {"loadBalancer": {"ingress": [{"hostname": "a-very-long-load-balancer.example.com"}]}}},
                 ["lb", "LoadBalancer", "10.0.0.9", "a-very-long-l...", "443:31000/TCP", "60s"],
                 id="a long load balancer address is cut unless wide"),
    pytest.param("Service", {"metadata": meta("headless", 60), "spec": {"clusterIP": "None", "clusterIPs": ["None"]}},
                 ["headless", "ClusterIP", "None", "<none>", "<none>", "60s"], id="a headless service"),
    pytest.param("Endpoints", {"metadata": meta("none", 60)}, ["none", "<none>", "60s"], id="endpoints without subsets"),
    pytest.param("Node", {"metadata": meta("n", 60, labels={"kubernetes.io/role": "worker"}),
                          "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}},
                 ["n", "NotReady", "worker", "60s", ""], id="a node with an unknown Ready is NotReady"),
    pytest.param("Node", {"metadata": meta("n", 60)}, ["n", "Unknown", "<none>", "60s", ""],
                 id="a node without a Ready condition is Unknown"),
    pytest.param("PersistentVolume", {"metadata": dict(meta("gone", 60), deletionTimestamp=ts(1)),
                                      "spec": {"accessModes": ["ReadWriteOncePod", "ReadOnlyMany"]}, "status": {"phase": "Bound"}},
                 ["gone", "0", "ROX,RWOP", "", "Terminating", "", "", "<unset>", "", "60s"],
                 id="a deleted volume is Terminating and modes keep kubectl's order"),
    pytest.param("CronJob", {"metadata": meta("tz", 60), "spec": {"schedule": "0 * * * *", "timeZone": "Etc/UTC"}},
                 ["tz", "0 * * * *", "Etc/UTC", "<unset>", "0", "<none>", "60s"], id="a cron job in a time zone"),
]


@pytest.mark.parametrize("kind, obj, cells", CASES)
def test_cells(kind, obj, cells):
    assert table_rows(kind, obj, NOW)[1][0] == cells


def test_wide_events_reorder_columns():
    ev = {"metadata": meta("nginx.17f3c2a1b2c3d4e5", 567), "involvedObject": {"kind": "Pod", "name": "nginx",
                                                                              "fieldPath": "spec.containers{nginx}"},
          "type": "Normal", "reason": "Pulling", "message": 'Pulling image "nginx"', "firstTimestamp": ts(567),
          "lastTimestamp": ts(567), "count": 1, "source": {"component": "kubelet", "host": "node01"}}
    headers, rows = table_rows("Event", ev, NOW, wide=True)
    assert headers == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN",
                       "COUNT", "NAME"]
    assert rows[0] == ["9m27s", "Normal", "Pulling", "pod/nginx", "spec.containers{nginx}", "kubelet, node01",
                       'Pulling image "nginx"', "9m27s", "1", "nginx.17f3c2a1b2c3d4e5"]


def test_a_long_load_balancer_address_is_whole_when_wide():
    obj = {"metadata": meta("lb", 60), "spec": {"type": "LoadBalancer", "clusterIPs": ["10.0.0.9"]},
           "status": {"loadBalancer": {"ingress": [{"hostname": "a-very-long-load-balancer.example.com"}]}}}
    assert table_rows("Service", obj, NOW, wide=True)[1][0][3] == "a-very-long-load-balancer.example.com"


CRONTAB_COLUMNS = [
    {"name": "Spec", "type": "string", "jsonPath": ".spec.cronSpec"},
    {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
    {"name": "Image", "type": "string", "jsonPath": ".spec.image", "priority": 1},
    {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
]


@pytest.mark.parametrize("columns, wide, headers, cells", [
    pytest.param([], False, ["NAME", "AGE"], ["my-new-cron-object", "6s"],
                 id="a custom resource without printer columns shows its age"),
    pytest.param(CRONTAB_COLUMNS, False, ["NAME", "SPEC", "REPLICAS", "AGE"],
                 ["my-new-cron-object", "* * * * */5", "1", "6s"], id="printer columns fill the row"),
    pytest.param(CRONTAB_COLUMNS, True, ["NAME", "SPEC", "REPLICAS", "IMAGE", "AGE"],
                 ["my-new-cron-object", "* * * * */5", "1", "<none>", "6s"],
                 id="priority columns appear with wide and a missing field prints none"),
])
def test_custom_resource_rows(columns, wide, headers, cells):
    obj = {"apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": meta("my-new-cron-object", 6),
           "spec": {"cronSpec": "* * * * */5", "replicas": 1}}
    assert table_rows("CronTab", obj, NOW, wide=wide, columns=columns) == (headers, [cells])


def test_custom_resource_table():
    from kcore.cli.kubectl.printers import print_tables
    obj = {"metadata": meta("my-new-cron-object", 6), "spec": {"cronSpec": "* * * * */5", "replicas": 1}}
    info = {"kind": "CronTab", "group": "stable.example.com", "namespaced": True, "printer_columns": CRONTAB_COLUMNS}
    assert print_tables([(info, [obj])], NOW) == (
        "NAME                 SPEC          REPLICAS   AGE\n"
        "my-new-cron-object   * * * * */5   1          6s\n")
