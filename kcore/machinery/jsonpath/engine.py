"""Execute a parsed template against plain JSON data, as client-go's JSONPath.Execute does.

Each action turns the current values into results; each action's results are printed joined
by single spaces, and actions (and the text between them) are concatenated with nothing in
between. `{range X}` re-runs the rest of the template once per value of X, up to the matching
`{end}`; the bookkeeping (begin/in/end counters and the index of the last `end` seen) follows
client-go step for step, so unbalanced templates behave as kubectl's do: a missing `{end}`
simply runs to the end of the template, a stray `{end}` is `not in range, nothing to end`.

Values are Python's decoded JSON. Map iteration (`*`, `..`) is in sorted-key order: Go's is
random, so kubectl prints such results in a different order on every run. Where kubectl
panics (an index applied to the nothing a range over no values binds), this raises a
JSONPathError instead.
Errors are raised as JSONPathError with client-go's message; `_Failure.partial` keeps what a
failing step returned, because an existence filter (`?(@.x)`) counts that as a match."""
from __future__ import annotations

from .errors import JSONPathError
from .gofmt import INVALID, Byte, fmt_v, json_marshal_indent, kind, text, type_name

_COMPARE_TYPE = "invalid type for comparison"
_COMPARE_KINDS = "incompatible types for comparison"


class _Failure(Exception):
    def __init__(self, message: str, partial: list):
        super().__init__(message)
        self.message = message
        self.partial = partial


def _children(v) -> list:
    t = type(v)
    if t is dict:
        return [v[k] for k in sorted(v)]
    if t is list:
        return v
    if t is str:
        return [Byte(b) for b in v.encode("utf-8", "surrogateescape")]
    k = kind(v)
    if k == "map":
        return [v[key] for key in sorted(v)]
    if k == "slice":
        return list(v)
    return []


def _scalar(v, k):
    if k == "int" or k == "uint":
        return int(v)
    if k == "float":
        return float(v)
    return v


def _equal(a, b) -> bool:
    ka, kb = kind(a), kind(b)
    if ka not in _BASIC or kb not in _BASIC:
        raise _CompareError(_COMPARE_TYPE)
    if ka != kb:
        if {ka, kb} == {"int", "uint"}:
            return int(a) == int(b)
        raise _CompareError(_COMPARE_KINDS)
    return _scalar(a, ka) == _scalar(b, kb)


def _less(a, b) -> bool:
    ka, kb = kind(a), kind(b)
    if ka not in _BASIC or kb not in _BASIC:
        raise _CompareError(_COMPARE_TYPE)
    if ka != kb:
        if {ka, kb} == {"int", "uint"}:
            return int(a) < int(b)
        raise _CompareError(_COMPARE_KINDS)
    if ka == "bool":
        raise _CompareError(_COMPARE_TYPE)
    return _scalar(a, ka) < _scalar(b, kb)


class _CompareError(Exception):
    pass


_BASIC = frozenset(("bool", "int", "uint", "float", "string"))
_OPERATORS = {
    "==": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "<": _less,
    "<=": lambda a, b: _less(a, b) or _equal(a, b),
    ">": lambda a, b: not (_less(a, b) or _equal(a, b)),
    ">=": lambda a, b: not _less(a, b),
}


class Engine:
    """One execution of one template (client-go keeps range state on the JSONPath object)."""

    def __init__(self, root: tuple, allow_missing_keys: bool):
        self.nodes = root[1]
        self.allow_missing = allow_missing_keys
        self.begin_range = self.in_range = self.end_range = 0
        self.last_end = -1

    # ------------------------------------------------------------ template level
    def find_results(self, data, start: int = 0) -> list[list]:
        nodes = self.nodes
        cur = [data]
        full: list[list] = []
        i = start
        n = len(nodes)
        while i < n:
            node = nodes[i]
            results = self.walk(cur, node)
            if self.end_range > 0 and self.end_range <= self.in_range:
                self.end_range -= 1
                self.last_end = i
                break
            if self.begin_range > 0:
                self.begin_range -= 1
                self.in_range += 1
                if results:
                    for value in results:
                        full.extend(self.find_results(value if value is not None else INVALID, i + 1))
                else:
                    self.find_results(INVALID, i + 1)
                self.in_range -= 1
                if i + 1 <= self.last_end < n:
                    i = self.last_end
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    # ------------------------------------------------------------ steps
    def walk(self, values: list, node) -> list:
        tag = node[0]
        if tag == "list":
            for sub in node[1]:
                values = self.walk(values, sub)
            return values
        if tag == "field":
            return self.field(values, node[1])
        if tag == "text":
            return [node[1]]
        if tag == "array":
            return self.array(values, node[1])
        if tag == "filter":
            return self.filter(values, node)
        if tag in ("int", "float", "bool"):
            return [node[1]] * len(values)
        if tag == "wild":
            out = []
            for v in values:
                if v is not None:
                    out.extend(_children(v))
            return out
        if tag == "rec":
            return self.recursive(values)
        if tag == "union":
            out = []
            for sub in node[1]:
                try:
                    out.extend(self.walk(values, sub))
                except _Failure as exc:
                    raise _Failure(exc.message, values) from None
            return out
        if tag == "ident":
            return self.identifier(values, node[1])
        raise _Failure(f"unexpected Node {node!r}", values)

    def field(self, values: list, name: str) -> list:
        out = []
        for v in values:
            if type(v) is dict:
                if name in v:
                    out.append(v[name])
            elif v is not None and kind(v) == "map" and name in v:
                out.append(v[name])
        if not out and values and not self.allow_missing:
            raise _Failure(f"{name} is not found", [])
        return out

    def array(self, values: list, params: tuple) -> list:
        out = []
        (k0, v0, _), (k1, v1, d1), (k2, v2, _) = params
        for v in values:
            if v is None or v is INVALID:
                continue
            if type(v) is not list:
                if kind(v) != "slice":
                    raise _Failure(f"{type_name(v)} is not array or slice", values)
                v = list(v)
            length = len(v)
            start = v0 if k0 else 0
            if start < 0:
                start += length
            stop = v1 if k1 else length
            if stop < 0 or (stop == 0 and d1):
                stop += length
            if stop == start:
                return out
            if start >= length or start < 0:
                raise _Failure(f"array index out of bounds: index {start}, length {length}", values)
            if stop > length or stop < 0:
                raise _Failure(f"array index out of bounds: index {stop - 1}, length {length}", values)
            if start > stop:
                raise _Failure(f"starting index {start} is greater than ending index {stop}", values)
            step = 1
            if k2:
                if v2 <= 0:
                    raise _Failure("step must be > 0", values)
                step = v2
            out.extend(v[start:stop:step])
        return out

    def recursive(self, values: list) -> list:
        out = []
        for v in values:
            if v is None:
                continue
            kids = _children(v)
            if kids:
                out.append(v)
                out.extend(self.recursive(kids))
        return out

    def identifier(self, values: list, name: str) -> list:
        if name == "range":
            self.begin_range += 1
            return values
        if name == "end":
            if self.in_range > 0:
                self.end_range += 1
                return []
            raise _Failure("not in range, nothing to end", [])
        raise _Failure(f"unrecognized identifier {name}", values)

    def filter(self, values: list, node) -> list:
        _, left, right, op = node
        out = []
        chain = _field_chain(left)
        constant = _constant(right)
        for v in values:
            if type(v) is not list and kind(v) != "slice":
                raise _Failure(f"{fmt_v(v)} is not array or slice and cannot be filtered", values)
            for item in v:
                if chain is not None:
                    lefts = self._follow(item, chain)
                    if lefts is None:
                        if op == "exists" or self.allow_missing:
                            continue
                        lefts = self.walk([item], left)  # raises client-go's "is not found"
                elif op == "exists":
                    try:
                        lefts = self.walk([item], left)
                    except _Failure as exc:
                        lefts = exc.partial
                else:
                    try:
                        lefts = self.walk([item], left)
                    except _Failure as exc:
                        raise _Failure(exc.message, values) from None
                if op == "exists":
                    if lefts:
                        out.append(item)
                    continue
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise _Failure("can only compare one element at a time", values)
                if constant is not None:
                    rights = constant
                else:
                    try:
                        rights = self.walk([item], right)
                    except _Failure as exc:
                        raise _Failure(exc.message, values) from None
                    if not rights:
                        continue
                    if len(rights) > 1:
                        raise _Failure("can only compare one element at a time", values)
                a, b = lefts[0], rights[0]
                if type(a) is str and type(b) is str and op in _STRING_OPS:
                    passed = _STRING_OPS[op](a, b)
                else:
                    compare = _OPERATORS.get(op)
                    if compare is None:
                        raise _Failure(f"unrecognized filter operator {op}", out)
                    try:
                        passed = compare(a, b)
                    except _CompareError as exc:
                        raise _Failure(str(exc), out) from None
                if passed:
                    out.append(item)
        return out

    @staticmethod
    def _follow(item, names):
        """A filter side made only of fields, evaluated directly; None when a key is missing."""
        v = item
        for name in names:
            if type(v) is dict and name in v:
                v = v[name]
            elif v is not None and type(v) is not dict and kind(v) == "map" and name in v:
                v = v[name]
            else:
                return None
        return [v]


_STRING_OPS = {"==": str.__eq__, "!=": str.__ne__, "<": str.__lt__, "<=": str.__le__,
               ">": str.__gt__, ">=": str.__ge__}


def _field_chain(list_node):
    steps = list_node[1]
    if steps and all(step[0] == "field" for step in steps):
        return tuple(step[1] for step in steps)
    return None


def _constant(list_node):
    steps = list_node[1]
    if len(steps) == 1 and steps[0][0] in ("text", "int", "float", "bool"):
        return [steps[0][1]]
    return None


def execute(root: tuple, data, allow_missing_keys: bool, as_json: bool = False) -> str:
    engine = Engine(root, allow_missing_keys)
    try:
        groups = engine.find_results(data)
    except _Failure as exc:
        raise JSONPathError(exc.message, phase="execute") from None
    except RecursionError:
        raise JSONPathError("data nested too deeply to walk", phase="execute") from None
    if as_json:  # -o jsonpath-as-json: every result list as an indented JSON array
        return "".join(json_marshal_indent([None if v is INVALID else v for v in group]) + "\n"
                       for group in groups)
    parts = []
    for group in groups:
        if len(group) == 1:
            parts.append(text(group[0]))
        elif group:
            parts.append(" ".join(map(text, group)))
    return "".join(parts)
