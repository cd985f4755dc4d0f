"""The add-ons kubeadm installs (CoreDNS, kube-proxy) and a CNI (flannel), as API objects.

Manifests follow what kubeadm v1.35 applies (data/*.yaml, taken from the reference), with
the cluster's addresses filled in. The CNI is not kubeadm's: a learner installs one, and
until then every node is NotReady — `Cluster(cni=None)` leaves that step to the learner."""
from __future__ import annotations

import os

import yaml

DATA = os.path.join(os.path.dirname(__file__), "data")


def data(name: str) -> str:
    with open(os.path.join(DATA, name), encoding="utf-8") as fh:
        return fh.read()


def load(name: str, **subst) -> dict:
    text = data(name)
    for k, v in subst.items():
        text = text.replace(k, v)
    return yaml.load(text, Loader=yaml.CSafeLoader)


def coredns_objects(version: str = "v1.35.0") -> list[dict]:
    rbac = "rbac.authorization.k8s.io"
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount",
         "metadata": {"name": "coredns", "namespace": "kube-system"}},
        {"apiVersion": f"{rbac}/v1", "kind": "ClusterRole", "metadata": {"name": "system:coredns"},
         "rules": [{"apiGroups": [""], "resources": ["endpoints", "services", "pods", "namespaces"],
                    "verbs": ["list", "watch"]},
                   {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"],
                    "verbs": ["list", "watch"]}]},
        {"apiVersion": f"{rbac}/v1", "kind": "ClusterRoleBinding",
         "metadata": {"name": "system:coredns"},
         "roleRef": {"apiGroup": rbac, "kind": "ClusterRole", "name": "system:coredns"},
         "subjects": [{"kind": "ServiceAccount", "name": "coredns", "namespace": "kube-system"}]},
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "coredns", "namespace": "kube-system"},
         "data": {"Corefile": data("Corefile")}},
        _coredns_deployment(version),
        load("kube-dns-service.yaml"),
    ]


def _coredns_deployment(version):
    from kcore.cluster.versions import COREDNS_FOR, minor
    return load("coredns-deployment.yaml",
                **{"coredns:v1.13.1": "coredns:" + COREDNS_FOR.get(minor(version), "v1.13.1")})


def kube_proxy_objects(server: str, version: str) -> list[dict]:
    rbac = "rbac.authorization.k8s.io"
    ds = load("kube-proxy-daemonset.yaml", **{"v1.35.0": version})
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount",
         "metadata": {"name": "kube-proxy", "namespace": "kube-system"}},
        {"apiVersion": f"{rbac}/v1", "kind": "ClusterRoleBinding",
         "metadata": {"name": "kubeadm:node-proxier"},
         "roleRef": {"apiGroup": rbac, "kind": "ClusterRole", "name": "system:node-proxier"},
         "subjects": [{"kind": "ServiceAccount", "name": "kube-proxy", "namespace": "kube-system"}]},
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "kube-proxy", "namespace": "kube-system",
                      "labels": {"app": "kube-proxy"}},
         "data": {"config.conf": data("kube-proxy-config.conf"),
                  "kubeconfig.conf": data("kube-proxy-kubeconfig.conf").replace(
                      "https://192.168.121.10:6443", server)}},
        ds,
    ]


FLANNEL_CNI = """{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "flannel",
      "delegate": {
        "hairpinMode": true,
        "isDefaultGateway": true
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    }
  ]
}
"""


def flannel_objects() -> list[dict]:
    """kube-flannel.yml, the manifest `kubectl apply -f` installs flannel with."""
    rbac = "rbac.authorization.k8s.io"
    ns = "kube-flannel"
    labels = {"app": "flannel", "k8s-app": "flannel", "tier": "node"}
    return [
        {"apiVersion": "v1", "kind": "Namespace",
         "metadata": {"name": ns, "labels": {"k8s-app": "flannel",
                                             "pod-security.kubernetes.io/enforce": "privileged"}}},
        {"apiVersion": "v1", "kind": "ServiceAccount",
         "metadata": {"name": "flannel", "namespace": ns, "labels": {"k8s-app": "flannel"}}},
        {"apiVersion": f"{rbac}/v1", "kind": "ClusterRole",
         "metadata": {"name": "flannel", "labels": {"k8s-app": "flannel"}},
         "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
                   {"apiGroups": [""], "resources": ["nodes"], "verbs": ["get", "list", "watch"]},
                   {"apiGroups": [""], "resources": ["nodes/status"], "verbs": ["patch"]}]},
        {"apiVersion": f"{rbac}/v1", "kind": "ClusterRoleBinding",
         "metadata": {"name": "flannel", "labels": {"k8s-app": "flannel"}},
         "roleRef": {"apiGroup": rbac, "kind": "ClusterRole", "name": "flannel"},
         "subjects": [{"kind": "ServiceAccount", "name": "flannel", "namespace": ns}]},
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "kube-flannel-cfg", "namespace": ns, "labels": labels},
         "data": {"cni-conf.json": FLANNEL_CNI,
                  "net-conf.json": '{\n  "Network": "10.244.0.0/16",\n  "EnableNFTables": false,\n'
                                   '  "Backend": {\n    "Type": "vxlan"\n  }\n}\n'}},
        {"apiVersion": "apps/v1", "kind": "DaemonSet",
         "metadata": {"name": "kube-flannel-ds", "namespace": ns, "labels": labels},
         "spec": {"selector": {"matchLabels": {"app": "flannel"}},
                  "template": {"metadata": {"labels": labels},
                               "spec": {"hostNetwork": True, "priorityClassName": "system-node-critical",
                                        "serviceAccountName": "flannel",
                                        "tolerations": [{"effect": "NoSchedule", "operator": "Exists"}],
                                        "initContainers": [
                                            {"name": "install-cni-plugin",
                                             "image": "ghcr.io/flannel-io/flannel-cni-plugin:v1.8.0-flannel1",
                                             "command": ["cp"],
                                             "args": ["-f", "/flannel", "/opt/cni/bin/flannel"]},
                                            {"name": "install-cni",
                                             "image": "ghcr.io/flannel-io/flannel:v0.27.4",
                                             "command": ["cp"],
                                             "args": ["-f", "/etc/kube-flannel/cni-conf.json",
                                                      "/etc/cni/net.d/10-flannel.conflist"]}],
                                        "containers": [
                                            {"name": "kube-flannel",
                                             "image": "ghcr.io/flannel-io/flannel:v0.27.4",
                                             "command": ["/opt/bin/flanneld"],
                                             "args": ["--ip-masq", "--kube-subnet-mgr"],
                                             "resources": {"requests": {"cpu": "100m", "memory": "50Mi"}},
                                             "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                                     {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}]}]}}}},
    ]
