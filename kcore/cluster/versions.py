"""Which component versions go with which Kubernetes minor release (kubeadm's tables)."""
from __future__ import annotations

ETCD_FOR = {"1.33": "3.5.21-0", "1.34": "3.6.5-0", "1.35": "3.6.6-0", "1.36": "3.6.6-0"}
COREDNS_FOR = {"1.33": "v1.12.0", "1.34": "v1.12.1", "1.35": "v1.13.1", "1.36": "v1.13.1"}
PATCHES = {"1.33": 7, "1.34": 3, "1.35": 2, "1.36": 0}


def minor(v: str) -> str:
    return ".".join(v.lstrip("v").split(".")[:2])


def available(m: str) -> list[str]:
    return [f"{m}.{p}" for p in range(PATCHES.get(m, 0) + 1)]


def all_versions() -> list[str]:
    return ["v" + v for m in PATCHES for v in available(m)]
