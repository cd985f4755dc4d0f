"""Every namespace gets the `kube-root-ca.crt` ConfigMap: the cluster CA for pods to trust."""
from __future__ import annotations

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller

NAME = "kube-root-ca.crt"


class RootCAPublisher(Controller):
    name = "root-ca-certificate-publisher"
    component_name = "root-ca-cert-publisher"

    def setup(self) -> None:
        self.namespaces = self.informer("namespaces")
        self.namespaces.add_handler(lambda et, ns, old: et != "DELETED" and
                                    self.enqueue(ns["metadata"]["name"]))
        self.ca = self.manager.options.get("root_ca", "")

    def reconcile(self, ns: str):
        namespace = self.namespaces.get(None, ns)
        if namespace is None or namespace["metadata"].get("deletionTimestamp"):
            return None
        if self.client.try_get("configmaps", ns, NAME) is not None:
            return None
        try:
            self.client.create("configmaps", ns, {
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": NAME, "annotations": {
                    "kubernetes.io/description": "Contains a CA bundle that can be used to verify "
                    "the kube-apiserver when using internal endpoints such as the internal service "
                    "IP or kubernetes.default.svc. No other usage is guaranteed across "
                    "distributions of Kubernetes clusters."}},
                "data": {"ca.crt": self.ca}})
        except ApiError as exc:
            if exc.reason != "AlreadyExists":
                raise
        return None
