"""etcdctl and etcdutl (etcd 3.6.6) as a learner types them on a kubeadm control plane.

    ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 \\
      --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt \\
      --key=/etc/kubernetes/pki/etcd/server.key get /registry --prefix --keys-only

`etcdctl(target, argv, env)` is a pure function over a `Store` (or a `members.Cluster`) that
returns `(stdout, stderr, exit_code)`. Paths on the command line are node paths; the caller
hands in `resolve(path) -> host path`. The TLS handshake is checked for real: the CA file must
be the CA that signed etcd's serving certificate (`etcd_ca_pem`), the client certificate must
be signed by it and match its key. A failed handshake looks like the real thing: a zap warning
from the gRPC retry interceptor, then `Error: context deadline exceeded`.

Output layouts follow reference control-plane-fidelity.md §4.2: the simple printer (key line,
value line), `-w json` (base64 keys and values), `-w fields`, `-w table` (tablewriter: headers
centred, cells right-aligned). etcd 3.6 removed `etcdctl snapshot status|restore` (they now
print the `snapshot` help); with `version="3.5.x"` they print the 3.5 deprecation note and work.
`etcdutl(argv, env)` does `snapshot status` and `snapshot restore --data-dir`.

Nothing here reads the clock: log timestamps start at `now` (a datetime the caller passes)."""
from __future__ import annotations

import base64
import datetime as _dt
import json
import os
import urllib.parse
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

from kcore.etcd import snapshot
from kcore.etcd.members import Cluster
from kcore.etcd.store import EtcdError, Store

__all__ = ["etcdctl", "etcdutl", "ETCD_VERSION"]

ETCD_VERSION = "3.6.6"
API_VERSION = "3.6"
STORAGE_VERSION = snapshot.STORAGE_VERSION
QUOTA = 2 * 1024 ** 3

EXIT_ERROR, EXIT_BAD_CONNECTION, EXIT_INTERRUPTED, EXIT_BAD_ARGS = 1, 2, 5, 128
DEFAULT_NOW = _dt.datetime(2026, 1, 15, 10, 41, 16, 457422, tzinfo=_dt.timezone.utc)


class _Exit(Exception):
    def __init__(self, message: str, code: int = EXIT_ERROR):
        super().__init__(message)
        self.message, self.code = message, code


class _ExitWithOut(_Exit):
    """A failure that still printed something on stdout (endpoint health -w table)."""

    def __init__(self, stdout: str, message: str = "unhealthy cluster"):
        super().__init__(message, EXIT_ERROR)
        self.stdout = stdout


# ---- flags -------------------------------------------------------------------------------------
# name -> (kind, shorthand, default, usage); kinds: str, bool, slice, duration, int

GLOBAL_FLAGS = {
    "cacert": ("str", "", "", "verify certificates of TLS-enabled secure servers using this CA bundle"),
    "cert": ("str", "", "", "identify secure client using this TLS certificate file"),
    "command-timeout": ("duration", "", "5s", "timeout for short running command (excluding dial timeout)"),
    "debug": ("bool", "", "false", "enable client-side debug logging"),
    "dial-timeout": ("duration", "", "2s", "dial timeout for client connections"),
    "discovery-srv": ("str", "d", "", "domain name to query for SRV records describing cluster endpoints"),
    "discovery-srv-name": ("str", "", "", "service name to query when using DNS discovery"),
    "endpoints": ("slice", "", "[127.0.0.1:2379]", "gRPC endpoints"),
    "hex": ("bool", "", "false", "print byte strings as hex encoded strings"),
    "insecure-discovery": ("bool", "", "true", "accept insecure SRV records describing cluster endpoints"),
    "insecure-skip-tls-verify": ("bool", "", "false", "skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)"),
    "insecure-transport": ("bool", "", "true", "disable transport security for client connections"),
    "keepalive-time": ("duration", "", "2s", "keepalive time for client connections"),
    "keepalive-timeout": ("duration", "", "6s", "keepalive timeout for client connections"),
    "key": ("str", "", "", "identify secure client using this TLS key file"),
    "max-recv-bytes": ("int", "", "0", 'client-side response receive limit in bytes (if 0, it defaults to "math.MaxInt32")'),
    "max-request-bytes": ("int", "", "0", "client-side request send limit in bytes (if 0, it defaults to 2.0 MiB (2 * 1024 * 1024).)"),
    "password": ("str", "", "", "password for authentication (if this option is used, --user option shouldn't include password)"),
    "user": ("str", "", "", "username[:password] for authentication (prompt if password is not supplied)"),
    "write-out": ("str", "w", "simple", "set the output format (fields, json, protobuf, simple, table)"),
}
LOCAL_FLAGS = {
    "get": {"consistency": ("str", "", "l", ""), "count-only": ("bool", "", "false", ""),
            "from-key": ("bool", "", "false", ""), "keys-only": ("bool", "", "false", ""),
            "limit": ("int", "", "0", ""), "order": ("str", "", "", ""), "prefix": ("bool", "", "false", ""),
            "print-value-only": ("bool", "", "false", ""), "rev": ("int", "", "0", ""),
            "sort-by": ("str", "", "", ""), "min-create-rev": ("int", "", "0", ""),
            "max-create-rev": ("int", "", "0", ""), "min-mod-rev": ("int", "", "0", ""),
            "max-mod-rev": ("int", "", "0", "")},
    "put": {"prev-kv": ("bool", "", "false", ""), "lease": ("str", "", "0", ""),
            "ignore-value": ("bool", "", "false", ""), "ignore-lease": ("bool", "", "false", "")},
    "del": {"prefix": ("bool", "", "false", ""), "prev-kv": ("bool", "", "false", ""),
            "from-key": ("bool", "", "false", ""), "range": ("bool", "", "false", "")},
    "compaction": {"physical": ("bool", "", "false", "")},
    "member": {"consistency": ("str", "", "l", "")},
    "endpoint": {"cluster": ("bool", "", "false", "use all endpoints from the cluster member list")},
    "snapshot": {},
    "version": {},
}
HELP_FLAG = {"help": ("bool", "h", "false", "")}
RESTORE_FLAGS = {"data-dir": ("str", "", "", ""), "name": ("str", "", "default", ""),
                 "initial-cluster": ("str", "", "default=http://localhost:2380", ""),
                 "initial-cluster-token": ("str", "", "etcd-cluster", ""),
                 "initial-advertise-peer-urls": ("str", "", "http://localhost:2380", ""),
                 "skip-hash-check": ("bool", "", "false", ""), "wal-dir": ("str", "", "", ""),
                 "bump-revision": ("int", "", "0", ""), "mark-compacted": ("bool", "", "false", "")}


def _parse(argv: list[str], local: dict) -> tuple[list[str], dict]:
    flags_by_name = {**GLOBAL_FLAGS, **local, **HELP_FLAG}
    short = {v[1]: k for k, v in flags_by_name.items() if v[1]}
    args, values = [], {}
    i = 0
    while i < len(argv):
        word = argv[i]
        i += 1
        if word == "--":
            args.extend(argv[i:])
            break
        if word.startswith("--") and len(word) > 2:
            name, eq, val = word[2:].partition("=")
            if name not in flags_by_name:
                raise _Exit(f"unknown flag: --{name}")
        elif word.startswith("-") and len(word) > 1:
            letter, val = word[1], word[2:]
            eq = ""
            if val.startswith("="):
                eq, val = "=", val[1:]
            elif val:
                eq = "="
            if letter not in short:
                raise _Exit(f"unknown shorthand flag: '{letter}' in {word}")
            name = short[letter]
        else:
            args.append(word)
            continue
        kind = flags_by_name[name][0]
        if kind == "bool":
            if eq and val not in ("true", "false", "1", "0"):
                raise _Exit(f'invalid argument "{val}" for "--{name}" flag: strconv.ParseBool: parsing "{val}": invalid syntax')
            values[name] = (val in ("true", "1")) if eq else True
            continue
        if not eq:
            if i >= len(argv):
                raise _Exit(f"flag needs an argument: --{name}")
            val = argv[i]
            i += 1
        if kind == "int":
            try:
                values[name] = int(val)
            except ValueError:
                raise _Exit(f'invalid argument "{val}" for "--{name}" flag: strconv.ParseInt: parsing "{val}": invalid syntax') from None
        elif kind == "slice":
            values[name] = [v for v in val.split(",") if v]
        else:
            values[name] = val
    return args, values


# ---- the answering server ----------------------------------------------------------------------

@dataclass
class _Ctx:
    cluster: Cluster
    env: dict
    resolve: object
    etcd_ca_pem: bytes | None
    local: str | None
    now: _dt.datetime
    version: str
    flags: dict = field(default_factory=dict)
    stderr: list = field(default_factory=list)
    ticks: int = 0

    @property
    def store(self) -> Store:
        return self.cluster.store

    def ts(self) -> str:
        self.ticks += 1
        t = self.now + _dt.timedelta(microseconds=3781 * (self.ticks - 1))
        return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def log(self, **fields) -> None:
        line = {"level": fields.pop("level", "info"), "ts": self.ts()}
        line.update(fields)
        self.stderr.append(json.dumps(line, separators=(",", ":")))

    def flag(self, name):
        if name in self.flags:
            return self.flags[name]
        return _DEFAULTS[name]


def _default(kind: str, text: str):
    if kind == "bool":
        return text == "true"
    if kind == "int":
        return int(text)
    if kind == "slice":
        return text.strip("[]").split(",")
    return text


_DEFAULTS = {name: _default(spec[0], spec[2])
             for table_ in (GLOBAL_FLAGS, *LOCAL_FLAGS.values()) for name, spec in table_.items()}


def _member_for(ctx: _Ctx, endpoint: str):
    url = urllib.parse.urlsplit(endpoint if "://" in endpoint else "//" + endpoint)
    host, port = url.hostname or "", url.port or 2379
    if port != 2379:
        return None
    members = ctx.cluster.members
    if host in ("127.0.0.1", "localhost", "::1"):
        local = next((m for m in members if m.name == ctx.local), members[0])
        return local if local.started else None
    for m in members:
        if m.ip == host:
            return m if m.started else None
    return None


def _read(ctx: _Ctx, path: str) -> bytes:
    host = ctx.resolve(path)
    try:
        with open(host, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise _Exit(f"open {path}: no such file or directory", EXIT_BAD_ARGS) from None
    except IsADirectoryError:
        raise _Exit(f"read {path}: is a directory", EXIT_BAD_ARGS) from None


def _handshake_error(ctx: _Ctx, endpoint: str) -> str | None:
    """None if a connection to `endpoint` would be established, else gRPC's error text."""
    cacert, cert, key = ctx.flag("cacert"), ctx.flag("cert"), ctx.flag("key")
    if (cert == "") != (key == ""):
        raise _Exit(f"KeyFile and CertFile must both be present[key: {key}, cert: {cert}]", EXIT_BAD_ARGS)
    ca_pem = _read(ctx, cacert) if cacert else None
    cert_pem = _read(ctx, cert) if cert else None
    key_pem = _read(ctx, key) if key else None
    client_cert = None
    if cert_pem is not None:
        try:
            client_cert = x509.load_pem_x509_certificate(cert_pem)
            client_key = serialization.load_pem_private_key(key_pem, password=None)
        except ValueError:
            raise _Exit("tls: failed to find any PEM data in certificate input", EXIT_BAD_ARGS) from None
        if client_key.public_key().public_bytes(serialization.Encoding.DER,
                                                serialization.PublicFormat.SubjectPublicKeyInfo) != \
                client_cert.public_key().public_bytes(serialization.Encoding.DER,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo):
            raise _Exit("tls: private key does not match public key", EXIT_BAD_ARGS)
    member = _member_for(ctx, endpoint)
    host = endpoint.split("://", 1)[-1]
    if member is None:
        return f"transport: Error while dialing: dial tcp {host}: connect: connection refused"
    if ctx.etcd_ca_pem is None:
        return None                                     # etcd serves plain HTTP
    secure = endpoint.startswith("https://") or bool(cacert or cert)
    if endpoint.startswith("http://") or not secure:
        return "connection closed before server preface received"
    etcd_ca = x509.load_pem_x509_certificate(ctx.etcd_ca_pem)
    if not ctx.flag("insecure-skip-tls-verify") and not _issued_by(ca_pem, etcd_ca):
        return ("transport: authentication handshake failed: tls: failed to verify certificate: "
                "x509: certificate signed by unknown authority")
    if client_cert is None:
        return "remote error: tls: certificate required"
    if not _signed_by(client_cert, etcd_ca) or not _client_auth(client_cert):
        return "remote error: tls: bad certificate"
    return None


def _issued_by(bundle: bytes | None, etcd_ca: x509.Certificate) -> bool:
    if not bundle:
        return False
    try:
        certs = x509.load_pem_x509_certificates(bundle)
    except ValueError:
        return False
    return any(c.public_key() == etcd_ca.public_key() or _signed_by(etcd_ca, c) for c in certs)


def _signed_by(cert: x509.Certificate, ca: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(ca)
        return True
    except (ValueError, TypeError, InvalidSignature):
        return False


def _client_auth(cert: x509.Certificate) -> bool:
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return ExtendedKeyUsageOID.CLIENT_AUTH in eku or ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE in eku


def _connect(ctx: _Ctx, method: str):
    """The member answering on the first endpoint; raises the deadline error otherwise."""
    endpoints = ctx.flag("endpoints")
    errors = []
    for ep in endpoints:
        err = _handshake_error(ctx, ep)
        if err is None:
            return _member_for(ctx, ep)
        errors.append((ep, err))
    ep, err = errors[-1]
    host = ep.split("://", 1)[-1]
    ctx.log(level="warn", logger="etcd-client", caller="v3@v3.6.6/retry_interceptor.go:65",
            msg="retrying of unary invoker failed", target=f"etcd-endpoints://0xc0000d2000/{host}",
            method=method, attempt=0,
            error=f"rpc error: code = DeadlineExceeded desc = latest balancer error: last connection "
                  f"error: connection error: desc = \"{err}\"" if "remote error" not in err
            else f"rpc error: code = Unavailable desc = connection error: desc = \"{err}\"")
    raise _Exit("context deadline exceeded")


def _header(ctx: _Ctx, member, revision: bool = True) -> dict:
    h = {"cluster_id": ctx.cluster.id, "member_id": member.id}
    if revision:
        h["revision"] = ctx.store.revision
    h["raft_term"] = ctx.cluster.term
    return h


def _server_error(exc: Exception) -> str:
    """A store error as the client sees it over gRPC (mvcc errors gain the etcdserver prefix)."""
    text = str(exc)
    return text if text.startswith("etcdserver: ") else f"etcdserver: {text}"


def _need_quorum(ctx: _Ctx) -> None:
    msg = ctx.cluster.write_error()
    if msg:
        raise _Exit(msg)


# ---- printers ----------------------------------------------------------------------------------

def table(headers: list[str], rows: list[list[str]]) -> str:
    """olekukonko/tablewriter as etcdctl configures it."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    sep = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def centre(text, w):
        pad = w - len(text)
        return " " * (pad // 2) + text + " " * (pad - pad // 2)
    out = [sep, "|" + "|".join(f" {centre(h.upper(), w)} " for h, w in zip(headers, widths)) + "|", sep]
    for r in rows:
        out.append("|" + "|".join(f" {c.rjust(w)} " for c, w in zip(r, widths)) + "|")
    out.append(sep)
    return "\n".join(out) + "\n"


def go_quote(data: bytes) -> str:
    """Go's %q of a byte string."""
    out = ['"']
    text = data.decode("utf-8", errors="surrogateescape")
    for ch in text:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif 0xDC80 <= o <= 0xDCFF:
            out.append(f"\\x{o - 0xDC00:02x}")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _kv_json(kv, keys_only: bool) -> dict:
    d = {"key": _b64(kv.key.encode()), "create_revision": kv.create_revision,
         "mod_revision": kv.mod_revision, "version": kv.version}
    if kv.value and not keys_only:
        d["value"] = _b64(kv.value)
    return d


def _dumps(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


# ---- commands ----------------------------------------------------------------------------------

def _cmd_get(ctx: _Ctx, args: list[str]) -> str:
    if not args or len(args) > 2:
        raise _Exit("get command needs one argument as key and an optional argument as range_end",
                    EXIT_BAD_ARGS)
    if ctx.flag("prefix") and ctx.flag("from-key"):
        raise _Exit("`--prefix` and `--from-key` cannot be set at the same time, choose one", EXIT_BAD_ARGS)
    member = _connect(ctx, "/etcdserverpb.KV/Range")
    if ctx.flag("consistency") != "s":
        _need_quorum(ctx)
    key = args[0]
    limit = ctx.flag("limit") or None
    rev = ctx.flag("rev") or None
    keys_only = ctx.flag("keys-only")
    try:
        if ctx.flag("prefix"):
            kvs = ctx.store.range(key, revision=rev)
        elif ctx.flag("from-key"):
            kvs = ctx.store.range(key, range_end="", revision=rev)      # every key >= KEY
        elif len(args) == 2:
            kvs = ctx.store.range(key, range_end=args[1], revision=rev)
        else:
            kv = ctx.store.get(key, revision=rev)
            kvs = [kv] if kv else []
    except EtcdError as exc:
        raise _Exit(_server_error(exc)) from None
    fmt = ctx.flag("write-out")
    if ctx.flag("count-only") and fmt != "fields":
        raise _Exit("--count-only is only for `--write-out=fields`", EXIT_BAD_ARGS)
    if ctx.flag("print-value-only") and fmt != "simple":
        raise _Exit("print-value-only is only for `--write-out=simple`", EXIT_BAD_ARGS)
    count = len(kvs)
    more = bool(limit and count > limit)
    if limit:
        kvs = kvs[:limit]
    if keys_only:
        kvs = [kv._replace(value=b"") for kv in kvs]
    if fmt == "json":
        resp = {"header": _header(ctx, member)}
        if kvs and not ctx.flag("count-only"):
            resp["kvs"] = [_kv_json(kv, keys_only) for kv in kvs]
        if more:
            resp["more"] = True
        if count:
            resp["count"] = count
        return _dumps(resp) + "\n"
    if fmt == "fields":
        h = _header(ctx, member)
        lines = [f'"ClusterID" : {h["cluster_id"]}', f'"MemberID" : {h["member_id"]}',
                 f'"Revision" : {h["revision"]}', f'"RaftTerm" : {h["raft_term"]}']
        for kv in ([] if ctx.flag("count-only") else kvs):
            lines += [f'"Key" : {go_quote(kv.key.encode())}', f'"CreateRevision" : {kv.create_revision}',
                      f'"ModRevision" : {kv.mod_revision}', f'"Version" : {kv.version}',
                      f'"Value" : {go_quote(kv.value)}', '"Lease" : 0']
        lines += [f'"More" : {str(more).lower()}', f'"Count" : {count}']
        return "\n".join(lines) + "\n"
    out = []
    for kv in kvs:
        if not ctx.flag("print-value-only"):
            out.append(kv.key)
        out.append(kv.value.decode("utf-8", errors="replace"))
    return "".join(line + "\n" for line in out)


def _cmd_put(ctx: _Ctx, args: list[str]) -> str:
    if len(args) != 2:
        raise _Exit("put command needs 1 argument and input from stdin or 2 arguments", EXIT_BAD_ARGS)
    _connect(ctx, "/etcdserverpb.KV/Put")
    try:
        ctx.cluster.put(args[0], args[1].encode())
    except EtcdError as exc:
        raise _Exit(str(exc)) from None
    return "OK\n"


def _cmd_del(ctx: _Ctx, args: list[str]) -> str:
    if not args or len(args) > 2:
        raise _Exit("del command needs one argument as key and an optional argument as range_end",
                    EXIT_BAD_ARGS)
    _connect(ctx, "/etcdserverpb.KV/DeleteRange")
    try:
        ctx.cluster.check_write()
        if ctx.flag("prefix"):
            deleted = ctx.store.delete_range(args[0])
        elif len(args) == 2:
            deleted = ctx.store.delete_range(args[0], range_end=args[1])
        else:
            deleted = [kv for kv in [ctx.store.delete(args[0])] if kv]
    except EtcdError as exc:
        raise _Exit(str(exc)) from None
    return f"{len(deleted)}\n"


def _cmd_member(ctx: _Ctx, args: list[str]) -> str:
    if not args or args[0] != "list":
        return _help(ctx, "member")
    member = _connect(ctx, "/etcdserverpb.Cluster/MemberList")
    _need_quorum(ctx)
    fmt = ctx.flag("write-out")
    members = ctx.cluster.members
    if fmt == "json":
        return _dumps({"header": _header(ctx, member, revision=False),
                       "members": [{"ID": m.id, "name": m.name, "peerURLs": [m.peer_url],
                                    "clientURLs": [m.client_url], **({"isLearner": True} if m.is_learner else {})}
                                   for m in members]}) + "\n"
    rows = [[m.hex_id, "started", m.name, m.peer_url, m.client_url, str(m.is_learner).lower()] for m in members]
    if fmt == "table":
        return table(["ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner"], rows)
    return "".join(", ".join(r) + "\n" for r in rows)


def _endpoints(ctx: _Ctx) -> list[str]:
    if ctx.flag("cluster"):
        return [m.client_url for m in ctx.cluster.members]
    return ctx.flag("endpoints")


def _took(ctx: _Ctx, i: int) -> str:
    """A plausible, deterministic proposal latency, printed like Go's time.Duration."""
    nanos = 7_000_000 + (ctx.store.revision * 7_919_337 + i * 104_729_113) % 4_000_000
    return f"{nanos / 1e6:.6f}".rstrip("0").rstrip(".") + "ms"


def _cmd_endpoint(ctx: _Ctx, args: list[str]) -> str:
    if not args or args[0] not in ("status", "health", "hashkv"):
        return _help(ctx, "endpoint")
    endpoints = _endpoints(ctx)
    if args[0] == "health":
        rows, unhealthy = [], []
        for i, ep in enumerate(endpoints):
            err = _handshake_error(ctx, ep)
            if err is None and ctx.cluster.write_error() is None:
                rows.append([ep, "true", _took(ctx, i), ""])
            else:
                unhealthy.append(ep)
                rows.append([ep, "false", _took(ctx, i), "context deadline exceeded"])
        if ctx.flag("write-out") == "table":
            out = table(["endpoint", "health", "took", "error"], rows)
        else:
            out = "".join(f"{r[0]} is healthy: successfully committed proposal: took = {r[2]}\n"
                          for r in rows if r[1] == "true")
            ctx.stderr.extend(f"{r[0]} is unhealthy: failed to commit proposal: {r[3]}"
                              for r in rows if r[1] == "false")
        if unhealthy:
            raise _ExitWithOut(out)
        return out
    rows, statuses = [], []
    for ep in endpoints:
        err = _handshake_error(ctx, ep)
        if err is not None:
            ctx.log(level="warn", logger="etcd-client", caller="v3@v3.6.6/retry_interceptor.go:65",
                    msg="retrying of unary invoker failed",
                    target=f"etcd-endpoints://0xc0000d2000/{ep.split('://', 1)[-1]}",
                    method="/etcdserverpb.Maintenance/Status", attempt=0,
                    error=f"rpc error: code = DeadlineExceeded desc = {err}")
            ctx.stderr.append(f"Failed to get the status of endpoint {ep} (context deadline exceeded)")
            continue
        member = _member_for(ctx, ep)
        leader = ctx.cluster.leader
        size, in_use = ctx.store.db_size(), ctx.store.db_size_in_use()
        raft_index = ctx.store.revision + 3 + ctx.cluster.term
        st = {"header": _header(ctx, member), "version": ETCD_VERSION, "dbSize": size,
              "leader": leader.id if leader else 0, "raftIndex": raft_index,
              "raftTerm": ctx.cluster.term, "raftAppliedIndex": raft_index, "dbSizeInUse": in_use,
              "storageVersion": STORAGE_VERSION, "dbSizeQuota": QUOTA}
        if member.is_learner:
            st["isLearner"] = True
        statuses.append({"Endpoint": ep, "Status": st})
        rows.append([ep, member.hex_id, ETCD_VERSION, STORAGE_VERSION, snapshot.humanize_bytes(size),
                     snapshot.humanize_bytes(in_use), f"{100 - in_use * 100 // size}%",
                     snapshot.humanize_bytes(QUOTA), str(leader is not None and leader.id == member.id).lower(),
                     str(member.is_learner).lower(), str(ctx.cluster.term), str(raft_index), str(raft_index),
                     "" if leader else "etcdserver: no leader", "", "false"])
    if not rows:
        raise _Exit("context deadline exceeded")
    fmt = ctx.flag("write-out")
    if fmt == "json":
        return _dumps(statuses) + "\n"
    if fmt == "table":
        return table(["Endpoint", "ID", "Version", "Storage Version", "DB Size", "In Use",
                      "Percentage not in use", "Quota", "Is Leader", "Is Learner", "Raft Term",
                      "Raft Index", "Raft Applied Index", "Errors", "Downgrade Target Version",
                      "Downgrade Enabled"], rows)
    return "".join(", ".join(r) + "\n" for r in rows)


def _cmd_snapshot(ctx: _Ctx, args: list[str]) -> str:
    sub = args[0] if args else ""
    legacy = ctx.version.startswith("3.5")
    if sub == "save":
        if len(args) != 2:
            raise _Exit("snapshot save expects one argument", EXIT_BAD_ARGS)
        path = args[1]
        _connect(ctx, "/etcdserverpb.Maintenance/Snapshot")
        endpoint = ctx.flag("endpoints")[0]
        host = ctx.resolve(path)
        if not os.path.isdir(os.path.dirname(os.path.abspath(host)) or "."):
            raise _Exit(f"could not open {path}.part (open {path}.part: no such file or directory)",
                        EXIT_INTERRUPTED)
        ctx.log(caller="snapshot/v3_snapshot.go:83", msg="created temporary db file", path=f"{path}.part")
        ctx.log(logger="client", caller="v3/maintenance.go:236", msg="opened snapshot stream; downloading")
        ctx.log(caller="snapshot/v3_snapshot.go:96", msg="fetching snapshot", endpoint=endpoint)
        st = snapshot.save(ctx.store, host)
        ctx.log(logger="client", caller="v3/maintenance.go:302", msg="completed snapshot read; closing")
        ctx.log(caller="snapshot/v3_snapshot.go:111", msg="fetched snapshot", endpoint=endpoint,
                size=snapshot.humanize_bytes(st.total_size), took="43.523ms", **{"etcd-version": STORAGE_VERSION})
        ctx.log(caller="snapshot/v3_snapshot.go:121", msg="saved", path=path)
        return f"Snapshot saved at {path}\nServer version {STORAGE_VERSION}\n"
    if sub in ("status", "restore") and legacy:
        ctx.stderr.append(f"Deprecated: Use `etcdutl snapshot {sub}` instead.")
        ctx.stderr.append("")
        out, err, code = etcdutl(["snapshot", *args], ctx.env, resolve=ctx.resolve, now=ctx.now,
                                 flags=ctx.flags)
        ctx.stderr.extend(err.splitlines())
        if code:
            raise _Exit("", code)
        return out
    return _help(ctx, "snapshot")


def _cmd_version(ctx: _Ctx, args: list[str]) -> str:
    return f"etcdctl version: {ETCD_VERSION}\nAPI version: {API_VERSION}\n"


def _cmd_compaction(ctx: _Ctx, args: list[str]) -> str:
    if len(args) != 1:
        raise _Exit("compaction command needs 1 argument", EXIT_BAD_ARGS)
    _connect(ctx, "/etcdserverpb.KV/Compact")
    try:
        rev = int(args[0])
    except ValueError:
        raise _Exit(f'strconv.ParseInt: parsing "{args[0]}": invalid syntax', EXIT_BAD_ARGS) from None
    try:
        ctx.cluster.check_write()
        ctx.store.compact(rev)
    except EtcdError as exc:
        raise _Exit(_server_error(exc)) from None
    return f"compacted revision {rev}\n"


COMMANDS = {"get": _cmd_get, "put": _cmd_put, "del": _cmd_del, "member": _cmd_member,
            "endpoint": _cmd_endpoint, "snapshot": _cmd_snapshot, "version": _cmd_version,
            "compaction": _cmd_compaction}

_SHORT = {"member": "Membership related commands", "endpoint": "Endpoint related commands",
          "snapshot": "Manages etcd node snapshots"}
_SUBCOMMANDS = {
    "member": [("add", "Adds a member into the cluster"), ("list", "Lists all members in the cluster"),
               ("promote", "Promotes a non-voting member in the cluster"),
               ("remove", "Removes a member from the cluster"), ("update", "Updates a member in the cluster")],
    "endpoint": [("hashkv", "Prints the KV history hash for each endpoint in --endpoints"),
                 ("health", "Checks the healthiness of endpoints specified in `--endpoints` flag"),
                 ("status", "Prints out the status of endpoints specified in `--endpoints` flag")],
    "snapshot": [("save", "Stores an etcd node backend snapshot to a given file")],
}


def _tabwrite(lines: list[str]) -> str:
    """Go's tabwriter (minwidth 0, tabwidth 8, padding 1, padchar '\\t'): each column is sized
    per block of consecutive lines that have a tab-terminated cell in it."""
    rows = [line.split("\t") for line in lines]
    pad = [[0] * (len(r) - 1) for r in rows]            # tabs after each cell
    ncols = max(len(r) for r in rows) - 1
    for c in range(ncols):
        i = 0
        while i < len(rows):
            if len(rows[i]) - 1 <= c:
                i += 1
                continue
            j = i
            while j < len(rows) and len(rows[j]) - 1 > c:
                j += 1
            width = max(len(rows[k][c]) for k in range(i, j)) + 1
            width = -(-width // 8) * 8
            for k in range(i, j):
                pad[k][c] = -(-(width - len(rows[k][c])) // 8)
            i = j
    return "\n".join("".join(cell + "\t" * pad[n][c] for c, cell in enumerate(r[:-1])) + r[-1]
                     for n, r in enumerate(rows))


def _flag_usages(flags: dict) -> list[str]:
    lines = []
    for name in sorted(flags):
        kind, short, default, usage = flags[name]
        head = f"  -{short}, --{name}" if short else f"      --{name}"
        val = json.dumps(default) if kind == "str" else default
        lines.append(f"{head}={val}\t{usage}" if kind != "bool" or name != "help"
                     else f"{head}[=false]\t{usage}")
    return lines


def _help(ctx: _Ctx, cmd: str) -> str:
    subs = _SUBCOMMANDS[cmd]
    head = [f"NAME:", f"\t{cmd} - {_SHORT[cmd]}", "", "USAGE:", f"\tetcdctl {cmd} <subcommand> [flags]",
            "", "API VERSION:", f"\t{API_VERSION}", "", "", "COMMANDS:"]
    body = [f"\t{name}\t{short}" for name, short in subs]
    opts = ["", "OPTIONS:"] + [f"  -h, --help[=false]\thelp for {cmd}"]
    glob = ["", "GLOBAL OPTIONS:"] + _flag_usages(GLOBAL_FLAGS)
    return "\n".join(head) + "\n" + _tabwrite(body + opts + glob) + "\n\n"


# ---- entry points ------------------------------------------------------------------------------

def _env_flags(ctx: _Ctx, cmd_flags: dict, given: dict) -> dict:
    """ETCDCTL_* variables fill global flags not given on the command line (pkg/flags); a
    variable naming no global flag (ETCDCTL_API, ETCDCTL_PREFIX) draws a warning."""
    out = dict(given)
    known = GLOBAL_FLAGS
    for var in sorted(ctx.env):
        if not var.startswith("ETCDCTL_"):
            continue
        name = var[len("ETCDCTL_"):].lower().replace("_", "-")
        if name not in known:
            ctx.log(level="warn", caller="flags/flag.go:94", msg="unrecognized environment variable",
                    **{"environment-variable": f"{var}={ctx.env[var]}"})
            continue
        if name in given:
            ctx.log(level="warn", caller="flags/flag.go:88",
                    msg="recognized environment variable, but unused: shadowed by corresponding flag",
                    **{"environment-variable": var})
            continue
        val = ctx.env[var]
        kind = known[name][0]
        out[name] = (val in ("1", "true")) if kind == "bool" else (
            [v for v in val.split(",") if v] if kind == "slice" else (int(val) if kind == "int" else val))
    return out


def _as_cluster(target) -> Cluster:
    if isinstance(target, Cluster):
        return target
    if isinstance(target, Store):
        return Cluster.single(target)
    raise TypeError(f"etcdctl needs a Store or a members.Cluster, not {type(target).__name__}")


def etcdctl(target, argv, env: dict | None = None, *, resolve=lambda p: p, etcd_ca_pem: bytes | None = None,
            now: _dt.datetime | None = None, local_member: str | None = None,
            version: str = ETCD_VERSION) -> tuple[str, str, int]:
    """Run `etcdctl argv...` against `target` (Store or members.Cluster)."""
    if isinstance(argv, str):
        import shlex
        argv = shlex.split(argv)
    argv = list(argv)
    if argv and os.path.basename(argv[0]) == "etcdctl":
        argv = argv[1:]
    ctx = _Ctx(_as_cluster(target), dict(env or {}), resolve, etcd_ca_pem, local_member,
               now or DEFAULT_NOW, version)
    stdout = ""
    try:
        words = [a for a in argv if not a.startswith("-")]
        cmd = next((w for w in words if w in COMMANDS or w == "help"), None)
        local = LOCAL_FLAGS.get(cmd, {}) if cmd else {}
        if cmd == "snapshot" and version.startswith("3.5"):
            local = RESTORE_FLAGS                       # 3.5 still had snapshot restore
        args, given = _parse(argv, local)
        ctx.flags = _env_flags(ctx, local, given)
        if not args:
            raise _Exit("no command given; try 'etcdctl --help'", EXIT_BAD_ARGS) if not given.get("help") \
                else _Exit("", 0)
        if args[0] not in COMMANDS:
            raise _Exit(f'unknown command "{args[0]}" for "etcdctl"')
        if ctx.flags.get("write-out", "simple") not in ("simple", "json", "table", "fields", "protobuf"):
            raise _Exit(f"unknown output format {ctx.flags['write-out']}", EXIT_BAD_ARGS)
        stdout = COMMANDS[args[0]](ctx, args[1:])
        code = 0
    except _Exit as exc:
        stdout = getattr(exc, "stdout", "")
        if exc.message:
            ctx.stderr.append(f"Error: {exc.message}")
        code = exc.code
    stderr = "".join(line + "\n" for line in ctx.stderr)
    return stdout, stderr, code


def etcdutl(argv, env: dict | None = None, *, resolve=lambda p: p, now: _dt.datetime | None = None,
            flags: dict | None = None) -> tuple[str, str, int]:
    """`etcdutl snapshot status FILE [-w table]` and `etcdutl snapshot restore FILE --data-dir DIR`."""
    if isinstance(argv, str):
        import shlex
        argv = shlex.split(argv)
    argv = list(argv)
    if argv and os.path.basename(argv[0]) == "etcdutl":
        argv = argv[1:]
    now = now or DEFAULT_NOW
    local = RESTORE_FLAGS
    try:
        args, given = _parse(argv, local)
        opts = {**(flags or {}), **given}
        if len(args) < 2 or args[0] != "snapshot" or args[1] not in ("status", "restore"):
            raise _Exit(f'unknown command "{" ".join(args[:2])}" for "etcdutl"' if args else
                        "no command given", EXIT_ERROR)
        sub, rest = args[1], args[2:]
        if len(rest) != 1:
            raise _Exit(f"snapshot {sub} requires exactly one argument", EXIT_BAD_ARGS)
        path = rest[0]
        host = resolve(path)
        if sub == "status":
            try:
                st = snapshot.status(host)
            except snapshot.SnapshotError as exc:
                raise _Exit(str(exc).replace(str(host), path), EXIT_ERROR) from None
            fmt = opts.get("write-out", "simple")
            if fmt == "table":
                return table(["Hash", "Revision", "Total Keys", "Total Size", "Version"], [st.row()]), "", 0
            if fmt == "json":
                return _dumps({"hash": st.hash, "revision": st.revision, "totalKey": st.total_keys,
                               "totalSize": st.total_size, "version": st.version}) + "\n", "", 0
            return ", ".join(st.row()) + "\n", "", 0
        data_dir = opts.get("data-dir") or f"{opts.get('name', 'default')}.etcd"
        host_dir = resolve(data_dir)
        if os.path.isdir(host_dir) and os.listdir(host_dir):
            raise _Exit(f'data-dir "{data_dir}" not empty or could not be read', EXIT_ERROR)
        try:
            store = snapshot.restore(host)
        except snapshot.SnapshotError as exc:
            raise _Exit(str(exc).replace(str(host), path), EXIT_ERROR) from None
        snapshot.write_data_dir(store, host_dir)
        stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        where = (f'{{"path": "{path}", "wal-dir": "{data_dir}/member/wal", "data-dir": "{data_dir}", '
                 f'"snap-dir": "{data_dir}/member/snap", "initial-memory-map-size": 10737418240}}')
        lines = [
            f"{stamp}\tinfo\tsnapshot/v3_snapshot.go:305\trestoring snapshot\t{where}",
            f"{stamp}\tinfo\tschema/membership.go:138\tTrimming membership information from the backend...",
            f'{stamp}\tinfo\tmembership/cluster.go:424\tadded member\t{{"cluster-id": "cdf818194e3a8c32", '
            f'"local-member-id": "0", "added-peer-id": "8e9e05c52164694d", "added-peer-peer-urls": '
            f'["http://localhost:2380"], "added-peer-is-learner": false}}',
            f"{stamp}\tinfo\tsnapshot/v3_snapshot.go:333\trestored snapshot\t{where}",
        ]
        return "", "".join(line + "\n" for line in lines), 0
    except _Exit as exc:
        return "", f"Error: {exc.message}\n", exc.code
