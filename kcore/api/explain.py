"""`kubectl explain`, rendered from the committed v1.35 OpenAPI descriptions.

Layout of kubectl 1.35's plaintext template (OpenAPI v3 explain): a GROUP line for named
groups, KIND and VERSION padded to 12 columns, then DESCRIPTION (4-space indent, words
wrapped at 76 columns) and FIELDS, one `  name<TAB><type>` line per field, `-required-` for
required ones, each followed by its description and a blank line. A field path prints
`FIELD: name <type>` and two blank lines first; a field whose type is another type shows the
field's description followed by the type's own. `recursive=True` lists nested fields without
descriptions, two more spaces per level.

Types print as kubectl prints them: `<string>`, `<integer>`, `<boolean>`, `<[]Container>`,
`<map[string]string>`, `<ObjectMeta>`, `<IntOrString>`, `<Quantity>`, `<Object>`.
The source definitions are OpenAPI v2 (swagger), which has no enum lists, so the
`enum:` lines of real kubectl are not printed."""
from __future__ import annotations

from kcore.api import kinds, schema

__all__ = ["explain", "ExplainError", "type_label", "wrap"]

WIDTH = 76


class ExplainError(ValueError):
    """A field path that does not exist; str() is kubectl's message (printed after `error: `).

    `header` is what kubectl has already printed to stdout when it fails."""

    def __init__(self, message: str, header: str = ""):
        super().__init__(message)
        self.header = header


def wrap(text: str, width: int = WIDTH) -> list[str]:
    """Greedy word wrap like go-wordwrap: existing newlines kept, long words not split."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            if line and len(line) + 1 + len(word) > width:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
    return out


def type_label(spec: dict | None) -> str:
    """The `<...>` type text kubectl shows for a property spec."""
    if spec is None:
        return "Object"
    t = spec.get("t")
    if t == "ref":
        return spec["r"].rpartition(".")[2]
    if t == "array":
        return "[]" + type_label(spec.get("i"))
    if t == "object":
        return f"map[string]{type_label(spec['a'])}" if "a" in spec else "Object"
    return {"int-or-string": "IntOrString", "quantity": "Quantity", "time": "string",
            "any": "Object"}.get(t, t or "Object")


def _indent(lines: list[str], n: int) -> str:
    pad = " " * n
    return "".join(f"{pad}{line}\n" if line else f"{pad}\n" for line in lines)


def _header(rt: kinds.ResourceType) -> str:
    head = f"GROUP:      {rt.group}\n" if rt.group else ""
    return head + f"KIND:       {rt.kind}\nVERSION:    {rt.version}\n\n"


def _fields(td: dict, recursive: bool, depth: int = 1, seen: tuple = ()) -> str:
    out = []
    required = set(td.get("req", []))
    for name in sorted(td.get("p", {})):
        spec = td["p"][name]
        line = f"{'  ' * depth}{name}\t<{type_label(spec)}>"
        if name in required:
            line += " -required-"
        out.append(line + "\n")
        if recursive:
            inner = _inner_ref(spec)
            if inner and inner not in seen:
                out.append(_fields(schema.type_def(inner), True, depth + 1, seen + (inner,)))
        else:
            desc = spec.get("d", "")
            if desc:
                out.append(_indent(wrap(desc), 2 * depth + 2))
            out.append("\n")
    return "".join(out)


def _inner_ref(spec: dict | None) -> str | None:
    while spec and spec.get("t") in ("array", "object") and (spec.get("i") or spec.get("a")):
        spec = spec.get("i") or spec.get("a")
    return spec["r"] if spec and spec.get("t") == "ref" else None


def explain(resource_type, field_path: str | list[str] = "", recursive: bool = False) -> str:
    """kubectl explain RESOURCE[.field.path] [--recursive] as text.

    `resource_type` is any name kinds.lookup accepts (or a ResourceType); a dotted path may be
    given in it (`explain("pods.spec.containers")`) or separately. Raises kinds.UnknownResource
    or ExplainError(`field "x" does not exist`)."""
    path = [p for p in field_path.split(".")] if isinstance(field_path, str) and field_path else \
        list(field_path or [])
    if isinstance(resource_type, str):
        try:
            rt = kinds.lookup(resource_type)
        except kinds.UnknownResource:
            head, _, rest = resource_type.partition(".")
            rt = kinds.lookup(head)
            path = rest.split(".") + path if rest else path
    else:
        rt = resource_type
    root = schema.root_type(rt.api_version, rt.kind)
    if root is None:
        raise kinds.UnknownResource(rt.plural)
    header = _header(rt)
    td = schema.type_def(root)
    if not path:
        body = "DESCRIPTION:\n" + _indent(wrap(td.get("d", "")) + [""], 4)
        if td.get("p"):
            body += "FIELDS:\n" + _fields(td, recursive)
        return header + body
    spec = None
    current = td
    for part in path:
        props = current.get("p", {})
        if part not in props:
            raise ExplainError(f'field "{part}" does not exist', header)
        spec = props[part]
        inner = _inner_ref(spec)
        current = schema.type_def(inner) if inner else {"p": {}, "d": ""}
    desc_lines = wrap(spec.get("d", "")) if spec.get("d") else []
    inner = _inner_ref(spec)
    if inner and current.get("d"):
        desc_lines += wrap(current["d"])
    body = f"FIELD: {path[-1]} <{type_label(spec)}>\n\n\nDESCRIPTION:\n" + _indent(desc_lines + [""], 4)
    if inner and current.get("p"):
        body += "FIELDS:\n" + _fields(current, recursive)
    return header + body
