"""Label selectors and field selectors, parsed exactly as k8s.io/apimachinery does.

A label selector is a comma-separated AND of requirements:

    env=prod   env==prod   tier!=db   env in (prod,qa)   env notin (dev)   gpu   !gpu

The lexer splits on whitespace and the symbols `= ! ( ) , < >`; `in`/`notin` are keywords
only in operator position, so `x in (in)` works. Keys must be qualified names and values valid
label values -- a bad one fails the whole parse with apimachinery's message, e.g.
`unable to parse requirement: <nil>: Invalid value: "app:web": name part must consist of ...`.
`str(selector)` is the canonical form: requirements sorted by key, set values sorted.
`from_label_selector()` turns a metav1.LabelSelector dict (matchLabels/matchExpressions)
into the same Selector; an empty one matches everything, a null one nothing.

Field selectors (`--field-selector status.phase=Running,spec.nodeName!=node01`) support
`=`, `==` and `!=` on dotted paths; `.matches(getter)` asks `getter(path) -> str` for values.
Which paths a resource supports is the API server's business, not this module's."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from kcore.machinery.names import is_qualified_name, is_valid_label_value

__all__ = [
    "SelectorError", "Requirement", "Selector", "parse", "everything", "nothing",
    "selector_from_set", "from_label_selector", "validate_labels", "validate_label_key",
    "validate_label_value", "FieldSelector", "FieldTerm", "parse_field_selector",
]

IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS = "in", "notin", "=", "==", "!="
EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN = "exists", "!", "gt", "lt"
_BINARY_OPERATORS = ["in", "notin", "=", "==", "!=", "gt", "lt"]
_VALID_OPERATORS = _BINARY_OPERATORS + ["exists", "!"]


class SelectorError(ValueError):
    """A selector apimachinery would refuse; the message is apimachinery's."""


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # Go's %q for the strings we meet


def _invalid(path: str, value, detail: str) -> str:
    shown = _quote(value) if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return f"{path}: Invalid value: {shown}: {detail}"


def _aggregate(errors: list[str]) -> str:
    return errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"


# -- requirements and selectors -----------------------------------------------------------------

@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        op = self.operator
        if op in (IN, EQUALS, DOUBLE_EQUALS):
            return self.key in labels and labels[self.key] in self.values
        if op in (NOT_IN, NOT_EQUALS):
            return self.key not in labels or labels[self.key] not in self.values
        if op == EXISTS:
            return self.key in labels
        if op == DOES_NOT_EXIST:
            return self.key not in labels
        if op in (GREATER_THAN, LESS_THAN):
            if self.key not in labels or len(self.values) != 1:
                return False
            try:
                have, want = _parse_int64(labels[self.key]), _parse_int64(self.values[0])
            except ValueError:
                return False
            return have > want if op == GREATER_THAN else have < want
        return False

    def __str__(self) -> str:
        op = self.operator
        if op == EXISTS:
            return self.key
        if op == DOES_NOT_EXIST:
            return "!" + self.key
        values = ",".join(sorted(self.values))
        if op in (IN, NOT_IN):
            return f"{self.key} {op} ({values})"
        symbol = {GREATER_THAN: ">", LESS_THAN: "<"}.get(op, op)
        return f"{self.key}{symbol}{values}"


def _parse_int64(text: str) -> int:
    stripped = text[1:] if text[:1] in "+-" else text
    if not stripped.isdigit() or not stripped.isascii():
        raise ValueError(text)
    value = int(text)
    if not -(2 ** 63) <= value < 2 ** 63:
        raise ValueError(text)
    return value


def new_requirement(key: str, operator: str, values: Iterable[str], path: str = "") -> Requirement:
    """NewRequirement: validate and build one requirement, raising SelectorError."""
    values = list(values)
    errors: list[str] = []
    key_path = f"{path}.key" if path else "key"
    values_path = f"{path}.values" if path else "values"
    key_errs = is_qualified_name(key)
    if key_errs:
        errors.append(_invalid(key_path, key, "; ".join(key_errs)))
    if operator in (IN, NOT_IN):
        if not values:
            errors.append(_invalid(values_path, values, "for 'in', 'notin' operators, values set can't be empty"))
    elif operator in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS):
        if len(values) != 1:
            errors.append(_invalid(values_path, values, "exact-match compatibility requires one single value"))
    elif operator in (EXISTS, DOES_NOT_EXIST):
        if values:
            errors.append(_invalid(values_path, values, "values set must be empty for exists and does not exist"))
    elif operator in (GREATER_THAN, LESS_THAN):
        if len(values) != 1:
            errors.append(_invalid(values_path, values, "for 'Gt', 'Lt' operators, exactly one value is required"))
        for i, v in enumerate(values):
            try:
                _parse_int64(v)
            except ValueError:
                errors.append(_invalid(f"{values_path}[{i}]", v, "for 'Gt', 'Lt' operators, the value must be an integer"))
    else:
        supported = ", ".join(_quote(o) for o in _VALID_OPERATORS)
        op_path = f"{path}.operator" if path else "operator"
        errors.append(f"{op_path}: Unsupported value: {_quote(operator)}: supported values: {supported}")
    for i, v in enumerate(values):
        v_errs = is_valid_label_value(v)
        if v_errs:
            errors.append(_invalid(f"{values_path}[{i}][{key}]", v, "; ".join(v_errs)))
    if errors:
        raise SelectorError(_aggregate(errors))
    return Requirement(key, operator, tuple(values))


class Selector:
    """An AND of requirements, sorted by key. `nothing()` is the selector that matches nothing."""

    __slots__ = ("requirements", "_matches_nothing")

    def __init__(self, requirements: Iterable[Requirement] = (), matches_nothing: bool = False):
        self.requirements = tuple(sorted(requirements, key=lambda r: r.key))
        self._matches_nothing = matches_nothing

    @property
    def empty(self) -> bool:
        return not self.requirements and not self._matches_nothing

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self._matches_nothing:
            return False
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    def requires_exact_match(self, key: str) -> str | None:
        for r in self.requirements:
            if r.key == key:
                if r.operator in (EQUALS, DOUBLE_EQUALS, IN) and len(r.values) == 1:
                    return r.values[0]
                return None
        return None

    def add(self, *requirements: Requirement) -> "Selector":
        return Selector(self.requirements + requirements, self._matches_nothing)

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)

    def __repr__(self) -> str:
        return f"Selector({str(self)!r})"

    def __eq__(self, other):
        if not isinstance(other, Selector):
            return NotImplemented
        return (self.requirements, self._matches_nothing) == (other.requirements, other._matches_nothing)

    def __hash__(self):
        return hash((self.requirements, self._matches_nothing))


_EVERYTHING = Selector()
_NOTHING = Selector(matches_nothing=True)


def everything() -> Selector:
    return _EVERYTHING


def nothing() -> Selector:
    return _NOTHING


# -- the lexer and parser -----------------------------------------------------------------------

_END, _CLOSE, _COMMA, _NOT, _DEQ, _EQ, _GT, _IDENT, _IN, _LT, _NEQ, _NOTIN, _OPEN, _ERROR = range(14)
_TOKENS = {")": _CLOSE, ",": _COMMA, "!": _NOT, "==": _DEQ, "=": _EQ, ">": _GT, "in": _IN,
           "<": _LT, "!=": _NEQ, "notin": _NOTIN, "(": _OPEN}
_SPECIAL = frozenset("=!(),><")
_SPACE = frozenset(" \t\r\n")
_OPERATOR_BY_TOKEN = {_IN: IN, _EQ: EQUALS, _DEQ: DOUBLE_EQUALS, _GT: GREATER_THAN,
                      _LT: LESS_THAN, _NOTIN: NOT_IN, _NEQ: NOT_EQUALS}


def _lex(text: str) -> list[tuple[int, str]]:
    items, pos, end = [], 0, len(text)
    while True:
        while pos < end and text[pos] in _SPACE:
            pos += 1
        if pos >= end:
            items.append((_END, ""))
            return items
        if text[pos] in _SPECIAL:
            buffer, last = "", None
            while pos < end and text[pos] in _SPECIAL:
                candidate = buffer + text[pos]
                if candidate in _TOKENS:
                    buffer, last = candidate, (_TOKENS[candidate], candidate)
                    pos += 1
                elif last is not None:
                    break
                else:
                    buffer = candidate
                    pos += 1
            if last is None:
                items.append((_ERROR, f"error expected: keyword found '{buffer}'"))
            else:
                items.append(last)
        else:
            start = pos
            while pos < end and text[pos] not in _SPECIAL and text[pos] not in _SPACE:
                pos += 1
            word = text[start:pos]
            items.append((_TOKENS.get(word, _IDENT), word))


class _Parser:
    def __init__(self, text: str):
        self.items = _lex(text)
        self.pos = 0

    def _value_ctx(self, tok: int) -> int:
        return _IDENT if tok in (_IN, _NOTIN) else tok

    def lookahead(self, values: bool = True) -> tuple[int, str]:
        tok, lit = self.items[self.pos]
        return (self._value_ctx(tok) if values else tok), lit

    def consume(self, values: bool = True) -> tuple[int, str]:
        tok, lit = self.items[self.pos]
        self.pos += 1
        return (self._value_ctx(tok) if values else tok), lit

    def parse(self) -> list[Requirement]:
        requirements = []
        while True:
            tok, lit = self.lookahead()
            if tok in (_IDENT, _NOT):
                try:
                    requirements.append(self.requirement())
                except SelectorError as err:
                    raise SelectorError(f"unable to parse requirement: {err}") from None
                t, l = self.consume()
                if t == _END:
                    return requirements
                if t == _COMMA:
                    t2, l2 = self.lookahead()
                    if t2 not in (_IDENT, _NOT):
                        raise SelectorError(f"found '{l2}', expected: identifier after ','")
                else:
                    raise SelectorError(f"found '{l}', expected: ',' or 'end of string'")
            elif tok == _END:
                return requirements
            else:
                raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def requirement(self) -> Requirement:
        operator = None
        tok, lit = self.consume()
        if tok == _NOT:
            operator = DOES_NOT_EXIST
            tok, lit = self.consume()
        if tok != _IDENT:
            raise SelectorError(f"found '{lit}', expected: identifier")
        key_errs = is_qualified_name(lit)
        if key_errs:
            raise SelectorError(_invalid("<nil>", lit, "; ".join(key_errs)))
        key = lit
        if self.lookahead()[0] in (_END, _COMMA) and operator is None:
            operator = EXISTS
        if operator in (EXISTS, DOES_NOT_EXIST):
            return new_requirement(key, operator, [])
        tok, lit = self.consume(values=False)
        operator = _OPERATOR_BY_TOKEN.get(tok)
        if operator is None:
            raise SelectorError(f"found '{lit}', expected: {', '.join(_BINARY_OPERATORS)}")
        values = self.set_values() if operator in (IN, NOT_IN) else self.exact_value()
        return new_requirement(key, operator, sorted(values))

    def set_values(self) -> set[str]:
        tok, lit = self.consume()
        if tok != _OPEN:
            raise SelectorError(f"found '{lit}' expected: '('")
        tok, lit = self.lookahead()
        if tok in (_IDENT, _COMMA):
            values = self.identifiers()
            if self.consume()[0] != _CLOSE:
                raise SelectorError(f"found '{lit}', expected: ')'")
            return values
        if tok == _CLOSE:
            self.consume()
            return {""}
        raise SelectorError(f"found '{lit}', expected: ',', ')' or identifier")

    def identifiers(self) -> set[str]:
        values: set[str] = set()
        while True:
            tok, lit = self.consume()
            if tok == _IDENT:
                values.add(lit)
                tok2, lit2 = self.lookahead()
                if tok2 == _COMMA:
                    continue
                if tok2 == _CLOSE:
                    return values
                raise SelectorError(f"found '{lit2}', expected: ',' or ')'")
            if tok == _COMMA:
                if not values:
                    values.add("")
                tok2 = self.lookahead()[0]
                if tok2 == _CLOSE:
                    values.add("")
                    return values
                if tok2 == _COMMA:
                    self.consume()
                    values.add("")
            else:
                raise SelectorError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        tok = self.lookahead()[0]
        if tok in (_END, _COMMA):
            return {""}
        tok, lit = self.consume()
        if tok == _IDENT:
            return {lit}
        raise SelectorError(f"found '{lit}', expected: identifier")


@functools.lru_cache(maxsize=2048)
def _parse_cached(text: str) -> Selector:
    return Selector(_Parser(text).parse())


def parse(text: str | None) -> Selector:
    """labels.Parse: '' (or None) is the selector that matches everything."""
    if not text:
        return _EVERYTHING
    if not isinstance(text, str):
        raise SelectorError(f"label selector must be a string, not {type(text).__name__}")
    return _parse_cached(text)


def selector_from_set(labels: Mapping[str, str] | None) -> Selector:
    """SelectorFromSet: key=value for every pair (not validated), sorted by key."""
    if not labels:
        return _EVERYTHING
    return Selector(Requirement(k, EQUALS, (str(v),)) for k, v in labels.items())


_EXPRESSION_OPERATORS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


def from_label_selector(selector: Mapping | None) -> Selector:
    """metav1.LabelSelectorAsSelector: {} matches everything, null matches nothing (as in Go)."""
    if selector is None:
        return _NOTHING
    if not isinstance(selector, Mapping):
        raise SelectorError(f"invalid label selector: {selector!r}")
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not isinstance(match_labels, Mapping) or not isinstance(expressions, list):
        raise SelectorError(f"invalid label selector: {selector!r}")
    if not match_labels and not expressions:
        return _EVERYTHING
    requirements = []
    for key, value in match_labels.items():
        requirements.append(new_requirement(key, EQUALS, [value if isinstance(value, str) else str(value)]))
    for expr in expressions:
        if not isinstance(expr, Mapping):
            raise SelectorError(f"invalid label selector requirement: {expr!r}")
        op = expr.get("operator")
        if op not in _EXPRESSION_OPERATORS:
            raise SelectorError(f'"{op}" is not a valid label selector operator')
        values = expr.get("values") or []
        if not isinstance(values, list):
            raise SelectorError(f"invalid label selector requirement values: {values!r}")
        requirements.append(new_requirement(expr.get("key", ""), _EXPRESSION_OPERATORS[op],
                                            [str(v) for v in values]))
    return Selector(requirements)


# -- validating labels on objects ---------------------------------------------------------------

def validate_label_key(key: str, path: str = "metadata.labels") -> list[str]:
    return [_invalid(path, key, m) for m in is_qualified_name(key)]


def validate_label_value(key: str, value, path: str = "metadata.labels") -> list[str]:
    if not isinstance(value, str):
        return [_invalid(path, str(value), "must be a string")]
    return [_invalid(path, value, m) for m in is_valid_label_value(value)]


def validate_labels(labels: Mapping[str, str] | None, path: str = "metadata.labels") -> list[str]:
    """ValidateLabels: one `<path>: Invalid value: "<v>": <why>` string per problem, keys sorted."""
    if labels is not None and not isinstance(labels, Mapping):
        return [f"{path}: Invalid value: {json.dumps(labels, default=str)}: must be a map of string keys to string values"]
    errors: list[str] = []
    for key in sorted(labels or {}):
        errors.extend(validate_label_key(key, path))
        errors.extend(validate_label_value(key, labels[key], path))
    return errors


# -- field selectors ----------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldTerm:
    field: str
    operator: str          # "=" / "==" / "!="
    value: str

    def matches(self, getter: Callable[[str], str]) -> bool:
        have = getter(self.field)
        have = "" if have is None else str(have)
        return (have != self.value) if self.operator == "!=" else (have == self.value)

    def __str__(self) -> str:
        op = "!=" if self.operator == "!=" else "="
        return f"{self.field}{op}{_escape_field_value(self.value)}"


class FieldSelector:
    __slots__ = ("terms",)

    def __init__(self, terms: Iterable[FieldTerm] = ()):
        self.terms = tuple(terms)

    @property
    def empty(self) -> bool:
        return not self.terms

    def matches(self, getter: Callable[[str], str]) -> bool:
        return all(t.matches(getter) for t in self.terms)

    def requires_exact_match(self, field: str) -> str | None:
        for t in self.terms:
            if t.field == field and t.operator != "!=":
                return t.value
        return None

    def __str__(self) -> str:
        return ",".join(str(t) for t in self.terms)

    def __repr__(self) -> str:
        return f"FieldSelector({str(self)!r})"


def _escape_field_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def _split_terms(text: str) -> list[str]:
    terms, start, escaped = [], 0, False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ",":
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return terms


def _split_term(term: str) -> tuple[str, str, str] | None:
    escaped = False
    for i, ch in enumerate(term):
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
            continue
        for op in ("!=", "==", "="):
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op):]
    return None


def _unescape_field_value(value: str) -> str:
    if "\\" not in value and "=" not in value and "," not in value:
        return value
    out, in_slash = [], False
    for ch in value:
        if in_slash:
            if ch not in "\\,=":
                raise SelectorError(f"invalid field selector: invalid escape sequence: \\{ch}")
            out.append(ch)
            in_slash = False
        elif ch == "\\":
            in_slash = True
        elif ch in ",=":
            raise SelectorError(f"invalid field selector: unescaped character {ch}")
        else:
            out.append(ch)
    if in_slash:
        raise SelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _parse_field_cached(text: str) -> FieldSelector:
    terms = []
    for part in sorted(_split_terms(text)):
        if not part:
            continue
        split = _split_term(part)
        if split is None:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        lhs, op, rhs = split
        terms.append(FieldTerm(lhs, op, _unescape_field_value(rhs)))
    return FieldSelector(terms)


def parse_field_selector(text: str | None) -> FieldSelector:
    """fields.ParseSelector: `a.b=c,d!=e`; '' matches everything."""
    if not text:
        return FieldSelector()
    return _parse_field_cached(text)
