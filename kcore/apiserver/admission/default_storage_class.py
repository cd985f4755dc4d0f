"""DefaultStorageClass: a claim that names no class gets the cluster's default class (the
one annotated storageclass.kubernetes.io/is-default-class: "true"), if there is one."""
from __future__ import annotations

ANNOTATION = "storageclass.kubernetes.io/is-default-class"


class DefaultStorageClass:
    name = "DefaultStorageClass"

    def admit(self, req):
        if req.operation != "CREATE" or req.rt.plural != "persistentvolumeclaims":
            return
        spec = req.obj.setdefault("spec", {})
        if "storageClassName" in spec:
            return
        defaults = [sc for sc in req.server.lister.list("storageclasses")
                    if (sc["metadata"].get("annotations") or {}).get(ANNOTATION) == "true"]
        if defaults:
            defaults.sort(key=lambda sc: (sc["metadata"].get("creationTimestamp", ""),
                                          sc["metadata"]["name"]))
            spec["storageClassName"] = defaults[-1]["metadata"]["name"]
