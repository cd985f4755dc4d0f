"""Equal parts of the cached objects are one object.

The API server's decode cache holds the latest revision of every object, decoded, and hands
the same dicts to every informer (they are read-only by contract). In a big cluster most of
that memory repeats: the 5,000 kube-proxy pods of a DaemonSet carry the same containers,
volumes and tolerations, and 5,000 nodes report the same image list, capacity and conditions.
A decoded subtree costs four to five times its JSON size, and every one of those dicts and
lists is also work for Python's garbage collector.

`Interner.share(key, obj)` (key: the etcd key) replaces the subtrees at a few known paths by an equal subtree
met before (equal = the same JSON text), so a thousand pods of one template keep one copy. It
never changes what an object says, only which dicts say it; that is safe because cached objects
are never mutated in place (writers copy first). The table forgets everything when it is full:
that only loses sharing for objects decoded later, never correctness."""
from __future__ import annotations

import sys
from hashlib import blake2b as _digest

from kcore.machinery.jsoncodec import dumps as _dumps

__all__ = ["Interner", "SHARED_PATHS"]

# What to share, per etcd key prefix: {top-level field: {field: how}}. `WHOLE` shares the value;
# `ITEMS` shares each element of a list (an element met for the first time, say the pod's own
# `kube-api-access-xxxxx` volume, has its parts shared instead); `FIELDS` shares, in each
# element of a list (containers, container statuses), every field that is a dict or a list
# (volumeMounts element by element), because one field in them is unique per pod (that
# volume's mount, a container ID). Short strings in the top-level parts are interned. Parts
# that are unique per object (names, uids, IPs) are left alone: sharing them would only cost
# the table's key.
WHOLE, ITEMS, FIELDS = "whole", "items", "fields"

SHARED_PATHS: dict[str, dict[str, dict[str, str]]] = {
    "/registry/pods/": {
        "metadata": {"labels": WHOLE, "ownerReferences": WHOLE, "annotations": WHOLE},
        "spec": {"containers": FIELDS, "initContainers": FIELDS, "ephemeralContainers": FIELDS,
                 "volumes": ITEMS, "tolerations": WHOLE, "securityContext": WHOLE,
                 "affinity": WHOLE, "nodeSelector": WHOLE, "dnsConfig": WHOLE},
        "status": {"conditions": WHOLE, "containerStatuses": FIELDS,
                   "initContainerStatuses": FIELDS},
    },
    "/registry/minions/": {
        "metadata": {"annotations": WHOLE},
        "spec": {"taints": WHOLE},
        "status": {"capacity": WHOLE, "allocatable": WHOLE, "conditions": WHOLE,
                   "images": WHOLE, "daemonEndpoints": WHOLE},
    },
    "/registry/leases/": {
        "metadata": {"ownerReferences": WHOLE},
    },
}

_intern = sys.intern


class Interner:
    """A bounded table of shared subtrees, keyed by a 128-bit digest of their JSON text (the
    text itself would cost as much as the subtrees it saves)."""

    def __init__(self, limit: int = 20_000):
        self.limit = limit
        self.table: dict[bytes, object] = {}   # digest of the JSON text -> the shared value

    def _one(self, value):
        try:
            key = _digest(_dumps(value), digest_size=16).digest()
        except (TypeError, ValueError):
            return value
        table = self.table
        got = table.get(key)
        if got is None:
            if len(table) >= self.limit:
                table.clear()
            table[key] = value
            return value
        return got

    def _item(self, item):
        """A list element shared whole; one met for the first time (say the pod's own
        `kube-api-access-xxxxx` volume) has its parts shared instead."""
        got = self._one(item)
        if got is item and isinstance(item, dict):
            self._fields(item)
        return got

    def _fields(self, item: dict) -> None:
        for k, v in item.items():
            if isinstance(v, str):
                if len(v) <= 64:
                    item[k] = _intern(v)
            elif k == "volumeMounts" and isinstance(v, list):
                v[:] = [self._one(m) for m in v]
            elif v:
                item[k] = self._one(v)

    def share(self, key: str, obj: dict, prev: dict | None = None) -> dict:
        """Share obj's parts (obj is freshly decoded and not yet seen by anyone). `prev`, the
        cached previous revision of the same key, is already shared: a part that did not
        change (a pod's spec across its status updates) is taken from it whole."""
        rules = SHARED_PATHS.get(key[:key.find("/", 10) + 1])
        if not rules:
            return obj
        for top, fields in rules.items():
            parent = obj.get(top)
            if not isinstance(parent, dict):
                continue
            before = prev.get(top) if prev is not None else None
            if before is not None:
                if before == parent:
                    obj[top] = before
                    continue
                if not isinstance(before, dict):
                    before = None
            for k, v in parent.items():
                if isinstance(v, str) and len(v) <= 64:
                    parent[k] = _intern(v)
            for field, how in fields.items():
                value = parent.get(field)
                if not value:
                    continue
                if before is not None:
                    old = before.get(field)
                    if old == value:
                        parent[field] = old
                        continue
                if how == WHOLE:
                    parent[field] = self._one(value)
                elif not isinstance(value, list):
                    continue
                elif how == ITEMS:
                    value[:] = [self._item(v) for v in value]
                else:
                    for item in value:
                        if isinstance(item, dict):
                            self._fields(item)
        return obj
