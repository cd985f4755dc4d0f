"""The current cluster: the one every magic, widget and check acts on by default.

A notebook has one cluster in play at a time, the way a terminal has one kubeconfig context.
`scenarios.start()` makes it, `use(cluster)` sets it, `current()` returns it — creating a
default `kcore.Cluster()` the first time a learner types `%kubectl` without setting one up.

Views register here so that they can redraw after anything that may have changed the
cluster (a magic, a cell); `changed()` tells them."""
from __future__ import annotations

import weakref
from typing import Any

_current: Any = None
_views: "weakref.WeakSet[Any]" = weakref.WeakSet()


class NoCluster(RuntimeError):
    """Raised by current(create=False) when no cluster has been set."""


def use(cluster: Any) -> Any:
    """Make `cluster` the current cluster and return it."""
    global _current
    _current = cluster
    changed()
    return cluster


def current(create: bool = True) -> Any:
    """The current cluster; a default `kcore.Cluster()` is made (and kept) if none is set."""
    global _current
    if _current is None:
        if not create:
            raise NoCluster("no cluster is in use: start a scenario or call kcore.notebook.use(cluster)")
        from kcore import Cluster  # imported late: the engine is heavy and the layer is usable without it

        _current = Cluster()
    return _current


def resolve(cluster: Any = None) -> Any:
    """`cluster` if given, else the current cluster."""
    return cluster if cluster is not None else current()


def register_view(view: Any) -> None:
    """Ask for `view.refresh_if_changed()` to be called after anything that may change state."""
    _views.add(view)


def changed() -> None:
    """Tell live views the cluster may have changed; each redraws only if its picture did."""
    for view in list(_views):
        try:
            view.refresh_if_changed()
        except Exception:  # a broken view must never break the learner's command
            pass
