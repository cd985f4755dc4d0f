"""`-o` for every verb: table, wide, yaml, json, name, jsonpath, custom-columns, go-template.

The verbs hand sections of objects; this module picks the printer. The printers themselves
(printers/) are pure functions of objects and time."""
from __future__ import annotations

from dataclasses import dataclass

from kcore.cli.kubectl import KubectlError

FORMATS = ("json", "yaml", "name", "go-template", "go-template-file", "template",
           "templatefile", "jsonpath", "jsonpath-as-json", "jsonpath-file", "custom-columns",
           "custom-columns-file", "wide", "kyaml")


@dataclass
class OutputFormat:
    kind: str  # table | wide | yaml | json | name | jsonpath | custom-columns
    arg: str = ""

    @property
    def human(self) -> bool:
        return self.kind in ("table", "wide")

    @classmethod
    def parse(cls, text, p=None, allowed=FORMATS) -> "OutputFormat":
        if not text:
            return cls("table")
        name, eq, arg = text.partition("=")
        if name in ("jsonpath", "jsonpath-file", "custom-columns", "custom-columns-file",
                    "jsonpath-as-json", "go-template", "go-template-file") and not eq and not arg:
            if name.startswith("custom-columns"):
                raise KubectlError("custom-columns format specified but no custom columns given")
            raise KubectlError(f"{name} template format specified but no {name.split('-')[0]} "
                               "template given" if name.startswith("jsonpath") else
                               "template format specified but no template given")
        if name not in allowed:
            shown = ", ".join(sorted(a for a in allowed if a != "kyaml"))
            raise KubectlError(f'unable to match a printer suitable for the output format "{text}", '
                               f"allowed formats are: {shown}")
        if name in ("jsonpath-file", "custom-columns-file", "go-template-file", "templatefile"):
            try:
                with open(arg, encoding="utf-8") as fh:
                    arg = fh.read()
            except OSError as exc:
                raise KubectlError(f"error reading --template {arg}, {exc.strerror.lower() if exc.strerror else exc}") from None
            name = {"templatefile": "template"}.get(name, name.removesuffix("-file"))
        return cls(name, arg)


def render(ctx, fmt: OutputFormat, sections, p, *, all_namespaces=False, single=False) -> str:
    from kcore.cli.kubectl.printers import output as po
    from kcore.cli.kubectl.printers.table import print_tables
    objects = [o for _, objs in sections for o in objs]
    if fmt.human:
        try:
            return print_tables(sections, ctx.now(), wide=fmt.kind == "wide",
                                no_headers=bool(p.get("no-headers")),
                                show_labels=bool(p.get("show-labels")),
                                label_columns=p.get("label-columns") or [],
                                all_namespaces=all_namespaces,
                                show_kind=bool(p.get("show-kind")))
        except po.PrinterError as exc:
            raise KubectlError(str(exc)) from None
    if fmt.kind == "name":
        return po.print_names(sections)
    if fmt.kind in ("yaml", "kyaml"):
        if not objects and not single:
            return po.print_yaml([], False)
        return po.print_yaml(objects, single)
    if fmt.kind == "json":
        return po.print_json(objects, single)
    if fmt.kind == "jsonpath-as-json":
        from kcore.machinery import jsonpath
        out, err, code = jsonpath.kubectl_output(fmt.arg, po.output_object(objects, single), as_json=True)
        if code:
            raise KubectlError(err.rstrip("\n").removeprefix("error: "))
        return out
    if fmt.kind == "jsonpath":
        out, err, code = po.print_jsonpath(fmt.arg, objects, single)
        if code:
            raise KubectlError(err.rstrip("\n").removeprefix("error: "))
        return out
    if fmt.kind == "custom-columns":
        try:
            cols = po.parse_custom_columns(fmt.arg) if "\n" not in fmt.arg.strip("\n") and \
                p.get("output", "").startswith("custom-columns=") else \
                po.parse_custom_columns_file(fmt.arg)
            if not objects:
                return ""
            return po.print_custom_columns(cols, objects, no_headers=bool(p.get("no-headers")))
        except po.PrinterError as exc:
            raise KubectlError(str(exc)) from None
    if fmt.kind in ("go-template", "template"):
        from kcore.machinery import gotemplate
        if single and not objects:
            return ""
        try:
            tree = gotemplate.parse(fmt.arg)
        except gotemplate.TemplateError as exc:
            raise KubectlError(f"error parsing template {fmt.arg}, {exc}") from None
        data = gotemplate.as_unstructured(po.output_object(objects, single))
        try:
            return gotemplate.run(tree, data, fmt.arg)
        except gotemplate.TemplateError as exc:
            # kubectl first prints what it was given, to debug the template with
            import json
            raw = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
                raw = raw.replace(ch, esc)
            debug = (f"Error executing template: {exc}. Printing more information for debugging the "
                     f"template:\n\ttemplate was:\n\t\t{fmt.arg}\n\traw data was:\n\t\t{raw}\n"
                     f"\tobject given to template engine was:\n\t\t{gotemplate.go_sprint(data)}\n\n")
            err = KubectlError(f"error executing template {gotemplate.go_quote(fmt.arg)}: {exc}")
            err.stdout = getattr(exc, "partial", "") + debug   # kubectl writes these to stdout
            raise err from None
    raise KubectlError(f'output format "{fmt.kind}" is not supported by kcore')


def success(ctx, fmt: OutputFormat | None, rt, obj, verb: str, dry_run: str = "") -> None:
    """`deployment.apps/web created` or the object in the asked format."""
    from kcore.cli.kubectl.resources import ref
    if fmt is None or fmt.human:
        suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
        ctx.out(f"{ref(rt, obj['metadata']['name'])} {verb}{suffix}")
        return
    ctx.out(render(ctx, fmt, [(rt, [obj])], {"output": ""}, single=True), end="")
