"""The only way a component reaches the API server.

A Client carries an identity and forwards calls; an Informer lists once, then watches, and
keeps a local cache keyed by namespace/name — the shared-informer pattern every controller,
the scheduler and the kubelets use, so that reads in a reconcile loop cost a dict lookup."""
from __future__ import annotations

from kcore.apiserver import ADMIN, ApiError

__all__ = ["ApiError", "Client", "Informer"]


class Client:
    def __init__(self, api, user=ADMIN, *, field_validation="Ignore"):
        self.api = api
        self.user = user
        self.field_validation = field_validation

    @property
    def loop(self):
        return self.api.loop

    def get(self, resource, namespace, name, **kw):
        return self.api.get(resource, namespace, name, user=self.user, **kw)

    def try_get(self, resource, namespace, name):
        try:
            return self.api.get(resource, namespace, name, user=self.user)
        except ApiError as exc:
            if exc.reason == "NotFound":
                return None
            raise

    def list(self, resource, namespace=None, **kw):
        return self.api.list(resource, namespace, user=self.user, **kw)

    def create(self, resource, namespace, body, **kw):
        kw.setdefault("field_validation", self.field_validation)
        return self.api.create(resource, namespace, body, user=self.user, **kw)

    def update(self, resource, namespace, body, **kw):
        kw.setdefault("field_validation", self.field_validation)
        return self.api.update(resource, namespace, body, user=self.user, **kw)

    def update_status(self, resource, namespace, body, **kw):
        kw.setdefault("field_validation", "Ignore")
        return self.api.update(resource, namespace, body, user=self.user, subresource="status", **kw)

    def patch(self, resource, namespace, name, patch, **kw):
        kw.setdefault("field_validation", self.field_validation)
        return self.api.patch(resource, namespace, name, patch, user=self.user, **kw)

    def delete(self, resource, namespace, name, **kw):
        return self.api.delete(resource, namespace, name, user=self.user, **kw)

    def delete_collection(self, resource, namespace, **kw):
        return self.api.delete_collection(resource, namespace, user=self.user, **kw)

    def watch(self, resource, namespace, callback, **kw):
        return self.api.watch(resource, namespace, callback, user=self.user, **kw)

    def bind(self, namespace, name, node):
        body = {"apiVersion": "v1", "kind": "Binding",
                "metadata": {"name": name, "namespace": namespace},
                "target": {"apiVersion": "v1", "kind": "Node", "name": node}}
        return self.api.create("pods", namespace, body, user=self.user, subresource="binding",
                               name=name)

    def evict(self, namespace, name, grace_period=None, dry_run=False):
        body = {"apiVersion": "policy/v1", "kind": "Eviction",
                "metadata": {"name": name, "namespace": namespace}}
        if grace_period is not None:
            body["deleteOptions"] = {"gracePeriodSeconds": grace_period}
        return self.api.create("pods", namespace, body, user=self.user, subresource="eviction",
                               name=name, dry_run=dry_run)

    def event(self, regarding: dict, reason: str, message: str, *, type_="Normal",
              component="", host="", action=""):
        """Record an Event about `regarding` (core/v1 Event, like client-go's recorder).

        Repeats of the same (object, reason, message) are counted on one Event, as the
        recorder's correlator does."""
        api = self.api
        md = regarding.get("metadata") or {}
        ns = md.get("namespace") or "default"
        key = (ns, regarding.get("kind"), md.get("name"), md.get("uid"), reason, message,
               component, host)
        cache = api.__dict__.setdefault("_event_cache", {})
        now = api.loop.timestamp()
        name = cache.get(key)
        if name is not None:
            ev = {"metadata": {"name": name}, "lastTimestamp": now}
            got = api.record_event(ns, ev, user=self.user)
            if got is not None and got.get("count", 1) > 1:
                return got
            cache.pop(key, None)
        # like client-go's recorder: <object>.<UnixNano in hex>, so names sort by time
        seq = api.__dict__.get("_event_seq", 0) + 1
        api._event_seq = seq
        name = f"{md.get('name', '')}.{int(api.loop.wall() * 1e9) + seq:x}"
        ev = {"apiVersion": "v1", "kind": "Event",
              "metadata": {"name": name, "namespace": ns},
              "involvedObject": {"kind": regarding.get("kind"), "namespace": md.get("namespace"),
                                 "name": md.get("name"), "uid": md.get("uid"),
                                 "apiVersion": regarding.get("apiVersion"),
                                 "resourceVersion": md.get("resourceVersion")},
              "reason": reason, "message": message,
              "source": {"component": component} | ({"host": host} if host else {}),
              "firstTimestamp": now, "lastTimestamp": now, "count": 1, "type": type_,
              "eventTime": None, "reportingComponent": component, "reportingInstance": host}
        if not md.get("namespace"):
            ev["involvedObject"].pop("namespace")
        if action:
            ev["action"] = action
        try:
            created = api.record_event(ns, ev, user=self.user)
        except ApiError:
            return None
        if created is not None:
            cache[key] = name
            if len(cache) > 50000:
                cache.clear()
        return created


class Informer:
    """A list+watch cache of one resource (optionally one namespace / field selector)."""

    def __init__(self, client: Client, resource, namespace=None, *, field_selector="",
                 label_selector=""):
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.store: dict[tuple[str, str], dict] = {}
        self.handlers = []
        self.synced_rv = 0
        lst = client.list(resource, namespace, field_selector=field_selector,
                          label_selector=label_selector)
        self.synced_rv = int(lst["metadata"]["resourceVersion"])
        for obj in lst["items"]:
            md = obj["metadata"]
            self.store[(md.get("namespace") or "", md["name"])] = obj
        self._cancel = client.watch(resource, namespace, self._on_event,
                                    field_selector=field_selector, label_selector=label_selector)

    def add_handler(self, fn, *, replay=True):
        """fn(event_type, obj, old) for every change; replay existing objects as ADDED."""
        self.handlers.append(fn)
        if replay:
            for obj in list(self.store.values()):
                fn("ADDED", obj, None)

    def _on_event(self, etype, obj):
        md = obj["metadata"]
        if int(md.get("resourceVersion") or 0) <= self.synced_rv:
            return
        key = (md.get("namespace") or "", md["name"])
        old = self.store.get(key)
        if etype == "DELETED":
            self.store.pop(key, None)
        else:
            self.store[key] = obj
        for fn in self.handlers:
            fn(etype, obj, old)

    def get(self, namespace, name):
        return self.store.get((namespace or "", name))

    def list(self, namespace=None):
        if namespace is None:
            return list(self.store.values())
        return [o for (ns, _), o in self.store.items() if ns == namespace]

    def stop(self):
        self._cancel()
