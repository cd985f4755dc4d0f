"""Deleting a namespace deletes everything in it.

A namespace being deleted is Terminating: the API refuses new content, and this controller
deletes every namespaced object in it, kind by kind, then clears the `kubernetes` finalizer
so the namespace itself goes away."""
from __future__ import annotations

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller


class NamespaceController(Controller):
    name = "namespace"
    component_name = "namespace-controller"

    def setup(self) -> None:
        self.namespaces = self.informer("namespaces")
        self.namespaces.add_handler(self._on)

    def _on(self, etype, ns, old) -> None:
        if etype != "DELETED" and ns["metadata"].get("deletionTimestamp"):
            self.enqueue(ns["metadata"]["name"])

    def reconcile(self, name: str):
        ns = self.namespaces.get(None, name) or self.client.try_get("namespaces", None, name)
        if ns is None or not ns["metadata"].get("deletionTimestamp"):
            return None
        from kcore.api import kinds
        left = 0
        for rt in kinds.ALL:
            if not rt.namespaced or "list" not in rt.verbs or "delete" not in rt.verbs:
                continue
            try:
                items = self.client.list(rt, name)["items"]
            except ApiError:
                continue
            for obj in items:
                left += 1
                if obj["metadata"].get("deletionTimestamp"):
                    continue
                try:
                    self.client.delete(rt, name, obj["metadata"]["name"])
                except ApiError:
                    pass
        if left:
            return 1.0
        try:
            self.client.api.finalize_namespace(name, user=self.client.user)
        except ApiError:
            pass
        return None
