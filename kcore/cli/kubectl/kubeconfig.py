"""`kubectl config ...`: read, change and write a kubeconfig file exactly as kubectl does.

A kubeconfig is held the way client-go holds it: three maps (clusters, users, contexts) keyed
by name plus `current-context`. Writing converts back to the v1 file form — lists sorted by
name, `null` for an empty list, `server: ""` / `cluster: ""` / `user: ""` always present, every
other empty field dropped — and prints it with kubectl's YAML printer, so a file we leave is
byte-identical to the one kubectl leaves. `config view` redacts certificate and key data as
`DATA+OMITTED` and tokens/passwords as `REDACTED` unless `--raw`.

Paths given to `--certificate-authority`, `--client-certificate` and `--client-key` are made
absolute, then stored relative to the kubeconfig's directory when they lie inside it (client-go's
"relativize without back-steps"). Entry point: `config_command(argv, kubeconfig_path)` returns
`(stdout, stderr, exit_code)`; argv is what follows `kubectl config`."""
from __future__ import annotations

import base64
import binascii
import os

import yaml

from kcore.cli.kubectl.printers.yamlout import go_json_string, to_yaml

__all__ = ["config_command", "load", "dump", "ConfigError", "CLUSTER_FIELDS", "USER_FIELDS",
           "CONTEXT_FIELDS"]

# v1 field order (JSON printing follows struct order) and kinds: s=string b=bool d=bytes l=list m=map
CLUSTER_FIELDS = [("server", "s"), ("tls-server-name", "s"), ("insecure-skip-tls-verify", "b"),
                  ("certificate-authority", "s"), ("certificate-authority-data", "d"),
                  ("proxy-url", "s"), ("disable-compression", "b"), ("extensions", "x")]
USER_FIELDS = [("client-certificate", "s"), ("client-certificate-data", "d"), ("client-key", "s"),
               ("client-key-data", "d"), ("token", "s"), ("tokenFile", "s"), ("as", "s"),
               ("as-uid", "s"), ("as-groups", "l"), ("as-user-extra", "m"), ("username", "s"),
               ("password", "s"), ("auth-provider", "x"), ("exec", "x"), ("extensions", "x")]
CONTEXT_FIELDS = [("cluster", "s"), ("user", "s"), ("namespace", "s"), ("extensions", "x")]
_ALWAYS = {"server", "cluster", "user"}
_SECTIONS = {"clusters": ("cluster", CLUSTER_FIELDS, "api.Cluster"),
             "users": ("user", USER_FIELDS, "api.AuthInfo"),
             "contexts": ("context", CONTEXT_FIELDS, "api.Context")}


class ConfigError(Exception):
    """A refusal; str() is the text after `error: `."""


# --------------------------------------------------------------------------- load / dump

def load(path: str) -> dict:
    """The kubeconfig at path as {"clusters": {...}, "users": {...}, "contexts": {...},
    "current-context": str, "preferences": {...}, "extensions": [...]}; a missing file is empty."""
    cfg = {"clusters": {}, "users": {}, "contexts": {}, "current-context": "", "preferences": {},
           "extensions": None}
    if not os.path.exists(path):
        return cfg
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"error loading config file \"{path}\": {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"error loading config file \"{path}\": couldn't get version/kind; "
                          "json parse error")
    for section, (inner, fields, _) in _SECTIONS.items():
        known = {f for f, _ in fields}
        for item in raw.get(section) or []:
            if not isinstance(item, dict) or "name" not in item:
                continue
            body = {k: v for k, v in (item.get(inner) or {}).items() if k in known}
            exec_ = body.get("exec")
            if isinstance(exec_, dict) and not exec_.get("interactiveMode") and exec_.get("apiVersion") in (
                    "client.authentication.k8s.io/v1beta1", "client.authentication.k8s.io/v1alpha1"):
                body["exec"] = {**exec_, "interactiveMode": "IfAvailable"}   # SetDefaults_ExecConfig
            cfg[section][str(item["name"])] = body
    cfg["current-context"] = str(raw.get("current-context") or "")
    cfg["preferences"] = raw.get("preferences") or {}
    cfg["extensions"] = raw.get("extensions") or None
    return cfg


def _exec_v1(exec_: dict) -> dict:
    """ExecConfig as client-go writes it back: args, env and provideClusterInfo always present."""
    out: dict = {"command": exec_.get("command", "")}
    out["args"] = list(exec_["args"]) if exec_.get("args") else None
    out["env"] = exec_.get("env") or None
    out["apiVersion"] = exec_.get("apiVersion", "")
    if exec_.get("installHint"):
        out["installHint"] = exec_["installHint"]
    out["provideClusterInfo"] = bool(exec_.get("provideClusterInfo", False))
    if exec_.get("interactiveMode"):
        out["interactiveMode"] = exec_["interactiveMode"]
    return out


def _extensions_v1(extensions) -> list | None:
    items = [{"name": str(e["name"]), "extension": e.get("extension")}
             for e in extensions or [] if isinstance(e, dict) and "name" in e]
    return sorted(items, key=lambda e: e["name"]) or None


def _entry_v1(body: dict, fields) -> dict:
    out = {}
    for name, kind in fields:
        value = body.get(name)
        if name in _ALWAYS:
            out[name] = value or ""
        elif value in (None, "", False, [], {}):
            continue
        elif name == "exec" and isinstance(value, dict):
            out[name] = _exec_v1(value)
        elif name == "auth-provider" and isinstance(value, dict):
            out[name] = {"name": value.get("name", ""), "config": value.get("config")}
        elif name == "extensions":
            ext = _extensions_v1(value)
            if ext:
                out[name] = ext
        else:
            out[name] = value
    return out


def to_v1(cfg: dict) -> dict:
    """The v1 file form (a plain dict, keys in kubectl's struct order)."""
    out: dict = {"kind": "Config", "apiVersion": "v1"}
    prefs = {k: v for k, v in (cfg.get("preferences") or {}).items() if v not in (None, False, {}, [])}
    if prefs:
        out["preferences"] = prefs
    for section in ("clusters", "users", "contexts"):
        inner, fields, _ = _SECTIONS[section]
        items = cfg[section]
        out[section] = [{"name": n, inner: _entry_v1(items[n], fields)} for n in sorted(items)] or None
    out["current-context"] = cfg.get("current-context") or ""
    if cfg.get("extensions"):
        out["extensions"] = cfg["extensions"]
    return out


def dump(cfg: dict) -> str:
    return to_yaml(to_v1(cfg))


def _write(path: str, cfg: dict) -> None:
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(dump(cfg))
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass


def _redacted(v1: dict) -> dict:
    for item in v1.get("clusters") or []:
        if item["cluster"].get("certificate-authority-data"):
            item["cluster"]["certificate-authority-data"] = "DATA+OMITTED"
    for item in v1.get("users") or []:
        user = item["user"]
        for f in ("client-certificate-data", "client-key-data"):
            if user.get(f):
                user[f] = "DATA+OMITTED"
        for f in ("token", "password"):
            if user.get(f):
                user[f] = "REDACTED"
    return v1


# --------------------------------------------------------------------------- JSON in struct order

def _json_ordered(value, indent: str = "") -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "    "
        parts = [f"{inner}{go_json_string(str(k))}: {_json_ordered(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(parts) + "\n" + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = indent + "    "
        return "[\n" + ",\n".join(inner + _json_ordered(v, inner) for v in value) + "\n" + indent + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return str(value)
    return go_json_string(str(value))


# --------------------------------------------------------------------------- argv

class _Args:
    def __init__(self, argv: list[str], bools: set[str]):
        self.positional: list[str] = []
        self.flags: dict[str, list[str]] = {}
        i = 0
        while i < len(argv):
            word = argv[i]
            if word == "--":
                self.positional.extend(argv[i + 1:])
                break
            if word.startswith("-") and len(word) > 1:
                key, eq, value = word.lstrip("-").partition("=")
                key = {"n": "namespace", "o": "output"}.get(key, key)
                if key in bools:
                    self.flags.setdefault(key, []).append(value if eq else "true")
                else:
                    if not eq:
                        i += 1
                        if i >= len(argv):
                            raise ConfigError(f"flag needs an argument: {word}")
                        value = argv[i]
                    self.flags.setdefault(key, []).append(value)
            else:
                self.positional.append(word)
            i += 1

    def get(self, *names: str, default=None):
        for n in names:
            if n in self.flags:
                return self.flags[n][-1]
        return default

    def has(self, *names: str) -> bool:
        return any(n in self.flags for n in names)

    def all(self, name: str) -> list[str]:
        return self.flags.get(name, [])

    def true(self, name: str) -> bool:
        return self.get(name, default="false").lower() in ("true", "1", "t")


def _store_path(path: str, kubeconfig: str, cwd: str) -> str:
    absolute = os.path.normpath(os.path.join(cwd, path))
    base = os.path.dirname(os.path.normpath(os.path.join(cwd, kubeconfig)))
    rel = os.path.relpath(absolute, base)
    return absolute if rel == ".." or rel.startswith("../") else rel


def _stat(flag: str, path: str, cwd: str) -> str:
    full = os.path.join(cwd, path)
    if not os.path.exists(full):
        raise ConfigError(f"could not stat {flag} file {path}: stat {path}: no such file or directory")
    return full


def _read_b64(full: str) -> str:
    with open(full, "rb") as fh:
        return base64.b64encode(fh.read()).decode()


# --------------------------------------------------------------------------- tables

def _tabwriter(rows: list[list[str]]) -> str:
    """Go's tabwriter as kubectl sets it up (minwidth 6, padding 3); the last cell is not padded."""
    if not rows:
        return ""
    ncols = max(len(r) for r in rows)
    widths = [0] * ncols
    for r in rows:
        for i, cell in enumerate(r[:-1]):
            widths[i] = max(widths[i], len(cell))
    widths = [max(6, w + 3) for w in widths]
    lines = []
    for r in rows:
        line = "".join(cell.ljust(widths[i]) for i, cell in enumerate(r[:-1])) + (r[-1] if r else "")
        lines.append(line + "\n")
    return "".join(lines)


# --------------------------------------------------------------------------- commands

def _view(cfg, args: _Args, path, cwd):
    minify, raw, flatten = args.true("minify"), args.true("raw"), args.true("flatten")
    raw = raw or flatten          # flattened data is shown, never redacted
    if minify:
        cur = cfg["current-context"]
        if not cur:
            raise ConfigError("current-context must exist in order to minify")
        ctx = cfg["contexts"].get(cur)
        if ctx is None:
            raise ConfigError(f"cannot locate context {cur}")
        cfg = {**cfg, "contexts": {cur: ctx},
               "clusters": {k: v for k, v in cfg["clusters"].items() if k == ctx.get("cluster")},
               "users": {k: v for k, v in cfg["users"].items() if k == ctx.get("user")}}
    if flatten:
        base = os.path.dirname(os.path.join(cwd, path))
        for section, pairs in (("clusters", [("certificate-authority", "certificate-authority-data")]),
                               ("users", [("client-certificate", "client-certificate-data"),
                                          ("client-key", "client-key-data")])):
            for name, body in cfg[section].items():
                body = dict(body)
                for src, dst in pairs:
                    if body.get(src):
                        body[dst] = _read_b64(os.path.join(base, body.pop(src)))
                cfg[section] = {**cfg[section], name: body}
    v1 = to_v1(cfg)
    if not raw:
        v1 = _redacted(v1)
    out = args.get("output", "o", default="yaml")
    if out == "yaml":
        return to_yaml(v1)
    if out == "json":
        return _json_ordered(v1) + "\n"
    if out == "name":
        return "config/<unknown>\n"
    if out.startswith("jsonpath=") or out.startswith("jsonpath-as-json="):
        from kcore.machinery import jsonpath
        template = out.split("=", 1)[1]
        try:
            return jsonpath.render(template, v1)
        except jsonpath.JSONPathError as exc:
            raise ConfigError(str(exc)) from None
    raise ConfigError(f'unable to match a printer suitable for the output format "{out}", allowed '
                      'formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,'
                      'jsonpath-file,kyaml,name,template,templatefile,yaml')


def _get_contexts(cfg, args: _Args):
    out_fmt = args.get("output", "o", default="")
    if out_fmt not in ("", "name"):
        raise ConfigError(f"--output {out_fmt} is not available in kubectl config get-contexts; "
                          "resetting to default output format")
    wanted = args.positional or sorted(cfg["contexts"])
    rows, missing = [], []
    for name in wanted:
        ctx = cfg["contexts"].get(name)
        if ctx is None:
            missing.append(name)
            continue
        if out_fmt == "name":
            rows.append([name])
        else:
            rows.append(["*" if name == cfg["current-context"] else "", name, ctx.get("cluster", ""),
                         ctx.get("user", ""), ctx.get("namespace", "")])
    if out_fmt == "name":
        text = "".join(r[0] + "\n" for r in rows)
    else:
        header = [] if args.true("no-headers") else [["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]]
        text = _tabwriter(header + rows)
    err = "".join(f"error: context {m} not found\n" for m in missing[:1])
    return text, err, 1 if missing else 0


def _set_context(cfg, args: _Args):
    current = args.true("current")
    if len(args.positional) > 1:
        raise ConfigError(f"Unexpected args: [{' '.join(args.positional)}]")
    if current and args.positional:
        raise ConfigError("you cannot specify both a context name and --current")
    if current:
        name = cfg["current-context"]
        if not name:
            raise ConfigError("no current context is set")
    elif args.positional:
        name = args.positional[0]
    else:
        raise ConfigError("you must specify a non-empty context name or --current")
    exists = name in cfg["contexts"]
    ctx = dict(cfg["contexts"].get(name, {}))
    for flag, field in (("cluster", "cluster"), ("user", "user"), ("namespace", "namespace")):
        if args.has(flag):
            ctx[field] = args.get(flag)
    cfg["contexts"][name] = ctx
    return f'Context "{name}" {"modified" if exists else "created"}.\n'


def _set_cluster(cfg, args: _Args, path, cwd):
    if len(args.positional) != 1:
        raise ConfigError(f"Unexpected args: [{' '.join(args.positional)}]")
    name = args.positional[0]
    embed = args.true("embed-certs")
    ca = args.get("certificate-authority")
    if embed:
        if not ca:
            raise ConfigError("you must specify a --certificate-authority to embed")
        _stat("certificate-authority", ca, cwd)
    cluster = dict(cfg["clusters"].get(name, {}))
    if args.has("server"):
        cluster["server"] = args.get("server")
    if args.has("tls-server-name"):
        cluster["tls-server-name"] = args.get("tls-server-name")
    if args.has("proxy-url"):
        cluster["proxy-url"] = args.get("proxy-url")
    if args.has("insecure-skip-tls-verify"):
        insecure = args.true("insecure-skip-tls-verify")
        cluster["insecure-skip-tls-verify"] = insecure
        if insecure:
            cluster.pop("certificate-authority", None)
            cluster.pop("certificate-authority-data", None)
    if ca:
        if embed:
            cluster["certificate-authority-data"] = _read_b64(os.path.join(cwd, ca))
            cluster.pop("certificate-authority", None)
        else:
            cluster["certificate-authority"] = _store_path(ca, path, cwd)
            cluster.pop("certificate-authority-data", None)
        cluster["insecure-skip-tls-verify"] = False
    cfg["clusters"][name] = cluster
    return f'Cluster "{name}" set.\n'


def _set_credentials(cfg, args: _Args, path, cwd):
    if len(args.positional) != 1:
        raise ConfigError(f"unexpected args: [{' '.join(args.positional)}]")
    name = args.positional[0]
    embed = args.true("embed-certs")
    cert, key = args.get("client-certificate"), args.get("client-key")
    if embed:
        if not cert and not key:
            raise ConfigError("you must specify a --client-certificate or --client-key to embed")
        if cert:
            _stat("client-certificate", cert, cwd)
        if key:
            _stat("client-key", key, cwd)
    user = dict(cfg["users"].get(name, {}))
    for flag, field, dfield in ((cert, "client-certificate", "client-certificate-data"),
                                (key, "client-key", "client-key-data")):
        if flag:
            if embed:
                user[dfield] = _read_b64(os.path.join(cwd, flag))
                user.pop(field, None)
            else:
                user[field] = _store_path(flag, path, cwd)
                user.pop(dfield, None)
    set_token = set_basic = False
    if args.has("token"):
        user["token"] = args.get("token")
        set_token = bool(user["token"])
    for flag in ("username", "password"):
        if args.has(flag):
            user[flag] = args.get(flag)
            set_basic = set_basic or bool(user[flag])
    if set_token or set_basic:
        if not set_token:
            user.pop("token", None)
        if not set_basic:
            user.pop("username", None)
            user.pop("password", None)
    # --as / --as-group are kubectl's global impersonation flags: they never reach the file.
    _set_auth_provider(user, args)
    _set_exec(user, args)
    cfg["users"][name] = user
    return f'User "{name}" set.\n'


def _split_pairs(values: list[str]) -> tuple[dict[str, str], list[str]]:
    """`k=v` pairs to set and `k-` names to remove (--exec-env, --auth-provider-arg)."""
    to_set: dict[str, str] = {}
    to_remove: list[str] = []
    for item in values:
        for pair in item.split(","):
            if "=" in pair:
                k, v = pair.split("=", 1)
                to_set[k] = v
            elif pair.endswith("-"):
                to_remove.append(pair[:-1])
            else:
                raise ConfigError(f"invalid argument syntax: {pair}, expected key=value or key-")
    return to_set, to_remove


def _set_auth_provider(user: dict, args: _Args) -> None:
    if args.has("auth-provider"):
        name = args.get("auth-provider")
        current = user.get("auth-provider")
        if not current or current.get("name") != name:
            user["auth-provider"] = {"name": name}
    provider = user.get("auth-provider")
    if provider:
        config = dict(provider.get("config") or {})
        to_set, to_remove = _split_pairs(args.all("auth-provider-arg"))
        for k in to_remove:
            config.pop(k, None)
        config.update(to_set)
        user["auth-provider"] = {"name": provider.get("name", ""), "config": config}


def _set_exec(user: dict, args: _Args) -> None:
    if args.has("exec-command"):
        current = user.get("exec")
        if current:
            user["exec"] = {**current, "command": args.get("exec-command")}
            user["exec"].pop("args", None)
        else:
            user["exec"] = {"command": args.get("exec-command")}
    exec_ = user.get("exec")
    if not exec_:
        return
    exec_ = dict(exec_)
    if args.has("exec-api-version"):
        exec_["apiVersion"] = args.get("exec-api-version")
    if args.has("exec-arg"):
        exec_["args"] = args.all("exec-arg")
    if args.has("exec-interactive-mode"):
        exec_["interactiveMode"] = args.get("exec-interactive-mode")
    if args.has("exec-provide-cluster-info"):
        exec_["provideClusterInfo"] = args.true("exec-provide-cluster-info")
    to_set, to_remove = _split_pairs(args.all("exec-env"))
    env = [dict(e) for e in exec_.get("env") or [] if e.get("name") not in to_remove]
    for name in sorted(to_set):      # kubectl adds new ones in Go map order; sorted is one of them
        found = next((e for e in env if e.get("name") == name), None)
        if found is not None:
            found["value"] = to_set[name]
        else:
            env.append({"name": name, "value": to_set[name]})
    exec_["env"] = env or None
    user["exec"] = exec_


def _walk(cfg, prop: str):
    """Resolve a `config set/unset` property into (container, key, kind, type_name)."""
    steps = prop.split(".")
    head = steps[0]
    if head == "current-context" and len(steps) == 1:
        return cfg, "current-context", "s", "api.Config"
    if head == "preferences":
        if len(steps) == 2 and steps[1] == "colors":
            return cfg["preferences"], "colors", "b", "api.Preferences"
        raise ConfigError(f"unable to parse {'.'.join(steps[1:])} after [preferences] at api.Preferences")
    if head not in _SECTIONS:
        raise ConfigError(f"unable to parse {prop} after [] at api.Config")
    section = cfg[head]
    if len(steps) == 1:
        return cfg, head, "section", "api.Config"
    if len(steps) == 2:
        return section, steps[1], "entry", head
    name = steps[1]
    field = ".".join(steps[2:])
    _, fields, tname = _SECTIONS[head]
    kinds = dict(fields)
    if field not in kinds:
        raise ConfigError(f"can't set a map to a value: map[{' '.join(f'{k}:0x0' for k in sorted(section))}]")
    return (section, name, field), field, kinds[field], tname


def _set_property(cfg, args: _Args):
    if len(args.positional) != 2:
        raise ConfigError("Unexpected args: " + "[" + " ".join(args.positional) + "]")
    prop, value = args.positional
    raw_bytes = args.true("set-raw-bytes")
    container, key, kind, tname = _walk(cfg, prop)
    if kind in ("section", "entry"):
        raise ConfigError(f"can't set a map to a value: map[]")
    if isinstance(container, tuple):
        section, name, field = container
        target = section.setdefault(name, {})
    else:
        target = container
    if kind == "b":
        low = value.lower() if value in ("true", "True", "TRUE", "false", "False", "FALSE") else value
        if low not in ("1", "t", "T", "true", "0", "f", "F", "false"):
            raise ConfigError(f'strconv.ParseBool: parsing "{value}": invalid syntax')
        target[key] = low in ("1", "t", "T", "true")
    elif kind == "d":
        if raw_bytes:
            target[key] = base64.b64encode(value.encode()).decode()
        else:
            try:
                decoded = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise ConfigError(f"illegal base64 data at input byte 0") from None
            target[key] = base64.b64encode(decoded).decode()
    elif kind == "s":
        target[key] = value
    else:
        raise ConfigError(f"can't set a map to a value: map[]")
    return f'Property "{prop}" set.\n'


def _unset_property(cfg, args: _Args):
    if len(args.positional) != 1:
        raise ConfigError("Unexpected args: " + "[" + " ".join(args.positional) + "]")
    prop = args.positional[0]
    container, key, kind, _ = _walk(cfg, prop)
    if kind == "section":
        cfg[key] = {}
    elif kind == "entry":
        container.pop(key, None)
    elif isinstance(container, tuple):
        section, name, field = container
        if name not in section:
            raise ConfigError(f"current map key `{name}` is invalid")
        section[name].pop(field, None)
    else:
        container[key] = "" if kind == "s" else False
    return f'Property "{prop}" unset.\n'


_BOOLS = {"minify", "raw", "flatten", "current", "embed-certs", "insecure-skip-tls-verify",
          "no-headers", "set-raw-bytes", "merge", "exec-provide-cluster-info"}


def config_command(argv: list[str], kubeconfig_path: str, cwd: str | None = None) -> tuple[str, str, int]:
    """Run `kubectl config <argv>` against the file at kubeconfig_path."""
    cwd = cwd or os.getcwd()
    full = os.path.join(cwd, kubeconfig_path)
    if not argv:
        return "", "error: Unexpected args: []\n", 1
    sub, rest = argv[0], argv[1:]
    try:
        args = _Args(rest, _BOOLS)
        cfg = load(full)
        if sub == "view":
            return _view(cfg, args, kubeconfig_path, cwd), "", 0
        if sub == "get-contexts":
            return _get_contexts(cfg, args)
        if sub == "current-context":
            if not cfg["current-context"]:
                raise ConfigError("current-context is not set")
            return cfg["current-context"] + "\n", "", 0
        if sub == "get-clusters":
            return "NAME\n" + "".join(n + "\n" for n in sorted(cfg["clusters"])), "", 0
        if sub == "get-users":
            return "NAME\n" + "".join(n + "\n" for n in sorted(cfg["users"])), "", 0
        stderr = ""
        if sub in ("use-context", "use"):
            if len(args.positional) != 1:
                raise ConfigError(f"Unexpected args: [{' '.join(args.positional)}]")
            name = args.positional[0]
            if name not in cfg["contexts"]:
                raise ConfigError(f'no context exists with the name: "{name}"')
            cfg["current-context"] = name
            out = f'Switched to context "{name}".\n'
        elif sub == "set-context":
            out = _set_context(cfg, args)
        elif sub == "set-cluster":
            out = _set_cluster(cfg, args, kubeconfig_path, cwd)
        elif sub == "set-credentials":
            out = _set_credentials(cfg, args, kubeconfig_path, cwd)
        elif sub in ("delete-context", "delete-cluster", "delete-user"):
            what = sub.split("-")[1]
            section = {"context": "contexts", "cluster": "clusters", "user": "users"}[what]
            if not args.positional:
                return "", "", 0          # kubectl prints the command's help and succeeds
            if len(args.positional) != 1:
                raise ConfigError(f"Unexpected args: [{' '.join(args.positional)}]")
            name = args.positional[0]
            if name not in cfg[section]:
                raise ConfigError(f"cannot delete {what} {name}, not in {kubeconfig_path}")
            del cfg[section][name]
            if what == "context" and cfg["current-context"] == name:
                stderr = ('warning: this removed your active context, use "kubectl config use-context" '
                          "to select a different one\n")
            out = f"deleted {what} {name} from {kubeconfig_path}\n"
        elif sub == "rename-context":
            if len(args.positional) != 2:
                raise ConfigError(f"Unexpected args: [{' '.join(args.positional)}]")
            old, new = args.positional
            if old not in cfg["contexts"]:
                raise ConfigError(f'cannot rename the context "{old}", it\'s not in {kubeconfig_path}')
            if new in cfg["contexts"]:
                raise ConfigError(f'cannot rename the context "{old}", the context "{new}" already '
                                  f"exists in {kubeconfig_path}")
            cfg["contexts"][new] = cfg["contexts"].pop(old)
            if cfg["current-context"] == old:
                cfg["current-context"] = new
            out = f'Context "{old}" renamed to "{new}".\n'
        elif sub == "set":
            out = _set_property(cfg, args)
        elif sub == "unset":
            out = _unset_property(cfg, args)
        else:
            raise ConfigError(f'unknown command "{sub}" for "kubectl config"')
        _write(full, cfg)
        return out, stderr, 0
    except ConfigError as exc:
        return "", f"error: {exc}\n", 1
