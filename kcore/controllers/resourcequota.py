"""ResourceQuota controller: report what each quota's namespace uses.

For every resource named in `spec.hard` the quota's status shows the limit (`status.hard`)
and the current total (`status.used`) — what `kubectl describe quota` prints as Used/Hard.
Totals are recomputed whenever a counted object in the namespace changes: pods (non-terminal
ones, with their summed requests and limits), services (and services.nodeports /
services.loadbalancers), configmaps, secrets, persistentvolumeclaims (and requests.storage),
and object counts `count/<resource>[.<group>]`. A quota with `scopes` or a `scopeSelector`
(Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass) counts only the pods
in its scope.

The arithmetic is the same function the ResourceQuota admission plugin uses to refuse a
request (`kcore.apiserver.admission.resource_quota.namespace_usage`), fed from this
controller's informers instead of the API server's lister, so the status and the refusal
can never disagree."""
from __future__ import annotations

from kcore.api import kinds
from kcore.apiserver.admission import resource_quota as usage
from kcore.controllers.base import Controller, key_of, split_key
from kcore.machinery import quantity

_POD_KEYS = ("pods", "count/pods", "cpu", "memory")


def _best_effort(pod: dict) -> bool:
    return not any((c.get("resources") or {}).get(k)
                   for c in (pod.get("spec") or {}).get("containers") or []
                   for k in ("requests", "limits"))


def _scope_matches(pod: dict, scope: str, operator: str = "Exists", values=()) -> bool:
    spec = pod.get("spec") or {}
    if scope == "Terminating":
        return spec.get("activeDeadlineSeconds") is not None
    if scope == "NotTerminating":
        return spec.get("activeDeadlineSeconds") is None
    if scope == "BestEffort":
        return _best_effort(pod)
    if scope == "NotBestEffort":
        return not _best_effort(pod)
    if scope == "PriorityClass":
        pc = spec.get("priorityClassName")
        return {"In": pc in values, "NotIn": pc not in values, "Exists": pc is not None,
                "DoesNotExist": pc is None}.get(operator, False)
    return True


def quota_selects(quota: dict, pod: dict) -> bool:
    """Whether a pod counts against a quota with spec.scopes / spec.scopeSelector."""
    spec = quota.get("spec") or {}
    if not all(_scope_matches(pod, s) for s in spec.get("scopes") or []):
        return False
    for e in (spec.get("scopeSelector") or {}).get("matchExpressions") or []:
        if not _scope_matches(pod, e.get("scopeName", ""), e.get("operator", "Exists"),
                              e.get("values") or ()):
            return False
    return True


class _Lister:
    """The `server.lister` face namespace_usage expects, backed by shared informers; pods are
    filtered by the quota's scopes."""

    def __init__(self, controller, quota):
        self.controller = controller
        self.quota = quota

    def list(self, plural, namespace):
        objs = self.controller.watched(plural).list(namespace)
        if plural == "pods":
            objs = [p for p in objs if quota_selects(self.quota, p)]
        return objs


class _Server:
    def __init__(self, controller, quota):
        self.lister = _Lister(controller, quota)


def _plural_for(resource: str) -> str | None:
    """`count/deployments.apps` -> "deployments" (None when no such resource is served)."""
    for plural, name in usage.COUNTED.items():
        if name == resource:
            return plural
    if resource.startswith("count/"):
        try:
            return kinds.lookup(resource[len("count/"):]).plural
        except kinds.UnknownResource:
            return None
    return None


class ResourceQuotaController(Controller):
    name = "resourcequota"
    component_name = "resourcequota-controller"

    def setup(self) -> None:
        self._watched: dict[str, object] = {}
        self.quotas = self.informer("resourcequotas")
        self.quotas.add_handler(lambda et, q, old: et != "DELETED" and self.enqueue(key_of(q)))
        for plural in ("pods", "services", "persistentvolumeclaims"):
            self.watched(plural)

    def watched(self, plural: str):
        inf = self._watched.get(plural)
        if inf is None:
            inf = self.informer(plural)
            self._watched[plural] = inf
            if plural != "resourcequotas":
                inf.add_handler(self._on_object, replay=False)
        return inf

    def _on_object(self, etype, obj, old) -> None:
        ns = obj["metadata"].get("namespace")
        if not ns:
            return
        for q in self.quotas.list(ns):
            self.enqueue(key_of(q))

    def _used(self, ns: str, hard: dict, quota: dict) -> dict:
        names = list(hard)
        for r in names:
            plural = _plural_for(r)
            if plural is not None:
                self.watched(plural)
        zero = quantity.parse("0")
        used = usage.namespace_usage(_Server(self, quota), ns, names)
        for r in names:
            if r.startswith("count/") and r not in usage.COUNTED.values():
                plural = _plural_for(r)
                used[r] = quantity.parse(str(len(self.watched(plural).list(ns)))) if plural else zero
            elif r in ("services.nodeports", "services.loadbalancers"):
                svcs = self.watched("services").list(ns)
                if r == "services.loadbalancers":
                    n = sum(1 for s in svcs if (s.get("spec") or {}).get("type") == "LoadBalancer")
                else:
                    n = sum(1 for s in svcs for p in (s.get("spec") or {}).get("ports") or []
                            if (s.get("spec") or {}).get("type") in ("NodePort", "LoadBalancer")
                            and p.get("nodePort") is not None)
                used[r] = quantity.parse(str(n))
            elif r not in used:
                used[r] = zero
        return {r: str(used[r]) for r in names}

    def reconcile(self, key: str):
        ns, name = split_key(key)
        q = self.quotas.get(ns, name)
        if q is None or q["metadata"].get("deletionTimestamp"):
            return None
        hard = dict((q.get("spec") or {}).get("hard") or {})
        st = {"hard": hard, "used": self._used(ns, hard, q)}
        if (q.get("status") or {}) != st:
            body = dict(q)
            body["status"] = st
            self.client.update_status("resourcequotas", ns, body)
        return None
