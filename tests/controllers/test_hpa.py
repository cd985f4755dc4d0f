"""HPA controller: conditions without metrics, and scaling decisions with a metrics source."""
from __future__ import annotations

import pytest

from .conftest import apply, events, get_json, namespace


class FakeMetrics:
    """The resource metrics API as the HPA reads it: usage per pod, set per namespace."""

    def __init__(self):
        self.usage: dict[str, tuple[int, int]] = {}

    def pod_usage(self, ns, name):
        return self.usage.get(ns)


@pytest.fixture(scope="module")
def metrics(cluster):
    saved = (getattr(cluster, "metrics", None), cluster.metrics_available)
    fake = FakeMetrics()
    cluster.metrics, cluster.metrics_available = fake, True
    yield fake
    cluster.metrics, cluster.metrics_available = saved


def deploy(replicas=2, cpu="100m", memory="64Mi") -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
      - name: c
        image: nginx
        resources: {{requests: {{cpu: {cpu}, memory: {memory}}}}}
"""


def hpa(target="averageUtilization: 50", kind="Deployment", name="web", lo=1, hi=5,
        resource="cpu", ttype="Utilization", behavior="") -> str:
    return f"""apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: web}}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: {kind}, name: {name}}}
  minReplicas: {lo}
  maxReplicas: {hi}
  metrics:
  - type: Resource
    resource:
      name: {resource}
      target: {{type: {ttype}, {target}}}
""" if not behavior else f"""apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: web}}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: {kind}, name: {name}}}
  minReplicas: {lo}
  maxReplicas: {hi}
  behavior: {behavior}
  metrics:
  - type: Resource
    resource:
      name: {resource}
      target: {{type: {ttype}, {target}}}
"""


def conds(status):
    return {c["type"]: c for c in status.get("conditions") or []}


def replicas(c, ns):
    return get_json(c, "deployment web", ns)["spec"]["replicas"]


def test_without_metrics_server_the_hpa_cannot_compute_a_count(cluster):
    ns = namespace(cluster, "hpa-nometrics")
    apply(cluster, deploy(), ns)
    before = cluster.loop.now
    apply(cluster, hpa(), ns)
    assert cluster.loop.now - before < 15, "the 15 s sync must not drag settle() forward"
    cluster.advance(20)
    st = get_json(cluster, "hpa web", ns)["status"]
    c = conds(st)
    assert c["AbleToScale"]["status"] == "True"
    assert (c["ScalingActive"]["status"], c["ScalingActive"]["reason"]) == \
        ("False", "FailedGetResourceMetric")
    assert c["ScalingActive"]["message"] == (
        "the HPA was unable to compute the replica count: failed to get cpu utilization: unable "
        "to get metrics for resource cpu: no metrics returned from resource metrics API")
    assert (st["currentReplicas"], st["desiredReplicas"]) == (2, 0)   # "2 current / 0 desired"
    assert st["currentMetrics"] == [{"type": ""}]
    assert events(cluster, ns, "FailedGetResourceMetric")[0]["type"] == "Warning"
    r = cluster.kubectl(f"get hpa web -n {ns}")
    assert "cpu: <unknown>/50%" in r.stdout


def test_a_target_above_max_replicas_is_scaled_to_the_bound_without_metrics(cluster):
    ns = namespace(cluster, "hpa-bounds")
    apply(cluster, deploy(replicas=4), ns)
    apply(cluster, hpa(hi=3), ns)
    cluster.advance(5)
    assert replicas(cluster, ns) == 3
    assert events(cluster, ns, "SuccessfulRescale")[0]["message"] == \
        "New size: 3; reason: Current number of replicas above Spec.MaxReplicas"


def test_a_missing_target_is_reported(cluster):
    ns = namespace(cluster, "hpa-notarget")
    apply(cluster, hpa(name="ghost"), ns)
    cluster.advance(20)
    c = conds(get_json(cluster, "hpa web", ns)["status"])
    assert (c["AbleToScale"]["status"], c["AbleToScale"]["reason"]) == ("False", "FailedGetScale")
    assert c["AbleToScale"]["message"] == ("the HPA controller was unable to get the target's "
                                           "current scale: deployments/scale.apps \"ghost\" not found")


@pytest.mark.parametrize("ns, usage, spec, wait, expected, limited", [
    pytest.param("hpa-up", (90, 0), {}, 10, 4, "DesiredWithinRange",
                 id="90 percent against a 50 percent target doubles two pods to four"),
    pytest.param("hpa-steady", (52, 0), {}, 20, 2, "DesiredWithinRange",
                 id="usage within the ten percent tolerance changes nothing"),
    pytest.param("hpa-max", (500, 0), {"hi": 5}, 10, 5, "TooManyReplicas",
                 id="the proposal is capped at maxReplicas"),
    pytest.param("hpa-rate", (500, 0), {"hi": 50}, 10, 6, "ScaleUpLimit",
                 id="one step grows by at most four pods or double"),
    pytest.param("hpa-hold", (10, 0), {}, 60, 2, "DesiredWithinRange",
                 id="a new HPA does not scale down inside the stabilization window"),
    pytest.param("hpa-down", (10, 0), {}, 330, 1, "DesiredWithinRange",
                 id="low usage scales down after the stabilization window"),
    pytest.param("hpa-floor", (1, 0), {"lo": 2}, 330, 2, "TooFewReplicas",
                 id="scale down stops at minReplicas"),
    pytest.param("hpa-nowindow", (10, 0),
                 {"behavior": "{scaleDown: {stabilizationWindowSeconds: 0}}"}, 10, 1,
                 "DesiredWithinRange", id="a zero scale-down window scales down at once"),
    pytest.param("hpa-slowup", (500, 0),
                 {"hi": 20, "behavior": "{scaleUp: {policies: [{type: Pods, value: 1, "
                                        "periodSeconds: 60}]}}"}, 10, 3, "ScaleUpLimit",
                 id="a one-pod-per-minute policy adds one pod"),
    pytest.param("hpa-nodown", (10, 0),
                 {"behavior": "{scaleDown: {selectPolicy: Disabled, stabilizationWindowSeconds: 0}}"},
                 40, 2, "ScaleDownLimit", id="selectPolicy Disabled never scales down"),
    pytest.param("hpa-memory", (0, 200 * 2**20),
                 {"resource": "memory", "ttype": "AverageValue", "target": "averageValue: 100Mi"},
                 10, 4, "DesiredWithinRange",
                 id="an average memory value target scales by usage over target"),
])
def test_scaling_decisions(cluster, metrics, ns, usage, spec, wait, expected, limited):
    namespace(cluster, ns)
    metrics.usage[ns] = usage
    apply(cluster, deploy(), ns)
    apply(cluster, hpa(**spec), ns)
    cluster.advance(wait)
    assert replicas(cluster, ns) == expected
    st = get_json(cluster, "hpa web", ns)["status"]
    c = conds(st)
    assert c["ScalingActive"]["status"] == "True"
    assert c["ScalingActive"]["reason"] == "ValidMetricFound"
    assert c["ScalingLimited"]["reason"] == limited
    assert st["desiredReplicas"] == expected
    if expected != 2:
        msg = events(cluster, ns, "SuccessfulRescale")[0]["message"]
        assert msg.startswith(f"New size: {expected}; reason: ")
        assert "lastScaleTime" in st


def test_status_reports_current_utilization(cluster, metrics):
    ns = namespace(cluster, "hpa-status")
    metrics.usage[ns] = (30, 0)
    apply(cluster, deploy(), ns)
    apply(cluster, hpa(target="averageUtilization: 80"), ns)
    cluster.advance(20)
    st = get_json(cluster, "hpa web", ns)["status"]
    assert st["currentMetrics"] == [{"type": "Resource", "resource": {
        "name": "cpu", "current": {"averageUtilization": 30, "averageValue": "30m"}}}]
    assert "cpu: 30%/80%" in cluster.kubectl(f"get hpa web -n {ns}").stdout


@pytest.fixture(autouse=True)
def _clean_up(request):
    """Remove each test's HPA and Deployment, so growing targets do not fill the nodes."""
    yield
    c = request.getfixturevalue("cluster")
    for ns in sorted({o["metadata"]["namespace"] for o in
                      get_json(c, "hpa -A")["items"] + get_json(c, "deployments -A")["items"]
                      if o["metadata"]["namespace"].startswith("hpa-")}):
        c.kubectl(f"delete hpa,deployments --all -n {ns}")
