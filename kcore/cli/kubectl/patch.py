"""kubectl patch: strategic (default), merge or JSON patches, inline or from a file."""
from __future__ import annotations

import json

import yaml

from kcore.cli.kubectl import KubectlError, output as out_fmt, resources, targets
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("patch", "p"), Flag("patch-file"), Flag("type", default="strategic"),
         Flag("filename", "f", kind="list"), Flag("recursive", "R", kind="bool"),
         Flag("local", kind="bool"), Flag("output", "o"),
         Flag("dry-run", default="none", no_opt="unchanged"), Flag("subresource"),
         Flag("field-manager")]


def run(ctx, p):
    text = p["patch"]
    if p["patch-file"]:
        try:
            with open(p["patch-file"], encoding="utf-8") as fh:
                text = fh.read()
        except OSError:
            raise KubectlError(f"unable to read patch file: open {p['patch-file']}: no such file or directory") from None
    if not text:
        raise KubectlError("must specify -p to patch")
    if p["type"] not in ("json", "merge", "strategic"):
        raise KubectlError(f'--type must be one of [json merge strategic], not "{p["type"]}"')
    try:
        patch = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise KubectlError(f"unable to parse \"{text}\": yaml: {getattr(exc, 'problem', exc)}") from None
    from kcore.cli.kubectl.create import dry_run_mode
    dry = dry_run_mode(p)
    fmt = out_fmt.OutputFormat.parse(p.get("output"))
    for rt, obj in targets.select(ctx, p):
        ns = targets.ns_of(rt, obj)
        name = obj["metadata"]["name"]
        new = ctx.client.patch(rt, ns, name, patch, patch_type=p["type"],
                               subresource=p["subresource"] or None, dry_run=bool(dry))
        same = json.dumps(new, sort_keys=True) == json.dumps(obj, sort_keys=True) or \
            new["metadata"].get("resourceVersion") == obj["metadata"].get("resourceVersion")
        if fmt.human:
            ctx.out(f"{resources.ref(rt, name)} patched" + (" (no change)" if same else ""))
        else:
            out_fmt.success(ctx, fmt, rt, new, "patched")
    ctx.settle()
    return 0
