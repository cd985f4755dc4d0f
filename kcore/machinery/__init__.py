"""Pure helpers with no cluster state: the bits of k8s.io/apimachinery that everything else uses.

    quantity  resource quantities ("250m", "1.5Gi") parsed and printed exactly
    labels    label and field selectors, label validation
    names     DNS-1123 / DNS-1035 / qualified-name rules with apimachinery's messages
    duration  kubectl's AGE (HumanDuration)
    patch     JSON patch, merge patch, strategic merge patch, kubectl apply's three-way merge
    jsonpath  kubectl -o jsonpath templates

Nothing is imported eagerly: `from kcore.machinery import labels` loads just that module,
and `kcore.machinery.quantity` works after `import kcore.machinery` through __getattr__."""
from __future__ import annotations

import importlib

_SUBMODULES = frozenset({"quantity", "labels", "names", "duration", "patch", "jsonpath"})

__all__ = sorted(_SUBMODULES)


def __getattr__(name: str):
    if not name.startswith("_"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
