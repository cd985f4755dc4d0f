"""FailedScheduling and Scheduled texts, rendered from reason records as kube-scheduler does."""
from __future__ import annotations

import pytest

from kcore.scheduler import messages as m
from kcore.scheduler.messages import Insufficient, TooManyPods, UntoleratedTaint

TAINT = UntoleratedTaint(key="node-role.kubernetes.io/control-plane", effect="NoSchedule")


@pytest.mark.parametrize("per_node, prefilter, postfilter, want", [
    pytest.param([[TAINT], [m.NODE_AFFINITY_MISMATCH], [m.NODE_AFFINITY_MISMATCH]], "",
                 "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
                 "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't "
                 "match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 "
                 "Preemption is not helpful for scheduling.",
                 id="a tainted control plane and two mismatched workers are counted and sorted"),
    pytest.param([[TAINT], [Insufficient("cpu", 3000, 1000, 2000)],
                  [Insufficient("cpu", 3000, 1000, 2000)]], "",
                 "no new claims to deallocate, preemption: 0/3 nodes are available: 1 Preemption "
                 "is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
                 "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. "
                 "no new claims to deallocate, preemption: 0/3 nodes are available: 1 Preemption "
                 "is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
                 id="the v1.35 kubeadm example renders byte for byte"),
    pytest.param([[Insufficient("cpu"), Insufficient("memory")], [TooManyPods()]], "", "",
                 "0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 Too many pods.",
                 id="a node with two insufficient resources counts once per reason"),
    pytest.param([[m.NODE_UNSCHEDULABLE]] * 10 + [[Insufficient("cpu")]] * 2, "", "",
                 "0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu.",
                 id="counts sort as strings so 10 comes before 2"),
    pytest.param([[m.UNBOUND_IMMEDIATE_PVC]] * 3, "pod has unbound immediate PersistentVolumeClaims",
                 "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
                 "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
                 "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
                 id="a PreFilter rejection replaces the per-node counts"),
    pytest.param([[Insufficient("cpu")]], "", "", "0/1 nodes are available: 1 Insufficient cpu.",
                 id="without a PostFilter message the summary ends at the counts"),
])
def test_fit_error_renders_like_kube_scheduler(per_node, prefilter, postfilter, want):
    assert m.fit_error(len(per_node), per_node, prefilter, postfilter) == want


@pytest.mark.parametrize("reason, text", [
    pytest.param(Insufficient("nvidia.com/gpu", 2, 0, 1), "Insufficient nvidia.com/gpu",
                 id="an extended resource is named in the insufficient reason"),
    pytest.param(TAINT, "node(s) had untolerated taint(s)",
                 id="the v1.35 taint reason does not name the taint"),
    pytest.param(m.NotFound(resource="persistentvolumeclaim", name="data"),
                 'persistentvolumeclaim "data" not found', id="a missing claim is quoted"),
    pytest.param(m.VOLUME_NODE_CONFLICT, "node(s) didn't match PersistentVolume's node affinity",
                 id="the volume affinity reason uses the 1.33+ wording"),
])
def test_reason_records_render_their_text(reason, text):
    assert str(reason) == text


def test_the_taint_record_keeps_the_taint_for_the_older_wording():
    assert TAINT.legacy() == "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"


def test_an_insufficient_request_beyond_the_whole_node_is_unresolvable():
    assert Insufficient("cpu", requested=3000, used=0, capacity=2000).unresolvable
    assert not Insufficient("cpu", requested=1000, used=1500, capacity=2000).unresolvable


def test_the_scheduled_event_names_namespace_pod_and_node():
    assert m.scheduled("default", "nginx", "node01") == "Successfully assigned default/nginx to node01"


def test_preemption_counts_skipped_nodes_as_not_helpful():
    got = m.preemption_fit_error(3, [[m.NO_PREEMPTION_VICTIMS]], absent=2)
    assert got == ("preemption: 0/3 nodes are available: 1 No preemption victims found for "
                   "incoming pod, 2 Preemption is not helpful for scheduling.")
