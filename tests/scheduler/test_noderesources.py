"""NodeResourcesFit (filter + LeastAllocated score) and NodeResourcesBalancedAllocation, with
cases from noderesources/fit_test.go, least_allocated_test.go, balanced_allocation_test.go."""
from __future__ import annotations

import pytest

from kcore.scheduler import PodInfo

from tests.scheduler.builders import filter_results, node, pod, scores

RES = "Unschedulable"


def small_node():
    return node("n").cpu("10m").memory("20").pods(32)


def used(cpu, memory, name="e"):
    return pod(name).requests(cpu=cpu, memory=memory).on("n")


@pytest.mark.parametrize("the_pod, existing, want", [
    pytest.param(pod("p"), [used("10m", "20")], None,
                 id="a pod requesting nothing always fits"),
    pytest.param(pod("p").requests(cpu="1m", memory="1"), [used("5m", "5")], None,
                 id="a pod that fits the remaining resources fits"),
    pytest.param(pod("p").requests(cpu="1m", memory="1"), [used("10m", "20")],
                 (RES, "Insufficient cpu, Insufficient memory"),
                 id="too many resources fails with every reason"),
    pytest.param(pod("p").requests(cpu="1m", memory="1").init("i", cpu="3m", memory="1"),
                 [used("8m", "19")], (RES, "Insufficient cpu"),
                 id="the largest init container counts when larger than the containers"),
    pytest.param(pod("p").requests(cpu="1m", memory="1").init("i", cpu="2m", memory="1"),
                 [used("8m", "19")], None,
                 id="an init container equal to the free space fits"),
    pytest.param(pod("p").requests(cpu="2m", memory="1"), [used("9m", "5")], (RES, "Insufficient cpu"),
                 id="one insufficient resource is reported alone"),
    pytest.param(pod("p").requests(cpu="1m", memory="2"), [used("5m", "19")],
                 (RES, "Insufficient memory"), id="insufficient memory is reported"),
    pytest.param(pod("p").requests(cpu="5m", memory="1"), [used("5m", "19")], None,
                 id="equal edge case fits"),
    pytest.param(pod("p").requests(cpu="1m", memory="1").init("s", cpu="1m", sidecar=True),
                 [used("8m", "1")], None, id="a sidecar adds to the containers"),
    pytest.param(pod("p").requests(cpu="1m", memory="1").init("s", cpu="2m", sidecar=True),
                 [used("8m", "1")], (RES, "Insufficient cpu"),
                 id="a sidecar that pushes the sum over the node fails"),
    pytest.param(pod("p").requests(cpu="1m", memory="1").overhead(cpu="2m"),
                 [used("8m", "1")], (RES, "Insufficient cpu"), id="pod overhead counts"),
    pytest.param(pod("p").requests(cpu="20m"), [], ("UnschedulableAndUnresolvable", "Insufficient cpu"),
                 id="a request larger than the whole node is unresolvable"),
    pytest.param(pod("p").requests(**{"example.com/foo": "1"}), [],
                 ("UnschedulableAndUnresolvable", "Insufficient example.com/foo"),
                 id="an extended resource the node lacks is insufficient"),
])
def test_fit_filter(the_pod, existing, want):
    assert filter_results("NodeResourcesFit", [small_node()], the_pod, existing)["n"] == want


def test_a_full_node_has_too_many_pods():
    n = node("n").pods(1)
    got = filter_results("NodeResourcesFit", [n], pod("p"), [pod("e").on("n")])
    assert got["n"] == (RES, "Too many pods")


def test_extended_resources_fit_when_allocatable():
    n = small_node().extended("example.com/foo", "2")
    got = filter_results("NodeResourcesFit", [n], pod("p").requests(**{"example.com/foo": "1"}),
                         [pod("e").requests(**{"example.com/foo": "1"}).on("n")])
    assert got["n"] is None


@pytest.mark.parametrize("the_pod, want", [
    pytest.param(pod("p").requests(cpu="1", memory="1Gi").container("b", cpu="2", memory="1Gi"),
                 {"cpu": 3000, "memory": 2 * 2**30}, id="regular containers add up"),
    pytest.param(pod("p").requests(cpu="1").init("i1", cpu="4").init("i2", cpu="2"),
                 {"cpu": 4000}, id="the largest init container wins over a smaller sum"),
    pytest.param(pod("p").requests(cpu="1").init("s", cpu="1", sidecar=True).init("i", cpu="2"),
                 {"cpu": 3000}, id="an init container after a sidecar runs beside it"),
    pytest.param(pod("p").requests(cpu="500m").overhead(cpu="250m", memory="120Mi"),
                 {"cpu": 750, "memory": 120 * 2**20}, id="overhead is added on top"),
])
def test_pod_requests(the_pod, want):
    got = PodInfo(the_pod.obj()).requests
    assert {k: got.get(k, 0) for k in want} == want


def test_unset_requests_count_as_100m_and_200Mi_for_scoring():
    pi = PodInfo(pod("p").obj())
    assert (pi.cpu, pi.memory, pi.nz_cpu, pi.nz_memory) == (0, 0, 100, 200 * 2**20)


def sized(name, cpu_m, mem):
    return node(name).cpu(f"{cpu_m}m").memory(str(mem))


@pytest.mark.parametrize("nodes, the_pod, existing, want", [
    pytest.param([sized("node1", 4000, 10000), sized("node2", 6000, 10000)],
                 pod("p").requests(cpu="3000m", memory="5000"), [], {"node1": 37, "node2": 50},
                 id="nothing scheduled, resources requested, differently sized nodes"),
    pytest.param([sized("node1", 10000, 20000), sized("node2", 10000, 20000)],
                 pod("p").requests(cpu="0", memory="0"),
                 [pod("e1").requests(cpu="1000m", memory="0").on("node1"),
                  pod("e2").requests(cpu="2000m", memory="0").on("node1"),
                  pod("e3").requests(cpu="1000m", memory="2000").on("node2"),
                  pod("e4").requests(cpu="2000m", memory="3000").on("node2")],
                 {"node1": 85, "node2": 72}, id="no resources requested, pods scheduled with resources"),
])
def test_least_allocated_score(nodes, the_pod, existing, want):
    assert scores("NodeResourcesFit", nodes, the_pod, existing) == want


@pytest.mark.parametrize("nodes, the_pod, existing, want", [
    pytest.param([sized("node1", 4000, 10000), sized("node2", 6000, 10000)],
                 pod("p").requests(cpu="3000m", memory="5000"), [], {"node1": 87, "node2": 100},
                 id="differently sized nodes: the one used in equal shares wins"),
    pytest.param([sized("node1", 10000, 20000), sized("node2", 10000, 20000)],
                 pod("p").requests(cpu="1000m", memory="2000"),
                 [pod("e").requests(cpu="3000m", memory="0").on("node1")],
                 {"node1": 85, "node2": 100}, id="existing pods unbalance a node"),
    pytest.param([sized("node1", 4000, 10000)], pod("p").requests(cpu="8000m", memory="5000"), [],
                 {"node1": 75}, id="fractions above 1 are capped"),
    pytest.param([sized("node1", 4000, 10000)], pod("p"), [], {"node1": None},
                 id="a best-effort pod skips the plugin"),
])
def test_balanced_allocation_score(nodes, the_pod, existing, want):
    assert scores("NodeResourcesBalancedAllocation", nodes, the_pod, existing) == want
