"""An etcd cluster as the HA chapter draws it: N members, one leader, and a quorum of N//2+1.

Raft commits a write once a majority of members has it, so a cluster of N members survives
(N-1)//2 failures; an even member count adds a member without adding tolerance. This module is
a pure model of that arithmetic and of what clients see:

- with quorum, writes go through the leader to the shared `Store`;
- quorum lost while the old leader is still up: its proposals never commit and the client gets
  "etcdserver: request timed out";
- quorum lost and the leader gone: no election can succeed, "etcdserver: no leader".

Leader election is deterministic: the surviving leader keeps its term; otherwise the first
started member (in member order) wins and the raft term goes up by one. Member IDs are etcd's:
the first 8 bytes of sha1(sorted peer URLs joined + cluster token), printed %x."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from kcore.etcd.store import EtcdError, Store

__all__ = ["Member", "Cluster", "EtcdCluster", "QuorumError", "member_id", "cluster_id", "quorum", "fault_tolerance",
           "fault_tolerance_table", "ErrTimeout", "ErrNoLeader"]

ErrTimeout = "etcdserver: request timed out"
ErrNoLeader = "etcdserver: no leader"


class QuorumError(EtcdError):
    """A request refused because the cluster has no quorum; `str()` is etcd's message."""


def member_id(peer_urls: list[str], token: str = "etcd-cluster") -> int:
    digest = hashlib.sha1(("".join(sorted(peer_urls)) + token).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def cluster_id(member_ids: list[int]) -> int:
    """etcd's cluster ID: sha1 over the sorted member IDs (8 bytes big-endian each)."""
    data = b"".join(i.to_bytes(8, "big") for i in sorted(member_ids))
    return int.from_bytes(hashlib.sha1(data).digest()[:8], "big")


def quorum(size: int) -> int:
    return size // 2 + 1


def fault_tolerance(size: int) -> int:
    return size - quorum(size) if size > 0 else 0


def fault_tolerance_table(max_size: int = 7) -> list[dict]:
    """etcd's FAQ table: cluster size, majority, failure tolerance."""
    return [{"size": n, "majority": quorum(n), "failure_tolerance": fault_tolerance(n)}
            for n in range(1, max_size + 1)]


@dataclass
class Member:
    name: str
    ip: str
    started: bool = True
    is_learner: bool = False
    token: str = "etcd-cluster"

    @property
    def peer_url(self) -> str:
        return f"https://{self.ip}:2380"

    @property
    def client_url(self) -> str:
        return f"https://{self.ip}:2379"

    @property
    def id(self) -> int:
        return member_id([self.peer_url], self.token)

    @property
    def hex_id(self) -> str:
        return f"{self.id:x}"


@dataclass
class Cluster:
    """N etcd members sharing one Store. `fail(name)`/`recover(name)` change availability."""
    members: list[Member]
    store: Store = field(default_factory=Store)
    term: int = 1
    leader_name: str | None = None

    def __post_init__(self):
        if not self.members:
            raise ValueError("an etcd cluster needs at least one member")
        if self.leader_name is None:
            self._elect()

    @classmethod
    def of(cls, size: int, names: list[str] | None = None, base_ip: str = "192.168.121.",
           first_host: int = 10, store: Store | None = None) -> "Cluster":
        names = names or (["controlplane"] + [f"controlplane{i}" for i in range(2, size + 1)])[:size]
        members = [Member(n, f"{base_ip}{first_host + i}") for i, n in enumerate(names)]
        return cls(members, store or Store())

    @classmethod
    def single(cls, store: Store, name: str = "controlplane", ip: str = "192.168.121.10") -> "Cluster":
        """The one-member etcd of a kubeadm control plane, around an existing store."""
        return cls([Member(name, ip)], store)

    @property
    def id(self) -> int:
        return cluster_id([m.id for m in self.members])

    # ---- membership arithmetic -------------------------------------------------------------
    @property
    def size(self) -> int:
        return len([m for m in self.members if not m.is_learner])

    @property
    def quorum(self) -> int:
        return quorum(self.size)

    @property
    def fault_tolerance(self) -> int:
        return fault_tolerance(self.size)

    @property
    def healthy(self) -> list[Member]:
        return [m for m in self.members if m.started and not m.is_learner]

    @property
    def has_quorum(self) -> bool:
        return len(self.healthy) >= self.quorum

    @property
    def leader(self) -> Member | None:
        if self.leader_name is None or not self.has_quorum:
            return None
        return self.member(self.leader_name)

    def member(self, name: str) -> Member:
        for m in self.members:
            if m.name == name:
                return m
        raise KeyError(name)

    # ---- failures --------------------------------------------------------------------------
    def fail(self, name: str) -> None:
        self.member(name).started = False
        if self.leader_name == name:
            self.leader_name = None
        self._elect()

    def recover(self, name: str) -> None:
        self.member(name).started = True
        self._elect()

    def add_member(self, name: str, ip: str) -> Member:
        m = Member(name, ip)
        self.members.append(m)
        self._elect()
        return m

    def remove_member(self, name: str) -> None:
        m = self.member(name)
        self.members.remove(m)
        if self.leader_name == name:
            self.leader_name = None
        self._elect()

    def _elect(self) -> None:
        if self.leader_name is not None:
            return                      # a live leader keeps its term, even without quorum
        if not self.has_quorum:
            return
        self.leader_name = self.healthy[0].name
        self.term += 1

    # ---- client view -----------------------------------------------------------------------
    def write_error(self) -> str | None:
        """None if a write would commit, else etcd's error message."""
        if self.has_quorum and self.leader_name is not None:
            return None
        if self.leader_name is not None and self.member(self.leader_name).started:
            return ErrTimeout
        return ErrNoLeader

    def check_write(self) -> None:
        msg = self.write_error()
        if msg is not None:
            raise QuorumError(msg)

    def put(self, key: str, value: bytes):
        self.check_write()
        return self.store.put(key, value)

    def delete(self, key: str):
        self.check_write()
        return self.store.delete(key)

    def txn(self, compares, success=(), failure=()):
        self.check_write()
        return self.store.txn(compares, success, failure)

    def get(self, key: str):
        self.check_write()              # linearizable reads need the leader too
        return self.store.get(key)

    def range(self, prefix: str = "", **kw):
        self.check_write()
        return self.store.range(prefix, **kw)

    def status_rows(self) -> list[dict]:
        """One row per member, as the quorum widget shows it."""
        leader = self.leader
        return [{"name": m.name, "id": m.hex_id, "status": "started" if m.started else "stopped",
                 "leader": leader is not None and m.name == leader.name,
                 "is_learner": m.is_learner} for m in self.members]


EtcdCluster = Cluster      # the same class, for readers who also import kcore.Cluster
