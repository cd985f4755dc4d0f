"""LimitRanger: a namespace's LimitRange fills in default requests and limits for containers
that set none, and refuses pods outside its min/max/maxLimitRequestRatio -- per Container
(init containers too) and, for `type: Pod` items, for the pod's summed requests and limits.
(There are no defaults without one — the old "0.5 CPU / 256Mi" figures came from a LimitRange.)"""
from __future__ import annotations

from kcore.apiserver import errors


def _q(v):
    from kcore.machinery import quantity
    return v if isinstance(v, quantity.Quantity) else quantity.parse(str(v))


class LimitRanger:
    name = "LimitRanger"

    def _ranges(self, req):
        return [lr for lr in req.server.lister.list("limitranges", req.namespace)]

    def admit(self, req):
        if req.operation != "CREATE" or req.rt.plural != "pods":
            return
        ranges = self._ranges(req)
        if not ranges:
            return
        spec = req.obj.setdefault("spec", {})
        for lr in ranges:
            for item in (lr.get("spec") or {}).get("limits") or []:
                if item.get("type") != "Container":
                    continue
                for c in (spec.get("containers") or []) + (spec.get("initContainers") or []):
                    res = c.setdefault("resources", {})
                    for rname, val in (item.get("default") or {}).items():
                        lim = res.setdefault("limits", {})
                        lim.setdefault(rname, val)
                    for rname, val in (item.get("defaultRequest") or {}).items():
                        r = res.setdefault("requests", {})
                        r.setdefault(rname, val)
                    # a limit without a request: request = limit (API defaulting order)
                    for rname, val in (res.get("limits") or {}).items():
                        if rname not in (item.get("defaultRequest") or {}):
                            res.setdefault("requests", {}).setdefault(rname, val)
        notes = []
        for c in spec.get("containers") or []:
            set_req, set_lim = [], []
            for lr in ranges:
                for item in (lr.get("spec") or {}).get("limits") or []:
                    if item.get("type") != "Container":
                        continue
                    set_req += [r for r in (item.get("defaultRequest") or {}) if r not in set_req]
                    set_lim += [r for r in (item.get("default") or {}) if r not in set_lim]
            if set_req:
                notes.append(f"{', '.join(sorted(set_req))} request for container {c.get('name', '')}")
            if set_lim:
                notes.append(f"{', '.join(sorted(set_lim))} limit for container {c.get('name', '')}")
        if notes:
            ann = req.obj["metadata"].setdefault("annotations", {})
            ann["kubernetes.io/limit-ranger"] = "LimitRanger plugin set: " + "; ".join(notes)

    def validate(self, req):
        if req.operation != "CREATE" or req.rt.plural not in ("pods", "persistentvolumeclaims"):
            return
        ranges = self._ranges(req)
        if not ranges:
            return
        problems = []
        spec = req.obj.get("spec") or {}
        for lr in ranges:
            for item in (lr.get("spec") or {}).get("limits") or []:
                if item.get("type") == "Container" and req.rt.plural == "pods":
                    for c in (spec.get("containers") or []) + (spec.get("initContainers") or []):
                        res = c.get("resources") or {}
                        problems += _constraints("Container", item, res.get("requests") or {},
                                                 res.get("limits") or {})
                if item.get("type") == "Pod" and req.rt.plural == "pods":
                    problems += _constraints("Pod", item, _pod_total(spec, "requests"),
                                             _pod_total(spec, "limits"))
                if item.get("type") == "PersistentVolumeClaim" and req.rt.plural == "persistentvolumeclaims":
                    st = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
                    mx = (item.get("max") or {}).get("storage")
                    mn = (item.get("min") or {}).get("storage")
                    if st is not None and mx is not None and _q(st) > _q(mx):
                        problems.append(f"maximum storage usage per PersistentVolumeClaim is {mx}, but request is {st}")
                    if st is not None and mn is not None and _q(st) < _q(mn):
                        problems.append(f"minimum storage usage per PersistentVolumeClaim is {mn}, but request is {st}")
        if problems:
            detail = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
            raise errors.forbidden(req.rt, req.obj["metadata"].get("name", ""), detail)


def _constraints(kind: str, item: dict, requests: dict, limits: dict) -> list[str]:
    """minConstraint, maxConstraint and limitRequestRatioConstraint of the Go plugin, for one
    LimitRange item against one container's (or the whole pod's) requests and limits."""
    out = []
    for rname, mn in (item.get("min") or {}).items():
        rq, lim = requests.get(rname), limits.get(rname)
        if rq is None:
            out.append(f"minimum {rname} usage per {kind} is {_s(mn)}.  No request is specified")
        elif _q(rq) < _q(mn):
            out.append(f"minimum {rname} usage per {kind} is {_s(mn)}, but request is {_s(rq)}")
        elif lim is not None and _q(lim) < _q(mn):
            out.append(f"minimum {rname} usage per {kind} is {_s(mn)}, but limit is {_s(lim)}")
    for rname, mx in (item.get("max") or {}).items():
        rq, lim = requests.get(rname), limits.get(rname)
        if lim is None:
            out.append(f"maximum {rname} usage per {kind} is {_s(mx)}.  No limit is specified")
        elif _q(lim) > _q(mx):
            out.append(f"maximum {rname} usage per {kind} is {_s(mx)}, but limit is {_s(lim)}")
        elif rq is not None and _q(rq) > _q(mx):
            out.append(f"maximum {rname} usage per {kind} is {_s(mx)}, but request is {_s(rq)}")
    for rname, ratio in (item.get("maxLimitRequestRatio") or {}).items():
        rq, lim = requests.get(rname), limits.get(rname)
        head = f"{rname} max limit to request ratio per {kind} is {_s(ratio)}"
        if rq is None or _q(rq).milli_value() == 0:
            out.append(f"{head}, but no request is specified or request is 0")
        elif lim is None or _q(lim).milli_value() == 0:
            out.append(f"{head}, but no limit is specified or limit is 0")
        else:
            observed = _q(lim).milli_value() / _q(rq).milli_value()
            if observed * 1000 > _q(ratio).milli_value():
                out.append(f"{head}, but provided ratio is {observed:f}")
    return out


def _pod_total(spec: dict, which: str) -> dict:
    """The pod's requests or limits as the plugin sums them: every app container added up,
    then each resource raised to the largest single init container's value."""
    total = {}
    for c in spec.get("containers") or []:
        for rname, v in ((c.get("resources") or {}).get(which) or {}).items():
            total[rname] = _q(v) if rname not in total else total[rname] + _q(v)
    for c in spec.get("initContainers") or []:
        for rname, v in ((c.get("resources") or {}).get(which) or {}).items():
            if rname not in total or _q(v) > total[rname]:
                total[rname] = _q(v)
    return total


def _s(v) -> str:
    """A quantity as Quantity.String() prints it (canonical)."""
    return str(_q(v))
