"""A small argv -> options parser over generators.FLAGS, so tests can feed one command line to
both the real kubectl and the Python builder. (The real dispatcher lives in the verb modules.)"""
from __future__ import annotations

from kcore.cli.kubectl.generators import FLAGS, Flag, GeneratorError

COMMON_WITH_VALUE = {"dry-run", "output", "o"}


def parse(sub: str, argv: list[str]) -> tuple[list[str], dict]:
    """Split argv (after `create <sub>`) into positional words and builder options."""
    table: dict[str, Flag] = {}
    for f in FLAGS[sub]:
        table[f.name] = f
        if f.short:
            table[f.short] = f
    positional: list[str] = []
    options: dict = {}
    seen: set[str] = set()
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            options["command"] = argv[i + 1:]
            break
        if word.startswith("-") and word != "-":
            key, eq, value = word.lstrip("-").partition("=")
            if key in COMMON_WITH_VALUE:
                i += 1 if eq else 2
                continue
            if key in ("n", "namespace"):
                options["namespace"] = value if eq else argv[i + 1]
                i += 1 if eq else 2
                continue
            flag = table.get(key)
            if flag is None:
                raise GeneratorError(f"unknown flag: {word.split('=')[0]}")
            if flag.kind == "bool":
                val = value.lower() != "false" if eq else True
            else:
                if not eq:
                    i += 1
                    value = argv[i]
                val = value
            seen.add(flag.name)
            dest = flag.dest
            if flag.kind == "int":
                options[dest] = int(val)
            elif flag.kind == "slice":
                options.setdefault(dest, []).extend(val.split(","))
            elif flag.kind in ("array", "map"):
                options.setdefault(dest, []).append(val)
            else:
                options[dest] = val
        else:
            positional.append(word)
        i += 1
    missing = [f'"{f.name}"' for f in FLAGS[sub] if f.required and f.name not in seen]
    if missing:
        raise GeneratorError(f"required flag(s) {', '.join(missing)} not set")
    for f in FLAGS[sub]:
        if f.dest not in options and f.default is not None:
            options[f.dest] = f.default
    return positional, options
