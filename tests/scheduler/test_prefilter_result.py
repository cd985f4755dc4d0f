"""NodeAffinity's PreFilterResult: a pod pinned by `matchFields` metadata.name (every DaemonSet
pod) is filtered on the named nodes only, with kube-scheduler's wording for the rest; cases
follow kube-scheduler's nodeaffinity PreFilter tests and schedule_one's absent-node status."""
from __future__ import annotations

import pytest

from kcore.scheduler import Bind, Failed
from kcore.scheduler.plugins.nodeaffinity import pinned_node_names

from tests.scheduler.builders import cluster, expr, node, pod, term

CP_TAINT = "node-role.kubernetes.io/control-plane"


def name_in(*names):
    return expr("metadata.name", "In", *names)


@pytest.mark.parametrize("terms, want", [
    pytest.param(None, None, id="a pod without required terms may go anywhere"),
    pytest.param([term(expr("zone", "In", "a"))], None,
                 id="a term without matchFields leaves every node possible"),
    pytest.param([term(fields=[name_in("node01")])], {"node01"},
                 id="one term naming one node pins the pod to it"),
    pytest.param([term(fields=[name_in("node01", "node02"), name_in("node02", "node03")])],
                 {"node02"}, id="the requirements of a term intersect"),
    pytest.param([term(fields=[name_in("node01")]), term(fields=[name_in("node02")])],
                 {"node01", "node02"}, id="the terms are united"),
    pytest.param([term(fields=[name_in("node01")]), term(expr("zone", "In", "a"))], None,
                 id="a term without a node name opens every node again"),
    pytest.param([term(fields=[name_in("node01"), name_in("node02")])], set(),
                 id="conflicting requirements name no node"),
    pytest.param([term(fields=[expr("metadata.name", "NotIn", "node01")])], None,
                 id="NotIn does not pin"),
])
def test_pinned_node_names(terms, want):
    required = None if terms is None else {"nodeSelectorTerms": terms}
    assert pinned_node_names(required) == want


def kubeadm():
    return [node("controlplane").taint(CP_TAINT), node("node01").cpu("2"), node("node02").cpu("2")]


def decide(s, p):
    s.add_pod(p.obj())
    return s.schedule_one()


def test_a_pinned_pod_is_bound_to_its_node():
    d = decide(cluster(kubeadm()), pod("ds-1").require_node(term(fields=[name_in("node02")])))
    assert isinstance(d, Bind) and d.node == "node02"
    assert list(d.evaluation.evaluated) == ["node02"]


def test_the_other_nodes_did_not_satisfy_the_plugin():
    s = cluster(kubeadm(), [pod("big").requests(cpu="2").on("node02")])
    d = decide(s, pod("ds-1").requests(cpu="1").require_node(term(fields=[name_in("node02")])))
    assert isinstance(d, Failed)
    assert d.message == (
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) "
        "[NodeAffinity]. no new claims to deallocate, preemption: 0/3 nodes are available: "
        "1 No preemption victims found for incoming pod, 2 Preemption is not helpful for "
        "scheduling.")


def test_conflicting_terms_are_rejected_at_prefilter():
    d = decide(cluster(kubeadm()), pod("p").require_node(
        term(fields=[name_in("node01"), name_in("node02")])))
    assert isinstance(d, Failed)
    assert d.message.startswith("0/3 nodes are available: pod affinity terms conflict.")


def test_a_pod_pinned_to_a_missing_node_finds_none():
    d = decide(cluster(kubeadm()), pod("p").require_node(term(fields=[name_in("node09")])))
    assert isinstance(d, Failed)
    assert d.message.startswith("0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) "
                                "[NodeAffinity].")
