"""Priority: a pod's priorityClassName becomes spec.priority (and preemptionPolicy); the
global default class applies when none is named."""
from __future__ import annotations

from kcore.apiserver import errors

SYSTEM = {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}


class Priority:
    name = "Priority"

    def admit(self, req):
        if req.operation != "CREATE" or req.rt.plural != "pods":
            return
        spec = req.obj.setdefault("spec", {})
        name = spec.get("priorityClassName")
        pc = None
        if name:
            pc = req.server.lister.get("priorityclasses", "", name)
            if pc is None and name in SYSTEM:
                pc = {"value": SYSTEM[name], "preemptionPolicy": "PreemptLowerPriority"}
            if pc is None:
                raise errors.forbidden(req.rt, req.obj["metadata"].get("name", ""),
                                       f"no PriorityClass with name {name} was found")
        else:
            for c in req.server.lister.list("priorityclasses"):
                if c.get("globalDefault"):
                    pc, spec["priorityClassName"] = c, c["metadata"]["name"]
                    break
        if pc is None:
            spec.setdefault("priority", 0)
            spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
            return
        spec["priority"] = pc.get("value", 0)
        spec["preemptionPolicy"] = pc.get("preemptionPolicy", "PreemptLowerPriority")
