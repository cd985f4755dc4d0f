"""SchedulingGates (PreEnqueue): a pod with spec.schedulingGates never enters the active queue."""
from __future__ import annotations

from ..framework import Plugin


class SchedulingGates(Plugin):
    name = "SchedulingGates"

    def pre_enqueue(self, pod) -> str | None:
        gates = (pod.pod.get("spec") or {}).get("schedulingGates") or ()
        if gates:
            names = ", ".join(g.get("name", "") for g in gates)
            return f"waiting for scheduling gates: [{names}]"
        return None

    def events_to_register(self):
        return (("Pod", "Update"),)
