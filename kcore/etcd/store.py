"""An MVCC key-value store with etcd's semantics, small enough to read in one sitting.

Every write moves one global revision forward (it starts at 1, like a fresh etcd, so the first
put lands at revision 2). Each key remembers when it was created (`create_revision`), when it
last changed (`mod_revision`) and how many times it changed since creation (`version`). A delete
leaves a tombstone in the key's history, so reading the past (`range(..., revision=N)`) and
replaying it to a watcher (`watch(..., start_revision=N)`) both work until `compact(N)` throws
the old revisions away; after that the past answers with etcd's own
"mvcc: required revision has been compacted".

`txn` is etcd's compare-and-swap: compare create/mod revision, version or value, then run the
success or the failure ops. All writes of one transaction share one revision; a transaction
that writes nothing (or fails its compares and has no failure writes) changes no revision.

Watch callbacks run synchronously, in revision order, per watcher through a small queue, so a
callback that writes to the store sees its own event delivered after it returns, never nested.
The API server puts delivery on its loop; the store does not know about time.

Hot path (put/get of a 1-2 KB JSON value) is a dict lookup, a tuple, two list appends and, for a
new key, one insertion into the sorted key index (a `SortedList`: a big cluster holds 100,000s of
keys, and inserting into one flat list would move all of them). Compaction only visits the keys
written more than once since the last compaction."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import attrgetter
from typing import Callable, NamedTuple

from sortedcontainers import SortedList

__all__ = [
    "Store", "KeyValue", "WatchEvent", "EtcdError", "CompactedError", "FutureRevisionError",
    "ErrCompacted", "ErrFutureRev",
]

ErrCompacted = "mvcc: required revision has been compacted"
ErrFutureRev = "mvcc: required revision is a future revision"
ErrKeyNotFound = "etcdserver: key is not provided"
ErrDuplicateKey = "etcdserver: duplicate key given in txn request"


class EtcdError(Exception):
    """An error etcd would return; `str()` is etcd's message."""


class CompactedError(EtcdError):
    def __init__(self, message: str = ErrCompacted):
        super().__init__(message)


class FutureRevisionError(EtcdError):
    def __init__(self, message: str = ErrFutureRev):
        super().__init__(message)


class KeyValue(NamedTuple):
    key: str
    value: bytes
    create_revision: int
    mod_revision: int
    version: int


class WatchEvent(NamedTuple):
    type: str            # "PUT" | "DELETE"
    kv: KeyValue         # for DELETE: a tombstone (empty value, version 0, mod_revision = delete rev)
    prev_kv: KeyValue | None


_COMPARE_TARGETS = {
    "mod": "mod_revision", "mod_revision": "mod_revision", "mod_rev": "mod_revision",
    "create": "create_revision", "create_revision": "create_revision", "create_rev": "create_revision",
    "version": "version", "value": "value",
}
_COMPARE_OPS = {
    "=": lambda a, b: a == b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b, "<": lambda a, b: a < b,
}


_mod_revision = attrgetter("mod_revision")


class _Watcher:
    __slots__ = ("prefix", "callback", "queue", "busy", "cancelled", "min_revision")

    def __init__(self, prefix: str, callback: Callable[[WatchEvent], None], min_revision: int = 0):
        self.prefix = prefix
        self.min_revision = min_revision
        self.callback = callback
        self.queue: list[WatchEvent] = []
        self.busy = False
        self.cancelled = False

    def deliver(self, events) -> None:
        self.queue.extend(events)
        if self.busy:
            return                      # an outer delivery of this watcher drains the queue
        self.busy = True
        try:
            i = 0
            while i < len(self.queue) and not self.cancelled:
                ev = self.queue[i]
                i += 1
                self.callback(ev)
        finally:
            del self.queue[:i]
            self.busy = False


def _prefix_end(prefix: str) -> str:
    """etcd's GetPrefixRangeEnd: the first key after every key that starts with `prefix`
    ("" for the empty prefix: no end)."""
    while prefix and prefix[-1] == "\U0010ffff":
        prefix = prefix[:-1]
    return prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else ""


def _check_key(key) -> None:
    if not isinstance(key, str):
        raise TypeError(f"etcd key must be str, not {type(key).__name__}")
    if not key:
        raise EtcdError(ErrKeyNotFound)


def _check_value(value) -> None:
    if not isinstance(value, (bytes, bytearray)):
        raise TypeError(f"etcd value must be bytes, not {type(value).__name__}")


class Store:
    """One etcd keyspace. See the module docstring for the semantics."""

    def __init__(self):
        self.revision = 1
        self.compact_revision = 0
        self._kv: dict[str, KeyValue] = {}          # live keys
        self._keys = SortedList()                   # live keys, sorted
        self._hist: dict[str, list[KeyValue]] = {}  # per key: versions and tombstones, by mod_revision
        self._multi: set[str] = set()               # keys whose history has more than one entry
        self._log: list[WatchEvent] = []            # events since compaction, revision order
        self._log_revs: list[int] = []
        self._watchers: list[_Watcher] = []

    # ---- reads -----------------------------------------------------------------------------
    def get(self, key: str, revision: int | None = None) -> KeyValue | None:
        if revision is None or revision == self.revision:
            return self._kv.get(key)
        self._check_read_revision(revision)
        return self._at(key, revision)

    def range(self, prefix: str = "", limit: int | None = None, keys_only: bool = False,
              revision: int | None = None, range_end: str | None = None) -> list[KeyValue]:
        """Keys starting with `prefix` (or in [prefix, range_end) when range_end is given),
        sorted by key; `limit` caps the count; `revision` reads the past."""
        if revision is None or revision == self.revision:
            out = [self._kv[k] for k in self._key_slice(self._keys, prefix, range_end, limit)]
        else:
            self._check_read_revision(revision)
            out = []
            for k in self._key_slice(sorted(self._hist), prefix, range_end, None):
                kv = self._at(k, revision)
                if kv is not None:
                    out.append(kv)
                    if limit and len(out) >= limit:
                        break
        if keys_only:
            out = [kv._replace(value=b"") for kv in out]
        return out

    def count(self, prefix: str = "", range_end: str | None = None) -> int:
        return len(self._key_slice(self._keys, prefix, range_end, None))

    @staticmethod
    def _key_slice(keys, prefix: str, range_end: str | None, limit: int | None) -> list[str]:
        """The keys in [prefix, range_end), or starting with prefix; `keys` is sorted (a list
        or a SortedList)."""
        if range_end is None:
            range_end = _prefix_end(prefix)
        if isinstance(keys, SortedList):
            i = keys.bisect_left(prefix)
            j = keys.bisect_left(range_end) if range_end else len(keys)
        else:
            i = bisect_left(keys, prefix)
            j = bisect_left(keys, range_end) if range_end else len(keys)
        if limit:
            j = min(j, i + limit)
        return list(keys[i:j]) if j > i else []

    def _check_read_revision(self, revision: int) -> None:
        if revision > self.revision:
            raise FutureRevisionError()
        if revision < self.compact_revision:
            raise CompactedError()

    def _at(self, key: str, revision: int) -> KeyValue | None:
        hist = self._hist.get(key)
        if not hist:
            return None
        i = bisect_right(hist, revision, key=_mod_revision)
        if i == 0 or hist[i - 1].version == 0:
            return None
        return hist[i - 1]

    # ---- writes ----------------------------------------------------------------------------
    def put(self, key: str, value: bytes) -> KeyValue:
        _check_key(key)
        _check_value(value)
        rev = self.revision + 1
        self.revision = rev
        ev = self._apply_put(key, bytes(value), rev)
        if self._watchers:
            self._notify((ev,))
        return ev.kv

    def delete(self, key: str) -> KeyValue | None:
        """Delete one key; returns the previous kv (None, and no new revision, if absent)."""
        _check_key(key)
        if key not in self._kv:
            return None
        rev = self.revision + 1
        self.revision = rev
        ev = self._apply_delete(key, rev)
        if self._watchers:
            self._notify((ev,))
        return ev.prev_kv

    def delete_range(self, prefix: str, range_end: str | None = None) -> list[KeyValue]:
        """Delete every key under `prefix` at one revision; returns the previous kvs."""
        keys = self._key_slice(self._keys, prefix, range_end, None)
        if not keys:
            return []
        rev = self.revision + 1
        self.revision = rev
        events = [self._apply_delete(k, rev) for k in keys]
        if self._watchers:
            self._notify(events)
        return [ev.prev_kv for ev in events]

    def txn(self, compares, success=(), failure=()) -> tuple[bool, list]:
        """etcd's If/Then/Else. compares: (target, key, op, operand) with target one of
        mod/create/version/value and op one of = != > <; ops: ("put", key, value),
        ("delete", key), ("get", key), ("range", prefix). Returns (succeeded, results)."""
        ok = all(self._compare(c) for c in compares)
        ops = list(success if ok else failure)
        writes = [op for op in ops if op[0] in ("put", "delete")]
        for op in ops:
            if op[0] not in ("put", "delete", "get", "range"):
                raise EtcdError(f"etcdserver: unknown txn operation {op[0]!r}")
            _check_key(op[1])
            if op[0] == "put":
                _check_value(op[2])
        keys = [op[1] for op in writes]
        if len(set(keys)) != len(keys):
            raise EtcdError(ErrDuplicateKey)
        changes = [op for op in writes if op[0] == "put" or op[1] in self._kv]
        rev = self.revision + 1 if changes else self.revision
        if changes:
            self.revision = rev
        results, events = [], []
        for op in ops:
            kind, key = op[0], op[1]
            if kind == "put":
                ev = self._apply_put(key, bytes(op[2]), rev)
                events.append(ev)
                results.append(ev.kv)
            elif kind == "delete":
                if key in self._kv:
                    ev = self._apply_delete(key, rev)
                    events.append(ev)
                    results.append(ev.prev_kv)
                else:
                    results.append(None)
            elif kind == "get":
                results.append(self._kv.get(key))
            else:
                results.append(self.range(key))
        if events and self._watchers:
            self._notify(events)
        return ok, results

    def _compare(self, compare) -> bool:
        try:
            target, key, op, operand = compare
        except (TypeError, ValueError):
            raise EtcdError(f"etcdserver: malformed compare {compare!r}") from None
        field = _COMPARE_TARGETS.get(target)
        fn = _COMPARE_OPS.get(op)
        if field is None or fn is None:
            raise EtcdError(f"etcdserver: malformed compare {compare!r}")
        kv = self._kv.get(key)
        if field == "value":
            if kv is None:
                return False            # etcd: a value compare on a missing key is false
            if isinstance(operand, str):
                operand = operand.encode()
            return fn(kv.value, operand)
        actual = 0 if kv is None else getattr(kv, field)
        return fn(actual, operand)

    def _apply_put(self, key: str, value: bytes, rev: int) -> WatchEvent:
        prev = self._kv.get(key)
        if prev is None:
            kv = KeyValue(key, value, rev, rev, 1)
            self._keys.add(key)
        else:
            kv = KeyValue(key, value, prev.create_revision, rev, prev.version + 1)
        self._kv[key] = kv
        hist = self._hist.get(key)
        if hist is None:
            self._hist[key] = [kv]
        else:
            hist.append(kv)
            self._multi.add(key)
        ev = WatchEvent("PUT", kv, prev)
        self._log.append(ev)
        self._log_revs.append(rev)
        return ev

    def _apply_delete(self, key: str, rev: int) -> WatchEvent:
        prev = self._kv.pop(key)
        self._keys.remove(key)
        tomb = KeyValue(key, b"", 0, rev, 0)
        self._hist[key].append(tomb)
        self._multi.add(key)
        ev = WatchEvent("DELETE", tomb, prev)
        self._log.append(ev)
        self._log_revs.append(rev)
        return ev

    # ---- watch -----------------------------------------------------------------------------
    def watch(self, prefix: str, callback: Callable[[WatchEvent], None],
              start_revision: int | None = None) -> Callable[[], None]:
        """Call `callback(WatchEvent)` for every change under `prefix`: first the history from
        `start_revision` (inclusive), then live events. Returns a cancel function."""
        backlog: list[WatchEvent] = []
        if start_revision is not None and start_revision > 0:
            if start_revision < self.compact_revision:
                raise CompactedError()
            i = bisect_left(self._log_revs, start_revision)
            backlog = [ev for ev in self._log[i:] if ev.kv.key.startswith(prefix)]
        w = _Watcher(prefix, callback, start_revision or 0)
        self._watchers.append(w)

        def cancel() -> None:
            w.cancelled = True
            if w in self._watchers:
                self._watchers.remove(w)

        if backlog:
            w.deliver(backlog)
        return cancel

    @property
    def watcher_count(self) -> int:
        return len(self._watchers)

    def _notify(self, events) -> None:
        error = None
        for w in tuple(self._watchers):
            if w.cancelled:
                continue
            p = w.prefix
            mine = [ev for ev in events if ev.kv.key.startswith(p)] if p else events
            if mine and w.min_revision > mine[0].kv.mod_revision:   # a watch that starts in the future
                mine = [ev for ev in mine if ev.kv.mod_revision >= w.min_revision]
            if not mine:
                continue
            try:
                w.deliver(mine)
            except Exception as exc:  # one broken watcher must not starve the others
                error = error or exc
        if error is not None:
            raise error

    # ---- compaction ------------------------------------------------------------------------
    def compact(self, revision: int) -> None:
        """Forget every revision below `revision` (etcd: reads at `revision` still work)."""
        if revision > self.revision:
            raise FutureRevisionError()
        if revision <= self.compact_revision:
            raise CompactedError()
        self.compact_revision = revision
        # a key with a single live version has nothing to forget; only look at the others
        for key in list(self._multi):
            hist = self._hist[key]
            keep = 0
            for i, kv in enumerate(hist):
                if kv.mod_revision <= revision:
                    keep = i
                else:
                    break
            newest_old = hist[keep]
            if newest_old.mod_revision <= revision and newest_old.version == 0 \
                    and newest_old.mod_revision < revision:
                keep += 1                      # a tombstone older than the compaction point
            if keep:
                del hist[:keep]
            if not hist:
                del self._hist[key]
            if len(hist) <= 1 and (not hist or hist[0].version):
                self._multi.discard(key)
        i = bisect_left(self._log_revs, revision)
        del self._log[:i]
        del self._log_revs[:i]

    # ---- size and snapshots ----------------------------------------------------------------
    def db_size(self) -> int:
        """A bbolt-like file size in bytes: 4 KiB pages holding every kept revision."""
        used = sum(len(kv.key) + len(kv.value) + 48 for hist in self._hist.values() for kv in hist)
        pages = 5 + (used + 4095) // 4096
        return pages * 4096

    def db_size_in_use(self) -> int:
        used = sum(len(kv.key) + len(kv.value) + 48 for kv in self._kv.values())
        return min(self.db_size(), (5 + (used + 4095) // 4096) * 4096)

    def snapshot_save(self, path) -> dict:
        """Write a snapshot file (etcd-style: body padded to 512 bytes + sha256). Returns
        `snapshot.status()` of the written file."""
        from kcore.etcd import snapshot
        return snapshot.save(self, path)

    @staticmethod
    def snapshot_restore(path) -> "Store":
        """A new Store from a snapshot file; raises snapshot.SnapshotError on a corrupt file."""
        from kcore.etcd import snapshot
        return snapshot.restore(path)

    # used by snapshot.restore
    @classmethod
    def _from_history(cls, revision: int, compact_revision: int,
                      histories: dict[str, list[KeyValue]]) -> "Store":
        s = cls()
        s.revision = revision
        s.compact_revision = compact_revision
        entries = []
        for key, hist in histories.items():
            s._hist[key] = list(hist)
            if len(hist) > 1 or (hist and not hist[0].version):
                s._multi.add(key)
            prev = None
            for kv in hist:
                if kv.version:
                    entries.append((kv.mod_revision, key, WatchEvent("PUT", kv, prev)))
                elif prev is not None:
                    entries.append((kv.mod_revision, key, WatchEvent("DELETE", kv, prev)))
                prev = kv if kv.version else None
            if hist and hist[-1].version:
                s._kv[key] = hist[-1]
        s._keys = SortedList(s._kv)
        entries.sort(key=lambda e: (e[0], e[1]))
        for rev, _key, ev in entries:
            if rev >= compact_revision:
                s._log.append(ev)
                s._log_revs.append(rev)
        return s
