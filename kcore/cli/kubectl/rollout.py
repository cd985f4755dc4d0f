"""kubectl rollout: status, history, undo, restart, pause, resume.

`status` watches as kubectl does — it prints a line each time the rollout moves and lets
virtual time run until the rollout finishes or its progress deadline passes. `undo` is what
kubectl ≥ 1.x does client-side: copy the chosen revision's pod template back into the
Deployment (the controller then makes that ReplicaSet current with a new revision number)."""
from __future__ import annotations

from kcore.machinery.objects import clone

from kcore.cli.kubectl import KubectlError, resources
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("revision", kind="int", default=0), Flag("to-revision", kind="int", default=0),
         Flag("watch", "w", kind="bool", default=True), Flag("timeout", default="0s"),
         Flag("output", "o"), Flag("selector", "l"), Flag("filename", "f", kind="list"),
         Flag("recursive", "R", kind="bool"), Flag("dry-run", default="none", no_opt="unchanged")]

SUBS = ("status", "history", "undo", "restart", "pause", "resume")
REVISION = "deployment.kubernetes.io/revision"


def run(ctx, p):
    if not p.args or p.args[0] not in SUBS:
        raise KubectlError(f'unknown command "{p.args[0]}" for "kubectl rollout"' if p.args else
                           "You must specify the type of resource to get. Use \"kubectl api-resources\" "
                           "for a complete list of supported resources.")
    sub = p.args[0]
    from kcore.cli.kubectl import targets
    objs = targets.select(ctx, p, p.args[1:])
    for rt, obj in objs:
        if rt.plural not in ("deployments", "daemonsets", "statefulsets"):
            raise KubectlError(f'no {sub} has been implemented for schema.GroupKind{{Group:"{rt.group}", Kind:"{rt.kind}"}}'
                               if sub != "status" else
                               f'no status viewer has been implemented for {rt.kind}')
        code = globals()["_" + sub](ctx, p, rt, obj)
        if code:
            return code
    return 0


def _owned_sets(ctx, d):
    uid = d["metadata"]["uid"]
    sets = [rs for rs in ctx.client.list("replicasets", d["metadata"]["namespace"])["items"]
            if any(r.get("uid") == uid for r in rs["metadata"].get("ownerReferences") or [])]
    return sorted(sets, key=lambda rs: int((rs["metadata"].get("annotations") or {}).get(REVISION, "0")))


def _status_line(rt, obj):
    """(done, message) for the current state of a rollout (rollout_status.go)."""
    name = obj["metadata"]["name"]
    st = obj.get("status") or {}
    spec = obj.get("spec") or {}
    if rt.plural == "deployments":
        if obj["metadata"].get("generation", 0) > st.get("observedGeneration", 0):
            return False, "Waiting for deployment spec update to be observed...\n"
        for c in st.get("conditions") or []:
            if c.get("type") == "Progressing" and c.get("reason") == "ProgressDeadlineExceeded":
                raise KubectlError(f'deployment "{name}" exceeded its progress deadline')
        want = spec.get("replicas", 1)
        updated = st.get("updatedReplicas", 0)
        replicas = st.get("replicas", 0)
        available = st.get("availableReplicas", 0)
        if updated < want:
            return False, (f'Waiting for deployment "{name}" rollout to finish: {updated} out of '
                           f"{want} new replicas have been updated...\n")
        if replicas > updated:
            return False, (f'Waiting for deployment "{name}" rollout to finish: {replicas - updated} '
                           "old replicas are pending termination...\n")
        if available < updated:
            return False, (f'Waiting for deployment "{name}" rollout to finish: {available} of '
                           f"{updated} updated replicas are available...\n")
        return True, f'deployment "{name}" successfully rolled out\n'
    if rt.plural == "daemonsets":
        if obj["metadata"].get("generation", 0) > st.get("observedGeneration", 0):
            return False, "Waiting for daemon set spec update to be observed...\n"
        desired = st.get("desiredNumberScheduled", 0)
        updated = st.get("updatedNumberScheduled", 0)
        available = st.get("numberAvailable", 0)
        if updated < desired:
            return False, (f'Waiting for daemon set "{name}" rollout to finish: {updated} out of '
                           f"{desired} new pods have been updated...\n")
        if available < desired:
            return False, (f'Waiting for daemon set "{name}" rollout to finish: {available} of '
                           f"{desired} updated pods are available...\n")
        return True, f'daemon set "{name}" successfully rolled out\n'
    want = spec.get("replicas", 1)
    ready = st.get("readyReplicas", 0)
    if ready < want:
        return False, f"Waiting for {want - ready} pods to be ready...\n"
    return True, (f"statefulset rolling update complete {want} pods at revision "
                  f"{st.get('updateRevision', '')}...\n")


def _status(ctx, p, rt, obj):
    loop = ctx.cluster.loop
    ns = obj["metadata"].get("namespace")
    name = obj["metadata"]["name"]
    last = None
    limit = _seconds(p["timeout"]) or 900
    start = loop.now
    while True:
        ctx.settle()
        obj = ctx.client.get(rt, ns, name)
        done, msg = _status_line(rt, obj)
        if msg != last:
            ctx.out(msg, end="")
            last = msg
        if done or not p["watch"]:
            return 0
        if loop.now - start >= limit:
            raise KubectlError("timed out waiting for the condition")
        loop.advance(1.0)


def _seconds(text) -> float:
    import re
    total = 0.0
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)(h|ms|m|s)", str(text or "")):
        total += float(num) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[unit]
    return total


def _history(ctx, p, rt, obj):
    if rt.plural != "deployments":
        revs = [r for r in ctx.client.list("controllerrevisions", obj["metadata"]["namespace"])["items"]
                if any(o.get("uid") == obj["metadata"]["uid"] for o in r["metadata"].get("ownerReferences") or [])]
        rows = sorted((r.get("revision", 0), (r["metadata"].get("annotations") or {}).get("kubernetes.io/change-cause", "<none>")) for r in revs)
    else:
        sets = _owned_sets(ctx, obj)
        rows = [(int((rs["metadata"].get("annotations") or {}).get(REVISION, "0")),
                 (rs["metadata"].get("annotations") or {}).get("kubernetes.io/change-cause", "<none>"))
                for rs in sets]
    label = resources.ref(rt, obj["metadata"]["name"])
    if p["revision"]:
        sets = _owned_sets(ctx, obj)
        rs = next((s for s in sets if (s["metadata"].get("annotations") or {}).get(REVISION) == str(p["revision"])), None)
        if rs is None:
            raise KubectlError(f"unable to find the specified revision")
        ctx.out(f"{label} with revision #{p['revision']}")
        ctx.out(_template_text(rs["spec"]["template"]), end="")
        ctx.out("")
        return 0
    if not rows:
        ctx.out(f"No rollout history found.")
        return 0
    ctx.out(f"{label} ")
    w = max(len("REVISION"), *(len(str(r)) for r, _ in rows))
    ctx.out(f"{'REVISION'.ljust(w)}  CHANGE-CAUSE")
    for rev, cause in sorted(rows):
        ctx.out(f"{str(rev).ljust(w)}  {cause}")
    ctx.out("")
    return 0


def _template_text(tmpl) -> str:
    md = tmpl.get("metadata") or {}
    labels = md.get("labels") or {}
    lab = "\n\t".join(f"{k}={v}" for k, v in sorted(labels.items())) or "<none>"
    lines = [f"Pod Template:\n  Labels:\t{lab}\n"]
    ann = md.get("annotations") or {}
    if ann:
        lines.append("  Annotations:\t" + "\n\t".join(f"{k}: {v}" for k, v in sorted(ann.items())) + "\n")
    lines.append("  Containers:\n")
    for c in (tmpl.get("spec") or {}).get("containers") or []:
        lines.append(f"   {c.get('name')}:\n    Image:\t{c.get('image')}\n")
        ports = c.get("ports") or []
        if ports:
            lines.append(f"    Port:\t{ports[0].get('containerPort')}/{ports[0].get('protocol', 'TCP')}\n")
            lines.append(f"    Host Port:\t{ports[0].get('hostPort', 0)}/{ports[0].get('protocol', 'TCP')}\n")
        else:
            lines.append("    Port:\t<none>\n    Host Port:\t<none>\n")
        env = c.get("env") or []
        lines.append("    Environment:\t" + ("<none>" if not env else "\n      ".join(f"{e['name']}:\t{e.get('value', '')}" for e in env)) + "\n")
        lines.append("    Mounts:\t<none>\n")
    lines.append("  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n")
    return "".join(lines)


def _undo(ctx, p, rt, obj):
    if rt.plural != "deployments":
        raise KubectlError("rollback is only supported for deployments in kcore")
    name = obj["metadata"]["name"]
    if (obj.get("spec") or {}).get("paused"):
        raise KubectlError("you cannot rollback a paused deployment; resume it first with "
                           "'kubectl rollout resume' and try again")
    sets = _owned_sets(ctx, obj)
    if not sets:
        raise KubectlError(f'no rollout history found for deployment "{name}"')
    revs = {int((rs["metadata"].get("annotations") or {}).get(REVISION, "0")): rs for rs in sets}
    target = p["to-revision"]
    if target:
        rs = revs.get(target)
        if rs is None:
            raise KubectlError(f"unable to find specified revision {target} in history")
    else:
        ordered = sorted(revs)
        if len(ordered) < 2:
            raise KubectlError("no last revision to roll back to")
        target = ordered[-2]
        rs = revs[target]
    tmpl = clone(rs["spec"]["template"])
    (tmpl.get("metadata") or {}).get("labels", {}).pop("pod-template-hash", None)
    current = clone((obj.get("spec") or {}).get("template"))
    if current == tmpl:
        ctx.out(f"{resources.ref(rt, name)} skipped rollback (current template already matches revision {target})")
        return 0
    body = clone(obj)
    body["spec"]["template"] = tmpl
    ann = (rs["metadata"].get("annotations") or {})
    if "kubernetes.io/change-cause" in ann:
        body["metadata"].setdefault("annotations", {})["kubernetes.io/change-cause"] = ann["kubernetes.io/change-cause"]
    ctx.client.update(rt, obj["metadata"]["namespace"], body)
    ctx.out(f"{resources.ref(rt, name)} rolled back")
    ctx.settle()
    return 0


def _restart(ctx, p, rt, obj):
    if (obj.get("spec") or {}).get("paused"):
        raise KubectlError(f"can't restart paused deployment (run rollout resume first)")
    patch = {"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": ctx.cluster.loop.timestamp()}}}}}
    ctx.client.patch(rt, obj["metadata"]["namespace"], obj["metadata"]["name"], patch)
    ctx.out(f"{resources.ref(rt, obj['metadata']['name'])} restarted")
    ctx.settle()
    return 0


def _pause(ctx, p, rt, obj, value=True):
    if rt.plural != "deployments":
        raise KubectlError(f"{resources.ref(rt, obj['metadata']['name'])} pausing is not supported")
    ref = resources.ref(rt, obj["metadata"]["name"])
    if bool((obj.get("spec") or {}).get("paused")) == value:
        ctx.out(f"{ref} already {'paused' if value else 'resumed'}")
        return 0
    ctx.client.patch(rt, obj["metadata"]["namespace"], obj["metadata"]["name"],
                     {"spec": {"paused": True if value else None}}, patch_type="merge")
    ctx.out(f"{ref} {'paused' if value else 'resumed'}")
    ctx.settle()
    return 0


def _resume(ctx, p, rt, obj):
    return _pause(ctx, p, rt, obj, value=False)
