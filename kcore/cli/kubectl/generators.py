"""The objects `kubectl create <thing>`, `kubectl run` and `kubectl expose` build client-side.

Every builder is a pure function `gen_<thing>(name, **options) -> dict` returning exactly the
object kubectl v1.35 would send (and prints with `--dry-run=client -o yaml`): Go's omitempty
rules decide which keys exist, so `containers[].resources: {}`, `status: {}` and
`status.loadBalancer: {}` appear exactly where kubectl's typed structs put them.

Bad options raise `GeneratorError` whose `.message` is kubectl's text after `error: `
(`str(err)` is the whole stderr line). Validation happens in kubectl's order, so the first
complaint a learner sees is kubectl's first complaint.

Things kubectl asks a server about are passed in as plain callables or dicts:
`resolve(resource, group) -> (group, plural) | None` for `create role/clusterrole` (API
discovery), the source object for `expose` and `create job --from`. Files for
`--from-file`/`--from-env-file`/`--cert` are read through a small `Files` interface that
defaults to the real filesystem. Nothing here imports random: the suffix kubectl appends to a
sanitised container name (`my_app.v2` -> `my-app-v2-xxxxx`) comes from a `rand_suffix` callable.

`FLAGS` maps each `create` sub-command (and `run`, `expose`) to its flag table, so the verb
module can parse argv generically and call `GENERATORS[sub](name, **parsed)`.

Printing: `to_yaml(obj)` for `-o yaml`; for `-o json` kubectl prints its own typed object in Go
struct field order, so use `to_json(struct_ordered(obj), sort_keys=False)`."""
from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from kcore.cli.kubectl.printers.yamlout import go_json_string as _json_string
from kcore.machinery import labels as labelsel
from kcore.machinery import names
from kcore.machinery import quantity

__all__ = [
    "GeneratorError", "Flag", "FLAGS", "GENERATORS", "ALIASES", "Files", "name_from_args",
    "gen_deployment", "gen_service", "gen_configmap", "gen_secret_generic",
    "gen_secret_docker_registry", "gen_secret_tls", "gen_role", "gen_clusterrole",
    "gen_rolebinding", "gen_clusterrolebinding", "gen_serviceaccount", "gen_namespace",
    "gen_quota", "gen_job", "gen_job_from_cronjob", "gen_cronjob", "gen_ingress",
    "gen_priorityclass", "gen_poddisruptionbudget", "gen_run", "gen_run_service", "gen_expose",
    "kinds_resolver", "RUN_EXPOSE_SEPARATOR", "content_hash", "struct_ordered", "STRUCTS",
]

# `kubectl run --expose -o yaml` prints the Service, then this, then the Pod (two separators:
# run prints one and the YAML printer another).
RUN_EXPOSE_SEPARATOR = "---\n---\n"


class GeneratorError(ValueError):
    """kubectl refused the options. `.message` is the text after `error: `; `str()` is the
    whole stderr text. A few discovery errors reach kubectl's stderr without the `error: `
    prefix (`the server doesn't have a resource type "foo"`): those have prefix=""."""

    def __init__(self, message: str, prefix: str = "error: "):
        super().__init__(message)
        self.message = message
        self.prefix = prefix

    def __str__(self) -> str:
        return f"{self.prefix}{self.message}"


@dataclass(frozen=True)
class Flag:
    """One command-line flag. kind: string | int | bool | slice (repeatable, comma-split) |
    array (repeatable, not split) | map (k=v,k2=v2, repeatable)."""
    name: str
    kind: str = "string"
    required: bool = False
    default: Any = None
    short: str | None = None

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")

    @property
    def multi(self) -> bool:
        return self.kind in ("slice", "array", "map")


def name_from_args(sub: str, args: list[str]) -> str:
    """NameFromCommandArgs: exactly one positional NAME."""
    if len(args) != 1:
        raise GeneratorError(f"exactly one NAME is required, got {len(args)}\n"
                             f"See 'kubectl create {sub} -h' for help and examples")
    return args[0]


class Files:
    """The filesystem as the generators see it; tests and the simulator may substitute one."""

    def read(self, path: str) -> bytes:
        with open(path, "rb") as fh:
            return fh.read()

    def exists(self, path: str) -> bool:
        return os.path.exists(path)

    def isdir(self, path: str) -> bool:
        return os.path.isdir(path)

    def regular_files(self, path: str) -> list[str]:
        """Names of the regular files directly inside a directory, sorted like os.ReadDir."""
        return sorted(e.name for e in os.scandir(path) if e.is_file(follow_symlinks=False))


_REAL_FILES = Files()


def _default_suffix(seed: str) -> str:
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    digest = hashlib.sha256(seed.encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:5])


def _meta(name: str, namespace: str | None = None, **extra) -> dict:
    meta = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    meta.update({k: v for k, v in extra.items() if v})
    return meta


def _container(name: str, image: str, command: Iterable[str] | None = None) -> dict:
    c = {"name": name, "image": image, "resources": {}}
    if command:
        c["command"] = list(command)
    return c


# --------------------------------------------------------------------------- deployment

def gen_deployment(name: str, *, image: list[str] | str = (), replicas: int = 1, port: int = -1,
                   command: list[str] | None = None, namespace: str | None = None,
                   rand_suffix: Callable[[], str] | None = None, **_ignored) -> dict:
    images = [image] if isinstance(image, str) else list(image or [])
    if not images:
        raise GeneratorError('required flag(s) "image" not set')
    if len(images) > 1 and command:
        raise GeneratorError("cannot specify multiple --image options and command")
    labels = {"app": name}
    containers = []
    for img in images:
        cname = img.split("/")[-1]
        if ":" in cname:
            cname = cname.split(":")[0]
        if "@" in cname:
            cname = cname.split("@")[0]
        if "_" in cname or "." in cname:
            cname = cname.replace("_", "-").replace(".", "-")
            cname = f"{cname}-{rand_suffix() if rand_suffix else _default_suffix(name + img)}"
        containers.append(_container(cname, img, command))
    if port is not None and port >= 0:
        c0 = containers[0]
        containers[0] = {**c0, "ports": [{"containerPort": port}]}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": _meta(name, namespace, labels=dict(labels)),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "strategy": {},
            "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": containers}},
        },
        "status": {},
    }


# --------------------------------------------------------------------------- service

_PORT_NAME_CHARS = re.compile(r"^[-a-z0-9]+$")


def _port_name_errors(name: str) -> list[str]:
    errs = []
    if len(name) > 15:
        errs.append("must be no more than 15 characters")
    if not _PORT_NAME_CHARS.match(name):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search("[a-z]", name):
        errs.append("must contain at least one letter (a-z)")
    if "--" in name:
        errs.append("must not contain consecutive hyphens")
    if name and (name[0] == "-" or name[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def _go_atoi(text: str) -> int | None:
    if re.fullmatch(r"[+-]?[0-9]+", text):
        return int(text)
    return None


def _parse_uint16(text: str) -> int:
    """strconv.ParseUint(text, 10, 16) with Go's error text."""
    if not re.fullmatch(r"[0-9]+", text):
        raise GeneratorError(f'strconv.ParseUint: parsing "{text}": invalid syntax')
    value = int(text)
    if value > 65535:
        raise GeneratorError(f'strconv.ParseUint: parsing "{text}": value out of range')
    return value


def _parse_service_port(spec: str) -> tuple[int, int | str]:
    parts = spec.split(":")
    port = _parse_uint16(parts[0])
    if len(parts) == 1:
        return port, port
    target = parts[1]
    num = _go_atoi(target)
    if num is None:
        errs = _port_name_errors(target)
        if errs:
            raise GeneratorError(",".join(errs))
        return port, target
    if not 1 <= num <= 65535:
        raise GeneratorError("must be between 1 and 65535, inclusive")
    return port, num


_SERVICE_TYPES = {"clusterip": "ClusterIP", "nodeport": "NodePort",
                  "loadbalancer": "LoadBalancer", "externalname": "ExternalName"}


def gen_service(name: str, *, type: str = "ClusterIP", tcp: list[str] = (), clusterip: str = "",
                node_port: int = 0, external_name: str = "", namespace: str | None = None,
                **_ignored) -> dict:
    stype = _SERVICE_TYPES.get(type.lower(), type)
    tcp = list(tcp or [])
    if clusterip == "None" and stype != "ClusterIP":
        raise GeneratorError("ClusterIP=None can only be used with ClusterIP service type")
    if clusterip != "None" and not tcp and stype != "ExternalName":
        raise GeneratorError("at least one tcp port specifier must be provided")
    if stype == "ExternalName":
        if not external_name:
            raise GeneratorError('required flag(s) "external-name" not set')
        if names.is_dns1123_subdomain(external_name):
            raise GeneratorError(f"invalid service external name {external_name}")
    ports = []
    for spec in tcp:
        port, target = _parse_service_port(spec)
        entry = {"name": spec.replace(":", "-"), "port": port, "protocol": "TCP", "targetPort": target}
        if node_port:
            entry["nodePort"] = node_port
        ports.append(entry)
    spec_: dict = {"selector": {"app": name}, "type": stype}
    if ports:
        spec_["ports"] = ports
    if external_name:
        spec_["externalName"] = external_name
    if clusterip:
        spec_["clusterIP"] = clusterip
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": _meta(name, namespace, labels={"app": name}),
            "spec": spec_, "status": {"loadBalancer": {}}}


# --------------------------------------------------------------------------- configmap / secret

def _parse_file_source(source: str) -> tuple[str, str]:
    n = source.count("=")
    if n == 0:
        return source.rstrip("/").split("/")[-1] if source.strip("/") else "/", source
    if n == 1 and source.startswith("="):
        raise GeneratorError(f"key name for file path {source[1:]} missing")
    if n == 1 and source.endswith("="):
        raise GeneratorError(f"file path for key name {source[:-1]} missing")
    if n > 1:
        raise GeneratorError("key names or file paths cannot contain '='")
    key, path = source.split("=")
    return key, path


def _parse_literal_source(source: str) -> tuple[str, str]:
    if source.startswith("=") or "=" not in source:
        raise GeneratorError(f"invalid literal source {source}, expected key=value")
    key, value = source.split("=", 1)
    return key, value


_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")


def _env_var_name_errors(key: str) -> list[str]:
    errs = []
    if not _ENV_NAME.match(key):
        errs.append("a valid environment variable name must consist of alphabetic characters, "
                    "digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',"
                    "  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is "
                    "'[-._a-zA-Z][-._a-zA-Z0-9]*')")
    if key == ".":
        errs.append("must not be '.'")
    elif key == "..":
        errs.append("must not be '..'")
    elif key.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def _env_file_pairs(path: str, files: Files, environ: dict | None) -> list[tuple[str, str]]:
    if not files.exists(path):
        raise GeneratorError(f"error reading {path}: no such file or directory")
    if files.isdir(path):
        raise GeneratorError(f"env config file {path} cannot be a directory")
    raw = files.read(path)
    pairs = []
    for n, line in enumerate(raw.split(b"\n")):
        if line.endswith(b"\r"):
            line = line[:-1]
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            raise GeneratorError(f"env file {path} contains invalid utf8 bytes at line {n + 1}: {list(line)}")
        if n == 0:
            text = text.removeprefix("\ufeff")
        text = text.lstrip()
        if not text or text.startswith("#"):
            continue
        key, sep, value = text.partition("=")
        errs = _env_var_name_errors(key)
        if errs:
            raise GeneratorError(f'"{key}" is not a valid key name: {";".join(errs)}')
        if not sep:
            value = (environ or {}).get(key, "")
        pairs.append((key, value))
    return pairs


def _collect_sources(name: str, what: str, from_file, from_literal, from_env_file,
                     files: Files, environ, add: Callable[[str, bytes | str], None]):
    from_file, from_literal = list(from_file or []), list(from_literal or [])
    env_files = [from_env_file] if isinstance(from_env_file, str) else list(from_env_file or [])
    env_files = [e for e in env_files if e]
    if env_files and (from_file or from_literal):
        raise GeneratorError("from-env-file cannot be combined with from-file or from-literal")
    for source in from_literal:
        key, value = _parse_literal_source(source)
        add(key, value)
    for source in from_file:
        key, path = _parse_file_source(source)
        if not files.exists(path):
            raise GeneratorError(f"error reading {path}: no such file or directory")
        if files.isdir(path):
            if "=" in source:
                raise GeneratorError("cannot give a key name for a directory path")
            for item in files.regular_files(path):
                add(item, files.read(path.rstrip("/") + "/" + item))
        else:
            add(key, files.read(path))
    for path in env_files:
        for key, value in _env_file_pairs(path, files, environ):
            add(key, value)


def _go_json_compact(value) -> str:
    """encoding/json.Marshal of maps, strings and null (keys sorted, HTML escaped)."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "{" + ",".join(_json_string(k) + ":" + _go_json_compact(value[k]) for k in sorted(value)) + "}"
    return _json_string(str(value))


def _encode_hash(hexdigest: str) -> str:
    """kubectl's hash suffix: the first 10 hex digits with 0 1 3 a e swapped for g h k m t."""
    return hexdigest[:10].translate(str.maketrans("013ae", "ghkmt"))


def content_hash(obj: dict) -> str:
    """hash.ConfigMapHash / hash.SecretHash: the suffix --append-hash adds to the name."""
    name = obj["metadata"]["name"]
    if obj["kind"] == "ConfigMap":
        doc = {"kind": "ConfigMap", "name": name, "data": obj.get("data") or {}}
        if obj.get("binaryData"):
            doc["binaryData"] = obj["binaryData"]
    else:
        doc = {"kind": "Secret", "type": obj.get("type", ""), "name": name, "data": obj.get("data") or {}}
    return _encode_hash(hashlib.sha256(_go_json_compact(doc).encode()).hexdigest())


def _with_hash(obj: dict, append_hash: bool) -> dict:
    if append_hash:
        obj["metadata"]["name"] = f'{obj["metadata"]["name"]}-{content_hash(obj)}'
    return obj


def gen_configmap(name: str, *, from_file: list[str] = (), from_literal: list[str] = (),
                  from_env_file: list[str] | str = (), namespace: str | None = None,
                  files: Files = _REAL_FILES, environ: dict | None = None,
                  append_hash: bool = False, **_ignored) -> dict:
    data: dict[str, str] = {}
    binary: dict[str, str] = {}

    def add(key: str, value):
        errs = names.is_config_map_key(key)
        if errs:
            raise GeneratorError(f'"{key}" is not a valid key name for a ConfigMap: {";".join(errs)}')
        if isinstance(value, bytes):
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                if key in binary:
                    raise GeneratorError(f'cannot add key "{key}", another key by that name already '
                                         f'exists in BinaryData for ConfigMap "{name}"')
                binary[key] = base64.b64encode(value).decode()
                return
        if key in data:
            raise GeneratorError(f'cannot add key "{key}", another key by that name already '
                                 f'exists in Data for ConfigMap "{name}"')
        data[key] = value

    _collect_sources(name, "ConfigMap", from_file, from_literal, from_env_file, files, environ, add)
    obj: dict = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(name, namespace)}
    if data:
        obj["data"] = data
    if binary:
        obj["binaryData"] = binary
    return _with_hash(obj, append_hash)


def gen_secret_generic(name: str, *, from_file: list[str] = (), from_literal: list[str] = (),
                       from_env_file: list[str] | str = (), type: str = "",
                       namespace: str | None = None, files: Files = _REAL_FILES,
                       environ: dict | None = None, append_hash: bool = False, **_ignored) -> dict:
    data: dict[str, str] = {}

    def add(key: str, value):
        errs = names.is_config_map_key(key)
        if errs:
            raise GeneratorError(f'"{key}" is not valid key name for a Secret {";".join(errs)}')
        if key in data:
            raise GeneratorError(f'cannot add key {key}, another key by that name already exists')
        raw = value if isinstance(value, bytes) else value.encode()
        data[key] = base64.b64encode(raw).decode()

    _collect_sources(name, "Secret", from_file, from_literal, from_env_file, files, environ, add)
    obj: dict = {"apiVersion": "v1", "kind": "Secret", "metadata": _meta(name, namespace)}
    if data:
        obj["data"] = data
    if type:
        obj["type"] = type
    return _with_hash(obj, append_hash)


def gen_secret_docker_registry(name: str, *, docker_server: str = "https://index.docker.io/v1/",
                               docker_username: str = "", docker_password: str = "",
                               docker_email: str = "", from_file: list[str] = (),
                               namespace: str | None = None, files: Files = _REAL_FILES,
                               append_hash: bool = False, **_ignored) -> dict:
    from_file = list(from_file or [])
    if not from_file and (not docker_username or not docker_password or not docker_server):
        raise GeneratorError("either --from-file or the combination of --docker-username, "
                             "--docker-password and --docker-server is required")
    data: dict[str, str] = {}
    if from_file:
        def add(key, value):
            if key in data:
                raise GeneratorError(f"cannot add key {key}, another key by that name already exists")
            data[key] = base64.b64encode(value if isinstance(value, bytes) else value.encode()).decode()
        _collect_sources(name, "Secret", from_file, [], [], files, None, add)
    if docker_username or docker_password:
        auth = base64.b64encode(f"{docker_username}:{docker_password}".encode()).decode()
        entry = ('{"username":' + _json_string(docker_username) + ',"password":'
                 + _json_string(docker_password))
        if docker_email:
            entry += ',"email":' + _json_string(docker_email)
        entry += ',"auth":' + _json_string(auth) + "}"
        doc = '{"auths":{' + _json_string(docker_server) + ":" + entry + "}}"
        data[".dockerconfigjson"] = base64.b64encode(doc.encode()).decode()
    return _with_hash({"apiVersion": "v1", "kind": "Secret", "metadata": _meta(name, namespace),
                       "data": data, "type": "kubernetes.io/dockerconfigjson"}, append_hash)


def gen_secret_tls(name: str, *, cert: str = "", key: str = "", namespace: str | None = None,
                   files: Files = _REAL_FILES, append_hash: bool = False, **_ignored) -> dict:
    if not cert or not key:
        raise GeneratorError("key and cert must be specified")
    contents = {}
    for field_, path in (("tls.crt", cert), ("tls.key", key)):
        if not files.exists(path):
            raise GeneratorError(f"Cannot read file {path}, open {path}: no such file or directory")
        contents[field_] = files.read(path)
    _check_key_pair(contents["tls.crt"], contents["tls.key"])
    return _with_hash({"apiVersion": "v1", "kind": "Secret", "metadata": _meta(name, namespace),
                       "data": {k: base64.b64encode(v).decode() for k, v in contents.items()},
                       "type": "kubernetes.io/tls"}, append_hash)


_PEM_BLOCK = re.compile(rb"-----BEGIN ([^-]*)-----\r?\n(.*?)-----END \1-----", re.S)


def _check_key_pair(cert_pem: bytes, key_pem: bytes) -> None:
    """What Go's tls.X509KeyPair complains about, in its words."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    cert_blocks = [(t.decode(errors="replace"), m.group(0)) for m in _PEM_BLOCK.finditer(cert_pem)
                   for t in [m.group(1)]]
    certs = [b for t, b in cert_blocks if t == "CERTIFICATE"]
    if not certs:
        if any(t.endswith("PRIVATE KEY") for t, _ in cert_blocks):
            raise GeneratorError("tls: failed to find certificate PEM data in certificate input, "
                                 "but did find a private key; PEM inputs may have been switched")
        raise GeneratorError("tls: failed to find any PEM data in certificate input")
    key_blocks = [(m.group(1).decode(errors="replace"), m.group(0)) for m in _PEM_BLOCK.finditer(key_pem)]
    keys = [b for t, b in key_blocks if t == "PRIVATE KEY" or t.endswith(" PRIVATE KEY")]
    if not keys:
        if not key_blocks:
            raise GeneratorError("tls: failed to find any PEM data in key input")
        if any(t == "CERTIFICATE" for t, _ in key_blocks):
            raise GeneratorError("tls: found a certificate rather than a key in the PEM for the private key")
        skipped = " ".join(t for t, _ in key_blocks)
        raise GeneratorError('tls: failed to find PEM block with type ending in "PRIVATE KEY" in key '
                             f"input after skipping PEM blocks of the following types: [{skipped}]")
    try:
        cert = x509.load_pem_x509_certificate(certs[0])
    except ValueError:
        raise GeneratorError("x509: malformed certificate") from None
    try:
        key = serialization.load_pem_private_key(keys[0], password=None)
    except (ValueError, TypeError):
        raise GeneratorError("tls: failed to parse private key") from None
    pub = cert.public_key()
    if type(pub).__name__.replace("PublicKey", "") != type(key.public_key()).__name__.replace("PublicKey", ""):
        raise GeneratorError("tls: private key type does not match public key type")
    fmt = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if pub.public_bytes(*fmt) != key.public_key().public_bytes(*fmt):
        raise GeneratorError("tls: private key does not match public key")


# --------------------------------------------------------------------------- RBAC

VALID_RESOURCE_VERBS = ["*", "get", "delete", "list", "create", "update", "patch", "watch", "proxy",
                        "deletecollection", "use", "bind", "escalate", "impersonate"]
VALID_NON_RESOURCE_VERBS = ["*", "get", "post", "put", "delete", "patch", "head", "options"]
_SPECIAL_VERBS = {
    "use": [("policy", "podsecuritypolicies"), ("extensions", "podsecuritypolicies")],
    "bind": [("rbac.authorization.k8s.io", "roles"), ("rbac.authorization.k8s.io", "clusterroles")],
    "escalate": [("rbac.authorization.k8s.io", "roles"), ("rbac.authorization.k8s.io", "clusterroles")],
    "impersonate": [("", "users"), ("", "serviceaccounts"), ("", "groups"),
                    ("authentication.k8s.io", "userextras")],
}

Resolver = Callable[[str, str], "tuple[str, str] | None"]


def kinds_resolver(resource: str, group: str) -> tuple[str, str] | None:
    """Discovery as kcore serves it: `pods` -> ("", "pods"), `rs`+"apps" -> ("apps", "replicasets")."""
    from kcore.api import kinds
    try:
        rt = kinds.lookup(f"{resource}.{group}" if group else resource)
    except kinds.UnknownResource:
        return None
    return rt.group, rt.plural


def _dedup(items) -> list[str]:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def _role_verbs(verbs) -> list[str]:
    out: list[str] = []
    for v in verbs or []:
        if v == "*":
            return ["*"]
        if v not in out:
            out.append(v)
    return out


def _role_resources(resources) -> list[tuple[str, str, str]]:
    """--resource values as (resource, group, subresource)."""
    out: list[tuple[str, str, str]] = []
    for r in resources or []:
        head, _, sub = r.partition("/")
        res, _, group = head.partition(".")
        if res == "*" and "." not in head and "/" not in r:
            return [("*", "", "")]
        out.append((res, group, sub))
    return out


def _validate_resources(resources, verbs, resolve: Resolver | None):
    for res, group, _sub in resources:
        if not res:
            raise GeneratorError("resource must be specified if apiGroup/subresource specified")
        if res == "*":
            return
        found = resolve(res, group) if resolve else (group, res)
        g, plural = found if found else (group, res)
        err = None if found else f'the server doesn\'t have a resource type "{res}"'
        for v in verbs:
            if v in _SPECIAL_VERBS:
                if (g, plural) not in _SPECIAL_VERBS[v]:
                    raise GeneratorError(f"can not perform '{v}' on '{plural}' in group '{g}'")
                err = None
        if err:
            raise GeneratorError(err, prefix="")


def _policy_rules(verbs, resources, resource_names, non_resource_urls, resolve) -> list[dict]:
    mapping: dict[str, list[str]] = {}
    for res, group, sub in resources:
        found = resolve(res, group) if (resolve and res != "*") else None
        g, plural = found if found else (group, res)
        if sub:
            plural = f"{plural}/{sub}"
        mapping.setdefault(g, [])
        if plural not in mapping[g]:
            mapping[g].append(plural)
    rules = []
    for g in sorted(mapping):
        rule = {"apiGroups": [g], "resources": mapping[g], "verbs": list(verbs)}
        if resource_names:
            rule["resourceNames"] = list(resource_names)
        rules.append(rule)
    if non_resource_urls:
        rules.append({"nonResourceURLs": list(non_resource_urls), "verbs": list(verbs)})
    return rules


def gen_role(name: str, *, verb: list[str] = (), resource: list[str] = (),
             resource_name: list[str] = (), resolve: Resolver | None = None,
             namespace: str | None = None, warnings: list | None = None, **_ignored) -> dict:
    verbs = _role_verbs(verb)
    resources = _role_resources(resource)
    names_ = _dedup(resource_name or [])
    if not name:
        raise GeneratorError("name must be specified")
    if not verbs:
        raise GeneratorError("at least one verb must be specified")
    for v in verbs:
        if v not in VALID_RESOURCE_VERBS and warnings is not None:
            warnings.append(f"Warning: '{v}' is not a standard resource verb")
    if not resources:
        raise GeneratorError("at least one resource must be specified")
    _validate_resources(resources, verbs, resolve)
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": _meta(name, namespace),
            "rules": _policy_rules(verbs, resources, names_, [], resolve)}


def _parse_map_flag(values) -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(values, dict):
        return dict(values)
    for item in values or []:
        for pair in item.split(","):
            k, sep, v = pair.partition("=")
            if not sep:
                raise GeneratorError(f"{pair} must be formatted as key=value")
            out[k] = v
    return out


def gen_clusterrole(name: str, *, verb: list[str] = (), resource: list[str] = (),
                    resource_name: list[str] = (), non_resource_url: list[str] = (),
                    aggregation_rule=None, resolve: Resolver | None = None,
                    warnings: list | None = None, **_ignored) -> dict:
    verbs = _role_verbs(verb)
    resources = _role_resources(resource)
    names_ = _dedup(resource_name or [])
    urls = _dedup(non_resource_url or [])
    aggregation = _parse_map_flag(aggregation_rule)
    if not name:
        raise GeneratorError("name must be specified")
    obj = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
           "metadata": {"name": name}}
    if aggregation:
        if urls or verbs or resources or names_:
            raise GeneratorError("aggregation rule must be specified without nonResourceURLs, verbs, "
                                 "resources or resourceNames")
        obj["aggregationRule"] = {"clusterRoleSelectors": [{"matchLabels": aggregation}]}
        obj["rules"] = None
        return obj
    if not verbs:
        raise GeneratorError("at least one verb must be specified")
    if not resources and not urls:
        raise GeneratorError("one of resource or nonResourceURL must be specified")
    if resources:
        for v in verbs:
            if v not in VALID_RESOURCE_VERBS and warnings is not None:
                warnings.append(f"Warning: '{v}' is not a standard resource verb")
        _validate_resources(resources, verbs, resolve)
    if urls:
        for v in verbs:
            if v not in VALID_NON_RESOURCE_VERBS:
                raise GeneratorError(f"invalid verb: '{v}' for nonResourceURL")
        for url in urls:
            if url == "*":
                continue
            if not url.startswith("/"):
                raise GeneratorError("nonResourceURL should start with /")
            if "*" in url[:-1]:
                raise GeneratorError("nonResourceURL only supports wildcard matches when '*' is at the end")
    obj["rules"] = _policy_rules(verbs, resources, names_, urls, resolve)
    return obj


def _subjects(user, group, serviceaccount) -> list[dict]:
    subjects = []
    for u in user or []:
        subjects.append({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": u})
    for g in group or []:
        subjects.append({"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": g})
    for sa in serviceaccount or []:
        parts = sa.split(":")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise GeneratorError("serviceaccount must be <namespace>:<name>")
        subjects.append({"kind": "ServiceAccount", "name": parts[1], "namespace": parts[0]})
    return subjects


def gen_rolebinding(name: str, *, role: str = "", clusterrole: str = "", user: list[str] = (),
                    group: list[str] = (), serviceaccount: list[str] = (),
                    namespace: str | None = None, **_ignored) -> dict:
    if bool(role) == bool(clusterrole):
        raise GeneratorError("exactly one of clusterrole or role must be specified")
    subjects = _subjects(user, group, serviceaccount)
    obj = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
           "metadata": _meta(name, namespace),
           "roleRef": {"apiGroup": "rbac.authorization.k8s.io",
                       "kind": "Role" if role else "ClusterRole", "name": role or clusterrole}}
    if subjects:
        obj["subjects"] = subjects
    return obj


def gen_clusterrolebinding(name: str, *, clusterrole: str = "", user: list[str] = (),
                           group: list[str] = (), serviceaccount: list[str] = (), **_ignored) -> dict:
    if not clusterrole:
        raise GeneratorError('required flag(s) "clusterrole" not set')
    subjects = _subjects(user, group, serviceaccount)
    obj = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
           "metadata": {"name": name},
           "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                       "name": clusterrole}}
    if subjects:
        obj["subjects"] = subjects
    return obj


# --------------------------------------------------------------------------- small objects

def gen_serviceaccount(name: str, *, namespace: str | None = None, **_ignored) -> dict:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(name, namespace)}


def gen_namespace(name: str, **_ignored) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name},
            "spec": {}, "status": {}}


def gen_quota(name: str, *, hard: str = "", scopes: str = "", namespace: str | None = None,
              **_ignored) -> dict:
    spec: dict = {}
    if hard:
        result = {}
        for statement in hard.split(","):
            parts = statement.split("=")
            if len(parts) != 2:
                raise GeneratorError(f"Invalid argument syntax {statement}, expected <resource>=<value>")
            try:
                result[parts[0]] = str(quantity.parse(parts[1]))
            except quantity.QuantityError as exc:
                raise GeneratorError(str(exc)) from None
        spec["hard"] = result
    if scopes:
        result_scopes = scopes.split(",")
        if "" in result_scopes:
            raise GeneratorError('invalid resource quota scope ""')
        spec["scopes"] = result_scopes
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": _meta(name, namespace),
            "spec": spec, "status": {}}


def gen_priorityclass(name: str, *, value: int = 0, global_default: bool = False,
                      description: str = "", preemption_policy: str = "PreemptLowerPriority",
                      **_ignored) -> dict:
    obj = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
           "value": value, "preemptionPolicy": preemption_policy}
    if global_default:
        obj["globalDefault"] = True
    if description:
        obj["description"] = description
    return obj


def _label_selector_from_string(text: str) -> dict:
    """metav1.ParseToLabelSelector."""
    try:
        sel = labelsel.parse(text)
    except labelsel.SelectorError as exc:
        raise GeneratorError(f'couldn\'t parse the selector string "{text}": {exc}') from None
    match_labels: dict[str, str] = {}
    exprs: list[dict] = []
    for req in sel.requirements:
        op = req.operator
        if op in ("=", "=="):
            match_labels[req.key] = req.values[0]
        elif op in ("in", "notin"):
            exprs.append({"key": req.key, "operator": "NotIn" if op == "notin" else "In",
                          "values": sorted(req.values)})
        elif op == "exists":
            exprs.append({"key": req.key, "operator": "Exists"})
        elif op == "!":
            exprs.append({"key": req.key, "operator": "DoesNotExist"})
        elif op in ("gt", "lt"):
            raise GeneratorError(f'"{op}" isn\'t supported in label selectors')
        else:
            raise GeneratorError(f'"{op}" is not a valid label selector operator')
    out: dict = {}
    if match_labels:
        out["matchLabels"] = match_labels
    if exprs:
        out["matchExpressions"] = exprs
    return out


def _int_or_string(text: str) -> int | str:
    n = _go_atoi(text)
    return n if n is not None else text


def gen_poddisruptionbudget(name: str, *, selector: str = "", min_available: str = "",
                            max_unavailable: str = "", namespace: str | None = None,
                            **_ignored) -> dict:
    if not selector:
        raise GeneratorError("a selector must be specified")
    if not min_available and not max_unavailable:
        raise GeneratorError("one of min-available or max-unavailable must be specified")
    if min_available and max_unavailable:
        raise GeneratorError("min-available and max-unavailable cannot be both specified")
    spec: dict = {"selector": _label_selector_from_string(selector)}
    if min_available:
        spec["minAvailable"] = _int_or_string(min_available)
    if max_unavailable:
        spec["maxUnavailable"] = _int_or_string(max_unavailable)
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": _meta(name, namespace),
            "spec": spec, "status": {"currentHealthy": 0, "desiredHealthy": 0,
                                     "disruptionsAllowed": 0, "expectedPods": 0}}


# --------------------------------------------------------------------------- job / cronjob

def gen_job(name: str, *, image: str = "", from_: str = "", command: list[str] | None = None,
            namespace: str | None = None, **options) -> dict:
    source = from_ or options.get("from", "")
    if bool(image) == bool(source):
        raise GeneratorError("either --image or --from must be specified")
    if command and source:
        raise GeneratorError("cannot specify --from and command")
    if source:
        raise GeneratorError("--from needs the CronJob: call gen_job_from_cronjob(name, cronjob)")
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": _meta(name, namespace),
            "spec": {"template": {"metadata": {}, "spec": {
                "containers": [_container(name, image, command)], "restartPolicy": "Never"}}},
            "status": {}}


def gen_job_from_cronjob(name: str, cronjob: dict, *, namespace: str | None = None) -> dict:
    """`create job NAME --from=cronjob/X`, given the CronJob as the server returned it."""
    if cronjob.get("kind") != "CronJob":
        raise GeneratorError(f"unknown object type *v1.{cronjob.get('kind', '')}")
    template = (cronjob.get("spec") or {}).get("jobTemplate") or {}
    tmeta = template.get("metadata") or {}
    annotations = {"cronjob.kubernetes.io/instantiate": "manual", **(tmeta.get("annotations") or {})}
    cmeta = cronjob.get("metadata") or {}
    owner = {"apiVersion": "batch/v1", "kind": "CronJob", "name": cmeta.get("name", ""),
             "uid": cmeta.get("uid", ""), "controller": True}
    if not owner["uid"]:
        del owner["uid"]
    meta = _meta(name, namespace, annotations=annotations, labels=tmeta.get("labels"))
    meta["ownerReferences"] = [owner]
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
            "spec": template.get("spec") or {}, "status": {}}


def gen_cronjob(name: str, *, image: str = "", schedule: str = "", restart: str = "",
                command: list[str] | None = None, namespace: str | None = None, **_ignored) -> dict:
    missing = [f'"{f}"' for f, v in (("image", image), ("schedule", schedule)) if not v]
    if missing:
        raise GeneratorError(f"required flag(s) {', '.join(missing)} not set")
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": _meta(name, namespace),
            "spec": {"jobTemplate": {"metadata": {"name": name}, "spec": {"template": {
                "metadata": {}, "spec": {"containers": [_container(name, image, command)],
                                         "restartPolicy": restart or "OnFailure"}}}},
                     "schedule": schedule},
            "status": {}}


# --------------------------------------------------------------------------- ingress

_RULE_RE = re.compile(r"^(?P<host>[\w*\-.]*)(?P<path>/[^,=\n]*)=(?P<svcname>[\w\-]+):(?P<svcport>[\w\-]+)"
                      r"(,(?P<istls>tls)=?(?P<secretname>[\w\-]+)?)?$", re.ASCII)


def _backend(service: str) -> dict:
    svc, port = service.split(":")[0], service.split(":")[1]
    n = _go_atoi(port)
    return {"service": {"name": svc, "port": {"number": n} if n is not None else {"name": port}}}


def gen_ingress(name: str, *, rule: list[str] = (), class_: str = "", default_backend: str = "",
                annotation: list[str] = (), namespace: str | None = None, **options) -> dict:
    ingress_class = class_ or options.get("class", "")
    rules_in = list(rule or [])
    annotations_in = list(annotation or [])
    if not default_backend and not rules_in:
        raise GeneratorError("not enough information provided: every ingress has to either specify a "
                             "default-backend (which catches all traffic) or a list of rules (which "
                             "catch specific paths)")
    for r in rules_in:
        if not _RULE_RE.match(r):
            raise GeneratorError(f"rule {r} is invalid and should be in format "
                                 f"host/path=svcname:svcport[,tls[=secret]]")
    for a in annotations_in:
        if "=" not in a:
            raise GeneratorError(f"annotation {a} is invalid and should be in format key=[value]")
    if default_backend and len(default_backend.split(":")) != 2:
        raise GeneratorError("default-backend should be in format servicename:serviceport")
    annotations = {}
    for a in annotations_in:
        k, v = a.split("=", 1)
        annotations[k] = v
    spec: dict = {}
    if ingress_class:
        spec["ingressClassName"] = ingress_class
    if default_backend:
        spec["defaultBackend"] = _backend(default_backend)
    tls: list[dict] = []
    seen_hosts: set[str] = set()
    for r in rules_in:
        parts = r.split(",")
        if len(parts) != 2:
            continue
        host = r.split("/", 1)[0]
        secret_parts = parts[1].split("=")
        secret = secret_parts[1] if len(secret_parts) > 1 else ""
        if host in seen_hosts:
            continue
        idx = next((i for i, t in enumerate(tls) if t.get("secretName", "") == secret), -1)
        if idx > -1:
            tls[idx].setdefault("hosts", []).append(host)
            seen_hosts.add(host)
            continue
        entry: dict = {}
        if host:
            entry["hosts"] = [host]
        if secret:
            entry["secretName"] = secret
        if entry:
            tls.append(entry)
        seen_hosts.add(host)
    rules: list[dict] = []
    for r in rules_in:
        host, pathsvc = r.split(",")[0].split("/", 1)
        path_part, service = pathsvc.split("=")[0], pathsvc.split("=")[1]
        path, path_type = "/" + path_part, "Exact"
        if path.endswith("*"):
            path, path_type = path[:-1], "Prefix"
        ipath = {"backend": _backend(service), "path": path, "pathType": path_type}
        existing = next((x for x in rules if x.get("host", "") == host), None)
        if existing is not None:
            existing["http"]["paths"].append(ipath)
            continue
        entry = {"http": {"paths": [ipath]}}
        if host:
            entry["host"] = host
        rules.append(entry)
    if tls:
        spec["tls"] = tls
    if rules:
        spec["rules"] = rules
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": _meta(name, namespace, annotations=annotations),
            "spec": spec, "status": {"loadBalancer": {}}}


# --------------------------------------------------------------------------- run / expose

def _parse_labels(text: str) -> dict[str, str]:
    """generate.ParseLabels: "k=v,k2=v2" (the server validates the words)."""
    out: dict[str, str] = {}
    for pair in text.split(","):
        parts = pair.split("=")
        if len(parts) != 2:
            raise GeneratorError(f"unexpected label spec: {pair}")
        if not parts[0]:
            raise GeneratorError("unexpected empty label key")
        out[parts[0]] = parts[1]
    return out


def gen_run(name: str, *, image: str = "", labels: str = "", env: list[str] = (), port: str = "",
            restart: str = "Always", command: bool = False, args: list[str] = (),
            image_pull_policy: str = "", annotations: list[str] = (), stdin: bool = False,
            tty: bool = False, expose: bool = False, namespace: str | None = None,
            **_ignored) -> dict:
    """The Pod `kubectl run NAME --image=...` creates (args are the words after `--`).
    `expose` only validates here; build the Service with gen_run_service(pod, port=...)."""
    if not image:
        raise GeneratorError('required flag(s) "image" not set')
    if restart not in ("Always", "OnFailure", "Never"):
        raise GeneratorError(f"invalid restart policy: {restart}")
    if image_pull_policy and image_pull_policy not in ("Always", "IfNotPresent", "Never"):
        raise GeneratorError(f"invalid image pull policy: {image_pull_policy}\n"
                             "See 'kubectl run -h' for help and examples")
    if expose and port in ("", None):
        raise GeneratorError("--port must be set when exposing a service\n"
                             "See 'kubectl run -h' for help and examples")
    pod_labels = _parse_labels(labels) if labels else {"run": name}
    envs = []
    for e in env or []:
        key, sep, value = e.partition("=")
        if not sep or not key or _env_var_name_errors(key):
            raise GeneratorError(f"invalid env: {e}")
        envs.append({"name": key, "value": value})
    annot = {}
    for a in annotations or []:
        k, sep, v = a.partition("=")
        if not sep:
            raise GeneratorError(f"invalid annotation spec: {a}")
        annot[k] = v
    container: dict = {"name": name, "image": image, "resources": {}}
    if image_pull_policy:
        container["imagePullPolicy"] = image_pull_policy
    if stdin:
        container["stdin"] = True
        container["stdinOnce"] = True
    if tty:
        container["tty"] = True
    if args:
        container["command" if command else "args"] = list(args)
    if envs:
        container["env"] = envs
    if port not in ("", None):
        p = _go_atoi(str(port))
        if p is None:
            raise GeneratorError(f'strconv.Atoi: parsing "{port}": invalid syntax')
        container["ports"] = [{"containerPort": p}]
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": _meta(name, namespace, labels=pod_labels, annotations=annot),
            "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
            "status": {}}


def gen_run_service(pod: dict, *, port: str) -> dict:
    """The Service `kubectl run --expose --port=N` creates next to the pod."""
    labels = pod["metadata"].get("labels") or {}
    return _service_from_params(name=pod["metadata"]["name"], selector=dict(labels), labels=None,
                                ports=[int(port)], target_port="", protocol="", type_="",
                                namespace=pod["metadata"].get("namespace"))


def _service_from_params(*, name, selector, labels, ports, target_port, protocol, type_,
                         namespace=None, port_protocols=None, cluster_ip="", external_ip="",
                         session_affinity="", load_balancer_ip="", port_name="") -> dict:
    """generate.versioned's service/v2 generator. port_protocols maps "53" -> ["UDP", "TCP"]."""
    port_protocols = port_protocols or {}
    svc_ports = []
    for i, p in enumerate(ports):
        pname = f"port-{i + 1}" if len(ports) > 1 else port_name
        proto = protocol
        if not proto:
            found = port_protocols.get(str(p))
            if found and len(found) > 1:
                for each in found:
                    svc_ports.append({"name": f"port-{i + 1}-{each.lower()}", "port": p, "protocol": each})
                continue
            proto = found[0] if found else "TCP"
        entry = {"port": p, "protocol": proto}
        if pname:
            entry["name"] = pname
        svc_ports.append(entry)
    target = _int_or_string(target_port) if target_port else None
    for entry in svc_ports:
        entry["targetPort"] = target if target is not None else entry["port"]
    spec: dict = {"selector": selector}
    if svc_ports:
        spec["ports"] = svc_ports
    if external_ip:
        spec["externalIPs"] = [external_ip]
    if type_:
        spec["type"] = type_
    if type_ == "LoadBalancer" and load_balancer_ip:
        spec["loadBalancerIP"] = load_balancer_ip
    if session_affinity:
        if session_affinity not in ("None", "ClientIP"):
            raise GeneratorError(f"unknown session affinity: {session_affinity}")
        spec["sessionAffinity"] = session_affinity
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": _meta(name, namespace, labels=labels),
            "spec": spec, "status": {"loadBalancer": {}}}


def _go_requirements(exprs: list[dict]) -> str:
    """fmt's %+v of []metav1.LabelSelectorRequirement."""
    parts = []
    for e in exprs:
        values = " ".join(e.get("values") or [])
        parts.append(f"{{Key:{e.get('key', '')} Operator:{e.get('operator', '')} Values:[{values}]}}")
    return "[" + " ".join(parts) + "]"


def _selector_for(obj: dict) -> dict[str, str]:
    kind = obj.get("kind", "")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        labels = (obj.get("metadata") or {}).get("labels") or {}
        if not labels:
            raise GeneratorError("the pod has no labels and cannot be exposed")
        return dict(labels)
    if kind == "Service":
        if spec.get("selector") is None:
            raise GeneratorError("the service has no pod selector set")
        return dict(spec["selector"])
    if kind == "ReplicationController":
        return dict(spec.get("selector") or {})
    if kind in ("Deployment", "ReplicaSet"):
        sel = spec.get("selector") or {}
        if sel.get("matchExpressions"):
            raise GeneratorError(f'couldn\'t convert expressions - "{_go_requirements(sel["matchExpressions"])}" '
                                 f"to map-based selector format")
        return dict(sel.get("matchLabels") or {})
    raise GeneratorError(f"cannot extract pod selector from {kind}")


def _containers_of(obj: dict) -> list[dict]:
    spec = obj.get("spec") or {}
    if obj.get("kind") == "Pod":
        return spec.get("containers") or []
    return ((spec.get("template") or {}).get("spec") or {}).get("containers") or []


def _ports_for(obj: dict) -> list[tuple[int, str]]:
    if obj.get("kind") == "Service":
        return [(p["port"], p.get("protocol", "TCP")) for p in (obj.get("spec") or {}).get("ports") or []]
    out = []
    for c in _containers_of(obj):
        for p in c.get("ports") or []:
            out.append((p["containerPort"], p.get("protocol", "TCP")))
    return out


EXPOSABLE = {"Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet"}


def gen_expose(obj: dict, *, port: str = "", target_port: str = "", type: str = "", name: str = "",
               protocol: str = "", selector: str = "", labels: str = "", cluster_ip: str = "",
               external_ip: str = "", session_affinity: str = "", load_balancer_ip: str = "",
               port_name: str = "", namespace: str | None = None, **_ignored) -> dict:
    """The Service `kubectl expose KIND NAME` builds from the object the server returned."""
    kind = obj.get("kind", "")
    if kind not in EXPOSABLE:
        raise GeneratorError(f"cannot expose a {kind}")
    if selector:
        sel = _parse_labels(selector)
    else:
        try:
            sel = _selector_for(obj)
        except GeneratorError as exc:
            raise GeneratorError("couldn't retrieve selectors via --selector flag or introspection: "
                                 f"{exc.message}\nSee 'kubectl expose -h' for help and examples") from None
    found = _ports_for(obj)
    protocols: dict[str, list[str]] = {}
    for p, proto in found:
        protocols.setdefault(str(p), [])
        if proto not in protocols[str(p)]:
            protocols[str(p)].append(proto)
    if port:
        port_values = []
        for p in str(port).split(","):
            n = _go_atoi(p)
            if n is None:
                raise GeneratorError(f'strconv.Atoi: parsing "{p}": invalid syntax')
            port_values.append(n)
    else:
        if not found and cluster_ip != "None":
            raise GeneratorError("couldn't find port via --port flag or introspection\n"
                                 "See 'kubectl expose -h' for help and examples")
        port_values = []
        for p, _ in found:
            if p not in port_values:
                port_values.append(p)
    meta = obj.get("metadata") or {}
    svc_labels = _parse_labels(labels) if labels else (dict(meta.get("labels") or {}) or None)
    return _service_from_params(
        name=name or meta.get("name", ""), selector=sel, labels=svc_labels, ports=port_values,
        target_port=str(target_port or ""), protocol=protocol, type_=type,
        namespace=namespace, port_protocols=protocols, cluster_ip=cluster_ip,
        external_ip=external_ip, session_affinity=session_affinity,
        load_balancer_ip=load_balancer_ip, port_name=port_name)


# --------------------------------------------------------------------------- flag tables

_SECRET_SOURCES = [Flag("from-file", "slice"), Flag("from-literal", "array"),
                   Flag("from-env-file", "slice")]

FLAGS: dict[str, list[Flag]] = {
    "deployment": [Flag("image", "slice", required=True), Flag("replicas", "int", default=1, short="r"),
                   Flag("port", "int", default=-1)],
    "service clusterip": [Flag("tcp", "slice"), Flag("clusterip")],
    "service nodeport": [Flag("tcp", "slice"), Flag("node-port", "int", default=0)],
    "service loadbalancer": [Flag("tcp", "slice")],
    "service externalname": [Flag("tcp", "slice"), Flag("external-name", required=True)],
    "configmap": [*_SECRET_SOURCES, Flag("append-hash", "bool", default=False)],
    "secret generic": [*_SECRET_SOURCES, Flag("type"), Flag("append-hash", "bool", default=False)],
    "secret docker-registry": [Flag("docker-server", default="https://index.docker.io/v1/"),
                               Flag("docker-username"), Flag("docker-password"), Flag("docker-email"),
                               Flag("from-file", "slice"), Flag("append-hash", "bool", default=False)],
    "secret tls": [Flag("cert"), Flag("key"), Flag("append-hash", "bool", default=False)],
    "role": [Flag("verb", "slice"), Flag("resource", "slice"), Flag("resource-name", "array")],
    "clusterrole": [Flag("verb", "slice"), Flag("resource", "slice"), Flag("resource-name", "array"),
                    Flag("non-resource-url", "slice"), Flag("aggregation-rule", "map")],
    "rolebinding": [Flag("role"), Flag("clusterrole"), Flag("user", "array"), Flag("group", "array"),
                    Flag("serviceaccount", "array")],
    "clusterrolebinding": [Flag("clusterrole", required=True), Flag("user", "array"),
                           Flag("group", "array"), Flag("serviceaccount", "array")],
    "serviceaccount": [],
    "namespace": [],
    "quota": [Flag("hard"), Flag("scopes")],
    "job": [Flag("image"), Flag("from")],
    "cronjob": [Flag("image", required=True), Flag("schedule", required=True), Flag("restart")],
    "ingress": [Flag("rule", "array"), Flag("class"), Flag("default-backend"), Flag("annotation", "array")],
    "priorityclass": [Flag("value", "int", default=0), Flag("global-default", "bool", default=False),
                      Flag("description"), Flag("preemption-policy", default="PreemptLowerPriority")],
    "poddisruptionbudget": [Flag("selector"), Flag("min-available"), Flag("max-unavailable")],
    "run": [Flag("image", required=True), Flag("labels", short="l"), Flag("env", "array"),
            Flag("port"), Flag("restart", default="Always"), Flag("command", "bool", default=False),
            Flag("image-pull-policy"), Flag("annotations", "array"), Flag("expose", "bool", default=False),
            Flag("stdin", "bool", default=False, short="i"), Flag("tty", "bool", default=False, short="t")],
    "expose": [Flag("port"), Flag("target-port"), Flag("type"), Flag("name"), Flag("protocol"),
               Flag("selector"), Flag("labels", short="l"), Flag("cluster-ip"), Flag("external-ip"),
               Flag("session-affinity"), Flag("load-balancer-ip"), Flag("port-name")],
}

ALIASES = {"deploy": "deployment", "svc": "service", "cm": "configmap", "sa": "serviceaccount",
           "ns": "namespace", "resourcequota": "quota", "cj": "cronjob", "ing": "ingress",
           "pc": "priorityclass", "pdb": "poddisruptionbudget"}


def _svc(stype):
    def build(name, **options):
        return gen_service(name, type=stype, **options)
    build.__name__ = f"gen_service_{stype.lower()}"
    return build


def _job(name, **options):
    if "from" in options:
        options["from_"] = options.pop("from")
    return gen_job(name, **options)


def _ingress(name, **options):
    if "class" in options:
        options["class_"] = options.pop("class")
    return gen_ingress(name, **options)


GENERATORS: dict[str, Callable[..., dict]] = {
    "deployment": gen_deployment,
    "service clusterip": _svc("ClusterIP"),
    "service nodeport": _svc("NodePort"),
    "service loadbalancer": _svc("LoadBalancer"),
    "service externalname": _svc("ExternalName"),
    "configmap": gen_configmap,
    "secret generic": gen_secret_generic,
    "secret docker-registry": gen_secret_docker_registry,
    "secret tls": gen_secret_tls,
    "role": gen_role,
    "clusterrole": gen_clusterrole,
    "rolebinding": gen_rolebinding,
    "clusterrolebinding": gen_clusterrolebinding,
    "serviceaccount": gen_serviceaccount,
    "namespace": gen_namespace,
    "quota": gen_quota,
    "job": _job,
    "cronjob": gen_cronjob,
    "ingress": _ingress,
    "priorityclass": gen_priorityclass,
    "poddisruptionbudget": gen_poddisruptionbudget,
}


# --------------------------------------------------------------------------- Go struct order
# kubectl prints an object it built itself (`create ... --dry-run=client -o json`) from the Go
# struct, so keys come in field order; Go maps (labels, data, ...) come sorted. Each entry:
# type -> (field order, {field: child type}); "map" sorts keys, "[]T" is a list of T.

_META = (["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
          "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
          "annotations", "ownerReferences", "finalizers", "managedFields"],
         {"labels": "map", "annotations": "map", "ownerReferences": "[]OwnerReference"})
_TOP = ["kind", "apiVersion", "metadata"]

STRUCTS: dict[str, tuple[list[str], dict[str, str]]] = {
    "ObjectMeta": _META,
    "OwnerReference": (["apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"], {}),
    "LabelSelector": (["matchLabels", "matchExpressions"],
                      {"matchLabels": "map", "matchExpressions": "[]Requirement"}),
    "Requirement": (["key", "operator", "values"], {}),
    "Deployment": (_TOP + ["spec", "status"], {"metadata": "ObjectMeta", "spec": "DeploymentSpec"}),
    "DeploymentSpec": (["replicas", "selector", "template", "strategy", "minReadySeconds",
                        "revisionHistoryLimit", "paused", "progressDeadlineSeconds"],
                       {"selector": "LabelSelector", "template": "PodTemplateSpec"}),
    "PodTemplateSpec": (["metadata", "spec"], {"metadata": "ObjectMeta", "spec": "PodSpec"}),
    "Pod": (_TOP + ["spec", "status"], {"metadata": "ObjectMeta", "spec": "PodSpec"}),
    "PodSpec": (["volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy",
                 "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "nodeSelector",
                 "serviceAccountName", "serviceAccount", "automountServiceAccountToken", "nodeName"],
                {"containers": "[]Container", "initContainers": "[]Container", "nodeSelector": "map"}),
    "Container": (["name", "image", "command", "args", "workingDir", "ports", "envFrom", "env",
                   "resources", "resizePolicy", "restartPolicy", "volumeMounts", "volumeDevices",
                   "livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
                   "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy",
                   "securityContext", "stdin", "stdinOnce", "tty"],
                  {"ports": "[]ContainerPort", "env": "[]EnvVar"}),
    "ContainerPort": (["name", "hostPort", "containerPort", "protocol", "hostIP"], {}),
    "EnvVar": (["name", "value", "valueFrom"], {}),
    "Service": (_TOP + ["spec", "status"], {"metadata": "ObjectMeta", "spec": "ServiceSpec"}),
    "ServiceSpec": (["ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs",
                     "sessionAffinity", "loadBalancerIP", "loadBalancerSourceRanges", "externalName"],
                    {"ports": "[]ServicePort", "selector": "map"}),
    "ServicePort": (["name", "protocol", "appProtocol", "port", "targetPort", "nodePort"], {}),
    "ConfigMap": (_TOP + ["immutable", "data", "binaryData"],
                  {"metadata": "ObjectMeta", "data": "map", "binaryData": "map"}),
    "Secret": (_TOP + ["immutable", "data", "stringData", "type"],
               {"metadata": "ObjectMeta", "data": "map", "stringData": "map"}),
    "ServiceAccount": (_TOP + ["secrets", "imagePullSecrets", "automountServiceAccountToken"],
                       {"metadata": "ObjectMeta"}),
    "Namespace": (_TOP + ["spec", "status"], {"metadata": "ObjectMeta"}),
    "ResourceQuota": (_TOP + ["spec", "status"], {"metadata": "ObjectMeta", "spec": "ResourceQuotaSpec"}),
    "ResourceQuotaSpec": (["hard", "scopes", "scopeSelector"], {"hard": "map"}),
    "Role": (_TOP + ["rules"], {"metadata": "ObjectMeta", "rules": "[]PolicyRule"}),
    "ClusterRole": (_TOP + ["rules", "aggregationRule"],
                    {"metadata": "ObjectMeta", "rules": "[]PolicyRule", "aggregationRule": "AggregationRule"}),
    "AggregationRule": (["clusterRoleSelectors"], {"clusterRoleSelectors": "[]LabelSelector"}),
    "PolicyRule": (["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"], {}),
    "RoleBinding": (_TOP + ["subjects", "roleRef"], {"metadata": "ObjectMeta", "subjects": "[]Subject",
                                                    "roleRef": "RoleRef"}),
    "ClusterRoleBinding": (_TOP + ["subjects", "roleRef"], {"metadata": "ObjectMeta",
                                                           "subjects": "[]Subject", "roleRef": "RoleRef"}),
    "Subject": (["kind", "apiGroup", "name", "namespace"], {}),
    "RoleRef": (["apiGroup", "kind", "name"], {}),
    "Job": (_TOP + ["spec", "status"], {"metadata": "ObjectMeta", "spec": "JobSpec"}),
    "JobSpec": (["parallelism", "completions", "activeDeadlineSeconds", "podFailurePolicy",
                 "successPolicy", "backoffLimit", "backoffLimitPerIndex", "maxFailedIndexes", "selector",
                 "manualSelector", "template", "ttlSecondsAfterFinished", "completionMode", "suspend",
                 "podReplacementPolicy", "managedBy"],
                {"selector": "LabelSelector", "template": "PodTemplateSpec"}),
    "CronJob": (_TOP + ["spec", "status"], {"metadata": "ObjectMeta", "spec": "CronJobSpec"}),
    "CronJobSpec": (["schedule", "timeZone", "startingDeadlineSeconds", "concurrencyPolicy", "suspend",
                     "jobTemplate", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"],
                    {"jobTemplate": "JobTemplateSpec"}),
    "JobTemplateSpec": (["metadata", "spec"], {"metadata": "ObjectMeta", "spec": "JobSpec"}),
    "Ingress": (_TOP + ["spec", "status"], {"metadata": "ObjectMeta", "spec": "IngressSpec"}),
    "IngressSpec": (["ingressClassName", "defaultBackend", "tls", "rules"],
                    {"defaultBackend": "IngressBackend", "tls": "[]IngressTLS", "rules": "[]IngressRule"}),
    "IngressTLS": (["hosts", "secretName"], {}),
    "IngressRule": (["host", "http"], {"http": "HTTPIngressRuleValue"}),
    "HTTPIngressRuleValue": (["paths"], {"paths": "[]HTTPIngressPath"}),
    "HTTPIngressPath": (["path", "pathType", "backend"], {"backend": "IngressBackend"}),
    "IngressBackend": (["service", "resource"], {"service": "IngressServiceBackend"}),
    "IngressServiceBackend": (["name", "port"], {"port": "ServiceBackendPort"}),
    "ServiceBackendPort": (["name", "number"], {}),
    "PriorityClass": (_TOP + ["value", "globalDefault", "description", "preemptionPolicy"],
                      {"metadata": "ObjectMeta"}),
    "PodDisruptionBudget": (_TOP + ["spec", "status"], {"metadata": "ObjectMeta", "spec": "PDBSpec",
                                                       "status": "PDBStatus"}),
    "PDBSpec": (["minAvailable", "selector", "maxUnavailable", "unhealthyPodEvictionPolicy"],
                {"selector": "LabelSelector"}),
    "PDBStatus": (["observedGeneration", "disruptedPods", "disruptionsAllowed", "currentHealthy",
                   "desiredHealthy", "expectedPods", "conditions"], {}),
}


def _order(value, type_name: str | None):
    if type_name and type_name.startswith("[]"):
        return [_order(v, type_name[2:]) for v in value] if isinstance(value, list) else value
    if not isinstance(value, dict):
        return value
    if type_name == "map" or type_name not in STRUCTS:
        return {k: _order(value[k], None) for k in sorted(value)}
    fields, children = STRUCTS[type_name]
    known = [f for f in fields if f in value]
    rest = sorted(k for k in value if k not in fields)
    return {k: _order(value[k], children.get(k)) for k in known + rest}


def struct_ordered(obj: dict) -> dict:
    """The object with keys in the order kubectl's Go structs print them (for -o json)."""
    return _order(obj, obj.get("kind"))
