"""Every namespace gets a `default` ServiceAccount, and gets it back if it is deleted."""
from __future__ import annotations

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller


class ServiceAccountController(Controller):
    name = "serviceaccount"
    component_name = "service-account-controller"

    def setup(self) -> None:
        self.namespaces = self.informer("namespaces")
        self.accounts = self.informer("serviceaccounts")
        self.namespaces.add_handler(lambda et, ns, old: et != "DELETED" and
                                    self.enqueue(ns["metadata"]["name"]))
        self.accounts.add_handler(lambda et, sa, old: et == "DELETED" and
                                  sa["metadata"]["name"] == "default" and
                                  self.enqueue(sa["metadata"]["namespace"]))

    def reconcile(self, ns: str):
        namespace = self.namespaces.get(None, ns)
        if namespace is None or namespace["metadata"].get("deletionTimestamp"):
            return None
        if self.accounts.get(ns, "default") is not None:
            return None
        try:
            self.client.create("serviceaccounts", ns, {"apiVersion": "v1", "kind": "ServiceAccount",
                                                       "metadata": {"name": "default"}})
        except ApiError as exc:
            if exc.reason != "AlreadyExists":
                raise
        return None
