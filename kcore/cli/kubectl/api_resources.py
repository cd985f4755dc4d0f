"""kubectl api-resources and api-versions: what the server serves (discovery)."""
from __future__ import annotations

from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("namespaced", kind="bool", default=None), Flag("api-group"), Flag("output", "o"),
         Flag("no-headers", kind="bool"), Flag("sort-by"), Flag("verbs", kind="csv"),
         Flag("cached", kind="bool"), Flag("categories", kind="csv")]


def run(ctx, p):
    from kcore.api import kinds
    ctx.client  # discovery needs a reachable server
    if ctx.verb == "api-versions":
        versions = sorted({rt.api_version for rt in kinds.ALL})
        for v in versions:
            ctx.out(v)
        return 0
    rows = []
    for rt in kinds.ALL:
        if p.was_set("namespaced") and bool(rt.namespaced) != bool(p["namespaced"]):
            continue
        if p["api-group"] is not None and rt.group != p["api-group"]:
            continue
        if p["verbs"] and not all(v in rt.verbs for v in p["verbs"]):
            continue
        rows.append(rt)
    if p["sort-by"] == "name":
        rows.sort(key=lambda r: r.plural)
    elif p["sort-by"] == "kind":
        rows.sort(key=lambda r: r.kind)
    if p["output"] == "name":
        for rt in rows:
            ctx.out(rt.plural + (f".{rt.group}" if rt.group else ""))
        return 0
    wide = p["output"] == "wide"
    table = [] if p["no-headers"] else [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"] +
                                        (["VERBS", "CATEGORIES"] if wide else [])]
    for rt in rows:
        row = [rt.plural, ",".join(rt.short_names), rt.api_version, "true" if rt.namespaced else "false", rt.kind]
        if wide:
            row += ["[" + " ".join(sorted(rt.verbs)) + "]", ",".join(getattr(rt, "categories", ()) or ())]
        table.append(row)
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for r in table:
        ctx.out("".join(c.ljust(w + 3) for c, w in zip(r[:-1], widths)) + r[-1])
    return 0
