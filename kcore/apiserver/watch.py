"""Watch fan-out: one etcd watch on /registry, many API watchers.

Each store event is decoded once (through the server's revision-keyed decode cache, which
also serves the previous revision of a modified object) and handed to the watchers of its
resource through the loop, in revision order. A watcher with a label or field selector sees an object ADDED when
it starts to match and DELETED when it stops, as with a real watch cache. Pods watched by
`spec.nodeName=<node>` (every kubelet) are indexed by node, so a write reaches only the
kubelet it concerns. Delivered objects are shared between watchers: never mutate them."""
from __future__ import annotations


from kcore.apiserver import strategy

from kcore.machinery.jsoncodec import loads as _loads


class Watcher:
    __slots__ = ("rt", "namespace", "callback", "match", "node", "active")

    def __init__(self, rt, namespace, callback, match, node):
        self.rt = rt
        self.namespace = namespace
        self.callback = callback
        self.match = match
        self.node = node
        self.active = True


class WatchHub:
    def __init__(self, server):
        self.server = server
        self._lister = server.lister
        self.loop = server.loop
        self.by_prefix: dict[str, object] = {}
        self.watchers: dict[str, list[Watcher]] = {}  # plural -> watchers without node index
        self.node_watchers: dict[str, list[Watcher]] = {}  # node -> pod watchers
        self._pending: list = []
        self._scheduled = False
        self._cancel = server.store.watch("/registry/", self._on_store_event)

    def _rt_for_key(self, key: str):
        parts = key.split("/", 4)  # ['', 'registry', a, b, rest]
        if len(parts) >= 4:
            rt = self.by_prefix.get("/".join(parts[:4]))
            if rt is not None:
                return rt
        return self.by_prefix.get("/".join(parts[:3]))

    def add(self, rt, namespace, callback, match, *, field_selector="", send_initial=False):
        self.by_prefix.setdefault(strategy.key_prefix(rt), rt)
        node = None
        if rt.plural == "pods" and field_selector.startswith("spec.nodeName=") and \
                "," not in field_selector:
            node = field_selector.split("=", 1)[1]
            match = None
        w = Watcher(rt, namespace, callback, match, node)
        if node is not None:
            self.node_watchers.setdefault(node, []).append(w)
        else:
            self.watchers.setdefault(rt.plural, []).append(w)
        if send_initial:
            for kv in self.server.store.range(strategy.list_prefix(rt, namespace)):
                obj = self.server._decode(kv)
                if self._visible(w, obj):
                    self.loop.call_soon(self._deliver_one, w, "ADDED", obj)

        def cancel():
            w.active = False
            lst = self.node_watchers.get(node) if node is not None else self.watchers.get(rt.plural)
            if lst and w in lst:
                lst.remove(w)
        return cancel

    def _deliver_one(self, w, etype, obj):
        if w.active:
            w.callback(etype, obj)

    def _visible(self, w, obj) -> bool:
        if w.namespace and obj["metadata"].get("namespace") != w.namespace:
            return False
        if w.node is not None:
            return (obj.get("spec") or {}).get("nodeName") == w.node
        return w.match is None or w.match(obj)

    def _on_store_event(self, ev) -> None:
        self.server.note_write()
        rt = self._rt_for_key(ev.kv.key if ev.kv is not None else ev.prev_kv.key)
        if rt is None:
            return
        if not self.watchers.get(rt.plural) and not (rt.plural == "pods" and self.node_watchers):
            return
        self._pending.append((rt, ev))
        if not self._scheduled:
            self._scheduled = True
            self.loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._scheduled = False
        pending, self._pending = self._pending, []
        for rt, ev in pending:
            self._dispatch(rt, ev)

    def _dispatch(self, rt, ev) -> None:
        if ev.type == "DELETE":
            old = _loads(ev.prev_kv.value)
            old["metadata"]["resourceVersion"] = str(ev.kv.mod_revision if ev.kv else ev.prev_kv.mod_revision)
            new = None
        else:
            # the previous revision is usually still in the server's decode cache (it was the
            # last event's new object): look it up before the new one replaces it
            old = None
            if ev.prev_kv is not None:
                old = self._lister.peek(ev.prev_kv)
                if old is None:
                    old = _loads(ev.prev_kv.value)
                    old["metadata"]["resourceVersion"] = str(ev.prev_kv.mod_revision)
            new = self._lister._cached(ev.kv)
        for w in list(self.watchers.get(rt.plural, ())):
            self._send(w, old, new)
        if rt.plural == "pods" and self.node_watchers:
            nodes = set()
            for o in (old, new):
                if o is not None:
                    n = (o.get("spec") or {}).get("nodeName")
                    if n:
                        nodes.add(n)
            for n in sorted(nodes):
                for w in list(self.node_watchers.get(n, ())):
                    self._send(w, old, new)

    def _send(self, w, old, new):
        if not w.active:
            return
        was = old is not None and self._visible(w, old)
        now = new is not None and self._visible(w, new)
        if now and was:
            w.callback("MODIFIED", new)
        elif now:
            w.callback("ADDED", new)
        elif was:
            gone = old if new is None else new
            w.callback("DELETED", gone)
