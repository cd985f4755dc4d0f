"""kubectl replace: PUT the whole object from a file; `--force` deletes and recreates it."""
from __future__ import annotations

from kcore.machinery.objects import clone

from kcore.cli.kubectl import KubectlError, format_api_error, output as out_fmt, resources
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("filename", "f", kind="list"), Flag("recursive", "R", kind="bool"),
         Flag("force", kind="bool"), Flag("grace-period", kind="int", default=-1),
         Flag("cascade", default="background"), Flag("wait", kind="bool"), Flag("timeout"),
         Flag("output", "o"), Flag("dry-run", default="none", no_opt="unchanged"),
         Flag("save-config", kind="bool"), Flag("validate", default="strict", no_opt="strict"),
         Flag("raw"), Flag("subresource")]


def run(ctx, p):
    from kcore.apiserver import ApiError
    from kcore.cli.kubectl import manifests
    from kcore.cli.kubectl.create import target_namespace, with_last_applied
    from kcore.cli.kubectl.delete import wait_gone
    if not p["filename"]:
        raise KubectlError("must specify --filename to replace")
    fmt = out_fmt.OutputFormat.parse(p.get("output"))
    code = 0
    for doc in manifests.read_sources(ctx, p["filename"], p["recursive"]):
        try:
            rt = manifests.check_kind(doc)
            ns = target_namespace(ctx, rt, doc)
            body = with_last_applied(doc.obj, ns) if p["save-config"] else doc.obj
            name = (body.get("metadata") or {}).get("name", "")
            if p["force"]:
                grace = p["grace-period"]
                try:
                    ctx.client.delete(rt, ns, name, grace_period=None if grace < 0 else grace)
                    ctx.out(f'{resources.type_label(rt)} "{name}" deleted' +
                            (f" from {ns} namespace" if ns else ""))
                except ApiError as exc:
                    if exc.reason != "NotFound":
                        raise
                wait_gone(ctx, [(rt, ns, name)])
                obj = ctx.client.create(rt, ns, body)
                out_fmt.success(ctx, fmt, rt, obj, "replaced")
                continue
            live = ctx.client.get(rt, ns, name)
            body = clone(body)
            body.setdefault("metadata", {}).setdefault("resourceVersion",
                                                       live["metadata"]["resourceVersion"])
            obj = ctx.client.update(rt, ns, body)
            out_fmt.success(ctx, fmt, rt, obj, "replaced")
        except ApiError as exc:
            ctx.err(format_api_error(exc, "replacing", doc.source))
            code = 1
    ctx.settle()
    return code
