"""PersistentVolume binder: matching rules (pure), then binding, provisioning, reclaiming and
protection on a live cluster."""
from __future__ import annotations

import json

import pytest

from kcore.controllers.pvbinder import best_volume, volume_fits

from .conftest import apply, events, get_json, namespace


def pv_obj(name, size="5Gi", modes=("ReadWriteOnce",), cls="", mode=None, labels=None,
           claim=None):
    spec = {"capacity": {"storage": size}, "accessModes": list(modes),
            "storageClassName": cls}
    if mode:
        spec["volumeMode"] = mode
    if claim:
        spec["claimRef"] = {"namespace": "default", "name": claim}
    return {"metadata": {"name": name, "labels": labels or {}}, "spec": spec,
            "status": {"phase": "Available"}}


def pvc_obj(name="data", size="1Gi", modes=("ReadWriteOnce",), cls="", mode=None, selector=None):
    spec = {"accessModes": list(modes), "resources": {"requests": {"storage": size}},
            "storageClassName": cls}
    if mode:
        spec["volumeMode"] = mode
    if selector:
        spec["selector"] = selector
    return {"metadata": {"name": name, "namespace": "default", "uid": "u-1"}, "spec": spec}


@pytest.mark.parametrize("pv, pvc, fits", [
    pytest.param(pv_obj("a"), pvc_obj(), True, id="a bigger volume of the same class fits"),
    pytest.param(pv_obj("a", size="500Mi"), pvc_obj(), False, id="a smaller volume does not fit"),
    pytest.param(pv_obj("a", cls="fast"), pvc_obj(), False,
                 id="a volume of another class does not fit"),
    pytest.param(pv_obj("a"), pvc_obj(modes=("ReadWriteMany",)), False,
                 id="a volume must offer every requested access mode"),
    pytest.param(pv_obj("a", modes=("ReadWriteOnce", "ReadOnlyMany")),
                 pvc_obj(modes=("ReadOnlyMany",)), True,
                 id="a volume may offer more access modes than asked"),
    pytest.param(pv_obj("a", mode="Block"), pvc_obj(), False,
                 id="a Block volume does not fit a Filesystem claim"),
    pytest.param(pv_obj("a", labels={"tier": "gold"}),
                 pvc_obj(selector={"matchLabels": {"tier": "gold"}}), True,
                 id="a selector matching the volume's labels fits"),
    pytest.param(pv_obj("a", labels={"tier": "bronze"}),
                 pvc_obj(selector={"matchLabels": {"tier": "gold"}}), False,
                 id="a selector not matching the volume's labels does not fit"),
])
def test_volume_fits(pv, pvc, fits):
    assert volume_fits(pv, pvc) is fits


@pytest.mark.parametrize("pvs, chosen", [
    pytest.param([pv_obj("big", "10Gi"), pv_obj("small", "2Gi"), pv_obj("mid", "5Gi")], "small",
                 id="the smallest volume that fits is chosen"),
    pytest.param([pv_obj("tiny", "100Mi")], None, id="no volume fits"),
    pytest.param([pv_obj("mine", "10Gi", claim="data"), pv_obj("small", "2Gi")], "mine",
                 id="a volume pre-bound to the claim wins over a smaller one"),
    pytest.param([pv_obj("theirs", "2Gi", claim="other"), pv_obj("big", "10Gi")], "big",
                 id="a volume pre-bound to another claim is skipped"),
])
def test_best_volume(pvs, chosen):
    got = best_volume(pvs, pvc_obj())
    assert (got["metadata"]["name"] if got else None) == chosen


# ---------------------------------------------------------------------------- on a cluster

def pv_yaml(name, size="1Gi", policy="Retain", path=None, cls="", extra=""):
    return f"""apiVersion: v1
kind: PersistentVolume
metadata: {{name: {name}}}
spec:
  capacity: {{storage: {size}}}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: {policy}
  storageClassName: "{cls}"
  hostPath: {{path: {path or '/data/' + name}}}
{extra}"""


def pvc_yaml(name, size="1Gi", cls: str | None = "", extra=""):
    cls_line = f'  storageClassName: "{cls}"\n' if cls is not None else ""
    return f"""apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: {name}}}
spec:
{cls_line}  accessModes: [ReadWriteOnce]
  resources: {{requests: {{storage: {size}}}}}
{extra}"""


def sc_yaml(name, provisioner="rancher.io/local-path", mode="Immediate", policy="Delete"):
    return f"""apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {{name: {name}}}
provisioner: {provisioner}
reclaimPolicy: {policy}
volumeBindingMode: {mode}
"""


def pod_yaml(name, claim):
    return f"""apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  containers: [{{name: c, image: nginx}}]
  volumes: [{{name: d, persistentVolumeClaim: {{claimName: {claim}}}}}]
"""


def phase(c, what, ns=None):
    r = c.kubectl(f"get {what} -o json" + (f" -n {ns}" if ns else ""))
    if r.returncode != 0:
        return None
    obj = json.loads(r.stdout)
    return ("Terminating" if obj["metadata"].get("deletionTimestamp") else
            (obj.get("status") or {}).get("phase"))


@pytest.fixture(scope="module")
def binding(cluster):
    """The API server lets a Pending claim's volumeName be set once (binding must be writable)."""
    ns = namespace(cluster, "pv-probe")
    apply(cluster, pvc_yaml("probe", size="1Ti", cls="none-such"), ns)
    claim = get_json(cluster, "pvc probe", ns)
    claim["spec"]["volumeName"] = "somewhere"
    r = cluster.kubectl(f"replace -n {ns} -f -", stdin=json.dumps(claim))
    cluster.kubectl(f"delete pvc probe -n {ns}")
    assert r.returncode == 0, f"binding a Pending claim by volumeName is refused: {r.stderr}"
    return True


def test_a_claim_without_class_or_volume_waits_with_failed_binding(cluster):
    ns = namespace(cluster, "pv-none")
    apply(cluster, pvc_yaml("lonely", size="1Ti"), ns)
    assert phase(cluster, "pvc lonely", ns) == "Pending"
    ev = events(cluster, ns, "FailedBinding")
    assert ev[-1]["message"] == ("no persistent volumes available for this claim and no "
                                 "storage class is set")
    assert "kubernetes.io/pvc-protection" in get_json(cluster, "pvc lonely", ns)["metadata"]["finalizers"]


def test_the_smallest_fitting_volume_is_bound_on_both_sides(cluster, binding):
    ns = namespace(cluster, "pv-static")
    apply(cluster, pv_yaml("st-10g", "10Gi") + "---\n" + pv_yaml("st-2g", "2Gi") + "---\n"
          + pv_yaml("st-1g", "1Gi"))
    apply(cluster, pvc_yaml("data", "1500Mi"), ns)
    pvc = get_json(cluster, "pvc data", ns)
    assert pvc["spec"]["volumeName"] == "st-2g"
    assert pvc["status"] == {"phase": "Bound", "accessModes": ["ReadWriteOnce"],
                             "capacity": {"storage": "2Gi"}}
    assert pvc["metadata"]["annotations"]["pv.kubernetes.io/bind-completed"] == "yes"
    pv = get_json(cluster, "pv st-2g")
    assert pv["status"]["phase"] == "Bound"
    assert (pv["spec"]["claimRef"]["namespace"], pv["spec"]["claimRef"]["name"]) == (ns, "data")
    assert pv["spec"]["claimRef"]["uid"] == pvc["metadata"]["uid"]
    assert "kubernetes.io/pv-protection" in pv["metadata"]["finalizers"]
    assert phase(cluster, "pv st-1g") == "Available"


def test_volume_name_pre_binds_a_claim_to_that_volume(cluster, binding):
    ns = namespace(cluster, "pv-prebind")
    apply(cluster, pv_yaml("pre-small", "1Gi") + "---\n" + pv_yaml("pre-big", "8Gi"))
    apply(cluster, pvc_yaml("data", "1Gi", extra="  volumeName: pre-big\n"), ns)
    assert get_json(cluster, "pvc data", ns)["status"]["phase"] == "Bound"
    assert get_json(cluster, "pv pre-big")["spec"]["claimRef"]["name"] == "data"
    assert phase(cluster, "pv pre-small") == "Available"


@pytest.mark.parametrize("ns, policy, path, after", [
    pytest.param("pv-retain", "Retain", None, "Released",
                 id="Retain leaves the volume Released when its claim is deleted"),
    pytest.param("pv-delete", "Delete", "/tmp/pv-delete", None,
                 id="Delete removes the volume with its claim"),
    pytest.param("pv-fail", "Delete", "/data/keep", "Failed",
                 id="Delete fails for a hostPath volume outside /tmp"),
    pytest.param("pv-recycle", "Recycle", None, "Available",
                 id="Recycle scrubs the volume and makes it Available again"),
])
def test_reclaim_policy(cluster, binding, ns, policy, path, after):
    namespace(cluster, ns)
    apply(cluster, pv_yaml(f"{ns}-vol", "3Gi", policy=policy, path=path, cls=ns))
    apply(cluster, pvc_yaml("data", "3Gi", cls=ns), ns)
    assert phase(cluster, "pvc data", ns) == "Bound"
    cluster.kubectl(f"delete pvc data -n {ns}")
    cluster.advance(5)
    assert phase(cluster, f"pv {ns}-vol") == after
    if after == "Failed":
        pv = get_json(cluster, f"pv {ns}-vol")
        assert pv["status"]["message"] == ("host_path deleter only supports /tmp/.+ but received "
                                           "provided /data/keep")
    if after == "Available":
        assert "claimRef" not in get_json(cluster, f"pv {ns}-vol")["spec"]


def test_a_class_with_a_provisioner_makes_a_volume_for_the_claim(cluster, binding):
    ns = namespace(cluster, "pv-dynamic")
    apply(cluster, sc_yaml("dyn-retain", policy="Retain"))
    apply(cluster, pvc_yaml("data", "4Gi", cls="dyn-retain"), ns)
    pvc = get_json(cluster, "pvc data", ns)
    name = f"pvc-{pvc['metadata']['uid']}"
    assert pvc["status"]["phase"] == "Bound" and pvc["spec"]["volumeName"] == name
    pv = get_json(cluster, f"pv {name}")
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert pv["spec"]["capacity"] == {"storage": "4Gi"}
    assert pv["spec"]["storageClassName"] == "dyn-retain"
    assert pv["metadata"]["annotations"]["pv.kubernetes.io/provisioned-by"] == "rancher.io/local-path"
    ok = events(cluster, ns, "ProvisioningSucceeded")
    assert ok[-1]["message"] == f"Successfully provisioned volume {name}"


def test_wait_for_first_consumer_binds_when_a_pod_is_scheduled(cluster, binding):
    ns = namespace(cluster, "pv-wffc")
    apply(cluster, sc_yaml("wffc", mode="WaitForFirstConsumer"))
    apply(cluster, pvc_yaml("data", "1Gi", cls="wffc"), ns)
    assert phase(cluster, "pvc data", ns) == "Pending"
    assert events(cluster, ns, "WaitForFirstConsumer")[-1]["message"] == \
        "waiting for first consumer to be created before binding"
    apply(cluster, pod_yaml("user", "data"), ns)
    pod = get_json(cluster, "pod user", ns)
    pvc = get_json(cluster, "pvc data", ns)
    assert pvc["status"]["phase"] == "Bound"
    node = pod["spec"]["nodeName"]
    assert pvc["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == node
    pv = get_json(cluster, f"pv {pvc['spec']['volumeName']}")
    term = pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]
    assert term["values"] == [node]


def test_a_claim_in_use_stays_terminating_until_its_pod_is_gone(cluster, binding):
    ns = namespace(cluster, "pv-protect")
    apply(cluster, sc_yaml("protect"))
    apply(cluster, pvc_yaml("data", "1Gi", cls="protect"), ns)
    apply(cluster, pod_yaml("user", "data"), ns)
    volume = get_json(cluster, "pvc data", ns)["spec"]["volumeName"]
    cluster.kubectl(f"delete pvc data -n {ns} --wait=false")
    cluster.advance(5)
    assert phase(cluster, "pvc data", ns) == "Terminating"
    assert phase(cluster, f"pv {volume}") == "Bound"
    cluster.kubectl(f"delete pod user -n {ns}")
    cluster.advance(5)
    assert phase(cluster, "pvc data", ns) is None
    assert phase(cluster, f"pv {volume}") is None        # reclaimPolicy Delete


def test_a_bound_volume_stays_terminating_until_its_claim_is_gone(cluster, binding):
    ns = namespace(cluster, "pv-protect2")
    apply(cluster, pv_yaml("guarded", "1Gi", cls="guarded"))
    apply(cluster, pvc_yaml("data", "1Gi", cls="guarded"), ns)
    cluster.kubectl("delete pv guarded --wait=false")
    cluster.advance(5)
    assert phase(cluster, "pv guarded") == "Terminating"
    cluster.kubectl(f"delete pvc data -n {ns}")
    cluster.advance(5)
    assert phase(cluster, "pv guarded") is None


def test_wait_for_first_consumer_picks_the_local_volume_on_the_pods_node(cluster, binding):
    ns = namespace(cluster, "pv-local")
    apply(cluster, sc_yaml("local-storage", provisioner="kubernetes.io/no-provisioner",
                           mode="WaitForFirstConsumer"))
    for node in ("node01", "node02"):
        apply(cluster, pv_yaml(f"local-{node}", "5Gi", cls="local-storage", extra=f"""  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - {{key: kubernetes.io/hostname, operator: In, values: [{node}]}}
"""))
    apply(cluster, pvc_yaml("data", "1Gi", cls="local-storage"), ns)
    assert phase(cluster, "pvc data", ns) == "Pending"
    apply(cluster, pod_yaml("user", "data").replace(
        "spec:\n", "spec:\n  nodeSelector: {kubernetes.io/hostname: node02}\n", 1), ns)
    assert get_json(cluster, "pod user", ns)["spec"]["nodeName"] == "node02"
    assert get_json(cluster, "pvc data", ns)["spec"]["volumeName"] == "local-node02"
    assert phase(cluster, "pv local-node01") == "Available"


def test_a_claim_for_a_missing_class_reports_provisioning_failed(cluster):
    ns = namespace(cluster, "pv-noclass")
    apply(cluster, pvc_yaml("data", "1Gi", cls="gold"), ns)
    ev = events(cluster, ns, "ProvisioningFailed")
    assert ev[-1]["message"] == 'storageclass.storage.k8s.io "gold" not found'
    assert ev[-1]["type"] == "Warning"


@pytest.mark.parametrize("ns, with_pod, capacity, pending", [
    pytest.param("pv-grow-used", True, "3Gi", False,
                 id="a mounted claim grows when its class allows expansion"),
    pytest.param("pv-grow-idle", False, "1Gi", True,
                 id="an unmounted claim waits for a pod to finish the file system resize"),
])
def test_expanding_a_bound_claim(cluster, binding, ns, with_pod, capacity, pending):
    namespace(cluster, ns)
    apply(cluster, sc_yaml(f"{ns}-sc") + "allowVolumeExpansion: true\n")
    apply(cluster, pvc_yaml("data", "1Gi", cls=f"{ns}-sc"), ns)
    if with_pod:
        apply(cluster, pod_yaml("user", "data"), ns)
    r = cluster.kubectl(["patch", "pvc", "data", "-n", ns, "-p",
                         '{"spec":{"resources":{"requests":{"storage":"3Gi"}}}}'])
    assert r.returncode == 0, r.stderr
    cluster.advance(5)
    pvc = get_json(cluster, "pvc data", ns)
    assert get_json(cluster, f"pv {pvc['spec']['volumeName']}")["spec"]["capacity"] == {"storage": "3Gi"}
    assert pvc["status"]["capacity"] == {"storage": capacity}
    conds = [c["type"] for c in pvc["status"].get("conditions") or []]
    assert ("FileSystemResizePending" in conds) is pending
    assert events(cluster, ns, "ExternalExpanding")[-1]["message"] == \
        "waiting for an external controller to expand this PVC"


def test_a_generic_ephemeral_volume_gets_a_claim_owned_by_its_pod(cluster):
    ns = namespace(cluster, "pv-ephemeral")
    apply(cluster, """apiVersion: v1
kind: Pod
metadata: {name: scratch}
spec:
  containers: [{name: c, image: nginx}]
  volumes:
  - name: cache
    ephemeral:
      volumeClaimTemplate:
        metadata: {labels: {type: scratch}}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: ""
          resources: {requests: {storage: 1Gi}}
""", ns)
    pvc = get_json(cluster, "pvc scratch-cache", ns)
    ref = pvc["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["controller"]) == ("Pod", "scratch", True)
    assert pvc["metadata"]["labels"] == {"type": "scratch"}
    assert pvc["spec"]["resources"]["requests"]["storage"] == "1Gi"
