"""NodeName (Filter): a pod with spec.nodeName fits only that node."""
from __future__ import annotations

from .. import messages
from ..framework import SKIP, UNSCHEDULABLE_AND_UNRESOLVABLE, FilterPlugin, PreFilterPlugin, Status

_SKIP = Status(SKIP)


class NodeName(PreFilterPlugin, FilterPlugin):
    name = "NodeName"

    def pre_filter(self, state, pod, nodes):
        return None if pod.node_name else _SKIP

    def static_key(self, state, pod):
        return pod.node_name

    def filter(self, state, pod, node_info):
        if not pod.node_name or pod.node_name == node_info.name:
            return None
        return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, messages.NODE_NAME_MISMATCH)

    def events_to_register(self):
        return (("Node", "Add"),)
