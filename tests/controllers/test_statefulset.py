"""StatefulSet controller on a live cluster: names, order, storage, updates and status."""
from __future__ import annotations

import pytest

from kcore.controllers.statefulset import ordinal_of

from .conftest import apply, events, get_json, items, names, namespace


def sts(name="web", replicas=3, image="nginx:1.25", policy="OrderedReady", strategy="",
        claims=False, probe=False):
    probe_yaml = """
        readinessProbe:
          exec: {command: ["false"]}
          periodSeconds: 5""" if probe else ""
    claim_yaml = """
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: ""
      resources: {requests: {storage: 1Gi}}""" if claims else ""
    mount = """
        volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]""" if claims else ""
    return f"""apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: {name}}}
spec:
  serviceName: {name}-svc
  replicas: {replicas}
  podManagementPolicy: {policy}
{strategy}  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
      - name: c
        image: {image}{probe_yaml}{mount}{claim_yaml}
"""


def pods(c, ns):
    return {p["metadata"]["name"]: p for p in items(c, "pods", ns)
            if not p["metadata"].get("deletionTimestamp")}


@pytest.mark.parametrize("sts_name, pod_name, ordinal", [
    pytest.param("web", "web-0", 0, id="web-0 is ordinal zero"),
    pytest.param("web", "web-12", 12, id="ordinals have more than one digit"),
    pytest.param("web", "web-01", None, id="a leading zero is not an ordinal"),
    pytest.param("web", "webx-1", None, id="another set's pod has no ordinal here"),
    pytest.param("my-db", "my-db-3", 3, id="set names may contain dashes"),
])
def test_ordinal_of(sts_name, pod_name, ordinal):
    assert ordinal_of(sts_name, pod_name) == ordinal


def test_pods_get_stable_names_hostnames_and_labels(cluster):
    ns = namespace(cluster, "sts-names")
    apply(cluster, sts(), ns)
    got = pods(cluster, ns)
    assert sorted(got) == ["web-0", "web-1", "web-2"]
    for name, p in got.items():
        assert p["spec"]["hostname"] == name
        assert p["spec"]["subdomain"] == "web-svc"
        lbl = p["metadata"]["labels"]
        assert lbl["statefulset.kubernetes.io/pod-name"] == name
        assert lbl["apps.kubernetes.io/pod-index"] == name.rsplit("-", 1)[1]
        assert lbl["controller-revision-hash"].startswith("web-")
    created = sorted(got, key=lambda n: got[n]["metadata"]["creationTimestamp"])
    assert created == ["web-0", "web-1", "web-2"]
    msgs = [e["message"] for e in events(cluster, ns, "SuccessfulCreate")]
    assert "create Pod web-0 in StatefulSet web successful" in msgs
    st = get_json(cluster, "sts web", ns)["status"]
    assert st["replicas"] == st["readyReplicas"] == st["availableReplicas"] == 3
    assert st["currentRevision"] == st["updateRevision"]
    assert st["observedGeneration"] == 1 and st["collisionCount"] == 0


@pytest.mark.parametrize("ns, policy, expected", [
    pytest.param("sts-ordered", "OrderedReady", ["web-0"],
                 id="OrderedReady waits for web-0 to be Ready before creating web-1"),
    pytest.param("sts-parallel", "Parallel", ["web-0", "web-1", "web-2"],
                 id="Parallel creates every pod without waiting"),
])
def test_pod_management_policy(cluster, ns, policy, expected):
    namespace(cluster, ns)
    apply(cluster, sts(policy=policy, probe=True, image="busybox"), ns)
    cluster.advance(30)
    assert sorted(pods(cluster, ns)) == expected
    st = get_json(cluster, "sts web", ns)["status"]
    assert st["replicas"] == len(expected) and "readyReplicas" not in st


def test_scale_down_removes_the_highest_ordinal_first(cluster):
    ns = namespace(cluster, "sts-down")
    apply(cluster, sts(replicas=4), ns)
    r = cluster.kubectl(f"scale sts web --replicas=1 -n {ns}")
    assert r.returncode == 0, r.stderr
    cluster.advance(30)
    assert sorted(pods(cluster, ns)) == ["web-0"]
    deletes = [e for e in items(cluster, "events", ns) if e["reason"] == "SuccessfulDelete"]
    order = sorted(deletes, key=lambda e: int(e["metadata"]["resourceVersion"]))
    assert [e["message"].split()[2] for e in order] == ["web-3", "web-2", "web-1"]


def test_volume_claim_templates_make_one_claim_per_pod_and_keep_them(cluster):
    ns = namespace(cluster, "sts-claims")
    apply(cluster, sts(replicas=2, claims=True, policy="Parallel"), ns)
    assert names(cluster, "pvc", ns) == ["www-web-0", "www-web-1"]
    p = pods(cluster, ns)["web-1"]
    vols = {v["name"]: v for v in p["spec"]["volumes"] if "persistentVolumeClaim" in v}
    assert vols["www"]["persistentVolumeClaim"]["claimName"] == "www-web-1"
    pvc = get_json(cluster, "pvc www-web-0", ns)
    assert pvc["metadata"]["labels"] == {"app": "web"}
    msgs = [e["message"] for e in events(cluster, ns, "SuccessfulCreate")]
    assert "create Claim www-web-0 Pod web-0 in StatefulSet web success" in msgs
    cluster.kubectl(f"scale sts web --replicas=0 -n {ns}")
    cluster.advance(30)
    assert names(cluster, "pvc", ns) == ["www-web-0", "www-web-1"]


def test_rolling_update_replaces_every_pod_and_records_revisions(cluster):
    ns = namespace(cluster, "sts-roll")
    apply(cluster, sts(), ns)
    first = get_json(cluster, "sts web", ns)["status"]["updateRevision"]
    apply(cluster, sts(image="nginx:1.26"), ns)
    cluster.advance(60)
    st = get_json(cluster, "sts web", ns)["status"]
    assert st["updateRevision"] != first
    assert st["currentRevision"] == st["updateRevision"]
    assert st["updatedReplicas"] == st["currentReplicas"] == st["readyReplicas"] == 3
    assert st["observedGeneration"] == 2
    for p in pods(cluster, ns).values():
        assert p["spec"]["containers"][0]["image"] == "nginx:1.26"
        assert p["metadata"]["labels"]["controller-revision-hash"] == st["updateRevision"]
    revs = sorted((r["revision"], r["metadata"]["name"])
                  for r in items(cluster, "controllerrevisions", ns))
    assert revs == [(1, first), (2, st["updateRevision"])]
    deletes = [e["message"] for e in events(cluster, ns, "SuccessfulDelete")]
    assert "delete Pod web-2 in StatefulSet web successful" in deletes


@pytest.mark.parametrize("ns, strategy, updated", [
    pytest.param("sts-partition", "  updateStrategy:\n    type: RollingUpdate\n"
                 "    rollingUpdate: {partition: 2}\n", ["web-2"],
                 id="a partition of 2 updates only ordinals 2 and above"),
    pytest.param("sts-ondelete", "  updateStrategy: {type: OnDelete}\n", [],
                 id="OnDelete replaces no pod by itself"),
])
def test_partial_updates(cluster, ns, strategy, updated):
    namespace(cluster, ns)
    apply(cluster, sts(strategy=strategy), ns)
    apply(cluster, sts(strategy=strategy, image="nginx:1.26"), ns)
    cluster.advance(60)
    got = pods(cluster, ns)
    new = sorted(n for n, p in got.items() if p["spec"]["containers"][0]["image"] == "nginx:1.26")
    assert new == updated
    st = get_json(cluster, "sts web", ns)["status"]
    assert st.get("updatedReplicas", 0) == len(updated)
    assert st["currentRevision"] != st["updateRevision"]
    if not updated:
        cluster.kubectl(f"delete pod web-1 -n {ns}")
        cluster.advance(30)
        got = pods(cluster, ns)
        assert got["web-1"]["spec"]["containers"][0]["image"] == "nginx:1.26"
        assert got["web-0"]["spec"]["containers"][0]["image"] == "nginx:1.25"


def test_on_delete_keeps_the_old_current_revision_even_when_every_pod_is_new(cluster):
    """Kubernetes v1.35 never promotes currentRevision under OnDelete (kubernetes#73492)."""
    ns = namespace(cluster, "sts-ondelete-all")
    strategy = "  updateStrategy: {type: OnDelete}\n"
    apply(cluster, sts(replicas=2, strategy=strategy), ns)
    apply(cluster, sts(replicas=2, strategy=strategy, image="nginx:1.26"), ns)
    cluster.kubectl(f"delete pod web-0 web-1 -n {ns}")
    cluster.advance(30)
    st = get_json(cluster, "sts web", ns)["status"]
    assert st["updatedReplicas"] == 2 and "currentReplicas" not in st
    assert st["currentRevision"] != st["updateRevision"]


@pytest.mark.parametrize("ns, policy, kept", [
    pytest.param("sts-retain", "", ["www-web-0", "www-web-1", "www-web-2"],
                 id="claims are retained on scale down by default"),
    pytest.param("sts-whenscaled", "  persistentVolumeClaimRetentionPolicy: {whenScaled: Delete}\n",
                 ["www-web-0"], id="whenScaled Delete removes the claims of scaled-away pods"),
])
def test_claim_retention_on_scale_down(cluster, ns, policy, kept):
    namespace(cluster, ns)
    apply(cluster, sts(claims=True, policy="Parallel", strategy=policy), ns)
    cluster.kubectl(f"scale sts web --replicas=1 -n {ns}")
    cluster.advance(30)
    assert names(cluster, "pvc", ns) == kept


def test_a_failed_pod_is_recreated_with_the_same_name(cluster):
    ns = namespace(cluster, "sts-failed")
    apply(cluster, sts(replicas=1), ns)
    first = get_json(cluster, "pod web-0", ns)["metadata"]["uid"]
    pod = get_json(cluster, "pod web-0", ns)
    pod["status"]["phase"] = "Failed"                # as after an eviction or a node shutdown
    cluster.api.update("pods", ns, pod, subresource="status")
    cluster.advance(10)
    again = get_json(cluster, "pod web-0", ns)
    assert again["metadata"]["uid"] != first
    msgs = [e["message"] for e in events(cluster, ns, "RecreatingFailedPod")]
    assert msgs == [f"StatefulSet {ns}/web is recreating failed Pod web-0"]


def test_ordinals_start_shifts_the_pod_names(cluster):
    ns = namespace(cluster, "sts-start")
    apply(cluster, sts(replicas=2).replace("  replicas: 2\n", "  replicas: 2\n  ordinals: {start: 5}\n"),
          ns)
    assert sorted(pods(cluster, ns)) == ["web-5", "web-6"]
    cluster.kubectl(f"scale sts web --replicas=1 -n {ns}")
    cluster.advance(30)
    assert sorted(pods(cluster, ns)) == ["web-5"]


def test_rollout_history_lists_the_revisions_with_their_change_cause(cluster):
    ns = namespace(cluster, "sts-history")
    apply(cluster, sts(replicas=1).replace("metadata: {name: web}", "metadata:\n  name: web\n"
                                           "  annotations: {kubernetes.io/change-cause: first}"), ns)
    apply(cluster, sts(replicas=1, image="nginx:1.26").replace(
        "metadata: {name: web}", "metadata:\n  name: web\n"
        "  annotations: {kubernetes.io/change-cause: second}"), ns)
    r = cluster.kubectl(f"rollout history sts/web -n {ns}")
    assert r.returncode == 0, r.stderr
    lines = [ln.split() for ln in r.stdout.splitlines()[2:] if ln.strip()]
    assert lines == [["1", "first"], ["2", "second"]]
