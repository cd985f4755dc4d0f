"""kubectl events: the cluster's events, oldest first (the newer verb beside get events)."""
from __future__ import annotations

from kcore.machinery.gosort import go_sort

from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("all-namespaces", "A", kind="bool"), Flag("for"), Flag("types", kind="csv"),
         Flag("output", "o"), Flag("no-headers", kind="bool"), Flag("watch", "w", kind="bool"),
         Flag("chunk-size", kind="int")]


def run(ctx, p):
    from kcore.machinery.duration import human_duration
    ns = None if p["all-namespaces"] else ctx.namespace
    items = ctx.client.list("events", ns)["items"]
    if p["for"]:
        kind, _, name = p["for"].partition("/")
        from kcore.cli.kubectl import resources
        rt = resources.lookup(kind)
        items = [e for e in items if (e.get("involvedObject") or {}).get("kind") == rt.kind
                 and (e.get("involvedObject") or {}).get("name") == name]
    if p["types"]:
        items = [e for e in items if e.get("type") in p["types"]]
    loop = ctx.cluster.loop

    def when(e):
        return loop.parse_timestamp(e.get("lastTimestamp") or e.get("eventTime") or
                                    e["metadata"]["creationTimestamp"])
    # sort.Sort(SortableEvents) over the server's (name) order: Go's unstable sort decides ties
    go_sort(items, lambda a, b: when(a) < when(b))
    if not items:
        ctx.err(f"No events found in {ns} namespace." if ns else "No events found.")
        return 0
    rows = []
    for e in items:
        io = e.get("involvedObject") or {}
        obj = f"{io.get('kind', '')}/{io.get('name', '')}"
        age = human_duration(loop.now - when(e))
        count = e.get("count", 1)
        if count > 1:
            first = loop.parse_timestamp(e.get("firstTimestamp") or e["metadata"]["creationTimestamp"])
            age = f"{age} (x{count} over {human_duration(loop.now - first)})"
        row = ([e["metadata"].get("namespace", "")] if not ns else []) + \
            [age, e.get("type", ""), e.get("reason", ""), obj, e.get("message", "")]
        rows.append(row)
    head = (["NAMESPACE"] if not ns else []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    if not p["no-headers"]:
        rows.insert(0, head)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head) - 1)]
    for r in rows:
        ctx.out("".join(c.ljust(w + 3) for c, w in zip(r[:-1], widths)) + r[-1])
    return 0
