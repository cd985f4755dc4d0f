"""VolumeBinding: claims that are missing, unbound-immediate, bound to PVs with node affinity,
or waiting for the first consumer (volumebinding/volume_binding_test.go, binder_test.go)."""
from __future__ import annotations

import pytest

from tests.scheduler.builders import cluster, filter_results, node, pod

UNRES = "UnschedulableAndUnresolvable"


def sc(name, mode="WaitForFirstConsumer", provisioner="kubernetes.io/no-provisioner"):
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": name},
            "provisioner": provisioner, "volumeBindingMode": mode}


def pvc(name, class_name="", volume="", size="1Gi"):
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}
    if class_name:
        spec["storageClassName"] = class_name
    if volume:
        spec["volumeName"] = volume
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": name, "namespace": "default"}, "spec": spec}


def pv(name, class_name="", hostname=None, size="5Gi"):
    spec = {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": size}}
    if class_name:
        spec["storageClassName"] = class_name
    if hostname:
        spec["nodeAffinity"] = {"required": {"nodeSelectorTerms": [{"matchExpressions": [
            {"key": "kubernetes.io/hostname", "operator": "In", "values": [hostname]}]}]}}
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name},
            "spec": spec, "status": {"phase": "Available"}}


NODES = [node("node1"), node("node2")]


@pytest.mark.parametrize("others, want", [
    pytest.param([], {"node1": (UNRES, 'persistentvolumeclaim "data" not found'),
                      "node2": (UNRES, 'persistentvolumeclaim "data" not found')},
                 id="a missing claim rejects the pod everywhere"),
    pytest.param([pvc("data", "standard"), sc("standard", "Immediate")],
                 {n: (UNRES, "pod has unbound immediate PersistentVolumeClaims") for n in ("node1", "node2")},
                 id="an unbound immediate claim keeps the pod waiting"),
    pytest.param([pvc("data", volume="pv1"), pv("pv1", hostname="node1")],
                 {"node1": None,
                  "node2": (UNRES, "node(s) didn't match PersistentVolume's node affinity")},
                 id="a bound local volume pins the pod to its node"),
    pytest.param([pvc("data", "local"), sc("local"), pv("pv1", "local", hostname="node2")],
                 {"node1": (UNRES, "node(s) didn't find available persistent volumes to bind"),
                  "node2": None},
                 id="a delayed claim fits where a matching local PV exists"),
    pytest.param([pvc("data", "local", size="10Gi"), sc("local"), pv("pv1", "local", hostname="node2")],
                 {n: (UNRES, "node(s) didn't find available persistent volumes to bind")
                  for n in ("node1", "node2")},
                 id="a PV too small for the claim does not count"),
    pytest.param([pvc("data", "fast"), sc("fast", provisioner="csi.example.com")],
                 {"node1": None, "node2": None},
                 id="a delayed claim with a provisioner fits everywhere"),
])
def test_volume_binding_filter(others, want):
    got = filter_results("VolumeBinding", NODES, pod("p").pvc("data"), others=others)
    assert got == want


def test_a_pod_without_claims_skips_the_plugin():
    assert filter_results("VolumeBinding", NODES, pod("p")) == {"node1": None, "node2": None}


def test_binding_a_delayed_claim_reports_the_chosen_volume():
    s = cluster([node("node1")], others=[pvc("data", "local"), sc("local"),
                                         pv("pv1", "local", hostname="node1")])
    s.add_pod(pod("p").pvc("data").obj())
    d = s.schedule_one()
    assert d.node == "node1"
    assert d.volume_decisions == [{"claim": "default/data", "volume": "pv1", "provision": False,
                                   "selectedNode": "node1"}]
