"""NodeResourcesBalancedAllocation (Score): prefer nodes whose cpu and memory would be used in
equal shares after placing the pod. Score = (1 - standard deviation of the fractions) x 100,
with fractions capped at 1; for two resources the deviation is |cpu - memory| / 2. It reads the
real requests (not the scoring defaults) and skips best-effort pods."""
from __future__ import annotations

import math
from operator import attrgetter

from ..framework import MAX_NODE_SCORE, SKIP, Memo, PreScorePlugin, ScorePlugin, Status

_SKIP = Status(SKIP)
_REQ_SIG = attrgetter("req_sig")


def balanced_score(fractions: list[float]) -> int:
    if len(fractions) == 2:
        std = abs((fractions[0] - fractions[1]) / 2)
    elif len(fractions) > 2:
        mean = sum(fractions) / len(fractions)
        std = math.sqrt(sum((f - mean) ** 2 for f in fractions) / len(fractions))
    else:
        std = 0.0
    return int((1 - std) * MAX_NODE_SCORE)


class NodeResourcesBalancedAllocation(PreScorePlugin, ScorePlugin):
    name = "NodeResourcesBalancedAllocation"

    def pre_score(self, state, pod, nodes):
        if not pod.cpu and not pod.memory:
            return _SKIP
        return None

    def score_nodes(self, state, pod, nodes):
        pc, pm = pod.cpu, pod.memory

        def balanced(key):
            rc, rm, ac, am = key
            if ac and am:
                fc = (rc + pc) / ac
                fm = (rm + pm) / am
                return int((1 - abs((min(fc, 1.0) - min(fm, 1.0)) / 2)) * MAX_NODE_SCORE)
            return MAX_NODE_SCORE
        memo = Memo(balanced)
        return list(map(memo.__getitem__, map(_REQ_SIG, nodes)))

    def score(self, state, pod, node_info):
        return self.score_nodes(state, pod, [node_info])[0]
