"""kubectl top node|pod: resource usage from the metrics API (needs metrics-server)."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("all-namespaces", "A", kind="bool"), Flag("containers", kind="bool"),
         Flag("selector", "l"), Flag("field-selector"), Flag("sort-by"), Flag("no-headers", kind="bool"),
         Flag("use-protocol-buffers", kind="bool"), Flag("show-capacity", kind="bool"),
         Flag("show-swap", kind="bool"), Flag("sum", kind="bool")]


def _table(ctx, rows, no_headers):
    if no_headers:
        rows = rows[1:]
    if not rows:
        return
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        ctx.out("".join(c.ljust(w + 3) for c, w in zip(r, widths)))


def run(ctx, p):
    from kcore.cluster.metrics import Metrics
    from kcore.machinery import quantity
    if not p.args or p.args[0] not in ("node", "nodes", "no", "pod", "pods", "po"):
        raise KubectlError("Display Resource (CPU/Memory) usage.\n\nThe top command allows you to "
                           "see the resource consumption for nodes or pods.", prefix="")
    what = "node" if p.args[0] in ("node", "nodes", "no") else "pod"
    names = p.args[1:]
    ctx.client  # connection check
    m = Metrics(ctx.cluster)
    if not m.available:
        raise KubectlError("Metrics API not available")
    if what == "node":
        nodes = ctx.client.list("nodes", None, label_selector=p["selector"] or "")["items"]
        if names:
            nodes = [n for n in nodes if n["metadata"]["name"] in names]
            if not nodes:
                raise KubectlError(f'nodes "{names[0]}" not found', prefix="Error from server (NotFound): ")
        rows = [["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]]
        data = []
        for n in nodes:
            u = m.node_usage(n["metadata"]["name"])
            if u is None:
                continue
            alloc = (n.get("status") or {}).get("allocatable") or {}
            cpu_cap = quantity.parse(alloc.get("cpu", "1")).milli_value()
            mem_cap = quantity.parse(alloc.get("memory", "1Gi")).value()
            data.append((n["metadata"]["name"], u[0], u[1], cpu_cap, mem_cap))
        if p["sort-by"] == "cpu":
            data.sort(key=lambda d: -d[1])
        elif p["sort-by"] == "memory":
            data.sort(key=lambda d: -d[2])
        for name, cpu, mem, cc, mc in data:
            rows.append([name, f"{cpu}m", f"{cpu * 100 // max(cc, 1)}%", f"{mem // (1024 * 1024)}Mi",
                         f"{mem * 100 // max(mc, 1)}%"])
        _table(ctx, rows, p["no-headers"])
        return 0
    ns = None if p["all-namespaces"] else ctx.namespace
    pods = ctx.client.list("pods", ns, label_selector=p["selector"] or "",
                           field_selector=p["field-selector"] or "")["items"]
    if names:
        pods = [x for x in pods if x["metadata"]["name"] in names]
        if not pods:
            raise KubectlError(f'pods "{names[0]}" not found', prefix="Error from server (NotFound): ")
    data = []
    for pod in pods:
        u = m.pod_usage(pod["metadata"]["namespace"], pod["metadata"]["name"])
        if not u or (pod.get("status") or {}).get("phase") != "Running":
            continue
        data.append((pod, u))
    if not data:
        if names:
            age = ""
            raise KubectlError(f"Metrics not available for pod {ctx.namespace}/{names[0]}, age: {age or '0s'}")
        ctx.err(f"No resources found in {ns} namespace." if ns else "No resources found")
        return 0
    def total(u, i):
        return sum(x[i] for x in u)
    if p["sort-by"] == "cpu":
        data.sort(key=lambda d: -total(d[1], 1))
    elif p["sort-by"] == "memory":
        data.sort(key=lambda d: -total(d[1], 2))
    head = (["NAMESPACE"] if p["all-namespaces"] else []) + (["POD", "NAME"] if p["containers"] else ["NAME"]) + \
        ["CPU(cores)", "MEMORY(bytes)"]
    rows = [head]
    for pod, u in data:
        pre = [pod["metadata"]["namespace"]] if p["all-namespaces"] else []
        if p["containers"]:
            for cname, cpu, mem in u:
                rows.append(pre + [pod["metadata"]["name"], cname, f"{cpu}m", f"{mem // (1024 * 1024)}Mi"])
        else:
            rows.append(pre + [pod["metadata"]["name"], f"{total(u, 1)}m", f"{total(u, 2) // (1024 * 1024)}Mi"])
    _table(ctx, rows, p["no-headers"])
    return 0
