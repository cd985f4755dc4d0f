"""Finding the objects a verb acts on: `TYPE NAME…`, `TYPE/NAME…`, `-f FILE`, `-l SEL`, `--all`.

Shared by label, annotate, scale, patch, set, rollout, taint … so every verb accepts the same
shapes and words its errors the same way."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, resources


def select(ctx, p, args=None, *, allow_selector=True, need_name=True):
    """[(ResourceType, object)] for the command line. Raises ApiError / KubectlError."""
    args = list(p.args if args is None else args)
    client = ctx.client
    out = []
    filenames = p.get("filename") if "filename" in p.values else None
    if filenames:
        from kcore.cli.kubectl import manifests
        from kcore.cli.kubectl.create import target_namespace
        for doc in manifests.read_sources(ctx, filenames, bool(p.get("recursive"))):
            rt = manifests.check_kind(doc)
            ns = target_namespace(ctx, rt, doc)
            name = (doc.obj.get("metadata") or {}).get("name", "")
            out.append((rt, client.get(rt, ns, name)))
        return out
    if not args:
        raise KubectlError("You must provide one or more resources by argument or filename.\n"
                           "Example resource specifications include:\n   '-f rsrc.yaml'\n"
                           "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
    reqs = resources.parse_args(args)
    selector = p.get("selector") if allow_selector and "selector" in p.values else None
    all_ = p.get("all") if "all" in p.values else False
    all_ns = p.get("all-namespaces") if "all-namespaces" in p.values else False
    for rt, name in reqs:
        ns = ctx.namespace if rt.namespaced else None
        if name:
            out.append((rt, client.get(rt, ns, name)))
            continue
        if not (selector or all_):
            if need_name:
                raise KubectlError("resource(s) were provided, but no name was specified")
        lst = client.list(rt, None if all_ns else ns, label_selector=selector or "")
        out.extend((rt, o) for o in lst["items"])
    return out


def ns_of(rt, obj):
    return obj["metadata"].get("namespace") if rt.namespaced else None
