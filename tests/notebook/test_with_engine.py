"""The notebook layer against the real engine (skipped while kcore.Cluster cannot be built):
magics print the engine's bytes, checks read its state, views draw it."""
from __future__ import annotations

import pytest

from kcore.notebook import scenarios, session
from kcore.notebook.grading import CheckFailed, check
from kcore.notebook.magics import kubectl
from kcore.notebook.widgets import clusterview, requestflow


@pytest.fixture(scope="module")
def cluster():
    try:
        from kcore import Cluster
        made = Cluster()
    except Exception as exc:  # the engine is being built alongside this layer
        pytest.skip(f"kcore.Cluster is not available: {type(exc).__name__}: {exc}")
    session.use(made)
    yield made
    session._current = None


def test_the_magic_prints_exactly_what_the_engine_returns(cluster, capsys):
    expected = cluster.kubectl(["get", "nodes"])
    kubectl("get nodes")
    assert capsys.readouterr() == (expected.stdout, expected.stderr)


def test_an_error_is_printed_as_kubectl_prints_it(cluster, capsys):
    kubectl("get pod no-such-pod")
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", 'Error from server (NotFound): pods "no-such-pod" not found\n')


def test_a_pod_pending_on_taints_is_explained_with_the_schedulers_words(cluster, capsys):
    for node in ("node01", "node02"):
        kubectl(f"taint nodes {node} kcore-test=true:NoSchedule")
    kubectl("run kcore-pending --image=nginx")
    capsys.readouterr()
    with pytest.raises(CheckFailed) as info:
        check.pod("kcore-pending").is_running()
    lines = str(info.value).splitlines()
    assert lines[0] == "Pod 'kcore-pending' should be Running; it is Pending, not scheduled to any node."
    assert lines[1].startswith("Scheduler: 0/3 nodes are available:") and "untolerated taint" in lines[1]
    for node in ("node01", "node02"):
        kubectl(f"taint nodes {node} kcore-test=true:NoSchedule-")


def test_a_running_pod_passes_and_the_flow_of_its_creation_is_recorded(cluster, capsys):
    start = len(cluster.trail())
    kubectl("run kcore-web --image=nginx")
    check.pod("kcore-web").is_running().is_ready().has_image("nginx")
    components = requestflow.components(requestflow.select(cluster.trail(), "pod/default/kcore-web", start))
    assert {"kubectl", "apiserver", "etcd", "scheduler"} <= set(components)


def test_the_cluster_map_draws_the_running_cluster(cluster):
    import json

    items = {r: json.loads(cluster.kubectl(["get", r, "-A", "-o", "json"]).stdout)["items"]
             for r in ("nodes", "pods", "services")}
    dot = clusterview.build_dot(items["nodes"], items["pods"], items["services"])
    assert '"pod/kube-system/kube-scheduler-controlplane" [label="kube-scheduler\\nRunning", shape=component' in dot


def test_the_blank_scenario_starts_a_cluster_and_makes_it_current(cluster):
    lab = scenarios.start("blank")
    try:
        assert session.current() is lab.cluster
        check.node("node01").is_ready().is_schedulable()
    finally:
        session.use(cluster)
