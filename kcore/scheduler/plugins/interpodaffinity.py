"""InterPodAffinity (PreFilter, Filter, PreScore, Score).

PreFilter counts, per topology domain (topologyKey=value), the existing pods that (a) carry a
required anti-affinity term matching the incoming pod, (b) match all of the incoming pod's
required affinity terms, (c) match one of its required anti-affinity terms. Filter then checks,
in kube-scheduler's order:
  existing pods' anti-affinity  -> `node(s) didn't satisfy existing pods anti-affinity rules`
  the pod's affinity            -> `node(s) didn't match pod affinity rules` (unresolvable)
  the pod's anti-affinity       -> `node(s) didn't match pod anti-affinity rules`
A pod whose affinity matches itself may go first when no matching pod exists anywhere.
Score sums preferred (anti-)affinity weights both ways plus existing pods' required affinity
(hardPodAffinityWeight 1) per domain, then min-max scales to 0..100."""
from __future__ import annotations

from .. import messages
from ..framework import (MAX_NODE_SCORE, SKIP, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE,
                         FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin, Status)

_SKIP = Status(SKIP)
KEY = "InterPodAffinity"
HARD_POD_AFFINITY_WEIGHT = 1


class InterPodAffinity(PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin):
    name = "InterPodAffinity"
    normalizes = True

    def __init__(self, handle=None, args=None):
        super().__init__(handle, args)
        self.hard_weight = self.args.get("hardPodAffinityWeight", HARD_POD_AFFINITY_WEIGHT)

    # -- filtering --------------------------------------------------------------------------
    def pre_filter(self, state, pod, nodes):
        cache = self.handle.cache
        ns_labels = cache.ns_labels
        has_req = bool(pod.required_affinity or pod.required_anti_affinity)
        if not has_req and cache.pods_with_required_anti_affinity == 0:
            return _SKIP
        existing_anti: dict = {}
        affinity: dict = {}
        anti: dict = {}
        for ni in cache.node_list:
            labels = ni.labels
            for ep in ni.pods_with_required_anti_affinity:
                for t in ep.required_anti_affinity:
                    if t.topology_key in labels and t.matches(pod, ns_labels):
                        pair = (t.topology_key, labels[t.topology_key])
                        existing_anti[pair] = existing_anti.get(pair, 0) + 1
            if not has_req:
                continue
            for ep in ni.pods.values():
                if pod.required_affinity and all(t.matches(ep, ns_labels) for t in pod.required_affinity):
                    for t in pod.required_affinity:
                        if t.topology_key in labels:
                            pair = (t.topology_key, labels[t.topology_key])
                            affinity[pair] = affinity.get(pair, 0) + 1
                for t in pod.required_anti_affinity:
                    if t.topology_key in labels and t.matches(ep, ns_labels):
                        pair = (t.topology_key, labels[t.topology_key])
                        anti[pair] = anti.get(pair, 0) + 1
        self_match = bool(pod.required_affinity) and all(
            t.matches(pod, ns_labels) for t in pod.required_affinity)
        state[KEY] = (existing_anti, affinity, anti, self_match)
        return None

    def _update(self, state, pod, other, ni, delta: int) -> None:
        got = state.get(KEY)
        if got is None:
            return
        existing_anti, affinity, anti, self_match = (dict(got[0]), dict(got[1]), dict(got[2]), got[3])
        ns_labels = self.handle.cache.ns_labels
        labels = ni.labels

        def bump(counts, key):
            if key in labels:
                pair = (key, labels[key])
                counts[pair] = counts.get(pair, 0) + delta
        for t in other.required_anti_affinity:
            if t.matches(pod, ns_labels):
                bump(existing_anti, t.topology_key)
        if pod.required_affinity and all(t.matches(other, ns_labels) for t in pod.required_affinity):
            for t in pod.required_affinity:
                bump(affinity, t.topology_key)
        for t in pod.required_anti_affinity:
            if t.matches(other, ns_labels):
                bump(anti, t.topology_key)
        state[KEY] = (existing_anti, affinity, anti, self_match)

    def pre_filter_add_pod(self, state, pod, other, ni):
        self._update(state, pod, other, ni, 1)

    def pre_filter_remove_pod(self, state, pod, other, ni):
        self._update(state, pod, other, ni, -1)

    def filter(self, state, pod, ni):
        existing_anti, affinity, anti, self_match = state[KEY]
        labels = ni.labels
        if existing_anti:
            for k, v in labels.items():
                if existing_anti.get((k, v), 0) > 0:
                    return Status(UNSCHEDULABLE, messages.EXISTING_ANTI_AFFINITY_MISMATCH)
        if pod.required_affinity:
            pods_exist = True
            for t in pod.required_affinity:
                if t.topology_key not in labels:
                    return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, messages.POD_AFFINITY_MISMATCH)
                if affinity.get((t.topology_key, labels[t.topology_key]), 0) <= 0:
                    pods_exist = False
            if not pods_exist and not (not affinity and self_match):
                return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, messages.POD_AFFINITY_MISMATCH)
        for t in pod.required_anti_affinity:
            if t.topology_key in labels and anti.get((t.topology_key, labels[t.topology_key]), 0) > 0:
                return Status(UNSCHEDULABLE, messages.POD_ANTI_AFFINITY_MISMATCH)
        return None

    # -- scoring ----------------------------------------------------------------------------
    def pre_score(self, state, pod, nodes):
        cache = self.handle.cache
        ns_labels = cache.ns_labels
        has_pref = bool(pod.preferred_affinity or pod.preferred_anti_affinity)
        if not has_pref and cache.pods_with_affinity == 0:
            return _SKIP
        scores: dict = {}

        def add(key, labels, w):
            if key in labels:
                by_value = scores.setdefault(key, {})
                by_value[labels[key]] = by_value.get(labels[key], 0) + w

        # without preferences of its own, only the nodes holding affinity pods can score
        for ni in (cache.node_list if has_pref else cache.nodes_with_affinity_pods()):
            labels = ni.labels
            for ep in (ni.pods.values() if has_pref else ni.pods_with_affinity):
                for t in pod.preferred_affinity:
                    if t.matches(ep, ns_labels):
                        add(t.topology_key, labels, t.weight)
                for t in pod.preferred_anti_affinity:
                    if t.matches(ep, ns_labels):
                        add(t.topology_key, labels, -t.weight)
                if not ep.has_affinity:
                    continue
                for t in ep.preferred_affinity:
                    if t.matches(pod, ns_labels):
                        add(t.topology_key, labels, t.weight)
                for t in ep.preferred_anti_affinity:
                    if t.matches(pod, ns_labels):
                        add(t.topology_key, labels, -t.weight)
                if self.hard_weight:
                    for t in ep.required_affinity:
                        if t.matches(pod, ns_labels):
                            add(t.topology_key, labels, self.hard_weight)
        state[KEY + "/score"] = scores
        return None

    def score(self, state, pod, ni):
        total = 0
        labels = ni.labels
        for key, by_value in state[KEY + "/score"].items():
            if key in labels:
                total += by_value.get(labels[key], 0)
        return total

    def score_nodes(self, state, pod, nodes):
        if not state[KEY + "/score"]:
            return [0] * len(nodes)          # nothing matched anywhere: every node scores 0
        score = self.score
        return [score(state, pod, ni) for ni in nodes]

    def normalize_score(self, state, pod, scores):
        if not scores:
            return
        lo, hi = min(scores), max(scores)
        diff = hi - lo
        if not diff:
            if lo:
                scores[:] = [0] * len(scores)
            return
        for i, s in enumerate(scores):
            scores[i] = int(MAX_NODE_SCORE * ((s - lo) / diff)) if diff > 0 else 0

    def events_to_register(self):
        return (("Pod", "Add"), ("Pod", "Update"), ("Pod", "Delete"), ("Node", "Add"),
                ("Node", "Update"), ("Namespace", "Update"))
