"""go_sort: Go's sort.Sort, so ties in kubectl's unstable event sort land where kubectl puts them.
(The differential tests compare whole event tables with the real kubectl; these check that it
is a sort at all, and the properties of Go's algorithm the tables rely on.)"""
from __future__ import annotations

from hypothesis import given, strategies as st

from kcore.machinery.gosort import go_sort


def by_key(a, b):
    return a[0] < b[0]


@given(st.lists(st.integers(0, 5), max_size=200))
def test_it_sorts_and_keeps_every_item(keys):
    items = [(k, i) for i, k in enumerate(keys)]
    out = go_sort(list(items), by_key)
    assert [k for k, _ in out] == sorted(keys)
    assert sorted(out) == sorted(items)


@given(st.lists(st.integers(0, 3), max_size=12))
def test_twelve_items_or_fewer_keep_ties_in_input_order(keys):
    items = [(k, i) for i, k in enumerate(keys)]
    assert go_sort(list(items), by_key) == sorted(items)


def test_more_than_twelve_ties_are_not_kept_in_input_order():
    items = [(i % 2, i) for i in range(30)]
    out = go_sort(list(items), by_key)
    assert [k for k, _ in out] == sorted(k for k, _ in items)
    assert out != sorted(items)


def test_the_same_input_always_gives_the_same_order():
    items = [((i * 7) % 5, i) for i in range(100)]
    assert go_sort(list(items), by_key) == go_sort(list(items), by_key)
