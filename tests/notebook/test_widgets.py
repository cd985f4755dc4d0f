"""The views' pictures are pure functions of plain dicts: tested here without a cluster, and
rendered by the real `dot` where it is installed to prove the DOT is well formed."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from kcore.notebook import session
from kcore.notebook.widgets import ClusterView, RequestFlow, RolloutTimeline, SchedulerExplainer
from kcore.notebook.widgets import clusterview, render, requestflow, rollouttimeline, schedulerexplainer
from tests.notebook.fakes import FakeCluster, deployment, endpoints, event, node, pod, service


def static_pod(component, node_name="controlplane"):
    p = pod(f"{component}-{node_name}", namespace="kube-system", node=node_name,
            labels={"component": component, "tier": "control-plane"})
    return p


NODES = [node("controlplane", labels={"node-role.kubernetes.io/control-plane": ""}), node("node01"),
         node("node02", ready=False)]
PODS = [pod("coredns-x", namespace="kube-system", node="controlplane"), static_pod("kube-scheduler"),
        static_pod("kube-apiserver"), pod("web", node="node01", labels={"app": "web"}),
        pod("crash", node="node02", waiting=("CrashLoopBackOff", "back-off")),
        pod("stuck", phase="Pending"), pod('we"ird', namespace="dev", node="node01")]
SERVICES = [service("web", {"app": "web"}, kind="NodePort"), service("kubernetes", {}, ports=((443, 6443),))]
ENDPOINTS = [endpoints("web", ["web"])]
SLICE = {"kind": "EndpointSlice", "metadata": {"name": "web-x1", "namespace": "default",
                                               "labels": {"kubernetes.io/service-name": "web"}},
         "endpoints": [{"addresses": ["10.244.1.2"], "targetRef": {"kind": "Pod", "name": "web", "namespace": "default"}}]}
EXPLAIN = {"pod": "default/web", "chosen": "node01", "message": "",
           "nodes": [{"name": "controlplane", "total": None,
                      "filters": [{"plugin": "NodeUnschedulable", "ok": True, "reason": ""},
                                  {"plugin": "TaintToleration", "ok": False,
                                   "reason": "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"}],
                      "scores": []},
                     {"name": "node01", "total": 187,
                      "filters": [{"plugin": "NodeUnschedulable", "ok": True, "reason": ""},
                                  {"plugin": "TaintToleration", "ok": True, "reason": ""}],
                      "scores": [{"plugin": "NodeResourcesFit", "raw": 87, "normalized": 87, "weight": 1},
                                 {"plugin": "TaintToleration", "raw": 0, "normalized": 100, "weight": 3}]}]}
TRAIL = [{"t": 0.0, "component": "apiserver", "action": "create pod", "object": "pod/default/web"},
         {"t": 0.0, "component": "etcd", "action": "put /registry/pods/default/web", "object": "pod/default/web"},
         {"t": 0.1, "component": "scheduler", "action": "bind to node01", "object": "pod/default/web"},
         {"t": 0.2, "component": "endpoints-controller", "action": "update", "object": "endpoints/default/web"},
         {"t": 2.0, "component": "kubelet", "action": "pull image nginx", "object": "pod/default/web"},
         {"t": 4.0, "component": "runtime", "action": "start container web", "object": "pod/default/web"}]
OLD, NEW = "web-7c5ddbdf54", "web-5d8f9c7b6d"
EVENTS = [event("Deployment", "web", "ScalingReplicaSet", f"Scaled up replica set {OLD} from 0 to 3", "2026-01-01T00:00:00Z"),
          event("Deployment", "web", "ScalingReplicaSet", f"Scaled up replica set {NEW} from 0 to 1", "2026-01-01T00:05:00Z"),
          event("Deployment", "web", "ScalingReplicaSet", f"Scaled down replica set {OLD} from 3 to 2", "2026-01-01T00:05:04Z"),
          event("Deployment", "web", "ScalingReplicaSet", f"Scaled up replica set {NEW} from 1 to 3", "2026-01-01T00:05:04Z"),
          event("Deployment", "web", "ScalingReplicaSet", f"Scaled down replica set {OLD} from 2 to 0", "2026-01-01T00:05:09Z"),
          event("Deployment", "other", "ScalingReplicaSet", "Scaled up replica set other-1 from 0 to 9", "2026-01-01T00:05:09Z")]


def rs(name, replicas, revision):
    return {"kind": "ReplicaSet", "metadata": {"name": name, "namespace": "default",
                                               "annotations": {"deployment.kubernetes.io/revision": str(revision)},
                                               "ownerReferences": [{"kind": "Deployment", "name": "web"}]},
            "spec": {"replicas": replicas}}


def renders(dot: str) -> None:
    if shutil.which("dot") is None:
        pytest.skip("graphviz dot not installed")
    proc = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and "<svg" in proc.stdout and not proc.stderr, proc.stderr


@pytest.mark.parametrize("fragment", [
    pytest.param('label="controlplane  Ready  control-plane"', id="a node's box says its state and role"),
    pytest.param('label="node02  NotReady  <none>"', id="a NotReady node says so"),
    pytest.param('"pod/kube-system/kube-scheduler-controlplane" [label="kube-scheduler\\nRunning", shape=component',
                 id="control-plane components are drawn as components"),
    pytest.param('[label="crash\\nCrashLoopBackOff", style="rounded,filled", fillcolor="#fecaca"]',
                 id="a crashing pod shows its reason in red"),
    pytest.param('label="not scheduled (no node yet)"', id="unscheduled pods get their own box"),
    pytest.param('"svc/default/kubernetes" -> "pod/kube-system/kube-apiserver-controlplane";',
                 id="the kubernetes service points at the API server"),
    pytest.param('"top" -> "pod/kube-system/kube-apiserver-controlplane" -> "pod/kube-system/kube-scheduler-controlplane"'
                 ' -> "pod/kube-system/coredns-x" [style=invis];', id="control-plane components come before add-ons"),
    pytest.param('"svc/default/web" -> "pod/default/web";', id="a service points at its endpoint pods"),
    pytest.param('label="we\\"ird\\n(dev)\\nRunning"', id="quotes in names are escaped and namespaces shown"),
    pytest.param('"top" -> "pod/default/web" -> "pod/dev/we\\"ird" [style=invis];', id="a node's pods stack in a column"),
])
def test_cluster_dot(fragment):
    dot = clusterview.build_dot(NODES, PODS, SERVICES, ENDPOINTS)
    assert fragment in dot
    renders(dot)


def test_cluster_dot_reads_endpointslices_and_filters_namespaces():
    dot = clusterview.build_dot(NODES, PODS, SERVICES, [SLICE], namespaces=["default"])
    assert '"svc/default/web" -> "pod/default/web";' in dot
    assert "we\\\"ird" not in dot and "kube-scheduler" in dot


def test_cluster_html_fallback():
    table = clusterview.build_html(NODES, PODS, SERVICES, ENDPOINTS)
    assert "<td style='padding:2px 8px'>node01</td>" in table and "web (Running)" in table
    assert "(not scheduled)" in table and "default/web" in table


def test_request_flow_selects_one_object_and_orders_components():
    steps = requestflow.select(TRAIL, "pod/default/web")
    assert [s["component"] for s in steps] == ["apiserver", "etcd", "scheduler", "kubelet", "runtime"]
    assert requestflow.components(TRAIL) == ["kubectl", "apiserver", "etcd", "scheduler", "kubelet", "runtime",
                                             "endpoints-controller"]


@pytest.mark.parametrize("upto, fragment", [
    pytest.param(None, '"kubelet" -> "runtime" [label="5. start container web\\n+4.0s", color="#b45309"',
                 id="without a step the last arrow is current"),
    pytest.param(2, '"apiserver" -> "etcd" [label="2. put /registry/pods/default/web\\n+0.0s", color="#b45309"',
                 id="the chosen step is highlighted"),
    pytest.param(2, '"etcd" -> "scheduler" [label="3. bind to node01\\n+0.1s", color="#d1d5db"',
                 id="later steps are faded"),
    pytest.param(2, '"etcd" [fillcolor="#fde68a"]', id="the current component is lit"),
])
def test_request_flow_dot(upto, fragment):
    dot = requestflow.build_dot(requestflow.select(TRAIL, "pod/default/web"), upto)
    assert fragment in dot
    renders(dot)


AUDIT = [{"t": 10.2, "verb": "create", "resource": "pods", "namespace": "default", "name": "web",
          "user": "kubernetes-admin", "revision": 228},
         {"t": 10.2, "verb": "create/binding", "resource": "pods", "namespace": "default", "name": "web",
          "user": "system:kube-scheduler", "revision": 229},
         {"t": 10.4, "verb": "update/status", "resource": "pods", "namespace": "default", "name": "web",
          "user": "system:node:node02", "revision": 231},
         {"t": 10.4, "verb": "update/status", "resource": "nodes", "namespace": "", "name": "node02",
          "user": "system:node:node02", "revision": 232}]


def test_request_flow_reads_the_api_audit_trail():
    steps = requestflow.select(AUDIT, "pod/default/web")
    assert [(s["component"], s["action"]) for s in steps] == [
        ("kubectl", "create pods/web"), ("scheduler", "bind pods/web"), ("kubelet node02", "update status pods/web")]
    assert requestflow.components(steps) == ["kubectl", "apiserver", "etcd", "scheduler", "kubelet node02"]
    dot = requestflow.build_dot(steps, 2)
    assert '"scheduler" -> "apiserver" [label="2. bind pods/web\\n+0.0s", color="#b45309"' in dot
    assert '"apiserver" -> "etcd" [label="writes: rev 228"' in dot and '[label="2. write rev 229"' in dot
    renders(dot)


@pytest.mark.parametrize("user, component", [
    pytest.param("system:kube-controller-manager", "controller-manager", id="the controller manager"),
    pytest.param("system:serviceaccount:kube-system:replicaset-controller", "controller-manager",
                 id="a controller's own service account"),
    pytest.param("system:node:node01", "kubelet node01", id="a kubelet names its node"),
    pytest.param("jane", "kubectl", id="a person uses kubectl"),
])
def test_component_of_user(user, component):
    assert requestflow.component_of_user(user) == component


def test_request_flow_without_steps_still_draws():
    renders(requestflow.build_dot([]))


@pytest.mark.parametrize("fragment", [
    pytest.param('<TD BGCOLOR="#fee2e2">✗ node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }</TD>',
                 id="a failed filter shows the plugin's reason"),
    pytest.param('<TD ALIGN="LEFT" BGCOLOR="#bbf7d0"><B>★ node01</B></TD>', id="the chosen node is starred"),
    pytest.param("<TD>100 ×3 (raw 0)</TD>", id="scores show normalized, weight and raw"),
    pytest.param('label="pod default/web — chosen: node01"', id="the caption names the verdict"),
])
def test_scheduler_dot(fragment):
    dot = schedulerexplainer.build_dot(EXPLAIN)
    assert fragment in dot
    renders(dot)


def test_scheduler_columns_and_html():
    assert schedulerexplainer.plugin_columns(EXPLAIN) == (["NodeUnschedulable", "TaintToleration"],
                                                          ["NodeResourcesFit", "TaintToleration"])
    pending = {**EXPLAIN, "chosen": None, "message": "0/3 nodes are available: 3 node(s) had untolerated taint(s)."}
    table = schedulerexplainer.build_html(pending)
    assert "no node chosen" in table and "0/3 nodes are available" in table
    renders(schedulerexplainer.build_dot(pending))


def test_rollout_timeline_from_events():
    """Steps at the same instant merge into one column; the other deployment's events are ignored."""
    model = rollouttimeline.timeline(EVENTS, "web", [rs(OLD, 0, 1), rs(NEW, 3, 2)])
    assert model["replicasets"] == [{"name": OLD, "revision": 1}, {"name": NEW, "revision": 2}]
    assert [(s["t"], s["sizes"]) for s in model["samples"]] == [
        (0.0, {OLD: 3}), (300.0, {OLD: 3, NEW: 1}), (304.0, {OLD: 2, NEW: 3}), (309.0, {OLD: 0, NEW: 3})]
    dot = rollouttimeline.build_dot(model)
    assert f'<TD ALIGN="LEFT">rev 2 {NEW}</TD>' in dot and "■■■ 3" in dot and "<B>5m4s</B>" in dot
    renders(dot)


def test_rollout_steps_within_one_second_follow_their_from_counts():
    """Events are listed by name, not time; at one-second resolution the chain of "from N to M"
    is what orders them."""
    same = "2026-01-01T00:00:13Z"
    events = [event("Deployment", "web", "ScalingReplicaSet", f"Scaled up replica set {NEW} from 0 to 1", "2026-01-01T00:00:12Z"),
              event("Deployment", "web", "ScalingReplicaSet", f"Scaled down replica set {OLD} from 2 to 1", same),
              event("Deployment", "web", "ScalingReplicaSet", f"Scaled down replica set {OLD} from 1 to 0", "2026-01-01T00:00:14Z"),
              event("Deployment", "web", "ScalingReplicaSet", f"Scaled down replica set {OLD} from 3 to 2", same),
              event("Deployment", "web", "ScalingReplicaSet", f"Scaled up replica set {NEW} from 2 to 3", same),
              event("Deployment", "web", "ScalingReplicaSet", f"Scaled up replica set {OLD} from 0 to 3", "2026-01-01T00:00:10Z"),
              event("Deployment", "web", "ScalingReplicaSet", f"Scaled up replica set {NEW} from 1 to 2", same)]
    model = rollouttimeline.timeline(events, "web", [rs(OLD, 0, 1), rs(NEW, 3, 2)])
    assert [(s["t"], s["sizes"]) for s in model["samples"]] == [
        (0.0, {OLD: 3}), (2.0, {OLD: 3, NEW: 1}), (3.0, {OLD: 1, NEW: 3}), (4.0, {OLD: 0, NEW: 3})]


@pytest.mark.parametrize("text, seconds", [
    pytest.param("1970-01-01T00:00:00Z", 0, id="the epoch is zero"),
    pytest.param("2026-01-01T00:00:00Z", 1767225600, id="the kcore epoch"),
    pytest.param("2024-02-29T12:00:00.5+01:00", 1709204400.5, id="leap day, fraction and offset"),
])
def test_rfc3339_seconds(text, seconds):
    assert rollouttimeline.rfc3339_seconds(text) == seconds


@pytest.fixture
def fake():
    cluster = FakeCluster().add(*NODES, *PODS, *SERVICES, *ENDPOINTS, deployment("web"), rs(OLD, 0, 1), rs(NEW, 3, 2),
                                *EVENTS[:5])
    cluster.explain, cluster.steps = EXPLAIN, list(TRAIL)
    session.use(cluster)
    yield cluster
    session._current = None


@pytest.mark.parametrize("make", [
    pytest.param(lambda: ClusterView(), id="ClusterView"),
    pytest.param(lambda: SchedulerExplainer("web"), id="SchedulerExplainer"),
    pytest.param(lambda: RolloutTimeline("web"), id="RolloutTimeline"),
    pytest.param(lambda: RequestFlow(object="pod/default/web"), id="RequestFlow"),
])
def test_views_draw_and_fall_back_without_dot(fake, monkeypatch, make):
    import ipywidgets

    view = make()
    assert isinstance(view, ipywidgets.VBox)
    if shutil.which("dot"):
        assert view.canvas.value.startswith("<svg")
    monkeypatch.setattr(render.shutil, "which", lambda _name: None)
    view.refresh()
    assert "apt-get install graphviz" in view.canvas.value and "<table>" in view.canvas.value


def test_views_redraw_only_after_an_api_write(fake):
    view = ClusterView()
    assert view.refresh_if_changed() is False
    fake.add(pod("new", node="node01"))
    reads = len(fake.calls)
    session.changed()
    assert len(fake.calls) == reads and "new" not in view.canvas.value, "no write in the trail: nothing re-read"
    fake.steps.append({"t": 1.0, "component": "apiserver", "action": "create pod", "object": "pod/default/new"})
    session.changed()
    assert "new" in view.canvas.value


def test_request_flow_for_a_command_shows_only_what_it_caused(fake, capsys):
    view = RequestFlow(command="run web --image=nginx")
    assert capsys.readouterr().out == "ran: run web --image=nginx\n"
    assert view.slider.max == 0
    fake.steps.append({"t": 9.0, "component": "apiserver", "action": "create pod", "object": "pod/default/x"})
    session.changed()
    assert view.slider.max == 1 and view.slider.value == 1


def test_a_view_explains_when_the_cluster_lacks_what_it_needs(fake):
    del fake.explain
    plain = type("Plain", (), {"kubectl": FakeCluster.kubectl})
    view = SchedulerExplainer("web", cluster=plain())
    assert "cannot explain scheduling decisions" in view.canvas.value


def test_image_is_a_static_picture_for_committed_outputs(fake, monkeypatch):
    from IPython.display import HTML, SVG

    view = ClusterView(live=False)
    if shutil.which("dot"):
        picture = view.image()
        assert isinstance(picture, SVG) and "<svg" in picture.data
    monkeypatch.setattr(render.shutil, "which", lambda _name: None)
    fallback = view.image()
    assert isinstance(fallback, HTML) and "apt-get install graphviz" in fallback.data
