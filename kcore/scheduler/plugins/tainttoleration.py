"""TaintToleration (Filter, Score).

Filter: a NoSchedule or NoExecute taint the pod does not tolerate rejects the node for good
(UnschedulableAndUnresolvable, `node(s) had untolerated taint(s)`).
Score: count PreferNoSchedule taints the pod does not tolerate; fewer is better (normalized in
reverse, so a node with none scores 100)."""
from __future__ import annotations

from itertools import compress
from operator import attrgetter, not_

from .. import util
from ..framework import (UNSCHEDULABLE_AND_UNRESOLVABLE, FilterPlugin, PreScorePlugin,
                         ScorePlugin, Status, default_normalize_score, filter_some)
from ..messages import UntoleratedTaint


_HARD = attrgetter("hard_taints")
_STATUSES: dict = {}   # one shared (read-only) Status per distinct taint


def _status(key: tuple) -> Status:
    st = _STATUSES.get(key)
    if st is None:
        st = _STATUSES[key] = Status(UNSCHEDULABLE_AND_UNRESOLVABLE,
                                     UntoleratedTaint(key=key[0], value=key[1], effect=key[2]),
                                     plugin="TaintToleration")
    return st


class TaintToleration(FilterPlugin, PreScorePlugin, ScorePlugin):
    name = "TaintToleration"
    normalizes = True

    def filter(self, state, pod, node_info):
        taints = node_info.hard_taints
        if not taints:
            return None
        taint = util.first_untolerated(taints, pod.tolerations)
        if taint is None:
            return None
        return _status((taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")))

    def static_key(self, state, pod):
        return repr(pod.tolerations)

    def filter_nodes(self, state, pod, nodes, failed):
        if self.handle is not None and not self.handle.cache.node_stats()[1]:
            return nodes
        if not pod.tolerations:     # every hard taint rejects: no per-node call needed
            hard = list(map(_HARD, nodes))
            ok = list(compress(nodes, map(not_, hard)))
            if len(ok) != len(nodes):
                failed.update([(ni.name, _status(ni.first_hard_taint)) for ni in compress(nodes, hard)])
            return ok
        return filter_some(self, state, pod, nodes, [ni for ni in nodes if ni.hard_taints], failed)

    def pre_score(self, state, pod, nodes):
        state["TaintToleration"] = [t for t in pod.tolerations
                                    if (t.get("effect") or "PreferNoSchedule") == "PreferNoSchedule"]
        return None

    def score(self, state, pod, node_info):
        taints = node_info.prefer_taints
        if not taints:
            return 0
        tols = state["TaintToleration"]
        return sum(1 for t in taints if not util.tolerations_tolerate(tols, t))

    def score_nodes(self, state, pod, nodes):
        if (self.handle is not None and not self.handle.cache.node_stats()[2]) or \
                not any(ni.prefer_taints for ni in nodes):
            return [0] * len(nodes)
        score = self.score
        return [score(state, pod, ni) if ni.prefer_taints else 0 for ni in nodes]

    def normalize_score(self, state, pod, scores):
        default_normalize_score(scores, reverse=True)

    def events_to_register(self):
        return (("Node", "Add"), ("Node", "Update"), ("Pod", "Update"))
