"""kubeconfig files as kubeadm writes them into /etc/kubernetes.

One cluster (`kubernetes`), one user, one context named `<user>@kubernetes`, the current
context set, and the certificates embedded as base64 `*-data` fields. `to_yaml()` lays the
file out exactly like kubeadm's admin.conf: keys sorted, lists not indented under their key,
base64 never folded.

`kubeadm_kubeconfigs()` builds the five files of a control plane node: admin.conf
(kubernetes-admin in group kubeadm:cluster-admins), super-admin.conf (system:masters),
controller-manager.conf, scheduler.conf and kubelet.conf (system:node:<node>, system:nodes)."""
from __future__ import annotations

import base64
import datetime as _dt

import yaml

from kcore.pki.ca import BACKDATE, CA, ECDSA_P256, LEAF_DAYS, _utc
from kcore.pki.certs import issue

__all__ = ["kubeconfig", "to_yaml", "kubeadm_kubeconfigs", "KUBECONFIG_USERS", "b64"]


def b64(data) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


def kubeconfig(server: str, ca_pem: bytes, user: str, cert_pem: bytes, key_pem: bytes,
               cluster: str = "kubernetes") -> dict:
    context = f"{user}@{cluster}"
    return {
        "apiVersion": "v1",
        "clusters": [{"cluster": {"certificate-authority-data": b64(ca_pem), "server": server},
                      "name": cluster}],
        "contexts": [{"context": {"cluster": cluster, "user": user}, "name": context}],
        "current-context": context,
        "kind": "Config",
        "users": [{"name": user, "user": {"client-certificate-data": b64(cert_pem),
                                           "client-key-data": b64(key_pem)}}],
    }


class _Dumper(yaml.SafeDumper):
    pass


def to_yaml(config: dict) -> str:
    return yaml.dump(config, Dumper=_Dumper, default_flow_style=False, sort_keys=True,
                     width=1 << 30, allow_unicode=True)


# file name -> (user / CN, organizations); "{node}" is the node name
KUBECONFIG_USERS = {
    "admin.conf": ("kubernetes-admin", ("kubeadm:cluster-admins",)),
    "super-admin.conf": ("kubernetes-super-admin", ("system:masters",)),
    "controller-manager.conf": ("system:kube-controller-manager", ()),
    "scheduler.conf": ("system:kube-scheduler", ()),
    "kubelet.conf": ("system:node:{node}", ("system:nodes",)),
}


def kubeadm_kubeconfigs(ca: CA, server: str, node_name: str, now: _dt.datetime,
                        algorithm: str = ECDSA_P256, files=tuple(KUBECONFIG_USERS)) -> dict[str, str]:
    """The kubeconfig files `kubeadm init` writes, file name -> YAML text."""
    now = _utc(now)
    out = {}
    for fname in files:
        user, orgs = KUBECONFIG_USERS[fname]
        user = user.format(node=node_name)
        issued = issue(ca, user, orgs, (), ("client auth",), not_before=now - BACKDATE,
                       not_after=now + _dt.timedelta(days=LEAF_DAYS), label=f"{node_name}/{fname}",
                       algorithm=algorithm)
        out[fname] = to_yaml(kubeconfig(server, ca.cert_pem, user, issued.cert_pem, issued.key_pem))
    return out
