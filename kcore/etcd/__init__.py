"""etcd, the cluster's memory: an MVCC store (`Store`), snapshots, and a member/quorum model.

The API server is the only component that talks to the store; everything else sees it through
watches. `members.Cluster` models an etcd cluster's availability for the HA chapter."""
from kcore.etcd.store import (CompactedError, EtcdError, FutureRevisionError, KeyValue, Store,
                              WatchEvent)
from kcore.etcd.snapshot import SnapshotError

__all__ = ["Store", "KeyValue", "WatchEvent", "EtcdError", "CompactedError",
           "FutureRevisionError", "SnapshotError"]
