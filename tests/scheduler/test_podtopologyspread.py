"""PodTopologySpread: skew arithmetic over zones and hostnames (podtopologyspread/filtering_test.go
and scoring_test.go style: two zones, node-a/node-b in zone1 and node-x/node-y in zone2)."""
from __future__ import annotations

import pytest

from tests.scheduler.builders import filter_results, node, pod, scores

SKEW = ("Unschedulable", "node(s) didn't match pod topology spread constraints")
MISSING = ("UnschedulableAndUnresolvable",
           "node(s) didn't match pod topology spread constraints (missing required label)")
ZONE = "topology.kubernetes.io/zone"


def four_nodes():
    return [node("node-a").label(ZONE, "zone1"), node("node-b").label(ZONE, "zone1"),
            node("node-x").label(ZONE, "zone2"), node("node-y").label(ZONE, "zone2")]


def foos(*placements):
    return [pod(f"e{i}").labels(foo="").on(n) for i, n in enumerate(placements)]


@pytest.mark.parametrize("existing, max_skew, want", [
    pytest.param([], 1, {"node-a": None, "node-b": None, "node-x": None, "node-y": None},
                 id="no existing pods: every node fits"),
    pytest.param(foos("node-a", "node-b", "node-x"), 1,
                 {"node-a": SKEW, "node-b": SKEW, "node-x": None, "node-y": None},
                 id="2/1 across zones: only the smaller zone keeps skew within 1"),
    pytest.param(foos("node-a", "node-a", "node-b", "node-x"), 1,
                 {"node-a": SKEW, "node-b": SKEW, "node-x": None, "node-y": None},
                 id="3/1 across zones: the fuller zone is rejected"),
    pytest.param(foos("node-a", "node-a", "node-b", "node-x"), 2,
                 {"node-a": SKEW, "node-b": SKEW, "node-x": None, "node-y": None},
                 id="maxSkew 2 still rejects a zone that would reach skew 3"),
    pytest.param(foos("node-a", "node-x"), 1,
                 {"node-a": None, "node-b": None, "node-x": None, "node-y": None},
                 id="balanced zones admit every node"),
])
def test_zone_spread_filter(existing, max_skew, want):
    p = pod("p").labels(foo="").spread(max_skew, ZONE, {"foo": ""})
    assert filter_results("PodTopologySpread", four_nodes(), p, existing) == want


def test_a_node_without_the_topology_key_is_unresolvable():
    nodes = four_nodes() + [node("bare")]
    p = pod("p").labels(foo="").spread(1, ZONE, {"foo": ""})
    assert filter_results("PodTopologySpread", nodes, p)["bare"] == MISSING


def test_pods_of_other_namespaces_do_not_count():
    existing = [pod(f"o{i}", "other").labels(foo="").on("node-a") for i in range(3)]
    p = pod("p").labels(foo="").spread(1, ZONE, {"foo": ""})
    assert filter_results("PodTopologySpread", four_nodes(), p, existing)["node-a"] is None


def test_a_pod_not_matching_its_own_selector_adds_no_skew():
    p = pod("p").spread(1, ZONE, {"foo": ""})
    got = filter_results("PodTopologySpread", four_nodes(), p, foos("node-a"))
    assert got["node-a"] is None


def test_node_affinity_policy_ignores_excluded_domains():
    nodes = four_nodes()
    p = (pod("p").labels(foo="").spread(1, ZONE, {"foo": ""})
         .node_selector(**{ZONE: "zone1"}))
    got = filter_results("PodTopologySpread", nodes, p, foos("node-a"))
    assert got["node-b"] is None     # zone2 is not eligible, so zone1 alone sets the minimum


def test_schedule_anyway_prefers_the_emptier_hostname():
    nodes = [node("node-a"), node("node-b"), node("node-c")]
    p = pod("p").labels(foo="").spread(1, "kubernetes.io/hostname", {"foo": ""}, when="ScheduleAnyway")
    got = scores("PodTopologySpread", nodes, p, foos("node-a", "node-a", "node-b"))
    assert got["node-c"] == 100 and got["node-a"] < got["node-b"] < got["node-c"]


def test_schedule_anyway_constraints_do_not_filter():
    p = pod("p").labels(foo="").spread(1, ZONE, {"foo": ""}, when="ScheduleAnyway")
    got = filter_results("PodTopologySpread", four_nodes(), p, foos("node-a", "node-a", "node-a"))
    assert set(got.values()) == {None}
