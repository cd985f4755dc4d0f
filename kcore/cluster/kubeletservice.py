"""The kubelet as systemd runs it: it reads its files when it starts, and may not get far.

`systemctl start|restart kubelet` starts the node's kubelet only after the checks the real
binary makes on the way up, in its order: `/var/lib/kubelet/config.yaml` must exist, parse and
be a `kubelet.config.k8s.io/v1beta1` `KubeletConfiguration`; the client CA file it names must
exist; `/etc/kubernetes/kubelet.conf` must exist. A failure is fatal: the kubelet logs
`"command failed" err=…` and exits 1, systemd shows `activating (auto-restart)` and retries
every 10 s (RestartSec=10), so fixing the file is enough — no restart needed.

A kubeconfig whose server is not the API server's address does not stop the kubelet: it runs,
cannot reach the API (`dial tcp …: connect: connection refused`) and posts nothing, so the
node goes Unknown after the node monitor's grace period, as in a troubleshooting lab.
"""
from __future__ import annotations

import os

import yaml

CONFIG = "/var/lib/kubelet/config.yaml"
KUBECONFIG = "/etc/kubernetes/kubelet.conf"
BOOTSTRAP = "/etc/kubernetes/bootstrap-kubelet.conf"
CONFIG_GV = "kubelet.config.k8s.io/v1beta1"
RESTART_SEC = 10.0
SCHEME = "pkg/kubelet/apis/config/scheme/scheme.go:33"


def _read(cluster, node: str, path: str) -> str | None:
    try:
        with open(cluster.host_path(node, path), encoding="utf-8") as f:
            return f.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _config_error(cluster, node: str) -> str | None:
    """Why the kubelet cannot start with this node's files, as its fatal error; None if it can."""
    text = _read(cluster, node, CONFIG)
    load = (f"failed to load kubelet config file, path: {CONFIG}, error: failed to load Kubelet "
            f"config file {CONFIG}, error ")
    if text is None:
        return (load + f'failed to read kubelet config file \\"{CONFIG}\\", error: open {CONFIG}: '
                "no such file or directory")
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        return load + f"failed to decode: yaml: {line}{getattr(exc, 'problem', None) or 'invalid YAML'}"
    if not isinstance(doc, dict):
        return load + "failed to decode: Object 'Kind' is missing in '" + text.strip()[:60] + "'"
    gv, kind = str(doc.get("apiVersion") or ""), str(doc.get("kind") or "")
    if gv != CONFIG_GV or kind != "KubeletConfiguration":
        return (load + f'failed to decode: no kind \\"{kind}\\" is registered for version '
                f'\\"{gv}\\" in scheme \\"{SCHEME}\\"')
    ca = (((doc.get("authentication") or {}).get("x509") or {}).get("clientCAFile"))
    if ca and _read(cluster, node, str(ca)) is None:
        return (f"failed to construct kubelet dependencies: unable to load client CA file {ca}: "
                f"open {ca}: no such file or directory")
    if _read(cluster, node, KUBECONFIG) is None and _read(cluster, node, BOOTSTRAP) is None:
        return (f"failed to run Kubelet: unable to load bootstrap kubeconfig: stat {BOOTSTRAP}: "
                "no such file or directory")
    return None


def _api_error(cluster, node: str) -> str | None:
    """Why the running kubelet cannot reach the API server through its kubeconfig, or None."""
    from kcore.cluster.bootstrap import node_ip
    text = _read(cluster, node, KUBECONFIG)
    if text is None:
        return None
    try:
        doc = yaml.safe_load(text) or {}
        server = str(((doc.get("clusters") or [{}])[0].get("cluster") or {}).get("server") or "")
    except (yaml.YAMLError, AttributeError, IndexError):
        return None
    cp = cluster.controlplane
    want = f"https://{node_ip(cluster, cp)}:6443"
    if not server or server.rstrip("/") in (want, "https://control-plane.kubernetes.internal:6443"):
        return None
    hostport = server.split("://", 1)[-1].split("/", 1)[0]
    host = hostport.rsplit(":", 1)[0]
    why = "connect: connection refused" if host == node_ip(cluster, cp) else "connect: no route to host"
    lease = (f"{server.rstrip('/')}/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/"
             f"{node}?timeout=10s")
    return (f'"Failed to ensure lease exists, will retry" err="Get \\"{lease}\\": '
            f'dial tcp {hostport}: {why}" interval="7s"')


def start(cluster, kl, node: str) -> None:
    """systemctl start: run the kubelet if its files let it, else fail and auto-restart."""
    _cancel_retry(kl)
    err = _config_error(cluster, node)
    if err is not None:
        _fail(cluster, kl, node, err)
        return
    kl.failed = None
    kl.start()
    kl.started_at = cluster.loop.now
    api = _api_error(cluster, node)
    if api is not None:
        # the process runs but talks to nothing: no heartbeats, no status
        kl.journal(api)
        kl.stop(quiet=True)
        kl.unreachable = api
    else:
        kl.unreachable = None


def stop(cluster, kl) -> None:
    _cancel_retry(kl)
    kl.failed = None
    kl.unreachable = None
    kl.stop()
    kl.stopped_at = cluster.loop.now


def _fail(cluster, kl, node: str, err: str) -> None:
    if kl.running:
        kl.stop()
    kl.failed = err
    kl.failed_at = cluster.loop.now
    kl.journal(f'"command failed" err="{err}"')
    kl.journal("kubelet.service: Main process exited, code=exited, status=1/FAILURE")
    kl.journal("kubelet.service: Failed with result 'exit-code'.")
    kl.retry = cluster.loop.call_later(RESTART_SEC, _auto_restart, cluster, kl, node, background=True)


def _auto_restart(cluster, kl, node: str) -> None:
    kl.retry = None
    if not kl.failed:
        return
    kl.restarts += 1
    kl.journal(f"kubelet.service: Scheduled restart job, restart counter is at {kl.restarts}.")
    kl.journal("Started kubelet.service - kubelet: The Kubernetes Node Agent.")
    start(cluster, kl, node)


def _cancel_retry(kl) -> None:
    if kl.retry is not None:
        kl.retry.cancel()
    kl.retry = None
