"""DynamicResources (PreFilter, PostFilter), reduced to what shows in messages.

DRA is on by default since v1.34 and sits just before DefaultPreemption. Its PreFilter records
its cycle state (and skips: claim allocation is not simulated); its PostFilter runs before
preemption and, for a pod with no claims to deallocate, answers `no new claims to deallocate` —
hence v1.35's `... no new claims to deallocate, preemption: ...`. When an earlier PreFilter
rejected the pod as unresolvable, this PreFilter never ran, the state read fails with `not
found`, and that error ends PostFilter: `0/3 nodes are available: pod has unbound immediate
PersistentVolumeClaims. not found` (seen on real 1.34+ clusters)."""
from __future__ import annotations

from .. import messages
from ..framework import ERROR, SKIP, UNSCHEDULABLE, PostFilterPlugin, PreFilterPlugin, Status

KEY = "DynamicResources"


class DynamicResources(PreFilterPlugin, PostFilterPlugin):
    name = "DynamicResources"

    def pre_filter(self, state, pod, nodes):
        state[KEY] = True
        return Status(SKIP)

    def post_filter(self, state, pod, statuses):
        if KEY not in state:
            return None, Status(ERROR, messages.STATE_NOT_FOUND)
        return None, Status(UNSCHEDULABLE, messages.NO_CLAIMS_TO_DEALLOCATE)
