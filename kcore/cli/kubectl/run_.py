"""kubectl run: one pod from an image (plus a Service with --expose).

With `--rm -it` the pod is run to completion as a throwaway shell would be: its output is
shown, then it is deleted — the exam's `kubectl run tmp --rm -it --image=busybox -- wget …`."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, output as out_fmt, resources
from kcore.cli.kubectl import generators as gen
from kcore.cli.kubectl.create import dry_run_mode
from kcore.cli.kubectl.create_generators import _convert
from kcore.cli.kubectl.flags import Flag

FLAGS = [_convert(f) for f in gen.FLAGS["run"]] + [
    Flag("rm", kind="bool"), Flag("output", "o"), Flag("dry-run", default="none", no_opt="unchanged"),
    Flag("restart", default="Always"), Flag("overrides"), Flag("attach", kind="bool"),
    Flag("quiet", "q", kind="bool"), Flag("save-config", kind="bool"),
    Flag("pod-running-timeout", default="1m0s"), Flag("field-manager"), Flag("override-type"),
    Flag("privileged", kind="bool"), Flag("leave-stdin-open", kind="bool")]


def run(ctx, p):
    if not p.args:
        raise KubectlError("NAME is required for run")
    name = p.args[0]
    options = {}
    for f in gen.FLAGS["run"]:
        if p.was_set(f.name):
            options[f.dest] = p.get(f.name)
    options["restart"] = p["restart"]
    if p.after_dash is not None:
        options["args"] = list(p.after_dash)
    elif len(p.args) > 1:
        options["args"] = list(p.args[1:])
    if ctx.explicit_namespace:
        options["namespace"] = ctx.namespace
    try:
        pod = gen.gen_run(name, **options)
    except gen.GeneratorError as exc:
        raise KubectlError(exc.message if hasattr(exc, "message") else str(exc)) from None
    if p["overrides"]:
        import json
        from kcore.machinery import patch as _patch
        try:
            over = json.loads(p["overrides"])
        except ValueError as exc:
            raise KubectlError(f"unable to parse overrides: {exc}") from None
        kind = (p["override-type"] or "merge")
        try:
            if kind == "json":
                pod = _patch.json_patch(pod, over)
            elif kind == "strategic":
                pod = _patch.strategic_merge_patch(pod, over, "Pod")
            else:
                pod = _patch.merge_patch(pod, over)
        except _patch.PatchError as exc:
            raise KubectlError(str(exc)) from None
    fmt = out_fmt.OutputFormat.parse(p.get("output"))
    dry = dry_run_mode(p)
    rt = resources.lookup("pods")
    if p["rm"] and not (p["stdin"] or p["attach"]):
        raise KubectlError("--rm should only be used for attached containers")
    svc = None
    if p["expose"]:
        if not p["port"]:
            raise KubectlError("--port must be set when exposing a service")
        svc = gen.gen_run_service(pod, port=p["port"])
    if dry == "client":
        objs = [(resources.lookup("services"), svc)] if svc else []
        objs.append((rt, pod))
        for r, o in objs:
            if fmt.human:
                out_fmt.success(ctx, fmt, r, o, "created", dry)
            else:
                ctx.out(out_fmt.render(ctx, fmt, [(r, [o])], {"output": p.get("output")}, single=True), end="")
        return 0
    ns = ctx.namespace
    if svc is not None:
        created_svc = ctx.client.create("services", ns, svc, dry_run=dry == "server")
        out_fmt.success(ctx, fmt, resources.lookup("services"), created_svc, "created", dry)
    created = ctx.client.create(rt, ns, pod, dry_run=dry == "server")
    if p["stdin"] or p["attach"]:
        return _attach(ctx, p, created)
    out_fmt.success(ctx, fmt, rt, created, "created", dry)
    ctx.settle()
    return 0


def _attach(ctx, p, pod):
    """Run to completion (or until output appears) and show the container's output."""
    ns, name = pod["metadata"]["namespace"], pod["metadata"]["name"]
    if p["tty"] and not p["quiet"]:
        ctx.out("If you don't see a command prompt, try pressing enter.")
    loop = ctx.cluster.loop
    start = loop.now
    code = 0
    while True:
        ctx.settle()
        cur = ctx.client.try_get("pods", ns, name)
        phase = (cur.get("status") or {}).get("phase") if cur else None
        if phase in ("Succeeded", "Failed") or cur is None or loop.now - start > 60:
            break
        statuses = (cur.get("status") or {}).get("containerStatuses") or []
        if statuses and any("waiting" in (s.get("state") or {}) and
                            (s["state"]["waiting"].get("reason") in ("ErrImagePull", "ImagePullBackOff",
                                                                     "CrashLoopBackOff", "CreateContainerConfigError"))
                            for s in statuses):
            break
        loop.advance(1.0)
    lines = []
    try:
        lines = ctx.cluster.api.connect(ns, name, "log", user=ctx.client.user) or []
    except Exception:  # noqa: BLE001 - no output to show
        lines = []
    for _, _, text in lines:
        ctx.out(text)
    cur = ctx.client.try_get("pods", ns, name)
    if cur is not None and (cur.get("status") or {}).get("phase") == "Failed":
        st = ((cur.get("status") or {}).get("containerStatuses") or [{}])[0]
        code = ((st.get("state") or {}).get("terminated") or {}).get("exitCode", 1)
    if p["rm"]:
        ctx.client.delete("pods", ns, name, grace_period=0)
        ctx.out(f'pod "{name}" deleted from {ns} namespace')
        ctx.settle()
    if code:
        ctx.err(f"pod {ns}/{name} terminated (Error)")
    return 1 if code else 0
