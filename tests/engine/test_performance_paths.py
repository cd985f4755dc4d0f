"""The fast paths taken for big clusters keep their promises: history compaction by write
count, the shared decode cache for watches, relaxed gc only while the loop runs, pod IPs and
pod CIDRs past 256 nodes, and printed pod rows reused only for the same stored revision."""
from __future__ import annotations

import gc

import pytest

import kcore
from kcore.cli.kubectl.printers import table_rows
from kcore.sim.loop import Loop


@pytest.fixture(scope="module")
def cluster():
    return kcore.Cluster()


def test_history_is_compacted_one_interval_behind(cluster):
    api, store = cluster.api, cluster.store
    saved = api.COMPACT_EVERY_WRITES
    api.COMPACT_EVERY_WRITES = 50
    try:
        start = store.revision
        for i in range(120):
            cluster.kubectl(["create", "configmap", f"compact-{i}", "--from-literal=k=v"])
    finally:
        api.COMPACT_EVERY_WRITES = saved
    assert start < store.compact_revision < store.revision
    assert store.revision - store.compact_revision >= 50
    assert cluster.kubectl("get configmap compact-0 -o name").stdout == "configmap/compact-0\n"


def test_a_small_cluster_keeps_its_whole_history():
    assert kcore.Cluster().store.compact_revision == 0


def test_watch_and_lister_share_one_decoded_object(cluster):
    seen = []
    cancel = cluster.api.watch("configmaps", "default", lambda t, o: seen.append(o))
    cluster.kubectl(["create", "configmap", "shared", "--from-literal=k=v"])
    cancel()
    listed = [o for o in cluster.api.list("configmaps", "default", readonly=True)["items"]
              if o["metadata"]["name"] == "shared"]
    assert seen and listed and seen[-1] is listed[0]


@pytest.mark.parametrize("enabled, threshold", [
    pytest.param(True, (700, 10, 10), id="the collector is off during a run and on again after it"),
    pytest.param(False, (700, 10, 10), id="a collector the user turned off stays off"),
    pytest.param(True, (0, 10, 10), id="thresholds are never touched"),
])
def test_the_cyclic_collector_is_off_while_events_run(enabled, threshold):
    saved, was = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()
    try:
        loop = Loop()
        inside = []
        loop.call_soon(lambda: inside.append(gc.isenabled()))
        loop.settle()
        assert inside == [False]
        assert gc.isenabled() is enabled
        assert gc.get_threshold() == threshold
    finally:
        gc.set_threshold(*saved)
        (gc.enable if was else gc.disable)()


def test_a_run_that_leaves_a_big_heap_freezes_it_and_a_small_one_does_not():
    from kcore.sim.loop import FREEZE_AFTER
    gc.collect()
    gc.unfreeze()
    kept = []
    loop = Loop()
    loop.call_soon(lambda: kept.extend([i] for i in range(100)))
    loop.settle()
    assert gc.get_freeze_count() == 0
    loop.call_soon(lambda: kept.extend([i] for i in range(FREEZE_AFTER)))
    loop.settle()
    try:
        assert gc.get_freeze_count() >= FREEZE_AFTER
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("index, ip, cidr", [
    pytest.param(0, "192.168.1.10", "10.244.0.0/24", id="the first node keeps kubeadm's addresses"),
    pytest.param(245, "192.168.1.255", "10.244.245.0/24", id="the last address of the /24"),
    pytest.param(246, "192.168.2.0", "10.244.246.0/24", id="node IPs carry on into the next /24"),
    pytest.param(300, "192.168.2.54", "10.245.44.0/24", id="pod CIDRs carry on past 10.244.255.0"),
    pytest.param(3100, "192.168.13.38", "10.0.28.0/24", id="pod CIDRs wrap past 10.255 into 10.0"),
])
def test_addresses_of_big_clusters(index, ip, cidr):
    from kcore.cluster import bootstrap

    class Fake:
        node_names = [f"node{i:04d}" for i in range(index + 1)]
    assert bootstrap.node_ip(Fake(), Fake.node_names[index]) == ip
    assert bootstrap.pod_cidr(Fake(), Fake.node_names[index]) == cidr


def _pod(rv, phase="Running", restarts=0):
    return {"kind": "Pod", "metadata": {"name": "p", "namespace": "default", "uid": "u1",
                                        "resourceVersion": rv,
                                        "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"containers": [{"name": "c"}]},
            "status": {"phase": phase, "containerStatuses": [
                {"name": "c", "ready": True, "restartCount": restarts,
                 "state": {"running": {}}}]}}


def test_a_cached_pod_row_still_ages():
    pod = _pod("5")
    now = 1767225600.0
    first = table_rows("Pod", pod, now + 10)[1][0]
    again = table_rows("Pod", pod, now + 130)[1][0]
    assert (first[4], again[4]) == ("10s", "2m10s")
    assert first[:4] == again[:4]


def test_a_new_revision_is_printed_afresh():
    now = 1767225600.0
    table_rows("Pod", _pod("6"), now)
    assert table_rows("Pod", _pod("7", phase="Failed", restarts=3), now)[1][0][3] == "3"


def test_a_generated_name_that_is_taken_is_drawn_again():
    c = kcore.Cluster(workers=1)
    c.kubectl(["create", "configmap", "cfg-aaaaa"])
    draws = iter(["aaaaa", "bbbbb"])
    c.loop.rand_suffix = lambda n=5: next(draws)
    got = c.api.create("configmaps", "default", {"apiVersion": "v1", "kind": "ConfigMap",
                                                 "metadata": {"generateName": "cfg-"}})
    assert got["metadata"]["name"] == "cfg-bbbbb"
