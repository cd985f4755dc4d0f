"""kubectl expose: a Service for a Deployment, ReplicaSet, RC, Pod or Service, with the
selector taken from the object (or --selector) and the port from --port or the container."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, output as out_fmt, resources, targets
from kcore.cli.kubectl import generators as gen
from kcore.cli.kubectl.create import dry_run_mode
from kcore.cli.kubectl.create_generators import _convert
from kcore.cli.kubectl.flags import Flag

FLAGS = [_convert(f) for f in gen.FLAGS["expose"]] + [
    Flag("filename", "f", kind="list"), Flag("recursive", "R", kind="bool"), Flag("output", "o"),
    Flag("dry-run", default="none", no_opt="unchanged"), Flag("save-config", kind="bool"),
    Flag("overrides"), Flag("field-manager")]


def run(ctx, p):
    options = {}
    for f in gen.FLAGS["expose"]:
        if p.was_set(f.name):
            options[f.dest] = p.get(f.name)
    fmt = out_fmt.OutputFormat.parse(p.get("output"))
    dry = dry_run_mode(p)
    srt = resources.lookup("services")
    for rt, obj in targets.select(ctx, p):
        try:
            svc = gen.gen_expose(obj, **options)
        except gen.GeneratorError as exc:
            raise KubectlError(exc.message if hasattr(exc, "message") else str(exc)) from None
        ns = targets.ns_of(rt, obj) or ctx.namespace
        if dry == "client":
            if fmt.human:
                ctx.out(f"service/{svc['metadata']['name']} exposed (dry run)")
            else:
                ctx.out(out_fmt.render(ctx, fmt, [(srt, [svc])], {"output": p.get("output")}, single=True), end="")
            continue
        created = ctx.client.create(srt, ns, svc, dry_run=dry == "server")
        if fmt.human:
            suffix = " (server dry run)" if dry == "server" else ""
            ctx.out(f"service/{created['metadata']['name']} exposed{suffix}")
        else:
            out_fmt.success(ctx, fmt, srt, created, "exposed")
    ctx.settle()
    return 0
