"""kubectl label: add, change (`--overwrite`) or remove (`key-`) labels on objects."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, output as out_fmt, resources, targets
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("overwrite", kind="bool"), Flag("selector", "l"), Flag("all", kind="bool"),
         Flag("all-namespaces", "A", kind="bool"), Flag("filename", "f", kind="list"),
         Flag("recursive", "R", kind="bool"), Flag("list", kind="bool"), Flag("local", kind="bool"),
         Flag("output", "o"), Flag("dry-run", default="none", no_opt="unchanged"),
         Flag("resource-version"), Flag("field-selector")]

FIELD = "labels"
VERB = ("labeled", "unlabeled", "not labeled")
NOUN = "label"


def split_changes(args):
    refs, changes = [], []
    for a in args:
        if "=" in a or (a.endswith("-") and "/" not in a and len(a) > 1 and not _is_type(a)):
            changes.append(a)
        else:
            refs.append(a)
    return refs, changes


def _is_type(a):
    try:
        resources.lookup(a)
        return True
    except KubectlError:
        return False


def parse_changes(changes, validate):
    add, remove = {}, []
    for c in changes:
        if c.endswith("-") and "=" not in c:
            remove.append(c[:-1])
            continue
        k, _, v = c.partition("=")
        if validate:
            errs = validate(k, v)
            if errs:
                raise KubectlError(f"invalid label spec: {c}" if NOUN == "label" else errs[0])
        add[k] = v
    return add, remove


def _validate_label(k, v):
    from kcore.machinery import labels
    return labels.validate_labels({k: v})


def run(ctx, p):
    return apply_changes(ctx, p, FIELD, VERB, _validate_label)


def apply_changes(ctx, p, field, verbs, validate) -> int:
    refs, changes = split_changes(p.args)
    if not changes and not p["list"]:
        raise KubectlError(f"at least one {NOUN if field == 'labels' else 'annotation'} update is required")
    add, remove = parse_changes(changes, validate)
    from kcore.cli.kubectl.create import dry_run_mode
    dry = dry_run_mode(p)
    fmt = out_fmt.OutputFormat.parse(p.get("output"))
    code = 0
    for rt, obj in targets.select(ctx, p, refs):
        md = obj["metadata"]
        current = dict(md.get(field) or {})
        if p["list"]:
            for k in sorted(current):
                ctx.out(f"{k}={current[k]}")
            continue
        if not p["overwrite"]:
            clash = [k for k, v in add.items() if k in current and current[k] != v]
            if clash:
                k = clash[0]
                if field == "labels":
                    raise KubectlError(f"'{k}' already has a value ({current[k]}), and --overwrite is false")
                raise KubectlError("--overwrite is false but found the following declared "
                                   f"annotation(s): '{k}' already has a value ({current[k]})")
        new = dict(current)
        new.update(add)
        for k in remove:
            if k not in new:
                ctx.err(f'{NOUN if field == "labels" else "annotation"} "{k}" not found.')
            new.pop(k, None)
        ref = resources.ref(rt, md["name"])
        if new == current:
            verb = verbs[2]
        else:
            verb = verbs[1] if (remove and not add) else verbs[0]
            patch = {"metadata": {field: {k: v for k, v in new.items()} if new else None}}
            if new:
                patch["metadata"][field].update({k: None for k in current if k not in new})
            else:
                patch["metadata"][field] = {k: None for k in current}
            if dry != "client":
                obj = ctx.client.patch(rt, targets.ns_of(rt, obj), md["name"], patch,
                                       patch_type="merge", dry_run=dry == "server")
        if fmt.human:
            suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
            ctx.out(f"{ref} {verb}{suffix}")
        else:
            out_fmt.success(ctx, fmt, rt, obj, verb)
    ctx.settle()
    return code
