"""The scheduling queue: activeQ, backoffQ, unschedulable pods and gated pods.

activeQ is a heap ordered by the QueueSort plugin (PrioritySort: priority, then enqueue time).
A pod that failed goes to the unschedulable set, remembering which plugins rejected it; a
cluster event (node added, pod deleted...) moves the pods whose rejecting plugins registered
for that event — to backoffQ while their backoff (1s doubling to 10s per attempt) runs, else to
activeQ. Unschedulable pods are flushed after 5 minutes regardless. A pod with scheduling gates
waits in the gated set until an update removes them. Time comes from the `clock` callable."""
from __future__ import annotations

import heapq

INITIAL_BACKOFF = 1.0
MAX_BACKOFF = 10.0
MAX_IN_UNSCHEDULABLE = 300.0


class QueuedPodInfo:
    __slots__ = ("pod_info", "timestamp", "seq", "attempts", "initial_attempt",
                 "unschedulable_plugins", "backoff_until", "gated")

    def __init__(self, pod_info, now: float, seq: int):
        self.pod_info = pod_info
        self.timestamp = now
        self.seq = seq
        self.attempts = 0
        self.initial_attempt = None
        self.unschedulable_plugins: frozenset = frozenset()
        self.backoff_until = 0.0
        self.gated = ""

    def __repr__(self) -> str:
        return f"QueuedPodInfo({self.pod_info.key}, attempts={self.attempts})"


class SchedulingQueue:
    def __init__(self, sort_key, clock, pre_enqueue=None, initial_backoff: float = INITIAL_BACKOFF,
                 max_backoff: float = MAX_BACKOFF, max_in_unschedulable: float = MAX_IN_UNSCHEDULABLE):
        self.sort_key = sort_key
        self.clock = clock
        self.pre_enqueue = pre_enqueue
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.max_in_unschedulable = max_in_unschedulable
        self._seq = 0
        self._active: list = []
        self._active_entries: dict[str, list] = {}
        self._backoff: list = []
        self._backoff_entries: dict[str, list] = {}
        self.unschedulable: dict[str, QueuedPodInfo] = {}
        self.gated: dict[str, QueuedPodInfo] = {}
        self.in_flight: dict[str, QueuedPodInfo] = {}

    # -- bookkeeping ------------------------------------------------------------------------
    def _push_active(self, q: QueuedPodInfo) -> None:
        entry = [self.sort_key(q), q]
        self._active_entries[q.pod_info.key] = entry
        heapq.heappush(self._active, entry)

    def _push_backoff(self, q: QueuedPodInfo) -> None:
        self._seq += 1
        entry = [q.backoff_until, self._seq, q]
        self._backoff_entries[q.pod_info.key] = entry
        heapq.heappush(self._backoff, entry)

    def _take(self, key: str) -> QueuedPodInfo | None:
        """Remove a pod from wherever it waits and return its QueuedPodInfo."""
        for entries in (self._active_entries, self._backoff_entries):
            entry = entries.pop(key, None)
            if entry is not None:
                q = entry[-1]
                entry[-1] = None
                return q
        q = self.unschedulable.pop(key, None) or self.gated.pop(key, None)
        return q

    def _enqueue(self, q: QueuedPodInfo, now: float) -> None:
        if self.pre_enqueue is not None:
            why = self.pre_enqueue(q.pod_info)
            if why:
                q.gated = why
                self.gated[q.pod_info.key] = q
                return
        q.gated = ""
        if q.backoff_until > now:
            self._push_backoff(q)
        else:
            self._push_active(q)

    def __contains__(self, key: str) -> bool:
        return (key in self._active_entries or key in self._backoff_entries
                or key in self.unschedulable or key in self.gated or key in self.in_flight)

    def __len__(self) -> int:
        return (len(self._active_entries) + len(self._backoff_entries) + len(self.unschedulable)
                + len(self.gated))

    # -- pod lifecycle ----------------------------------------------------------------------
    def add(self, pod_info) -> None:
        now = self.clock()
        old = self._take(pod_info.key)
        if old is not None:
            old.pod_info = pod_info
            self._enqueue(old, now)
            return
        self._seq += 1
        self._enqueue(QueuedPodInfo(pod_info, now, self._seq), now)

    def update(self, pod_info, relevant: bool = True) -> None:
        """The pending pod changed. A scheduling-relevant change (spec, labels...) retries it;
        a status-only change (nominatedNodeName, conditions) just refreshes what is queued."""
        key = pod_info.key
        if key in self.in_flight:
            self.in_flight[key].pod_info = pod_info
            return
        if not relevant:
            for q in (self.unschedulable.get(key), self.gated.get(key),
                      (self._active_entries.get(key) or [None])[-1],
                      (self._backoff_entries.get(key) or [None])[-1]):
                if q is not None:
                    q.pod_info = pod_info
                    return
        self.add(pod_info)

    def delete(self, key: str) -> None:
        self._take(key)
        self.in_flight.pop(key, None)

    def pop(self) -> QueuedPodInfo | None:
        now = self.clock()
        self._flush(now)
        while self._active:
            entry = heapq.heappop(self._active)
            q = entry[-1]
            if q is None:
                continue
            del self._active_entries[q.pod_info.key]
            q.attempts += 1
            if q.initial_attempt is None:
                q.initial_attempt = now
            self.in_flight[q.pod_info.key] = q
            return q
        return None

    def done(self, key: str) -> None:
        self.in_flight.pop(key, None)

    def backoff_duration(self, attempts: int) -> float:
        d = self.initial_backoff
        for _ in range(1, attempts):
            d *= 2
            if d > self.max_backoff:
                return self.max_backoff
        return min(d, self.max_backoff)

    def add_unschedulable(self, q: QueuedPodInfo, plugins=(), error: bool = False) -> None:
        """After a failed attempt: park the pod until an event (or the flush) retries it."""
        now = self.clock()
        self.in_flight.pop(q.pod_info.key, None)
        q.timestamp = now
        q.backoff_until = now + self.backoff_duration(q.attempts)
        q.unschedulable_plugins = frozenset(plugins)
        if error:
            self._push_backoff(q)
        else:
            self.unschedulable.pop(q.pod_info.key, None)
            self.unschedulable[q.pod_info.key] = q

    def move_on_event(self, event: tuple, interested) -> int:
        """Move unschedulable pods a plugin of theirs registered `event` for. Returns count."""
        now = self.clock()
        moved = 0
        for key, q in list(self.unschedulable.items()):
            if not q.unschedulable_plugins or interested(q.unschedulable_plugins, event):
                del self.unschedulable[key]
                self._enqueue(q, now)
                moved += 1
        return moved

    def move_all(self) -> None:
        now = self.clock()
        for key in list(self.unschedulable):
            self._enqueue(self.unschedulable.pop(key), now)

    def _flush(self, now: float) -> None:
        while self._backoff and (self._backoff[0][-1] is None or self._backoff[0][0] <= now):
            entry = heapq.heappop(self._backoff)
            q = entry[-1]
            if q is None:
                continue
            del self._backoff_entries[q.pod_info.key]
            self._push_active(q)
        if self.unschedulable and self.max_in_unschedulable != float("inf"):
            # insertion order is timestamp order (the clock never goes back): stop at the first
            # pod that has not waited long enough
            expired = []
            for key, q in self.unschedulable.items():
                if now - q.timestamp < self.max_in_unschedulable:
                    break
                expired.append(key)
            for key in expired:
                self._enqueue(self.unschedulable.pop(key), now)

    def next_wakeup(self) -> float | None:
        """The earliest time a waiting pod becomes ready by itself (backoff end or flush)."""
        times = []
        if self._backoff:
            live = [e[0] for e in self._backoff if e[-1] is not None]
            times = [min(live)] if live else []
        if self.unschedulable and self.max_in_unschedulable != float("inf"):
            times.append(next(iter(self.unschedulable.values())).timestamp + self.max_in_unschedulable)
        return min(times) if times else None

    def has_active(self) -> bool:
        self._flush(self.clock())
        return bool(self._active_entries)

    def pending(self) -> dict[str, list[str]]:
        """Pod keys per sub-queue, for debugging and the notebook."""
        return {
            "active": sorted(self._active_entries),
            "backoff": sorted(self._backoff_entries),
            "unschedulable": sorted(self.unschedulable),
            "gated": sorted(self.gated),
        }
