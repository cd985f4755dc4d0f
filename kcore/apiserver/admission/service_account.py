"""ServiceAccount: every pod runs as a service account (`default` unless it says otherwise),
which must exist, and gets the projected API token volume mounted in each container."""
from __future__ import annotations

from kcore.apiserver import errors

MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"


class ServiceAccount:
    name = "ServiceAccount"

    def admit(self, req):
        if req.operation != "CREATE" or req.rt.plural != "pods":
            return
        pod = req.obj
        md = pod["metadata"]
        spec = pod.setdefault("spec", {})
        if "kubernetes.io/config.mirror" in (md.get("annotations") or {}):
            return
        sa_name = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
        spec["serviceAccountName"] = sa_name
        sa = req.server.lister.get("serviceaccounts", req.namespace, sa_name)
        if sa is None:
            if sa_name == "default":
                # the serviceaccount controller has not created it yet (real: retry later)
                raise errors.forbidden(req.rt, md.get("name", ""),
                                       f"error looking up service account {req.namespace}/{sa_name}: "
                                       f'serviceaccount "{sa_name}" not found')
            raise errors.forbidden(req.rt, md.get("name", ""),
                                   f"error looking up service account {req.namespace}/{sa_name}: "
                                   f'serviceaccount "{sa_name}" not found')
        automount = spec.get("automountServiceAccountToken")
        if automount is None:
            automount = sa.get("automountServiceAccountToken", True)
        if automount is False:
            return
        containers = (spec.get("initContainers") or []) + (spec.get("containers") or [])
        if any(m.get("mountPath") == MOUNT for c in containers for m in c.get("volumeMounts") or []):
            return
        vol_name = "kube-api-access-" + req.server.loop.rand_suffix(5)
        spec.setdefault("volumes", []).append({
            "name": vol_name,
            "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt",
                               "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1",
                                                         "fieldPath": "metadata.namespace"},
                                            "path": "namespace"}]}}]}})
        for c in containers:
            c.setdefault("volumeMounts", []).append(
                {"name": vol_name, "readOnly": True, "mountPath": MOUNT})
