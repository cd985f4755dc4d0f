"""kubectl delete: by name, by file, by selector or `--all`.

Deletion is graceful by default: a running pod turns Terminating and disappears once its
kubelet has stopped it; `--wait` (the default) lets virtual time run until then.
`--force --grace-period=0` removes it from the API at once, with kubectl's warning.
The confirmation line names the namespace (kubectl ≥ 1.34)."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, format_api_error, resources
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("filename", "f", kind="list"), Flag("recursive", "R", kind="bool"),
         Flag("selector", "l"), Flag("field-selector"), Flag("all", kind="bool"),
         Flag("all-namespaces", "A", kind="bool"), Flag("force", kind="bool"),
         Flag("grace-period", kind="int", default=-1), Flag("now", kind="bool"),
         Flag("ignore-not-found", kind="bool"), Flag("wait", kind="bool", default=True),
         Flag("timeout"), Flag("cascade", default="background", no_opt="background"),
         Flag("output", "o"), Flag("dry-run", default="none", no_opt="unchanged"),
         Flag("interactive", "i", kind="bool"), Flag("raw")]

CASCADE = {"background": "Background", "true": "Background", "foreground": "Foreground",
           "orphan": "Orphan", "false": "Orphan"}


def run(ctx, p) -> int:
    from kcore.apiserver import ApiError
    from kcore.cli.kubectl.create import dry_run_mode
    dry = dry_run_mode(p)
    cascade = CASCADE.get(str(p["cascade"]).lower())
    if cascade is None:
        raise KubectlError(f'invalid cascade value ({p["cascade"]}). Must be "background", '
                           '"foreground", or "orphan".')
    grace = p["grace-period"]
    if p["now"]:
        grace = 1
    if p["force"] and grace < 0:
        grace = 0
    if p["force"]:
        ctx.warn("Immediate deletion does not wait for confirmation that the running resource "
                 "has been terminated. The resource may continue to run on the cluster "
                 "indefinitely.")
    targets = []  # (rt, ns, name, source)
    code = 0
    if p["filename"]:
        from kcore.cli.kubectl import manifests
        from kcore.cli.kubectl.create import target_namespace
        for doc in manifests.read_sources(ctx, p["filename"], p["recursive"]):
            rt = manifests.check_kind(doc)
            md = doc.obj.get("metadata") or {}
            targets.append((rt, target_namespace(ctx, rt, doc), md.get("name", ""), doc.source))
    else:
        if not p.args:
            raise KubectlError("You must provide one or more resources by argument or filename.\n"
                               "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                               "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
        reqs = resources.parse_args(p.args)
        selecting = p["selector"] or p["field-selector"] or p["all"]
        for rt, name in reqs:
            ns = ctx.namespace if rt.namespaced else None
            if name:
                if selecting and p["selector"]:
                    raise KubectlError("name cannot be provided when a selector is specified")
                targets.append((rt, ns, name, None))
                continue
            if not selecting:
                raise KubectlError("resource(s) were provided, but no name was specified")
            lst = ctx.client.list(rt, None if p["all-namespaces"] else ns,
                                  label_selector=p["selector"] or "",
                                  field_selector=p["field-selector"] or "")
            for obj in lst["items"]:
                md = obj["metadata"]
                targets.append((rt, md.get("namespace"), md["name"], None))
        if selecting and not targets:
            ctx.err("No resources found")
            return 0
    deleted = []
    for rt, ns, name, source in targets:
        try:
            res = ctx.client.delete(rt, ns, name, grace_period=None if grace < 0 else grace,
                                    propagation_policy=cascade, dry_run=bool(dry))
        except ApiError as exc:
            if exc.reason == "NotFound" and p["ignore-not-found"]:
                continue
            ctx.err(format_api_error(exc, "deleting" if source else "", source or ""))
            code = 1
            continue
        if p["output"] == "name":
            ctx.out(resources.ref(rt, name))
        else:
            label = rt.kind.lower() + ("." + rt.group if rt.group else "")
            where = f" from {ns} namespace" if rt.namespaced and ns else ""
            verb = "force deleted" if p["force"] and grace == 0 else "deleted"
            suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
            ctx.out(f'{label} "{name}" {verb}{where}{suffix}')
        res = res if isinstance(res, dict) else {}
        uid = (res.get("metadata") or {}).get("uid") if res.get("kind") != "Status" else \
            (res.get("details") or {}).get("uid")
        deleted.append((rt, ns, name, uid))
        ctx.cluster.loop.run_ready()
    if p["wait"] and deleted and not dry:
        wait_gone(ctx, deleted)
    else:
        ctx.settle()
    return code


def _still_there(ctx, rt, ns, name, uid=None) -> bool:
    """kubectl waits for the deleted object's uid: one recreated under the name (a mirror pod,
    a StatefulSet's pod) is another object."""
    obj = ctx.cluster.admin.try_get(rt, ns, name)
    return obj is not None and (uid is None or obj["metadata"].get("uid") == uid)


def wait_gone(ctx, deleted, limit: float = 600.0) -> None:
    """Let virtual time run until the deleted objects are gone (kubectl --wait)."""
    loop = ctx.cluster.loop
    start = loop.now
    while True:
        ctx.settle()
        left = [t for t in deleted if _still_there(ctx, *t)]
        if not left or loop.now - start >= limit:
            return
        nxt = loop.next_foreground()
        if nxt is None:
            loop.advance(1.0)
        elif nxt - loop.now > limit:
            return
