"""ClusterView: the cluster map — nodes as boxes holding their pods (coloured by status), the
control-plane components marked as such, pods no node has taken yet, and Services with arrows
to the pods behind their endpoints.

build_dot() and build_html() are pure functions of the lists `kubectl get ... -o json`
returns, so the picture is tested on plain dicts; the widget only fetches and redraws."""
from __future__ import annotations

import json
from typing import Any, Iterable

from kcore.notebook.widgets.render import PHASE_COLORS, LiveView, h, html_table, q

CONTROL_PLANE = ("kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager")


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def pod_id(namespace: str, name: str) -> str:
    return f"pod/{namespace}/{name}"


def pod_status(pod: dict) -> str:
    """The STATUS kubectl get pods shows, in short: a waiting/terminated reason wins over the
    phase; a pod being deleted is Terminating."""
    if _get(pod, "metadata", "deletionTimestamp"):
        return "Terminating"
    for cs in (_get(pod, "status", "containerStatuses") or []):
        waiting = _get(cs, "state", "waiting", "reason")
        if waiting and waiting != "ContainerCreating":
            return waiting
        terminated = _get(cs, "state", "terminated", "reason")
        if terminated and _get(pod, "status", "phase") != "Succeeded":
            return terminated
    return _get(pod, "status", "phase") or "Unknown"


def status_color(status: str) -> str:
    if status in PHASE_COLORS:
        return PHASE_COLORS[status]
    return PHASE_COLORS["Failed"] if status.endswith(("BackOff", "Error", "Killed")) else PHASE_COLORS["Pending"]


def component_of(pod: dict) -> str | None:
    """'kube-scheduler' for the scheduler's static pod, None for an ordinary pod."""
    labels = _get(pod, "metadata", "labels") or {}
    if _get(pod, "metadata", "namespace") != "kube-system":
        return None
    component = labels.get("component")
    if component in CONTROL_PLANE or labels.get("tier") == "control-plane":
        return component or _get(pod, "metadata", "name")
    return None


def node_summary(node: dict) -> str:
    labels = _get(node, "metadata", "labels") or {}
    roles = sorted(k.split("/", 1)[1] for k in labels if k.startswith("node-role.kubernetes.io/"))
    ready = next((c.get("status") for c in _get(node, "status", "conditions") or [] if c.get("type") == "Ready"), None)
    state = "Ready" if ready == "True" else "NotReady"
    if _get(node, "spec", "unschedulable"):
        state += ",SchedulingDisabled"
    role = ",".join(roles) or "<none>"
    return f"{state}  {role}"


def endpoint_targets(endpoints: Iterable[dict]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(namespace, service) -> [(namespace, pod)] from Endpoints or EndpointSlice objects."""
    targets: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for ep in endpoints:
        ns = _get(ep, "metadata", "namespace") or "default"
        if ep.get("kind") == "EndpointSlice" or "endpoints" in ep:
            service = (_get(ep, "metadata", "labels") or {}).get("kubernetes.io/service-name")
            refs = [e.get("targetRef") for e in ep.get("endpoints") or []]
        else:
            service = _get(ep, "metadata", "name")
            refs = [a.get("targetRef") for s in ep.get("subsets") or [] for a in s.get("addresses") or []]
        for ref in refs:
            if service and ref and ref.get("kind", "Pod") == "Pod":
                targets.setdefault((ns, service), []).append((ref.get("namespace") or ns, ref.get("name")))
    return targets


def _pod_order(pod: dict) -> tuple:
    """Control-plane components first, then the user's pods, then add-ons (kube-* namespaces)."""
    ns = _get(pod, "metadata", "namespace") or "default"
    group = 0 if component_of(pod) else (2 if ns.startswith("kube-") else 1)
    return (group, ns, _get(pod, "metadata", "name") or "")


def _visible(namespace: str, namespaces: Iterable[str] | None) -> bool:
    return namespaces is None or namespace in namespaces


def build_dot(nodes: list[dict], pods: list[dict], services: list[dict] = (), endpoints: list[dict] = (),
              namespaces: Iterable[str] | None = None) -> str:
    """The cluster map in DOT. `namespaces` limits the ordinary pods and services shown;
    control-plane components are always drawn."""
    namespaces = None if namespaces is None else set(namespaces)
    lines = ["digraph cluster {",
             '  graph [rankdir=TB, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.5, newrank=true];',
             '  node [fontname="Helvetica", fontsize=10, shape=box, style="rounded,filled", fillcolor="#ffffff"];',
             '  edge [color="#6b7280", arrowsize=0.6];']
    by_node: dict[str | None, list[dict]] = {}
    for pod in sorted(pods, key=_pod_order):
        ns = _get(pod, "metadata", "namespace") or "default"
        if component_of(pod) or _visible(ns, namespaces):
            by_node.setdefault(_get(pod, "spec", "nodeName") or None, []).append(pod)
    shown: dict[str, None] = {}
    columns: list[list[str]] = []   # pod ids per node box, left to right

    def pod_line(pod: dict) -> str:
        ns, name = _get(pod, "metadata", "namespace") or "default", _get(pod, "metadata", "name")
        component, status = component_of(pod), pod_status(pod)
        shown[pod_id(ns, name)] = None
        if component:
            return (f"    {q(pod_id(ns, name))} [label={q(component + chr(10) + status)}, shape=component, "
                    f'style=filled, fillcolor={q(status_color(status))}];')
        label = name if ns == "default" else f"{name}\n({ns})"
        style = '"rounded,filled,dashed"' if status == "Terminating" else '"rounded,filled"'
        return f"    {q(pod_id(ns, name))} [label={q(label + chr(10) + status)}, style={style}, fillcolor={q(status_color(status))}];"

    for index, node in enumerate(sorted(nodes, key=lambda n: _get(n, "metadata", "name") or "")):
        name = _get(node, "metadata", "name")
        ready = "NotReady" not in node_summary(node)
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    label={q(name + '  ' + node_summary(node))}; style=rounded; "
                     f"color={q('#2563eb' if ready else '#dc2626')}; fontname=\"Helvetica-Bold\";")
        members = by_node.pop(name, [])
        if not members:
            lines.append(f"    {q('empty/' + name)} [label=\"no pods\", shape=plaintext, style=\"\"];")
        lines += [pod_line(p) for p in members]
        columns.append([pod_id(_get(p, "metadata", "namespace") or "default", _get(p, "metadata", "name"))
                        for p in members] or ["empty/" + name])
        lines.append("  }")
    orphans = [p for key, group in by_node.items() for p in group]
    if orphans:
        lines.append("  subgraph cluster_unscheduled {")
        lines.append('    label="not scheduled (no node yet)"; style="rounded,dashed"; color="#d97706";')
        lines += [pod_line(p) for p in orphans]
        columns.append([pod_id(_get(p, "metadata", "namespace") or "default", _get(p, "metadata", "name"))
                        for p in orphans])
        lines.append("  }")
    # Services stand in the top row; an invisible anchor there keeps every pod below them, and
    # invisible links stack each node's pods in a column, so nodes sit side by side, narrow.
    lines.append('  "top" [style=invis, shape=point, width=0];')
    for column in columns:
        chain = " -> ".join(q(pid) for pid in ["top", *column])
        lines.append(f"  {chain} [style=invis];")
    targets = endpoint_targets(endpoints)
    top_row = ['"top"']
    for svc in sorted(services, key=lambda s: (_get(s, "metadata", "namespace") or "", _get(s, "metadata", "name") or "")):
        ns, name = _get(svc, "metadata", "namespace") or "default", _get(svc, "metadata", "name")
        if not _visible(ns, namespaces):
            continue
        kind = _get(svc, "spec", "type") or "ClusterIP"
        ports = ",".join(f"{p.get('port')}" + (f":{p['nodePort']}" if p.get("nodePort") else "")
                         for p in _get(svc, "spec", "ports") or [])
        label = f"svc {name if ns == 'default' else ns + '/' + name}\n{kind} {_get(svc, 'spec', 'clusterIP') or ''}:{ports}"
        sid = f"svc/{ns}/{name}"
        lines.append(f"  {q(sid)} [label={q(label)}, shape=ellipse, style=filled, fillcolor=\"#dbeafe\"];")
        top_row.append(q(sid))
        backends = sorted(targets.get((ns, name), []))
        if (ns, name) == ("default", "kubernetes"):  # its endpoints are the API servers themselves
            backends = [("kube-system", _get(p, "metadata", "name")) for p in pods
                        if component_of(p) == "kube-apiserver"]
        for pns, pname in backends:
            if pod_id(pns, pname) in shown:
                lines.append(f"  {q(sid)} -> {q(pod_id(pns, pname))};")
    lines.append(f"  {{rank=min; {'; '.join(top_row)};}}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def build_html(nodes: list[dict], pods: list[dict], services: list[dict] = (), endpoints: list[dict] = (),
               namespaces: Iterable[str] | None = None) -> str:
    """The same map as tables: one row per node with its pods, one per service."""
    namespaces = None if namespaces is None else set(namespaces)
    rows = []
    names = [_get(n, "metadata", "name") for n in sorted(nodes, key=lambda n: _get(n, "metadata", "name") or "")]
    for node in sorted(nodes, key=lambda n: _get(n, "metadata", "name") or ""):
        name = _get(node, "metadata", "name")
        members = [f"{_get(p, 'metadata', 'name')} ({pod_status(p)})" for p in pods
                   if _get(p, "spec", "nodeName") == name
                   and (component_of(p) or _visible(_get(p, "metadata", "namespace") or "default", namespaces))]
        rows.append([name, node_summary(node), ", ".join(sorted(members)) or "-"])
    pending = [f"{_get(p, 'metadata', 'name')} ({pod_status(p)})" for p in pods
               if _get(p, "spec", "nodeName") not in names
               and _visible(_get(p, "metadata", "namespace") or "default", namespaces)]
    if pending:
        rows.append(["(not scheduled)", "", ", ".join(sorted(pending))])
    table = html_table(["node", "status", "pods"], rows, "Nodes")
    targets = endpoint_targets(endpoints)
    svc_rows = []
    for svc in services:
        ns, name = _get(svc, "metadata", "namespace") or "default", _get(svc, "metadata", "name")
        if _visible(ns, namespaces):
            svc_rows.append([f"{ns}/{name}", _get(svc, "spec", "type") or "ClusterIP",
                             ", ".join(sorted(p for _, p in targets.get((ns, name), []))) or "-"])
    if svc_rows:
        table += html_table(["service", "type", "endpoints"], sorted(svc_rows), "Services")
    return table


class ClusterView(LiveView):
    """The cluster map, redrawn whenever the cluster changes.

    ClusterView()                      every namespace
    ClusterView(namespaces=["dev"])    only pods and services in dev (control plane always)"""

    def __init__(self, cluster: Any = None, namespaces: Iterable[str] | None = None, live: bool = True):
        self.namespaces = None if namespaces is None else list(namespaces)
        super().__init__(cluster, live)

    def _items(self, *args: str) -> list[dict]:
        result = self.cluster.kubectl(["get", *args, "-o", "json"])
        if result.returncode != 0:
            return []
        return json.loads(result.stdout).get("items", [])

    def model(self) -> dict:
        endpoints = self._items("endpointslices", "-A") or self._items("endpoints", "-A")
        return {"nodes": self._items("nodes"), "pods": self._items("pods", "-A"),
                "services": self._items("services", "-A"), "endpoints": endpoints,
                "namespaces": self.namespaces}

    def build_dot(self, model: dict) -> str:
        return build_dot(**model)

    def build_html(self, model: dict) -> str:
        return build_html(**model)
