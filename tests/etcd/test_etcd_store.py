"""The MVCC store: revisions, ranges, transactions, watches, compaction (docs/internals.md)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from kcore.etcd import CompactedError, EtcdError, FutureRevisionError, KeyValue, Store


def store_with(*ops) -> Store:
    s = Store()
    for op in ops:
        if op[0] == "put":
            s.put(op[1], op[2])
        else:
            s.delete(op[1])
    return s


@pytest.mark.parametrize("ops, key, expected", [
    pytest.param([], "/a", None, id="a fresh store has no keys"),
    pytest.param([("put", "/a", b"1")], "/a", KeyValue("/a", b"1", 2, 2, 1),
                 id="the first put lands at revision 2 with version 1"),
    pytest.param([("put", "/a", b"1"), ("put", "/a", b"2")], "/a", KeyValue("/a", b"2", 2, 3, 2),
                 id="an update keeps create_revision and bumps mod_revision and version"),
    pytest.param([("put", "/a", b"1"), ("delete", "/a")], "/a", None,
                 id="a deleted key is gone"),
    pytest.param([("put", "/a", b"1"), ("delete", "/a"), ("put", "/a", b"3")], "/a",
                 KeyValue("/a", b"3", 4, 4, 1), id="a re-created key starts a new life at version 1"),
    pytest.param([("put", "/a", b"1"), ("put", "/b", b"2")], "/a", KeyValue("/a", b"1", 2, 2, 1),
                 id="writes to other keys do not touch a key"),
])
def test_get_after_writes(ops, key, expected):
    assert store_with(*ops).get(key) == expected


@pytest.mark.parametrize("ops, revision", [
    pytest.param([], 1, id="the revision starts at 1"),
    pytest.param([("put", "/a", b"1")], 2, id="each put adds one revision"),
    pytest.param([("delete", "/nope")], 1, id="deleting a missing key adds no revision"),
    pytest.param([("put", "/a", b"1"), ("delete", "/a")], 3, id="a delete adds one revision"),
])
def test_revision_counts_writes(ops, revision):
    assert store_with(*ops).revision == revision


KEYS = ["/registry/pods/default/a", "/registry/pods/default/b", "/registry/pods/kube-system/c",
        "/registry/services/specs/default/kubernetes", "/registry/podtemplates/default/x"]


@pytest.mark.parametrize("prefix, kwargs, expected", [
    pytest.param("/registry/pods/", {}, KEYS[:3], id="a prefix range returns its keys in byte order"),
    pytest.param("/registry/pods/default/", {}, KEYS[:2], id="a namespace prefix narrows the range"),
    pytest.param("/registry/pods/", {"limit": 2}, KEYS[:2], id="limit caps the number of keys"),
    pytest.param("/registry/pod", {}, [*KEYS[:3], KEYS[4]], id="a bare prefix also matches longer words"),
    pytest.param("/nothing", {}, [], id="an empty prefix range is an empty list"),
    pytest.param("/registry/pods/default/a", {"range_end": "/registry/pods/kube-system/c"}, KEYS[:2],
                 id="an explicit range end is exclusive"),
])
def test_range(prefix, kwargs, expected):
    s = Store()
    for k in KEYS:
        s.put(k, b"{}")
    assert [kv.key for kv in s.range(prefix, **kwargs)] == expected


def test_keys_only_range_drops_values():
    s = store_with(("put", "/a", b"value"))
    assert s.range("/", keys_only=True) == [KeyValue("/a", b"", 2, 2, 1)]


def test_delete_range_uses_one_revision():
    s = Store()
    for k in KEYS:
        s.put(k, b"{}")
    prev = s.delete_range("/registry/pods/")
    assert [kv.key for kv in prev] == KEYS[:3]
    assert s.revision == 7 and s.count("/registry/") == 2


@pytest.mark.parametrize("revision, expected", [
    pytest.param(1, None, id="before the key existed it reads as absent"),
    pytest.param(2, b"v1", id="at its creation revision it has its first value"),
    pytest.param(3, b"v2", id="at the update it has the second value"),
    pytest.param(4, None, id="after the delete it reads as absent"),
    pytest.param(5, b"v3", id="after re-creation it has the new value"),
])
def test_get_at_a_past_revision(revision, expected):
    s = store_with(("put", "/k", b"v1"), ("put", "/k", b"v2"), ("delete", "/k"), ("put", "/k", b"v3"))
    kv = s.get("/k", revision=revision)
    assert (kv.value if kv else None) == expected
    assert [k.value for k in s.range("/", revision=revision)] == ([expected] if expected else [])


@pytest.mark.parametrize("compares, ok", [
    pytest.param([("mod", "/k", "=", 3)], True, id="mod revision equal to the current one succeeds"),
    pytest.param([("mod", "/k", "=", 2)], False, id="a stale mod revision fails"),
    pytest.param([("create", "/k", "=", 2)], True, id="create revision compares"),
    pytest.param([("version", "/k", ">", 1)], True, id="version greater-than compares"),
    pytest.param([("version", "/new", "=", 0)], True, id="a missing key has version 0"),
    pytest.param([("value", "/k", "=", b"two")], True, id="value equality compares bytes"),
    pytest.param([("value", "/k", "!=", "two")], False, id="value compare accepts str"),
    pytest.param([("value", "/missing", "=", b"")], False, id="a value compare on a missing key fails"),
    pytest.param([("mod", "/k", "=", 3), ("version", "/k", "=", 1)], False,
                 id="all compares must hold"),
])
def test_txn_compares(compares, ok):
    s = store_with(("put", "/k", b"one"), ("put", "/k", b"two"))
    succeeded, results = s.txn(compares, [("put", "/then", b"x")], [("get", "/k")])
    assert succeeded is ok
    if ok:
        assert results[0].key == "/then" and s.revision == 4
    else:
        assert results[0].value == b"two" and s.revision == 3


def test_txn_writes_share_one_revision_and_events():
    s = Store()
    seen = []
    s.watch("/", seen.append)
    ok, res = s.txn([("version", "/a", "=", 0)], [("put", "/a", b"1"), ("put", "/b", b"2")])
    assert ok and s.revision == 2
    assert [(e.type, e.kv.key, e.kv.mod_revision) for e in seen] == [("PUT", "/a", 2), ("PUT", "/b", 2)]


@pytest.mark.parametrize("call, error, message", [
    pytest.param(lambda s: s.put("", b"x"), EtcdError, "etcdserver: key is not provided",
                 id="an empty key is refused with etcd's message"),
    pytest.param(lambda s: s.put("/a", "text"), TypeError, "etcd value must be bytes, not str",
                 id="a str value is a programming error"),
    pytest.param(lambda s: s.txn([], [("put", "/a", b"1"), ("delete", "/a")]), EtcdError,
                 "etcdserver: duplicate key given in txn request",
                 id="a txn writing one key twice is refused"),
    pytest.param(lambda s: s.txn([("bogus", "/a", "=", 1)]), EtcdError,
                 "etcdserver: malformed compare ('bogus', '/a', '=', 1)",
                 id="an unknown compare target is refused"),
    pytest.param(lambda s: s.get("/a", revision=99), FutureRevisionError,
                 "mvcc: required revision is a future revision", id="reading the future is refused"),
])
def test_bad_input(call, error, message):
    s = Store()
    with pytest.raises(error) as exc:
        call(s)
    assert str(exc.value) == message
    assert s.revision == 1


# ---- watch -----------------------------------------------------------------------------------

def test_watch_delivers_history_then_live_events():
    s = store_with(("put", "/a", b"1"), ("put", "/b", b"2"), ("delete", "/a"))
    seen = []
    s.watch("/", lambda ev: seen.append((ev.type, ev.kv.key, ev.kv.mod_revision)), start_revision=3)
    s.put("/c", b"3")
    assert seen == [("PUT", "/b", 3), ("DELETE", "/a", 4), ("PUT", "/c", 5)]


def test_watch_filters_by_prefix_and_carries_prev_kv():
    s = store_with(("put", "/pods/a", b"1"))
    seen = []
    s.watch("/pods/", seen.append)
    s.put("/svc/x", b"0")
    s.put("/pods/a", b"2")
    assert len(seen) == 1 and seen[0].prev_kv.value == b"1" and seen[0].kv.version == 2


def test_cancelled_watch_sees_nothing():
    s = Store()
    seen = []
    cancel = s.watch("/", seen.append)
    cancel()
    s.put("/a", b"1")
    assert seen == [] and s.watcher_count == 0


def test_a_callback_that_writes_sees_its_event_after_returning():
    s = Store()
    order = []

    def cb(ev):
        order.append(ev.kv.key)
        if ev.kv.key == "/a":
            s.put("/b", b"from callback")
            order.append("returned")
    s.watch("/", cb)
    s.put("/a", b"1")
    assert order == ["/a", "returned", "/b"]


# ---- compaction ------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    pytest.param(lambda s: s.get("/k", revision=2), id="reading below the compaction fails"),
    pytest.param(lambda s: s.range("/", revision=3), id="ranging below the compaction fails"),
    pytest.param(lambda s: s.watch("/", lambda ev: None, start_revision=2),
                 id="watching from below the compaction fails"),
    pytest.param(lambda s: s.compact(3), id="compacting again at an older revision fails"),
])
def test_compaction_forgets_the_past(call):
    s = store_with(("put", "/k", b"1"), ("put", "/k", b"2"), ("put", "/k", b"3"), ("put", "/j", b"x"))
    s.compact(4)
    with pytest.raises(CompactedError, match="^mvcc: required revision has been compacted$"):
        call(s)


def test_compaction_keeps_the_compaction_revision_readable():
    s = store_with(("put", "/k", b"1"), ("put", "/k", b"2"), ("delete", "/k"), ("put", "/j", b"x"))
    s.compact(3)
    assert s.get("/k", revision=3).value == b"2"
    seen = []
    s.watch("/", lambda ev: seen.append(ev.kv.mod_revision), start_revision=3)
    assert seen == [3, 4, 5]
    assert s.get("/k") is None and s.get("/j").value == b"x"


# ---- properties ------------------------------------------------------------------------------

ops = st.lists(st.one_of(
    st.tuples(st.just("put"), st.sampled_from("abcd"), st.binary(max_size=4)),
    st.tuples(st.just("delete"), st.sampled_from("abcd")),
    st.tuples(st.just("txn"), st.sampled_from("abcd"), st.integers(0, 12), st.binary(max_size=2)),
), max_size=40)


@settings(max_examples=150, deadline=None)
@given(ops)
def test_watch_order_is_revision_order_and_failed_txns_change_nothing(program):
    s = Store()
    seen = []
    s.watch("", seen.append)
    late = []
    for op in program:
        if op[0] == "put":
            s.put(op[1], op[2])
        elif op[0] == "delete":
            s.delete(op[1])
        else:
            before = (s.revision, dict(s._kv))
            ok, _ = s.txn([("mod", op[1], "=", op[2])], [("put", op[1], op[3])])
            if not ok:
                assert (s.revision, dict(s._kv)) == before
    revs = [ev.kv.mod_revision for ev in seen]
    assert revs == sorted(revs)
    assert (revs[-1] if revs else 1) == s.revision
    s.watch("", late.append, start_revision=1)
    assert late == seen


def test_a_watch_starting_in_the_future_skips_earlier_events():
    s = Store()
    seen = []
    s.watch("/", lambda ev: seen.append(ev.kv.mod_revision), start_revision=4)
    for i in range(4):
        s.put("/k", str(i).encode())
    assert seen == [4, 5]
