"""The scheduling framework: Status, CycleState, plugin extension points and the runner.

It is kube-scheduler's framework in miniature. A profile is a list of plugins; each plugin is
one object that implements any of the extension points below, and the Framework sorts it into
the points it implements (kube-scheduler's MultiPoint):

    QueueSort  PreFilter  Filter  PostFilter  PreScore  Score(+NormalizeScore)  Reserve  Bind

Plugins receive a `PodInfo` (the pod dict parsed once) and `NodeInfo`s (see nodeinfo.py).
For speed, Filter and PreFilter return None for success; a `Status` otherwise. A PreFilter or
PreScore that returns `Status.skip()` removes its plugin's Filter or Score for this cycle, as
in kube-scheduler. Binding goes through the `bind` callback the Scheduler's owner supplies."""
from __future__ import annotations

from operator import add

from . import messages
from .messages import Reason

MAX_NODE_SCORE = 100

# framework.Code, same order as kube-scheduler
SUCCESS, ERROR, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, WAIT, SKIP, PENDING = range(7)
CODE_NAMES = ("Success", "Error", "Unschedulable", "UnschedulableAndUnresolvable", "Wait",
              "Skip", "Pending")


class Status:
    """The result of running a plugin: a code, the reasons (Reason records) and who said it."""
    __slots__ = ("code", "reasons", "plugin")

    def __init__(self, code: int = SUCCESS, *reasons, plugin: str = ""):
        self.code = code
        self.reasons = [r if type(r) is not str else Reason(r) for r in reasons]
        self.plugin = plugin

    @classmethod
    def success(cls) -> "Status":
        return cls(SUCCESS)

    @classmethod
    def unschedulable(cls, *reasons, plugin: str = "") -> "Status":
        return cls(UNSCHEDULABLE, *reasons, plugin=plugin)

    @classmethod
    def unresolvable(cls, *reasons, plugin: str = "") -> "Status":
        return cls(UNSCHEDULABLE_AND_UNRESOLVABLE, *reasons, plugin=plugin)

    @classmethod
    def error(cls, message: str, plugin: str = "") -> "Status":
        return cls(ERROR, message, plugin=plugin)

    @classmethod
    def skip(cls) -> "Status":
        return cls(SKIP)

    def is_success(self) -> bool:
        return self.code == SUCCESS

    def is_skip(self) -> bool:
        return self.code == SKIP

    def is_rejected(self) -> bool:
        return self.code in (UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, PENDING)

    def message(self) -> str:
        return messages.join_reasons(self.reasons)

    @property
    def code_name(self) -> str:
        return CODE_NAMES[self.code]

    def with_plugin(self, name: str) -> "Status":
        self.plugin = name
        return self

    def __eq__(self, other) -> bool:
        return (isinstance(other, Status) and self.code == other.code
                and [str(r) for r in self.reasons] == [str(r) for r in other.reasons])

    def __repr__(self) -> str:
        return f"Status({self.code_name}, {self.message()!r}, plugin={self.plugin!r})"


def is_ok(status) -> bool:
    return status is None or status.code == SUCCESS


# PreFilterResult: a PreFilter plugin may narrow the nodes Filter looks at (NodeAffinity with
# matchFields metadata.name, as every DaemonSet pod carries). The set of node names is kept
# in the CycleState under this key; absent means all nodes.
NODE_NAMES = "PreFilterResult/NodeNames"
NODE_NAMES_PLUGINS = "PreFilterResult/Plugins"


class CycleState(dict):
    """Per-pod, per-cycle scratch space: plugins write what PreFilter/PreScore computed."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.skip_filter: set[str] = set()
        self.skip_score: set[str] = set()

    def read(self, key):
        return self.get(key)

    def write(self, key, value) -> None:
        self[key] = value

    def clone(self) -> "CycleState":
        c = CycleState(self)
        c.skip_filter = set(self.skip_filter)
        c.skip_score = set(self.skip_score)
        return c


class PostFilterResult:
    """What PostFilter (preemption) proposes: a nominated node and the pods to evict there."""
    __slots__ = ("nominated_node", "victims")

    def __init__(self, nominated_node: str = "", victims=()):
        self.nominated_node = nominated_node
        self.victims = list(victims)


# ----------------------------------------------------------------------------- plugin bases

class Plugin:
    name = ""

    def __init__(self, handle=None, args: dict | None = None):
        self.handle = handle
        self.args = args or {}

    def events_to_register(self):
        """ClusterEvents (resource, action) after which a pod this plugin rejected may fit."""
        return ()


class QueueSortPlugin(Plugin):
    def less(self, a, b) -> bool:
        raise NotImplementedError

    def sort_key(self, queued):
        raise NotImplementedError


class PreFilterPlugin(Plugin):
    def pre_filter(self, state: CycleState, pod, nodes) -> Status | None:
        raise NotImplementedError


class FilterPlugin(Plugin):
    """Filter(pod, node) -> None (fits) or a rejecting Status.

    A plugin whose verdict depends only on the pod and the node object (labels, taints, spec),
    never on the pods placed there, may define `static_key(state, pod)`: a hashable summary of
    the pod-side inputs. The Scheduler then evaluates it once per (key, node set) for the whole
    cluster and reuses the verdicts for every pod with the same key."""
    static_key = None

    def filter(self, state: CycleState, pod, node_info) -> Status | None:
        raise NotImplementedError

    def filter_nodes(self, state: CycleState, pod, nodes: list, failed: dict) -> list:
        """Filter many nodes at once: return those that pass (in order) and record each
        rejection in `failed[node name]`. Same verdicts as `filter`; plugins override it with
        a vectorised version where per-node calls would dominate."""
        f, name, out = self.filter, self.name, []
        for ni in nodes:
            st = f(state, pod, ni)
            if st is None or not st.code:
                out.append(ni)
            else:
                st.plugin = name
                failed[ni.name] = st
        return out


class PostFilterPlugin(Plugin):
    def post_filter(self, state: CycleState, pod, statuses: dict):
        """Return (PostFilterResult | None, Status)."""
        raise NotImplementedError


class PreScorePlugin(Plugin):
    def pre_score(self, state: CycleState, pod, nodes) -> Status | None:
        raise NotImplementedError


class ScorePlugin(Plugin):
    normalizes = False

    def score(self, state: CycleState, pod, node_info) -> int:
        raise NotImplementedError

    def score_nodes(self, state: CycleState, pod, nodes) -> list[int]:
        score = self.score
        return [score(state, pod, ni) for ni in nodes]

    def normalize_score(self, state: CycleState, pod, scores: list[int]) -> None:
        """Rewrite scores in place into [0, MAX_NODE_SCORE] (only if `normalizes`)."""


class ReservePlugin(Plugin):
    def reserve(self, state: CycleState, pod, node_name: str) -> Status | None:
        return None

    def unreserve(self, state: CycleState, pod, node_name: str) -> None:
        return None


class BindPlugin(Plugin):
    def bind(self, state: CycleState, pod, node_name: str) -> Status | None:
        raise NotImplementedError


class Memo(dict):
    """A dict that computes a missing value with `fn(key)` once (per scoring pass)."""
    __slots__ = ("fn",)

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, key):
        v = self[key] = self.fn(key)
        return v


def filter_some(plugin, state, pod, nodes, suspects, failed) -> list:
    """Run `plugin.filter` only on `suspects` (the nodes that might fail); keep the rest."""
    if not suspects:
        return nodes
    bad = 0
    f, name = plugin.filter, plugin.name
    for ni in suspects:
        st = f(state, pod, ni)
        if st is not None and st.code:
            st.plugin = name
            failed[ni.name] = st
            bad += 1
    return [ni for ni in nodes if ni.name not in failed] if bad else nodes


def default_normalize_score(scores: list[int], reverse: bool, max_priority: int = MAX_NODE_SCORE):
    """helper.DefaultNormalizeScore: scale to [0, max] by the largest score; optionally reverse."""
    top = max(scores) if scores else 0
    if top == 0:
        if reverse:
            scores[:] = [max_priority] * len(scores)
        return
    if reverse:
        scores[:] = [max_priority - max_priority * s // top for s in scores]
    else:
        scores[:] = [max_priority * s // top for s in scores]


# ----------------------------------------------------------------------------- the runner

class Framework:
    """One profile: its plugins sorted by extension point, plus the handle plugins use."""

    def __init__(self, scheduler_name: str, plugins: list, cache, bind=None,
                 percentage_of_nodes_to_score: int = 0):
        self.scheduler_name = scheduler_name
        self.cache = cache
        self.bind_callback = bind
        self.percentage_of_nodes_to_score = percentage_of_nodes_to_score
        self.plugins = {}
        self.queue_sort = None
        self.pre_filter, self.filter, self.post_filter = [], [], []
        self.pre_score, self.score, self.reserve, self.bind = [], [], [], []
        self.weights: dict[str, int] = {}
        self.nominator = None      # set by the Scheduler: node name -> [PodInfo]
        self.rng = None
        for plugin, weight in plugins:
            plugin.handle = self
            self.plugins[plugin.name] = plugin
            if isinstance(plugin, QueueSortPlugin) and self.queue_sort is None:
                self.queue_sort = plugin
            if isinstance(plugin, PreFilterPlugin):
                self.pre_filter.append(plugin)
            if isinstance(plugin, FilterPlugin):
                self.filter.append(plugin)
            if isinstance(plugin, PostFilterPlugin):
                self.post_filter.append(plugin)
            if isinstance(plugin, PreScorePlugin):
                self.pre_score.append(plugin)
            if isinstance(plugin, ScorePlugin):
                self.score.append(plugin)
                self.weights[plugin.name] = weight or 1
            if isinstance(plugin, ReservePlugin):
                self.reserve.append(plugin)
            if isinstance(plugin, BindPlugin):
                self.bind.append(plugin)

    # -- handle API for plugins -------------------------------------------------------------
    @property
    def node_list(self):
        return self.cache.node_list

    def ns_labels(self, namespace: str) -> dict:
        return self.cache.ns_labels(namespace)

    def plugin(self, name: str):
        return self.plugins.get(name)

    # -- extension points -------------------------------------------------------------------
    def run_pre_filter(self, state: CycleState, pod, nodes) -> Status | None:
        """Return the rejecting Status (with its plugin set), or None. As in kube-scheduler,
        an unresolvable rejection or an error stops at once; an Unschedulable one lets the
        remaining PreFilters run (preemption may still need their state)."""
        rejected = None
        for pl in self.pre_filter:
            st = pl.pre_filter(state, pod, nodes)
            if st is None or st.code == SUCCESS:
                continue
            if st.code == SKIP:
                state.skip_filter.add(pl.name)
                continue
            st.plugin = pl.name
            if st.code == UNSCHEDULABLE:
                rejected = rejected or st
                continue
            return st
        return rejected

    def active_filters(self, state: CycleState):
        skip = state.skip_filter
        return [(pl.name, pl.filter) for pl in self.filter if pl.name not in skip]

    def run_filter(self, state: CycleState, pod, node_info, filters=None) -> Status | None:
        for name, f in filters if filters is not None else self.active_filters(state):
            st = f(state, pod, node_info)
            if st is not None and st.code:
                st.plugin = name
                return st
        return None

    def run_filter_with_nominated(self, state: CycleState, pod, node_info, filters=None):
        """Filters against the node plus pods nominated to it with priority >= pod's."""
        nominated = self.nominator.get(node_info.name) if self.nominator else None
        if nominated:
            extra = [p for p in nominated if p.priority >= pod.priority and p.key != pod.key
                     and p.key not in node_info.pods]
            if extra:
                node_info = node_info.clone()
                for p in extra:
                    node_info.add_pod(p)
        return self.run_filter(state, pod, node_info, filters)

    def run_pre_filter_extension(self, state: CycleState, pod, other, node_info, add: bool) -> None:
        """PreFilterExtensions AddPod/RemovePod: tell plugins whose PreFilter counted pods
        (InterPodAffinity, PodTopologySpread) that `other` is being added to / removed from
        `node_info` in a what-if (preemption). `state` must be a clone."""
        for pl in self.pre_filter:
            if pl.name in state.skip_filter:
                continue
            hook = getattr(pl, "pre_filter_add_pod" if add else "pre_filter_remove_pod", None)
            if hook is not None:
                hook(state, pod, other, node_info)

    def run_post_filter(self, state: CycleState, pod, statuses: dict):
        result, reasons, rejector = None, [], ""
        for pl in self.post_filter:
            r, st = pl.post_filter(state, pod, statuses)
            if st is None or st.code == SUCCESS:
                return r, Status.success().with_plugin(pl.name)
            if st.code == UNSCHEDULABLE_AND_UNRESOLVABLE:
                return r, st.with_plugin(pl.name)
            if not st.is_rejected():
                return None, Status(ERROR, *st.reasons, plugin=pl.name)
            if r is not None:
                result = r
            reasons.extend(st.reasons)
            rejector = rejector or pl.name
        return result, Status(UNSCHEDULABLE, *reasons, plugin=rejector)

    def run_pre_score(self, state: CycleState, pod, nodes) -> Status | None:
        for pl in self.pre_score:
            st = pl.pre_score(state, pod, nodes)
            if st is None or st.code == SUCCESS:
                continue
            if st.code == SKIP:
                state.skip_score.add(pl.name)
                continue
            return st.with_plugin(pl.name)
        return None

    def run_score(self, state: CycleState, pod, nodes):
        """Return (totals, {plugin: (raw, normalized, weight)}) aligned with `nodes`.

        A plugin that gives every node the same score (no taints, no affinity, the image on
        every node) adds a constant: it is added once instead of node by node."""
        table = {}
        varying = []
        constant = 0
        skip = state.skip_score
        for pl in self.score:
            if pl.name in skip:
                continue
            raw = pl.score_nodes(state, pod, nodes)
            if pl.normalizes:
                norm = list(raw)
                pl.normalize_score(state, pod, norm)
            else:
                norm = raw
            w = self.weights[pl.name]
            table[pl.name] = (raw, norm, w)
            if norm and norm.count(norm[0]) == len(norm):
                constant += w * norm[0]
            else:
                varying.append(norm if w == 1 else list(map(w.__mul__, norm)))
        if not varying:
            return [constant] * len(nodes), table
        totals = varying[0] if len(varying) == 1 else list(map(sum, zip(*varying))) \
            if len(varying) > 2 else list(map(add, varying[0], varying[1]))
        if constant:
            totals = list(map(constant.__add__, totals))
        elif totals is varying[0]:
            totals = list(totals)
        return totals, table

    def run_reserve(self, state: CycleState, pod, node_name: str) -> Status | None:
        for i, pl in enumerate(self.reserve):
            st = pl.reserve(state, pod, node_name)
            if st is not None and st.code:
                for done in reversed(self.reserve[: i + 1]):
                    done.unreserve(state, pod, node_name)
                return st.with_plugin(pl.name)
        return None

    def run_unreserve(self, state: CycleState, pod, node_name: str) -> None:
        for pl in reversed(self.reserve):
            pl.unreserve(state, pod, node_name)

    def run_bind(self, state: CycleState, pod, node_name: str) -> Status | None:
        for pl in self.bind:
            st = pl.bind(state, pod, node_name)
            if st is not None and st.code == SKIP:
                continue
            return st.with_plugin(pl.name) if st is not None and st.code else None
        return None
