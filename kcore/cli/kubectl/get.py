"""kubectl get: fetch objects and print them in the asked format.

Tables are printed per type, in the order the types were asked for; `-o yaml/json/jsonpath`
see one object when one name was asked, otherwise a List. Missing names are reported on
stderr (`Error from server (NotFound): …`) after what was found, and the exit code is 1."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, format_api_error
from kcore.cli.kubectl import output as out_fmt
from kcore.cli.kubectl import resources
from kcore.cli.kubectl.flags import Flag

FLAGS = [
    Flag("output", "o"), Flag("selector", "l"), Flag("field-selector"),
    Flag("all-namespaces", "A", kind="bool"), Flag("show-labels", kind="bool"),
    Flag("label-columns", "L", kind="csv"), Flag("no-headers", kind="bool"),
    Flag("sort-by"), Flag("watch", "w", kind="bool"), Flag("watch-only", kind="bool"),
    Flag("show-kind", kind="bool"), Flag("filename", "f", kind="list"),
    Flag("recursive", "R", kind="bool"), Flag("chunk-size", kind="int", default=500),
    Flag("ignore-not-found", kind="bool"), Flag("template"), Flag("raw"),
    Flag("subresource"), Flag("show-managed-fields", kind="bool"),
    Flag("output-watch-events", kind="bool"), Flag("allow-missing-template-keys", kind="bool",
                                                   default=True),
]

USAGE = ('You must specify the type of resource to get. Use "kubectl api-resources" for a '
         'complete list of supported resources.\n\nerror: Required resource not specified.\n'
         'Use "kubectl explain <resource>" for a detailed description of that resource '
         "(e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples")


def run(ctx, p) -> int:
    fmt = out_fmt.OutputFormat.parse(p.get("output"), p)
    all_ns = bool(p["all-namespaces"])
    if any(a.split("/")[0].split(",")[0] in ("ep", "endpoints", "endpoint") or
           any(t in ("ep", "endpoints", "endpoint") for t in a.split("/")[0].split(","))
           for a in p.args[:1] + [x for x in p.args if "/" in x]):
        ctx.warn("v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice")
    sections, errors = collect(ctx, p, all_ns)
    code = 0
    if errors:
        code = 1
    text = out_fmt.render(ctx, fmt, sections, p, all_namespaces=all_ns,
                          single=_single(p, sections))
    if text:
        ctx.out(text, end="")
    elif fmt.human and not errors and not p["ignore-not-found"]:
        rts = [rt for rt, _ in sections]
        namespaced = any(rt.namespaced for rt in rts) if rts else True
        from kcore.cli.kubectl.printers.output import no_resources_message
        ctx.err(no_resources_message(ctx.namespace, all_namespaces=all_ns, namespaced=namespaced),
                end="")
    for e in errors:
        ctx.err(e)
    if p["watch"] or p["watch-only"]:
        ctx.cluster.loop.run_ready()
    return code


def _single(p, sections) -> bool:
    """One named object (not a list) -> printers show the object itself."""
    if p["filename"]:
        return sum(len(objs) for _, objs in sections) == 1 and len(p["filename"]) == 1
    args = p.args
    if not args:
        return False
    if any("/" in a for a in args):
        return len(args) == 1
    return len(args) == 2 and "," not in args[0]


def collect(ctx, p, all_ns: bool):
    """[(ResourceType, [objects])] in request order, plus error lines."""
    client = ctx.client
    errors: list[str] = []
    if p["filename"]:
        from kcore.cli.kubectl import manifests
        reqs = []
        for doc in manifests.read_sources(ctx, p["filename"], p["recursive"]):
            rt = manifests.check_kind(doc)
            md = doc.obj.get("metadata") or {}
            reqs.append((rt, md.get("name"), md.get("namespace")))
    else:
        if not p.args:
            raise KubectlError(USAGE, prefix="")
        reqs = [(rt, name, None) for rt, name in resources.parse_args(p.args)]
    if any(name for _, name, _ in reqs) and (p["selector"] or p["field-selector"]) and not p["filename"]:
        raise KubectlError("name cannot be provided when a selector is specified")
    sections: list = []
    by_type: dict = {}
    from kcore.apiserver import ApiError
    for rt, name, file_ns in reqs:
        ns = None if (all_ns and not name) else (file_ns or ctx.namespace)
        if not rt.namespaced:
            ns = None
        if rt.plural not in by_type:
            by_type[rt.plural] = []
            sections.append((rt, by_type[rt.plural]))
        try:
            if name:
                by_type[rt.plural].append(client.get(rt, ns, name))
            else:
                lst = client.list(rt, ns, label_selector=p["selector"] or "",
                                  field_selector=p["field-selector"] or "", readonly=True)
                by_type[rt.plural].extend(lst["items"])
        except ApiError as exc:
            if exc.reason == "NotFound" and p["ignore-not-found"]:
                continue
            if exc.reason in ("Forbidden", "BadRequest", "Unauthorized") and not name:
                raise
            errors.append(format_api_error(exc))
    if p["sort-by"]:
        from kcore.cli.kubectl.printers.output import sort_objects
        sections = [(rt, sort_objects(objs, p["sort-by"], for_table=True)) for rt, objs in sections]
    return sections, errors
