"""Disruption controller: PodDisruptionBudget status from the pods it selects."""
from __future__ import annotations

import pytest

from kcore.apiserver import ApiError
from kcore.controllers.disruption import scaled

from .conftest import apply, get_json, namespace


@pytest.mark.parametrize("value, total, up, expected", [
    pytest.param(2, 5, True, 2, id="an integer is itself"),
    pytest.param("50%", 3, True, 2, id="half of three rounds up to two"),
    pytest.param("50%", 3, False, 1, id="half of three rounds down to one"),
    pytest.param("100%", 4, True, 4, id="a hundred percent is everything"),
    pytest.param("0%", 4, True, 0, id="zero percent is nothing"),
])
def test_scaled(value, total, up, expected):
    assert scaled(value, total, up) == expected


DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx}]
"""

BARE = """apiVersion: v1
kind: Pod
metadata: {name: bare, labels: {app: web}}
spec:
  containers: [{name: c, image: nginx}]
"""


def pdb(budget: str, selector="{matchLabels: {app: web}}") -> str:
    return f"""apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: budget}}
spec:
  {budget}
  selector: {selector}
"""


@pytest.mark.parametrize("ns, workload, budget, expected", [
    pytest.param("pdb-min2", DEPLOY, "minAvailable: 2", (3, 2, 1, 3, "True", "SufficientPods"),
                 id="minAvailable 2 of 3 ready pods allows one disruption"),
    pytest.param("pdb-min3", DEPLOY, "minAvailable: 3", (3, 3, 0, 3, "False", "InsufficientPods"),
                 id="minAvailable equal to the ready pods allows none"),
    pytest.param("pdb-minpct", DEPLOY, "minAvailable: 50%", (3, 2, 1, 3, "True", "SufficientPods"),
                 id="minAvailable 50 percent of 3 rounds up to 2"),
    pytest.param("pdb-max1", DEPLOY, "maxUnavailable: 1", (3, 2, 1, 3, "True", "SufficientPods"),
                 id="maxUnavailable 1 keeps two healthy"),
    pytest.param("pdb-maxpct", DEPLOY, "maxUnavailable: 34%", (3, 1, 2, 3, "True", "SufficientPods"),
                 id="maxUnavailable percentages round up"),
    pytest.param("pdb-max0", DEPLOY, "maxUnavailable: 0", (3, 3, 0, 3, "False", "InsufficientPods"),
                 id="maxUnavailable 0 forbids every eviction"),
    pytest.param("pdb-bare", BARE, "minAvailable: 1", (1, 1, 0, 1, "False", "InsufficientPods"),
                 id="an integer minAvailable counts bare pods"),
])
def test_budget_status(cluster, ns, workload, budget, expected):
    namespace(cluster, ns)
    apply(cluster, workload, ns)
    apply(cluster, pdb(budget), ns)
    obj = get_json(cluster, "pdb budget", ns)
    st = obj["status"]
    cond = st["conditions"][0]
    got = (st["currentHealthy"], st["desiredHealthy"], st["disruptionsAllowed"],
           st["expectedPods"], cond["status"], cond["reason"])
    assert got == expected
    assert cond["type"] == "DisruptionAllowed"
    assert st["observedGeneration"] == obj["metadata"]["generation"]


def test_a_percentage_over_bare_pods_cannot_be_computed(cluster):
    ns = namespace(cluster, "pdb-nocontroller")
    apply(cluster, BARE, ns)
    apply(cluster, pdb("maxUnavailable: 50%"), ns)
    st = get_json(cluster, "pdb budget", ns)["status"]
    assert st["disruptionsAllowed"] == 0
    assert st["conditions"][0]["reason"] == "SyncFailed"
    assert st["conditions"][0]["message"] == 'found no controllers for pod "bare"'


def test_a_selector_matching_nothing_allows_nothing(cluster):
    ns = namespace(cluster, "pdb-empty")
    apply(cluster, pdb("minAvailable: 1", selector="{matchLabels: {app: nothing}}"), ns)
    st = get_json(cluster, "pdb budget", ns)["status"]
    assert (st["expectedPods"], st["currentHealthy"], st["disruptionsAllowed"]) == (0, 0, 0)


def test_status_follows_the_workload_and_guards_eviction(cluster):
    ns = namespace(cluster, "pdb-follow")
    apply(cluster, DEPLOY, ns)
    apply(cluster, pdb("minAvailable: 2"), ns)
    assert get_json(cluster, "pdb budget", ns)["status"]["disruptionsAllowed"] == 1
    r = cluster.kubectl(f"scale deployment web --replicas=2 -n {ns}")
    assert r.returncode == 0, r.stderr
    cluster.advance(10)
    st = get_json(cluster, "pdb budget", ns)["status"]
    assert (st["currentHealthy"], st["disruptionsAllowed"]) == (2, 0)
    pod = get_json(cluster, "pods", ns)["items"][0]["metadata"]["name"]
    body = {"apiVersion": "policy/v1", "kind": "Eviction",
            "metadata": {"name": pod, "namespace": ns}}
    with pytest.raises(ApiError) as err:
        cluster.api.create("pods", ns, body, subresource="eviction", name=pod)
    assert "disruption budget" in err.value.message
