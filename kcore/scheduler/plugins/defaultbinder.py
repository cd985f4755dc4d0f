"""DefaultBinder (Bind): hands (pod, node name) to the callback the Scheduler's owner gave —
in kcore, a POST to the pod's Binding subresource. Without a callback the decision itself is
the binding request, and the owner reports failures back through Scheduler.forget()."""
from __future__ import annotations

from ..framework import ERROR, SKIP, BindPlugin, Status


class DefaultBinder(BindPlugin):
    name = "DefaultBinder"

    def bind(self, state, pod, node_name):
        callback = self.handle.bind_callback if self.handle is not None else None
        if callback is None:
            return Status(SKIP)
        try:
            callback(pod.pod, node_name)
        except Exception as exc:  # the API's refusal, reported as the scheduler would
            return Status(ERROR, str(exc))
        return None
