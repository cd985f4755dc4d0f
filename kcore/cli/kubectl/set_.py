"""kubectl set image|env|resources|serviceaccount: change a pod template in place."""
from __future__ import annotations

from kcore.machinery.objects import clone

from kcore.cli.kubectl import KubectlError, resources, targets
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("all", kind="bool"), Flag("selector", "l"), Flag("filename", "f", kind="list"),
         Flag("recursive", "R", kind="bool"), Flag("local", kind="bool"), Flag("output", "o"),
         Flag("dry-run", default="none", no_opt="unchanged"), Flag("containers", "c", default="*"),
         Flag("env", "e", kind="list"), Flag("from"), Flag("prefix"), Flag("keys", kind="csv"),
         Flag("list", kind="bool"), Flag("overwrite", kind="bool", default=True),
         Flag("limits"), Flag("requests"), Flag("resolve", kind="bool"),
         Flag("record", kind="bool")]

SUBS = ("image", "env", "resources", "serviceaccount", "sa", "selector", "subject")


def _pod_spec(obj):
    if obj.get("kind") == "Pod":
        return obj["spec"]
    if obj.get("kind") == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return obj["spec"]["template"]["spec"]


def run(ctx, p):
    if not p.args or p.args[0] not in SUBS:
        raise KubectlError(f'unknown command "{p.args[0]}" for "kubectl set"' if p.args else
                           "You must specify the type of resource to set")
    sub, rest = p.args[0], p.args[1:]
    if sub == "image":
        refs = [a for a in rest if "=" not in a]
        changes = dict(a.split("=", 1) for a in rest if "=" in a)
        if not changes:
            raise KubectlError("at least one image update is required")
        verb = "image updated"
    elif sub == "env":
        refs = [a for a in rest if "=" not in a and not a.endswith("-")]
        env_args = [a for a in rest if a not in refs] + list(p["env"] or [])
        verb = "env updated"
    elif sub == "resources":
        refs = rest
        if not p["limits"] and not p["requests"]:
            raise KubectlError("you must specify an update to requests or limits (in the form of --requests/--limits)")
        verb = "resource requirements updated"
    elif sub in ("serviceaccount", "sa"):
        refs, sa = rest[:-1], rest[-1] if rest else ""
        verb = "serviceaccount updated"
    else:
        raise KubectlError(f"kcore does not implement `kubectl set {sub}` yet")
    for rt, obj in targets.select(ctx, p, refs):
        body = clone(obj)
        spec = _pod_spec(body)
        containers = spec.get("containers") or []
        chosen = [c for c in containers if p["containers"] in ("*", c["name"])]
        if sub == "image":
            for cname, image in changes.items():
                found = False
                for c in (spec.get("initContainers") or []) + containers:
                    if cname in ("*", c["name"]):
                        c["image"] = image
                        found = True
                if not found:
                    raise KubectlError(f'unable to find container named "{cname}"')
        elif sub == "env":
            for c in chosen:
                env = c.setdefault("env", [])
                for a in env_args:
                    if a.endswith("-") and "=" not in a:
                        env[:] = [e for e in env if e["name"] != a[:-1]]
                        continue
                    k, _, v = a.partition("=")
                    for e in env:
                        if e["name"] == k:
                            e.clear()
                            e.update({"name": k, "value": v})
                            break
                    else:
                        env.append({"name": k, "value": v})
                if not env:
                    c.pop("env")
        elif sub == "resources":
            for c in chosen:
                res = c.setdefault("resources", {})
                for kind in ("limits", "requests"):
                    if p[kind]:
                        for item in p[kind].split(","):
                            k, _, v = item.partition("=")
                            res.setdefault(kind, {})[k] = v
        else:
            spec["serviceAccountName"] = sa
            spec.pop("serviceAccount", None)
        if body == obj:
            continue
        if rt.plural == "pods":
            ctx.client.update(rt, targets.ns_of(rt, obj), body)
        else:
            ctx.client.update(rt, targets.ns_of(rt, obj), body)
        ctx.out(f"{resources.ref(rt, obj['metadata']['name'])} {verb}")
    ctx.settle()
    return 0
