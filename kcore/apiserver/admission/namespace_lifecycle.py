"""NamespaceLifecycle: nothing is created in a namespace that does not exist or is going away,
and the system namespaces cannot be deleted."""
from __future__ import annotations

from kcore.apiserver import errors

IMMORTAL = ("default", "kube-system", "kube-public")


class NamespaceLifecycle:
    name = "NamespaceLifecycle"

    def admit(self, req):
        """Checked first, before any other plugin looks into the namespace."""
        if req.operation == "CREATE":
            self.validate(req)

    def validate(self, req):
        if req.operation == "DELETE" and req.rt.plural == "namespaces" and req.name in IMMORTAL:
            raise errors.forbidden(req.rt, req.name, "this namespace may not be deleted")
        if req.operation != "CREATE" or not req.rt.namespaced:
            return
        ns = req.server.lister.get("namespaces", "", req.namespace)
        if ns is None:
            raise errors.status(404, "NotFound", f'namespaces "{req.namespace}" not found',
                                name=req.namespace, kind="namespaces")
        if (ns.get("status") or {}).get("phase") == "Terminating" and req.rt.plural != "events":
            raise errors.forbidden(req.rt, req.name,
                                   f"unable to create new content in namespace {req.namespace} "
                                   "because it is being terminated")
