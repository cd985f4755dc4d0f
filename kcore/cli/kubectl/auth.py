"""kubectl auth can-i / whoami: ask the API server's authorizer about a user."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("all-namespaces", "A", kind="bool"), Flag("list", kind="bool"),
         Flag("no-headers", kind="bool"), Flag("quiet", "q", kind="bool"), Flag("subresource"),
         Flag("output", "o")]

VERBS = ("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection",
         "use", "bind", "impersonate", "escalate", "approve", "sign", "*", "proxy")


def run(ctx, p):
    if not p.args:
        raise KubectlError("Inspect authorization")
    sub = p.args[0]
    if sub == "whoami":
        u = ctx.client.user
        groups = list(u.all_groups)
        ctx.out("ATTRIBUTE                                           VALUE"[:0] + f"ATTRIBUTE   VALUE")
        ctx.out(f"Username    {u.name}")
        ctx.out(f"Groups      [{' '.join(groups)}]")
        return 0
    if sub != "can-i":
        raise KubectlError(f'unknown command "{sub}" for "kubectl auth"')
    args = p.args[1:]
    user = ctx.client.user
    api = ctx.cluster.api
    if p["list"]:
        return _list(ctx, user)
    if len(args) < 2:
        raise KubectlError("you must specify two arguments: verb resource or verb resource/resourceName.\n"
                           "See 'kubectl auth can-i -h' for help and examples")
    verb, target = args[0], args[1]
    if verb not in VERBS:
        ctx.warn(f"verb '{verb}' is not a known verb")
    if target.startswith("/"):
        ok = api.can(user, verb, None, path=target)
    else:
        rname, _, name = target.partition("/")
        from kcore.cli.kubectl import resources
        try:
            rt = resources.lookup(rname)
        except KubectlError:
            ctx.warn(f"the server doesn't have a resource type '{rname}'")
            ctx.out("no")
            return 1
        ns = "" if p["all-namespaces"] else ctx.namespace
        if not rt.namespaced:
            if ctx.explicit_namespace:
                ctx.warn(f"resource '{rt.plural}' is not namespace scoped")
            ns = ""
        ok = api.can(user, verb, rt, namespace=ns, name=name or (args[2] if len(args) > 2 else ""),
                     subresource=p["subresource"] or "")
    if not p["quiet"]:
        ctx.out("yes" if ok else "no")
    return 0 if ok else 1


def _list(ctx, user):
    api = ctx.cluster.api
    from kcore.apiserver.authz.rbac import RBAC
    rbac = next((a for a in getattr(api.authorizer, "authorizers", []) if isinstance(a, RBAC)), None)
    rules = rbac.rules_for(user, ctx.namespace) if rbac is not None else \
        [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]
    if user.is_privileged():
        rules = [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
                 {"nonResourceURLs": ["*"], "verbs": ["*"]}]
    rows = [("Resources", "Non-Resource URLs", "Resource Names", "Verbs")]
    for r in rules:
        verbs = "[" + " ".join(r.get("verbs") or []) + "]"
        names = "[" + " ".join(r.get("resourceNames") or []) + "]"
        if r.get("nonResourceURLs"):
            rows.append(("", "[" + " ".join(r["nonResourceURLs"]) + "]", "[]", verbs))
            continue
        for res in r.get("resources") or []:
            for g in r.get("apiGroups") or [""]:
                rows.append((res + (f".{g}" if g and g != "*" else ("" if g == "" else ".*")), "[]", names, verbs))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        ctx.out("   ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() if False else
                "".join(c.ljust(w + 3) for c, w in zip(r[:3], widths)) + r[3])
    return 0
