"""DefaultPreemption (PostFilter): make room by evicting lower-priority pods.

For every node whose rejection was resolvable (not UnschedulableAndUnresolvable), remove all
pods of lower priority and re-run the filters; if the pod then fits, add the removed pods back
most-important first and keep each one that still lets the pod fit — the rest are victims.
Among candidate nodes pick, in order: the lowest highest-victim priority, the lowest priority
sum, the fewest victims, the latest start of the top-priority victims, then the first. PDBs are
not modelled. With no candidate the message lists, per node, why (`No preemption victims found
for incoming pod`, or the filter reason still standing), and `Preemption is not helpful for
scheduling` for every node it skipped."""
from __future__ import annotations

from .. import messages
from ..framework import (UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, PostFilterPlugin,
                         PostFilterResult, Status)

MIN_CANDIDATE_NODES_PERCENTAGE = 10
MIN_CANDIDATE_NODES_ABSOLUTE = 100
_INT32_OFFSET = 2 ** 31


def _more_important_key(p):
    return (-p.priority, p.start_time or "~")


class DefaultPreemption(PostFilterPlugin):
    name = "DefaultPreemption"

    def eligible(self, pod, statuses) -> str | None:
        spec = pod.pod.get("spec") or {}
        if spec.get("preemptionPolicy") == "Never":
            return str(messages.PREEMPTION_POLICY_NEVER)
        nominated = ((pod.pod.get("status") or {}).get("nominatedNodeName")) or ""
        if nominated:
            st = statuses.get(nominated)
            if st is not None and st.code == UNSCHEDULABLE_AND_UNRESOLVABLE:
                return None
            ni = self.handle.cache.get(nominated)
            if ni is not None:
                for p in ni.pods.values():
                    if p.terminating and p.priority < pod.priority:
                        return "not eligible due to a terminating pod on the nominated node."
        return None

    def select_victims(self, state, pod, ni):
        fw = self.handle
        lower = [p for p in ni.pods.values() if p.priority < pod.priority]
        if not lower:
            return None, Status(UNSCHEDULABLE_AND_UNRESOLVABLE, messages.NO_PREEMPTION_VICTIMS)
        trial = ni.clone()
        state = state.clone()
        for p in lower:
            trial.remove_pod(p.key)
            fw.run_pre_filter_extension(state, pod, p, trial, add=False)
        filters = fw.active_filters(state)
        st = fw.run_filter_with_nominated(state, pod, trial, filters)
        if st is not None:
            return None, st
        lower.sort(key=_more_important_key)
        victims = []
        for p in lower:
            trial.add_pod(p)
            fw.run_pre_filter_extension(state, pod, p, trial, add=True)
            if fw.run_filter_with_nominated(state, pod, trial, filters) is not None:
                trial.remove_pod(p.key)
                fw.run_pre_filter_extension(state, pod, p, trial, add=False)
                victims.append(p)
        if not victims:
            return None, Status.error(f'expected at least one victim pod on node "{ni.name}"')
        return victims, None

    def post_filter(self, state, pod, statuses):
        why = self.eligible(pod, statuses)
        if why is not None:
            return None, Status(UNSCHEDULABLE, "preemption: " + why)
        fw = self.handle
        all_nodes = fw.cache.node_list
        n = len(all_nodes)
        potential = [ni for ni in all_nodes
                     if (statuses.get(ni.name) is None
                         or statuses[ni.name].code != UNSCHEDULABLE_AND_UNRESOLVABLE)]
        node_statuses: dict = {}
        candidates = []
        if potential:
            want = max(n * MIN_CANDIDATE_NODES_PERCENTAGE // 100, MIN_CANDIDATE_NODES_ABSOLUTE)
            want = min(want, len(potential))
            offset = fw.rng.randrange(len(potential)) if fw.rng is not None else 0
            for i in range(len(potential)):
                ni = potential[(offset + i) % len(potential)]
                victims, st = self.select_victims(state, pod, ni)
                if victims:
                    candidates.append((ni.name, victims))
                    if len(candidates) >= want:
                        break
                else:
                    node_statuses[ni.name] = st
        if not candidates:
            msg = messages.preemption_fit_error(
                n, (st.reasons for st in node_statuses.values()), absent=n - len(node_statuses))
            return PostFilterResult(""), Status(UNSCHEDULABLE, msg)
        name, victims = pick_one_node(candidates)
        return PostFilterResult(name, [v.pod for v in victims]), None


def pick_one_node(candidates):
    """pickOneNodeForPreemption without PDBs: successive tie-breaks on the victim lists."""
    if len(candidates) == 1:
        return candidates[0]

    def keep_min(cands, f):
        best = min(f(c) for c in cands)
        return [c for c in cands if f(c) == best]

    cands = keep_min(candidates, lambda c: max(v.priority for v in c[1]))
    cands = keep_min(cands, lambda c: sum(v.priority + _INT32_OFFSET for v in c[1]))
    cands = keep_min(cands, lambda c: len(c[1]))
    if len(cands) > 1:
        def earliest_top(c):
            top = max(v.priority for v in c[1])
            return min(v.start_time or "" for v in c[1] if v.priority == top)
        latest = max(earliest_top(c) for c in cands)
        cands = [c for c in cands if earliest_top(c) == latest]
    return cands[0]
