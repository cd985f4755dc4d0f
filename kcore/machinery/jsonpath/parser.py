"""Turn a kubectl JSONPath template into an immutable tree, the way client-go's parser does.

The scanner walks the template once: text outside braces becomes a text node, each `{...}`
action becomes a list of steps (fields, array selections, filters, quoted literals, numbers,
the `range`/`end` identifiers). The grammar is client-go's, quirks included, because learners
type the quirks: `['a.b']` is re-read as `.a.b`, a union is split on every comma, a filter's
operator is whatever run of `!<>=` follows its left side, and only one quoted string per filter
is understood. Error messages are client-go's words.

Nodes are tuples whose first item is a tag, so a parsed template can sit in an lru_cache:

    ("text", s)  ("list", (node, ...))  ("field", name)  ("wild",)  ("rec",)
    ("array", (start, stop, step))  where each is (known, value, derived)
    ("filter", left_list, right_list, op)  ("union", (list, ...))
    ("int", n)  ("float", f)  ("bool", b)  ("ident", name)
"""
from __future__ import annotations

import functools
import re
import unicodedata

from .errors import JSONPathError
from .gofmt import go_quote_rune_U, LiteralFloat, LiteralInt

_DICT_KEY = re.compile(r"^'([^']*)'\Z")  # Go's `$` is Python's `\Z`
_SLICE = re.compile(r"^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?\Z")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)\Z")
_TERMINATORS = frozenset(" \t\r\n.,[]$@{}")
_EOF = ""


def _is_digit(r: str) -> bool:
    return r != _EOF and (("0" <= r <= "9") or (r > "\x7f" and unicodedata.category(r) == "Nd"))


def _is_alnum(r: str) -> bool:
    if r == _EOF:
        return False
    if r == "_" or r.isascii() and r.isalnum():
        return True
    return r > "\x7f" and unicodedata.category(r)[0] in ("L",) or _is_digit(r)


def _go_atoi(s: str):
    """strconv.Atoi: optional sign, ASCII digits, must fit in int64."""
    if not re.fullmatch(r"[+-]?[0-9]+", s):
        return None
    n = int(s)
    return n if -(2**63) <= n < 2**63 else None


def _go_parse_float(s: str):
    """strconv.ParseFloat for what parseNumber can collect: sign, digits and dots."""
    if not re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", s):
        return None
    return float(s)


class _Parser:
    def __init__(self, text: str):
        self.input = text
        self.pos = 0
        self.start = 0
        self.root: list = []

    # -- scanning primitives (runes are Python characters) --
    def next(self) -> str:
        if self.pos >= len(self.input):
            self._width = 0
            return _EOF
        self._width = 1
        self.pos += 1
        return self.input[self.pos - 1]

    def backup(self) -> None:
        self.pos -= self._width

    def peek(self) -> str:
        r = self.next()
        self.backup()
        return r

    def consume(self) -> str:
        value = self.input[self.start:self.pos]
        self.start = self.pos
        return value

    # -- grammar; each step returns the next step to run, so deep templates do not recurse --
    def parse(self) -> list:
        step = self.parse_text
        arg = self.root
        while step is not None:
            step, arg = step(arg)
        return self.root

    def parse_text(self, cur):
        i = self.input.find("{", self.pos)
        if i < 0:
            self.pos = len(self.input)
            if self.pos > self.start:
                self.root.append(("text", self.consume()))
            return None, None
        self.pos = i
        if self.pos > self.start:
            self.root.append(("text", self.consume()))
        self.pos += 1
        self.consume()
        action: list = []
        self.root.append(action)
        return self.parse_inside, action

    def parse_inside(self, cur):
        rest = self.input[self.pos:self.pos + 3]
        if rest.startswith("}"):
            self.pos += 1
            self.consume()
            return self.parse_text, self.root
        if rest.startswith("[?("):
            return self.parse_filter, cur
        if rest.startswith(".."):
            return self.parse_recursive, cur
        r = self.next()
        if r == _EOF or r in "\r\n":
            raise JSONPathError("unclosed action", phase="parse")
        if r in " @$":
            self.consume()
            return self.parse_inside, cur
        if r == "[":
            return self.parse_array, cur
        if r in "\"'":
            return self.parse_quote(cur, r)
        if r == ".":
            return self.parse_field, cur
        if r in "+-" or _is_digit(r):
            self.backup()
            return self.parse_number, cur
        if _is_alnum(r):
            self.backup()
            return self.parse_identifier, cur
        raise JSONPathError(f"unrecognized character in action: {go_quote_rune_U(r)}", phase="parse")

    def parse_identifier(self, cur):
        while True:
            r = self.next()
            if r == _EOF or r in _TERMINATORS:
                self.backup()
                break
        value = self.consume()
        cur.append(("bool", value == "true") if value in ("true", "false") else ("ident", value))
        return self.parse_inside, cur

    def parse_recursive(self, cur):
        if cur and cur[-1][0] == "rec":
            raise JSONPathError("invalid multiple recursive descent", phase="parse")
        self.pos += 2
        self.consume()
        cur.append(("rec",))
        if _is_alnum(self.peek()):
            return self.parse_field, cur
        return self.parse_inside, cur

    def parse_number(self, cur):
        if self.peek() in ("+", "-"):
            self.next()
        while True:
            r = self.next()
            if r != "." and not _is_digit(r):
                self.backup()
                break
        value = self.consume()
        n = _go_atoi(value)
        if n is not None:
            cur.append(("int", LiteralInt(n)))
            return self.parse_inside, cur
        f = _go_parse_float(value)
        if f is not None:
            cur.append(("float", LiteralFloat(f)))
            return self.parse_inside, cur
        raise JSONPathError(f"cannot parse number {value}", phase="parse")

    def parse_array(self, cur):
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated array", phase="parse")
            if r == "]":
                break
        text = self.consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            cur.append(("union", tuple(_parse_action(f"[{p.strip(' ')}]") for p in parts)))
            return self.parse_inside, cur
        m = _DICT_KEY.match(text)
        if m:
            cur.extend(_parse_action("." + m.group(1))[1])
            return self.parse_inside, cur
        m = _SLICE.match(text)
        if m is None:
            raise JSONPathError(f"invalid array index {text}", phase="parse")
        params = []
        for i, raw in enumerate(m.groups(default="")):
            if raw:
                if i > 0:
                    raw = raw[1:]
                if i > 0 and raw == "":
                    params.append((False, 0, False))
                else:
                    n = _go_atoi(raw)
                    if n is None:
                        raise JSONPathError(f"array index {raw} is not a number", phase="parse")
                    params.append((True, n, False))
            elif i == 1:
                params.append((True, params[0][1] + 1, True))
            else:
                params.append((False, 0, False))
        cur.append(("array", tuple(params)))
        return self.parse_inside, cur

    def parse_filter(self, cur):
        self.pos += 3
        self.consume()
        begin = end = False
        pair = ""
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated filter", phase="parse")
            if r in "\"'":
                if not begin:
                    begin, pair = True, r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")" and begin == end:
                break
        if self.next() != "]":
            raise JSONPathError("unclosed array expect ]", phase="parse")
        text = self.consume()[:-2]
        m = _FILTER.match(text)
        if m is None:
            cur.append(("filter", _parse_action(text), ("list", ()), "exists"))
        else:
            left = _parse_action(m.group(1))
            right = _parse_action(m.group(3))
            cur.append(("filter", left, right, m.group(2)))
        return self.parse_inside, cur

    def parse_quote(self, cur, quote):
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated quoted string", phase="parse")
            if r == quote and self.input[self.pos - 2] != "\\":
                break
        value = self.consume()
        try:
            text = unquote_extend(value)
        except ValueError:
            raise JSONPathError(f"unquote string {value} error invalid syntax", phase="parse") from None
        cur.append(("text", text))
        return self.parse_inside, cur

    def parse_field(self, cur):
        self.consume()
        while True:
            r = self.next()
            if r == "\\":
                self.next()
            elif r == _EOF or r in _TERMINATORS:
                self.backup()
                break
        value = self.consume()
        cur.append(("wild",) if value == "*" else ("field", value.replace("\\", "")))
        return self.parse_inside, cur


_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def unquote_extend(s: str) -> str:
    """Go's strconv.Unquote, extended (as client-go does) to single-quoted strings of any length."""
    if len(s) < 2 or s[0] != s[-1] or s[0] not in "\"'":
        raise ValueError("invalid syntax")
    quote, s = s[0], s[1:-1]
    if "\\" not in s and quote not in s:
        return s
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == quote:
            raise ValueError("invalid syntax")
        if c != "\\":
            out += c.encode("utf-8", "surrogatepass")
            i += 1
            continue
        if i + 1 >= len(s):
            raise ValueError("invalid syntax")
        e = s[i + 1]
        i += 2
        if e in _SIMPLE_ESCAPES:
            out += _SIMPLE_ESCAPES[e].encode()
        elif e in "xuU":
            n = {"x": 2, "u": 4, "U": 8}[e]
            digits = s[i:i + n]
            if len(digits) < n or not re.fullmatch(r"[0-9a-fA-F]+", digits):
                raise ValueError("invalid syntax")
            v = int(digits, 16)
            i += n
            if e == "x":
                out.append(v)
            else:
                if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
                    raise ValueError("invalid syntax")
                out += chr(v).encode("utf-8")
        elif "0" <= e <= "7":
            digits = s[i - 1:i + 2]
            if len(digits) < 3 or not re.fullmatch(r"[0-7]{3}", digits):
                raise ValueError("invalid syntax")
            v = int(digits, 8)
            if v > 255:
                raise ValueError("invalid syntax")
            out.append(v)
            i += 2
        elif e in "'\"":
            if e != quote:
                raise ValueError("invalid syntax")
            out += e.encode()
        else:
            raise ValueError("invalid syntax")
    return out.decode("utf-8", "surrogateescape")


def _parse_action(text: str) -> tuple:
    """client-go's parseAction: parse `{text}` and return its one action as a list node."""
    return parse("{" + text + "}")[1][0]


def _freeze(node):
    if isinstance(node, list):
        return ("list", tuple(_freeze(n) for n in node))
    return node


@functools.lru_cache(maxsize=1024)
def parse(template: str) -> tuple:
    """Parse a template into ("list", nodes); raises JSONPathError(phase="parse")."""
    return ("list", tuple(_freeze(n) for n in _Parser(template).parse()))
