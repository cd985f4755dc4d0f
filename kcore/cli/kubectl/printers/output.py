"""The non-table outputs of `kubectl get`: names, custom columns, JSONPath, YAML/JSON, sorting.

kubectl hands a printer either the one object the user named, or a `List` it builds itself
(`{"apiVersion": "v1", "kind": "List", "items": [...], "metadata": {"resourceVersion": ""}}`)
whenever zero or several objects could come back - so `get pods -o jsonpath` sees `.items`
even for a single pod, while `get pod nginx -o jsonpath` sees the pod. `--sort-by` evaluates
a relaxed JSONPath on each object and compares the first result: numbers as numbers, strings
as quantities when both parse (`40Mi` before `1Gi`), otherwise byte by byte - the real v1.35
binary puts `pod10` before `pod9`, whatever its source comments say about natural order.

Errors raise PrinterError whose text is what kubectl prints after `error: `."""
from __future__ import annotations

from .common import g
from .tabwriter import align, GET_MINWIDTH, GET_PADDING

__all__ = [
    "PrinterError", "resource_name", "print_names", "as_list", "output_object", "print_yaml",
    "print_json", "print_jsonpath", "parse_custom_columns", "parse_custom_columns_file",
    "print_custom_columns", "sort_objects", "natural_less", "no_resources_message",
]


class PrinterError(ValueError):
    """A printing failure; str() is kubectl's message without the `error: ` prefix."""


def _jsonpath():
    from kcore.machinery import jsonpath
    return jsonpath


def _group_of(obj) -> str:
    api_version = obj.get("apiVersion", "") or ""
    return api_version.rpartition("/")[0] if "/" in api_version else ""


def resource_name(obj: dict, kind: str | None = None, group: str | None = None) -> str:
    """`pod/nginx`, `deployment.apps/web`: the `-o name` form of one object."""
    kind = kind or obj.get("kind", "")
    group = _group_of(obj) if group is None else group
    prefix = (f"{kind}.{group}" if group else kind).lower()
    return f"{prefix}/{g(obj, 'metadata', 'name', default='')}"


def print_names(sections) -> str:
    """`-o name` over [(type info, objects), ...] (type info as print_tables accepts)."""
    from .table import type_info
    lines = []
    for info, objects in sections:
        kind, group, _ = type_info(info)
        for obj in objects:
            lines.append(resource_name(obj, kind or None, group if kind else None) + "\n")
    return "".join(lines)


def as_list(objects) -> dict:
    """The List kubectl builds around zero or several objects."""
    return {"apiVersion": "v1", "items": list(objects), "kind": "List",
            "metadata": {"resourceVersion": ""}}


def output_object(objects, single: bool) -> dict:
    """The object a generic printer sees: the object itself when one was named, else a List."""
    objects = list(objects)
    if single and len(objects) == 1:
        return objects[0]
    return as_list(objects)


def print_yaml(objects, single: bool = False) -> str:
    from .yamlout import to_yaml
    return to_yaml(output_object(objects, single))


def print_json(objects, single: bool = False) -> str:
    from .yamlout import to_json
    return to_json(output_object(objects, single))


def print_jsonpath(template: str, objects, single: bool = False) -> tuple[str, str, int]:
    """(stdout, stderr, exit code) of `-o jsonpath=template`."""
    return _jsonpath().kubectl_output(template, output_object(objects, single))


# ---------------------------------------------------------------- custom columns

def _relaxed(expr: str) -> str:
    jp = _jsonpath()
    try:
        return jp.relaxed(expr)
    except jp.JSONPathError as exc:
        raise PrinterError(getattr(exc, "message", str(exc))) from None


def parse_custom_columns(spec: str) -> list[tuple[str, str]]:
    """`NAME:.metadata.name,IMAGE:.spec.containers[*].image` -> [(header, template)]."""
    if not spec:
        raise PrinterError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise PrinterError(f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        columns.append((header, _relaxed(path)))
    return columns


_MISSING_LINE = "Expected format is one line of space separated headers, one line of space separated column specs."


def parse_custom_columns_file(text: str) -> list[tuple[str, str]]:
    """A custom-columns file: one line of headers, one line of field specs."""
    lines = text.split("\n")
    if not text or len(lines) < 1 or (len(lines) == 1 and lines[0] == ""):
        raise PrinterError(f"invalid template, missing header line. {_MISSING_LINE}")
    headers = lines[0].split()
    if len(lines) < 2 or (len(lines) == 2 and lines[1] == "" and not text.endswith("\n\n")):
        raise PrinterError(f"invalid template, missing spec line. {_MISSING_LINE}")
    specs = lines[1].split()
    if len(headers) != len(specs):
        raise PrinterError(f"number of headers ({len(headers)}) and field specifications "
                           f"({len(specs)}) don't match")
    return [(h, _relaxed(s)) for h, s in zip(headers, specs)]


def _find_results(template: str, data) -> list[list]:
    from kcore.machinery.jsonpath.engine import Engine
    jp = _jsonpath()
    try:
        return Engine(jp.parse(template), True).find_results(data)
    except jp.JSONPathError as exc:
        raise PrinterError(getattr(exc, "message", str(exc))) from None


def _cell(template: str, obj) -> str:
    from kcore.machinery.jsonpath.gofmt import fmt_v
    results = _find_results(template, obj)
    values = [fmt_v(v) for group in results for v in group]
    if not results or not results[0]:
        values.insert(0, "<none>")
    return ",".join(values)


def print_custom_columns(columns, objects, no_headers: bool = False) -> str:
    """Render objects with [(header, template)] as `-o custom-columns` does.

    `columns` may also be the spec string itself."""
    if isinstance(columns, str):
        columns = parse_custom_columns(columns)
    lines = [] if no_headers else ["\t".join(h for h, _ in columns)]
    for obj in objects:
        lines.append("\t".join(_cell(t, obj) for _, t in columns))
    return align("".join(line + "\n" for line in lines), GET_MINWIDTH, GET_PADDING)


# ---------------------------------------------------------------- sorting

def natural_less(a: str, b: str) -> bool:
    """github.com/fvbommel/sortorder.NaturalLess: digit runs compare as numbers.

    kept for reference: kubectl v1.35's --sort-by does not use it on JSON values."""
    i = j = 0
    while i < len(a) and j < len(b):
        ca, cb = a[i], b[j]
        da, db = ca.isdigit() and ca.isascii(), cb.isdigit() and cb.isascii()
        if da != db:
            return da
        if not da:
            if ca != cb:
                return ca.encode() < cb.encode()
            i += 1
            j += 1
            continue
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        nz_a, nz_b = i, j
        while i < len(a) and a[i].isdigit() and a[i].isascii():
            i += 1
        while j < len(b) and b[j].isdigit() and b[j].isascii():
            j += 1
        if i - nz_a != j - nz_b:
            return i - nz_a < j - nz_b
        if a[nz_a:i] != b[nz_b:j]:
            return a[nz_a:i] < b[nz_b:j]
        if nz_a != nz_b:
            return nz_a < nz_b
    return len(a) < len(b)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _value_less(a, b) -> bool:
    if a is None and b is None:
        return False
    if a is None:
        return True
    if b is None:
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, int) and isinstance(b, int):
        return a < b
    if isinstance(a, float) and isinstance(b, float):
        return a < b
    if isinstance(a, str) and isinstance(b, str):
        from kcore.machinery.quantity import parse, QuantityError
        try:
            return parse(a) < parse(b)
        except (QuantityError, ValueError):
            return a.encode() < b.encode()
    return False


def sort_objects(objects, field: str, *, for_table: bool = False) -> list:
    """Objects ordered by `--sort-by=field`, as kubectl's RuntimeSort/TableSorter order them.

    Go's sort.Sort is an insertion sort for short inputs, and kubectl's Less treats a
    missing value as smaller than everything, so the same algorithm is kept for fidelity."""
    objects = list(objects)
    if for_table and len(objects) <= 1:
        return objects
    if not objects:
        return objects
    template = _relaxed(field)
    firsts = []
    found = False
    for obj in objects:
        results = _find_results(template, obj)
        has = bool(results) and bool(results[0])
        found = found or has
        firsts.append((has, results[0][0] if has else None))
    if not found:
        raise PrinterError(f"couldn't find any field with path {_go_quote(template)} in the list of objects")

    def less(x, y) -> bool:
        if not x[1][0]:
            return True
        if not y[1][0]:
            return False
        return _value_less(x[1][1], y[1][1])

    items = list(zip(objects, firsts))
    for i in range(1, len(items)):
        j = i
        while j > 0 and less(items[j], items[j - 1]):
            items[j], items[j - 1] = items[j - 1], items[j]
            j -= 1
    return [obj for obj, _ in items]


def _go_quote(text: str) -> str:
    try:
        from kcore.machinery.jsonpath.gofmt import go_quote
        return go_quote(text)
    except ImportError:  # pragma: no cover
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------- empty results

def no_resources_message(namespace: str | None = "default", *, all_namespaces: bool = False,
                         namespaced: bool = True) -> str:
    """The stderr line of an empty `kubectl get` (human-readable output only)."""
    if all_namespaces or not namespaced or not namespace:
        return "No resources found\n"
    return f"No resources found in {namespace} namespace.\n"
