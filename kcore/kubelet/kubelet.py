"""The kubelet: one per node. It registers the node, keeps its Lease fresh, runs the pods bound
to it and reports their status.

It watches only its own pods (`spec.nodeName=<node>`), hands each to a PodWorker, and writes
status through the API at most once per loop tick per pod. Heartbeats renew the node's Lease
in kube-node-lease every 10 s; the node lifecycle controller reads that Lease, so a stopped
kubelet (`systemctl stop kubelet`) shows up as NotReady after the 40 s grace period."""
from __future__ import annotations

import ipaddress
import os

from kcore.apiserver import ApiError
from kcore.client import Client, Informer
from kcore.kubelet.podworker import PodWorker
from kcore.kubelet.probes import Prober
from kcore.kubelet.runtime import Runtime
from kcore.kubelet.status import pod_status

LEASE_SECONDS = 40
HEARTBEAT = 10.0
STATUS_REPORT = 60.0


class Kubelet:
    sandbox_seconds = 0.2

    def __init__(self, node_name: str, api, *, user, node_ip: str, pod_cidr: str,
                 capacity: dict, labels: dict | None = None, taints: list | None = None,
                 version: str = "v1.35.0", root: str | None = None, host_path=None,
                 cni_required: bool = True):
        self.node_name = node_name
        self.api = api
        self.loop = api.loop
        self.client = Client(api, user)
        self.node_ip = node_ip
        self.pod_cidr = pod_cidr
        self.capacity = dict(capacity)
        self.allocatable = self._allocatable(capacity)
        self.labels = dict(labels or {})
        self.taints = list(taints or [])
        self.version = version
        self.root = root
        self.host_path = host_path or (lambda p: p)
        self.cni_required = cni_required
        self.runtime = Runtime(node_name, self.loop)
        self.probes = Prober(self)
        self.workers: dict[str, PodWorker] = {}
        self._dirty: dict[str, PodWorker] = {}
        self._flush_scheduled = False
        self._ip_next = 2
        self._ips_free: list[str] = []
        self.running = False
        self.informer: Informer | None = None
        self._heartbeat = None
        self.log: list[tuple[float, str]] = []  # journalctl -u kubelet
        # the systemd service around it (kcore.cluster.kubeletservice): a fatal start error,
        # an API server it cannot reach, the pending auto-restart and systemd's restart counter
        self.failed: str | None = None
        self.unreachable: str | None = None
        self.retry = None
        self.restarts = 0
        self.static = None  # static pod source, set by the cluster

    @staticmethod
    def _allocatable(capacity: dict) -> dict:
        from kcore.machinery import quantity
        alloc = dict(capacity)
        mem = capacity.get("memory")
        if mem:
            ki = quantity.parse(mem).value() // 1024 - 100 * 1024  # evictionHard 100Mi
            alloc["memory"] = f"{max(ki, 0)}Ki"
        disk = capacity.get("ephemeral-storage")
        if disk:
            # evictionHard nodefs.available<10%: capacity minus a tenth, which Go's Quantity
            # arithmetic leaves in decimal SI (plain bytes unless a multiple of 1000)
            total = quantity.parse(disk).value()
            alloc["ephemeral-storage"] = str(quantity.parse(str(total - int(total * 0.1))))
        return alloc

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        if self.running:
            return
        self.running = True
        self.journal("Started kubelet: The Kubernetes Node Agent.")
        self._register()
        self.informer = Informer(self.client, "pods", field_selector=f"spec.nodeName={self.node_name}")
        self.informer.add_handler(self._on_pod)
        self._heartbeat = self.loop.call_soon(self._beat)
        if self.static is not None:
            self.static.start()

    def stop(self, quiet: bool = False) -> None:
        """systemctl stop kubelet: no heartbeats, no status; containers keep running.
        (quiet: the process lives on but reaches no API server, so nothing is logged.)"""
        if not self.running:
            return
        self.running = False
        if not quiet:
            self.journal("Stopping kubelet: The Kubernetes Node Agent...")
        if self.informer is not None:
            self.informer.stop()
            self.informer = None
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        if self.static is not None:
            self.static.stop()

    def reconcile_workers(self) -> None:
        """After a re-list: stop workers whose pods no longer exist in the API."""
        if self.informer is None:
            return
        live = {o["metadata"]["uid"] for o in self.informer.list()}
        for uid, w in list(self.workers.items()):
            if getattr(w, "static", False) or uid in live:
                continue
            w.terminate(0)
            w.stop()
            self.workers.pop(uid, None)
            self._release_ip(w)

    def step(self, component: str, action: str, pod) -> None:
        """A step that never reaches the API (sandbox, pulls, starts), for the request trail."""
        api = self.api
        if getattr(api, "trail_enabled", False):
            md = pod["metadata"]
            api.audit.append({"t": self.loop.now, "component": f"{component}/{self.node_name}",
                              "action": action,
                              "object": f"pod/{md.get('namespace')}/{md.get('name')}"})

    def journal(self, line: str) -> None:
        self.log.append((self.loop.now, line))

    # -- node registration and heartbeat ----------------------------------------------------
    def node_conditions(self) -> list[dict]:
        now = self.loop.timestamp()
        ready = self.network_ready()
        prev = {}
        node = self.client.try_get("nodes", None, self.node_name)
        if node is not None:
            prev = {c["type"]: c for c in (node.get("status") or {}).get("conditions") or []}

        def c(type_, status, reason, message):
            p = prev.get(type_)
            since = p["lastTransitionTime"] if p is not None and p.get("status") == status else now
            return {"type": type_, "status": status, "lastHeartbeatTime": now,
                    "lastTransitionTime": since, "reason": reason, "message": message}
        return [
            c("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            c("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            c("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            c("Ready", "True", "KubeletReady", "kubelet is posting ready status") if ready else
            c("Ready", "False", "KubeletNotReady",
              "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
              "message:Network plugin returns error: cni plugin not initialized"),
        ]

    def network_ready(self) -> bool:
        if not self.cni_required:
            return True
        d = self.host_path("/etc/cni/net.d")
        try:
            return any(f.endswith((".conf", ".conflist", ".json")) for f in os.listdir(d))
        except OSError:
            return False

    def node_status(self) -> dict:
        return {
            "capacity": dict(self.capacity), "allocatable": dict(self.allocatable),
            "conditions": self.node_conditions(),
            "addresses": [{"address": self.node_ip, "type": "InternalIP"},
                          {"address": self.node_name, "type": "Hostname"}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {"architecture": "amd64", "bootID": self._id("boot"),
                         "containerRuntimeVersion": "containerd://1.7.28",
                         "kernelVersion": "6.8.0-88-generic", "kubeProxyVersion": "",
                         "kubeletVersion": self.version, "machineID": self._id("machine")[:32],
                         "operatingSystem": "linux", "osImage": "Ubuntu 24.04.3 LTS",
                         "systemUUID": self._id("system")},
        }

    def _id(self, what: str) -> str:
        import hashlib
        h = hashlib.sha256(f"{self.node_name}/{what}".encode()).hexdigest()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

    def _register(self) -> None:
        existing = self.client.try_get("nodes", None, self.node_name)
        if existing is None:
            node = {"apiVersion": "v1", "kind": "Node",
                    "metadata": {"name": self.node_name, "labels": dict(self.labels),
                                 "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                                                 "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
                    "spec": {"podCIDR": self.pod_cidr, "podCIDRs": [self.pod_cidr]}}
            if self.taints:
                node["spec"]["taints"] = list(self.taints)
            self.client.create("nodes", None, node)
            self.journal(f'"Successfully registered node" node="{self.node_name}"')
        self._post_status(force=True)
        self._renew_lease()

    def _post_status(self, force: bool = False) -> None:
        node = self.client.try_get("nodes", None, self.node_name)
        if node is None:
            return
        st = dict(node.get("status") or {})
        st.update(self.node_status())
        st["images"] = [{"names": [v["ref"].full, v["id"] and f"{v['ref'].repository}@{v['id']}"],
                         "sizeBytes": v["size"]} for v in self.runtime.images.values()][:50]
        if not st["images"]:
            st.pop("images")
        node["status"] = st
        try:
            self.client.update_status("nodes", None, node)
        except ApiError:
            pass

    def _renew_lease(self) -> None:
        now = self.loop.timestamp()
        lease = self.client.try_get("leases", "kube-node-lease", self.node_name)
        spec = {"holderIdentity": self.node_name, "leaseDurationSeconds": LEASE_SECONDS,
                "renewTime": now.replace("Z", ".000000Z")}
        try:
            if lease is None:
                node = self.client.try_get("nodes", None, self.node_name)
                md = {"name": self.node_name, "namespace": "kube-node-lease"}
                if node is not None:
                    md["ownerReferences"] = [{"apiVersion": "v1", "kind": "Node",
                                              "name": self.node_name,
                                              "uid": node["metadata"]["uid"]}]
                self.client.create("leases", "kube-node-lease",
                                   {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                                    "metadata": md, "spec": spec})
            else:
                lease["spec"] = spec
                self.client.update("leases", "kube-node-lease", lease)
        except ApiError:
            pass

    def _beat(self) -> None:
        if not self.running:
            return
        self._renew_lease()
        self._beats = getattr(self, "_beats", 0) + 1
        if self._beats % int(STATUS_REPORT / HEARTBEAT) == 0 or self._ready_changed():
            self._post_status()
        self._heartbeat = self.loop.call_later(HEARTBEAT, self._beat, background=True)

    def network_changed(self) -> None:
        """The CNI configuration appeared or went: the runtime reports it on its next sync."""
        if self.running:
            self.loop.call_later(2.0, self._network_sync)

    def _network_sync(self) -> None:
        if self.running and self._ready_changed():
            self._post_status()

    def _ready_changed(self) -> bool:
        now_ready = self.network_ready()
        changed = now_ready != getattr(self, "_was_ready", None)
        self._was_ready = now_ready
        return changed and getattr(self, "_beats", 0) >= 1

    # -- pods -------------------------------------------------------------------------------
    def _on_pod(self, etype, pod, old) -> None:
        if "kubernetes.io/config.mirror" in (pod["metadata"].get("annotations") or {}):
            self._on_mirror(etype, pod)  # a mirror of a static pod: the file is the truth
            return
        uid = pod["metadata"]["uid"]
        if etype == "DELETED":
            w = self.workers.pop(uid, None)
            if w is not None:
                w.stop()
                self._release_ip(w)
            return
        w = self.workers.get(uid)
        if w is None:
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed") and \
                    not pod["metadata"].get("deletionTimestamp"):
                return
            w = PodWorker(self, pod)
            self.workers[uid] = w
            if pod["metadata"].get("deletionTimestamp"):
                self.pod_terminated(w)
                return
            w.start()
            return
        prev, w.pod = w.pod, pod
        if prev is not pod:
            _share_pod(w, prev, pod)
            if _images(prev) != _images(pod):
                w.spec_updated()
        if pod["metadata"].get("deletionTimestamp") and not w.terminating:
            grace = pod["metadata"].get("deletionGracePeriodSeconds", 30)
            w.terminate(grace)

    def _on_mirror(self, etype, pod) -> None:
        """Someone deleted a mirror pod: the static pod keeps running, and the kubelet removes
        the deleted mirror at once and publishes a fresh one (a new uid, the same containers)."""
        if self.static is None or not self.running:
            return
        md = pod["metadata"]
        entry = self.static.running.get(f"{md.get('namespace')}/{md.get('name')}")
        if entry is None:
            return
        worker = entry[1]
        if etype == "DELETED":
            # only when no mirror stands under the name (a manifest edit replaces the mirror
            # itself, and that deletion must not start a second round)
            if self.client.try_get("pods", md.get("namespace"), md.get("name")) is None:
                self.static._publish_mirror(worker.pod)
                self.mark_dirty(worker)
        elif md.get("deletionTimestamp"):
            try:
                self.client.delete("pods", md["namespace"], md["name"], grace_period=0,
                                   preconditions={"uid": md["uid"]})
            except ApiError:
                pass

    def mark_dirty(self, worker: PodWorker) -> None:
        if not self.running:
            return
        self._dirty[worker.key] = worker
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        dirty, self._dirty = self._dirty, {}
        for worker in dirty.values():
            if not worker.alive or not self.running:
                continue
            self._write_status(worker)

    def _write_status(self, worker: PodWorker, attempt: int = 0) -> None:
        pod = worker.pod
        if getattr(worker, "static", False):
            pod = self.client.try_get("pods", pod["metadata"]["namespace"], pod["metadata"]["name"])
            if pod is None:
                return
        status = pod_status(worker, pod)
        if status == (pod.get("status") or {}):
            return
        body = dict(pod)
        body["status"] = status
        try:
            updated = self.client.update_status("pods", pod["metadata"]["namespace"], body)
            worker.pod = updated
        except ApiError as exc:
            if exc.reason == "Conflict" and attempt < 3:
                fresh = self.client.try_get("pods", pod["metadata"]["namespace"], pod["metadata"]["name"])
                if fresh is not None and fresh["metadata"]["uid"] == pod["metadata"]["uid"]:
                    worker.pod = fresh
                    self._write_status(worker, attempt + 1)

    def pod_terminated(self, worker: PodWorker) -> None:
        """All containers stopped: the kubelet confirms the deletion (grace 0)."""
        if not self.running:
            return
        if getattr(worker, "static", False):
            return
        self._write_status(worker)
        md = worker.pod["metadata"]
        if md.get("deletionTimestamp"):
            try:
                self.client.delete("pods", md["namespace"], md["name"], grace_period=0,
                                   preconditions={"uid": md["uid"]})
            except ApiError:
                pass

    # -- resources for workers --------------------------------------------------------------
    def allocate_ip(self, worker) -> str:
        if getattr(worker, "host_network", False) or (worker.pod.get("spec") or {}).get("hostNetwork"):
            worker.host_network = True
            return self.node_ip
        if self._ips_free:
            ip = self._ips_free.pop(0)
        else:
            net = ipaddress.ip_network(self.pod_cidr)
            ip = str(net.network_address + self._ip_next)
            self._ip_next += 1
        return ip

    def _release_ip(self, worker) -> None:
        if worker.ip and not getattr(worker, "host_network", False):
            self._ips_free.append(worker.ip)

    def pod_ip_of(self, pod) -> str:
        w = self.workers.get(pod["metadata"].get("uid"))
        return (w.ip if w else "") or ""

    def event(self, pod, reason, message, type_="Normal", field=""):
        md = pod.get("metadata") or {}
        mirror = (md.get("annotations") or {}).get("kubernetes.io/config.mirror")
        if mirror and md.get("uid") != mirror:
            # events are about the static pod itself, whose UID is its config hash (not the
            # mirror pod's API uid): `kubectl describe` of the mirror searches by that hash
            pod = {**pod, "metadata": {**md, "uid": mirror}}
        ev = self.client.event(pod, reason, message, type_=type_, component="kubelet",
                               host=self.node_name)
        if ev is not None and field and ev.get("count", 1) == 1:
            pass
        return ev

    def lookup(self, resource, namespace, name):
        return self.client.try_get(resource, namespace, name)

    def service_env(self, namespace, enable_links=True) -> dict:
        env = {"KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443",
               "KUBERNETES_SERVICE_PORT_HTTPS": "443", "KUBERNETES_PORT": "tcp://10.96.0.1:443",
               "KUBERNETES_PORT_443_TCP": "tcp://10.96.0.1:443",
               "KUBERNETES_PORT_443_TCP_PROTO": "tcp", "KUBERNETES_PORT_443_TCP_PORT": "443",
               "KUBERNETES_PORT_443_TCP_ADDR": "10.96.0.1"}
        if not enable_links:
            return env
        for svc in self.client.list("services", namespace, readonly=True)["items"]:
            name = svc["metadata"]["name"]
            ip = (svc.get("spec") or {}).get("clusterIP")
            if not ip or ip == "None" or name == "kubernetes":
                continue
            ports = (svc.get("spec") or {}).get("ports") or []
            if not ports:
                continue
            prefix = name.upper().replace("-", "_")
            p0 = ports[0]
            env[f"{prefix}_SERVICE_HOST"] = ip
            env[f"{prefix}_SERVICE_PORT"] = str(p0.get("port"))
            env[f"{prefix}_PORT"] = f"{p0.get('protocol', 'TCP').lower()}://{ip}:{p0.get('port')}"
            for p in ports:
                proto = p.get("protocol", "TCP")
                base = f"{prefix}_PORT_{p.get('port')}_{proto}"
                env[base] = f"{proto.lower()}://{ip}:{p.get('port')}"
                env[f"{base}_PROTO"] = proto.lower()
                env[f"{base}_PORT"] = str(p.get("port"))
                env[f"{base}_ADDR"] = ip
                if p.get("name"):
                    env[f"{prefix}_SERVICE_PORT_{p['name'].upper().replace('-', '_')}"] = str(p.get("port"))
        return env

    def volume_files(self, pod, cspec) -> dict:
        """The files a container sees from its configMap/secret/projected volumes."""
        import base64
        files: dict[str, str] = {}
        vols = {v.get("name"): v for v in (pod.get("spec") or {}).get("volumes") or []}
        ns = pod["metadata"].get("namespace")
        for m in cspec.get("volumeMounts") or []:
            v = vols.get(m.get("name"))
            if v is None:
                continue
            base = m.get("mountPath", "").rstrip("/")
            if "configMap" in v:
                cm = self.lookup("configmaps", ns, v["configMap"].get("name", ""))
                for k, val in ((cm or {}).get("data") or {}).items():
                    files[f"{base}/{k}"] = val
            elif "secret" in v:
                sec = self.lookup("secrets", ns, v["secret"].get("secretName", ""))
                for k, val in ((sec or {}).get("data") or {}).items():
                    try:
                        files[f"{base}/{k}"] = base64.b64decode(val).decode("utf-8", "replace")
                    except ValueError:
                        pass
            elif "projected" in v and base.endswith("serviceaccount"):
                files[f"{base}/namespace"] = ns or ""
                files[f"{base}/token"] = "eyJhbGciOiJSUzI1NiJ9.kcore-projected-token"
        return files

    def memory_limit(self, cspec) -> int | None:
        lim = ((cspec.get("resources") or {}).get("limits") or {}).get("memory")
        if lim is None:
            return None
        from kcore.machinery import quantity
        try:
            return quantity.parse(str(lim)).value()
        except ValueError:
            return None

    def probe_once(self, worker, cs, probe) -> tuple[bool, str]:
        c = cs.container
        if c is None or c.process is None or not c.process.alive:
            return False, "container not running"
        if "exec" in probe:
            argv = (probe["exec"] or {}).get("command") or []
            out, err, code = self.runtime.exec(c, list(argv))
            return code == 0, (out + err).strip() or f"command {argv!r} exited with {code}"
        if "httpGet" in probe:
            hg = probe["httpGet"] or {}
            port = self._port(cs.spec, hg.get("port"))
            path = hg.get("path", "/")
            handler = getattr(c.program, "http", None)
            listening = port in (c.image.ports or ())
            if handler is None or not listening:
                return False, (f'Get "http://{worker.ip}:{port}{path}": dial tcp {worker.ip}:{port}: '
                               "connect: connection refused")
            status, _ = handler(c.process, "GET", path, self.node_ip)
            if 200 <= status < 400:
                return True, ""
            return False, f"HTTP probe failed with statuscode: {status}"
        if "tcpSocket" in probe:
            port = self._port(cs.spec, (probe["tcpSocket"] or {}).get("port"))
            if port in (c.image.ports or ()):
                return True, ""
            return False, f"dial tcp {worker.ip}:{port}: connect: connection refused"
        return True, ""

    @staticmethod
    def _port(cspec, port):
        if isinstance(port, str) and not port.isdigit():
            for p in cspec.get("ports") or []:
                if p.get("name") == port:
                    return p.get("containerPort")
            return None
        return int(port) if port is not None else None

    # -- logs and exec (through the API server's connect) ------------------------------------
    def connect(self, pod, action, **options):
        w = self.workers.get(pod["metadata"]["uid"])
        if w is None and "kubernetes.io/config.mirror" in (pod["metadata"].get("annotations") or {}):
            key = f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"
            w = next((wk for wk in self.workers.values() if getattr(wk, "static", False)
                      and wk.key == key), None)
        return self.connect_worker(w, pod, action, **options)

    def connect_worker(self, w, pod, action, container=None, previous=False, argv=None,
                       stdin="", tail=None, timestamps=False, since=None):
        if w is None:
            raise LookupError("pod not running on this node")
        all_cs = w.inits + w.containers
        cs = next((c for c in all_cs if c.name == container), None) if container else w.containers[0]
        if cs is None:
            raise LookupError(f"container {container} is not valid for pod {pod['metadata']['name']}")
        if action == "log":
            c = cs.container
            if c is None:
                return None
            lines = c.previous_logs if previous else c.logs
            return lines
        if action == "exec":
            return self.runtime.exec(cs.container, argv or [], stdin) if cs.container else None
        raise LookupError(action)


def _same_shape(a: dict, b: dict) -> bool:
    """Two revisions of a pod that look the same from inside its containers."""
    ma, mb = a.get("metadata") or {}, b.get("metadata") or {}
    return (a.get("spec") == b.get("spec") and ma.get("labels") == mb.get("labels")
            and ma.get("annotations") == mb.get("annotations"))


def _images(pod: dict) -> list:
    spec = pod.get("spec") or {}
    return [c.get("image") for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])]


def _share_pod(worker, prev: dict, pod: dict) -> None:
    """Point the worker's containers at the newest revision of their pod when nothing a
    container sees has changed, so the kubelet does not keep one stale copy of every pod
    (a big cluster's memory): the spec and metadata they read are equal by construction."""
    states = [cs for cs in worker.inits + worker.containers if cs.container is not None]
    if not states:
        return
    spec = pod.get("spec") or {}
    by_name = None
    verdicts: dict = {}
    for cs in states:
        old = cs.container.pod
        if old is pod:
            continue
        same = verdicts.get(id(old))
        if same is None:
            same = verdicts[id(old)] = _same_shape(old, pod)
        if not same:
            continue
        cs.container.pod = pod
        if by_name is None:
            by_name = {c.get("name"): c for c in (spec.get("initContainers") or [])
                       + (spec.get("containers") or [])}
        new_spec = by_name.get(cs.name)
        if new_spec is not None and new_spec == cs.spec:
            if cs.container.spec is cs.spec:
                cs.container.spec = new_spec
            cs.spec = new_spec
