"""The event loop: total order, virtual time, foreground vs background timers."""
from __future__ import annotations

import pytest

from kcore.sim import Loop


def test_events_run_in_time_then_submission_order():
    loop = Loop()
    seen = []
    loop.call_later(2, seen.append, "b")
    loop.call_later(1, seen.append, "a")
    loop.call_later(2, seen.append, "c")
    loop.call_soon(seen.append, "now")
    loop.advance(5)
    assert seen == ["now", "a", "b", "c"]
    assert loop.now == 5


def test_settle_jumps_to_foreground_work_but_not_to_heartbeats():
    loop = Loop()
    seen = []

    def beat():
        seen.append(("beat", loop.now))
        loop.call_later(10, beat, background=True)
    loop.call_later(10, beat, background=True)
    loop.call_later(3, seen.append, ("pulled", 3))
    loop.settle()
    assert seen == [("pulled", 3)]
    assert loop.now == 3


def test_settle_stops_at_its_horizon():
    loop = Loop()
    loop.call_later(1000, lambda: None)
    loop.settle(horizon=600)
    assert loop.now == 0


def test_cancelled_timers_never_run():
    loop = Loop()
    seen = []
    h = loop.call_later(1, seen.append, 1)
    h.cancel()
    loop.advance(2)
    assert seen == []
    assert loop.next_foreground() is None


def test_step_runs_exactly_one_due_event():
    loop = Loop()
    seen = []
    loop.call_soon(seen.append, 1)
    loop.call_soon(seen.append, 2)
    assert loop.step() is True
    assert seen == [1]
    assert loop.step() is True
    assert loop.step() is False


@pytest.mark.parametrize("seed", [0, 1, 42], ids=lambda s: f"seed {s} gives the same names twice")
def test_the_same_seed_gives_the_same_names(seed):
    a, b = Loop(seed), Loop(seed)
    assert [a.rand_suffix() for _ in range(5)] == [b.rand_suffix() for _ in range(5)]
    assert a.uid() == b.uid()
    assert a.rand_hex(16) == b.rand_hex(16)


def test_timestamps_map_virtual_time_onto_a_fixed_epoch():
    loop = Loop()
    assert loop.timestamp() == "2026-01-01T00:00:00Z"
    loop.advance(61)
    assert loop.timestamp() == "2026-01-01T00:01:01Z"
    assert loop.parse_timestamp("2026-01-01T00:01:01Z") == 61
    assert loop.parse_timestamp("2026-01-01T00:01:01.500000Z") == 61.5


def test_random_names_use_kubernetes_alphabet():
    loop = Loop(3)
    for _ in range(50):
        s = loop.rand_suffix()
        assert len(s) == 5 and set(s) <= set("bcdfghjklmnpqrstvwxz2456789")
