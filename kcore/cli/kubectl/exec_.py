"""kubectl exec: run a command in a running container (through the kubelet)."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("container", "c"), Flag("stdin", "i", kind="bool"), Flag("tty", "t", kind="bool"),
         Flag("quiet", "q", kind="bool"), Flag("filename", "f", kind="list"),
         Flag("pod-running-timeout", default="1m0s")]


def run(ctx, p):
    if not p.args:
        raise KubectlError("pod, type/name or --filename must be specified")
    argv = p.after_dash if p.after_dash is not None else p.args[1:]
    if not argv:
        raise KubectlError("you must specify at least one command for the container")
    target = p.args[0]
    client = ctx.client
    ns = ctx.namespace
    if "/" in target:
        kind, _, name = target.partition("/")
        if kind not in ("pod", "pods", "po"):
            from kcore.cli.kubectl import resources
            from kcore.machinery import labels
            rt = resources.lookup(kind)
            obj = client.get(rt, ns, name)
            sel = labels.from_label_selector((obj.get("spec") or {}).get("selector") or {})
            pods = sorted(client.list("pods", ns, label_selector=str(sel))["items"],
                          key=lambda x: x["metadata"]["name"])
            if not pods:
                raise KubectlError("timed out waiting for the condition")
            pod = pods[0]
        else:
            pod = client.get("pods", ns, name)
    else:
        pod = client.get("pods", ns, target)
    name = pod["metadata"]["name"]
    names = [c["name"] for c in (pod.get("spec") or {}).get("containers") or []]
    cname = p["container"]
    if cname and cname not in names:
        raise KubectlError(f"container {cname} not found in pod {name}" if False else
                           f'container {cname} is not valid for pod {name}')
    if not cname:
        default = (pod["metadata"].get("annotations") or {}).get("kubectl.kubernetes.io/default-container")
        cname = default if default in names else names[0]
        if len(names) > 1 and not default and not p["quiet"]:
            ctx.err(f'Defaulted container "{cname}" out of: {", ".join(names)}')
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(f"cannot exec into a container in a completed pod; current phase is {phase}")
    st = next((s for s in (pod.get("status") or {}).get("containerStatuses") or [] if s["name"] == cname), {})
    if "running" not in (st.get("state") or {}):
        raise KubectlError(f'unable to upgrade connection: container not found ("{cname}")',
                           prefix="error: ")
    result = ctx.cluster.api.connect(ns, name, "exec", user=ctx.client.user, container=cname,
                                     argv=list(argv), stdin=ctx.stdin if p["stdin"] else "")
    if result is None:
        raise KubectlError(f'unable to upgrade connection: container not found ("{cname}")')
    out, err, code = result
    ctx.out(out, end="")
    if err:
        ctx.err(err, end="")
    if code:
        ctx.err(f"command terminated with exit code {code}")
        return code
    return 0
