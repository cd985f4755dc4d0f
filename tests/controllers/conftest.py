"""Fixtures for controller tests: one real cluster per test module, and small helpers.

A Cluster takes about a second to build, so tests in one module share it and keep apart by
namespace; helpers apply YAML through kubectl and read objects back as kubectl prints them."""
from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def cluster():
    import kcore.cluster as kc
    c = kc.Cluster()
    yield c
    close = getattr(c, "close", None)
    if close is not None:
        close()


def apply(c, text: str, namespace: str | None = None):
    args = "apply -f -" + (f" -n {namespace}" if namespace else "")
    r = c.kubectl(args, stdin=text)
    assert r.returncode == 0, r.stderr
    return r


def get_json(c, what: str, namespace: str | None = None):
    args = f"get {what} -o json" + (f" -n {namespace}" if namespace else "")
    r = c.kubectl(args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def items(c, what: str, namespace: str | None = None) -> list[dict]:
    return get_json(c, what, namespace)["items"]


def names(c, what: str, namespace: str | None = None) -> list[str]:
    return sorted(o["metadata"]["name"] for o in items(c, what, namespace))


def events(c, namespace: str, reason: str | None = None) -> list[dict]:
    evs = items(c, "events", namespace)
    evs.sort(key=lambda e: (e.get("lastTimestamp") or "", e["metadata"]["name"]))
    return [e for e in evs if reason is None or e.get("reason") == reason]


def namespace(c, name: str) -> str:
    apply(c, f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n")
    return name
