"""kubectl config: read and edit the kubeconfig file (the controlplane's /root/.kube/config
unless --kubeconfig names another). The editing logic is kubeconfig.py's."""
from __future__ import annotations

import os

from kcore.cli.kubectl.flags import Flag

RAW_ARGS = True  # kubeconfig.config_command parses config's own flags


def run(ctx, rest):
    p = ctx.parsed
    from kcore.cli.kubectl import kubeconfig
    shown = p.get("kubeconfig") or os.environ.get("KCORE_KUBECONFIG") or "/root/.kube/config"
    if p.get("kubeconfig") and not shown.startswith("/"):
        host = os.path.abspath(shown)
    else:
        host = ctx.cluster.host_path(ctx.cluster.controlplane, shown)
    argv = _strip_globals(ctx.global_argv + list(rest))
    out, err, code = kubeconfig.config_command(argv, host)
    ctx.out(out, end="")
    if err:
        ctx.err(err, end="")
    return code


def _strip_globals(argv):
    out = []
    skip = False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in ("--kubeconfig",):
            skip = True
            continue
        if a.startswith("--kubeconfig="):
            continue
        out.append(a)
    return out
