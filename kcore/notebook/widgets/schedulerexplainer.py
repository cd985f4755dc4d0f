"""SchedulerExplainer: why a pod went where it went — or nowhere. For one pod, every node
against every scheduler plugin: Filter verdicts (pass, or fail with the plugin's reason),
Score plugins' raw and normalized scores with their weights, each node's total, the chosen
node, and the scheduler's summary message ("0/3 nodes are available: ...").

The data comes from `cluster.scheduler_explain(namespace, pod)`:
    {"pod": "default/web", "chosen": "node01" | None, "message": "...",
     "nodes": [{"name": "node01", "total": 187,
                "filters": [{"plugin": "TaintToleration", "ok": False, "reason": "..."}],
                "scores":  [{"plugin": "ImageLocality", "raw": 0, "normalized": 0, "weight": 1}]}]}
A filter missing for a node did not run (the scheduler stops at a node's first failure)."""
from __future__ import annotations

from typing import Any

from kcore.notebook.widgets.render import LiveView, h, html_table, q

PASS, FAIL, SKIP = "#dcfce7", "#fee2e2", "#f3f4f6"


def plugin_columns(explain: dict) -> tuple[list[str], list[str]]:
    """Filter plugins and score plugins, each in order of first appearance."""
    filters: dict[str, None] = {}
    scores: dict[str, None] = {}
    for node in explain.get("nodes", []):
        for f in node.get("filters", []):
            filters.setdefault(f["plugin"])
        for s in node.get("scores", []):
            scores.setdefault(s["plugin"])
    return list(filters), list(scores)


def _cells(node: dict, filters: list[str], scores: list[str]) -> tuple[list[tuple[str, str]], list[str], str]:
    by_filter = {f["plugin"]: f for f in node.get("filters", [])}
    by_score = {s["plugin"]: s for s in node.get("scores", [])}
    fcells = []
    for plugin in filters:
        f = by_filter.get(plugin)
        if f is None:
            fcells.append(("–", SKIP))
        elif f.get("ok"):
            fcells.append(("✓", PASS))
        else:
            fcells.append(("✗ " + str(f.get("reason") or "rejected"), FAIL))
    scells = []
    for plugin in scores:
        s = by_score.get(plugin)
        scells.append("" if s is None else f"{s.get('normalized')} ×{s.get('weight', 1)} (raw {s.get('raw')})")
    total = node.get("total")
    return fcells, scells, "" if total is None else str(total)


def build_dot(explain: dict) -> str:
    """One graphviz node whose label is the nodes × plugins table."""
    filters, scores = plugin_columns(explain)
    chosen = explain.get("chosen")
    header = ["node"] + filters + scores + ["total"]
    rows = ['<TR>' + "".join(f'<TD BGCOLOR="#e5e7eb"><B>{h(c)}</B></TD>' for c in header) + '</TR>',
            '<TR><TD BGCOLOR="#e5e7eb"></TD>'
            + "".join('<TD BGCOLOR="#f9fafb"><I>Filter</I></TD>' for _ in filters)
            + "".join('<TD BGCOLOR="#f9fafb"><I>Score</I></TD>' for _ in scores)
            + '<TD BGCOLOR="#f9fafb"></TD></TR>']
    for node in explain.get("nodes", []):
        fcells, scells, total = _cells(node, filters, scores)
        name = str(node.get("name"))
        mark = f"<B>★ {h(name)}</B>" if name == chosen else h(name)
        rows.append("<TR>"
                    + f'<TD ALIGN="LEFT" BGCOLOR="{"#bbf7d0" if name == chosen else "#ffffff"}">{mark}</TD>'
                    + "".join(f'<TD BGCOLOR="{color}">{h(text)}</TD>' for text, color in fcells)
                    + "".join(f"<TD>{h(text)}</TD>" for text in scells)
                    + (f"<TD><B>{h(total)}</B></TD></TR>" if total else "<TD>–</TD></TR>"))
    verdict = f"chosen: {chosen}" if chosen else "no node chosen: the pod stays Pending"
    caption = f"pod {explain.get('pod', '?')} — {verdict}"
    if explain.get("message"):
        caption += f"\n{explain['message']}"
    table = ('<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">'
             + "".join(rows) + "</TABLE>>")
    return ("digraph scheduler {\n"
            '  graph [fontname="Helvetica", labelloc=t, label=' + q(caption) + "];\n"
            '  node [fontname="Helvetica", fontsize=10, shape=plaintext];\n'
            f"  table [label={table}];\n"
            "}\n")


def build_html(explain: dict) -> str:
    filters, scores = plugin_columns(explain)
    rows = []
    for node in explain.get("nodes", []):
        fcells, scells, total = _cells(node, filters, scores)
        name = str(node.get("name"))
        rows.append([("★ " if name == explain.get("chosen") else "") + name,
                     *[t for t, _ in fcells], *scells, total])
    caption = f"pod {explain.get('pod', '?')}: " + (f"chosen {explain['chosen']}" if explain.get("chosen")
                                                    else "no node chosen")
    table = html_table(["node", *[f"{p} (filter)" for p in filters], *[f"{p} (score)" for p in scores], "total"],
                       rows, caption)
    if explain.get("message"):
        table += f"<p>{h(explain['message'])}</p>"
    return table


class SchedulerExplainer(LiveView):
    """The scheduler's decision for one pod: SchedulerExplainer("web", namespace="default")."""

    def __init__(self, pod: str, namespace: str = "default", cluster: Any = None, live: bool = True):
        self.pod, self.namespace = pod, namespace
        super().__init__(cluster, live)

    def model(self) -> dict:
        explain = getattr(self.cluster, "scheduler_explain", None)
        if explain is None:
            return {"error": "This cluster cannot explain scheduling decisions (no scheduler_explain())."}
        return explain(self.namespace, self.pod)

    def build_dot(self, model: dict) -> str:
        return build_dot(model)

    def build_html(self, model: dict) -> str:
        return build_html(model)
