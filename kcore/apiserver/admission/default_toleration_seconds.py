"""DefaultTolerationSeconds: pods tolerate not-ready and unreachable nodes for 300 s, then
the node lifecycle controller evicts them."""
from __future__ import annotations

DEFAULTS = (("node.kubernetes.io/not-ready", 300), ("node.kubernetes.io/unreachable", 300))


class DefaultTolerationSeconds:
    name = "DefaultTolerationSeconds"

    def admit(self, req):
        if req.operation != "CREATE" or req.rt.plural != "pods":
            return
        spec = req.obj.setdefault("spec", {})
        tols = spec.get("tolerations") or []
        for key, seconds in DEFAULTS:
            if any(_covers(t, key) for t in tols):
                continue
            tols.append({"key": key, "operator": "Exists", "effect": "NoExecute",
                         "tolerationSeconds": seconds})
        spec["tolerations"] = tols


def _covers(t: dict, key: str) -> bool:
    if t.get("effect") not in (None, "", "NoExecute"):
        return False
    if not t.get("key"):
        return t.get("operator") == "Exists"
    return t.get("key") == key
