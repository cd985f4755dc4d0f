"""kubectl edit needs an interactive editor, which a notebook cell does not have."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError

FLAGS = []
RAW_ARGS = True


def run(ctx, rest):
    raise KubectlError("kubectl edit opens an interactive editor, which a notebook cannot "
                       "provide. Do what edit does in two steps: `kubectl get TYPE NAME -o yaml "
                       "> x.yaml`, change x.yaml, then `kubectl apply -f x.yaml` (or `kubectl "
                       "replace --force -f x.yaml` for fields that cannot change in place); "
                       "small changes also work with `kubectl patch`, `kubectl set` or "
                       "`kubectl scale`.")
