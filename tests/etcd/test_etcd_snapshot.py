"""Snapshot save/restore keeps revisions and history; etcdutl's messages for bad files."""
from __future__ import annotations

import pytest

from kcore.etcd import SnapshotError, Store
from kcore.etcd import snapshot


def sample() -> Store:
    s = Store()
    s.put("/registry/pods/default/web", b'{"kind":"Pod"}')
    s.put("/registry/pods/default/web", b'{"kind":"Pod","v":2}')
    s.put("/registry/namespaces/default", b'{"kind":"Namespace"}')
    s.delete("/registry/pods/default/web")
    s.put("/registry/pods/default/api", b"\x00k8s binary")
    return s


def test_restore_gives_back_the_same_keys_revisions_and_history(tmp_path):
    s = sample()
    info = s.snapshot_save(tmp_path / "etcd.db")
    r = Store.snapshot_restore(tmp_path / "etcd.db")
    assert r.revision == s.revision == 6 and info.revision == 6
    assert r.range("/") == s.range("/")
    assert r.get("/registry/pods/default/web", revision=3).value == b'{"kind":"Pod","v":2}'
    seen, again = [], []
    s.watch("/", seen.append, start_revision=1)
    r.watch("/", again.append, start_revision=1)
    assert again == seen
    assert r.put("/x", b"1").mod_revision == 7


def test_snapshot_file_is_etcd_framed(tmp_path):
    sample().snapshot_save(tmp_path / "etcd.db")
    size = (tmp_path / "etcd.db").stat().st_size
    assert size % 512 == 32
    assert not (tmp_path / "etcd.db.part").exists()


def test_status_reports_hash_revision_keys_size(tmp_path):
    st = sample().snapshot_save(tmp_path / "etcd.db")
    assert (st.revision, st.total_keys, st.version) == (6, 2, "3.6.0")
    assert st.row()[0] == f"{st.hash:x}" and st.row()[3].endswith("kB")


def test_compaction_point_survives_a_restore(tmp_path):
    s = sample()
    s.compact(4)
    s.snapshot_save(tmp_path / "db")
    r = Store.snapshot_restore(tmp_path / "db")
    assert r.compact_revision == 4
    with pytest.raises(Exception, match="compacted"):
        r.get("/registry/namespaces/default", revision=3)


def corrupt(path):
    data = bytearray(path.read_bytes())
    data[40] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(path):
    path.write_bytes(path.read_bytes()[:-1])


@pytest.mark.parametrize("damage, message", [
    pytest.param(corrupt, r"^expected sha256 \[[0-9 ]+\], got \[[0-9 ]+\]$",
                 id="a flipped byte fails the integrity hash with etcdutl's message"),
    pytest.param(truncate, r"^snapshot missing hash but --skip-hash-check=false$",
                 id="a truncated file has no recognisable hash"),
    pytest.param(lambda p: p.unlink(), r"^stat .*db: no such file or directory$",
                 id="a missing file is reported like Go's stat"),
])
def test_damaged_snapshot_is_refused(tmp_path, damage, message):
    path = tmp_path / "db"
    sample().snapshot_save(path)
    damage(path)
    with pytest.raises(SnapshotError, match=message):
        Store.snapshot_restore(path)


@pytest.mark.parametrize("n, text", [
    pytest.param(5, "5 B", id="tiny sizes print in bytes"),
    pytest.param(20480, "20 kB", id="an empty etcd db is 20 kB"),
    pytest.param(4200000, "4.2 MB", id="one decimal below ten"),
    pytest.param(2147483648, "2.1 GB", id="the default 2 GiB quota prints 2.1 GB"),
])
def test_humanize_bytes(n, text):
    assert snapshot.humanize_bytes(n) == text
