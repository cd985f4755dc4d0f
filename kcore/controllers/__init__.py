"""kube-controller-manager: one module per controller (see manager.py)."""
