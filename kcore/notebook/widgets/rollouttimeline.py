"""RolloutTimeline: how a Deployment's ReplicaSets grew and shrank over virtual time during
a rollout — the old ReplicaSet stepping down while the new one steps up (RollingUpdate), or
dropping to zero before the new one starts (Recreate).

The record is the deployment controller's own: its ScalingReplicaSet events ("Scaled up
replica set web-5d8f9c7b6d from 0 to 3" — older clusters write "... to 3"), each with its
timestamp, plus the ReplicaSets' current sizes. timeline() turns them into samples; the
DOT is a table, one row per ReplicaSet (by revision), one column per moment, a bar of ■ per
replica."""
from __future__ import annotations

import json
import re
from typing import Any

from kcore.notebook.widgets.render import LiveView, h, html_table, human_seconds, q

_SCALED = re.compile(r"Scaled (?:up|down) replica set (\S+) (?:from (\d+) )?to (\d+)")
REVISION = "deployment.kubernetes.io/revision"
ROW_COLORS = ("#93c5fd", "#86efac", "#fcd34d", "#f9a8d4", "#c4b5fd", "#fdba74")


def rfc3339_seconds(text: str) -> float:
    """'2026-01-01T00:01:05Z' (fraction and offset allowed) -> seconds since 1970, computed by
    hand: civil-date arithmetic, no clock involved."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)", text.strip())
    if not m:
        raise ValueError(f"not an RFC 3339 time: {text!r}")
    y, mo, d, hh, mm, ss = (int(g) for g in m.groups()[:6])
    y -= mo <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (mo + (-3 if mo > 2 else 9)) + 2) // 5 + d - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    offset = 0 if m.group(8) == "Z" else (1 if m.group(8)[0] == "+" else -1) * (
        int(m.group(8)[1:3]) * 3600 + int(m.group(8)[4:6]) * 60)
    return days * 86400 + hh * 3600 + mm * 60 + ss + float(m.group(7) or 0) - offset


def _event_time(event: dict) -> str:
    return event.get("lastTimestamp") or event.get("eventTime") or event.get("firstTimestamp") or \
        (event.get("metadata") or {}).get("creationTimestamp") or ""


def timeline(events: list[dict], deployment: str, replicasets: list[dict] = ()) -> dict:
    """{"replicasets": [{"name", "revision"}], "samples": [{"t", "sizes": {rs: n}}]} from the
    deployment's ScalingReplicaSet events (t relative to the first) and current RS sizes."""
    scaling = [e for e in events if e.get("reason") == "ScalingReplicaSet"
               and (e.get("involvedObject") or {}).get("name") == deployment]
    scaling.sort(key=lambda e: (rfc3339_seconds(_event_time(e)) if _event_time(e) else 0.0))
    owned = [rs for rs in replicasets
             if any(o.get("kind") == "Deployment" and o.get("name") == deployment
                    for o in (rs.get("metadata") or {}).get("ownerReferences") or [])]
    revisions = {rs["metadata"]["name"]: int((rs["metadata"].get("annotations") or {}).get(REVISION, 0) or 0)
                 for rs in owned}
    parsed = []
    for event in scaling:
        m = _SCALED.search(event.get("message", ""))
        if m:
            t = rfc3339_seconds(_event_time(event)) if _event_time(event) else 0.0
            parsed.append((t, m.group(1), None if m.group(2) is None else int(m.group(2)), int(m.group(3))))
    sizes: dict[str, int] = {}
    samples: list[dict] = []
    start = parsed[0][0] if parsed else 0.0
    # Timestamps have one-second resolution, so several steps share one; within a second the
    # "from N" of each step says which comes next for its ReplicaSet.
    for t in sorted({p[0] for p in parsed}):
        pending = [p for p in parsed if p[0] == t]
        while pending:
            step = next((p for p in pending if p[2] is None or sizes.get(p[1], p[2]) == p[2]), pending[0])
            pending.remove(step)
            _, name, before, after = step
            if before is not None and name not in sizes:
                sizes[name] = before
            if not samples and before is not None:
                samples.append({"t": 0.0, "sizes": dict(sizes)})
            sizes[name] = after
            revisions.setdefault(name, 0)
        rel = t - start
        if samples and samples[-1]["t"] == rel:
            samples[-1]["sizes"] = dict(sizes)
        else:
            samples.append({"t": rel, "sizes": dict(sizes)})
    now = {rs["metadata"]["name"]: int((rs.get("spec") or {}).get("replicas") or 0) for rs in owned}
    if now and (not samples or any(samples[-1]["sizes"].get(k, 0) != v for k, v in now.items())):
        samples.append({"t": None, "sizes": {**(samples[-1]["sizes"] if samples else {}), **now}})
    order = sorted(revisions, key=lambda n: (revisions[n] or 10**9, n))
    return {"replicasets": [{"name": n, "revision": revisions[n]} for n in order], "samples": samples}


def _label(sample: dict) -> str:
    return "now" if sample["t"] is None else human_seconds(sample["t"])


def build_dot(model: dict) -> str:
    rows = ['<TR><TD BGCOLOR="#e5e7eb"><B>ReplicaSet</B></TD>'
            + "".join(f'<TD BGCOLOR="#e5e7eb"><B>{h(_label(s))}</B></TD>' for s in model["samples"]) + "</TR>"]
    for index, rs in enumerate(model["replicasets"]):
        color = ROW_COLORS[index % len(ROW_COLORS)]
        rev = f"rev {rs['revision']} " if rs["revision"] else ""
        cells = ""
        for sample in model["samples"]:
            n = sample["sizes"].get(rs["name"], 0)
            cells += f'<TD ALIGN="LEFT" BGCOLOR="{color if n else "#ffffff"}">{h("■" * n)} {n}</TD>'
        rows.append(f'<TR><TD ALIGN="LEFT">{h(rev + rs["name"])}</TD>{cells}</TR>')
    if not model["samples"]:
        rows.append('<TR><TD>no scaling recorded yet</TD></TR>')
    table = '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">' + "".join(rows) + "</TABLE>>"
    return ("digraph rollout {\n"
            '  graph [fontname="Helvetica", labelloc=t, label="ReplicaSet sizes over virtual time"];\n'
            '  node [fontname="Helvetica", fontsize=10, shape=plaintext];\n'
            f"  table [label={table}];\n"
            "}\n")


def build_html(model: dict) -> str:
    rows = [[(f"rev {rs['revision']} " if rs["revision"] else "") + rs["name"],
             *[str(s["sizes"].get(rs["name"], 0)) for s in model["samples"]]] for rs in model["replicasets"]]
    return html_table(["ReplicaSet", *[_label(s) for s in model["samples"]]], rows, "ReplicaSet sizes over time")


class RolloutTimeline(LiveView):
    """RolloutTimeline("web", namespace="default"): the rollout history of one Deployment."""

    def __init__(self, deployment: str, namespace: str = "default", cluster: Any = None, live: bool = True):
        self.deployment, self.namespace = deployment, namespace
        super().__init__(cluster, live)

    def _items(self, resource: str) -> list[dict]:
        result = self.cluster.kubectl(["get", resource, "-n", self.namespace, "-o", "json"])
        return json.loads(result.stdout).get("items", []) if result.returncode == 0 else []

    def model(self) -> dict:
        return timeline(self._items("events"), self.deployment, self._items("replicasets"))

    def build_dot(self, model: dict) -> str:
        return build_dot(model)

    def build_html(self, model: dict) -> str:
        return build_html(model)
