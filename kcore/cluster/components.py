"""The component host: what a control-plane or add-on container *does* when it starts.

The kubelet's runtime runs images; for component images (images/components.py) it asks this
host to start the real component with the container's flags. Flags that point at files are
checked on the node, so a typo in a static pod manifest makes the component exit with the
error the real binary prints, and the pod goes into CrashLoopBackOff. Each start returns a
handle whose stop() is called when the container stops."""
from __future__ import annotations

import os

from kcore.kubelet.images.components import ComponentError


# The flags kube-scheduler v1.35 accepts (`kube-scheduler --help`). `--scheduler-name` and the
# insecure `--port`/`--address` were removed in v1.23: a second scheduler names itself in a
# KubeSchedulerConfiguration file (`profiles: - schedulerName: ...`) passed with `--config`.
KNOWN_FLAGS: dict[str, frozenset] = {
    "kube-scheduler": frozenset("""
        allow-metric-labels allow-metric-labels-manifest authentication-kubeconfig
        authentication-skip-lookup authentication-token-webhook-cache-ttl
        authentication-tolerate-lookup-failure authorization-always-allow-paths
        authorization-kubeconfig authorization-webhook-cache-authorized-ttl
        authorization-webhook-cache-unauthorized-ttl bind-address cert-dir client-ca-file config
        contention-profiling disable-http2-serving disabled-metrics emulated-version
        feature-gates h help http2-max-streams-per-connection kube-api-burst
        kube-api-content-type kube-api-qps kubeconfig leader-elect leader-elect-lease-duration
        leader-elect-renew-deadline leader-elect-resource-lock leader-elect-resource-name
        leader-elect-resource-namespace leader-elect-retry-period log-flush-frequency
        log-json-info-buffer-size log-json-split-stream log-text-info-buffer-size
        log-text-split-stream logging-format master permit-address-sharing permit-port-sharing
        pod-max-in-unschedulable-pods-duration profiling requestheader-allowed-names
        requestheader-client-ca-file requestheader-extra-headers-prefix
        requestheader-group-headers requestheader-uid-headers requestheader-username-headers
        secure-port show-hidden-metrics-for-version tls-cert-file tls-cipher-suites
        tls-min-version tls-private-key-file tls-sni-cert-key v version vmodule write-config-to
    """.split()),
}


def parse_flags(argv: list[str]) -> dict[str, str]:
    flags = {}
    for a in argv[1:]:
        if a.startswith("--"):
            k, eq, v = a[2:].partition("=")
            flags[k] = v if eq else "true"
    return flags


def host_dir_of(proc, container_path: str) -> str:
    """The node path behind a container path, through the pod's hostPath volume mounts
    (what changes when a restore points etcd's `etcd-data` volume at a new directory)."""
    spec = proc.pod.get("spec") or {}
    vols = {v.get("name"): v for v in spec.get("volumes") or []}
    best = None
    for m in proc.container.spec.get("volumeMounts") or []:
        mp = (m.get("mountPath") or "").rstrip("/")
        if container_path == mp or container_path.startswith(mp + "/"):
            if best is None or len(mp) > len(best[0]):
                best = (mp, m.get("name"))
    if best is None:
        return container_path
    hp = (vols.get(best[1]) or {}).get("hostPath") or {}
    if not hp.get("path"):
        return container_path
    return hp["path"].rstrip("/") + container_path[len(best[0]):]


class Handle:
    def __init__(self, stop=None, healthy=None):
        self._stop = stop
        self._healthy = healthy

    def stop(self):
        if self._stop is not None:
            self._stop()
            self._stop = None

    def healthy(self) -> bool:
        return self._healthy() if self._healthy else True


class ComponentHost:
    def __init__(self, cluster, node: str):
        self.cluster = cluster
        self.node = node

    def _need_file(self, kind: str, flags: dict, names: tuple) -> None:
        for n in names:
            path = flags.get(n)
            if path and not os.path.exists(self.cluster.host_path(self.node, path)):
                raise ComponentError(self._fatal(kind, f"open {path}: no such file or directory"))

    @staticmethod
    def _fatal(kind: str, err: str) -> str:
        quoted = err.replace("\\", "\\\\").replace('"', '\\"')   # klog quotes the value as Go's %q
        return f'E0101 00:00:00.000000       1 run.go:72] "command failed" err="{quoted}"'

    BINARIES = {"kube-apiserver": "kube-apiserver", "kube-scheduler": "kube-scheduler",
                "kube-controller-manager": "kube-controller-manager", "etcd": "etcd"}

    def start(self, kind: str, argv: list[str], proc):
        binary = self.BINARIES.get(kind)
        if binary and argv and argv[0].rsplit("/", 1)[-1] != binary:
            raise ComponentError(f'exec: "{argv[0]}": executable file not found in $PATH')
        known = KNOWN_FLAGS.get(kind)
        if known is not None:
            for a in argv[1:]:
                if a.startswith("-"):
                    name = a.lstrip("-").partition("=")[0]
                    if name not in known:
                        # cobra refuses the command line before the component does anything
                        raise ComponentError(f"Error: unknown flag: {a.partition('=')[0]}")
        flags = parse_flags(argv)
        fn = getattr(self, "start_" + kind.replace("-", "_"), None)
        if fn is None:
            return Handle()
        return fn(flags, proc)

    # -- control plane ----------------------------------------------------------------------
    def start_kube_apiserver(self, flags, proc):
        self._need_file("kube-apiserver", flags, (
            "client-ca-file", "tls-cert-file", "tls-private-key-file", "etcd-cafile",
            "etcd-certfile", "etcd-keyfile", "kubelet-client-certificate", "kubelet-client-key",
            "service-account-key-file", "service-account-signing-key-file",
            "proxy-client-cert-file", "proxy-client-key-file", "requestheader-client-ca-file"))
        c = self.cluster
        modes = [m.strip() for m in flags.get("authorization-mode", "Node,RBAC").split(",") if m.strip()]
        known = ("AlwaysAllow", "AlwaysDeny", "ABAC", "Webhook", "RBAC", "Node")
        for m in modes:
            if m not in known:
                raise ComponentError(f"Error: invalid authorization config: authorization-mode {m!r} "
                                     f"is not a valid mode")
        etcd = flags.get("etcd-servers", "https://127.0.0.1:2379")
        if not any(u.rstrip("/").endswith(":2379") for u in etcd.split(",")):
            raise ComponentError('E0101 00:00:20.000000       1 run.go:72] "command failed" '
                                 'err="context deadline exceeded"')
        c.configure_apiserver(modes, flags)
        c.apiserver_running = True
        proc.log(f"I0101 00:00:00.000000       1 options.go:263] external host was not specified, using {flags.get('advertise-address', '')}")
        proc.log("I0101 00:00:00.000000       1 server.go:150] Version: " + c.version)

        def stop():
            c.apiserver_running = False
        return Handle(stop)

    def start_etcd(self, flags, proc):
        self._need_file("etcd", flags, ("cert-file", "key-file", "trusted-ca-file",
                                        "peer-cert-file", "peer-key-file", "peer-trusted-ca-file"))
        c = self.cluster
        data_dir = host_dir_of(proc, flags.get("data-dir", "/var/lib/etcd"))
        c.etcd_data_dir(data_dir)
        c.etcd_running = True
        proc.log('{"level":"info","msg":"serving client traffic securely","address":"127.0.0.1:2379"}')

        def stop():
            c.etcd_running = False
        return Handle(stop)

    def start_kube_scheduler(self, flags, proc):
        from kcore.apiserver.authn import component
        from kcore.scheduler.component import SchedulerComponent
        self._need_file("kube-scheduler", flags, ("kubeconfig", "authentication-kubeconfig",
                                                  "authorization-kubeconfig"))
        name = "default-scheduler"
        cfg = flags.get("config")
        profiles = None
        leader_elect = flags.get("leader-elect", "true") != "false"
        lease = flags.get("leader-elect-resource-name", "kube-scheduler")
        if cfg:
            config = self._scheduler_config(cfg, proc)
            profiles = config.get("profiles") or None
            if profiles:
                name = profiles[0].get("schedulerName", name) if isinstance(profiles[0], dict) else name
            election = config.get("leaderElection") or {}
            leader_elect = election.get("leaderElect", True) is not False
            lease = election.get("resourceName", "kube-scheduler")
            kubeconfig = (config.get("clientConnection") or {}).get("kubeconfig")
            if kubeconfig and not os.path.exists(self._container_file(proc, kubeconfig)):
                raise ComponentError(self._fatal(
                    "kube-scheduler", f"stat {kubeconfig}: no such file or directory"))
        s = SchedulerComponent(self.cluster.api, component("system:kube-scheduler"),
                               scheduler_name=name, profiles=profiles)
        key = f"scheduler/{proc.pod['metadata']['namespace']}/{proc.pod['metadata']['name']}"
        self.cluster.components[key] = s
        s.start()
        proc.log('I0101 00:00:00.000000       1 serving.go:386] Generated self-signed cert in-memory')
        if leader_elect:
            proc.log(f'I0101 00:00:00.000000       1 leaderelection.go:257] attempting to acquire leader lease kube-system/{lease}...')

        def stop():
            s.stop()
            self.cluster.components.pop(key, None)
        return Handle(stop)

    def _container_file(self, proc, path: str) -> str:
        """The node path of a file the container sees at `path` (through its hostPath mounts)."""
        return self.cluster.host_path(self.node, host_dir_of(proc, path))

    def _scheduler_config(self, path: str, proc) -> dict:
        """The KubeSchedulerConfiguration at `path` in the container: a mounted ConfigMap or
        Secret file, or a node file through a hostPath volume."""
        import yaml
        text = (getattr(proc, "files", None) or {}).get(path)
        if text is None:
            try:
                with open(self._container_file(proc, path), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                raise ComponentError(self._fatal(
                    "kube-scheduler", f"open {path}: no such file or directory")) from None
        try:
            cfg = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise ComponentError(self._fatal("kube-scheduler", str(exc))) from None
        if not isinstance(cfg, dict):
            raise ComponentError(self._fatal(
                "kube-scheduler", "couldn't decode as KubeSchedulerConfiguration"))
        kind, version = cfg.get("kind"), cfg.get("apiVersion")
        if kind != "KubeSchedulerConfiguration" or version != "kubescheduler.config.k8s.io/v1":
            raise ComponentError(self._fatal(
                "kube-scheduler", f'no kind "{kind}" is registered for version "{version}" '
                                  f'in scheme "pkg/runtime/scheme.go:110"'))
        return cfg

    def start_kube_controller_manager(self, flags, proc):
        from kcore.apiserver.authn import component
        from kcore.controllers.manager import DEFAULT, ControllerManager
        self._need_file("kube-controller-manager", flags, (
            "kubeconfig", "authentication-kubeconfig", "authorization-kubeconfig",
            "client-ca-file", "cluster-signing-cert-file", "cluster-signing-key-file",
            "root-ca-file", "service-account-private-key-file", "requestheader-client-ca-file"))
        wanted = []
        for item in flags.get("controllers", "*").split(","):
            item = item.strip()
            if item == "*":
                wanted.extend(DEFAULT)
            elif item.startswith("-"):
                wanted = [w for w in wanted if w != item[1:]]
            elif item:
                wanted.append(item)
        ca = getattr(self.cluster, "cas", {}).get("ca")
        cm = ControllerManager(self.cluster.api, component("system:kube-controller-manager"),
                               controllers=wanted,
                               options={"root_ca": ca.cert_pem.decode() if ca else "",
                                        "signing_ca": ca, "cluster": self.cluster})
        self.cluster.components["kube-controller-manager"] = cm
        cm.start()
        proc.log("I0101 00:00:00.000000       1 serving.go:386] Generated self-signed cert in-memory")
        proc.log("I0101 00:00:00.000000       1 leaderelection.go:257] attempting to acquire leader lease kube-system/kube-controller-manager...")

        def stop():
            cm.stop()
            self.cluster.components.pop("kube-controller-manager", None)
        return Handle(stop)

    # -- add-ons ----------------------------------------------------------------------------
    def start_flannel(self, flags, proc):
        from kcore.cluster import bootstrap
        bootstrap.write_cni_config(self.cluster, self.node)
        proc.log("I0101 00:00:00.000000       1 main.go:211] CLI flags config: {etcdEndpoints:http://127.0.0.1:4001,2379 kubeSubnetMgr:true}")
        return Handle()

    start_weave_kube = start_flannel

    def start_node(self, flags, proc):  # calico/node
        return self.start_flannel(flags, proc)

    def start_metrics_server(self, flags, proc):
        """Without --kubelet-insecure-tls, metrics-server cannot verify kubeadm's kubelet
        serving certificates (no IP SANs) and never becomes ready — the classic lab."""
        from kcore.cluster import bootstrap
        c = self.cluster
        if "kubelet-insecure-tls" not in flags:
            for node in c.node_names:
                ip = bootstrap.node_ip(c, node)
                proc.log(f'E0101 00:00:20.000000       1 scraper.go:149] "Failed to scrape node" '
                         f'err="Get \\"https://{ip}:10250/metrics/resource\\": tls: failed to verify '
                         f'certificate: x509: cannot validate certificate for {ip} because it doesn\'t '
                         f'contain any IP SANs" node="{node}"')
            return Handle(healthy=lambda: False)
        c.metrics_available = True
        proc.log('I0101 00:00:00.000000       1 serving.go:374] Generated self-signed cert (/tmp/apiserver.crt, /tmp/apiserver.key)')

        def stop():
            c.metrics_available = False
        return Handle(stop)
