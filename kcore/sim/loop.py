"""The event loop: a virtual clock and a heap of timers, the only source of time and chance.

Everything in kcore that "waits" asks the loop to call it back later. Nothing sleeps: the
clock moves only when someone calls advance() or settle(). Events run in a total order —
(time, sequence) — so the same program gives the same history on every run.

Two kinds of timers exist. Foreground timers finish work a user is waiting for (an image
pull, a container start, a rollout step); settle() jumps the clock to them. Background timers
are the cluster's heartbeat (node status every 10 s, lease renewals, the node monitor);
settle() runs them when the clock passes them but never moves the clock just to reach one,
so a settled cluster does not drift forward forever.

While events run, the cyclic garbage collector is off (and back on after): the simulation
allocates millions of acyclic JSON-like dicts, which reference counting frees, and a
collection only walks the survivors to find nothing (with the default threshold of 700 a
third of a big cluster's CPU went there; even with raised thresholds, a sixth). A run that
leaves many new objects behind (bootstrapping 5,000 nodes, a 10,000-pod rollout) then moves
the heap into gc's permanent generation (`gc.freeze()`), so later collections do not walk
it again. The cost: reference cycles created during such a big run are never collected. The
simulation makes almost none (a 5,000-node bootstrap leaves a few dozen objects), and the
course's small runs never freeze.
"""
from __future__ import annotations

import gc
import heapq
import random as _random
import uuid as _uuid
from datetime import datetime, timezone

EPOCH = int(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp())
SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
FREEZE_AFTER = 200_000   # new container objects left by one run that make it freeze the heap


class _RelaxedGC:
    """The cyclic collector off for the duration of a run (re-entrant); see the module notes."""

    __slots__ = ("was_enabled", "depth")

    def __init__(self):
        self.was_enabled = False
        self.depth = 0

    def __enter__(self):
        if self.depth == 0:
            self.was_enabled = gc.isenabled()
            if self.was_enabled:
                gc.disable()
        self.depth += 1
        return self

    def __exit__(self, *exc):
        self.depth -= 1
        if self.depth == 0 and self.was_enabled:
            if gc.get_count()[0] >= FREEZE_AFTER:
                gc.freeze()
            gc.enable()
            self.was_enabled = False
        return False


class Handle:
    """A scheduled call; cancel() makes it a no-op."""

    __slots__ = ("when", "seq", "fn", "args", "background", "cancelled")

    def __init__(self, when: float, seq: int, fn, args, background: bool):
        self.when = when
        self.seq = seq
        self.fn = fn
        self.args = args
        self.background = background
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def __lt__(self, other: "Handle") -> bool:
        return (self.when, self.seq) < (other.when, other.seq)


class Loop:
    """Virtual time, timers and the cluster's one seeded random source."""

    def __init__(self, seed: int = 0, epoch: int = EPOCH):
        self.now = 0.0
        self.epoch = epoch
        self.random = _random.Random(seed)
        self._heap: list[Handle] = []
        self._seq = 0
        self._fg: list[Handle] = []  # foreground timers only, for settle()
        self.events_run = 0
        self._gc = _RelaxedGC()
        self._ts = (None, "")  # (seconds, text): the last timestamp, reused within a second

    def relaxed_gc(self):
        """The context the loop runs events in: the cyclic gc off (see the module notes),
        for other bulk work such as bootstrapping thousands of nodes."""
        return self._gc

    # -- scheduling -------------------------------------------------------------------------
    def call_at(self, when: float, fn, *args, background: bool = False) -> Handle:
        self._seq += 1
        h = Handle(max(when, self.now), self._seq, fn, args, background)
        heapq.heappush(self._heap, h)
        if not background:
            heapq.heappush(self._fg, h)
        return h

    def call_later(self, delay: float, fn, *args, background: bool = False) -> Handle:
        return self.call_at(self.now + max(0.0, delay), fn, *args, background=background)

    def call_soon(self, fn, *args) -> Handle:
        return self.call_at(self.now, fn, *args)

    # -- running ----------------------------------------------------------------------------
    def _pop_due(self, limit: float) -> Handle | None:
        heap = self._heap
        while heap:
            h = heap[0]
            if h.cancelled:
                heapq.heappop(heap)
                continue
            if h.when > limit:
                return None
            heapq.heappop(heap)
            return h
        return None

    def _run(self, h: Handle) -> None:
        if h.when > self.now:
            self.now = h.when
        self.events_run += 1
        h.cancelled = True  # done: it leaves the foreground heap lazily
        h.fn(*h.args)

    def step(self) -> bool:
        """Run one event that is due now. Returns False when nothing is due."""
        h = self._pop_due(self.now)
        if h is None:
            return False
        self._run(h)
        return True

    def run_ready(self, max_events: int = 5_000_000) -> int:
        """Run everything due at the current time (including what that work schedules now)."""
        n = 0
        with self._gc:
            while n < max_events:
                h = self._pop_due(self.now)
                if h is None:
                    break
                self._run(h)
                n += 1
        return n

    def advance(self, seconds: float) -> None:
        """Move the clock forward by `seconds`, running every event due on the way."""
        target = self.now + max(0.0, float(seconds))
        with self._gc:
            while True:
                h = self._pop_due(target)
                if h is None:
                    break
                self._run(h)
        self.now = target

    def next_foreground(self) -> float | None:
        """When the earliest pending foreground timer fires, or None."""
        fg = self._fg
        while fg and fg[0].cancelled:
            heapq.heappop(fg)
        return fg[0].when if fg else None

    def settle(self, horizon: float = 600.0) -> None:
        """Run until no foreground work is left within `horizon` seconds of now.

        Ready work runs first; then the clock jumps to the next foreground timer (running
        background timers that fall before it), and so on. Background-only futures do not
        move the clock."""
        limit = self.now + horizon
        with self._gc:
            while True:
                self.run_ready()
                nxt = self.next_foreground()
                if nxt is None or nxt > limit:
                    return
                self.advance(nxt - self.now)

    # -- time -------------------------------------------------------------------------------
    def wall(self, t: float | None = None) -> float:
        return self.epoch + (self.now if t is None else t)

    def timestamp(self, t: float | None = None) -> str:
        secs = int(self.wall(t))
        last, text = self._ts
        if secs != last:
            text = datetime.fromtimestamp(secs, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            self._ts = (secs, text)
        return text

    def parse_timestamp(self, text: str) -> float:
        """RFC3339 (optionally with fractional seconds, as MicroTime) -> virtual seconds."""
        base, _, frac = text.rstrip("Z").partition(".")
        dt = datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
        return dt.timestamp() - self.epoch + (float("0." + frac) if frac else 0.0)

    # -- chance -----------------------------------------------------------------------------
    def uid(self) -> str:
        return str(_uuid.UUID(int=self.random.getrandbits(128), version=4))

    def rand_suffix(self, n: int = 5) -> str:
        bits = self.random.getrandbits(8 * n)
        out = []
        for _ in range(n):
            out.append(SUFFIX_ALPHABET[(bits & 0xFF) % 27])
            bits >>= 8
        return "".join(out)

    def rand_hex(self, n: int) -> str:
        return format(self.random.getrandbits(4 * n), f"0{n}x")
