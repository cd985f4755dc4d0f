"""kubectl explain: field documentation from the OpenAPI schemas (`pods.spec.containers`)."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, resources
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("recursive", kind="bool"), Flag("api-version"), Flag("output", "o")]


def run(ctx, p):
    if not p.args:
        raise KubectlError("You must specify the type of resource to explain. Use \"kubectl "
                           "api-resources\" for a complete list of supported resources.")
    target = p.args[0]
    head, _, rest = target.partition(".")
    rt = resources.lookup(head)
    from kcore.api import explain as _explain
    try:
        text = _explain.explain(rt, rest, recursive=p["recursive"])
    except (KeyError, LookupError, ValueError) as exc:
        msg = getattr(exc, "args", [str(exc)])[0]
        raise KubectlError(str(msg)) from None
    ctx.out(text, end="" if text.endswith("\n") else "\n")
    return 0
