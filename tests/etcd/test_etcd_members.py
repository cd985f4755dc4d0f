"""The HA model: quorum arithmetic, failures, and what a client sees."""
from __future__ import annotations

import pytest

from kcore.etcd.members import Cluster, QuorumError, fault_tolerance_table, member_id


@pytest.mark.parametrize("peer, expected", [
    pytest.param("https://127.0.0.1:2380", "a874c87fd42044f", id="the loopback member ID matches a real etcd run"),
    pytest.param("https://192.168.121.10:2380", "d5041c28718dadee", id="the controlplane member ID matches the reference"),
])
def test_member_id_is_etcds(peer, expected):
    assert f"{member_id([peer]):x}" == expected


def test_fault_tolerance_table_matches_etcd_faq():
    rows = [(r["size"], r["majority"], r["failure_tolerance"]) for r in fault_tolerance_table()]
    assert rows == [(1, 1, 0), (2, 2, 0), (3, 2, 1), (4, 3, 1), (5, 3, 2), (6, 4, 2), (7, 4, 3)]


@pytest.mark.parametrize("size, failed, error", [
    pytest.param(3, [], None, id="a healthy three-member cluster accepts writes"),
    pytest.param(3, ["controlplane2"], None, id="three members survive one follower failure"),
    pytest.param(3, ["controlplane"], None, id="three members survive losing the leader (a new one is elected)"),
    pytest.param(3, ["controlplane2", "controlplane3"], "etcdserver: request timed out",
                 id="a leader without quorum cannot commit: request timed out"),
    pytest.param(3, ["controlplane", "controlplane2"], "etcdserver: no leader",
                 id="without quorum and without the leader there is no leader"),
    pytest.param(2, ["controlplane2"], "etcdserver: request timed out",
                 id="two members tolerate no failure at all"),
    pytest.param(5, ["controlplane2", "controlplane3"], None, id="five members survive two failures"),
])
def test_writes_need_quorum(size, failed, error):
    c = Cluster.of(size)
    for name in failed:
        c.fail(name)
    assert c.write_error() == error
    if error:
        with pytest.raises(QuorumError, match=f"^{error}$"):
            c.put("/a", b"1")
        assert c.store.revision == 1
    else:
        assert c.put("/a", b"1").mod_revision == 2


def test_leader_election_and_recovery():
    c = Cluster.of(3)
    assert c.leader.name == "controlplane" and c.term == 2
    c.fail("controlplane")
    assert c.leader.name == "controlplane2" and c.term == 3
    c.fail("controlplane3")
    assert c.leader is None and c.write_error() == "etcdserver: request timed out"
    c.recover("controlplane3")
    assert c.leader.name == "controlplane2" and c.write_error() is None
    rows = c.status_rows()
    assert [r["status"] for r in rows] == ["stopped", "started", "started"]
    assert [r["leader"] for r in rows] == [False, True, False]


def test_cluster_id_matches_etcdutl_restore_defaults():
    from kcore.etcd.members import cluster_id
    assert f"{cluster_id([0x8e9e05c52164694d]):x}" == "cdf818194e3a8c32"
