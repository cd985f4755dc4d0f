"""How a failed check is told, and the one door through which checks read the cluster.

CheckFailed is an AssertionError whose str() — and, in IPython, whose whole traceback — is
the explanation: expected, found, details, where to look, an optional hint. explain() renders
those parts the same way everywhere. Reader reads state only through
`cluster.kubectl([... "-o", "json"])`, so checks never touch engine internals."""
from __future__ import annotations

import json
import re
from typing import Any, Iterable

from kcore.notebook import session


class CheckFailed(AssertionError):
    """A graded check failed; str() is the explanation for the learner, nothing else."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def _render_traceback_(self) -> list[str]:
        """IPython shows this instead of a traceback: the explanation, no source lines."""
        return self.message.splitlines()


class GraderError(CheckFailed):
    """The grader could not read the cluster (kubectl failed in an unexpected way)."""


def explain(expected: str, found: str, details: Iterable[str] = (), look: str = "",
            hint: str | None = None) -> str:
    """Render the three parts of every failure: expected; found / details / where to look."""
    lines = [f"{expected}; {found}."]
    lines += [d for d in details if d]
    if look:
        lines.append(f"Look at: {look}")
    if hint:
        lines.append(f"Hint: {hint}")
    return "\n".join(lines)


def _ns_flag(namespace: str | None) -> str:
    return f" -n {namespace}" if namespace else ""


def _where(namespace: str | None) -> str:
    return f" in namespace '{namespace}'" if namespace else ""


def dig(obj: Any, path: str) -> Any:
    """Follow a path like 'spec.containers[0].image' (leading dot optional); None if absent."""
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path.lstrip(".")):
        if part.startswith("["):
            index = int(part[1:-1])
            obj = obj[index] if isinstance(obj, list) and index < len(obj) else None
        else:
            obj = obj.get(part) if isinstance(obj, dict) else None
        if obj is None:
            return None
    return obj


_SCALE = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12,
              "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}


def same_quantity(a: Any, b: Any) -> bool:
    """'500m' == '0.5', '1Gi' == '1024Mi'; falls back to text equality."""
    def value(q: Any) -> float | None:
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(q))
        if not m:
            return None
        number, unit = float(m.group(1)), m.group(2)
        if unit in ("m",):
            return number
        if unit in _SCALE:
            return number * _SCALE[unit] * 1000
        return None
    va, vb = value(a), value(b)
    return va == vb if va is not None and vb is not None else str(a) == str(b)


class Reader:
    """Reads cluster state through kubectl -o json; the only door to the cluster."""

    def __init__(self, cluster: Any = None):
        self._cluster = cluster

    @property
    def cluster(self) -> Any:
        return session.resolve(self._cluster)

    def kubectl(self, args: list[str]) -> Any:
        try:
            return self.cluster.kubectl(args)
        except Exception as exc:  # the grader must fail with words, not a traceback
            raise GraderError(f"The grader could not run `kubectl {' '.join(args)}`: {exc}") from None

    def get(self, resource: str, name: str, namespace: str | None) -> dict | None:
        args = ["get", resource, name, "-o", "json"] + (["-n", namespace] if namespace else [])
        result = self.kubectl(args)
        if result.returncode == 0:
            return self._json(result.stdout, args)
        if "NotFound" in result.stderr or "not found" in result.stderr:
            return None
        raise GraderError(f"The grader could not read {resource} '{name}': {result.stderr.strip()}")

    def list(self, resource: str, namespace: str | None = None, all_namespaces: bool = False) -> list[dict]:
        args = ["get", resource, "-o", "json"]
        if all_namespaces:
            args.append("-A")
        elif namespace:
            args += ["-n", namespace]
        result = self.kubectl(args)
        if result.returncode != 0:
            return []
        return self._json(result.stdout, args).get("items", [])

    def events_for(self, kind: str, name: str, namespace: str | None) -> list[dict]:
        items = self.list("events", namespace or "default")
        mine = [e for e in items if dig(e, "involvedObject.name") == name
                and dig(e, "involvedObject.kind") in (kind, None)]
        return sorted(mine, key=lambda e: (e.get("lastTimestamp") or e.get("eventTime") or "",
                                           int(dig(e, "metadata.resourceVersion") or 0)
                                           if str(dig(e, "metadata.resourceVersion") or "0").isdigit() else 0))

    @staticmethod
    def _json(text: str, args: list[str]) -> dict:
        try:
            return json.loads(text)
        except ValueError:
            raise GraderError(f"The grader got unreadable output from `kubectl {' '.join(args)}`") from None
