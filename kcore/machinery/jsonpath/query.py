"""Plain `$`-style JSONPath, as the course's JSON Path chapter (and jsonpath.com) shows it.

`query("$.car.color", data)` returns the list of matches. The path is read with kubectl's
parser (so `$[?(@ > 40)]`, `$.*.wheels[?(@.location == "rear-right")].model`, `$[-1:]`
all parse the same way), but evaluated the forgiving way generic JSONPath tools do:
slices clamp instead of failing, an index past the end matches nothing, `*` visits object
members in document order and never splits strings, filters apply to object members as well
as array items, and comparisons follow JavaScript's loose rules (`"2014" == 2014`)."""
from __future__ import annotations

import math

from .errors import JSONPathError
from .parser import parse

_MISSING = object()


def _members(v) -> list:
    if isinstance(v, dict):
        return list(v.values())
    if isinstance(v, list):
        return v
    return []


def _num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _js_number(v) -> float:
    """JavaScript's Number(v) for the scalars JSON can hold."""
    if v is None or v is False:
        return 0.0
    if v is True:
        return 1.0
    if _num(v):
        return float(v)
    if isinstance(v, str):
        t = v.strip()
        if not t:
            return 0.0
        try:
            return float(t)
        except ValueError:
            return math.nan
    return math.nan


def _compare(op: str, a, b) -> bool:
    """JavaScript's loose comparison, as jsonpath.com evaluates filter expressions."""
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        same = a is b
        return same if op in ("==", "===") else (not same if op == "!=" else False)
    if op in ("==", "!="):
        if a is None or b is None:
            equal = a is None and b is None
        elif isinstance(a, str) and isinstance(b, str):
            equal = a == b
        else:
            equal = _js_number(a) == _js_number(b)
        return equal if op == "==" else not equal
    if isinstance(a, str) and isinstance(b, str):
        x, y = a, b
    else:
        x, y = _js_number(a), _js_number(b)
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}.get(op, False)


def _truthy(v) -> bool:
    return not (v is None or v is False or v == "" or (_num(v) and v == 0))


def _walk(values: list, node) -> list:
    tag = node[0]
    if tag == "list":
        for sub in node[1]:
            values = _walk(values, sub)
        return values
    if tag == "field":
        return [v[node[1]] for v in values if isinstance(v, dict) and node[1] in v]
    if tag == "text":
        return [node[1]]
    if tag in ("int", "float", "bool"):
        return [node[1]] * len(values)
    if tag == "wild":
        return [m for v in values for m in _members(v)]
    if tag == "rec":
        out = []

        def visit(v):
            kids = _members(v)
            if kids:
                out.append(v)
                for k in kids:
                    visit(k)
        for v in values:
            visit(v)
        return out
    if tag == "union":
        return [m for sub in node[1] for m in _walk(values, sub)]
    if tag == "array":
        (k0, v0, _), (k1, v1, derived), (k2, v2, _) = node[1]
        out = []
        for v in values:
            if not isinstance(v, list):
                continue
            if derived:  # a single index
                i = v0 + len(v) if v0 < 0 else v0
                if 0 <= i < len(v):
                    out.append(v[i])
                continue
            step = v2 if k2 else 1
            if step <= 0:
                continue
            out.extend(v[(v0 if k0 else None):(v1 if k1 else None):step])
        return out
    if tag == "filter":
        _, left, right, op = node
        out = []
        for v in values:
            for item in _members(v):
                lefts = _walk([item], left)
                if op == "exists":
                    if lefts and _truthy(lefts[0]):
                        out.append(item)
                    continue
                rights = _walk([item], right)
                if len(lefts) == 1 and len(rights) == 1 and _compare(op, lefts[0], rights[0]):
                    out.append(item)
        return out
    if tag == "ident":
        raise JSONPathError(f"unrecognized identifier {node[1]}", phase="execute")
    return []


def query(expr: str, data) -> list:
    """All values matched by a `$`-style JSONPath expression, in document order."""
    expr = expr.strip()
    if not expr.startswith(("$", "@")):
        raise JSONPathError("a JSONPath expression starts with $", phase="parse")
    root = parse("{" + expr.replace("..*", "..[*]") + "}")
    actions = [n for n in root[1] if n[0] == "list"]
    if len(actions) != 1 or len(root[1]) != 1:
        raise JSONPathError("unclosed action" if not actions else "unexpected text after expression",
                            phase="parse")
    return _walk([data], actions[0])
