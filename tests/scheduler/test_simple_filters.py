"""NodeUnschedulable, NodeName, TaintToleration and NodePorts, with cases from their upstream
*_test.go tables (pkg/scheduler/framework/plugins/<name>/)."""
from __future__ import annotations

import pytest

from tests.scheduler.builders import filter_results, node, pod, scores

UNRESOLVABLE = "UnschedulableAndUnresolvable"
TAINTED = (UNRESOLVABLE, "node(s) had untolerated taint(s)")


@pytest.mark.parametrize("the_node, the_pod, want", [
    pytest.param(node("n").cordon(), pod("p"), (UNRESOLVABLE, "node(s) were unschedulable"),
                 id="a cordoned node rejects a pod"),
    pytest.param(node("n"), pod("p"), None, id="a schedulable node admits a pod"),
    pytest.param(node("n").cordon(), pod("p").tolerates("node.kubernetes.io/unschedulable",
                                                         effect="NoSchedule"), None,
                 id="a pod tolerating the unschedulable taint lands on a cordoned node"),
])
def test_node_unschedulable(the_node, the_pod, want):
    assert filter_results("NodeUnschedulable", [the_node], the_pod)["n"] == want


@pytest.mark.parametrize("the_pod, want", [
    pytest.param(pod("p"), None, id="a pod without nodeName fits any node"),
    pytest.param(pod("p").node_name("n"), None, id="a pod naming this node fits it"),
    pytest.param(pod("p").node_name("other"),
                 (UNRESOLVABLE, "node(s) didn't match the requested node name"),
                 id="a pod naming another node does not fit"),
])
def test_node_name(the_pod, want):
    got = filter_results("NodeName", [node("n")], the_pod.obj())
    assert got["n"] == want


@pytest.mark.parametrize("taints, the_pod, want", [
    pytest.param([("dedicated", "user1", "NoSchedule")], pod("p"), TAINTED,
                 id="a pod having no tolerations can't be scheduled onto a node with nonempty taints"),
    pytest.param([("dedicated", "user1", "NoSchedule")],
                 pod("p").tolerates("dedicated", "user1", "NoSchedule"), None,
                 id="a pod can be scheduled on a dedicated node assigned to user1"),
    pytest.param([("dedicated", "user1", "NoSchedule")],
                 pod("p").tolerates("dedicated", "user2", "NoSchedule", "Equal"), TAINTED,
                 id="a pod tolerating user2 can't be scheduled on the node of user1"),
    pytest.param([("foo", "bar", "NoSchedule")], pod("p").tolerates("foo", effect="NoSchedule"), None,
                 id="an Exists toleration tolerates the taint whatever its value"),
    pytest.param([("dedicated", "user2", "NoSchedule"), ("foo", "bar", "NoSchedule")],
                 pod("p").tolerates("dedicated", "user2", "NoSchedule").tolerates("foo", effect="NoSchedule"),
                 None, id="all of several taints are tolerated"),
    pytest.param([("foo", "bar", "NoSchedule")],
                 pod("p").tolerates("foo", "bar", "PreferNoSchedule"), TAINTED,
                 id="a toleration with matching key and value but another effect does not help"),
    pytest.param([("foo", "bar", "NoSchedule")], pod("p").tolerates("foo", "bar"), None,
                 id="a toleration with empty effect tolerates every effect"),
    pytest.param([("dedicated", "user1", "PreferNoSchedule")], pod("p"), None,
                 id="a PreferNoSchedule taint never filters"),
    pytest.param([("node.kubernetes.io/not-ready", "", "NoExecute")], pod("p"), TAINTED,
                 id="a NoExecute taint filters like NoSchedule"),
    pytest.param([("a", "b", "NoSchedule")], pod("p").tolerates(), None,
                 id="an empty key with Exists tolerates everything"),
])
def test_taint_toleration_filter(taints, the_pod, want):
    n = node("n")
    for k, v, e in taints:
        n.taint(k, v, e)
    assert filter_results("TaintToleration", [n], the_pod)["n"] == want


def _tainted(name, *taints):
    n = node(name)
    for k, v in taints:
        n.taint(k, v, "PreferNoSchedule")
    return n


@pytest.mark.parametrize("nodes, the_pod, want", [
    pytest.param([_tainted("nodeA", ("foo", "bar")), _tainted("nodeB", ("foo", "blah"))],
                 pod("p").tolerates("foo", "bar", "PreferNoSchedule"), {"nodeA": 100, "nodeB": 0},
                 id="a node whose taints are tolerated scores above one with intolerable taints"),
    pytest.param([_tainted("nodeA"), _tainted("nodeB", ("cpu-type", "arm64")),
                  _tainted("nodeC", ("cpu-type", "arm64"), ("disk-type", "ssd"))],
                 pod("p").tolerates("cpu-type", "arm64", "PreferNoSchedule")
                 .tolerates("disk-type", "ssd", "PreferNoSchedule"),
                 {"nodeA": 100, "nodeB": 100, "nodeC": 100},
                 id="the number of tolerated taints does not matter"),
    pytest.param([_tainted("nodeA"), _tainted("nodeB", ("cpu-type", "arm64")),
                  _tainted("nodeC", ("cpu-type", "arm64"), ("disk-type", "ssd"))],
                 pod("p").tolerates("foo", "bar", "PreferNoSchedule"),
                 {"nodeA": 100, "nodeB": 50, "nodeC": 0},
                 id="the more intolerable taints a node has the lower it scores"),
    pytest.param([_tainted("nodeA"), _tainted("nodeB", ("cpu-type", "arm64"))], pod("p"),
                 {"nodeA": 100, "nodeB": 0}, id="without tolerations the untainted node wins"),
])
def test_taint_toleration_score(nodes, the_pod, want):
    assert scores("TaintToleration", nodes, the_pod) == want


@pytest.mark.parametrize("existing, the_pod, want", [
    pytest.param([], pod("p").host_port(8080), None, id="a free port fits"),
    pytest.param([pod("e").host_port(8080).on("n")], pod("p").host_port(8080),
                 ("Unschedulable", "node(s) didn't have free ports for the requested pod ports"),
                 id="the same TCP port on the same node conflicts"),
    pytest.param([pod("e").host_port(8080, "UDP").on("n")], pod("p").host_port(8080), None,
                 id="the same port number with another protocol fits"),
    pytest.param([pod("e").host_port(8080, ip="127.0.0.1").on("n")],
                 pod("p").host_port(8080, ip="127.0.0.2"), None,
                 id="the same port on different host IPs fits"),
    pytest.param([pod("e").host_port(8080, ip="127.0.0.1").on("n")], pod("p").host_port(8080),
                 ("Unschedulable", "node(s) didn't have free ports for the requested pod ports"),
                 id="0.0.0.0 conflicts with any IP on the same port"),
])
def test_node_ports(existing, the_pod, want):
    assert filter_results("NodePorts", [node("n")], the_pod, existing)["n"] == want
