"""PodTopologySpread (PreFilter, Filter, PreScore, Score).

DoNotSchedule constraints filter: placing the pod in domain D must keep
`count(D) + selfMatch - min(count over eligible domains)` <= maxSkew, where counts are pods in the
pod's namespace matching the constraint's selector (plus matchLabelKeys). A node without the
topology key is rejected as unresolvable (`... (missing required label)`). Eligible domains
honour nodeAffinityPolicy (default Honor) and nodeTaintsPolicy (default Ignore); with fewer
domains than minDomains the minimum counts as 0.
ScheduleAnyway constraints score: fewer matching pods in the node's domain is better, weighted
by log(domains + 2); nodes missing a key score 0. Cluster-default constraints are not applied."""
from __future__ import annotations

import math

from .. import messages, util
from ..framework import (MAX_NODE_SCORE, SKIP, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE,
                         FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin, Status)
from .nodeaffinity import node_matches, required_of

_SKIP = Status(SKIP)
KEY = "PodTopologySpread"
HOSTNAME = "kubernetes.io/hostname"


class Constraint:
    __slots__ = ("max_skew", "key", "selector", "min_domains", "honor_affinity", "honor_taints")

    def __init__(self, c: dict, pod_labels: dict):
        self.max_skew = c.get("maxSkew", 1)
        self.key = c.get("topologyKey", "")
        sel = c.get("labelSelector")
        keys = [k for k in c.get("matchLabelKeys") or () if k in pod_labels]
        if keys and sel is not None:
            sel = dict(sel)
            sel["matchExpressions"] = list(sel.get("matchExpressions") or ()) + [
                {"key": k, "operator": "In", "values": [pod_labels[k]]} for k in keys]
        self.selector = sel
        self.min_domains = c.get("minDomains") or 1
        self.honor_affinity = (c.get("nodeAffinityPolicy") or "Honor") == "Honor"
        self.honor_taints = (c.get("nodeTaintsPolicy") or "Ignore") == "Honor"


def constraints(pod, when: str) -> list[Constraint]:
    spec = pod.pod.get("spec") or {}
    return [Constraint(c, pod.labels) for c in spec.get("topologySpreadConstraints") or ()
            if c.get("whenUnsatisfiable", "DoNotSchedule") == when]


def count_matching(ni, selector, namespace) -> int:
    n = 0
    for p in ni.pods.values():
        if p.namespace == namespace and not p.terminating and \
                util.label_selector_matches(selector, p.labels):
            n += 1
    return n


def _includer(pod):
    selector, required = required_of(pod.pod)

    def include(c: Constraint, ni) -> bool:
        if c.honor_affinity and not node_matches(selector, required, ni):
            return False
        if c.honor_taints and util.first_untolerated(ni.hard_taints, pod.tolerations) is not None:
            return False
        return True
    return include


def _mins(hard, counts) -> list[int]:
    """The smallest matching count per constraint over its eligible domains (0 if there are
    fewer domains than minDomains)."""
    mins = []
    for c in hard:
        domain_counts = [n for (k, _), n in counts.items() if k == c.key]
        if len(domain_counts) < c.min_domains or not domain_counts:
            mins.append(0)
        else:
            mins.append(min(domain_counts))
    return mins


class PodTopologySpread(PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin):
    name = "PodTopologySpread"
    normalizes = True

    def pre_filter(self, state, pod, nodes):
        hard = constraints(pod, "DoNotSchedule")
        if not hard:
            return _SKIP
        include = _includer(pod)
        counts: dict = {}
        for ni in self.handle.cache.node_list:
            labels = ni.labels
            if not all(c.key in labels for c in hard):
                continue
            for c in hard:
                if not include(c, ni):
                    continue
                pair = (c.key, labels[c.key])
                counts[pair] = counts.get(pair, 0) + count_matching(ni, c.selector, pod.namespace)
        state[KEY] = (hard, counts, _mins(hard, counts), include)
        return None

    def _update(self, state, pod, other, ni, delta: int) -> None:
        got = state.get(KEY)
        if got is None or other.namespace != pod.namespace or other.terminating:
            return
        hard, counts, _, include = got
        labels = ni.labels
        if not all(c.key in labels for c in hard):
            return
        counts = dict(counts)
        for c in hard:
            if include(c, ni) and util.label_selector_matches(c.selector, other.labels):
                pair = (c.key, labels[c.key])
                counts[pair] = counts.get(pair, 0) + delta
        state[KEY] = (hard, counts, _mins(hard, counts), include)

    def pre_filter_add_pod(self, state, pod, other, ni):
        self._update(state, pod, other, ni, 1)

    def pre_filter_remove_pod(self, state, pod, other, ni):
        self._update(state, pod, other, ni, -1)

    def filter(self, state, pod, ni):
        hard, counts, mins, _ = state[KEY]
        labels = ni.labels
        for c, lo in zip(hard, mins):
            if c.key not in labels:
                return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, messages.TOPOLOGY_SPREAD_MISSING_LABEL)
            self_match = 1 if util.label_selector_matches(c.selector, pod.labels) else 0
            skew = counts.get((c.key, labels[c.key]), 0) + self_match - lo
            if skew > c.max_skew:
                return Status(UNSCHEDULABLE, messages.TOPOLOGY_SPREAD_MISMATCH)
        return None

    def pre_score(self, state, pod, nodes):
        soft = constraints(pod, "ScheduleAnyway")
        if not soft:
            return _SKIP
        include = _includer(pod)
        ignored = set()
        counts: dict = {}
        domains: list[set] = [set() for _ in soft]
        for ni in nodes:
            labels = ni.labels
            if not all(c.key in labels for c in soft):
                ignored.add(ni.name)
                continue
            for i, c in enumerate(soft):
                domains[i].add(labels[c.key])
                if c.key != HOSTNAME:
                    counts[(c.key, labels[c.key])] = 0
        weights = []
        for i, c in enumerate(soft):
            size = len(nodes) - len(ignored) if c.key == HOSTNAME else len(domains[i])
            weights.append(math.log(size + 2))
        for ni in self.handle.cache.node_list:
            labels = ni.labels
            if not all(c.key in labels for c in soft):
                continue
            for c in soft:
                if c.key == HOSTNAME or not include(c, ni):
                    continue
                pair = (c.key, labels[c.key])
                if pair in counts:
                    counts[pair] += count_matching(ni, c.selector, pod.namespace)
        state[KEY + "/score"] = (soft, counts, weights, ignored)
        return None

    def score(self, state, pod, ni):
        soft, counts, weights, ignored = state[KEY + "/score"]
        if ni.name in ignored:
            return 0
        total = 0.0
        labels = ni.labels
        for c, w in zip(soft, weights):
            if c.key in labels:
                if c.key == HOSTNAME:
                    cnt = count_matching(ni, c.selector, pod.namespace)
                else:
                    cnt = counts.get((c.key, labels[c.key]), 0)
                total += cnt * w + (c.max_skew - 1)
        return int(math.floor(total + 0.5))

    def score_nodes(self, state, pod, nodes):
        state[KEY + "/names"] = [ni.name for ni in nodes]
        return [self.score(state, pod, ni) for ni in nodes]

    def normalize_score(self, state, pod, scores):
        ignored = state[KEY + "/score"][3]
        names = state.get(KEY + "/names") or [""] * len(scores)
        valid = [s for s, n in zip(scores, names) if n not in ignored]
        lo = min(valid) if valid else 0
        hi = max(valid) if valid else 0
        for i, (s, n) in enumerate(zip(list(scores), names)):
            if n in ignored:
                scores[i] = 0
            elif hi == 0:
                scores[i] = MAX_NODE_SCORE
            else:
                scores[i] = MAX_NODE_SCORE * (hi + lo - s) // hi

    def events_to_register(self):
        return (("Pod", "Add"), ("Pod", "Update"), ("Pod", "Delete"), ("Node", "Add"),
                ("Node", "Update"), ("Node", "Delete"))
