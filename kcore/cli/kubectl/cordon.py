"""kubectl cordon, uncordon and drain: take a node out of scheduling, and empty it.

drain cordons the node, then evicts every pod on it through the Eviction API (so
PodDisruptionBudgets are honoured), refusing — with kubectl's exact complaint — pods that no
controller would recreate (`--force`), DaemonSet pods (`--ignore-daemonsets`) and pods with
emptyDir data (`--delete-emptydir-data`). Mirror pods are skipped silently."""
from __future__ import annotations

from kcore.machinery.objects import clone

from kcore.cli.kubectl import KubectlError
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("selector", "l"), Flag("dry-run", default="none", no_opt="unchanged"),
         Flag("force", kind="bool"), Flag("ignore-daemonsets", kind="bool"),
         Flag("delete-emptydir-data", kind="bool"), Flag("delete-local-data", kind="bool"),
         Flag("grace-period", kind="int", default=-1), Flag("timeout"),
         Flag("disable-eviction", kind="bool"), Flag("pod-selector"),
         Flag("skip-wait-for-delete-timeout", kind="int", default=0), Flag("chunk-size", kind="int")]


def _set_unschedulable(ctx, name, value):
    node = ctx.client.get("nodes", None, name)
    current = bool((node.get("spec") or {}).get("unschedulable"))
    if current == value:
        return False
    node = clone(node)
    if value:
        node.setdefault("spec", {})["unschedulable"] = True
    else:
        node.setdefault("spec", {}).pop("unschedulable", None)
    ctx.client.update("nodes", None, node)
    return True


def _names(ctx, p):
    args = [a for a in p.args if a not in ("node", "nodes", "no")]
    args = [a.split("/", 1)[1] if a.startswith(("node/", "nodes/")) else a for a in args]
    if not args and p["selector"]:
        return [n["metadata"]["name"] for n in ctx.client.list("nodes", None, label_selector=p["selector"])["items"]]
    if not args:
        raise KubectlError("resource(s) were provided, but no name was specified" if p.args else
                           "USAGE: " + ctx.verb + " NODE [flags]")
    return args


def run(ctx, p):
    verb = ctx.verb
    dry = p["dry-run"] not in (None, "none")
    suffix = " (dry run)" if dry else ""
    for name in _names(ctx, p):
        if verb == "uncordon":
            changed = False if dry else _set_unschedulable(ctx, name, False)
            if not dry and not changed:
                ctx.client.get("nodes", None, name)
            ctx.out(f"node/{name} {'uncordoned' if changed or dry else 'already uncordoned'}{suffix}")
            continue
        changed = False if dry else _set_unschedulable(ctx, name, True)
        ctx.out(f"node/{name} {'cordoned' if changed or dry else 'already cordoned'}{suffix}")
        if verb == "drain":
            code = drain(ctx, p, name, dry)
            if code:
                return code
    ctx.settle()
    return 0


def drain(ctx, p, node, dry) -> int:
    from kcore.apiserver import ApiError
    pods = [pod for pod in ctx.client.list("pods", None, field_selector=f"spec.nodeName={node}")["items"]]
    pods.sort(key=lambda x: (x["metadata"]["namespace"], x["metadata"]["name"]))
    no_ctrl, ds, local, ignored_ds, deleting_local, deleting_orphans = [], [], [], [], [], []
    victims = []
    for pod in pods:
        md = pod["metadata"]
        ref = f"{md['namespace']}/{md['name']}"
        if "kubernetes.io/config.mirror" in (md.get("annotations") or {}):
            continue
        phase = (pod.get("status") or {}).get("phase")
        if phase in ("Succeeded", "Failed") or md.get("deletionTimestamp"):
            victims.append(pod)
            continue
        ctrl = next((r for r in md.get("ownerReferences") or [] if r.get("controller")), None)
        if ctrl is not None and ctrl.get("kind") == "DaemonSet":
            if p["ignore-daemonsets"]:
                ignored_ds.append(ref)
            else:
                ds.append(ref)
            continue
        if any("emptyDir" in v for v in (pod.get("spec") or {}).get("volumes") or []):
            if not (p["delete-emptydir-data"] or p["delete-local-data"]):
                local.append(ref)
                continue
            deleting_local.append(ref)
        if ctrl is None:
            if not p["force"]:
                no_ctrl.append(ref)
                continue
            deleting_orphans.append(ref)
        victims.append(pod)
    problems = []
    if no_ctrl:
        problems.append("cannot delete Pods that declare no controller (use --force to override): " + ", ".join(no_ctrl))
    if ds:
        problems.append("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): " + ", ".join(ds))
    if local:
        problems.append("cannot delete Pods with local storage (use --delete-emptydir-data to override): " + ", ".join(local))
    if problems:
        joined = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
        ctx.err(f'error: unable to drain node "{node}" due to error: cannot delete {joined}, '
                "continuing command...")
        ctx.err("There are pending nodes to be drained:")
        ctx.err(f" {node}")
        for prob in problems:
            ctx.err(f"cannot delete {prob}")
        return 1
    warnings = []
    if ignored_ds:
        warnings.append("ignoring DaemonSet-managed Pods: " + ", ".join(ignored_ds))
    if deleting_local:
        warnings.append("deleting Pods with local storage: " + ", ".join(deleting_local))
    if deleting_orphans:
        warnings.append("deleting Pods that declare no controller: " + ", ".join(deleting_orphans))
    if warnings:
        ctx.err("Warning: " + "; ".join(warnings))
    suffix = " (dry run)" if dry else ""
    for pod in victims:
        ctx.out(f"evicting pod {pod['metadata']['namespace']}/{pod['metadata']['name']}{suffix}")
    if dry:
        ctx.out(f"node/{node} drained (dry run)")
        return 0
    grace = None if p["grace-period"] < 0 else p["grace-period"]
    pending = list(victims)
    from kcore.cli.kubectl.rollout import _seconds
    limit = _seconds(p["timeout"]) if p["timeout"] else 0
    start = ctx.cluster.loop.now
    blocked = []
    for _ in range(60):
        blocked = []
        for pod in pending:
            md = pod["metadata"]
            try:
                if p["disable-eviction"]:
                    ctx.client.delete("pods", md["namespace"], md["name"], grace_period=grace)
                else:
                    ctx.client.evict(md["namespace"], md["name"], grace_period=grace)
            except ApiError as exc:
                if exc.reason == "NotFound":
                    continue
                if exc.code == 429:
                    ctx.err(f'error when evicting pods/"{md["name"]}" -n "{md["namespace"]}" '
                            f"(will retry after 5s): {exc.message}")
                    blocked.append(pod)
                    continue
                raise
        ctx.settle()
        if not blocked:
            break
        pending = blocked
        if limit and ctx.cluster.loop.now - start >= limit:
            break
        ctx.cluster.loop.advance(5)
    if blocked:
        ctx.err(f"error: unable to drain node \"{node}\" due to error: [" +
                ", ".join(f'error when evicting pods/"{b["metadata"]["name"]}" -n "{b["metadata"]["namespace"]}": '
                          "global timeout reached: " + (p["timeout"] or "5m0s") for b in blocked) +
                "], continuing command...")
        ctx.err("There are pending nodes to be drained:")
        ctx.err(f" {node}")
        for b in blocked:
            ctx.err(f'error when evicting pods/"{b["metadata"]["name"]}" -n "{b["metadata"]["namespace"]}": '
                    "global timeout reached: " + (p["timeout"] or "5m0s"))
        return 1
    from kcore.cli.kubectl.delete import wait_gone
    wait_gone(ctx, [("pods", v["metadata"]["namespace"], v["metadata"]["name"]) for v in victims])
    for pod in victims:
        ctx.out(f"pod/{pod['metadata']['name']} evicted")
    ctx.out(f"node/{node} drained")
    return 0
