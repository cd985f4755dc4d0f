"""LimitRanger: a namespace's LimitRange fills in default requests and limits for containers
that set none, and refuses pods outside its min/max. (There are no defaults without one —
the old "0.5 CPU / 256Mi" figures came from a LimitRange.)"""
from __future__ import annotations

from kcore.apiserver import errors


def _q(v):
    from kcore.machinery import quantity
    return quantity.parse(str(v))


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
                    for c in spec.get("containers") or []:
                        res = c.get("resources") or {}
                        for rname, mx in (item.get("max") or {}).items():
                            lim = (res.get("limits") or {}).get(rname)
                            if lim is None:
                                problems.append(f"maximum {rname} usage per Container is {mx}.  No limit is specified")
                            elif _q(lim) > _q(mx):
                                problems.append(f"maximum {rname} usage per Container is {mx}, but limit is {lim}")
                        for rname, mn in (item.get("min") or {}).items():
                            rq = (res.get("requests") or {}).get(rname)
                            if rq is None:
                                problems.append(f"minimum {rname} usage per Container is {mn}.  No request is specified")
                            elif _q(rq) < _q(mn):
                                problems.append(f"minimum {rname} usage per Container is {mn}, but request is {rq}")
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
