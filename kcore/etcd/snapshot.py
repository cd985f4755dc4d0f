"""Snapshot files: what `etcdctl snapshot save` writes and `etcdutl snapshot restore` reads.

Real etcd streams its bbolt database and appends a sha256 of it; etcdutl recognises the hash
because the file size is then 32 bytes past a multiple of 512, and refuses a file whose hash
does not match ("expected sha256 [..], got [..]"). We keep that framing exactly; the body is a
small JSON document holding every key's kept history, so a restored store has the same
revisions, the same compaction point and can replay the same watch history.

`status(path)` answers `etcdutl snapshot status`: hash (crc32 of the body, printed %x),
revision, total keys, total size and storage version 3.6.0."""
from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import zlib
from typing import NamedTuple

from kcore.etcd.store import EtcdError, KeyValue, Store

__all__ = ["SnapshotError", "SnapshotStatus", "save", "restore", "status", "humanize_bytes",
           "write_data_dir", "read_data_dir",
           "STORAGE_VERSION"]

MAGIC = b"kcore-etcd-snapshot v1\n"
STORAGE_VERSION = "3.6.0"


class SnapshotError(EtcdError):
    """A snapshot that cannot be read; `str()` is etcdutl's message (printed after 'Error: ')."""


class SnapshotStatus(NamedTuple):
    hash: int
    revision: int
    total_keys: int
    total_size: int
    version: str

    def row(self) -> list[str]:
        return [f"{self.hash:x}", str(self.revision), str(self.total_keys),
                humanize_bytes(self.total_size), self.version]


def humanize_bytes(n: int) -> str:
    """go-humanize Bytes (SI units), as etcdctl prints sizes: 4.2 MB, 2.1 GB, 20 kB."""
    if n < 10:
        return f"{n} B"
    sizes = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
    e = math.floor(math.log(n) / math.log(1000))
    val = math.floor(n / 1000 ** e * 10 + 0.5) / 10
    return f"{val:.1f} {sizes[e]}" if val < 10 else f"{val:.0f} {sizes[e]}"


def encode(store: Store) -> bytes:
    keys = []
    for key in sorted(store._hist):
        keys.append([key, [[base64.b64encode(kv.value).decode(), kv.create_revision,
                            kv.mod_revision, kv.version] for kv in store._hist[key]]])
    doc = {"revision": store.revision, "compact_revision": store.compact_revision,
           "version": STORAGE_VERSION, "keys": keys}
    body = MAGIC + json.dumps(doc, separators=(",", ":")).encode()
    # pad like a bbolt file would be: whole pages, at least the store's db size
    body += b"\n" * max(-len(body) % 512, store.db_size() - len(body) - 32)
    body += b"\n" * (-len(body) % 512)
    return body + hashlib.sha256(body).digest()


def _go_bytes(b: bytes) -> str:
    return "[" + " ".join(str(x) for x in b) + "]"


def _read_body(path) -> bytes:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise SnapshotError(f"stat {path}: no such file or directory") from None
    except IsADirectoryError:
        raise SnapshotError(f"read {path}: is a directory") from None
    if len(data) % 512 != hashlib.sha256().digest_size:
        raise SnapshotError("snapshot missing hash but --skip-hash-check=false")
    body, sha = data[:-32], data[-32:]
    actual = hashlib.sha256(body).digest()
    if sha != actual:
        raise SnapshotError(f"expected sha256 {_go_bytes(sha)}, got {_go_bytes(actual)}")
    return body


def _decode(body: bytes) -> dict:
    if not body.startswith(MAGIC):
        raise SnapshotError("invalid database")
    try:
        return json.loads(body[len(MAGIC):].rstrip(b"\n"))
    except ValueError:
        raise SnapshotError("invalid database") from None


def save(store: Store, path) -> SnapshotStatus:
    data = encode(store)
    part = f"{path}.part"
    with open(part, "wb") as f:
        f.write(data)
    os.replace(part, path)
    return status(path)


def restore(path) -> Store:
    doc = _decode(_read_body(path))
    histories = {key: [KeyValue(key, base64.b64decode(v), c, m, ver) for v, c, m, ver in hist]
                 for key, hist in doc["keys"]}
    return Store._from_history(doc["revision"], doc["compact_revision"], histories)


def status(path) -> SnapshotStatus:
    body = _read_body(path)
    doc = _decode(body)
    live = sum(1 for _key, hist in doc["keys"] if hist and hist[-1][3])
    return SnapshotStatus(zlib.crc32(body), doc["revision"], live, len(body) + 32,
                          doc.get("version", STORAGE_VERSION))


# ---- data directories (what etcdutl restore creates and the etcd pod reads) --------------------

DB_PATH = os.path.join("member", "snap", "db")
WAL_PATH = os.path.join("member", "wal", "0000000000000000-0000000000000000.wal")


def write_data_dir(store: Store, data_dir) -> None:
    """Lay out an etcd data dir: member/snap/db (this module's framing) and an empty WAL."""
    for sub in ("member", os.path.join("member", "snap"), os.path.join("member", "wal")):
        os.makedirs(os.path.join(data_dir, sub), mode=0o700, exist_ok=True)
    os.chmod(data_dir, 0o700)
    with open(os.path.join(data_dir, DB_PATH), "wb") as f:
        f.write(encode(store))
    with open(os.path.join(data_dir, WAL_PATH), "wb") as f:
        f.write(b"")


def read_data_dir(data_dir) -> Store:
    """The store an etcd started on `data_dir` would serve; an empty store for a fresh dir."""
    path = os.path.join(data_dir, DB_PATH)
    if not os.path.exists(path):
        return Store()
    return restore(path)
