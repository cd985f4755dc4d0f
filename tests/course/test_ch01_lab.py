"""Chapter 01's lab module: the scenario builds the state its tasks describe, every graded task
has hints, and the chapter's helpers (etcdctl on the control plane, the request trail as
component steps, the declarative check, the NodePort picture) tell the truth about the cluster."""
from __future__ import annotations

import json

import nbformat
import pytest

from kcore.notebook import hints, scenarios
from kcore.notebook.grading import CheckFailed
from kcore.notebook.labs import ch01
from tests.course.nbgrader_harness import REPO

CERTS = ("--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt "
         "--cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key")


@pytest.fixture(scope="module")
def lab():
    return scenarios.start(ch01.LAB)


def _json(lab, args):
    result = lab.cluster.kubectl(args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("args, path, expected", [
    pytest.param("get rs new-replica-set -o json", "spec.template.spec.containers.0.image", "busybox777",
                 id="the broken ReplicaSet asks for an image that does not exist"),
    pytest.param("get rs frontend -o json", "status.readyReplicas", 2, id="frontend waits to be scaled from 2"),
    pytest.param("get deploy shop -o json", "status.readyReplicas", 2, id="the shop deployment has two ready pods"),
    pytest.param("get pod cache -o json", "metadata.labels.app", "cache", id="the cache pod carries app=cache"),
    pytest.param("get svc db-service -n marketing -o json", "spec.ports.0.port", 6379,
                 id="marketing has the db-service the DNS task names"),
])
def test_the_scenario_builds_what_the_tasks_describe(lab, args, path, expected):
    value = _json(lab, args.split())
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else value[part]
    assert value == expected


def test_the_broken_replicaset_pods_cannot_pull_their_image(lab):
    pods = _json(lab, ["get", "pods", "-l", "name=busybox-pod", "-o", "json"])["items"]
    reasons = {c["state"].get("waiting", {}).get("reason") for p in pods for c in p["status"]["containerStatuses"]}
    assert len(pods) == 4 and reasons <= {"ImagePullBackOff", "ErrImagePull"}


def test_the_broken_manifest_file_is_refused_as_it_stands(lab):
    result = lab.cluster.kubectl("create -f /root/replicaset-definition-2.yaml --dry-run=server")
    assert result.returncode != 0
    assert 'no matches for kind "ReplicaSet" in version "v1"' in result.stderr


def test_every_graded_task_has_hints():
    nb = nbformat.read(REPO / "solutions" / "ch01-core-concepts" / "ch01-core-concepts.ipynb", 4)
    graded = {c.metadata["nbgrader"]["grade_id"][:-len("-test")] for c in nb.cells
              if c.metadata.get("nbgrader", {}).get("grade")}
    assert graded == set(ch01.TASKS)
    assert {task: hints.count(task) for task in graded if hints.count(task) < 2} == {}


@pytest.mark.parametrize("line, expected, stream", [
    pytest.param(f"etcdctl {CERTS} get /registry/pods/default --prefix --keys-only", "/registry/pods/default/cache",
                 "stdout", id="with etcd's certificates etcdctl lists the pods' keys"),
    pytest.param(f"ETCDCTL_API=3 etcdctl {CERTS} get /registry/namespaces --prefix --keys-only | grep -c registry",
                 "", "stdout", id="an environment prefix and a pipeline work as in a shell"),
    pytest.param("etcdctl get /registry --prefix --keys-only", "context deadline exceeded", "stderr",
                 id="without certificates etcd refuses the client"),
])
def test_etcdctl_on_the_control_plane(lab, line, expected, stream):
    result = ch01.etcdctl(line, cluster=lab.cluster, quiet=True)
    assert expected in getattr(result, stream)
    if "grep -c" in line:
        assert int(result.stdout) >= 5


def test_the_request_trail_follows_a_pod_through_the_components(lab):
    traced = ch01.TracedCluster(lab.cluster)
    start = len(traced.trail())
    traced.kubectl("run traced --image=nginx")
    steps = [s for s in traced.trail()[start:] if s["object"] == "pod/default/traced"]
    order = [s["component"] for s in steps]
    firsts = sorted(set(order), key=order.index)
    assert firsts == ["apiserver", "etcd", "scheduler", "kubelet", "runtime"]
    assert any("Started container traced" in s["action"] for s in steps)
    before = traced.trail()
    traced.kubectl("delete pod traced")
    assert traced.trail()[:len(before)] == before, "earlier steps never change as the trail grows"


@pytest.mark.parametrize("how, passes", [
    pytest.param("create deployment made-by-create --image=nginx", False,
                 id="an object made with kubectl create fails the declarative check"),
    pytest.param("create deployment made-by-apply --image=nginx --save-config", True,
                 id="an object that kubectl can apply to passes it"),
])
def test_check_applied_tells_create_from_apply(lab, how, passes):
    lab.kubectl(how)
    name = how.split()[2]
    if passes:
        ch01.check_applied("deployments", name)
    else:
        with pytest.raises(CheckFailed, match="should have been created declaratively"):
            ch01.check_applied("deployments", name)


@pytest.mark.parametrize("command, message", [
    pytest.param("", "Expected your command; it is still empty.", id="an empty command is still empty"),
    pytest.param("kubectl get pods -n kube-system -o name", "Your command should print",
                 id="a command printing too much says what it should print"),
])
def test_check_command_explains_a_wrong_command(lab, command, message):
    with pytest.raises(CheckFailed, match=message):
        ch01.check_command(command, "pod/kube-scheduler-controlplane")


def test_the_nodeport_picture_follows_the_service_to_its_pods(lab):
    lab.kubectl("expose deployment shop --type=NodePort --port=80 --name=shop-np")
    model = ch01.nodeport_model("shop-np", cluster=lab.cluster)
    assert [name for name, _ in model["nodes"]] == ["controlplane", "node01", "node02"]
    assert len(model["endpoints"]) == 2 and all(e["pod"].startswith("shop-") for e in model["endpoints"])
    dot = ch01.nodeport_dot(model)
    assert dot.count('"client" -> ') == 3 and dot.count('"svc" -> "pod/') == 2
    assert "shop-np" in ch01.nodeport_table(model)
