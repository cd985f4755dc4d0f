"""`kubectl create <thing> NAME --flags`: the imperative generators on the command line.

The builders live in generators.py (pure, differential-tested against kubectl); this module
maps their flag tables onto kubectl's flag grammar, sends the object (unless
`--dry-run=client`) and prints what kubectl prints — including the wrapped errors of the
typed generators (`error: failed to create deployment: …`)."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, format_api_error, output as out_fmt, resources
from kcore.cli.kubectl import flags as _flags
from kcore.cli.kubectl import generators as gen

TWO_WORD = {"service": ("clusterip", "nodeport", "loadbalancer", "externalname"),
            "secret": ("generic", "docker-registry", "tls")}
# kubectl's typed-client generators wrap server errors; these do not (reference §2.2)
UNWRAPPED = {"namespace", "role", "clusterrole"}
WRAP_NAME = {"service clusterip": "ClusterIP service", "service nodeport": "NodePort service",
             "service loadbalancer": "LoadBalancer service",
             "service externalname": "ExternalName service",
             "poddisruptionbudget": "poddisruptionbudgets", "quota": "quota",
             "secret generic": "secret", "secret docker-registry": "secret", "secret tls": "secret"}


def _sub_key(args):
    if not args:
        return None, []
    first = gen.ALIASES.get(args[0], args[0])
    if first in TWO_WORD:
        if len(args) < 2 or args[1] not in TWO_WORD[first]:
            return first, args[1:]
        return f"{first} {args[1]}", args[2:]
    return first, args[1:]


def _convert(f: gen.Flag) -> _flags.Flag:
    kind = {"string": "str", "int": "int", "bool": "bool", "slice": "csv", "array": "list",
            "map": "list"}[f.kind]
    return _flags.Flag(f.name, f.short or "", kind=kind,
                       default=f.default if f.kind in ("int", "bool", "string") else None)


def flags(sub):
    """Flag specs for `create <sub> …` (sub is the first word; the second is found at run)."""
    sub = gen.ALIASES.get(sub, sub)
    specs = {}
    keys = [k for k in gen.FLAGS if k == sub or k.startswith(sub + " ")]
    if not keys:
        return None
    for k in keys:
        for f in gen.FLAGS[k]:
            specs[f.name] = _convert(f)
    return list(specs.values())


def run(ctx, p):
    from kcore.apiserver import ApiError
    from kcore.cli.kubectl.create import dry_run_mode, with_last_applied
    sub, rest = _sub_key(p.args)
    if sub not in gen.GENERATORS:
        if sub in TWO_WORD:
            raise KubectlError(f"Create a {sub} using a specified subcommand.", prefix="")
        raise KubectlError(f'unknown command "{p.args[0]}" for "kubectl create"' if p.args else
                           "must specify one of -f and -k")
    table = gen.FLAGS[sub]
    missing = [f'"{f.name}"' for f in table if f.required and not p.was_set(f.name)]
    if missing:
        raise KubectlError(f"required flag(s) {', '.join(missing)} not set")
    options = {}
    for f in table:
        if p.was_set(f.name) or f.default is not None:
            v = p.get(f.name)
            if v is None:
                continue
            options[f.dest] = v
    if ctx.explicit_namespace:
        options["namespace"] = ctx.namespace
    if p.after_dash is not None:
        options["command"] = list(p.after_dash)
    if sub == "role" or sub == "clusterrole":
        options["resolve"] = gen.kinds_resolver if hasattr(gen, "kinds_resolver") else None
    if sub == "job" and options.get("from"):
        src = options.pop("from")
        kind, _, cname = src.partition("/")
        if kind not in ("cronjob", "cronjobs", "cj", "cronjob.batch"):
            from kcore.cli.kubectl import resources as _res
            rt_from = _res.lookup(kind)
            raise KubectlError(f"unknown object type *{rt_from.version}.{rt_from.kind}")
        cj = ctx.client.get("cronjobs", ctx.namespace, cname)
        name = gen.name_from_args(sub, rest)
        obj = gen.gen_job_from_cronjob(name, cj, namespace=options.get("namespace"))
    else:
        try:
            name = gen.name_from_args(sub, rest)
            if sub == "deployment":
                options.setdefault("rand_suffix", ctx.cluster.loop.rand_suffix)
            obj = gen.GENERATORS[sub](name, **options)
        except gen.GeneratorError as exc:
            raise KubectlError(exc.message if hasattr(exc, "message") else str(exc),
                               prefix=getattr(exc, "prefix", "error: ")) from None
        except TypeError as exc:
            raise KubectlError(f"invalid arguments: {exc}") from None
    fmt = out_fmt.OutputFormat.parse(p.get("output"))
    dry = dry_run_mode(p)
    rt = resources.lookup(obj["kind"]) if obj.get("kind") else None
    from kcore.api import kinds
    rt = kinds.for_kind(obj["apiVersion"], obj["kind"])
    if p["save-config"]:
        obj = with_last_applied(obj, ctx.namespace if rt.namespaced else None)
    if dry == "client":
        if fmt.human:
            out_fmt.success(ctx, fmt, rt, obj, "created", dry)
        elif fmt.kind == "json":
            # kubectl prints its own typed objects in Go struct field order
            from kcore.cli.kubectl.printers.yamlout import to_json
            ctx.out(to_json(gen.struct_ordered(obj), sort_keys=False), end="")
        else:
            ctx.out(out_fmt.render(ctx, fmt, [(rt, [obj])], {"output": p.get("output")}, single=True), end="")
        return 0
    try:
        created = ctx.client.create(rt, ctx.namespace if rt.namespaced else None, obj,
                                    dry_run=dry == "server")
    except ApiError as exc:
        if sub in UNWRAPPED:
            raise
        what = WRAP_NAME.get(sub, sub)
        sep = " " if what == "secret" else ": "
        raise KubectlError(f"failed to create {what}{sep}{exc.message}") from None
    out_fmt.success(ctx, fmt, rt, created, "created", dry)
    ctx.settle()
    return 0
