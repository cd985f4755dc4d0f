"""What the scheduler says, as data first and text second.

Every reason a plugin gives is a `Reason` record (`Insufficient("cpu", requested=..., ...)`,
`UntoleratedTaint(key, value, effect)`); `str(reason)` is the exact kube-scheduler v1.35 text.
The FailedScheduling summary is rendered here and only here, the way FitError.Error() does it:

    0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new
    claims to deallocate, preemption: 0/3 nodes are available: 1 Preemption is not helpful for
    scheduling, 2 No preemption victims found for incoming pod.

Counts are "<n> <reason>" strings sorted with Go's sort.Strings (byte order, so `1 Insufficient`
sorts before `1 node(s)` and `10 ...` before `2 ...`), joined with ", " and closed with ".".
A PreFilter rejection replaces the per-node list. PostFilter messages follow, joined by ", "."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reason:
    """One reason a node (or the whole pod) was rejected; `text` is what users read."""
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Insufficient(Reason):
    """NodeResourcesFit: the node's allocatable minus what is requested is too small."""
    text: str = field(init=False, default="")
    resource: str = "cpu"
    requested: int = 0
    used: int = 0
    capacity: int = 0

    def __str__(self) -> str:
        return f"Insufficient {self.resource}"

    @property
    def unresolvable(self) -> bool:
        """The request exceeds the whole node: evicting pods cannot help."""
        return self.requested > self.capacity


@dataclass(frozen=True)
class TooManyPods(Reason):
    text: str = field(init=False, default="Too many pods")
    used: int = 0
    capacity: int = 0

    def __str__(self) -> str:
        return "Too many pods"


@dataclass(frozen=True)
class UntoleratedTaint(Reason):
    """TaintToleration. v1.35 no longer names the taint in the text (kubernetes PR #134740);
    the record keeps it for describe, the explainer and hints."""
    text: str = field(init=False, default="node(s) had untolerated taint(s)")
    key: str = ""
    value: str = ""
    effect: str = ""

    def __str__(self) -> str:
        return "node(s) had untolerated taint(s)"

    def legacy(self) -> str:
        """The pre-1.34 wording, `node(s) had untolerated taint {key: value}`."""
        return f"node(s) had untolerated taint {{{self.key}: {self.value}}}"


@dataclass(frozen=True)
class NotFound(Reason):
    """A PreFilter lookup that failed, e.g. `persistentvolumeclaim "data" not found`."""
    text: str = field(init=False, default="")
    resource: str = ""
    name: str = ""

    def __str__(self) -> str:
        return f'{self.resource} "{self.name}" not found'


NODE_UNSCHEDULABLE = Reason("node(s) were unschedulable")
NODE_NAME_MISMATCH = Reason("node(s) didn't match the requested node name")
NODE_AFFINITY_MISMATCH = Reason("node(s) didn't match Pod's node affinity/selector")
NODE_PORTS_CONFLICT = Reason("node(s) didn't have free ports for the requested pod ports")
POD_AFFINITY_MISMATCH = Reason("node(s) didn't match pod affinity rules")
POD_ANTI_AFFINITY_MISMATCH = Reason("node(s) didn't match pod anti-affinity rules")
EXISTING_ANTI_AFFINITY_MISMATCH = Reason("node(s) didn't satisfy existing pods anti-affinity rules")
TOPOLOGY_SPREAD_MISMATCH = Reason("node(s) didn't match pod topology spread constraints")
TOPOLOGY_SPREAD_MISSING_LABEL = Reason(
    "node(s) didn't match pod topology spread constraints (missing required label)")
VOLUME_BIND_CONFLICT = Reason("node(s) didn't find available persistent volumes to bind")
VOLUME_NODE_CONFLICT = Reason("node(s) didn't match PersistentVolume's node affinity")
VOLUME_PV_MISSING = Reason("node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)")
UNBOUND_IMMEDIATE_PVC = Reason("pod has unbound immediate PersistentVolumeClaims")
PREEMPTION_NOT_HELPFUL = Reason("Preemption is not helpful for scheduling")
NO_PREEMPTION_VICTIMS = Reason("No preemption victims found for incoming pod")
PREEMPTION_POLICY_NEVER = Reason("not eligible due to preemptionPolicy=Never.")
NO_CLAIMS_TO_DEALLOCATE = Reason("no new claims to deallocate")
STATE_NOT_FOUND = Reason("not found")     # framework.ErrNotFound from CycleState.Read
NO_NODES = Reason("no nodes available to schedule pods")
# PodScheduled=False, reason SchedulingGated, for a pod waiting on spec.schedulingGates
SCHEDULING_GATED = Reason("Scheduling is blocked due to non-empty scheduling gates")


def pvc_being_deleted(name: str) -> Reason:
    return Reason(f'persistentvolumeclaim "{name}" is being deleted')


def _go_sort_key(s: str) -> bytes:
    return s.encode("utf-8")


def reason_histogram(per_node: Iterable[Iterable], absent: int = 0, absent_reasons=()) -> list[str]:
    """Count each reason text over nodes and render `<count> <reason>`, sorted as Go sorts."""
    counts: dict[str, int] = {}
    for reasons in per_node:
        for r in reasons:
            t = str(r)
            counts[t] = counts.get(t, 0) + 1
    if absent > 0:
        for r in absent_reasons:
            t = str(r)
            counts[t] = counts.get(t, 0) + absent
    return sorted((f"{n} {t}" for t, n in counts.items()), key=_go_sort_key)


def fit_error(num_all_nodes: int, per_node: Iterable[Iterable] = (), prefilter_msg: str = "",
              postfilter_msg: str = "", absent: int = 0, absent_reasons=()) -> str:
    """FitError.Error(): `0/N nodes are available: <prefilter or counts>. <postfilter>`."""
    msg = f"0/{num_all_nodes} nodes are available:"
    if prefilter_msg:
        msg += f" {prefilter_msg}."
    else:
        hist = reason_histogram(per_node, absent, absent_reasons)
        if hist:
            msg += f" {', '.join(hist)}."
    if postfilter_msg:
        msg += f" {postfilter_msg}"
    return msg


def preemption_fit_error(num_all_nodes: int, per_node: Iterable[Iterable], absent: int) -> str:
    """The DefaultPreemption PostFilter text when no candidate node was found."""
    return "preemption: " + fit_error(num_all_nodes, per_node, absent=absent,
                                      absent_reasons=(PREEMPTION_NOT_HELPFUL,))


def join_reasons(reasons: Iterable) -> str:
    """framework.Status.Message(): reasons joined with ", "."""
    return ", ".join(str(r) for r in reasons)


def scheduled(namespace: str, name: str, node: str) -> str:
    """The `Normal Scheduled` event text."""
    return f"Successfully assigned {namespace}/{name} to {node}"


def binding_failed(err: str) -> str:
    return f"Binding rejected: {err}"
