"""DynamicResources (PostFilter only, here). DRA is on by default since v1.34 and its PostFilter
runs before preemption; for a pod with no claims to deallocate it answers `no new claims to
deallocate`, which is why v1.35 FailedScheduling messages read
`... no new claims to deallocate, preemption: ...`. Claim allocation itself is not simulated."""
from __future__ import annotations

from .. import messages
from ..framework import UNSCHEDULABLE, PostFilterPlugin, Status


class DynamicResources(PostFilterPlugin):
    name = "DynamicResources"

    def post_filter(self, state, pod, statuses):
        return None, Status(UNSCHEDULABLE, messages.NO_CLAIMS_TO_DEALLOCATE)
