"""kubectl logs: a container's output, fetched from its node's kubelet through the API server.

Without -c the default container is the one named by kubectl.kubernetes.io/default-container,
else the first, with kubectl's `Defaulted container "app" out of: app, sidecar` note.
`-p` shows the previous instance (after a restart), `--tail`, `--timestamps`, `-l`,
`--all-containers`, and `TYPE/NAME` (the first pod of a Deployment, Job …)."""
from __future__ import annotations

import datetime as _dt

from kcore.cli.kubectl import KubectlError
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("container", "c"), Flag("previous", "p", kind="bool"), Flag("follow", "f", kind="bool"),
         Flag("tail", kind="int", default=-1), Flag("timestamps", kind="bool"),
         Flag("selector", "l"), Flag("all-containers", kind="bool"), Flag("since"),
         Flag("since-time"), Flag("limit-bytes", kind="int", default=0), Flag("prefix", kind="bool"),
         Flag("max-log-requests", kind="int", default=5), Flag("ignore-errors", kind="bool"),
         Flag("pod-running-timeout", default="20s"), Flag("insecure-skip-tls-verify-backend", kind="bool"),
         Flag("all-pods", kind="bool")]


def _pods_for(ctx, p):
    client = ctx.client
    ns = ctx.namespace
    if p["selector"]:
        pods = client.list("pods", ns, label_selector=p["selector"])["items"]
        if not pods:
            ctx.err("No resources found in " + ns + " namespace.")
        return pods, True
    if not p.args:
        raise KubectlError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
                           "POD or TYPE/NAME is a required argument for the logs command\n"
                           "See 'kubectl logs -h' for help and examples")
    target = p.args[0]
    if len(p.args) > 1 and not p["container"]:
        p.values["container"] = p.args[1]
    if "/" in target:
        kind, _, name = target.partition("/")
        from kcore.cli.kubectl import resources
        rt = resources.lookup(kind)
        if rt.plural == "pods":
            return [client.get("pods", ns, name)], False
        obj = client.get(rt, ns, name)
        from kcore.machinery import labels
        sel = (obj.get("spec") or {}).get("selector") or {}
        if rt.plural in ("services", "replicationcontrollers"):
            sel = {"matchLabels": sel}
        s = labels.from_label_selector(sel)
        pods = [x for x in client.list("pods", ns, label_selector=str(s))["items"]]
        pods.sort(key=lambda x: x["metadata"]["name"])
        if not pods:
            raise KubectlError(f"timed out waiting for the condition")
        if len(pods) > 1:
            ctx.err(f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}")
        return pods[:1], False
    from kcore.apiserver import ApiError
    try:
        return [client.get("pods", ns, target)], False
    except ApiError as exc:
        if exc.reason == "NotFound":
            raise KubectlError(f'error from server (NotFound): pods "{target}" not found in namespace "{ns}"') from None
        raise


def _since(ctx, p) -> float:
    """--since=10s / --since-time=RFC3339: the loop time from which lines are shown."""
    loop = ctx.cluster.loop
    if p["since"] and p["since-time"]:
        raise KubectlError("at most one of `sinceTime` or `sinceSeconds` may be specified")
    if p["since"]:
        import re
        from kcore.cli.kubectl.rollout import _seconds
        if re.fullmatch(r"(\d+(\.\d+)?(h|m|s|ms))+", p["since"]):
            return loop.now - _seconds(p["since"])
        if True:
            raise KubectlError(f'invalid argument "{p["since"]}" for "--since" flag: time: invalid '
                               f'duration "{p["since"]}"') from None
    try:
        return loop.parse_timestamp(p["since-time"])
    except (ValueError, TypeError):
        raise KubectlError(f'"{p["since-time"]}" is not a valid RFC3339 time') from None


def run(ctx, p):
    pods, many = _pods_for(ctx, p)
    for pod in pods:
        _one(ctx, p, pod, many)
    return 0


def _one(ctx, p, pod, many):
    spec = pod.get("spec") or {}
    names = [c["name"] for c in spec.get("containers") or []]
    init_names = [c["name"] for c in spec.get("initContainers") or []]
    ann = pod["metadata"].get("annotations") or {}
    if p["all-containers"]:
        chosen = init_names + names
    elif p["container"]:
        if p["container"] not in names + init_names:
            raise KubectlError(f"container {p['container']} is not valid for pod {pod['metadata']['name']}")
        chosen = [p["container"]]
    else:
        default = ann.get("kubectl.kubernetes.io/default-container")
        chosen = [default if default in names else names[0]]
        if len(names) > 1 and not default:
            ctx.err(f'Defaulted container "{chosen[0]}" out of: {", ".join(names)}')
    statuses = {s["name"]: s for s in ((pod.get("status") or {}).get("containerStatuses") or []) +
                ((pod.get("status") or {}).get("initContainerStatuses") or [])}
    from kcore.apiserver import ApiError
    for cname in chosen:
        st = statuses.get(cname) or {}
        state = st.get("state") or {}
        name = pod["metadata"]["name"]
        if p["previous"] and not (st.get("lastState") or {}).get("terminated"):
            raise KubectlError(f'previous terminated container "{cname}" in pod "{name}" not found',
                               prefix="Error from server (BadRequest): ")
        if not p["previous"] and "waiting" in state and not st.get("restartCount"):
            reason = state["waiting"].get("reason", "ContainerCreating")
            reason = {"ImagePullBackOff": "trying and failing to pull image",
                      "ErrImagePull": "image can't be pulled"}.get(reason, reason)
            raise KubectlError(f'container "{cname}" in pod "{name}" is waiting to start: {reason}',
                               prefix="Error from server (BadRequest): ")
        if not st and not (pod.get("spec") or {}).get("nodeName"):
            raise KubectlError(f'container "{cname}" in pod "{name}" is waiting to start: ContainerCreating'
                               if False else f"pod {name} does not have a host assigned",
                               prefix="Error from server (BadRequest): ")
        try:
            lines = ctx.cluster.api.connect(pod["metadata"]["namespace"], name, "log",
                                            user=ctx.client.user, container=cname,
                                            previous=p["previous"])
        except ApiError:
            raise
        except LookupError as exc:
            raise KubectlError(str(exc)) from None
        lines = list(lines or [])
        if p["since"] or p["since-time"]:
            lines = [x for x in lines if x[0] >= _since(ctx, p)]
        if p["tail"] >= 0:
            lines = lines[-p["tail"]:] if p["tail"] else []
        prefix = f"[pod/{name}/{cname}] " if (p["prefix"] or (many and len(chosen) > 1)) else ""
        for t, stream, text in lines:
            stamp = ""
            if p["timestamps"]:
                dt = _dt.datetime.fromtimestamp(ctx.cluster.loop.wall(t), tz=_dt.timezone.utc)
                stamp = dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond * 1000:09d}Z "
            ctx.out(prefix + stamp + text)
