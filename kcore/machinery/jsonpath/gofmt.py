"""How Go sees and prints the plain JSON values kubectl hands to its JSONPath engine.

kubectl decodes objects into map[string]interface{}: whole numbers that fit in int64 become
int64 (so `2.0` prints as `2`), other numbers float64. Results print three ways:
  * maps and lists as encoding/json would (`json_marshal`: sorted keys, `<` as `\\u003c`),
  * scalars as fmt.Fprint would (`text`: floats as `%v`, e.g. `1.23456725e+06`),
  * whole values inside error messages as `%v` (`map[app:web]`) and `%#v`
    (`map[string]interface {}{"app":"web"}`).
Template literals keep their Go kinds (an `int` or a `float64` even when whole), and the
bytes of a string reached by `*` are uint8, hence the small marker classes."""
from __future__ import annotations

import math
import re

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class LiteralInt(int):
    """An integer written in the template (Go `int`)."""


class LiteralFloat(float):
    """A decimal written in the template (Go `float64`, even when whole)."""


class Byte(int):
    """One byte of a string, as `*` and `..` yield them (Go `uint8`)."""


class _Invalid:
    """The zero reflect.Value: what a `{range}` over a null element binds `@` to."""

    def __repr__(self):
        return "INVALID"


INVALID = _Invalid()


def kind(v) -> str:
    """Go reflect kind family of a value: nil, bool, int, uint, float, string, map, slice."""
    if v is None:
        return "nil"
    t = type(v)
    if t is str:
        return "string"
    if t is dict:
        return "map"
    if t is list:
        return "slice"
    if t is bool:
        return "bool"
    if t is Byte:
        return "uint"
    if t is LiteralFloat:
        return "float"
    if isinstance(v, int):
        return "int" if _INT64_MIN <= v <= _INT64_MAX else "float"
    if isinstance(v, float):
        return "int" if v.is_integer() and _INT64_MIN <= v < 2**63 else "float"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, (list, tuple)):
        return "slice"
    if isinstance(v, str):
        return "string"
    return "invalid"


def type_name(v) -> str:
    k = kind(v)
    if k == "int":
        return "int" if type(v) is LiteralInt else "int64"
    return {"map": "map[string]interface {}", "slice": "[]interface {}", "uint": "uint8",
            "float": "float64", "string": "string", "bool": "bool"}.get(k, "interface {}")


# ---------------------------------------------------------------- numbers

def _digits(f: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of |f| and the decimal point position."""
    r = repr(abs(f))
    mant, _, exp = r.partition("e")
    ip, _, fp = mant.partition(".")
    alld = ip + fp
    stripped = alld.lstrip("0")
    dp = len(ip) + (int(exp) if exp else 0) - (len(alld) - len(stripped))
    return stripped.rstrip("0") or "0", dp


def _e_format(digits: str, dp: int) -> str:
    x = dp - 1
    m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{m}e{'-' if x < 0 else '+'}{abs(x):02d}"


def _f_format(digits: str, dp: int) -> str:
    if dp <= 0:
        return "0." + "0" * (-dp) + digits
    if dp >= len(digits):
        return digits + "0" * (dp - len(digits))
    return digits[:dp] + "." + digits[dp:]


def _special(f: float):
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if f == 0:
        return "-0" if math.copysign(1, f) < 0 else "0"
    return None


def go_float_v(f: float) -> str:
    """fmt's %v for a float64: strconv 'g' with shortest digits, exponent when < -4 or >= 6."""
    s = _special(f)
    if s is not None:
        return s
    digits, dp = _digits(f)
    sign = "-" if f < 0 else ""
    x = dp - 1
    if x < -4 or x >= 6:
        return sign + _e_format(digits, dp)
    return sign + _f_format(digits, dp)


def json_float(f: float) -> str:
    """encoding/json's float64: like ES6, exponent only below 1e-6 or from 1e21."""
    s = _special(f)
    if s is not None:
        return s if s in ("0", "-0") else "null"
    digits, dp = _digits(f)
    sign = "-" if f < 0 else ""
    a = abs(f)
    if a < 1e-6 or a >= 1e21:
        out = _e_format(digits, dp)
        out = re.sub(r"e([+-])0(\d)$", r"e\1\2", out)
        return sign + out
    return sign + _f_format(digits, dp)


def number_text(v, for_json: bool = False) -> str:
    k = kind(v)
    if k in ("int", "uint"):
        return str(int(v))
    return json_float(float(v)) if for_json else go_float_v(float(v))


# ---------------------------------------------------------------- strings

_JSON_ESCAPE = re.compile('[\x00-\x1f"\\\\<>&\u2028\u2029\ud800-\udfff]')
_JSON_NAMED = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
               "\b": "\\b", "\f": "\\f"}


def _json_escape_char(m: re.Match) -> str:
    c = m.group(0)
    if c in _JSON_NAMED:
        return _JSON_NAMED[c]
    if "\ud800" <= c <= "\udfff":
        return "\\ufffd"
    return "\\u%04x" % ord(c)


def json_string(s: str) -> str:
    return '"' + _JSON_ESCAPE.sub(_json_escape_char, s) + '"'


def json_marshal(v) -> str:
    """encoding/json.Marshal of a decoded JSON value (map keys sorted, HTML-safe)."""
    k = kind(v)
    if k == "string":
        return json_string(v)
    if k == "map":
        return "{" + ",".join(json_string(key) + ":" + json_marshal(v[key]) for key in sorted(v)) + "}"
    if k == "slice":
        return "[" + ",".join(json_marshal(x) for x in v) + "]"
    if k == "bool":
        return "true" if v else "false"
    if k in ("int", "uint", "float"):
        return number_text(v, for_json=True)
    return "null"


def json_marshal_indent(v, level: int = 0) -> str:
    """encoding/json.MarshalIndent(v, "", "    "), as `-o jsonpath-as-json` prints each result list."""
    k = kind(v)
    pad, inner = "    " * level, "    " * (level + 1)
    if k == "map" and v:
        body = ",\n".join(f"{inner}{json_string(key)}: {json_marshal_indent(v[key], level + 1)}"
                          for key in sorted(v))
        return "{\n" + body + "\n" + pad + "}"
    if k == "slice" and v:
        body = ",\n".join(inner + json_marshal_indent(x, level + 1) for x in v)
        return "[\n" + body + "\n" + pad + "]"
    return json_marshal(v)


_GO_NAMED = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
             "\v": "\\v", "\\": "\\\\", '"': '\\"'}


def _go_printable(c: str) -> bool:
    return c == " " or (c.isprintable() and not ("\ud800" <= c <= "\udfff"))


def go_quote(s: str) -> str:
    """strconv.Quote: Go-escaped, double-quoted, printable Unicode kept."""
    out = ['"']
    for c in s:
        if c in _GO_NAMED:
            out.append(_GO_NAMED[c])
        elif _go_printable(c):
            out.append(c)
        else:
            o = ord(c)
            if "\udc80" <= c <= "\udcff":  # a raw byte kept by surrogateescape
                out.append("\\x%02x" % (o - 0xDC00))
            elif o < 0x80:
                out.append("\\x%02x" % o)
            elif o < 0x10000:
                out.append("\\u%04x" % o)
            else:
                out.append("\\U%08x" % o)
    out.append('"')
    return "".join(out)


def go_quote_rune_U(r: str) -> str:
    """fmt's %#U: `U+0021 '!'`, or just `U+0009` for a non-printable rune."""
    code = "U+%04X" % ord(r)
    return f"{code} '{r}'" if _go_printable(r) else code


# ---------------------------------------------------------------- %v and %#v

def fmt_v(v) -> str:
    """fmt's %v of a decoded JSON value: `map[a:1 b:[x y]]`, `<nil>`."""
    k = kind(v)
    if k == "string":
        return v
    if k == "map":
        return "map[" + " ".join(f"{key}:{fmt_v(v[key])}" for key in sorted(v)) + "]"
    if k == "slice":
        return "[" + " ".join(fmt_v(x) for x in v) + "]"
    if k == "bool":
        return "true" if v else "false"
    if k in ("int", "uint", "float"):
        return number_text(v)
    if v is INVALID:
        return "<invalid reflect.Value>"
    return "<nil>"


def fmt_sharp_v(v, top: bool = True) -> str:
    """fmt's %#v of a decoded JSON value, as kubectl shows the object in error messages."""
    k = kind(v)
    if k == "string":
        return go_quote(v)
    if k == "map":
        return "map[string]interface {}{" + ", ".join(
            f"{go_quote(key)}:{fmt_sharp_v(v[key], False)}" for key in sorted(v)) + "}"
    if k == "slice":
        return "[]interface {}{" + ", ".join(fmt_sharp_v(x, False) for x in v) + "}"
    if k == "bool":
        return "true" if v else "false"
    if k in ("int", "uint", "float"):
        return number_text(v)
    return "<nil>" if top else "interface {}(nil)"


def text(v) -> str:
    """How PrintResults writes one result: JSON for maps and lists, fmt.Fprint otherwise."""
    t = type(v)
    if t is str:
        return v
    k = kind(v)
    if k in ("map", "slice"):
        return json_marshal(v)
    if k == "string":
        return str(v)
    if k == "bool":
        return "true" if v else "false"
    if k in ("int", "uint", "float"):
        return number_text(v)
    if v is INVALID:
        return "<no value>"
    return "null"
