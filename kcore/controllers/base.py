"""The controller pattern: watch, queue keys, reconcile level-triggered.

A controller never trusts the event that woke it: the event only says *which* object to look
at (a `namespace/name` key on the work queue); reconcile(key) re-reads the world from the
informer caches and makes one step toward the desired state through the API. Keys are
de-duplicated while queued, so a burst of events costs one reconcile. A reconcile may ask to
be called again later (return seconds), which is how timeouts and backoffs are modelled.
"""
from __future__ import annotations

from kcore.apiserver import ApiError


def key_of(obj: dict) -> str:
    md = obj["metadata"]
    ns = md.get("namespace")
    return f"{ns}/{md['name']}" if ns else md["name"]


def split_key(key: str) -> tuple[str | None, str]:
    if "/" in key:
        ns, name = key.split("/", 1)
        return ns, name
    return None, key


def controller_of(obj: dict) -> dict | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def owner_ref(owner: dict, *, controller: bool = True, block: bool = True) -> dict:
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"],
            "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"],
            "controller": controller, "blockOwnerDeletion": block}


class Controller:
    """Base class: subclasses set `name`, implement setup() (register handlers) and reconcile()."""

    name = "controller"

    def __init__(self, manager):
        self.manager = manager
        self.client = manager.client
        self.loop = manager.loop
        self._queued: set[str] = set()
        self._timers: dict[str, object] = {}
        self.running = True

    # informers are shared across controllers
    def informer(self, resource):
        return self.manager.informer(resource)

    def setup(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def reconcile(self, key: str):  # pragma: no cover - abstract
        raise NotImplementedError

    # -- the work queue ---------------------------------------------------------------------
    def enqueue(self, key: str) -> None:
        if not self.running or key in self._queued:
            return
        self._queued.add(key)
        self.loop.call_soon(self._process, key)

    def enqueue_after(self, key: str, seconds: float, *, background: bool = False) -> None:
        old = self._timers.pop(key, None)
        if old is not None:
            old.cancel()
        self._timers[key] = self.loop.call_later(seconds, self._fire, key, background=background)

    def _fire(self, key: str) -> None:
        self._timers.pop(key, None)
        self.enqueue(key)

    def _process(self, key: str) -> None:
        self._queued.discard(key)
        if not self.running:
            return
        try:
            again = self.reconcile(key)
        except ApiError as exc:
            if exc.reason in ("Conflict", "NotFound", "AlreadyExists"):
                self.enqueue_after(key, 0.1)  # re-read and retry: optimistic concurrency
                return
            if exc.reason == "ServiceUnavailable":
                self.enqueue_after(key, 5, background=True)
                return
            self.manager.errors.append((self.name, key, exc.message))
            return
        if again:
            self.enqueue_after(key, float(again))

    def stop(self) -> None:
        self.running = False
        for t in self._timers.values():
            t.cancel()
        self._timers.clear()

    # -- helpers ----------------------------------------------------------------------------
    def event(self, obj: dict, reason: str, message: str, type_: str = "Normal",
              component: str | None = None) -> None:
        self.client.event(obj, reason, message, type_=type_,
                          component=component or self.component_name)

    component_name = "controller-manager"

    def enqueue_owner(self, obj: dict, kind: str) -> None:
        ref = controller_of(obj)
        if ref is not None and ref.get("kind") == kind:
            ns = obj["metadata"].get("namespace")
            self.enqueue(f"{ns}/{ref['name']}" if ns else ref["name"])
