"""kcore in Jupyter: magics, the current cluster, widgets, scenarios, grading and hints.

    %load_ext kcore.notebook                       # registers %kubectl, %%kubectl, %ssh, ...
    from kcore.notebook import scenarios, use, current, hint
    lab = scenarios.start("ch02-taints")           # a cluster in a known state, now current

The layer reads and changes the cluster only through its public contract — `kubectl()`,
`ssh()`, `advance()` and, for two widgets, `scheduler_explain()` and `trail()` — so the same
views and checks work against any object that honours it (tests use a fake)."""
from __future__ import annotations

from typing import Any

from kcore.notebook.hints import hint
from kcore.notebook.magics import advance, kubectl, ssh
from kcore.notebook.session import NoCluster, current, use

__all__ = ["use", "current", "NoCluster", "kubectl", "ssh", "advance", "hint", "load_ipython_extension"]


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext kcore.notebook`: register the magics and live-view redraws."""
    from kcore.notebook import magics

    magics.load(ipython)
