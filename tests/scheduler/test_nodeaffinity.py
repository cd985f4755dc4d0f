"""NodeAffinity: nodeSelector, required terms (ORed, expressions ANDed) and preferred weights.
Cases follow pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go."""
from __future__ import annotations

import pytest

from tests.scheduler.builders import expr, filter_results, node, pod, scores, term

MISMATCH = ("UnschedulableAndUnresolvable", "node(s) didn't match Pod's node affinity/selector")


@pytest.mark.parametrize("labels, the_pod, want", [
    pytest.param({}, pod("p"), None, id="no selector and no affinity fits every node"),
    pytest.param({}, pod("p").node_selector(foo="bar"), MISMATCH,
                 id="a nodeSelector label missing on the node does not match"),
    pytest.param({"foo": "bar"}, pod("p").node_selector(foo="bar"), None,
                 id="a nodeSelector label present on the node matches"),
    pytest.param({"foo": "bar"}, pod("p").node_selector(foo="bar", baz="blah"), MISMATCH,
                 id="every nodeSelector label must match"),
    pytest.param({"foo": "bar"}, pod("p").require_node(term(expr("foo", "In", "value1", "value2"))),
                 MISMATCH, id="an In expression needs one of its values"),
    pytest.param({"kernel-version": "0206"},
                 pod("p").require_node(term(expr("kernel-version", "Gt", "0204"))), None,
                 id="Gt compares the label as an integer"),
    pytest.param({"mem-type": "DDR3"},
                 pod("p").require_node(term(expr("mem-type", "NotIn", "DDR", "DDR2"))), None,
                 id="NotIn matches a value outside the list"),
    pytest.param({"GPU": "NVIDIA-GRID-K1"}, pod("p").require_node(term(expr("GPU", "Exists"))), None,
                 id="Exists needs only the key"),
    pytest.param({"foo": "bar"}, pod("p").require_node(term(expr("foo", "DoesNotExist"))), MISMATCH,
                 id="DoesNotExist rejects a node carrying the key"),
    pytest.param({"foo": "bar"}, pod("p").require_node(term()), MISMATCH,
                 id="an empty term matches no node"),
    pytest.param({"foo": "bar"}, pod("p").require_node(), MISMATCH,
                 id="no terms at all match no node"),
    pytest.param({"foo": "bar", "diffkey": "diffvalue"},
                 pod("p").require_node(term(expr("foo", "In", "bar"), expr("diffkey", "In", "wrong"))),
                 MISMATCH, id="the expressions of one term are ANDed"),
    pytest.param({"foo": "bar"},
                 pod("p").require_node(term(expr("foo", "In", "nope")), term(expr("foo", "Exists"))),
                 None, id="the terms are ORed"),
    pytest.param({"foo": "bar"},
                 pod("p").node_selector(foo="bar").require_node(term(expr("foo", "In", "other"))),
                 MISMATCH, id="nodeSelector and affinity must both hold"),
    pytest.param({}, pod("p").require_node(term(fields=[expr("metadata.name", "In", "n")])), None,
                 id="matchFields selects the node by name"),
    pytest.param({}, pod("p").require_node(term(fields=[expr("metadata.name", "In", "m")])), MISMATCH,
                 id="matchFields with another name does not match"),
])
def test_node_affinity_filter(labels, the_pod, want):
    n = node("n")
    for k, v in labels.items():
        n.label(k, v)
    assert filter_results("NodeAffinity", [n], the_pod)["n"] == want


def test_node_affinity_score_follows_the_preferred_weights():
    nodes = [node("node1").label("foo", "bar"), node("node2").label("key", "value"),
             node("node3").label("foo", "bar").label("key", "value").label("az", "az1")]
    p = (pod("p").prefer_node(2, term(expr("foo", "In", "bar")))
         .prefer_node(4, term(expr("key", "In", "value")))
         .prefer_node(5, term(expr("foo", "In", "bar"), expr("key", "In", "value"),
                              expr("az", "In", "az1"))))
    assert scores("NodeAffinity", nodes, p) == {"node1": 18, "node2": 36, "node3": 100}


def test_node_affinity_score_is_skipped_without_preferences():
    assert scores("NodeAffinity", [node("n")], pod("p")) == {"n": None}
