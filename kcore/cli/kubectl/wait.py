"""kubectl wait: let virtual time run until a condition holds (or --timeout passes).

`--for=condition=Ready`, `--for=condition=complete`, `--for=delete`,
`--for=jsonpath='{.status.phase}'=Running`. Prints `pod/web condition met` per object."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, resources
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("for"), Flag("timeout", default="30s"), Flag("selector", "l"),
         Flag("all", kind="bool"), Flag("all-namespaces", "A", kind="bool"),
         Flag("filename", "f", kind="list"), Flag("recursive", "R", kind="bool"),
         Flag("field-selector"), Flag("output", "o"), Flag("local", kind="bool")]


def _seconds(text):
    from kcore.cli.kubectl.rollout import _seconds as s
    return s(text)


def _check(ctx, rt, ns, name, cond):
    obj = ctx.client.try_get(rt, ns, name)
    kind, _, rest = cond.partition("=")
    if kind == "delete":
        return obj is None
    if obj is None:
        return False
    if kind == "condition":
        ctype, _, want = rest.partition("=")
        want = want or "True"
        for c in (obj.get("status") or {}).get("conditions") or []:
            if c.get("type", "").lower() == ctype.lower():
                return str(c.get("status")).lower() == want.lower()
        return False
    if kind == "jsonpath":
        from kcore.machinery import jsonpath
        expr, _, value = rest.rpartition("=")
        if not expr:
            expr, value = rest, None
        expr = expr.strip("'\"")
        got = jsonpath.render(expr if expr.startswith("{") else "{" + expr + "}", obj)
        return got != "" if value is None else got == value
    raise KubectlError(f"unrecognized condition: {cond!r}")


def run(ctx, p):
    cond = p["for"]
    if not cond:
        raise KubectlError("--for must be specified")
    if not p.args and not p["filename"]:
        raise KubectlError("resource(s) were provided, but no name was specified" if p.args else
                           "You must provide one or more resources by argument or filename.")
    reqs = resources.parse_args(p.args)
    items = []
    for rt, name in reqs:
        ns = ctx.namespace if rt.namespaced else None
        if name:
            items.append((rt, ns, name))
        else:
            if not (p["selector"] or p["all"]):
                raise KubectlError("resource(s) were provided, but no name was specified")
            for o in ctx.client.list(rt, None if p["all-namespaces"] else ns,
                                     label_selector=p["selector"] or "")["items"]:
                items.append((rt, o["metadata"].get("namespace"), o["metadata"]["name"]))
    if not items:
        raise KubectlError("no matching resources found")
    loop = ctx.cluster.loop
    limit = _seconds(p["timeout"])
    start = loop.now
    for rt, ns, name in items:
        if not cond.startswith("delete"):
            ctx.client.get(rt, ns, name)
    pending = list(items)
    while True:
        ctx.settle()
        still = []
        for it in pending:
            if _check(ctx, *it, cond):
                ctx.out(f"{resources.ref(it[0], it[2])} condition met")
            else:
                still.append(it)
        pending = still
        if not pending:
            return 0
        if loop.now - start >= limit:
            for rt, ns, name in pending:
                ctx.err(f"error: timed out waiting for the condition on {rt.plural}/{name}")
            return 1
        loop.advance(min(1.0, limit - (loop.now - start)) or 1.0)
