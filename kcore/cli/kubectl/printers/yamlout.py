"""Print objects the way `kubectl -o yaml` and `kubectl -o json` do, byte for byte.

kubectl's YAML printer marshals the object to JSON, parses that JSON back with go-yaml v2 and
emits it again with go-yaml v2's libyaml port. So the rules we must reproduce are libyaml's:

* map keys are sorted with go-yaml's "natural" order (`key9` before `key10`);
* block style, 2-space indent, a sequence under a mapping key is not indented (`- image: x`);
* a string is written plain unless it would read back as something else (`"true"`, `"80"`,
  `""`, `"null"`), or the emitter's scalar analysis forbids plain style — then single quotes
  (`'*/1 * * * *'`), or double quotes when single quotes cannot carry it (tabs, control
  characters, a space before a line break);
* a string with a line break becomes a literal block (`|`, `|-`, `|+`, `|2` when it starts
  with a space), unless block style is not allowed, then a double-quoted string with `\\n`;
* lines are folded at spaces once the column passes 80 (libyaml's default width);
* floats are Go's shortest `%g` (`1.2345675e+06`), integral floats come back as integers;
* keys longer than 128 bytes or spanning lines are written as libyaml complex keys (`? key`);
* two quirks of the round trip are kept: a raw NEL (U+0085) folds to a space, and a string
  that starts with a byte-order mark has every character escaped (go-yaml v2's is_bom bug).

The JSON printer is Go's `json.MarshalIndent(obj, "", "    ")`: keys sorted by bytes, `<`, `>`,
`&`, U+2028 and U+2029 escaped as `\\u003c`..., other control characters as `\\u00XX`.

This is a printer: it never changes the object and knows nothing about kinds."""
from __future__ import annotations

import math
import re
import unicodedata

__all__ = ["to_yaml", "to_json", "to_yaml_documents", "go_key_less", "sorted_keys", "go_json_string"]

BEST_WIDTH = 80
BEST_INDENT = 2


# --------------------------------------------------------------------------- key order

def _isdigit(c: str) -> bool:
    return unicodedata.category(c) == "Nd"          # Go's unicode.IsDigit


def go_key_less(a: str, b: str) -> bool:
    """go-yaml v2's keyList.Less for two string keys (letters by code point, digit runs by value)."""
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            continue
        al, bl = ca.isalpha(), cb.isalpha()
        if al and bl:
            return ca < cb
        if al or bl:
            return bl
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and _isdigit(a[j]):
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and _isdigit(a[ai]):
            an = an * 10 + ord(a[ai]) - 48
            ai += 1
        bi = i
        while bi < len(b) and _isdigit(b[bi]):
            bn = bn * 10 + ord(b[bi]) - 48
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def sorted_keys(keys) -> list:
    """Keys in go-yaml's order. The relation is not transitive for keys like `1a`, `2a`, `10a`;
    for those even kubectl's order depends on Go's map iteration, so any order is as right."""
    import functools

    def cmp(x, y):
        if go_key_less(x, y):
            return -1
        if go_key_less(y, x):
            return 1
        return 0
    return sorted(keys, key=functools.cmp_to_key(cmp))


# --------------------------------------------------------------------------- resolving plain scalars

_RESOLVE_MAP = {
    **{s: "bool" for s in ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
                           "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")},
    **{s: "null" for s in ("", "~", "null", "Null", "NULL")},
    **{s: "float" for s in (".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                            "-.inf", "-.Inf", "-.INF")},
}
_YAML_STYLE_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_GO_DEC_FLOAT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_GO_HEX_FLOAT = re.compile(r"^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+$")
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))"
    r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$")


def _go_parse_float_ok(s: str) -> bool:
    """strconv.ParseFloat(s, 64) succeeds (finite or textual inf/nan, no range error)."""
    low = s.lower().lstrip("+-")
    if low in ("inf", "infinity", "nan"):
        return not (low == "nan" and s[:1] in "+-")
    if _GO_DEC_FLOAT.match(s):
        try:
            return not math.isinf(float(s))
        except ValueError:
            return False
    if _GO_HEX_FLOAT.match(s):
        try:
            return not math.isinf(float.fromhex(s))
        except (ValueError, OverflowError):
            return False
    return False


def _go_parse_int(s: str) -> int | None:
    """strconv.ParseInt/ParseUint with base 0 (range ignored: YAML also accepts big ints)."""
    body = s
    if body[:1] in "+-":
        body = body[1:]
    if not body:
        return None
    low = body.lower()
    if low.startswith("0x"):
        digits, base = body[2:], 16
    elif low.startswith("0o"):
        digits, base = body[2:], 8
    elif low.startswith("0b"):
        digits, base = body[2:], 2
    elif body.startswith("0") and len(body) > 1:
        digits, base = body[1:], 8
    else:
        digits, base = body, 10
    if not digits or not all(c in "0123456789abcdefABCDEF"[:base if base <= 10 else 22] for c in digits):
        return None
    return int(digits, base)


def _valid_date(y: int, m: int, d: int) -> bool:
    if not 1 <= m <= 12 or d < 1:
        return False
    days = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return d <= days


def _is_timestamp(s: str) -> bool:
    m = _TIMESTAMP.match(s)
    if not m:
        return False
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not _valid_date(y, mo, d):
        return False
    hms = m.group(4, 5, 6) if m.group(4) else m.group(7, 8, 9)
    if hms[0] is not None:
        h, mi, se = (int(x) for x in hms)
        if h > 23 or mi > 59 or se > 59:
            return False
    return True


def resolves_to_string(s: str) -> bool:
    """True when go-yaml v2 reads the plain scalar `s` back as a string (and not base-60)."""
    if s in _RESOLVE_MAP:
        return False
    first = s[0]
    if first == ".":
        if _go_parse_float_ok(s):
            return False
    elif first in "+-0123456789":
        if _is_timestamp(s):
            return False
        plain = s.replace("_", "")
        if _go_parse_int(plain) is not None:
            return False
        if _YAML_STYLE_FLOAT.match(plain) and _go_parse_float_ok(plain):
            return False
    if first in "+-0123456789" and ":" in s and _BASE60.match(s):
        return False
    return True


# --------------------------------------------------------------------------- scalar analysis

def _is_printable(ch: str) -> bool:
    o = ord(ch)
    return (o == 0x0A or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF
            or (0xE000 <= o <= 0xFFFD and o != 0xFEFF))


def _is_break(ch: str) -> bool:
    return ch in "\r\n\x85\u2028\u2029"


def _is_blank(ch: str) -> bool:
    return ch in " \t"


class _Analysis:
    __slots__ = ("multiline", "block_plain", "single_quoted", "block")


def _analyze(value: str) -> _Analysis:
    r = _Analysis()
    if not value:
        r.multiline, r.block_plain, r.single_quoted, r.block = False, True, True, False
        return r
    block_ind = value.startswith("---") or value.startswith("...")
    line_breaks = special = False
    leading_space = leading_break = trailing_space = trailing_break = False
    break_space = space_break = False
    preceded_ws = True
    prev_space = prev_break = False
    n = len(value)
    for i, ch in enumerate(value):
        followed_ws = i + 1 >= n or _is_blank(value[i + 1])
        if i == 0:
            if ch in "#,[]{}&*!|>'\"%@`":
                block_ind = True
            elif ch in "?:":
                if followed_ws:
                    block_ind = True
            elif ch == "-":
                if followed_ws:
                    block_ind = True
        else:
            if ch == ":":
                if followed_ws:
                    block_ind = True
            elif ch == "#":
                if preceded_ws:
                    block_ind = True
        if not _is_printable(ch):
            special = True
        if ch == " ":
            if i == 0:
                leading_space = True
            if i == n - 1:
                trailing_space = True
            if prev_break:
                break_space = True
            prev_space, prev_break = True, False
        elif _is_break(ch):
            line_breaks = True
            if i == 0:
                leading_break = True
            if i == n - 1:
                trailing_break = True
            if prev_space:
                space_break = True
            prev_space, prev_break = False, True
        else:
            prev_space = prev_break = False
        preceded_ws = _is_blank(ch) or _is_break(ch)
    r.multiline = line_breaks
    r.block_plain = r.single_quoted = r.block = True
    if leading_space or leading_break or trailing_space or trailing_break:
        r.block_plain = False
    if trailing_space:
        r.block = False
    if break_space:
        r.block_plain = r.single_quoted = False
    if space_break or special:
        r.block_plain = r.single_quoted = r.block = False
    if line_breaks or block_ind:
        r.block_plain = False
    return r


# --------------------------------------------------------------------------- the emitter

def _is_simple_key(text: str) -> bool:
    """libyaml's check_simple_key for a string key: one line and at most 128 bytes."""
    rendered, _ = _scalar_text(text)
    return len(rendered.encode("utf-8")) <= 128 and not any(_is_break(c) for c in rendered)


class _Emitter:
    """The subset of libyaml's emitter state that block-style output depends on."""

    def __init__(self):
        self.out: list[str] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.indent = -1

    # low-level writes --------------------------------------------------------
    def put(self, s: str):
        self.out.append(s)
        self.column += len(s)

    def put_break(self):
        self.out.append("\n")
        self.column = 0

    def write_break(self, ch: str):
        if ch == "\n":
            self.put_break()
        else:
            self.out.append(ch)
            self.column = 0

    def write_indent(self):
        indent = max(self.indent, 0)
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.put_break()
        while self.column < indent:
            self.put(" ")
        self.whitespace = True
        self.indention = True

    def write_indicator(self, ind: str, need_ws: bool, is_ws: bool, is_indention: bool):
        if need_ws and not self.whitespace:
            self.put(" ")
        self.put(ind)
        self.whitespace = is_ws
        self.indention = self.indention and is_indention

    # scalars -------------------------------------------------------------------
    def write_plain(self, value: str, allow_breaks: bool):
        if not self.whitespace:
            self.put(" ")
        spaces = breaks = False
        n = len(value)
        for i, ch in enumerate(value):
            if ch == " ":
                if allow_breaks and not spaces and self.column > BEST_WIDTH and not (i + 1 < n and value[i + 1] == " "):
                    self.write_indent()
                else:
                    self.put(ch)
                spaces = True
            elif _is_break(ch):
                if not breaks and ch == "\n":
                    self.put_break()
                self.write_break(ch)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put(ch)
                self.indention = False
                spaces = breaks = False
        self.whitespace = False
        self.indention = False

    def write_single_quoted(self, value: str, allow_breaks: bool):
        self.write_indicator("'", True, False, False)
        spaces = breaks = False
        n = len(value)
        for i, ch in enumerate(value):
            if ch == " ":
                if (allow_breaks and not spaces and self.column > BEST_WIDTH and 0 < i < n - 1
                        and value[i + 1] != " "):
                    self.write_indent()
                else:
                    self.put(ch)
                spaces = True
            elif _is_break(ch):
                if not breaks and ch == "\n":
                    self.put_break()
                self.write_break(ch)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                if ch == "'":
                    self.put("'")
                self.put(ch)
                self.indention = False
                spaces = breaks = False
        self.write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    _ESCAPES = {0x00: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0A: "n", 0x0B: "v", 0x0C: "f",
                0x0D: "r", 0x1B: "e", 0x22: '"', 0x5C: "\\", 0x85: "N", 0xA0: "_",
                0x2028: "L", 0x2029: "P"}

    def write_double_quoted(self, value: str, allow_breaks: bool):
        spaces = False
        self.write_indicator('"', True, False, False)
        n = len(value)
        # go-yaml v2's is_bom() looks at the first three bytes whatever the index, so a string
        # starting with a BOM has every character escaped.
        starts_with_bom = value.startswith("\ufeff")
        for i, ch in enumerate(value):
            o = ord(ch)
            if starts_with_bom or not _is_printable(ch) or _is_break(ch) or ch in '"\\':
                esc = self._ESCAPES.get(o)
                if esc is None:
                    if o <= 0xFF:
                        esc = "x%02X" % o
                    elif o <= 0xFFFF:
                        esc = "u%04X" % o
                    else:
                        esc = "U%08X" % o
                self.put("\\" + esc)
                spaces = False
            elif ch == " ":
                if allow_breaks and not spaces and self.column > BEST_WIDTH and 0 < i < n - 1:
                    self.write_indent()
                    if value[i + 1] == " ":
                        self.put("\\")
                else:
                    self.put(ch)
                spaces = True
            else:
                self.put(ch)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_literal(self, value: str):
        self.write_indicator("|", True, False, False)
        if value[:1] == " " or _is_break(value[:1] or "x"):
            self.write_indicator(str(BEST_INDENT), False, False, False)
        if not value or not _is_break(value[-1]):
            chomp = "-"
        elif len(value) == 1 or _is_break(value[-2]):
            chomp = "+"
        else:
            chomp = ""
        if chomp:
            self.write_indicator(chomp, False, False, False)
        self.put_break()
        self.indention = True
        self.whitespace = True
        breaks = True
        for ch in value:
            if _is_break(ch):
                self.write_break(ch)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put(ch)
                self.indention = False
                breaks = False

    def scalar(self, text: str, style: str, simple_key: bool):
        """Emit a scalar whose preferred style is 'plain', 'double' or 'literal'."""
        a = _analyze(text)
        if simple_key and a.multiline:
            style = "double"
        if style == "plain":
            if not a.block_plain:
                style = "single"
            if not text and simple_key:
                style = "single"
        if style == "single" and not a.single_quoted:
            style = "double"
        if style == "literal" and (not a.block or simple_key):
            style = "double"
        saved = self.indent
        self.indent = BEST_INDENT if self.indent < 0 else self.indent + BEST_INDENT
        if style == "plain":
            self.write_plain(text, not simple_key)
        elif style == "single":
            self.write_single_quoted(text, not simple_key)
        elif style == "double":
            self.write_double_quoted(text, not simple_key)
        else:
            self.write_literal(text)
        self.indent = saved

    # nodes ---------------------------------------------------------------------
    def node(self, value, mapping_context: bool = False, simple_key: bool = False):
        if isinstance(value, dict):
            if not value:
                self.write_indicator("{", True, True, False)
                self.write_indicator("}", False, False, False)
            else:
                self.mapping(value)
        elif isinstance(value, (list, tuple)):
            if not value:
                self.write_indicator("[", True, True, False)
                self.write_indicator("]", False, False, False)
            else:
                self.sequence(value, mapping_context)
        else:
            text, style = _scalar_text(value)
            self.scalar(text, style, simple_key)

    def mapping(self, value: dict):
        saved = self.indent
        self.indent = 0 if self.indent < 0 else self.indent + BEST_INDENT
        for key in sorted_keys(value.keys()):
            text = key if isinstance(key, str) else str(key)
            self.write_indent()
            if _is_simple_key(text):
                self.node(text, simple_key=True)
                self.write_indicator(":", False, False, False)
            else:
                # libyaml's complex key: "? key" on its own, then ": value" on the next line
                self.write_indicator("?", True, False, True)
                self.node(text, mapping_context=True)
                self.write_indent()
                self.write_indicator(":", True, False, True)
            self.node(value[key], mapping_context=True)
        self.indent = saved

    def sequence(self, value, mapping_context: bool):
        saved = self.indent
        indentless = mapping_context and not self.indention
        if self.indent < 0:
            self.indent = 0
        elif not indentless:
            self.indent += BEST_INDENT
        for item in value:
            self.write_indent()
            self.write_indicator("-", True, False, True)
            self.node(item)
        self.indent = saved


def _shortest_digits(f: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of |f| and the decimal point position (Go's digs.d/dp)."""
    r = repr(abs(f))
    mant, _, exp = r.partition("e")
    intpart, _, frac = mant.partition(".")
    if frac == "0":
        frac = ""
    allds = intpart + frac
    stripped = allds.lstrip("0")
    lead = len(allds) - len(stripped)
    digits = stripped.rstrip("0") or "0"
    return digits, len(intpart) - lead + (int(exp) if exp else 0)


def _fmt_e(sign: str, digits: str, dp: int) -> str:
    x = dp - 1
    m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return "%s%se%s%02d" % (sign, m, "-" if x < 0 else "+", abs(x))


def _fmt_f(sign: str, digits: str, dp: int) -> str:
    if dp <= 0:
        return sign + "0." + "0" * (-dp) + digits
    if dp >= len(digits):
        return sign + digits + "0" * (dp - len(digits))
    return sign + digits[:dp] + "." + digits[dp:]


def _yaml_float(f: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 64) as go-yaml's floatv writes it."""
    if math.isnan(f):
        return ".nan"
    if math.isinf(f):
        return ".inf" if f > 0 else "-.inf"
    sign = "-" if f < 0 else ""
    digits, dp = _shortest_digits(f)
    if digits == "0":
        return sign + "0"
    x = dp - 1
    if x < -4 or x >= 6:
        return _fmt_e(sign, digits, dp)
    return _fmt_f(sign, digits, dp)


_NEL_RUN = re.compile(" *\x85(?: *\x85)* *")


def _fold_nel(s: str) -> str:
    """kubectl re-reads its JSON as YAML; a raw NEL (Go's JSON leaves U+0085 unescaped) is a
    line break inside a double-quoted scalar and folds like one: one break -> a space."""
    def fold(m):
        n = m.group().count("\x85")
        return " " if n == 1 else "\n" * (n - 1)
    return _NEL_RUN.sub(fold, s)


def _scalar_text(value) -> tuple[str, str]:
    if value is None:
        return "null", "plain"
    if value is True:
        return "true", "plain"
    if value is False:
        return "false", "plain"
    if isinstance(value, int):
        return str(value), "plain"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value)), "plain"
        return _yaml_float(value), "plain"
    s = str(value)
    if "\x85" in s:
        s = _fold_nel(s)
    if "\n" in s:
        return s, "literal"
    if s and resolves_to_string(s):
        return s, "plain"
    return s, "double"


def to_yaml(obj) -> str:
    """The text `kubectl get -o yaml` prints for one object (ends with a newline)."""
    e = _Emitter()
    e.node(obj)
    e.indent = -1
    e.write_indent()          # libyaml's document end: a line break unless one was just written
    return "".join(e.out)


def to_yaml_documents(objs) -> str:
    """Several objects as kubectl prints them with -o yaml: documents separated by `---`."""
    return "---\n".join(to_yaml(o) for o in objs)


# --------------------------------------------------------------------------- JSON

_JSON_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _json_string(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch in _JSON_SHORT:
            out.append(_JSON_SHORT[ch])
        elif o < 0x20 or ch in "<>&" or o in (0x2028, 0x2029):
            out.append("\\u%04x" % o)
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def go_json_string(s: str) -> str:
    """A string as Go's encoding/json writes it (HTML-safe escapes), quotes included."""
    return _json_string(s)


def _json_float(f: float) -> str:
    """encoding/json's float64: %f between 1e-6 and 1e21, else %e with a short exponent."""
    if math.isnan(f) or math.isinf(f):
        raise ValueError(f"json: unsupported value: {f}")
    if f == 0:
        return "-0" if math.copysign(1, f) < 0 else "0"
    sign = "-" if f < 0 else ""
    digits, dp = _shortest_digits(f)
    if 1e-6 <= abs(f) < 1e21:
        return _fmt_f(sign, digits, dp)
    return re.sub(r"e([+-])0(\d)$", r"e\1\2", _fmt_e(sign, digits, dp))


def _json(value, indent: str, out: list, sort_keys: bool = True):
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = indent + "    "
        out.append("{\n")
        keys = sorted(value.keys(), key=lambda k: str(k).encode("utf-8")) if sort_keys else list(value)
        for n, k in enumerate(keys):
            out.append(inner + _json_string(str(k)) + ": ")
            _json(value[k], inner, out, sort_keys)
            out.append(",\n" if n < len(keys) - 1 else "\n")
        out.append(indent + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = indent + "    "
        out.append("[\n")
        for n, item in enumerate(value):
            out.append(inner)
            _json(item, inner, out, sort_keys)
            out.append(",\n" if n < len(value) - 1 else "\n")
        out.append(indent + "]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(_json_float(value))
    else:
        out.append(_json_string(str(value)))


def to_json(obj, sort_keys: bool = True) -> str:
    """The text `kubectl get -o json` prints for one object (4-space indent, ends with newline).
    sort_keys=False keeps the dicts' own order: what kubectl prints for a typed object it built
    itself (`create ... --dry-run=client -o json`), whose keys follow the Go struct — see
    generators.struct_ordered()."""
    out: list[str] = []
    _json(obj, "", out, sort_keys)
    return "".join(out) + "\n"
