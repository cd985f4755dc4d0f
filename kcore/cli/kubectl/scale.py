"""kubectl scale: set replicas through the scale subresource."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, resources, targets
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("replicas", kind="int", default=-1), Flag("current-replicas", kind="int", default=-1),
         Flag("resource-version"), Flag("selector", "l"), Flag("all", kind="bool"),
         Flag("filename", "f", kind="list"), Flag("recursive", "R", kind="bool"),
         Flag("output", "o"), Flag("dry-run", default="none", no_opt="unchanged"),
         Flag("timeout")]


def run(ctx, p):
    if not p.was_set("replicas"):
        raise KubectlError('required flag(s) "replicas" not set')
    if p["replicas"] < 0:
        raise KubectlError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    for rt, obj in targets.select(ctx, p):
        if rt.plural not in ("deployments", "replicasets", "replicationcontrollers", "statefulsets"):
            raise KubectlError(f"cannot scale {rt.plural}" if False else
                               f'no objects passed to scale {resources.qualified(rt)} "{obj["metadata"]["name"]}" is not scalable')
        ns = targets.ns_of(rt, obj)
        name = obj["metadata"]["name"]
        if p["current-replicas"] >= 0 and (obj.get("spec") or {}).get("replicas") != p["current-replicas"]:
            raise KubectlError(f"Expected replicas to be {p['current-replicas']}, was "
                               f"{(obj.get('spec') or {}).get('replicas')}")
        scale = ctx.client.get(rt, ns, name, subresource="scale")
        scale["spec"]["replicas"] = p["replicas"]
        if p["resource-version"]:
            scale["metadata"]["resourceVersion"] = p["resource-version"]
        ctx.client.update(rt, ns, scale, subresource="scale")
        ctx.out(f"{resources.ref(rt, name)} scaled")
    ctx.settle()
    return 0
