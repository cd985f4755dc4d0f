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
    target = sh.cluster.store if getattr(sh.cluster, "etcd_running", True) else None
    out, err, code = run(target if target is not None else sh.cluster.store, words[1:],
                         dict(sh.env), resolve=sh.host, etcd_ca_pem=ca, now=_now(sh))
    return Out(out, err, code)


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
