"""NodePorts (PreFilter, Filter): a hostPort already taken on the node (same protocol, same
IP or either side 0.0.0.0) rejects it: `node(s) didn't have free ports for the requested pod
ports` (Unschedulable: evicting the holder would help)."""
from __future__ import annotations

from .. import messages, util
from ..framework import SKIP, UNSCHEDULABLE, FilterPlugin, PreFilterPlugin, Status

_SKIP = Status(SKIP)


class NodePorts(PreFilterPlugin, FilterPlugin):
    name = "NodePorts"

    def pre_filter(self, state, pod, nodes):
        return None if pod.ports else _SKIP

    def filter(self, state, pod, node_info):
        if not pod.ports or not node_info.used_ports:
            return None
        if util.ports_conflict(node_info.used_ports, pod.ports):
            return Status(UNSCHEDULABLE, messages.NODE_PORTS_CONFLICT)
        return None

    def events_to_register(self):
        return (("Pod", "Delete"), ("Node", "Add"))
