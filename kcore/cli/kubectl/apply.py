"""kubectl apply: declarative management with `last-applied-configuration`.

A new object is created with the annotation recording what the file said. An existing one is
patched with the three-way merge of (last applied, this file, live object): fields the file
dropped since last time are removed, fields others set (controllers, `kubectl scale`) are
left alone. No difference means `unchanged`."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, format_api_error
from kcore.cli.kubectl import output as out_fmt
from kcore.cli.kubectl.create import LAST_APPLIED, dry_run_mode, target_namespace, with_last_applied
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("filename", "f", kind="list"), Flag("recursive", "R", kind="bool"),
         Flag("output", "o"), Flag("dry-run", default="none", no_opt="unchanged"),
         Flag("server-side", kind="bool"), Flag("force-conflicts", kind="bool"),
         Flag("field-manager", default="kubectl-client-side-apply"), Flag("prune", kind="bool"),
         Flag("selector", "l"), Flag("all", kind="bool"), Flag("overwrite", kind="bool", default=True),
         Flag("force", kind="bool"), Flag("grace-period", kind="int", default=-1),
         Flag("validate", default="strict", no_opt="strict"), Flag("wait", kind="bool"),
         Flag("timeout"), Flag("kustomize", "k"), Flag("openapi-patch", kind="bool", default=True),
         Flag("show-managed-fields", kind="bool"), Flag("cascade", default="background"),
         Flag("allow-missing-template-keys", kind="bool", default=True), Flag("template")]

SUBCOMMANDS = ("view-last-applied", "set-last-applied", "edit-last-applied")


def run(ctx, p) -> int:
    if p.args and p.args[0] == "view-last-applied":
        return view_last_applied(ctx, p)
    if p["kustomize"]:
        raise KubectlError("kustomize directories are not supported by kcore yet; use -f")
    if not p["filename"]:
        raise KubectlError("must specify one of -f and -k")
    from kcore.apiserver import ApiError
    from kcore.cli.kubectl import manifests
    fmt = out_fmt.OutputFormat.parse(p.get("output"))
    dry = dry_run_mode(p)
    code = 0
    docs = manifests.read_sources(ctx, p["filename"], p["recursive"])
    if not docs:
        raise KubectlError("no objects passed to apply")
    for doc in docs:
        try:
            rt = manifests.check_kind(doc)
            ns = target_namespace(ctx, rt, doc)
            code |= apply_one(ctx, p, fmt, dry, rt, ns, doc)
        except ApiError as exc:
            action = "creating" if getattr(exc, "_apply_creating", False) else "applying"
            if exc.reason == "Invalid":
                ctx.err(format_api_error(exc))
            else:
                ctx.err(format_api_error(exc, action, doc.source))
            code = 1
        except KubectlError as exc:
            ctx.err(f"{exc.prefix}{exc.message}")
            code = 1
        ctx.cluster.loop.run_ready()
    ctx.settle()
    return code


def apply_one(ctx, p, fmt, dry, rt, ns, doc) -> int:
    from kcore.apiserver import ApiError
    md = doc.obj.get("metadata") if isinstance(doc.obj.get("metadata"), dict) else {}
    name = md.get("name")
    if not name:
        if md.get("generateName"):
            raise KubectlError("from " + doc.source + ": cannot use generate name with apply")
        raise KubectlError(f'error when retrieving current configuration of:\nResource: '
                           f'"{rt.group_resource}", GroupVersionKind: "{rt.api_version}, Kind={rt.kind}"'
                           f'\nName: "", Namespace: "{ns or ""}"\nfrom server for: "{doc.source}": '
                           "resource name may not be empty")
    client = ctx.client
    live = client.try_get(rt, ns, name)
    modified = with_last_applied(doc.obj, ns)
    if ns and rt.namespaced:
        modified["metadata"]["namespace"] = ns  # kubectl sets it on the object it applies
    if p["server-side"]:
        modified = doc.obj
    if live is None:
        try:
            if dry == "client":
                obj = modified
            else:
                obj = client.create(rt, ns, modified, dry_run=dry == "server")
        except ApiError as exc:
            exc._apply_creating = True
            raise
        out_fmt.success(ctx, fmt, rt, obj, "serverside-applied" if p["server-side"] else "created", dry)
        return 0
    original_text = ((live.get("metadata") or {}).get("annotations") or {}).get(LAST_APPLIED)
    import json
    original = None
    if original_text:
        try:
            original = json.loads(original_text)
        except ValueError:
            original = None
    elif not p["server-side"]:
        ctx.warn(f"resource {rt.plural if not rt.group else rt.plural + '.' + rt.group}/{name} is "
                 "missing the kubectl.kubernetes.io/last-applied-configuration annotation which "
                 "is required by kubectl apply. kubectl apply should only be used on resources "
                 "created declaratively by either kubectl create --save-config or kubectl apply. "
                 "The missing annotation will be patched automatically.")
    from kcore.machinery import patch as mpatch
    try:
        patch = mpatch.create_three_way_patch(original, modified, live, rt.kind)
    except mpatch.PatchError as exc:
        raise KubectlError(str(exc)) from None
    if not patch:
        out_fmt.success(ctx, fmt, rt, live, "unchanged", dry)
        return 0
    if dry == "client":
        merged = mpatch.strategic_merge_patch(live, patch, rt.kind)
        out_fmt.success(ctx, fmt, rt, merged, "configured", dry)
        return 0
    obj = client.patch(rt, ns, name, patch, patch_type="strategic", dry_run=dry == "server")
    verb = "serverside-applied" if p["server-side"] else "configured"
    out_fmt.success(ctx, fmt, rt, obj, verb, dry)
    return 0


def view_last_applied(ctx, p) -> int:
    from kcore.cli.kubectl import resources
    from kcore.cli.kubectl.printers.yamlout import to_yaml
    import json
    for rt, name in resources.parse_args(p.args[1:]):
        obj = ctx.client.get(rt, ctx.namespace if rt.namespaced else None, name)
        text = ((obj.get("metadata") or {}).get("annotations") or {}).get(LAST_APPLIED)
        if not text:
            raise KubectlError(f"no last-applied-configuration annotation found on resource: {name}")
        data = json.loads(text)
        ctx.out(json.dumps(data, indent=2) if (p["output"] == "json") else to_yaml(data), end="" if p["output"] != "json" else "\n")
    return 0
