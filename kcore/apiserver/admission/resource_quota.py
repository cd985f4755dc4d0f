"""ResourceQuota: a namespace's quotas cap what may be created in it. The request is refused
with the quota's name and the requested/used/limited figures when it would go over, or when
a quota tracks a resource the pod does not declare."""
from __future__ import annotations

from kcore.apiserver import errors

COUNTED = {"pods": "pods", "services": "services", "configmaps": "configmaps",
           "secrets": "secrets", "persistentvolumeclaims": "persistentvolumeclaims",
           "replicationcontrollers": "replicationcontrollers",
           "resourcequotas": "resourcequotas", "deployments": "count/deployments.apps",
           "replicasets": "count/replicasets.apps", "jobs": "count/jobs.batch",
           "cronjobs": "count/cronjobs.batch", "statefulsets": "count/statefulsets.apps",
           "daemonsets": "count/daemonsets.apps", "serviceaccounts": "count/serviceaccounts"}


def _q(v):
    from kcore.machinery import quantity
    return quantity.parse(str(v))


def pod_usage(pod: dict) -> dict:
    """What one pod counts against a quota: pods=1 and its summed requests/limits."""
    from kcore.machinery import quantity
    use = {"pods": quantity.parse("1"), "count/pods": quantity.parse("1")}
    spec = pod.get("spec") or {}
    for c in spec.get("containers") or []:
        res = c.get("resources") or {}
        for kind in ("requests", "limits"):
            for rname, v in (res.get(kind) or {}).items():
                key = f"{kind}.{rname}"
                use[key] = use[key] + _q(v) if key in use else _q(v)
                if kind == "requests" and rname in ("cpu", "memory"):
                    use[rname] = use[rname] + _q(v) if rname in use else _q(v)
    return use


def _terminal(pod):
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def namespace_usage(server, namespace: str, resources) -> dict:
    from kcore.machinery import quantity
    used = {r: quantity.parse("0") for r in resources}
    if any(r in used for r in ("pods", "count/pods", "cpu", "memory") or
           r.startswith(("requests.", "limits.")) for r in resources):
        for pod in server.lister.list("pods", namespace):
            if _terminal(pod):
                continue
            for k, v in pod_usage(pod).items():
                if k in used:
                    used[k] = used[k] + v
    for plural, name in COUNTED.items():
        if plural != "pods" and name in used:
            used[name] = quantity.parse(str(len(server.lister.list(plural, namespace))))
    if "requests.storage" in used:
        for pvc in server.lister.list("persistentvolumeclaims", namespace):
            st = (((pvc.get("spec") or {}).get("resources") or {}).get("requests") or {}).get("storage")
            if st:
                used["requests.storage"] = used["requests.storage"] + _q(st)
    return used


class ResourceQuota:
    name = "ResourceQuota"

    def validate(self, req):
        if req.operation != "CREATE" or not req.rt.namespaced:
            return
        quotas = req.server.lister.list("resourcequotas", req.namespace)
        if not quotas:
            return
        from kcore.machinery import quantity
        if req.rt.plural == "pods":
            requested = pod_usage(req.obj)
        else:
            requested = {}
            key = COUNTED.get(req.rt.plural)
            if key:
                requested[key] = quantity.parse("1")
            if req.rt.plural == "persistentvolumeclaims":
                st = (((req.obj.get("spec") or {}).get("resources") or {}).get("requests") or {}).get("storage")
                if st:
                    requested["requests.storage"] = _q(st)
        name = req.obj["metadata"].get("name", "")
        for q in sorted(quotas, key=lambda o: o["metadata"]["name"]):
            hard = (q.get("spec") or {}).get("hard") or {}
            if req.rt.plural == "pods":
                missing = [r for r in hard if r.startswith(("requests.", "limits.")) and
                           r not in ("requests.storage",) and
                           any(r not in pod_usage({"spec": {"containers": [c]}})
                               for c in (req.obj.get("spec") or {}).get("containers") or [])]
                if missing:
                    cnames = ",".join(c.get("name", "") for c in (req.obj.get("spec") or {}).get("containers") or [])
                    detail = "; ".join(f"{r} for: {cnames}" for r in sorted(missing))
                    raise errors.forbidden(req.rt, name,
                                           f"failed quota: {q['metadata']['name']}: must specify {detail}")
            relevant = sorted(r for r in hard if r in requested)
            if not relevant:
                continue
            used = namespace_usage(req.server, req.namespace, relevant)
            over = [r for r in relevant if used[r] + requested[r] > _q(hard[r])]
            if over:
                fmt = lambda d: ",".join(f"{r}={d[r]}" for r in over)
                raise errors.forbidden(
                    req.rt, name,
                    f"exceeded quota: {q['metadata']['name']}, requested: {fmt(requested)}, "
                    f"used: {fmt(used)}, limited: {','.join(f'{r}={hard[r]}' for r in over)}")
