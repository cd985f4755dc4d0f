"""Go's text/template, as `kubectl get -o go-template=...` runs it over a JSON object.

The template is parsed once into a small tree (text, actions, if/range/with blocks) and run
against decoded JSON: `.a.b` walks maps, a missing key is Go's zero value ("<no value>" when
printed), `range` walks lists in order and maps by sorted key, and values print as Go's fmt
prints an `interface{}` (`map[k:v]`, `[a b]`, `1e+06`). The functions are text/template's
builtins (and, or, not, len, index, print, printf, println, eq, ne, lt, le, gt, ge, slice)
plus kubectl's `base64decode` and `exists`. Errors carry text/template's wording.

`render(template, data)` returns the text; bad templates raise TemplateParseError, failures
while running raise TemplateExecError (both ValueErrors)."""
from __future__ import annotations

import base64
import math
import re

__all__ = ["render", "parse", "run", "go_quote", "as_unstructured", "TemplateError", "TemplateParseError", "TemplateExecError",
           "go_sprint"]

NAME = "output"


class TemplateError(ValueError):
    pass


class TemplateParseError(TemplateError):
    pass


class TemplateExecError(TemplateError):
    pass


class _Missing:
    """A map key that is not there: Go's zero reflect.Value, printed "<no value>"."""
    __slots__ = ()

    def __repr__(self):
        return "<no value>"


MISSING = _Missing()

# ------------------------------------------------------------------------------- lexing

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<raw>`[^`]*`)
  | (?P<char>'(?:[^'\\\n]|\\.)+')
  | (?P<declare>:=)
  | (?P<assign>=)
  | (?P<field>(?:\.[A-Za-z_][A-Za-z0-9_]*)+)
  | (?P<dot>\.)
  | (?P<var>\$[A-Za-z0-9_]*)
  | (?P<number>[+-]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<pipe>\|)
  | (?P<comma>,)
""", re.VERBOSE)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "a": "\a",
            "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unquote(text: str) -> str:
    body = text[1:-1]
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1: i + 2]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt in ("x", "u", "U"):
            width = {"x": 2, "u": 4, "U": 8}[nxt]
            out.append(chr(int(body[i + 2: i + 2 + width], 16)))
            i += 2 + width
        else:
            raise ValueError("invalid syntax")
    return "".join(out)


def _tokens(src: str, line: int, base: int = 0):
    """(kind, text, absolute offset) for each token of an action's source."""
    pos, out = 0, []
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if m is None:
            raise TemplateParseError(f"template: {NAME}:{line}: unexpected {_go_quote(src[pos])} in command")
        kind = m.lastgroup
        if kind != "space":
            out.append((kind, m.group(), base + m.start()))
        pos = m.end()
    return out


def _go_quote(s: str) -> str:
    """strconv.Quote for the common characters."""
    s = s.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + s.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + '"'


# ------------------------------------------------------------------------------- parsing

class _Node:
    __slots__ = ()


class _Text(_Node):
    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


class _Action(_Node):
    __slots__ = ("pipe", "line", "src")

    def __init__(self, pipe, line, src):
        self.pipe, self.line, self.src = pipe, line, src


class _Block(_Node):
    __slots__ = ("kind", "pipe", "body", "other", "line", "src")

    def __init__(self, kind, pipe, line, src):
        self.kind, self.pipe, self.line, self.src = kind, pipe, line, src
        self.body, self.other = [], None


class _Pipe:
    __slots__ = ("decl", "cmds", "assign")

    def __init__(self, decl, cmds, assign=False):
        self.decl, self.cmds, self.assign = decl, cmds, assign


def _split_actions(text: str):
    """[(kind, value, line)]: ("text", str) and ("action", inner source) with trim markers applied."""
    parts, pos, line = [], 0, 1
    while True:
        start = text.find("{{", pos)
        if start < 0:
            parts.append(["text", text[pos:], line])
            break
        parts.append(["text", text[pos:start], line])
        line += text.count("\n", pos, start)
        end = text.find("}}", start + 2)
        if end < 0:
            raise TemplateParseError(f"template: {NAME}:{line}: unclosed action")
        inner = text[start + 2:end]
        offset = start + 2
        trim_left = inner.startswith("- ") or inner == "-"
        trim_right = inner.endswith(" -")
        if trim_left:
            inner = inner[1:]
            offset += 1
            parts[-1][1] = parts[-1][1].rstrip(" \t\r\n")
        if trim_right:
            inner = inner[:-1]
        parts.append(["action", inner, line, offset])
        line += text.count("\n", start, end)
        pos = end + 2
        if trim_right:
            while pos < len(text) and text[pos] in " \t\r\n":
                if text[pos] == "\n":
                    line += 1
                pos += 1
    return parts


def parse(text: str) -> list:
    root: list = []
    stack: list[tuple[list, _Block | None]] = [(root, None)]
    for part in _split_actions(text):
        if part[0] == "text":
            if part[1]:
                stack[-1][0].append(_Text(part[1]))
            continue
        src, line, offset = part[1], part[2], part[3]
        stripped = src.strip()
        if stripped.startswith("/*"):
            if not stripped.endswith("*/"):
                raise TemplateParseError(f"template: {NAME}:{line}: unclosed comment")
            continue
        toks = _tokens(src, line, offset)
        if not toks:
            raise TemplateParseError(f"template: {NAME}:{line}: missing value for command")
        head = toks[0][:2]
        if head == ("ident", "end"):
            if len(stack) == 1:
                raise TemplateParseError(f"template: {NAME}:{line}: unexpected {{{{end}}}}")
            stack.pop()
            continue
        if head == ("ident", "else"):
            block = stack[-1][1]
            if block is None or block.other is not None:
                raise TemplateParseError(f"template: {NAME}:{line}: unexpected {{{{else}}}}")
            block.other = []
            if len(toks) > 1 and toks[1][:2] in (("ident", "if"), ("ident", "with")):
                # {{else if x}}: a nested block in the else branch; it takes the outer block's
                # place on the stack, so the one {{end}} closes both
                inner = _Block(toks[1][1], _pipeline(toks[2:], line, toks[1][1]), line, src)
                block.other.append(inner)
                stack[-1] = (inner.body, inner)
            else:
                stack[-1] = (block.other, block)
            continue
        if head in (("ident", "if"), ("ident", "range"), ("ident", "with")):
            block = _Block(head[1], _pipeline(toks[1:], line, head[1]), line, src)
            stack[-1][0].append(block)
            stack.append((block.body, block))
            continue
        if head in (("ident", "define"), ("ident", "template"), ("ident", "block")):
            raise TemplateParseError(f"template: {NAME}:{line}: {head[1]} is not supported here")
        stack[-1][0].append(_Action(_pipeline(toks, line, "command"), line, src))
    if len(stack) > 1:
        raise TemplateParseError(f"template: {NAME}:{stack[-1][1].line}: unexpected EOF")
    return root


def _pipeline(toks, line, context):
    if not toks:
        raise TemplateParseError(f"template: {NAME}:{line}: missing value for {context}")
    decl, assign = [], False
    # $x := ..., $i, $e := ...
    i = 0
    names = []
    while i < len(toks) and toks[i][0] == "var":
        names.append(toks[i][1])
        if i + 1 < len(toks) and toks[i + 1][0] == "comma":
            i += 2
            continue
        if i + 1 < len(toks) and toks[i + 1][0] in ("declare", "assign"):
            assign = toks[i + 1][0] == "assign"
            decl = names
            i += 2
        else:
            names = []
        break
    if not decl:
        i = 0
    cmds, cur, depth, start = [], [], 0, i
    rest = toks[i:]
    for tok in rest:
        if tok[0] == "lparen":
            depth += 1
        elif tok[0] == "rparen":
            depth -= 1
        if tok[0] == "pipe" and depth == 0:
            if not cur:
                raise TemplateParseError(f"template: {NAME}:{line}: missing command")
            cmds.append(_command(cur, line))
            cur = []
        else:
            cur.append(tok)
    if not cur:
        raise TemplateParseError(f"template: {NAME}:{line}: missing value for {context}")
    cmds.append(_command(cur, line))
    return _Pipe(decl, cmds, assign)


class _Cmd(list):
    """A command's operands, with where it starts and its source text (for error messages)."""
    __slots__ = ("pos", "text")


def _command(toks, line):
    args, i = _Cmd(), 0
    args.pos = toks[0][2]
    args.text = " ".join(t[1] for t in toks)
    while i < len(toks):
        kind, val, pos = toks[i]
        if kind == "lparen":
            depth, j = 1, i + 1
            while j < len(toks) and depth:
                depth += {"lparen": 1, "rparen": -1}.get(toks[j][0], 0)
                j += 1
            if depth:
                raise TemplateParseError(f"template: {NAME}:{line}: unclosed left paren")
            sub = _pipeline(toks[i + 1:j - 1], line, "parenthesized pipeline")
            chain, cpos = "", pos
            if j < len(toks) and toks[j][0] == "field":
                chain, cpos = toks[j][1], toks[j][2]
                j += 1
            args.append(("sub", sub, chain, cpos))
            i = j
            continue
        if kind == "rparen":
            raise TemplateParseError(f"template: {NAME}:{line}: unexpected right paren")
        if kind == "comma":
            raise TemplateParseError(f"template: {NAME}:{line}: unexpected \",\" in operand")
        if kind in ("declare", "assign"):
            raise TemplateParseError(f"template: {NAME}:{line}: unexpected {_go_quote(val)} in operand")
        if kind == "field":
            # a chain .a.b.c is positioned (as Go does) at its second field
            second = val.find(".", 1)
            args.append(("field", val, pos + second if second > 0 else pos))
        elif kind == "dot":
            args.append(("dot",))
        elif kind == "var":
            chain, cpos = "", pos
            if i + 1 < len(toks) and toks[i + 1][0] == "field":
                chain, cpos = toks[i + 1][1], toks[i + 1][2]
                i += 1
            args.append(("var", val, chain, cpos))
        elif kind in ("string", "raw", "char"):
            try:
                text = _unquote(val) if kind != "raw" else val[1:-1]
                if kind == "char" and len(text) != 1:
                    raise ValueError
            except (ValueError, IndexError):
                what = "character constant" if kind == "char" else "quoted string"
                raise TemplateParseError(f"template: {NAME}:{line}: malformed {what}: {val}") from None
            args.append(("lit", ord(text) if kind == "char" else text))
        elif kind == "number":
            text = val.replace("_", "")
            try:
                num = int(text, 0)
            except ValueError:
                num = float(text)
            args.append(("lit", num))
        elif kind == "ident":
            if val in ("true", "false"):
                args.append(("lit", val == "true"))
            elif val == "nil":
                args.append(("nil",))
            elif val in FUNCS:
                args.append(("func", val, pos))
            else:
                raise TemplateParseError(f'template: {NAME}:{line}: function "{val}" not defined')
        i += 1
    return args


# ------------------------------------------------------------------------------- running

def _truth(v) -> bool:
    if v is MISSING or v is None:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    if isinstance(v, (str, list, dict)):
        return len(v) > 0
    return True


def go_sprint(v) -> str:
    """fmt.Sprint of a decoded JSON value (the %v verb)."""
    if v is MISSING:
        return "<no value>"
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _go_float(v)
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return "[" + " ".join(go_sprint(x) for x in v) + "]"
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(v[k])}" for k in sorted(v)) + "]"
    return str(v)


def _go_float(f: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 64): shortest repr, exponent form below 1e-4 or from 1e6."""
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if math.isnan(f):
        return "NaN"
    if f == 0:
        return "0"
    r = repr(f)
    mant, _, exp = r.partition("e")
    if "e" in r:
        digits = mant.replace(".", "").replace("-", "").lstrip("0") or "0"
        e = int(exp)
    else:
        s = r.lstrip("-")
        ip, _, fp = s.partition(".")
        fp = "" if fp == "0" else fp
        if ip != "0":
            e = len(ip) - 1
            digits = (ip + fp).rstrip("0") or "0"
        else:
            stripped = fp.lstrip("0")
            e = -(len(fp) - len(stripped)) - 1
            digits = stripped.rstrip("0")
    sign = "-" if f < 0 else ""
    if e < -4 or e >= 6:
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{m}e{'-' if e < 0 else '+'}{abs(e):02d}"
    if e < 0:
        return f"{sign}0.{'0' * (-e - 1)}{digits}"
    if len(digits) <= e + 1:
        return sign + digits + "0" * (e + 1 - len(digits))
    return f"{sign}{digits[:e + 1]}.{digits[e + 1:]}"


# Go's names for a decoded JSON value: its type (in field errors) and its kind (in comparisons)
_GO_TYPES = ((bool, "bool", "bool"), (int, "int64", "int"), (float, "float64", "float64"),
             (str, "string", "string"), (list, "[]interface {}", "[]interface {}"),
             (dict, "map[string]interface {}", "map[string]interface {}"))


def _type_name(v, kind: bool = False) -> str:
    for t, name, kind_name in _GO_TYPES:
        if isinstance(v, t):
            return kind_name if kind else name
    return "interface {}"


class _Exec:
    def __init__(self, root_data, text=""):
        self.vars = [("$", root_data)]
        self.out: list[str] = []
        self.text = text

    def fail(self, msg, at="", pos=None):
        where = NAME
        if pos is not None:
            before = self.text[:pos]
            where = f"{NAME}:{before.count(chr(10)) + 1}:{pos - (before.rfind(chr(10)) + 1)}"
        at_part = f" at <{at}>" if at else ""
        raise TemplateExecError(f'template: {where}: executing "{NAME}"{at_part}: {msg}')

    def lookup_var(self, name):
        for n, v in reversed(self.vars):
            if n == name:
                return v
        self.fail(f"undefined variable: {name}")

    def walk_chain(self, value, chain, label, pos=None, typed=False):
        for name in chain.split(".")[1:]:
            if value is MISSING:
                continue          # a missing key stays Go's zero value all the way down
            if value is None:     # a JSON null is a nil interface: that is an error
                self.fail(f"nil pointer evaluating interface {{}}.{name}", label, pos)
            if isinstance(value, dict):
                value = value.get(name, MISSING)
            else:
                # values inside the decoded object are interface{}s; only the root is a map
                self.fail(f"can't evaluate field {name} in type "
                          f"{_type_name(value) if typed else 'interface {}'}", label, pos)
            typed = False
        return value

    def arg(self, a, dot):
        kind = a[0]
        if kind == "field":
            return self.walk_chain(dot, a[1], a[1], a[2])
        if kind == "dot":
            return dot
        if kind == "var":
            v = self.lookup_var(a[1])
            return self.walk_chain(v, a[2], a[1] + a[2], a[3]) if a[2] else v
        if kind == "lit":
            return a[1]
        if kind == "nil":
            self.fail("nil is not a command")
        if kind == "sub":
            v = self.pipe(a[1], dot)
            return self.walk_chain(v, a[2], a[2], a[3]) if a[2] else v
        if kind == "func":
            return self.call(a[1], [], dot, _NOPIPE, a[1], a[2])
        self.fail("bad operand")

    def call(self, name, args, dot, piped, text, pos):
        vals = [self.arg(x, dot) for x in args]
        if piped is not _NOPIPE:
            vals.append(piped)
        try:
            return FUNCS[name](*vals)
        except TemplateExecError:
            raise
        except _FuncError as exc:
            self.fail(f"error calling {name}: {exc}", text, pos)
        except TypeError:
            self.fail(f"wrong number of args for {name}: want {_ARITY.get(name, '?')} got {len(vals)}",
                      text, pos)

    def pipe(self, p: _Pipe, dot):
        value = _NOPIPE
        for cmd in p.cmds:
            first = cmd[0]
            if first[0] == "func":
                value = self.call(first[1], cmd[1:], dot, value, cmd.text, cmd.pos)
            else:
                if len(cmd) > 1 or value is not _NOPIPE:
                    label = first[1] if first[0] in ("field", "var") else ""
                    self.fail(f"can't give argument to non-function {label or go_sprint(self.arg(first, dot))}",
                              label, cmd.pos)
                value = self.arg(first, dot)
        if p.decl:
            if p.assign:
                for i in range(len(self.vars) - 1, -1, -1):
                    if self.vars[i][0] == p.decl[0]:
                        self.vars[i] = (p.decl[0], value)
                        break
                else:
                    self.fail(f"undefined variable: {p.decl[0]}")
            else:
                self.vars.append((p.decl[-1], value))
        return value

    def run(self, nodes, dot):
        for node in nodes:
            if isinstance(node, _Text):
                self.out.append(node.text)
            elif isinstance(node, _Action):
                mark = len(self.vars)
                v = self.pipe(node.pipe, dot)
                if not node.pipe.decl:
                    self.out.append(go_sprint(v))
                else:
                    del self.vars[mark + (0 if node.pipe.assign else 1):]
            else:
                self.block(node, dot)

    def block(self, node: _Block, dot):
        mark = len(self.vars)
        if node.kind == "range":
            decl = node.pipe.decl
            pipe = _Pipe([], node.pipe.cmds)
            v = self.pipe(pipe, dot)
            if isinstance(v, dict):
                items = [(k, v[k]) for k in sorted(v)]
            elif isinstance(v, list):
                items = list(enumerate(v))
            elif v is MISSING or v is None:
                items = []
            elif isinstance(v, int) and not isinstance(v, bool):
                items = [(i, i) for i in range(v)]
            else:
                last = node.pipe.cmds[-1]
                self.fail(f"range can't iterate over {go_sprint(v)}", last.text,
                          last[0][2] if last[0][0] == "field" else last.pos)
            for k, item in items:
                if len(decl) == 1:
                    self.vars.append((decl[0], item))
                elif len(decl) == 2:
                    self.vars.append((decl[0], k))
                    self.vars.append((decl[1], item))
                self.run(node.body, item)
                del self.vars[mark:]
            if not items and node.other is not None:
                self.run(node.other, dot)
            del self.vars[mark:]
            return
        v = self.pipe(node.pipe, dot)
        if _truth(v):
            self.run(node.body, v if node.kind == "with" else dot)
        elif node.other is not None:
            self.run(node.other, dot)
        del self.vars[mark:]


_NOPIPE = object()


class _FuncError(Exception):
    pass


def _f_and(*a):
    for x in a:
        if not _truth(x):
            return x
    return a[-1]


def _f_or(*a):
    for x in a:
        if _truth(x):
            return x
    return a[-1]


def _f_len(x):
    if x is MISSING:
        raise _FuncError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(x, (str, list, dict)):
        return len(x)
    raise _FuncError(f"len of type {_type_name(x)}")


def _f_index(x, *keys):
    for k in keys:
        if isinstance(x, dict):
            x = x.get(k, MISSING) if isinstance(k, str) else MISSING
        elif isinstance(x, list):
            if not isinstance(k, int) or not 0 <= k < len(x):
                raise _FuncError(f"index out of range: {k}")
            x = x[k]
        elif x is MISSING or x is None:
            raise _FuncError("index of untyped nil")
        else:
            raise _FuncError(f"can't index item of type {_type_name(x)}")
    return x


def _basic(v):
    if v is MISSING or v is None:
        raise _FuncError("invalid type for comparison")
    return v


def _comparable(a, b):
    ka, kb = _type_name(a, kind=True), _type_name(b, kind=True)
    if ka != kb:
        raise _FuncError(f"incompatible types for comparison: {ka} and {kb}")
    return a, b


def _f_eq(a, *others):
    a = _basic(a)
    for b in others:
        x, y = _comparable(a, _basic(b))
        if x == y:
            return True
    return False


def _cmp(op):
    def f(a, b):
        x, y = _comparable(_basic(a), _basic(b))
        return op(x, y)
    return f


def _f_print(*a):
    out = []
    for i, x in enumerate(a):
        if i and not isinstance(x, str) and not isinstance(a[i - 1], str):
            out.append(" ")
        out.append(go_sprint(x))
    return "".join(out)


_VERB = re.compile(r"%([-+# 0]*)(\d+|\*)?(?:\.(\d+))?([a-zA-Z%])")


def _f_printf(fmt, *a):
    args = list(a)

    def one(m):
        flags, width, prec, verb = m.groups()
        if verb == "%":
            return "%"
        if not args:
            return f"%!{verb}(MISSING)"
        v = args.pop(0)
        if verb in ("v", "s"):
            s = go_sprint(v)
            if prec is not None and verb == "s":
                s = s[:int(prec)]
        elif verb == "q":
            s = _go_quote(go_sprint(v))
        elif verb == "d" and isinstance(v, int) and not isinstance(v, bool):
            s = str(v)
        elif verb in ("f", "F") and isinstance(v, (int, float)) and not isinstance(v, bool):
            s = f"{v:.{int(prec) if prec is not None else 6}f}"
        elif verb in ("x", "X") and isinstance(v, (int, str)) and not isinstance(v, bool):
            s = format(v, verb) if isinstance(v, int) else v.encode().hex()
            s = s.upper() if verb == "X" else s
        elif verb == "t" and isinstance(v, bool):
            s = "true" if v else "false"
        else:
            return f"%!{verb}({_type_name(v)}={go_sprint(v)})"
        if width and width != "*":
            w = int(width)
            s = s.ljust(w) if "-" in flags else (s.rjust(w, "0") if "0" in flags and verb in "dfFxX" else s.rjust(w))
        return s
    out = _VERB.sub(one, fmt)
    if args:
        out += "%!(EXTRA " + ", ".join(f"{_type_name(x)}={go_sprint(x)}" for x in args) + ")"
    return out


def _f_base64decode(s):
    if not isinstance(s, str):
        raise _FuncError(f"expected string, got {_type_name(s)}")
    try:
        return base64.b64decode(s, validate=True).decode("utf-8", errors="replace")
    except ValueError as exc:
        raise _FuncError(f"base64 decode failed: {exc}") from None


def _f_exists(x, *keys):
    for k in keys:
        if not isinstance(x, dict) or k not in x:
            return False
        x = x[k]
    return True


def _f_slice(x, *idx):
    if not isinstance(x, (str, list)):
        raise _FuncError(f"can't slice item of type {_type_name(x)}")
    i = idx[0] if idx else 0
    j = idx[1] if len(idx) > 1 else len(x)
    if not (0 <= i <= j <= len(x)):
        raise _FuncError(f"index out of range: {j}")
    return x[i:j]


FUNCS = {
    "and": _f_and, "or": _f_or, "not": lambda x: not _truth(x), "len": _f_len, "index": _f_index,
    "print": _f_print, "println": lambda *a: " ".join(go_sprint(x) for x in a) + "\n",
    "printf": _f_printf, "eq": _f_eq, "ne": lambda a, b: not _f_eq(a, b),
    "lt": _cmp(lambda x, y: x < y), "le": _cmp(lambda x, y: x <= y),
    "gt": _cmp(lambda x, y: x > y), "ge": _cmp(lambda x, y: x >= y),
    "slice": _f_slice, "base64decode": _f_base64decode, "exists": _f_exists,
    "html": lambda *a: _f_print(*a).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    .replace('"', "&#34;").replace("'", "&#39;"),
}
_ARITY = {"not": 1, "len": 1, "ne": 2, "lt": 2, "le": 2, "gt": 2, "ge": 2, "base64decode": 1}


def as_unstructured(value):
    """The value as kubectl's unstructured decoding gives it: a whole-number float is an int64."""
    if isinstance(value, float):
        return int(value) if value.is_integer() and -2 ** 63 <= value < 2 ** 63 else value
    if isinstance(value, dict):
        if not any(isinstance(v, (float, dict, list)) for v in value.values()):
            return value
        return {k: as_unstructured(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_unstructured(v) for v in value]
    return value


def run(tree: list, data, text: str = "") -> str:
    """Run a parsed template over `data` (decoded JSON); `text` (the template) places errors.
    A TemplateExecError carries the text written before the failure as `.partial`."""
    ex = _Exec(data, text)
    try:
        ex.run(tree, data)
    except TemplateExecError as exc:
        exc.partial = "".join(ex.out)
        raise
    return "".join(ex.out)


def render(template: str, data) -> str:
    """The text the template produces for `data` (decoded JSON)."""
    return run(parse(template), data, template)


go_quote = _go_quote
