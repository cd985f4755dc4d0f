"""Cluster: one in-process Kubernetes, wired the way kubeadm wires a real one.

`Cluster()` builds the event loop, etcd and the API server, runs a kubeadm-style bootstrap
(controlplane + workers, certificates, static pod manifests, add-ons) and lets the cluster
settle, so the first `kubectl get nodes` shows three Ready nodes. Every learner action goes
through `kubectl()` or `ssh()`, which return what a terminal would show; mutating commands
let the cluster settle afterwards so a notebook shows the converged state.
"""
from __future__ import annotations

import json
import os
import tempfile

from kcore.apiserver import APIServer, User
from kcore.apiserver.authn import ADMIN, TokenAuthenticator, component, service_account
from kcore.apiserver.authz import Chain
from kcore.apiserver.authz.rbac import RBAC, Node
from kcore.client import Client
from kcore.cluster.kubeconfig import KubeconfigError, load as load_kubeconfig
from kcore.etcd.store import Store
from kcore.sim import Loop

__all__ = ["AccessError", "Cluster", "Result", "FRONTENDS"]

# The command-line front ends (kubectl, the node shell) live in kcore.cli, a layer above this
# one; kcore.cli registers them here when it is imported (kcore/__init__.py imports it).
FRONTENDS: dict = {}


class AccessError(Exception):
    """The client cannot reach or is refused by the API server (printed as kubectl prints it)."""

    def __init__(self, message: str, prefix: str = "error: "):
        super().__init__(message)
        self.message = message
        self.prefix = prefix

VERSION = "v1.35.0"

# kubectl verbs that change nothing: no settling afterwards
READ_ONLY_VERBS = {"get", "describe", "logs", "top", "auth", "api-resources", "api-versions",
                   "explain", "version", "cluster-info", "config", "events", "wait"}


class Result:
    """What a terminal shows: stdout, stderr and the exit code."""

    __slots__ = ("stdout", "stderr", "returncode")

    def __init__(self, stdout: str = "", stderr: str = "", returncode: int = 0):
        self.stdout = stdout
        self.stderr = stderr
        self.returncode = returncode

    def __str__(self) -> str:
        return self.stdout + self.stderr

    def __repr__(self) -> str:
        return f"Result(returncode={self.returncode}, stdout={self.stdout!r}, stderr={self.stderr!r})"

    def _repr_pretty_(self, p, cycle):  # IPython shows the terminal text
        p.text(str(self))


class Cluster:
    def __init__(self, workers=2, *, seed: int = 0, cni: str | None = "flannel",
                 version: str = VERSION, workdir: str | None = None,
                 worker_cpu: str = "2", worker_memory: str = "4015640Ki",
                 controlplane_cpu: str = "2", controlplane_memory: str = "4015640Ki",
                 bootstrap: bool = True, settle: bool = True):
        self.loop = Loop(seed)
        self.seed = seed
        self.version = version
        self.cni = cni
        self.store = Store()
        self.api = APIServer(self.store, self.loop)
        self.api.authorizer = Chain([Node(), RBAC(self.api.lister)])
        self.tokens = TokenAuthenticator()
        self._tmp = None
        if workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="kcore-")
            workdir = self._tmp.name
        self.workdir = workdir
        if isinstance(workers, int):
            worker_names = [f"node{i:02d}" for i in range(1, workers + 1)]
        else:
            worker_names = list(workers)
        self.controlplane = "controlplane"
        self.node_names = [self.controlplane] + worker_names
        self.node_spec = {self.controlplane: {"cpu": controlplane_cpu, "memory": controlplane_memory,
                                              "role": "control-plane"}}
        for w in worker_names:
            self.node_spec[w] = {"cpu": worker_cpu, "memory": worker_memory, "role": "worker"}
        self.hosts: dict[str, object] = {}
        self.components: dict[str, object] = {}
        self.last_traceback = None
        self.admin = Client(self.api, component("system:kube-controller-manager"))
        from kcore.network.net import Network
        self.network = Network(Client(self.api, component("system:kube-proxy")), self.hosts)
        from kcore.cluster.bootstrap import node_ip
        cp_ip = node_ip(self, self.controlplane)
        self.network.host_servers[(cp_ip, 6443)] = self._apiserver_http
        self.network.host_listeners.update((cp_ip, port) for port in (2379, 2380, 10257, 10259))
        from kcore.cluster.metrics import Metrics
        self.metrics = Metrics(self)
        self.apiserver_running = True   # until bootstrap hands this to the static pod
        self.etcd_running = True
        self.metrics_available = False
        self.etcd_dir = "/var/lib/etcd"
        self._etcd_db_loaded = None   # the restored db file etcd last loaded (path, mtime, size, inode)
        if bootstrap:
            from kcore.cluster import bootstrap as _bootstrap
            _bootstrap.kubeadm_init(self)
            if settle:
                self.loop.settle()

    # -- the learner's surface --------------------------------------------------------------
    def kubectl(self, args, stdin: str = "", *, settle: bool = True) -> Result:
        self._settle_requested = settle
        r = FRONTENDS["kubectl"](self, args, stdin)
        return Result(r.stdout, r.stderr, r.returncode)

    def ssh(self, node: str, command: str, stdin: str = "", *, settle: bool = True) -> Result:
        r = FRONTENDS["ssh"](self, node, command, stdin)
        if settle:
            self.loop.settle()
        return Result(r.stdout, r.stderr, r.returncode)

    def advance(self, seconds: float) -> None:
        self.loop.advance(seconds)

    def step(self) -> bool:
        return self.loop.step()

    def settle(self) -> None:
        self.loop.settle()

    def settle_after_command(self) -> None:
        if getattr(self, "_settle_requested", True):
            self.loop.settle()
        else:
            self.loop.run_ready()

    def _apiserver_http(self, method: str, path: str):
        """What kube-apiserver answers an anonymous HTTPS request on the node (curl -k):
        its health endpoints say ok; anything else is forbidden to system:anonymous."""
        from kcore.network.net import NetError
        if not self.apiserver_running:
            raise NetError("refused", "6443")
        path = path.split("?", 1)[0].rstrip("/") or "/"
        if path in ("/livez", "/readyz", "/healthz"):
            return 200, "ok"
        body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": f'forbidden: User "system:anonymous" cannot {method.lower()} path "{path}"',
                "reason": "Forbidden", "details": {}, "code": 403}
        return 403, json.dumps(body, indent=2)

    # -- node filesystems -------------------------------------------------------------------
    def node_root(self, node: str) -> str:
        return os.path.join(self.workdir, "nodes", node)

    def host_path(self, node: str, path: str) -> str:
        """Map an absolute path on `node` to the host; never escapes the node's root.

        (The node shell creates no symlinks, so normalising the path is enough.)"""
        roots = self.__dict__.setdefault("_roots", {})
        root = roots.get(node)
        if root is None:
            root = roots[node] = os.path.realpath(self.node_root(node))
        full = os.path.normpath(os.path.join(root, path.lstrip("/")))
        if full != root and not full.startswith(root + os.sep):
            full = root
        return full

    def lazy(self, node: str, fn) -> None:
        """Defer writing some of a node's files until someone looks at the node (ssh)."""
        self.__dict__.setdefault("_lazy", {}).setdefault(node, []).append(fn)

    def materialize(self, node: str) -> None:
        for fn in self.__dict__.get("_lazy", {}).pop(node, []):
            fn()
        done = self.__dict__.setdefault("_os_files", set())
        if node not in done:
            done.add(node)
            from kcore.cluster.osfiles import write_os_files
            write_os_files(self, node)

    # -- identity ---------------------------------------------------------------------------
    def kubeconfig_for(self, path: str | None = None, context: str | None = None):
        shown = path or os.environ.get("KCORE_KUBECONFIG") or "/root/.kube/config"
        if path and not path.startswith("/"):
            host = os.path.abspath(path)
        else:
            host = self.host_path(self.controlplane, shown)
        return load_kubeconfig(shown, host, context)

    def user_for(self, kubeconfig) -> User | None:
        """Authenticate the kubeconfig's credentials (client certificate or token)."""
        cert = kubeconfig.client_certificate()
        if cert is not None:
            verify = getattr(self, "verify_client_certificate", None)
            if verify is not None:
                return verify(cert)
            return ADMIN
        token = kubeconfig.token()
        if token:
            return self.tokens.authenticate(token)
        return None

    def client_for(self, kubeconfig, as_user=None, as_groups=(), token=None):
        if kubeconfig.missing:
            raise AccessError("The connection to the server localhost:8080 was refused - did you "
                               "specify the right host or port?", prefix="")
        if not (self.apiserver_running and self.etcd_running):
            server = kubeconfig.server.replace("https://", "") or "localhost:8080"
            raise AccessError(f"The connection to the server {server} was refused - did you "
                               "specify the right host or port?", prefix="")
        user = self.tokens.authenticate(token) if token else self.user_for(kubeconfig)
        if user is None:
            raise AccessError("You must be logged in to the server (Unauthorized)")
        if as_user:
            from kcore.apiserver.authz import ALLOW, Attributes
            attrs = Attributes(user, "impersonate", "", "users", name=as_user)
            if self.api.authorizer.authorize(attrs)[0] != ALLOW:
                raise AccessError(f'users "{as_user}" is forbidden: User "{user.name}" cannot '
                                   f'impersonate resource "users" in API group "" at the cluster scope',
                                   prefix="Error from server (Forbidden): ")
            if as_user.startswith("system:serviceaccount:"):
                _, _, ns, name = as_user.split(":", 3)
                user = service_account(ns, name)
                if as_groups:
                    user = User(user.name, tuple(as_groups))
            else:
                user = User(as_user, tuple(as_groups))
        return Client(self.api, user, field_validation="Strict")

    def _is_admin(self, user) -> bool:
        return "kubeadm:cluster-admins" in user.groups

    # -- nodes joining and leaving ----------------------------------------------------------
    def add_node(self, name: str | None = None, *, cpu: str | None = None,
                 memory: str | None = None) -> str:
        """`kubeadm join` a new worker: files, kubelet, registration (DaemonSets follow)."""
        from kcore.cluster import bootstrap
        if name is None:
            n = len(self.node_names)
            name = f"node{n:02d}"
            while name in self.node_names:
                n += 1
                name = f"node{n:02d}"
        if name in self.node_names:
            raise ValueError(f"node {name} already exists")
        base = next((self.node_spec[n] for n in self.node_names if self.node_spec[n]["role"] == "worker"),
                    {"cpu": "2", "memory": "4015640Ki"})
        self.node_names.append(name)
        self.node_spec[name] = {"cpu": cpu or base["cpu"], "memory": memory or base["memory"],
                                "role": "worker"}
        bootstrap.join_node(self, name)
        self.loop.settle()
        return name

    def remove_node(self, name: str) -> None:
        """The machine is gone: its kubelet stops for good (`kubectl delete node` is separate)."""
        kl = self.hosts.get(name)
        if kl is not None:
            kl.stop()

    # -- component configuration (from the static pods' flags) -------------------------------
    def configure_apiserver(self, modes, flags) -> None:
        from kcore.apiserver.admission import DEFAULT_ORDER, default_plugins
        from kcore.apiserver.authz import AlwaysAllow, AlwaysDeny
        chain = []
        for m in modes:
            if m == "Node":
                chain.append(Node())
            elif m == "RBAC":
                chain.append(RBAC(self.api.lister))
            elif m == "AlwaysAllow":
                chain.append(AlwaysAllow())
            elif m == "AlwaysDeny":
                chain.append(AlwaysDeny())
        self.api.authorizer = Chain(chain)
        enabled = [p for p in flags.get("enable-admission-plugins", "").split(",") if p]
        disabled = {p for p in flags.get("disable-admission-plugins", "").split(",") if p}
        names = [n for n in DEFAULT_ORDER + [e for e in enabled if e not in DEFAULT_ORDER]
                 if n not in disabled]
        self.api.admission = default_plugins(names)
        self.apiserver_flags = dict(flags)

    def etcd_data_dir(self, path: str) -> None:
        """etcd (re)started on the node directory `path`: the data there becomes the state.

        The directory /var/lib/etcd is the live store. Another directory (where
        `etcdutl snapshot restore --data-dir` wrote) replaces the cluster's state with the
        snapshot's; every component then re-lists, as after a real restore."""
        import os

        from kcore.etcd import snapshot
        host = self.host_path(self.controlplane, path)
        db = os.path.join(host, snapshot.DB_PATH)
        try:
            st = os.stat(db)
            written = (path, st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            written = None
        if path == self.etcd_dir and (written is None or written == self._etcd_db_loaded):
            return   # the same data dir etcd already serves (a restart)
        # another dir, or a snapshot restored into this one since etcd last read it
        self.etcd_dir = path
        self._etcd_db_loaded = written
        restored = snapshot.read_data_dir(host)
        watchers = self.store._watchers
        self.store.__dict__.update({k: v for k, v in restored.__dict__.items() if k != "_watchers"})
        self.store._watchers = watchers
        self.api._decoded.clear()
        self.loop.call_soon(self.resync_components)

    def resync_components(self) -> None:
        """Restart every component's informers against the (restored) store."""
        for name, comp in list(self.components.items()):
            if hasattr(comp, "stop") and hasattr(comp, "start"):
                comp.stop()
                comp.start()
        for kl in self.hosts.values():
            if kl.running:
                kl.stop()
                kl.start()
                kl.reconcile_workers()

    # -- notebook helpers -------------------------------------------------------------------
    def scheduler_explain(self, namespace: str, pod: str) -> dict:
        """The last scheduling decision for a pod, node by node and plugin by plugin."""
        obj = self.admin.try_get("pods", namespace, pod)
        out = {"pod": f"{namespace}/{pod}", "chosen": None, "message": "", "nodes": []}
        if obj is None:
            out["message"] = f'pods "{pod}" not found'
            return out
        sched_name = (obj.get("spec") or {}).get("schedulerName", "default-scheduler")
        ev = None
        for comp in self.components.values():
            if getattr(comp, "scheduler_name", None) == sched_name and hasattr(comp, "explain"):
                ev = comp.explain(namespace, pod)
                if ev is not None:
                    break
        out["chosen"] = (obj.get("spec") or {}).get("nodeName") or None
        for c in (obj.get("status") or {}).get("conditions") or []:
            if c.get("type") == "PodScheduled" and c.get("status") == "False":
                out["message"] = c.get("message", "")
        if ev is None:
            if not out["message"] and not out["chosen"]:
                out["message"] = f'no scheduler named "{sched_name}" has looked at this pod'
            return out
        for row in ev.rows():
            node = {"name": row["node"], "total": row.get("total"), "filters": [], "scores": []}
            for plugin, verdict in row["filters"].items():
                if verdict == "not run":
                    continue
                node["filters"].append({"plugin": plugin, "ok": verdict == "pass",
                                        "reason": "" if verdict == "pass" else str(verdict)})
            for plugin, sc in row["scores"].items():
                node["scores"].append({"plugin": plugin, "raw": sc["raw"], "normalized": sc["normalized"],
                                       "weight": sc["weight"]})
            out["nodes"].append(node)
        return out

    def trail(self) -> list[dict]:
        """The API request trail (for the RequestFlow widget)."""
        return list(self.api.audit)

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
