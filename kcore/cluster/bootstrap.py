"""kubeadm init + join, in process.

What `kubeadm init` leaves behind on a real control plane, step by step: the certificates
in /etc/kubernetes/pki, the kubeconfig files, the API objects every cluster starts with
(namespaces, bootstrap RBAC, the `kubernetes` service), then the nodes joining. Components
and add-ons are started by the phases registered in PHASES, so each room adds its own part.
"""
from __future__ import annotations

import datetime as _dt
import os

from kcore.cluster import rbac_defaults

NODE_IP_BASE = "192.168.1."
SERVICE_CIDR = "10.96.0.0/12"
POD_CIDR = "10.244.0.0/16"

# extra phases other rooms register: fn(cluster) run in order after the core objects exist
PHASES: list = []


def node_index(cluster, node: str) -> int:
    """The node's position in cluster.node_names, in O(1) (clusters of thousands of nodes)."""
    idx = cluster.__dict__.get("_node_index")
    i = idx.get(node) if idx is not None else None
    if i is None or i >= len(cluster.node_names) or cluster.node_names[i] != node:
        idx = {name: n for n, name in enumerate(cluster.node_names)}
        cluster.__dict__["_node_index"] = idx
        i = idx[node]
    return i


def node_ip(cluster, node: str) -> str:
    """192.168.1.10, .11, …; past the /24 the addresses carry on into 192.168.2.0 and up."""
    n = 10 + node_index(cluster, node)
    return NODE_IP_BASE + str(n) if n < 256 else f"192.168.{1 + n // 256}.{n % 256}"


def pod_cidr(cluster, node: str) -> str:
    """Node i gets 10.244.i.0/24 (kubeadm's --pod-network-cidr=10.244.0.0/16 with /24 node
    masks); a cluster of more than 256 nodes carries on into 10.245.0.0/24 and up, wrapping
    past 10.255 into 10.0 (clear of the 10.96.0.0/12 service range up to 27,000 nodes)."""
    i = node_index(cluster, node)
    return f"10.{(244 + i // 256) % 256}.{i % 256}.0/24"


def write_file(cluster, node: str, path: str, data, mode: int = 0o644) -> None:
    host = cluster.host_path(node, path)
    os.makedirs(os.path.dirname(host), exist_ok=True)
    with open(host, "wb") as fh:
        fh.write(data.encode() if isinstance(data, str) else data)
    os.chmod(host, mode)


def now_datetime(cluster) -> _dt.datetime:
    return _dt.datetime.fromtimestamp(int(cluster.loop.wall()), tz=_dt.timezone.utc)


def kubeadm_init(cluster) -> None:
    with cluster.loop.relaxed_gc():     # thousands of nodes allocate millions of small dicts
        _kubeadm_init(cluster)


def _kubeadm_init(cluster) -> None:
    api = cluster.admin
    for node in cluster.node_names:
        os.makedirs(cluster.node_root(node), exist_ok=True)
    _pki(cluster)
    for ns in ("default", "kube-node-lease", "kube-public", "kube-system"):
        api.create("namespaces", None, {"apiVersion": "v1", "kind": "Namespace",
                                        "metadata": {"name": ns}})
    for obj in rbac_defaults.objects():
        api.create(obj["kind"], obj["metadata"].get("namespace"), obj)
    for ns in ("default", "kube-node-lease", "kube-public", "kube-system"):
        if api.try_get("serviceaccounts", ns, "default") is None:
            api.create("serviceaccounts", ns, {"apiVersion": "v1", "kind": "ServiceAccount",
                                               "metadata": {"name": "default"}})
    api.create("services", "default", {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kubernetes", "labels": {"component": "apiserver",
                                                      "provider": "kubernetes"}},
        "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                 "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                 "type": "ClusterIP", "sessionAffinity": "None"}})
    for phase in PHASES:
        phase(cluster)


def _pki(cluster) -> None:
    """Certificates and kubeconfigs (real X.509), and client-certificate authentication."""
    from kcore import pki
    cp = cluster.controlplane
    now = now_datetime(cluster)
    seed = str(cluster.seed)
    cas = pki.kubeadm_cas(now, seed)
    cluster.cas = cas
    for rel, data in pki.kubeadm_pki(cp, node_ip(cluster, cp), now, seed, cas=cas).items():
        write_file(cluster, cp, f"/etc/kubernetes/pki/{rel}", data,
                   0o600 if rel.endswith(".key") else 0o644)
    server = f"https://{node_ip(cluster, cp)}:6443"
    confs = pki.kubeadm_kubeconfigs(cas["ca"], server, cp, now)
    for fname, text in confs.items():
        write_file(cluster, cp, f"/etc/kubernetes/{fname}", text, 0o600)
    write_file(cluster, cp, "/root/.kube/config", confs["admin.conf"], 0o600)
    for node in cluster.node_names[1:]:
        cluster.lazy(node, lambda n=node: write_worker_identity(cluster, n))

    ca_cert = pki.load_cert(cas["ca"].cert_pem)

    def verify_client_certificate(pem: bytes):
        from kcore.apiserver.authn import User
        try:
            cert = pki.load_cert(pem)
            cert.verify_directly_issued_by(ca_cert)
        except Exception:  # noqa: BLE001 - any failure means: not signed by our CA
            return None
        if cert.issuer != ca_cert.subject:
            return None
        info = pki.cert_info(pem)
        when = cluster.loop.wall()
        nb, na = info.get("not_before"), info.get("not_after")
        if nb is not None and na is not None and not (nb.timestamp() <= when <= na.timestamp()):
            return None
        return User(info.get("common_name", ""), tuple(info.get("organizations", ())))

    cluster.verify_client_certificate = verify_client_certificate


KUBELET_CONF = """apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: {ca}
    server: {server}
  name: default-cluster
contexts:
- context:
    cluster: default-cluster
    namespace: default
    user: default-auth
  name: default-context
current-context: default-context
kind: Config
preferences: {{}}
users:
- name: default-auth
  user:
    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
"""


def write_worker_identity(cluster, node: str) -> None:
    """What `kubeadm join` and the kubelet's TLS bootstrap leave on a worker."""
    import base64
    from kcore import pki
    cas = cluster.cas
    server = f"https://{node_ip(cluster, cluster.controlplane)}:6443"
    write_file(cluster, node, "/etc/kubernetes/pki/ca.crt", cas["ca"].cert_pem)
    write_file(cluster, node, "/etc/kubernetes/kubelet.conf",
               KUBELET_CONF.format(ca=base64.b64encode(cas["ca"].cert_pem).decode(), server=server), 0o600)
    if hasattr(pki, "kubelet_pki"):
        for rel, data in pki.kubelet_pki(cas["ca"], node, now_datetime(cluster)).items():
            write_file(cluster, node, f"/var/lib/kubelet/pki/{rel}", data, 0o600)


# ---- components (the static-pod images start these; see kubelet/images) -----------------

NODE_LABELS = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
               "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux"}
CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def node_capacity(cluster, node: str) -> dict:
    spec = cluster.node_spec[node]
    return {"cpu": spec["cpu"], "ephemeral-storage": "50620216Ki", "hugepages-1Gi": "0",
            "hugepages-2Mi": "0", "memory": spec["memory"], "pods": str(spec.get("pods", 110))}


def start_kubelet(cluster, node: str):
    from kcore.apiserver.authn import node as node_user
    from kcore.cluster.components import ComponentHost
    from kcore.kubelet.kubelet import Kubelet
    from kcore.kubelet.static import StaticPods
    labels = dict(NODE_LABELS, **{"kubernetes.io/hostname": node})
    taints = []
    if cluster.node_spec[node]["role"] == "control-plane":
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        taints.append(dict(CONTROL_PLANE_TAINT))
    kl = Kubelet(node, cluster.api, user=node_user(node), node_ip=node_ip(cluster, node),
                 pod_cidr=pod_cidr(cluster, node), capacity=node_capacity(cluster, node),
                 labels=labels, taints=taints, version=cluster.version,
                 root=cluster.node_root(node), host_path=lambda p, n=node: cluster.host_path(n, p),
                 cni_required=True)
    kl.runtime.host = ComponentHost(cluster, node)
    kl.runtime.network = cluster.network
    kl.static = StaticPods(kl)
    prepull(cluster, kl)
    cluster.api.connectors[node] = kl
    cluster.hosts[node] = kl
    kl.start()
    return kl


_PREPULLED: dict = {}   # reference text -> (Image, Reference): resolved once per process


def prepull(cluster, kl) -> None:
    """kubeadm's preflight pulls the control-plane images; the add-on images are cached too."""
    from kcore.cluster.versions import COREDNS_FOR, ETCD_FOR, minor
    from kcore.kubelet import images
    m = minor(cluster.version)
    refs = [f"registry.k8s.io/kube-proxy:{cluster.version}", "registry.k8s.io/pause:3.10.1",
            f"registry.k8s.io/coredns/coredns:{COREDNS_FOR.get(m, 'v1.13.1')}"]
    if cluster.cni == "flannel":
        refs += ["ghcr.io/flannel-io/flannel:v0.27.4", "ghcr.io/flannel-io/flannel-cni-plugin:v1.8.0-flannel1"]
    if kl.node_name == cluster.controlplane:
        refs += [f"registry.k8s.io/{c}:{cluster.version}" for c in
                 ("kube-apiserver", "kube-controller-manager", "kube-scheduler")]
        refs.append(f"registry.k8s.io/etcd:{ETCD_FOR.get(m, '3.6.6-0')}")
    for ref in refs:
        got = _PREPULLED.get(ref)
        if got is None:
            got = _PREPULLED[ref] = images.resolve(ref)
        kl.runtime.pulled(*got)


def write_cni_config(cluster, node: str) -> None:
    conf = ('{\n  "name": "cbr0",\n  "cniVersion": "0.3.1",\n  "plugins": [\n    {\n'
            '      "type": "flannel",\n      "delegate": {\n        "hairpinMode": true,\n'
            '        "isDefaultGateway": true\n      }\n    },\n    {\n      "type": "portmap",\n'
            '      "capabilities": {\n        "portMappings": true\n      }\n    }\n  ]\n}\n')
    write_file(cluster, node, "/etc/cni/net.d/10-flannel.conflist", conf)
    kl = cluster.hosts.get(node)
    if kl is not None:
        kl.network_changed()


def write_static_manifests(cluster) -> None:
    from kcore.cluster import addons
    cp = cluster.controlplane
    ip = node_ip(cluster, cp)
    for name in ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"):
        from kcore.cluster.versions import ETCD_FOR, minor
        text = addons.data(f"{name}.yaml").replace("192.168.121.10", ip)
        text = text.replace("v1.35.0", cluster.version)
        text = text.replace("etcd:3.6.6-0", "etcd:" + ETCD_FOR.get(minor(cluster.version), "3.6.6-0"))
        write_file(cluster, cp, f"/etc/kubernetes/manifests/{name}.yaml", text, 0o600)


def write_node_files(cluster, node: str) -> None:
    if node != cluster.controlplane:
        cluster.lazy(node, lambda: _write_node_files(cluster, node))
        return
    _write_node_files(cluster, node)


def _write_node_files(cluster, node: str) -> None:
    from kcore.cluster import addons
    write_file(cluster, node, "/var/lib/kubelet/config.yaml", addons.data("kubelet-config.yaml"))
    write_file(cluster, node, "/var/lib/kubelet/kubeadm-flags.env",
               'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock '
               '--pod-infra-container-image=registry.k8s.io/pause:3.10.1"\n')
    os.makedirs(cluster.host_path(node, "/etc/kubernetes/manifests"), exist_ok=True)
    os.makedirs(cluster.host_path(node, "/etc/cni/net.d"), exist_ok=True)
    os.makedirs(cluster.host_path(node, "/opt/cni/bin"), exist_ok=True)
    os.makedirs(cluster.host_path(node, "/var/lib/etcd"), exist_ok=True)
    if node == cluster.controlplane:
        # the live etcd's data dir is not empty (etcd keeps its bbolt db and WAL there), so
        # `etcdutl snapshot restore --data-dir=/var/lib/etcd` is refused as on a real node
        for sub in ("member/snap", "member/wal"):
            os.makedirs(cluster.host_path(node, f"/var/lib/etcd/{sub}"), mode=0o700, exist_ok=True)
    os.makedirs(cluster.host_path(node, "/root"), exist_ok=True)


def create_objects(cluster, objs) -> None:
    for obj in objs:
        md = obj["metadata"]
        cluster.admin.create(obj["kind"], md.get("namespace"), obj)


def _components_phase(cluster) -> None:
    from kcore.cluster import addons
    for node in cluster.node_names:
        write_node_files(cluster, node)
    write_static_manifests(cluster)
    api = cluster.admin
    for name, value in (("system-cluster-critical", 2000000000), ("system-node-critical", 2000001000)):
        api.create("priorityclasses", None, {
            "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
            "metadata": {"name": name}, "value": value,
            "description": "Used for system critical pods that must run in the cluster, but can "
                           "be moved to another node if necessary." if name.endswith("cluster-critical")
            else "Used for system critical pods that must not be moved from their current node.",
            "preemptionPolicy": "PreemptLowerPriority"})
    server = f"https://{node_ip(cluster, cluster.controlplane)}:6443"
    api.create("endpoints", "default", {
        "apiVersion": "v1", "kind": "Endpoints",
        "metadata": {"name": "kubernetes", "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
        "subsets": [{"addresses": [{"ip": node_ip(cluster, cluster.controlplane)}],
                     "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]})
    create_objects(cluster, addons.coredns_objects(cluster.version))
    create_objects(cluster, addons.kube_proxy_objects(server, cluster.version))
    if cluster.cni == "flannel":
        # a kubeadm lab installs flannel with `kubectl apply -f kube-flannel.yml`: the objects
        # carry the last-applied annotation, so applying the manifest again changes nothing
        from kcore.machinery.patch import with_last_applied
        create_objects(cluster, [with_last_applied(o) for o in addons.flannel_objects()])
    for node in cluster.node_names:
        start_kubelet(cluster, node)


PHASES.append(_components_phase)


def join_node(cluster, node: str) -> None:
    """What `kubeadm join` does on a new worker."""
    os.makedirs(cluster.node_root(node), exist_ok=True)
    write_node_files(cluster, node)
    if getattr(cluster, "cas", None):
        cluster.lazy(node, lambda: write_worker_identity(cluster, node))
    start_kubelet(cluster, node)
