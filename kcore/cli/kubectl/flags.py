"""kubectl's flag grammar (cobra/pflag), so a learner's command line parses as it would.

Flags may come before or after positionals; `--name=value`, `--name value`, `-n value`,
`-nvalue`, `-oyaml`, combined short booleans (`-it`), and `--` ending the flags (what follows
is the container command). Errors use pflag's wording: `unknown flag: --foo`,
`unknown shorthand flag: 'z' in -z`, `flag needs an argument: --namespace`,
`invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax`.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class FlagError(Exception):
    """A command-line problem; kubectl prints `error: <msg>` and the usage hint."""


@dataclass(frozen=True)
class Flag:
    name: str
    short: str = ""
    kind: str = "str"  # str | bool | int | list (repeatable) | csv (repeatable, comma-split)
    default: object = None
    no_opt: object = None  # value when given without `=value` (pflag NoOptDefVal)


@dataclass
class Parsed:
    values: dict = field(default_factory=dict)
    given: set = field(default_factory=set)
    args: list = field(default_factory=list)
    after_dash: list | None = None

    def __getitem__(self, name):
        return self.values.get(name)

    def get(self, name, default=None):
        v = self.values.get(name)
        return default if v is None else v

    def was_set(self, name) -> bool:
        return name in self.given


GLOBAL = [
    Flag("namespace", "n"), Flag("kubeconfig"), Flag("context"), Flag("cluster"), Flag("user"),
    Flag("as"), Flag("as-group", kind="list"), Flag("v", "v", kind="int"),
    Flag("request-timeout"), Flag("server", "s"), Flag("token"),
    Flag("insecure-skip-tls-verify", kind="bool"), Flag("match-server-version", kind="bool"),
    Flag("warnings-as-errors", kind="bool"), Flag("help", "h", kind="bool"),
]


def _convert(flag: Flag, raw: str, shown: str):
    if flag.kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise FlagError(f'invalid argument "{raw}" for "{shown}" flag: strconv.ParseInt: '
                            f'parsing "{raw}": invalid syntax') from None
    if flag.kind == "bool":
        low = raw.lower()
        if low in ("true", "1", "t"):
            return True
        if low in ("false", "0", "f"):
            return False
        raise FlagError(f'invalid argument "{raw}" for "{shown}" flag: strconv.ParseBool: '
                        f'parsing "{raw}": invalid syntax')
    return raw


def parse(argv: list[str], specs: list[Flag], *, interspersed: bool = True) -> Parsed:
    """Parse argv against `specs` (+ the global flags). Raises FlagError."""
    long = {}
    short = {}
    for f in list(GLOBAL) + list(specs):
        long[f.name] = f
        if f.short:
            short[f.short] = f
    p = Parsed()
    for f in long.values():
        if f.kind in ("list", "csv"):
            p.values[f.name] = list(f.default or [])
        else:
            p.values[f.name] = f.default

    def store(f: Flag, raw, shown):
        p.given.add(f.name)
        if f.kind == "list":
            p.values[f.name].append(raw)
        elif f.kind == "csv":
            p.values[f.name].extend(x for x in raw.split(",") if x != "" or raw == "")
        else:
            p.values[f.name] = _convert(f, raw, shown) if isinstance(raw, str) else raw

    i = 0
    n = len(argv)
    while i < n:
        a = argv[i]
        if a == "--":
            p.after_dash = list(argv[i + 1:])
            break
        if a.startswith("--") and len(a) > 2:
            body = a[2:]
            name, eq, val = body.partition("=")
            f = long.get(name)
            if f is None:
                raise FlagError(f"unknown flag: --{name}")
            if eq:
                store(f, val, f"--{name}")
            elif f.kind == "bool":
                store(f, True, f"--{name}")
            elif f.no_opt is not None:
                store(f, f.no_opt, f"--{name}")
            else:
                if i + 1 >= n:
                    raise FlagError(f"flag needs an argument: --{name}")
                i += 1
                store(f, argv[i], f"--{name}")
        elif a.startswith("-") and len(a) > 1:
            j = 1
            while j < len(a):
                c = a[j]
                f = short.get(c)
                if f is None:
                    raise FlagError(f"unknown shorthand flag: '{c}' in {a}")
                rest = a[j + 1:]
                if f.kind == "bool":
                    if rest.startswith("="):
                        store(f, rest[1:], f"-{c}")
                        break
                    store(f, True, f"-{c}")
                    j += 1
                    continue
                if rest:
                    store(f, rest[1:] if rest.startswith("=") else rest, f"-{c}")
                elif f.no_opt is not None:
                    store(f, f.no_opt, f"-{c}")
                else:
                    if i + 1 >= n:
                        raise FlagError(f"flag needs an argument: '{c}' in -{c}")
                    i += 1
                    store(f, argv[i], f"-{c}")
                break
        else:
            p.args.append(a)
            if not interspersed:
                p.args.extend(argv[i + 1:])
                break
        i += 1
    return p


def split_command(argv: list[str]) -> tuple[list[str], str | None, list[str]]:
    """Find the verb: global flags may precede it (`kubectl -n dev get pods`)."""
    takes_value = {f"--{f.name}" for f in GLOBAL if f.kind != "bool"} | \
                  {f"-{f.short}" for f in GLOBAL if f.short and f.kind != "bool"}
    i = 0
    before = []
    while i < len(argv):
        a = argv[i]
        if a.startswith("-"):
            before.append(a)
            if a in takes_value and "=" not in a:
                if i + 1 < len(argv):
                    before.append(argv[i + 1])
                i += 2
                continue
            i += 1
            continue
        return before, a, argv[i + 1:]
    return before, None, []
