"""kubectl taint: add `key[=value]:Effect`, remove with a trailing `-` (`key:Effect-`, `key-`)."""
from __future__ import annotations

from kcore.machinery.objects import clone

from kcore.cli.kubectl import KubectlError, resources, targets
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("overwrite", kind="bool"), Flag("selector", "l"), Flag("all", kind="bool"),
         Flag("output", "o"), Flag("dry-run", default="none", no_opt="unchanged"),
         Flag("validate", default="strict", no_opt="strict")]

EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def parse(spec: str):
    remove = spec.endswith("-")
    body = spec[:-1] if remove else spec
    key, _, effect = body.partition(":")
    key, eq, value = key.partition("=")
    if not key or (not remove and not effect):
        raise KubectlError(f'invalid taint spec: {spec}, unknown taint spec: {spec}' if ":" in spec
                           else f"at least one taint update is required")
    if effect and effect not in EFFECTS:
        raise KubectlError(f"invalid taint effect: {effect}, unsupported taint effect")
    t = {"key": key, "effect": effect}
    if value:
        t["value"] = value
    return t, remove


def run(ctx, p):
    args = list(p.args)
    if not args:
        raise KubectlError("at least one taint update is required")
    if args[0] in ("node", "nodes", "no"):
        args = args[1:]
    names = [a for a in args if ":" not in a and not a.endswith("-") and "=" not in a]
    specs = [a for a in args if a not in names]
    if not specs:
        raise KubectlError("at least one taint update is required")
    changes = [parse(s) for s in specs]
    nodes = targets.select(ctx, p, ["nodes"] + names, need_name=not (p["all"] or p["selector"]))
    for rt, node in nodes:
        node = clone(node)
        taints = list((node.get("spec") or {}).get("taints") or [])
        verb = "tainted"
        for t, remove in changes:
            if remove:
                keep = [x for x in taints if not (x.get("key") == t["key"] and
                                                  (not t["effect"] or x.get("effect") == t["effect"]))]
                if len(keep) == len(taints):
                    shown = t["key"] + (f":{t['effect']}" if t["effect"] else "")
                    raise KubectlError(f'taint "{shown}" not found')
                taints = keep
                verb = "untainted"
            else:
                same = [x for x in taints if x.get("key") == t["key"] and x.get("effect") == t["effect"]]
                if same:
                    if not p["overwrite"]:
                        raise KubectlError(f"node {node['metadata']['name']} already has {t['key']} "
                                           "taint(s) with same effect(s) and --overwrite is false")
                    taints = [t if (x.get("key") == t["key"] and x.get("effect") == t["effect"]) else x
                              for x in taints]
                    verb = "modified"
                else:
                    taints.append(t)
        node.setdefault("spec", {})["taints"] = taints
        if not taints:
            node["spec"].pop("taints")
        ctx.client.update("nodes", None, node)
        ctx.out(f"{resources.ref(rt, node['metadata']['name'])} {verb}")
    ctx.settle()
    return 0
