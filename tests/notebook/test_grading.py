"""Grading checks explain failures in layers: what was expected, what was found, where to look."""
from __future__ import annotations

import pytest

from kcore.notebook.grading import CheckFailed, Checks, GraderError, same_quantity
from tests.notebook.fakes import FakeCluster, Result, deployment, endpoints, event, node, pod, service

TAINT_MSG = "0/3 nodes are available: 3 node(s) had untolerated taint(s). preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."


def world() -> FakeCluster:
    return FakeCluster().add(
        node("controlplane", labels={"node-role.kubernetes.io/control-plane": ""},
             taints=[{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]),
        node("node01", taints=[{"key": "gpu", "value": "true", "effect": "NoSchedule"}]),
        node("node02", ready=False, unschedulable=True),
        pod("web", node="node01", labels={"app": "web"}, image="nginx:1.27", requests={"cpu": "0.5", "memory": "1Gi"}),
        pod("stuck", phase="Pending", scheduled_message=TAINT_MSG),
        pod("orphan", phase="Pending"),
        pod("mine", phase="Pending", scheduler="my-scheduler"),
        pod("pulling", node="node02", phase="Pending", waiting=("ImagePullBackOff", 'Back-off pulling image "ngnix"')),
        pod("api", namespace="prod"),
        {**pod("static-web-node01", node="node01"),
         "metadata": {"name": "static-web-node01", "namespace": "default",
                      "ownerReferences": [{"kind": "Node", "name": "node01"}]}},
        {**pod("affine", node="node01"),
         "spec": {"containers": [], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
             "nodeSelectorTerms": [{"matchExpressions": [{"key": "size", "operator": "In", "values": ["large"]}]}]}}}}},
        deployment("front", replicas=3, ready=2, labels={"app": "front"}),
        pod("front-abc", phase="Pending", labels={"app": "front"}, scheduled_message=TAINT_MSG),
        deployment("shop"),
        service("web", {"app": "web"}, kind="NodePort"),
        service("lost", {"app": "nothing"}),
        endpoints("web", ["web"]), endpoints("lost", []),
        event("Pod", "orphan", "Created", "irrelevant", "2026-01-01T00:00:01Z"),
    )


def failure(fn) -> str:
    c = Checks(world())
    with pytest.raises(CheckFailed) as info:
        fn(c)
    return str(info.value)


@pytest.mark.parametrize("fn, expected", [
    pytest.param(lambda c: c.pod("nope"),
                 "Expected a Pod named 'nope' in namespace 'default'; there is none.\nLook at: kubectl get pods -n default",
                 id="a missing pod says what was expected and where to look"),
    pytest.param(lambda c: c.pod("api"),
                 "Expected a Pod named 'api' in namespace 'default'; there is none.\n"
                 "There is a Pod 'api' in namespace 'prod' — the task asks for namespace 'default' (use -n default).\n"
                 "Look at: kubectl get pods -n default",
                 id="a pod in the wrong namespace is pointed out"),
    pytest.param(lambda c: c.pod("shop"),
                 "Expected a Pod named 'shop' in namespace 'default'; there is none.\n"
                 "There is a Deployment named 'shop' in namespace 'default' — the task asks for a Pod.\n"
                 "Look at: kubectl get pods -n default",
                 id="an object of another kind with the name is the wrong-kind layer"),
    pytest.param(lambda c: c.pod("webb"),
                 "Expected a Pod named 'webb' in namespace 'default'; there is none.\n"
                 "There is a Pod named 'web' in namespace 'default' — check the spelling.\n"
                 "Look at: kubectl get pods -n default",
                 id="a near-miss name is suggested"),
    pytest.param(lambda c: c.pod("stuck").is_running(),
                 "Pod 'stuck' should be Running; it is Pending, not scheduled to any node.\n"
                 f"Scheduler: {TAINT_MSG}\n"
                 "Look at: kubectl describe pods stuck -n default (Events); the nodes' taints, labels and free resources (kubectl describe nodes)",
                 id="a pending pod shows the scheduler's reason"),
    pytest.param(lambda c: c.pod("orphan").is_running(),
                 "Pod 'orphan' should be Running; it is Pending: no scheduler has placed it.\n"
                 "No scheduling event: the scheduler has not looked at this pod. Is kube-scheduler running?\n"
                 "Look at: kubectl get pods -n kube-system; /etc/kubernetes/manifests/kube-scheduler.yaml on the control plane",
                 id="a pod nobody scheduled points at the scheduler"),
    pytest.param(lambda c: c.pod("mine").is_running(),
                 "Pod 'mine' should be Running; it is Pending: no scheduler has placed it.\n"
                 "The pod asks for schedulerName 'my-scheduler'; is a scheduler with that name running?\n"
                 "Look at: kubectl get pods -n kube-system; the schedulerName in the profiles of the second "
                 "scheduler's --config file",
                 id="a pod waiting for a second scheduler names it"),
    pytest.param(lambda c: c.pod("pulling").is_running(),
                 "Pod 'pulling' should be Running; it is Pending.\nIt is on node node02.\n"
                 "Container 'pulling': ImagePullBackOff: Back-off pulling image \"ngnix\"\n"
                 "Look at: kubectl describe pods pulling -n default (Events)",
                 id="a container stuck waiting shows its reason"),
    pytest.param(lambda c: c.pod("web").runs_on("node02"),
                 "Pod 'web' should run on node node02; it runs on node01.\nnodeSelector: {}\n"
                 "Look at: kubectl describe pods web -n default", id="the wrong node is named"),
    pytest.param(lambda c: c.pod("web").has_image("nginx:1.28"),
                 "Pod 'web' should run image nginx:1.28; it runs nginx:1.27.\nLook at: kubectl describe pods web -n default",
                 id="a wrong image shows both"),
    pytest.param(lambda c: c.pod("web").tolerates("gpu", hint="add a toleration for key 'gpu' to the pod spec"),
                 "Pod 'web' should tolerate the taint key 'gpu'; its tolerations are: none.\n"
                 "Look at: spec.tolerations in kubectl get pod -o yaml; kubectl describe node | grep Taints\n"
                 "Hint: add a toleration for key 'gpu' to the pod spec", id="a task hint is appended"),
    pytest.param(lambda c: c.pod("web").requests(cpu="250m"),
                 "Pod 'web' should have requests cpu=250m; it is 0.5.\n"
                 "Look at: spec.containers[].resources in kubectl get pod web -o yaml", id="requests compare as quantities"),
    pytest.param(lambda c: c.pod("web").has_label("tier", "front"),
                 "Pod 'web' should have the label tier=front; its labels are: app=web.\n"
                 "Look at: kubectl get pods web -n default --show-labels", id="a missing label lists the labels"),
    pytest.param(lambda c: c.deployment("front").has_replicas(4),
                 "Deployment 'front' should have 4 replicas; spec.replicas is 3.\n"
                 "Look at: kubectl scale deployments front --replicas=4 -n default", id="the wrong replica count"),
    pytest.param(lambda c: c.deployment("front").has_replicas(3),
                 "Deployment 'front' should have 3 ready replicas; 2 are ready.\n"
                 "Pod 'front-abc': it is Pending, not scheduled to any node.\n"
                 f"Scheduler: {TAINT_MSG}\n"
                 "Look at: kubectl get pods -n default; kubectl describe deployments front -n default",
                 id="unready replicas explain themselves through a pending pod"),
    pytest.param(lambda c: c.service("web").has_type("ClusterIP"),
                 "Service 'web' should be of type ClusterIP; it is NodePort.\nLook at: kubectl describe services web -n default",
                 id="the wrong service type"),
    pytest.param(lambda c: c.service("lost").has_endpoints(),
                 "Service 'lost' should have endpoints; it has 0.\n"
                 "Its selector {\"app\": \"nothing\"} matches no pod in namespace 'default'.\n"
                 "Pod labels there: app=front; app=web\n"
                 "Look at: kubectl get endpoints lost -n default; kubectl get pods --show-labels",
                 id="a selector matching nothing shows the labels there are"),
    pytest.param(lambda c: c.node("node01").has_taint("gpu", effect="NoExecute"),
                 "Node 'node01' should carry the taint gpu:NoExecute; its taints are: gpu=true:NoSchedule.\n"
                 "Look at: kubectl describe nodes node01", id="a taint with the wrong effect"),
    pytest.param(lambda c: c.node("node02").is_ready(),
                 "Node 'node02' should be Ready; Ready is False.\nKubelet stopped posting node status.\n"
                 "Look at: kubectl describe nodes node02; systemctl status kubelet on the node", id="a NotReady node"),
    pytest.param(lambda c: c.node("node02").is_schedulable(),
                 "Node 'node02' should be schedulable; it is cordoned (SchedulingDisabled).\nLook at: kubectl uncordon node02",
                 id="a cordoned node"),
    pytest.param(lambda c: c.static_pod("static-web", "node02"),
                 "Expected a static pod 'static-web' on node02 (the API shows it as 'static-web-node02' in namespace "
                 "'default'); there is none.\nA static pod of that name exists on another node: static-web-node01.\n"
                 "The kubelet creates static pods from files in its staticPodPath.\n"
                 "Look at: the manifests on the node: ssh node02 ls /etc/kubernetes/manifests "
                 "(staticPodPath in /var/lib/kubelet/config.yaml)", id="a static pod on the wrong node"),
    pytest.param(lambda c: c.static_pod("web", "node01"),
                 "Expected a static pod 'web' on node01 (the API shows it as 'web-node01' in namespace 'default'); "
                 "there is none.\nThe kubelet creates static pods from files in its staticPodPath.\n"
                 "Look at: the manifests on the node: ssh node01 ls /etc/kubernetes/manifests "
                 "(staticPodPath in /var/lib/kubelet/config.yaml)", id="an ordinary pod is not a static pod"),
    pytest.param(lambda c: c.pod("affine").requires_node_affinity("size", ["small", "medium"]),
                 "Pod 'affine' should require node affinity size In ['medium', 'small']; it has size In ['large'].\n"
                 "Look at: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
                 id="node affinity with the wrong values"),
    pytest.param(lambda c: c.answer("", "kube-scheduler"),
                 "Expected your answer; it is still empty.\nLook at: the task's answer cell", id="an empty answer"),
    pytest.param(lambda c: c.answer("etcd", "kube-scheduler", what="component"),
                 "Your component should be 'kube-scheduler'; it is 'etcd'.", id="a wrong answer shows both"),
])
def test_failure_messages(fn, expected):
    assert failure(fn) == expected


@pytest.mark.parametrize("fn", [
    pytest.param(lambda c: c.pod("web").is_running().is_ready().runs_on("node01").has_image("nginx:1.27"),
                 id="a running pod passes a chain of checks"),
    pytest.param(lambda c: c.pod("web").requests(cpu="500m", memory="1024Mi"), id="equal quantities in other units pass"),
    pytest.param(lambda c: c.service("web").has_type("NodePort").selects({"app": "web"}).has_endpoints(1).has_port(80, 80),
                 id="a service with its endpoint passes"),
    pytest.param(lambda c: c("deploy", "shop").has_replicas(1).has_image("nginx"), id="check(kind, name) works too"),
    pytest.param(lambda c: c.answer("  Kube-Scheduler \n", "kube-scheduler"), id="answers forgive case and spaces"),
    pytest.param(lambda c: c.static_pod("static-web", "node01").is_running(), id="a mirror pod owned by its node passes"),
    pytest.param(lambda c: c.pod("affine").requires_node_affinity("size", ["large"]), id="matching node affinity passes"),
])
def test_passing_checks(fn):
    fn(Checks(world()))


def test_check_failed_is_an_assertion_whose_traceback_is_only_the_message():
    with pytest.raises(AssertionError) as info:
        Checks(world()).pod("nope")
    assert info.value._render_traceback_() == str(info.value).splitlines()


def test_a_kubectl_failure_is_reported_as_a_grader_error():
    fake = world()
    fake.replies["get pods web -o json -n default"] = Result("", "error: the server is on fire\n", 1)
    with pytest.raises(GraderError, match="could not read pods 'web': error: the server is on fire"):
        Checks(fake).pod("web")


def test_output_check_runs_the_learners_command():
    fake = world()
    fake.replies["get pods -o name"] = Result("pod/web\n")
    Checks(fake).output("kubectl get pods -o name", "pod/web")
    with pytest.raises(CheckFailed, match="Your command should print 'pod/api'; it prints 'pod/web'"):
        Checks(fake).output("get pods -o name", "pod/api")


def test_jsonpath_answer_compares_outputs_of_both_templates():
    fake = world()
    fake.replies["get nodes -o jsonpath={.items[*].metadata.name}"] = Result("controlplane node01 node02")
    fake.replies["get nodes -o jsonpath={.items[0].metadata.name}"] = Result("controlplane")
    Checks(fake).jsonpath("{.items[*].metadata.name}", "nodes", "{.items[*].metadata.name}")
    with pytest.raises(CheckFailed, match="should print 'controlplane node01 node02'; it prints 'controlplane'"):
        Checks(fake).jsonpath("{.items[0].metadata.name}", "nodes", "{.items[*].metadata.name}")


@pytest.mark.parametrize("a, b, same", [
    pytest.param("500m", "0.5", True, id="millicores equal fractional cores"),
    pytest.param("1Gi", "1024Mi", True, id="binary units convert"),
    pytest.param("1G", "1Gi", False, id="decimal and binary units differ"),
    pytest.param("1M", "1m", False, id="mega is not milli"),
])
def test_same_quantity(a, b, same):
    assert same_quantity(a, b) is same
