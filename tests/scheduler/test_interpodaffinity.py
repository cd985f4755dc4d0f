"""InterPodAffinity filter and score, with cases modelled on interpodaffinity/filtering_test.go
and scoring_test.go: zones via a `region` label, pods selected by `service` labels."""
from __future__ import annotations

import pytest

from tests.scheduler.builders import filter_results, node, pod, scores

AFF = ("UnschedulableAndUnresolvable", "node(s) didn't match pod affinity rules")
ANTI = ("Unschedulable", "node(s) didn't match pod anti-affinity rules")
EXISTING = ("Unschedulable", "node(s) didn't satisfy existing pods anti-affinity rules")


def nodes():
    return [node("node1").label("region", "r1").label("zone", "z11"),
            node("node2").label("region", "r1").label("zone", "z12"),
            node("node3").label("region", "r2").label("zone", "z21"),
            node("nolabel")]


@pytest.mark.parametrize("the_pod, existing, want", [
    pytest.param(pod("p"), [pod("e").labels(service="securityscan").on("node1")],
                 {"node1": None, "node2": None, "node3": None, "nolabel": None},
                 id="a pod without affinity fits everywhere"),
    pytest.param(pod("p").pod_affinity("req", "region", {"service": "securityscan"}),
                 [pod("e").labels(service="securityscan").on("node1")],
                 {"node1": None, "node2": None, "node3": AFF, "nolabel": AFF},
                 id="affinity admits every node in the matching pod's region"),
    pytest.param(pod("p").pod_affinity("req", "region", {"service": "securityscan"}),
                 [pod("e").labels(service="other").on("node1")],
                 {"node1": AFF, "node2": AFF, "node3": AFF, "nolabel": AFF},
                 id="affinity without any matching pod fails everywhere"),
    pytest.param(pod("p").labels(service="securityscan")
                 .pod_affinity("req", "region", {"service": "securityscan"}), [],
                 {"node1": None, "node2": None, "node3": None, "nolabel": AFF},
                 id="the first pod of a group matching its own affinity may go anywhere"),
    pytest.param(pod("p").pod_affinity("req", "zone", {"service": "db"}, anti=True),
                 [pod("e").labels(service="db").on("node1")],
                 {"node1": ANTI, "node2": None, "node3": None, "nolabel": None},
                 id="anti-affinity rejects only the matching pod's zone"),
    pytest.param(pod("p").pod_affinity("req", "region", {"service": "db"}, anti=True),
                 [pod("e").labels(service="db").on("node1")],
                 {"node1": ANTI, "node2": ANTI, "node3": None, "nolabel": None},
                 id="anti-affinity by region rejects the whole region"),
    pytest.param(pod("p").labels(service="web"),
                 [pod("e").pod_affinity("req", "region", {"service": "web"}, anti=True).on("node3")],
                 {"node1": None, "node2": None, "node3": EXISTING, "nolabel": None},
                 id="an existing pod's anti-affinity keeps the new pod out of its region"),
    pytest.param(pod("p").pod_affinity("req", "region", {"service": "db"}),
                 [pod("e").labels(service="db").on("node1")],
                 {"node1": None, "node2": None, "node3": AFF, "nolabel": AFF},
                 id="a node without the topology key never satisfies affinity"),
    pytest.param(pod("p", "other").pod_affinity("req", "region", {"service": "db"}),
                 [pod("e").labels(service="db").on("node1")],
                 {"node1": AFF, "node2": AFF, "node3": AFF, "nolabel": AFF},
                 id="affinity terms look only in the pod's own namespace by default"),
    pytest.param(pod("p", "other").pod_affinity("req", "region", {"service": "db"},
                                                namespaces=["default"]),
                 [pod("e").labels(service="db").on("node1")],
                 {"node1": None, "node2": None, "node3": AFF, "nolabel": AFF},
                 id="listed namespaces widen the search"),
])
def test_inter_pod_affinity_filter(the_pod, existing, want):
    assert filter_results("InterPodAffinity", nodes(), the_pod, existing) == want


def test_preferred_affinity_scores_the_matching_region_highest():
    p = pod("p").pod_affinity("pref", "region", {"security": "S1"}, weight=5)
    existing = [pod("e").labels(security="S1").on("node1")]
    got = scores("InterPodAffinity", nodes(), p, existing)
    assert got == {"node1": 100, "node2": 100, "node3": 0, "nolabel": 0}


def test_preferred_anti_affinity_scores_the_matching_region_lowest():
    p = pod("p").pod_affinity("pref", "region", {"security": "S1"}, weight=5, anti=True)
    existing = [pod("e").labels(security="S1").on("node1")]
    got = scores("InterPodAffinity", nodes(), p, existing)
    assert got == {"node1": 0, "node2": 0, "node3": 100, "nolabel": 100}


def test_existing_pods_required_affinity_attracts_the_new_pod():
    p = pod("p").labels(app="web")
    existing = [pod("e").pod_affinity("req", "region", {"app": "web"}).on("node3")]
    got = scores("InterPodAffinity", nodes(), p, existing)
    assert got == {"node1": 0, "node2": 0, "node3": 100, "nolabel": 0}


def test_scoring_is_skipped_when_nobody_has_affinity():
    got = scores("InterPodAffinity", nodes(), pod("p"), [pod("e").on("node1")])
    assert set(got.values()) == {None}
