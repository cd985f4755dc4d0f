"""Well-known manifests by URL: what `kubectl apply -f https://…` fetches in the exam.

There is no network, so the add-on manifests a CKA candidate installs by URL are kept here:
metrics-server's components.yaml and flannel's kube-flannel.yml. Their images are programs
like every other (metrics-server starts the metrics pipeline; flannel writes the CNI config)."""
from __future__ import annotations

import yaml

from kcore.cluster import addons


def metrics_server_objects() -> list[dict]:
    rbac = "rbac.authorization.k8s.io"
    ns = "kube-system"
    lab = {"k8s-app": "metrics-server"}
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount",
         "metadata": {"labels": lab, "name": "metrics-server", "namespace": ns}},
        {"apiVersion": f"{rbac}/v1", "kind": "ClusterRole",
         "metadata": {"labels": dict(lab, **{"rbac.authorization.k8s.io/aggregate-to-admin": "true",
                                             "rbac.authorization.k8s.io/aggregate-to-edit": "true",
                                             "rbac.authorization.k8s.io/aggregate-to-view": "true"}),
                      "name": "system:aggregated-metrics-reader"},
         "rules": [{"apiGroups": ["metrics.k8s.io"], "resources": ["pods", "nodes"],
                    "verbs": ["get", "list", "watch"]}]},
        {"apiVersion": f"{rbac}/v1", "kind": "ClusterRole",
         "metadata": {"labels": lab, "name": "system:metrics-server"},
         "rules": [{"apiGroups": [""], "resources": ["nodes/metrics"], "verbs": ["get"]},
                   {"apiGroups": [""], "resources": ["pods", "nodes"], "verbs": ["get", "list", "watch"]}]},
        {"apiVersion": f"{rbac}/v1", "kind": "ClusterRoleBinding",
         "metadata": {"labels": lab, "name": "system:metrics-server"},
         "roleRef": {"apiGroup": rbac, "kind": "ClusterRole", "name": "system:metrics-server"},
         "subjects": [{"kind": "ServiceAccount", "name": "metrics-server", "namespace": ns}]},
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"labels": lab, "name": "metrics-server", "namespace": ns},
         "spec": {"ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": "https"}],
                  "selector": lab}},
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"labels": lab, "name": "metrics-server", "namespace": ns},
         "spec": {"selector": {"matchLabels": lab}, "strategy": {"rollingUpdate": {"maxUnavailable": 0}},
                  "template": {"metadata": {"labels": lab}, "spec": {
                      "containers": [{
                          "args": ["--cert-dir=/tmp", "--secure-port=10250",
                                   "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
                                   "--kubelet-use-node-status-port", "--metric-resolution=15s"],
                          "image": "registry.k8s.io/metrics-server/metrics-server:v0.8.0",
                          "imagePullPolicy": "IfNotPresent", "name": "metrics-server",
                          "ports": [{"containerPort": 10250, "name": "https", "protocol": "TCP"}],
                          "readinessProbe": {"failureThreshold": 3, "httpGet": {"path": "/readyz", "port": "https", "scheme": "HTTPS"},
                                             "initialDelaySeconds": 20, "periodSeconds": 10},
                          "resources": {"requests": {"cpu": "100m", "memory": "200Mi"}},
                          "volumeMounts": [{"mountPath": "/tmp", "name": "tmp-dir"}]}],
                      "nodeSelector": {"kubernetes.io/os": "linux"},
                      "priorityClassName": "system-cluster-critical",
                      "serviceAccountName": "metrics-server",
                      "volumes": [{"emptyDir": {}, "name": "tmp-dir"}]}}}},
    ]


def ingress_nginx_objects() -> list[dict]:
    """ingress-nginx's deploy.yaml (bare metal: a NodePort Service), reduced to what runs."""
    rbac = "rbac.authorization.k8s.io"
    ns = "ingress-nginx"
    lab = {"app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx",
           "app.kubernetes.io/name": "ingress-nginx"}
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns, "labels": {
            "app.kubernetes.io/instance": "ingress-nginx", "app.kubernetes.io/name": "ingress-nginx"}}},
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "ingress-nginx", "namespace": ns, "labels": lab}},
        {"apiVersion": f"{rbac}/v1", "kind": "ClusterRole", "metadata": {"name": "ingress-nginx", "labels": lab},
         "rules": [{"apiGroups": [""], "resources": ["configmaps", "endpoints", "nodes", "pods", "secrets", "namespaces", "services"],
                    "verbs": ["list", "watch", "get"]},
                   {"apiGroups": ["networking.k8s.io"], "resources": ["ingresses", "ingressclasses"],
                    "verbs": ["get", "list", "watch"]},
                   {"apiGroups": ["networking.k8s.io"], "resources": ["ingresses/status"], "verbs": ["update"]},
                   {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": ["list", "watch", "get"]}]},
        {"apiVersion": f"{rbac}/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "ingress-nginx", "labels": lab},
         "roleRef": {"apiGroup": rbac, "kind": "ClusterRole", "name": "ingress-nginx"},
         "subjects": [{"kind": "ServiceAccount", "name": "ingress-nginx", "namespace": ns}]},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ingress-nginx-controller", "namespace": ns, "labels": lab},
         "data": {}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ingress-nginx-controller", "namespace": ns, "labels": lab},
         "spec": {"type": "NodePort", "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"],
                  "ports": [{"appProtocol": "http", "name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"},
                            {"appProtocol": "https", "name": "https", "port": 443, "protocol": "TCP", "targetPort": "https"}],
                  "selector": lab}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "ingress-nginx-controller", "namespace": ns, "labels": lab},
         "spec": {"minReadySeconds": 0, "revisionHistoryLimit": 10, "selector": {"matchLabels": lab},
                  "strategy": {"rollingUpdate": {"maxUnavailable": 1}, "type": "RollingUpdate"},
                  "template": {"metadata": {"labels": lab}, "spec": {
                      "containers": [{"name": "controller", "image": "registry.k8s.io/ingress-nginx/controller:v1.12.1",
                                      "args": ["/nginx-ingress-controller", "--election-id=ingress-nginx-leader",
                                               "--controller-class=k8s.io/ingress-nginx",
                                               "--ingress-class=nginx", "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller"],
                                      "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                              {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}],
                                      "ports": [{"containerPort": 80, "name": "http", "protocol": "TCP"},
                                                {"containerPort": 443, "name": "https", "protocol": "TCP"}],
                                      "resources": {"requests": {"cpu": "100m", "memory": "90Mi"}}}],
                      "nodeSelector": {"kubernetes.io/os": "linux"}, "serviceAccountName": "ingress-nginx",
                      "terminationGracePeriodSeconds": 300}}}},
        {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "nginx", "labels": lab},
         "spec": {"controller": "k8s.io/ingress-nginx"}},
    ]


KNOWN = {
    "metrics-server": ("components.yaml", metrics_server_objects),
    "flannel": ("kube-flannel.yml", addons.flannel_objects),
    "ingress-nginx": ("deploy.yaml", ingress_nginx_objects),
}


def lookup_url(url: str) -> str | None:
    """The YAML text served at a well-known URL, or None."""
    for key, (fname, build) in KNOWN.items():
        if key in url and url.rstrip("/").endswith(fname):
            return yaml.dump_all(build(), sort_keys=False)
    return None
