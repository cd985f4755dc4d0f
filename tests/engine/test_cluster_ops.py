"""Operating the cluster: joining nodes, broken control-plane manifests, add-ons by URL, drains.

The troubleshooting labs break one flag of one static pod manifest and expect the symptom a
real kubeadm cluster shows: an API server that cannot start refuses kubectl's connection, a
scheduler or controller manager that cannot start sits in CrashLoopBackOff. Each case copies
the manifest aside, breaks it with sed, looks, and puts the copy back, so one cluster serves
the table. Add-ons fetched by URL come from the catalogue, as `kubectl apply -f https://…`
would fetch them."""
from __future__ import annotations

import pytest

REFUSED = "The connection to the server 192.168.1.10:6443 was refused - did you specify the right host or port?\n"
MANIFESTS = "/etc/kubernetes/manifests"


def bug(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.fixture(scope="module")
def cluster():
    import kcore
    return kcore.Cluster(workers=1)


# (manifest, sed expression, symptom: "refused" or the component whose pod must not be ready)
BROKEN = [
    pytest.param("kube-scheduler.yaml", "s#/etc/kubernetes/scheduler.conf#/etc/kubernetes/scheduler.confx#",
                 "kube-scheduler", id="a scheduler kubeconfig typo crash-loops the scheduler"),
    pytest.param("kube-apiserver.yaml", "s#--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt#--etcd-cafile=/x/ca.crt#",
                 "refused", id="an API server certificate path typo makes kubectl's connection refused"),
    pytest.param("kube-apiserver.yaml", "s#--etcd-servers=https://127.0.0.1:2379#--etcd-servers=https://127.0.0.1:2380#",
                 "refused",
                 id="an API server pointed at the wrong etcd port takes the API down"),
    pytest.param("kube-apiserver.yaml", "s#--authorization-mode=Node,RBAC#--authorization-mode=Node,RBCA#",
                 "refused",
                 id="an unknown authorization mode stops the API server"),
    pytest.param("kube-scheduler.yaml", "s#- --leader-elect=true#- --leader-elect=true\\n    - --no-such-flag=1#",
                 "kube-scheduler",
                 id="an unknown scheduler flag crash-loops the scheduler"),
    pytest.param("kube-controller-manager.yaml", "s#- kube-controller-manager$#- kube-controller-managerx#",
                 "kube-controller-manager",
                 id="a misspelled controller-manager command never starts"),
]


@pytest.mark.parametrize("manifest, sed, symptom", BROKEN)
def test_a_broken_manifest_shows_its_symptom(cluster, manifest, sed, symptom):
    cluster.ssh("controlplane", f"cp {MANIFESTS}/{manifest} /root/{manifest}")
    cluster.ssh("controlplane", f"sed -i '{sed}' {MANIFESTS}/{manifest}")
    cluster.advance(40)
    if symptom == "refused":
        got = cluster.kubectl("get nodes").stderr
        want = REFUSED
    else:
        got = cluster.kubectl(["get", "pods", "-n", "kube-system", "-l", f"component={symptom}", "-o",
                               "jsonpath={.items[0].status.containerStatuses[0].ready}"]).stdout
        want = "false"
    cluster.ssh("controlplane", f"cp /root/{manifest} {MANIFESTS}/{manifest}")
    cluster.advance(60)
    assert got == want


def test_the_api_server_comes_back_after_the_fix(cluster):
    r = cluster.kubectl("get nodes -o name")
    assert (r.stdout, r.returncode) == ("node/controlplane\nnode/node01\n", 0)


def test_a_joined_node_is_ready_and_runs_the_daemonsets(cluster):
    name = cluster.add_node()
    status = cluster.kubectl(["get", "node", name, "-o",
                              "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"]).stdout
    pods = cluster.kubectl(["get", "pods", "-A", "--field-selector", f"spec.nodeName={name}", "-o",
                            "jsonpath={.items[*].metadata.labels.k8s-app}{.items[*].metadata.labels.app}"]).stdout
    assert (name, status) == ("node02", "True") and "kube-proxy" in pods and "flannel" in pods


def test_a_node_name_cannot_join_twice(cluster):
    with pytest.raises(ValueError, match="node node01 already exists"):
        cluster.add_node("node01")


def _snapshot(cluster):
    cluster.ssh("controlplane", "etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt "
                "--cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key "
                "snapshot save /opt/s.db")


def test_restoring_into_a_non_empty_dir_is_refused(cluster):
    _snapshot(cluster)
    cluster.ssh("controlplane", "mkdir -p /opt/used && echo x > /opt/used/f")
    r = cluster.ssh("controlplane", "etcdutl snapshot restore /opt/s.db --data-dir=/opt/used")
    assert (r.stderr.splitlines()[-1], r.returncode) == \
        ('Error: data-dir "/opt/used" not empty or could not be read', 1)


def test_restoring_into_the_live_data_dir_is_refused(cluster):
    _snapshot(cluster)
    listing = cluster.ssh("controlplane", "ls /var/lib/etcd").stdout
    r = cluster.ssh("controlplane", "etcdutl snapshot restore /opt/s.db --data-dir=/var/lib/etcd")
    assert (listing, r.returncode) == ("member\n", 1)


def test_top_needs_metrics_server(cluster):
    r = cluster.kubectl("top nodes")
    assert (r.stderr, r.returncode) == ("error: Metrics API not available\n", 1)


def test_an_unknown_url_is_a_404(cluster):
    r = cluster.kubectl("apply -f https://example.com/nope.yaml")
    assert r.stderr == ('error: unable to read URL "https://example.com/nope.yaml", server reported 404 Not Found, '
                        "status code=404\n")


def test_metrics_server_without_insecure_tls_cannot_scrape_kubeadm_kubelets(cluster):
    cluster.kubectl("apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml")
    cluster.advance(40)
    logs = cluster.kubectl("logs -n kube-system deploy/metrics-server").stdout
    ready = cluster.kubectl(["get", "deploy", "metrics-server", "-n", "kube-system", "-o",
                             "jsonpath={.status.readyReplicas}"]).stdout
    assert "tls: failed to verify" in logs and ready == ""


@bug("catalog.py's components.yaml has 6 objects; the real one also creates RoleBinding "
     "metrics-server-auth-reader, ClusterRoleBinding metrics-server:system:auth-delegator and the "
     "APIService v1beta1.metrics.k8s.io that `kubectl get apiservices` shows")
def test_metrics_server_registers_its_api_service(cluster):
    r = cluster.kubectl("get apiservice v1beta1.metrics.k8s.io -o name")
    assert r.stdout == "apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io\n"


def test_reapplying_the_flannel_manifest_changes_nothing(cluster):
    r = cluster.kubectl("apply -f https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml")
    assert (r.stderr, r.stdout.splitlines()[0]) == ("", "namespace/kube-flannel unchanged")


def test_a_drain_blocked_by_a_pdb_times_out_and_fails(cluster):
    cluster.kubectl("create deployment guarded --image=nginx:1.27 --replicas=1")
    cluster.kubectl("create pdb guarded --selector=app=guarded --min-available=1")
    node = cluster.kubectl(["get", "pods", "-l", "app=guarded", "-o",
                            "jsonpath={.items[0].spec.nodeName}"]).stdout
    r = cluster.kubectl(f"drain {node} --ignore-daemonsets --timeout=10s")
    cluster.kubectl(f"uncordon {node}")
    assert r.returncode == 1 and "global timeout reached: 10s" in r.stderr and "drained" not in r.stdout


def test_an_etcd_restore_brings_back_the_past_and_forgets_the_rest(cluster):
    """Snapshot, then delete one thing and create another; restore; point etcd.yaml at the copy."""
    cluster.kubectl("create deployment before --image=nginx:1.27")
    _snapshot(cluster)
    cluster.kubectl("delete deployment before")
    cluster.kubectl("run after --image=nginx:1.27")
    r = cluster.ssh("controlplane", "etcdutl snapshot restore /opt/s.db --data-dir=/var/lib/etcd-restored")
    assert r.returncode == 0, r.stderr
    cluster.ssh("controlplane", f"sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-restored#' "
                f"{MANIFESTS}/etcd.yaml")
    cluster.advance(60)
    ready = cluster.kubectl(["get", "deploy", "before", "-o", "jsonpath={.status.readyReplicas}"]).stdout
    after = cluster.kubectl("get pod after").returncode
    containers = cluster.ssh("node01", "crictl ps").stdout + cluster.ssh("node02", "crictl ps").stdout
    assert (ready, after) == ("1", 1)
    assert " after " not in containers


def test_a_restore_into_the_emptied_live_data_dir_is_read_when_etcd_starts_again():
    """The other documented flow: stop etcd, move its data dir aside, restore into the same path."""
    import kcore
    c = kcore.Cluster(workers=1)
    c.kubectl("create deployment before --image=nginx:1.27")
    _snapshot(c)
    c.kubectl("delete deployment before")
    c.ssh("controlplane", f"mv {MANIFESTS}/etcd.yaml /root/etcd.yaml")
    c.advance(20)
    c.ssh("controlplane", "mv /var/lib/etcd /var/lib/etcd.old")
    r = c.ssh("controlplane", "etcdutl snapshot restore /opt/s.db --data-dir=/var/lib/etcd")
    c.ssh("controlplane", f"mv /root/etcd.yaml {MANIFESTS}/etcd.yaml")
    c.advance(60)
    got = c.kubectl(["get", "deploy", "before", "-o", "name"]).stdout
    assert (r.returncode, got) == (0, "deployment.apps/before\n")


def test_a_failing_job_backs_off_between_pods(cluster):
    cluster.kubectl("create job backoff --image=busybox:1.36 -- sh -c 'exit 1'")
    cluster.advance(5)
    early = cluster.kubectl(["get", "pods", "-l", "job-name=backoff", "-o", "name"]).stdout.count("\n")
    assert early == 1


# A second scheduler, as a learner who read older notes might start it. v1.35's kube-scheduler
# takes its name only from a KubeSchedulerConfiguration file; (flags, config file, what its log
# says first, the node the pod that names it lands on or "" for Pending)
CONFIG = ("apiVersion: kubescheduler.config.k8s.io/v1\nkind: {kind}\nprofiles:\n"
          "- schedulerName: second\nleaderElection:\n  leaderElect: false\n")
SECOND = [
    pytest.param(["--scheduler-name=second", "--leader-elect=false"], None,
                 "Error: unknown flag: --scheduler-name", False,
                 id="--scheduler-name is refused: it was removed in v1.23"),
    pytest.param(["--port=10282", "--config=/etc/second/config.yaml"], "KubeSchedulerConfiguration",
                 "Error: unknown flag: --port", False,
                 id="the insecure --port is gone too"),
    pytest.param(["--config=/etc/second/config.yaml"], "KubeSchedulerConfig",
                 'E0101 00:00:00.000000       1 run.go:72] "command failed" err="no kind '
                 '\\"KubeSchedulerConfig\\"', False,
                 id="a config file of the wrong kind stops it"),
    pytest.param(["--config=/etc/second/other.yaml"], "KubeSchedulerConfiguration",
                 'E0101 00:00:00.000000       1 run.go:72] "command failed" err="open '
                 '/etc/second/other.yaml: no such file or directory"', False,
                 id="a --config path that is not mounted stops it"),
    pytest.param(["--config=/etc/second/config.yaml"], "KubeSchedulerConfiguration",
                 "I0101 00:00:00.000000       1 serving.go:386] Generated self-signed cert in-memory", True,
                 id="a config file from a ConfigMap names the scheduler"),
]


@pytest.mark.parametrize("flags, kind, first_log_line, places", SECOND)
def test_a_second_scheduler_is_named_by_its_config_file(flags, kind, first_log_line, places):
    import json

    import kcore
    c = kcore.Cluster(workers=1)
    if kind is not None:
        c.kubectl(["create", "configmap", "second-config", "-n", "kube-system",
                   f"--from-literal=config.yaml={CONFIG.format(kind=kind)}"])
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "second", "namespace": "kube-system"},
           "spec": {"containers": [{"name": "s", "image": "registry.k8s.io/kube-scheduler:v1.35.0",
                                    "command": ["kube-scheduler", *flags],
                                    "volumeMounts": [{"name": "config", "mountPath": "/etc/second"}]}],
                    "volumes": [{"name": "config", "configMap": {"name": "second-config",
                                                                 "optional": True}}]}}
    assert c.kubectl("apply -f -", stdin=json.dumps(pod)).returncode == 0
    c.kubectl(["run", "wants-second", "--image=nginx", '--overrides={"spec":{"schedulerName":"second"}}'])
    c.advance(20)
    logs = c.kubectl("logs -n kube-system second").stdout
    node = c.kubectl(["get", "pod", "wants-second", "-o", "jsonpath={.spec.nodeName}"]).stdout
    assert logs.splitlines()[0].startswith(first_log_line)
    assert bool(node) is places
