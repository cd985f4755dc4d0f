"""PrioritySort (QueueSort): higher spec.priority first; equal priority, earlier enqueue first."""
from __future__ import annotations

from ..framework import QueueSortPlugin


class PrioritySort(QueueSortPlugin):
    name = "PrioritySort"

    def less(self, a, b) -> bool:
        pa, pb = a.pod_info.priority, b.pod_info.priority
        return pa > pb or (pa == pb and a.timestamp < b.timestamp)

    def sort_key(self, queued):
        return (-queued.pod_info.priority, queued.timestamp, queued.seq)
