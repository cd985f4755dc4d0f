"""What the website corpus taught kcore: each fix it needed, pinned by a small test.

- Files the docs apply *next to* a LimitRange or ResourceQuota to show a refusal are refused,
  with the admission plugin's message (CAVEATS.tsv, category rejected-by-design).
- A Secret's stringData is write-only: folded into data, never read back.
- Quantities are stored in canonical form, as apimachinery re-emits them.
- LimitRanger enforces `type: Pod` items and maxLimitRequestRatio, and checks init containers.
- A Deployment whose pods are refused by admission still lets `kubectl apply` return
  (known controller bug: strict xfail until fixed)."""
from __future__ import annotations

import json

import pytest

import corpus_support as cs

import kcore

HAVE_CORPUS = (cs.CORPUS / "INDEX.tsv").exists()
needs_corpus = pytest.mark.skipif(not HAVE_CORPUS, reason=f"corpus not found at {cs.CORPUS}")


@pytest.fixture(scope="module")
def cluster():
    return kcore.Cluster()


_ns_counter = iter(range(10_000))


def fresh_namespace(cluster) -> str:
    ns = f"regress-{next(_ns_counter)}"
    assert cluster.kubectl(["create", "namespace", ns], settle=False).returncode == 0
    return ns


def apply_text(cluster, ns, text):
    return cluster.kubectl(["apply", "-f", "-", "-n", ns], stdin=text, settle=False)


def get_json(cluster, ns, *what):
    r = cluster.kubectl(["get", *what, "-n", ns, "-o", "json"], settle=False)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


# -- rejected by design -------------------------------------------------------------------------

R = "admin/resource/"
REJECTED_BY_DESIGN = [
    pytest.param([R + "cpu-constraints.yaml"], R + "cpu-constraints-pod-2.yaml",
                 'pods "constraints-cpu-demo-2" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m',
                 id="a pod whose cpu limit is over the LimitRange maximum is refused"),
    pytest.param([R + "cpu-constraints.yaml"], R + "cpu-constraints-pod-3.yaml",
                 'pods "constraints-cpu-demo-3" is forbidden: minimum cpu usage per Container is 200m, but request is 100m',
                 id="a pod whose cpu request is under the LimitRange minimum is refused"),
    pytest.param([R + "limit-mem-cpu-container.yaml", R + "limit-mem-cpu-pod.yaml"], R + "limit-range-pod-1.yaml",
                 'pods "busybox1" is forbidden: [maximum cpu usage per Pod is 2, but limit is 2400m, '
                 'maximum memory usage per Pod is 2Gi, but limit is',
                 id="a pod whose defaulted container limits add up past a per-Pod maximum is refused"),
    pytest.param([R + "limit-mem-cpu-container.yaml", R + "limit-mem-cpu-pod.yaml"], R + "limit-range-pod-2.yaml",
                 'pods "busybox2" is forbidden: [maximum cpu usage per Pod is 2, but limit is 2400m',
                 id="the second copy of that pod is refused the same way"),
    pytest.param([R + "limit-memory-ratio-pod.yaml"], R + "limit-range-pod-3.yaml",
                 'pods "busybox3" is forbidden: memory max limit to request ratio per Pod is 2, '
                 'but provided ratio is 3.000000',
                 id="a pod over the per-Pod limit-to-request ratio is refused"),
    pytest.param([R + "memory-constraints.yaml"], R + "memory-constraints-pod-2.yaml",
                 'maximum memory usage per Container is 1Gi, but limit is 1536Mi',
                 id="a memory limit over the maximum is refused and printed canonically"),
    pytest.param([R + "memory-constraints.yaml"], R + "memory-constraints-pod-3.yaml",
                 'minimum memory usage per Container is 500Mi, but request is 100Mi',
                 id="a memory request under the minimum is refused"),
    pytest.param([R + "storagelimits.yaml"], R + "pvc-limit-greater.yaml",
                 'maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi',
                 id="a claim over the storage maximum is refused"),
    pytest.param([R + "storagelimits.yaml"], R + "pvc-limit-lower.yaml",
                 'minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi',
                 id="a claim under the storage minimum is refused"),
    pytest.param([R + "quota-mem-cpu.yaml", R + "quota-mem-cpu-pod.yaml"], R + "quota-mem-cpu-pod-2.yaml",
                 'pods "quota-mem-cpu-demo-2" is forbidden: exceeded quota: mem-cpu-demo, '
                 'requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi',
                 id="a pod that would exceed the memory quota is refused"),
    pytest.param([R + "quota-objects.yaml", R + "quota-objects-pvc.yaml"], R + "quota-objects-pvc-2.yaml",
                 'exceeded quota: object-quota-demo, requested: persistentvolumeclaims=1, '
                 'used: persistentvolumeclaims=1, limited: persistentvolumeclaims=1',
                 id="a second claim past an object-count quota is refused"),
    pytest.param(["concepts/policy/limit-range/problematic-limit-range.yaml"],
                 "concepts/policy/limit-range/example-conflict-with-limitrange-cpu.yaml",
                 'spec.containers[0].resources.requests: Invalid value: "700m": '
                 'must be less than or equal to cpu limit of 500m',
                 id="a request above the limit a LimitRange defaulted in fails validation"),
]


@needs_corpus
@pytest.mark.parametrize("setup, path, message", REJECTED_BY_DESIGN)
def test_rejected_by_design_next_to_its_policy(cluster, setup, path, message):
    ns = fresh_namespace(cluster)
    for s in setup:
        r = apply_text(cluster, ns, (cs.CORPUS / s).read_text())
        assert r.returncode == 0, r.stderr
    r = apply_text(cluster, ns, (cs.CORPUS / path).read_text())
    assert r.returncode == 1
    assert r.stdout == ""
    assert message in r.stderr, r.stderr
    # a refused request leaves nothing behind
    obj = cs.author_objects((cs.CORPUS / path).read_text())[0]
    gone = cluster.kubectl(["get", obj["kind"].lower(), obj["metadata"]["name"], "-n", ns], settle=False)
    assert gone.returncode == 1 and "NotFound" in gone.stderr


# -- Secret stringData ---------------------------------------------------------------------------

SECRET = """apiVersion: v1
kind: Secret
metadata: {name: s}
type: kubernetes.io/basic-auth
data: {username: b2xk, extra: eA==}
stringData: {username: admin, password: t0p-Secret}
"""


def test_secret_string_data_is_folded_into_data_and_not_returned(cluster):
    ns = fresh_namespace(cluster)
    r = apply_text(cluster, ns, SECRET)
    assert (r.returncode, r.stdout) == (0, "secret/s created\n"), r.stderr
    live = get_json(cluster, ns, "secret", "s")
    assert "stringData" not in live
    assert live["data"] == {"username": "YWRtaW4=", "password": "dDBwLVNlY3JldA==", "extra": "eA=="}


# -- quantities ----------------------------------------------------------------------------------

QUANTITY_POD = """apiVersion: v1
kind: Pod
metadata: {name: q}
spec:
  containers:
  - name: c
    image: nginx
    resources:
      requests: {cpu: 0.5, memory: 1.5Gi, example.com/dongle: 2}
      limits: {cpu: "1.5", memory: 2048Mi, example.com/dongle: 2}
  volumes:
  - name: scratch
    emptyDir: {sizeLimit: 0.5Gi}
"""


@pytest.mark.parametrize("path, canonical", [
    pytest.param(("containers", 0, "resources", "requests", "cpu"), "500m",
                 id="a number 0.5 of cpu reads back as the string 500m"),
    pytest.param(("containers", 0, "resources", "requests", "memory"), "1536Mi",
                 id="1.5Gi of memory reads back as 1536Mi"),
    pytest.param(("containers", 0, "resources", "requests", "example.com/dongle"), "2",
                 id="a number 2 of an extended resource reads back as the string 2"),
    pytest.param(("containers", 0, "resources", "limits", "cpu"), "1500m",
                 id="a string 1.5 of cpu reads back as 1500m"),
    pytest.param(("containers", 0, "resources", "limits", "memory"), "2Gi",
                 id="2048Mi reads back as 2Gi"),
    pytest.param(("volumes", 0, "emptyDir", "sizeLimit"), "512Mi",
                 id="an emptyDir sizeLimit of 0.5Gi reads back as 512Mi"),
])
def test_quantities_are_stored_in_canonical_form(cluster, path, canonical):
    ns = fresh_namespace(cluster)
    r = apply_text(cluster, ns, QUANTITY_POD)
    assert r.returncode == 0, r.stderr
    value = get_json(cluster, ns, "pod", "q")["spec"]
    for part in path:
        value = value[part]
    assert value == canonical


def test_a_quantity_that_does_not_parse_is_still_refused(cluster):
    ns = fresh_namespace(cluster)
    r = apply_text(cluster, ns, QUANTITY_POD.replace("cpu: 0.5", "cpu: half"))
    assert r.returncode == 1
    assert "quantities must match the regular expression" in r.stderr


# -- LimitRanger init containers -----------------------------------------------------------------

LIMITS = """apiVersion: v1
kind: LimitRange
metadata: {name: lr}
spec:
  limits:
  - type: Container
    max: {cpu: 500m}
"""
INIT_POD = """apiVersion: v1
kind: Pod
metadata: {name: init-heavy}
spec:
  initContainers:
  - {name: setup, image: busybox, resources: {limits: {cpu: "1"}}}
  containers:
  - {name: app, image: nginx, resources: {limits: {cpu: 100m}}}
"""


def test_limit_range_container_maximum_applies_to_init_containers(cluster):
    ns = fresh_namespace(cluster)
    assert apply_text(cluster, ns, LIMITS).returncode == 0
    r = apply_text(cluster, ns, INIT_POD)
    assert r.returncode == 1
    assert ('pods "init-heavy" is forbidden: maximum cpu usage per Container is 500m, but limit is 1'
            in r.stderr), r.stderr


# -- known controller bug ------------------------------------------------------------------------

REFUSED_PODS = """apiVersion: apps/v1
kind: Deployment
metadata: {name: refused}
spec:
  replicas: 1
  selector: {matchLabels: {app: refused}}
  template:
    metadata: {labels: {app: refused}}
    spec:
      priorityClassName: no-such-class
      containers: [{name: c, image: nginx}]
"""


def test_apply_returns_when_a_deployments_pods_are_refused_by_admission():
    c = kcore.Cluster()
    ns = fresh_namespace(c)
    try:
        with cs.watchdog(5.0, "apply of a Deployment whose pods are refused"):
            r = apply_text(c, ns, REFUSED_PODS)
    except cs.ApplyHung as exc:
        raise TimeoutError(str(exc)) from None
    assert (r.returncode, r.stdout) == (0, "deployment.apps/refused created\n")
