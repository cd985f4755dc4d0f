"""kcore: a compact, deterministic, in-process Kubernetes for learning cluster administration.

    import kcore
    c = kcore.Cluster()
    print(c.kubectl("get nodes"))
"""
from kcore.apiserver import ApiError
from kcore.cluster import Cluster

import kcore.cli  # noqa: E402,F401  registers the kubectl and node-shell front ends

__version__ = "0.1.0"
__all__ = ["ApiError", "Cluster", "__version__"]
