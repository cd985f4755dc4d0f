"""etcdctl, etcdutl and openssl on a node, wired to the cluster's etcd and files."""
from __future__ import annotations

import datetime as _dt
import os

from kcore.cli.nodeshell import Out, register_external


def _now(sh):
    return _dt.datetime.fromtimestamp(int(sh.cluster.loop.wall()), tz=_dt.timezone.utc)


def _env(words):
    return dict(getattr(words, "env", {}) or {})


@register_external("etcdctl")
def etcdctl(sh, words, stdin):
    from kcore.cli.etcdctl import etcdctl as run
    if sh.node != sh.cluster.controlplane:
        return Out("", "etcdctl: command not found\n", 127)
    ca_host = sh.cluster.host_path(sh.cluster.controlplane, "/etc/kubernetes/pki/etcd/ca.crt")
    ca = open(ca_host, "rb").read() if os.path.exists(ca_host) else None
    out, err, code = run(_etcd_member(sh), words[1:],
                         dict(sh.env), resolve=sh.host, etcd_ca_pem=ca, now=_now(sh))
    return Out(out, err, code)


def _etcd_member(sh):
    """The control plane's one-member etcd, at the address its static pod advertises
    (etcd.yaml's --advertise-client-urls; the node's IP on a kubeadm cluster)."""
    import re
    from kcore.cluster.bootstrap import node_ip
    from kcore.etcd.members import Cluster as EtcdCluster
    cp = sh.cluster.controlplane
    ip = node_ip(sh.cluster, cp)
    try:
        with open(sh.cluster.host_path(cp, "/etc/kubernetes/manifests/etcd.yaml"), encoding="utf-8") as f:
            m = re.search(r"--advertise-client-urls=https?://([0-9.]+):", f.read())
        if m:
            ip = m.group(1)
    except OSError:
        pass
    return EtcdCluster.single(sh.cluster.store, name=cp, ip=ip)


@register_external("etcdutl")
def etcdutl(sh, words, stdin):
    from kcore.cli.etcdctl import etcdutl as run
    if sh.node != sh.cluster.controlplane:
        return Out("", "etcdutl: command not found\n", 127)
    out, err, code = run(words[1:], dict(sh.env), resolve=sh.host, now=_now(sh))
    return Out(out, err, code)


@register_external("openssl")
def openssl(sh, words, stdin):
    from kcore.cli.openssl import openssl as run
    out, err, code = run(words[1:], dict(sh.env), resolve=sh.host, stdin=stdin,
                         seed=str(sh.cluster.seed), now=_now(sh))
    return Out(out, err, code)


def _curl_silent(args) -> bool:
    """-s (--silent) hides curl's error message unless -S (--show-error) asks for it back."""
    short = "".join(a[1:] for a in args if a.startswith("-") and not a.startswith("--"))
    silent = "s" in short or "--silent" in args
    return silent and not ("S" in short or "--show-error" in args)


@register_external("curl")
@register_external("wget")
def http_client(sh, words, stdin):
    """curl / wget from the node itself (host network): NodePorts, pod IPs, ClusterIPs."""
    from kcore.kubelet.images.shell import _split_url
    prog, args = words[0], words[1:]
    urls = [a for a in args if not a.startswith("-") and ":" not in a[:1] and not a.lower().startswith("host:")]
    if not urls:
        return Out("", f"{prog}: no URL specified!\n" if prog == "curl" else "wget: missing URL\n", 2 if prog == "curl" else 1)
    host_header = ""
    for i, a in enumerate(args):
        if a in ("-H", "--header") and i + 1 < len(args) and args[i + 1].lower().startswith("host:"):
            host_header = args[i + 1].split(":", 1)[1].strip()
    host, port, path = _split_url(urls[-1])
    if host in ("localhost", "127.0.0.1"):
        from kcore.cluster import bootstrap
        host = bootstrap.node_ip(sh.cluster, sh.node)
    is_ip = host.count(".") == 3 and all(x.isdigit() for x in host.split("."))
    try:
        if not is_ip:  # the node's resolver does not know cluster names
            raise type("NetError", (Exception,), {"kind": "resolve"})()
        status, body = sh.cluster.network.request(None, sh.node, host, port, path, host_header=host_header)
    except Exception as exc:  # noqa: BLE001 - the network's NetError
        kind = getattr(exc, "kind", "timeout")
        if prog == "curl":
            msg = {"resolve": f"curl: (6) Could not resolve host: {host}",
                   "refused": f"curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server",
                   "timeout": f"curl: (28) Failed to connect to {host} port {port} after 2001 ms: Timeout was reached"}[kind]
            code = {"resolve": 6, "refused": 7, "timeout": 28}[kind]
            return Out("", "" if _curl_silent(args) else msg + "\n", code)
        return Out("", {"resolve": f"wget: unable to resolve host address '{host}'",
                        "refused": f"failed: Connection refused.",
                        "timeout": "failed: Connection timed out."}[kind] + "\n", 4)
    if prog == "curl" and ("-I" in args or "--head" in args):
        return Out(f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\nServer: nginx\r\n\r\n")
    if prog == "wget" and status >= 400:
        return Out("", f"ERROR {status}: Not Found.\n", 8)
    return Out(body)


@register_external("kubelet")
def kubelet_binary(sh, words, stdin):
    pk = sh.cluster.__dict__.get("_packages", {}).get(sh.node)
    version = "v" + pk["kubelet"]["version"] if pk else sh.cluster.version
    if "--version" in words:
        return Out(f"Kubernetes {version}\n")
    return Out("", "E0101 00:00:00.000000  999 run.go:72] \"command failed\" err=\"failed to run Kubelet: "
               "listen tcp 0.0.0.0:10250: bind: address already in use\"\n", 1)
