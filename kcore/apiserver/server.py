"""The API server: every read and write in the cluster passes through here.

A request walks the same path as in kube-apiserver: authentication has already produced a
User; authorization asks the chain; for writes, the body is decoded strictly, defaulted,
run through mutating admission, validated, run through validating admission and written to
etcd with a compare-and-swap on the resourceVersion. Watchers hear about the change through
the loop, in revision order. A rejected request raises ApiError before the store is touched,
so it changes nothing.
"""
from __future__ import annotations

from kcore.machinery.objects import clone

from kcore.api import kinds as _kinds
from kcore.apiserver import errors
from kcore.apiserver import strategy
from kcore.apiserver.authn import ADMIN
from kcore.apiserver.authz import ALLOW, AlwaysAllow, Attributes, Chain, forbidden_detail
from kcore.apiserver.sharing import Interner
from kcore.apiserver.watch import WatchHub

from kcore.machinery.jsoncodec import dumps_compact as _dumps, loads as _loads


class AdmissionRequest:
    __slots__ = ("operation", "rt", "namespace", "name", "obj", "old", "user", "dry_run",
                 "subresource", "server")

    def __init__(self, operation, rt, namespace, name, obj, old, user, dry_run, subresource,
                 server):
        self.operation = operation
        self.rt = rt
        self.namespace = namespace
        self.name = name
        self.obj = obj
        self.old = old
        self.user = user
        self.dry_run = dry_run
        self.subresource = subresource
        self.server = server


class Lister:
    """Unauthorized reads straight from the store, for admission and authorizers.

    Objects are shared from a decode cache that holds the latest decoded revision of each
    key (so it is bounded by the number of objects, not of writes); the watch fan-out fills
    and reads the same cache. Callers must treat the objects as read-only."""

    def __init__(self, server: "APIServer"):
        self.server = server

    def _cached(self, kv):
        cache = self.server._decoded
        got = cache.get(kv.key)
        if got is not None and got[0] == kv.mod_revision:
            return got[1]
        obj = self.server.interner.share(kv.key, self.server._decode(kv),
                                         got[1] if got is not None else None)
        cache[kv.key] = (kv.mod_revision, obj)
        return obj

    def peek(self, kv):
        """The cached decoded object of exactly this revision, or None (no decoding)."""
        got = self.server._decoded.get(kv.key)
        return got[1] if got is not None and got[0] == kv.mod_revision else None

    def get(self, resource, namespace, name):
        rt = self.server.resolve(resource)
        kv = self.server.store.get(strategy.object_key(rt, namespace, name))
        return self._cached(kv) if kv else None

    def list(self, resource, namespace=None):
        rt = self.server.resolve(resource)
        prefix = strategy.list_prefix(rt, namespace if rt.namespaced else None)
        return [self._cached(kv) for kv in self.server.store.range(prefix)]


class APIServer:
    """The cluster's one API server. See docs/internals.md for the method contract."""

    def __init__(self, store, loop, *, authorizer=None, admission=None):
        self.store = store
        self.loop = loop
        self.authorizer = authorizer or Chain([AlwaysAllow()])
        self.lister = Lister(self)
        if admission is None:
            from kcore.apiserver.admission import default_plugins
            admission = default_plugins()
        self.admission = admission
        self._rt_cache: dict = {}
        self._decoded: dict = {}  # key -> (mod_revision, object), for read-only internal reads
        self.interner = Interner()  # equal parts of cached objects are shared
        self.hub = WatchHub(self)
        self.connectors: dict[str, object] = {}  # node name -> kubelet endpoint (logs, exec)
        self.available = True
        self.audit: list[dict] = []  # request trail for the RequestFlow widget
        self.trail_enabled = True
        self._writes_since_compact = 0
        self._compact_mark = 0          # the revision at the previous compaction tick

    # -- compaction -------------------------------------------------------------------------
    # kube-apiserver compacts etcd on a timer, each tick up to the revision it saw on the tick
    # before, so watchers always have one interval of history. Here the tick is a count of
    # writes (a big cluster's history would otherwise hold every revision of every object),
    # and it runs at once, inside the write that reaches the count: a burst (a DaemonSet's
    # 5,000 pods) must not pile up history while the loop is busy. The courses' small clusters
    # never reach it, so their etcd history stays whole.
    COMPACT_EVERY_WRITES = 5_000

    def note_write(self) -> None:
        """Called for every store event (by the watch hub)."""
        self._writes_since_compact += 1
        if self._writes_since_compact >= self.COMPACT_EVERY_WRITES:
            self._compact_tick()

    def _compact_tick(self) -> None:
        from kcore.etcd.store import EtcdError
        self._writes_since_compact = 0
        target, self._compact_mark = self._compact_mark, self.store.revision
        if target > self.store.compact_revision:
            try:
                self.store.compact(target)
            except EtcdError:
                pass

    # -- helpers ----------------------------------------------------------------------------
    def resolve(self, resource):
        if isinstance(resource, str):
            rt = self._rt_cache.get(resource)
            if rt is None:
                rt = self._rt_cache[resource] = _kinds.lookup(resource)
            return rt
        return resource

    def _decode(self, kv) -> dict:
        obj = _loads(kv.value)
        obj["metadata"]["resourceVersion"] = str(kv.mod_revision)
        return obj

    @staticmethod
    def _encode(obj: dict) -> bytes:
        md = obj.get("metadata")
        rv = md.pop("resourceVersion", None)
        try:
            return _dumps(obj)
        finally:
            if rv is not None:
                md["resourceVersion"] = rv

    def _trail(self, verb, rt, namespace, name, user):
        if self.trail_enabled:
            self.audit.append({"t": self.loop.now, "verb": verb, "resource": rt.plural,
                               "namespace": namespace or "", "name": name or "",
                               "user": user.name, "revision": self.store.revision})
            if len(self.audit) > 5000:
                del self.audit[:1000]

    def _check_available(self):
        if not self.available:
            raise errors.service_unavailable("the server is currently unable to handle the request")

    def authorize(self, user, verb, rt, namespace, name="", subresource=""):
        attrs = Attributes(user, verb, rt.group, rt.plural, subresource or "",
                           namespace or "", name or "")
        decision, _ = self.authorizer.authorize(attrs)
        if decision != ALLOW:
            raise errors.forbidden(rt, name, forbidden_detail(attrs))

    def can(self, user, verb, resource, namespace="", name="", subresource="", path="") -> bool:
        if path:
            attrs = Attributes(user, verb, path=path)
        else:
            rt = self.resolve(resource)
            attrs = Attributes(user, verb, rt.group, rt.plural, subresource, namespace or "",
                               name or "")
        return self.authorizer.authorize(attrs)[0] == ALLOW

    def _admit(self, req: AdmissionRequest, phase: str):
        for plugin in self.admission:
            fn = getattr(plugin, phase, None)
            if fn is not None:
                fn(req)

    def _ns(self, rt, namespace):
        if rt.namespaced:
            return namespace or "default"
        return ""

    # -- reads ------------------------------------------------------------------------------
    def get(self, resource, namespace, name, *, user=ADMIN, subresource=None):
        self._check_available()
        rt = self.resolve(resource)
        namespace = self._ns(rt, namespace)
        self.authorize(user, "get", rt, namespace, name, subresource or "")
        kv = self.store.get(strategy.object_key(rt, namespace, name))
        if kv is None:
            raise errors.not_found(rt, name)
        obj = self._decode(kv)
        if subresource == "scale":
            return self._scale_of(rt, obj)
        return obj

    def list(self, resource, namespace=None, *, label_selector="", field_selector="",
             user=ADMIN, limit=None, readonly=False):
        """A List of the objects. readonly=True shares decoded objects from a cache keyed by
        revision: much faster for printing, and the caller must not change them."""
        self._check_available()
        rt = self.resolve(resource)
        ns = namespace if rt.namespaced else None
        self.authorize(user, "list", rt, ns or "")
        match = self._matcher(rt, label_selector, field_selector)
        items = []
        decode = self.lister._cached if readonly else self._decode
        for kv in self.store.range(strategy.list_prefix(rt, ns)):
            obj = decode(kv)
            if match is None or match(obj):
                items.append(obj)
        return {"apiVersion": rt.api_version, "kind": rt.kind + "List",
                "metadata": {"resourceVersion": str(self.store.revision)}, "items": items}

    def _matcher(self, rt, label_selector, field_selector):
        if not label_selector and not field_selector:
            return None
        from kcore.machinery import labels
        lsel = None
        fsel = None
        if label_selector:
            try:
                lsel = labels.parse(label_selector)
            except ValueError as exc:
                raise errors.bad_request(f"unable to parse requirement: {exc}") from None
        if field_selector:
            try:
                fsel = labels.parse_field_selector(field_selector)
            except ValueError as exc:
                raise errors.bad_request(str(exc)) from None
            allowed = strategy.supported_fields(rt)
            for req_field in [t.field for t in fsel.terms]:
                if req_field not in allowed:
                    raise errors.bad_request(
                        f'Unable to find {{"{rt.group}" "{rt.version}" "{rt.plural}"}} that '
                        f'match label selector "{label_selector}", field selector '
                        f'"{field_selector}": field label not supported: {req_field}')

        def match(obj):
            if lsel is not None and not lsel.matches((obj.get("metadata") or {}).get("labels") or {}):
                return False
            if fsel is not None and not fsel.matches(lambda p: strategy.field_value(obj, p)):
                return False
            return True
        return match

    def watch(self, resource, namespace, callback, *, label_selector="", field_selector="",
              resource_version=None, user=ADMIN, send_initial=False):
        rt = self.resolve(resource)
        self.authorize(user, "watch", rt, namespace or "")
        match = self._matcher(rt, label_selector, field_selector)
        return self.hub.add(rt, namespace if rt.namespaced else None, callback, match,
                            field_selector=field_selector, send_initial=send_initial)

    # -- writes -----------------------------------------------------------------------------
    def create(self, resource, namespace, body, *, user=ADMIN, dry_run=False, subresource=None,
               name=None, field_validation="Strict"):
        self._check_available()
        rt = self.resolve(resource)
        if subresource:
            return self._create_subresource(rt, namespace, name, body, subresource, user, dry_run)
        if not isinstance(body, dict):
            raise errors.bad_request("the body of the request was in an unknown format")
        obj = clone(body)
        md = obj.setdefault("metadata", {})
        if not isinstance(md, dict):
            raise errors.bad_request(f'{rt.kind} in version "{rt.version}" cannot be handled as a {rt.kind}: '
                                     f'json: cannot unmarshal into Go struct field {rt.kind}.metadata of type v1.ObjectMeta')
        body_ns = md.get("namespace")
        if rt.namespaced:
            namespace = namespace or body_ns or "default"
            if body_ns and body_ns != namespace:
                raise errors.bad_request("the namespace of the provided object does not match "
                                         "the namespace sent on the request")
            md["namespace"] = namespace
        else:
            namespace = ""
            md.pop("namespace", None)
        obj["apiVersion"] = obj.get("apiVersion") or rt.api_version
        obj["kind"] = obj.get("kind") or rt.kind
        if field_validation == "Strict":
            self._strict_decode(rt, obj)
        if not md.get("name") and md.get("generateName"):
            # RetryGenerateName (GA in v1.32): a generated name that is taken is drawn again,
            # up to 8 times, instead of failing with AlreadyExists (10,000 replicas meet one)
            for _ in range(8):
                md["name"] = md["generateName"][:58] + self.loop.rand_suffix(5)
                if self.store.get(strategy.object_key(rt, namespace, md["name"])) is None:
                    break
        name = md.get("name", "")
        self.authorize(user, "create", rt, namespace, "")
        if not name:
            raise errors.invalid(rt, "", [_field_error("required", "metadata.name",
                                 detail="name or generateName is required")])
        self._defaults(obj)
        md["uid"] = self.loop.uid()
        md["creationTimestamp"] = self.loop.timestamp()
        md.pop("resourceVersion", None)
        md.pop("deletionTimestamp", None)
        md.pop("selfLink", None)
        if rt.plural in strategy.GENERATION_KINDS:
            md["generation"] = 1
        else:
            md.pop("generation", None)
        strategy.initial_status(rt, obj)
        strategy.prepare_create(rt, obj)
        if rt.plural == "services":
            self._allocate_service(rt, obj, None)
        req = AdmissionRequest("CREATE", rt, namespace, name, obj, None, user, dry_run, None, self)
        self._admit(req, "admit")
        self._validate(rt, obj, None)
        self._admit(req, "validate")
        key = strategy.object_key(rt, namespace, name)
        if self.store.get(key) is not None:
            raise errors.already_exists(rt, name)
        if dry_run:
            return obj
        ok, _ = self.store.txn([("version", key, "=", 0)], [("put", key, self._encode(obj))], [])
        if not ok:
            raise errors.already_exists(rt, name)
        md["resourceVersion"] = str(self.store.revision)
        self._trail("create", rt, namespace, name, user)
        self._after_write(req)
        return obj

    def update(self, resource, namespace, body, *, user=ADMIN, subresource=None, dry_run=False,
               field_validation="Strict", verb="update"):
        self._check_available()
        rt = self.resolve(resource)
        if not isinstance(body, dict) or not isinstance(body.get("metadata"), dict):
            raise errors.bad_request("the body of the request was in an unknown format")
        if subresource == "status" and field_validation != "Strict":
            # a status write keeps everything but .status from the stored object
            # (strategy.prepare_update): copy only the parts this request reads
            obj = dict(body)
            obj["metadata"] = dict(body["metadata"])
            if "status" in body:
                obj["status"] = clone(body["status"])
        else:
            obj = clone(body)
        md = obj["metadata"]
        namespace = self._ns(rt, namespace or md.get("namespace"))
        name = md.get("name", "")
        if subresource == "scale":
            return self._update_scale(rt, namespace, name, obj, user, dry_run)
        self.authorize(user, verb, rt, namespace, name, subresource or "")
        key = strategy.object_key(rt, namespace, name)
        kv = self.store.get(key)
        if kv is None:
            raise errors.not_found(rt, name)
        old = self._decode(kv)
        rv = md.get("resourceVersion")
        if rv and str(rv) != old["metadata"]["resourceVersion"]:
            raise errors.conflict(rt, name)
        if rt.namespaced:
            md["namespace"] = namespace
        obj.setdefault("apiVersion", rt.api_version)
        obj.setdefault("kind", rt.kind)
        if field_validation == "Strict":
            self._strict_decode(rt, obj)
        obj = strategy.prepare_update(rt, old, obj, subresource)
        md = obj["metadata"]
        # server-owned metadata
        for f in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"):
            if f in old["metadata"]:
                md[f] = old["metadata"][f]
            else:
                md.pop(f, None)
        if "generation" in old["metadata"]:
            md["generation"] = old["metadata"]["generation"]
            if subresource is None and strategy.spec_changed(rt, old, obj):
                md["generation"] += 1
        # a status write keeps the stored (already canonical) spec: only its status is new
        self._defaults(obj, ("status",) if subresource == "status" else None)
        if rt.plural == "services" and subresource is None:
            self._allocate_service(rt, obj, old)
        req = AdmissionRequest("UPDATE", rt, namespace, name, obj, old, user, dry_run,
                               subresource, self)
        if subresource is None:
            self._admit(req, "admit")
        if subresource is None:
            self._validate(rt, obj, old)
            self._admit(req, "validate")
        md["resourceVersion"] = old["metadata"]["resourceVersion"]
        if dry_run:
            return obj
        # finalizers gone on a deleting object: it leaves the store now
        if old["metadata"].get("deletionTimestamp") and not md.get("finalizers") and \
                not (rt.plural == "namespaces" and (obj.get("spec") or {}).get("finalizers")):
            if not (rt.plural == "pods" and old["metadata"].get("deletionGracePeriodSeconds")):
                self._remove(rt, namespace, name, key, kv.mod_revision, user)
                return obj
        data = self._encode(obj)
        if data == kv.value:
            return old  # no-op write: no new revision (as etcd3 GuaranteedUpdate)
        ok, _ = self.store.txn([("mod", key, "=", kv.mod_revision)], [("put", key, data)], [])
        if not ok:
            raise errors.conflict(rt, name)
        md["resourceVersion"] = str(self.store.revision)
        self._trail(verb if subresource is None else f"{verb}/{subresource}", rt, namespace, name, user)
        self._after_write(req)
        return obj

    def patch(self, resource, namespace, name, patch, *, patch_type="strategic", user=ADMIN,
              subresource=None, dry_run=False, field_validation="Strict"):
        self._check_available()
        rt = self.resolve(resource)
        namespace = self._ns(rt, namespace)
        self.authorize(user, "patch", rt, namespace, name, subresource or "")
        if subresource == "scale":
            current = self.get(rt, namespace, name, user=user, subresource="scale")
        else:
            current = self.get(rt, namespace, name, user=user)
        from kcore.machinery import patch as _patch
        try:
            if patch_type == "json":
                new = _patch.json_patch(current, patch)
            elif patch_type == "merge":
                new = _patch.merge_patch(current, patch)
            else:
                if isinstance(patch, list):
                    raise _patch.PatchError("json: cannot unmarshal array into Go value of type map[string]interface {}")
                new = _patch.strategic_merge_patch(current, patch, rt.kind)
        except _patch.PatchError as exc:
            raise errors.bad_request(str(exc)) from None
        except (TypeError, AttributeError, KeyError) as exc:
            raise errors.bad_request(f"unable to apply patch: {exc}") from None
        if not isinstance(new, dict) or not isinstance(new.get("metadata"), dict):
            raise errors.bad_request("the patch produced an object without metadata")
        new["metadata"].setdefault("resourceVersion", current["metadata"].get("resourceVersion"))
        if new["metadata"].get("name") != name:
            raise errors.bad_request("metadata.name: the name of the object does not match the "
                                     "name on the URL")
        if subresource == "scale":
            return self._update_scale(rt, namespace, name, new, user, dry_run)
        return self.update(rt, namespace, new, user=user, subresource=subresource,
                           dry_run=dry_run, field_validation=field_validation, verb="patch")

    def delete(self, resource, namespace, name, *, user=ADMIN, grace_period=None,
               propagation_policy=None, dry_run=False, preconditions=None):
        self._check_available()
        rt = self.resolve(resource)
        namespace = self._ns(rt, namespace)
        self.authorize(user, "delete", rt, namespace, name)
        key = strategy.object_key(rt, namespace, name)
        kv = self.store.get(key)
        if kv is None:
            raise errors.not_found(rt, name)
        obj = self._decode(kv)
        md = obj["metadata"]
        if preconditions and preconditions.get("uid") and preconditions["uid"] != md.get("uid"):
            raise errors.conflict(rt, name, f"Precondition failed: UID in precondition: "
                                  f"{preconditions['uid']}, UID in object meta: {md.get('uid')}")
        req = AdmissionRequest("DELETE", rt, namespace, name, None, obj, user, dry_run, None, self)
        self._admit(req, "validate")
        if dry_run:
            return obj
        finalizers = list(md.get("finalizers") or [])
        if propagation_policy == "Foreground" and "foregroundDeletion" not in finalizers:
            finalizers.append("foregroundDeletion")
        elif propagation_policy == "Orphan" and "orphan" not in finalizers:
            finalizers.append("orphan")
        graceful = False
        if rt.plural == "pods":
            if grace_period is None:
                grace_period = (obj.get("spec") or {}).get("terminationGracePeriodSeconds", 30)
            phase = (obj.get("status") or {}).get("phase")
            if grace_period > 0 and (obj.get("spec") or {}).get("nodeName") and \
                    phase not in ("Succeeded", "Failed"):
                graceful = True
        if rt.plural == "namespaces":
            if md.get("deletionTimestamp"):
                return obj
            md["deletionTimestamp"] = self.loop.timestamp()
            md["deletionGracePeriodSeconds"] = 0
            obj.setdefault("status", {})["phase"] = "Terminating"
            return self._put_existing(rt, namespace, name, key, kv, obj, user, "delete")
        if graceful:
            if md.get("deletionTimestamp"):
                # a second delete may shorten the grace period (force)
                if grace_period >= md.get("deletionGracePeriodSeconds", 30):
                    return obj
            md["deletionTimestamp"] = self.loop.timestamp(self.loop.now + grace_period)
            md["deletionGracePeriodSeconds"] = grace_period
            if finalizers:
                md["finalizers"] = finalizers
            return self._put_existing(rt, namespace, name, key, kv, obj, user, "delete")
        if finalizers:
            if not md.get("deletionTimestamp"):
                md["deletionTimestamp"] = self.loop.timestamp()
                md["deletionGracePeriodSeconds"] = 0
            md["finalizers"] = finalizers
            if rt.plural == "pods":
                md.pop("deletionGracePeriodSeconds", None)
                md["deletionGracePeriodSeconds"] = 0
            return self._put_existing(rt, namespace, name, key, kv, obj, user, "delete")
        self._remove(rt, namespace, name, key, kv.mod_revision, user)
        return obj

    def _put_existing(self, rt, namespace, name, key, kv, obj, user, verb):
        ok, _ = self.store.txn([("mod", key, "=", kv.mod_revision)],
                               [("put", key, self._encode(obj))], [])
        if not ok:
            raise errors.conflict(rt, name)
        obj["metadata"]["resourceVersion"] = str(self.store.revision)
        self._trail(verb, rt, namespace, name, user)
        return obj

    def _remove(self, rt, namespace, name, key, mod_revision, user):
        ok, _ = self.store.txn([("mod", key, "=", mod_revision)], [("delete", key)], [])
        if not ok:
            raise errors.conflict(rt, name)
        self._trail("delete", rt, namespace, name, user)

    def delete_collection(self, resource, namespace, *, label_selector="", field_selector="",
                          user=ADMIN, **kw):
        rt = self.resolve(resource)
        self.authorize(user, "deletecollection", rt, namespace or "")
        out = []
        for obj in self.list(rt, namespace, label_selector=label_selector,
                             field_selector=field_selector, user=user)["items"]:
            md = obj["metadata"]
            try:
                out.append(self.delete(rt, md.get("namespace"), md["name"], user=user, **kw))
            except errors.ApiError as exc:
                if exc.reason != "NotFound":
                    raise
        return out

    def record_event(self, namespace: str, event: dict, *, user=ADMIN) -> dict | None:
        """The events fast path: components' Events skip admission and full validation
        (as the event recorder's writes are cheap in Kubernetes); a repeat bumps `count`."""
        rt = self.resolve("events")
        self.authorize(user, "create", rt, namespace)
        md = event["metadata"]
        key = strategy.object_key(rt, namespace, md["name"])
        kv = self.store.get(key)
        if kv is not None:
            obj = self._decode(kv)
            obj["count"] = obj.get("count", 1) + 1
            obj["lastTimestamp"] = event.get("lastTimestamp")
            self.store.txn([("mod", key, "=", kv.mod_revision)], [("put", key, self._encode(obj))], [])
            return obj
        if self.store.get(strategy.object_key(self.resolve("namespaces"), "", namespace)) is None:
            return None
        md["namespace"] = namespace
        md["uid"] = self.loop.uid()
        md["creationTimestamp"] = self.loop.timestamp()
        self.store.put(key, self._encode(event))
        md["resourceVersion"] = str(self.store.revision)
        return event

    # -- pipeline pieces --------------------------------------------------------------------
    def _strict_decode(self, rt, obj):
        try:
            from kcore.api import schema
        except ImportError:
            return
        errs = schema.decode_errors(obj)
        if errs:
            from kcore.api.errors import strict_decoding_message
            raise errors.bad_request(strict_decoding_message(rt.kind, rt.api_version, errs))

    def _defaults(self, obj, written=None):
        try:
            from kcore.api import defaults
        except ImportError:
            return
        defaults.apply(obj, written)

    def _validate(self, rt, obj, old):
        try:
            from kcore.api import validation
        except ImportError:
            return
        errs = validation.validate(obj, old)
        if errs:
            raise errors.invalid(rt, obj["metadata"].get("name", ""), errs)

    def _allocate_service(self, rt, obj, old):
        """ClusterIP from 10.96.0.0/12 and node ports from 30000-32767, as the service REST does."""
        import ipaddress
        spec = obj.setdefault("spec", {})
        stype = spec.get("type", "ClusterIP")
        if stype != "ExternalName":
            self._check_ip_families(rt, obj)
        used_ips, used_ports = set(), set()
        if (stype != "ExternalName" and not spec.get("clusterIP")) or stype in ("NodePort", "LoadBalancer"):
            for svc in self.lister.list("services"):
                ss = svc.get("spec") or {}
                used_ips.add(ss.get("clusterIP"))
                used_ports.update(p.get("nodePort") for p in ss.get("ports") or [])
        if stype == "ExternalName":
            spec.pop("clusterIP", None)
        elif old is not None and (old.get("spec") or {}).get("clusterIP") and not spec.get("clusterIP"):
            spec["clusterIP"] = old["spec"]["clusterIP"]
            spec["clusterIPs"] = old["spec"].get("clusterIPs", [spec["clusterIP"]])
        elif not spec.get("clusterIP"):
            net = ipaddress.ip_network(getattr(self, "service_cidr", "10.96.0.0/12"))
            while True:
                ip = str(net.network_address + self.loop.random.randrange(11, net.num_addresses - 1))
                if ip not in used_ips:
                    break
            spec["clusterIP"] = ip
            spec["clusterIPs"] = [ip]
        elif spec.get("clusterIP") and "clusterIPs" not in spec:
            spec["clusterIPs"] = [spec["clusterIP"]]
        if stype in ("NodePort", "LoadBalancer"):
            old_ports = {(p.get("port"), p.get("protocol", "TCP")): p.get("nodePort")
                         for p in ((old or {}).get("spec") or {}).get("ports") or []}
            for port in spec.get("ports") or []:
                if port.get("nodePort"):
                    continue
                keep = old_ports.get((port.get("port"), port.get("protocol", "TCP")))
                if keep:
                    port["nodePort"] = keep
                    continue
                while True:
                    np = self.loop.random.randint(30000, 32767)
                    if np not in used_ports:
                        used_ports.add(np)
                        break
                port["nodePort"] = np

    def _check_ip_families(self, rt, obj) -> None:
        """kubeadm's service network is IPv4 only (single-stack): the service REST trims a
        PreferDualStack request to its first family, refuses RequireDualStack, and refuses
        any family it has no allocator for, with the same field errors."""
        from kcore.api.errors import invalid
        spec = obj["spec"]
        policy = spec.get("ipFamilyPolicy")
        if policy == "RequireDualStack":
            raise errors.invalid(rt, obj["metadata"].get("name", ""), [invalid(
                "spec.ipFamilyPolicy", policy, "this cluster is not configured for dual-stack services")])
        families = spec.get("ipFamilies") or []
        if policy == "PreferDualStack" and len(families) > 1:
            families = spec["ipFamilies"] = families[:1]
        errs = [invalid(f"spec.ipFamilies[{i}]", fam, "not configured on this cluster")
                for i, fam in enumerate(families) if fam != "IPv4"]
        if errs:
            raise errors.invalid(rt, obj["metadata"].get("name", ""), errs)

    def _after_write(self, req):
        for plugin in self.admission:
            fn = getattr(plugin, "after_write", None)
            if fn is not None:
                fn(req)

    # -- subresources -----------------------------------------------------------------------
    def _scale_of(self, rt, obj):
        if rt.plural not in strategy.SCALABLE:
            raise errors.status(404, "NotFound", "the server could not find the requested resource")
        md = obj["metadata"]
        sel = (obj.get("spec") or {}).get("selector") or {}
        if rt.plural == "replicationcontrollers":
            selector = ",".join(f"{k}={v}" for k, v in sorted(sel.items()))
        else:
            from kcore.machinery import labels
            selector = str(labels.from_label_selector(sel))
        return {"kind": "Scale", "apiVersion": "autoscaling/v1",
                "metadata": {"name": md["name"], "namespace": md.get("namespace"),
                             "uid": md.get("uid"), "resourceVersion": md.get("resourceVersion"),
                             "creationTimestamp": md.get("creationTimestamp")},
                "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 0)},
                "status": {"replicas": (obj.get("status") or {}).get("replicas", 0),
                           "selector": selector}}

    def _update_scale(self, rt, namespace, name, scale, user, dry_run):
        self.authorize(user, "update", rt, namespace, name, "scale")
        current = self.get(rt, namespace, name, user=user)
        if rt.plural not in strategy.SCALABLE:
            raise errors.status(404, "NotFound", "the server could not find the requested resource")
        replicas = (scale.get("spec") or {}).get("replicas")
        if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
            raise errors.invalid(rt, name, [_field_error("invalid", "spec.replicas", replicas,
                                 "must be greater than or equal to 0")])
        rv = (scale.get("metadata") or {}).get("resourceVersion")
        if rv and rv != current["metadata"]["resourceVersion"]:
            raise errors.conflict(rt, name)
        current["spec"]["replicas"] = replicas
        obj = self.update(rt, namespace, current, user=user, dry_run=dry_run,
                          field_validation="Ignore")
        return self._scale_of(rt, obj)

    def _create_subresource(self, rt, namespace, name, body, subresource, user, dry_run):
        namespace = self._ns(rt, namespace)
        if rt.plural == "pods" and subresource == "binding":
            return self._bind(namespace, name or body.get("metadata", {}).get("name"), body, user)
        if rt.plural == "pods" and subresource == "eviction":
            return self._evict(namespace, name, body, user, dry_run)
        raise errors.method_not_allowed()

    def _bind(self, namespace, name, binding, user):
        rt = self.resolve("pods")
        self.authorize(user, "create", rt, namespace, name, "binding")
        target = (binding.get("target") or {}).get("name", "")
        key = strategy.object_key(rt, namespace, name)
        kv = self.store.get(key)
        if kv is None:
            raise errors.not_found(rt, name)
        pod = self._decode(kv)
        if pod["metadata"].get("deletionTimestamp"):
            raise errors.conflict(rt, name, f"pod {name} is being deleted, cannot be assigned to a host")
        if (pod.get("spec") or {}).get("nodeName"):
            raise errors.conflict(rt, name, f'pod {name} is already assigned to node '
                                  f'"{pod["spec"]["nodeName"]}"')
        pod["spec"]["nodeName"] = target
        conds = [c for c in (pod.get("status") or {}).get("conditions") or []
                 if c.get("type") != "PodScheduled"]
        conds.append({"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                      "lastTransitionTime": self.loop.timestamp()})
        pod.setdefault("status", {})["conditions"] = conds
        pod["status"].pop("nominatedNodeName", None)
        ok, _ = self.store.txn([("mod", key, "=", kv.mod_revision)],
                               [("put", key, self._encode(pod))], [])
        if not ok:
            raise errors.conflict(rt, name)
        self._trail("create/binding", rt, namespace, name, user)
        return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}

    def _evict(self, namespace, name, eviction, user, dry_run):
        rt = self.resolve("pods")
        self.authorize(user, "create", rt, namespace, name, "eviction")
        pod = self.get(rt, namespace, name, user=ADMIN)
        from kcore.machinery import labels
        labels_ = pod["metadata"].get("labels") or {}
        phase = (pod.get("status") or {}).get("phase")
        if phase not in ("Succeeded", "Failed") and not pod["metadata"].get("deletionTimestamp"):
            for pdb in self.lister.list("poddisruptionbudgets", namespace):
                sel = labels.from_label_selector((pdb.get("spec") or {}).get("selector") or {})
                if sel.empty or not sel.matches(labels_):
                    continue
                allowed = (pdb.get("status") or {}).get("disruptionsAllowed", 0)
                if allowed <= 0:
                    raise errors.status(
                        429, "TooManyRequests",
                        "Cannot evict pod as it would violate the pod's disruption budget.",
                        causes=[{"reason": "DisruptionBudget",
                                 "message": f"The disruption budget {pdb['metadata']['name']} "
                                            f"needs {(pdb.get('status') or {}).get('desiredHealthy', 0)} "
                                            f"healthy pods and has "
                                            f"{(pdb.get('status') or {}).get('currentHealthy', 0)} currently"}])
                if not dry_run:
                    pdb = clone(pdb)
                    st = dict(pdb.get("status") or {})
                    st["disruptionsAllowed"] = allowed - 1
                    pdb["status"] = st
                    self.update("poddisruptionbudgets", namespace, pdb, subresource="status",
                                field_validation="Ignore")
        opts = (eviction.get("deleteOptions") or {})
        self.delete(rt, namespace, name, user=ADMIN, grace_period=opts.get("gracePeriodSeconds"),
                    dry_run=dry_run)
        return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                "code": 201}

    def finalize_namespace(self, name, *, user=ADMIN):
        """The namespaces/finalize subresource: clear spec.finalizers (namespace controller)."""
        rt = self.resolve("namespaces")
        key = strategy.object_key(rt, "", name)
        kv = self.store.get(key)
        if kv is None:
            raise errors.not_found(rt, name)
        ns = self._decode(kv)
        ns.setdefault("spec", {})["finalizers"] = []
        if ns["metadata"].get("deletionTimestamp") and not ns["metadata"].get("finalizers"):
            self._remove(rt, "", name, key, kv.mod_revision, user)
            return ns
        return self._put_existing(rt, "", name, key, kv, ns, user, "update/finalize")

    # -- connect (logs, exec): the API server proxies to the node's kubelet -----------------
    def connect(self, namespace, name, action, *, user=ADMIN, **options):
        rt = self.resolve("pods")
        sub = {"log": "log", "exec": "exec", "attach": "attach", "portforward": "portforward"}[action]
        self.authorize(user, "get" if sub == "log" else "create", rt, namespace, name, sub)
        pod = self.get(rt, namespace, name, user=ADMIN)
        node = (pod.get("spec") or {}).get("nodeName")
        endpoint = self.connectors.get(node) if node else None
        if endpoint is None:
            raise errors.bad_request(f'pod {name} does not have a host assigned' if not node else
                                     f'Get "https://{node}:10250/containerLogs/{namespace}/{name}": '
                                     f'dial tcp: connect: connection refused')
        return endpoint.connect(pod, action, **options)


def _field_error(kind, field, value=None, detail=""):
    from kcore.api import errors as field_errors
    return field_errors.FieldError({"required": field_errors.REQUIRED,
                                    "invalid": field_errors.INVALID}[kind], field, value, detail)
