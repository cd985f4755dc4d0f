"""NodeUnschedulable (Filter): a cordoned node (spec.unschedulable) takes only pods that
tolerate node.kubernetes.io/unschedulable:NoSchedule."""
from __future__ import annotations

from .. import messages, util
from ..framework import UNSCHEDULABLE_AND_UNRESOLVABLE, FilterPlugin, Status, filter_some

TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


class NodeUnschedulable(FilterPlugin):
    name = "NodeUnschedulable"

    def filter(self, state, pod, node_info):
        if not node_info.unschedulable:
            return None
        if util.tolerations_tolerate(pod.tolerations, TAINT):
            return None
        return Status(UNSCHEDULABLE_AND_UNRESOLVABLE, messages.NODE_UNSCHEDULABLE, plugin=self.name)

    def static_key(self, state, pod):
        return util.tolerations_tolerate(pod.tolerations, TAINT)

    def filter_nodes(self, state, pod, nodes, failed):
        if self.handle is not None and not self.handle.cache.node_stats()[0]:
            return nodes
        return filter_some(self, state, pod, nodes, [ni for ni in nodes if ni.unschedulable], failed)

    def events_to_register(self):
        return (("Node", "Add"), ("Node", "Update"))
