"""Cluster networking: kube-proxy service routing, CoreDNS, network policies, ingress."""
