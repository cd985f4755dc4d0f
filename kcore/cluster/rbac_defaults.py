"""The RBAC objects a fresh kubeadm cluster starts with.

The API server's bootstrap policy (cluster-admin, admin, edit, view, the system: roles) and
kubeadm's own binding of the `kubeadm:cluster-admins` group to cluster-admin — which is what
makes `kubernetes-admin` in admin.conf all-powerful."""
from __future__ import annotations

READ = ["get", "list", "watch"]
WRITE = ["create", "delete", "deletecollection", "patch", "update"]

WORKLOADS = [
    ("", ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "pods/log",
          "pods/status", "replicationcontrollers", "replicationcontrollers/scale", "services",
          "services/proxy", "endpoints", "persistentvolumeclaims", "configmaps", "secrets",
          "serviceaccounts", "events", "limitranges", "resourcequotas", "namespaces"]),
    ("apps", ["daemonsets", "deployments", "deployments/rollback", "deployments/scale",
              "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale",
              "controllerrevisions"]),
    ("autoscaling", ["horizontalpodautoscalers"]),
    ("batch", ["cronjobs", "jobs"]),
    ("networking.k8s.io", ["ingresses", "networkpolicies"]),
    ("policy", ["poddisruptionbudgets"]),
    ("discovery.k8s.io", ["endpointslices"]),
]


def _role(name, rules, labels=None, annotations=None):
    md = {"name": name, "labels": {"kubernetes.io/bootstrapping": "rbac-defaults", **(labels or {})},
          "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true", **(annotations or {})}}
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": md,
            "rules": rules}


def _binding(name, role, subjects, labels=True):
    md = {"name": name}
    if labels:
        md["labels"] = {"kubernetes.io/bootstrapping": "rbac-defaults"}
        md["annotations"] = {"rbac.authorization.kubernetes.io/autoupdate": "true"}
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": md,
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                        "name": role}, "subjects": subjects}


def _group(name):
    return {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": name}


def _user(name):
    return {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": name}


def objects() -> list[dict]:
    view = [{"apiGroups": [g], "resources": [r for r in rs if r not in ("secrets", "pods/exec",
                                                                         "pods/attach",
                                                                         "pods/portforward",
                                                                         "pods/proxy",
                                                                         "services/proxy")],
             "verbs": READ} for g, rs in WORKLOADS]
    edit = [{"apiGroups": [g], "resources": [r for r in rs if r != "namespaces"],
             "verbs": READ + WRITE} for g, rs in WORKLOADS]
    admin = edit + [
        {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["rolebindings", "roles"],
         "verbs": READ + WRITE},
        {"apiGroups": ["authorization.k8s.io"], "resources": ["localsubjectaccessreviews"],
         "verbs": ["create"]}]
    out = [
        _role("cluster-admin", [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
                                {"nonResourceURLs": ["*"], "verbs": ["*"]}]),
        _role("admin", admin, {"kubernetes.io/bootstrapping": "rbac-defaults"}),
        _role("edit", edit, {"rbac.authorization.k8s.io/aggregate-to-admin": "true"}),
        _role("view", view, {"rbac.authorization.k8s.io/aggregate-to-edit": "true"}),
        _role("system:basic-user", [{"apiGroups": ["authorization.k8s.io"],
                                     "resources": ["selfsubjectaccessreviews",
                                                   "selfsubjectrulesreviews"],
                                     "verbs": ["create"]},
                                    {"apiGroups": ["authentication.k8s.io"],
                                     "resources": ["selfsubjectreviews"], "verbs": ["create"]}]),
        _role("system:discovery", [{"nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*",
                                                        "/healthz", "/livez", "/openapi",
                                                        "/openapi/*", "/readyz", "/version",
                                                        "/version/"], "verbs": ["get"]}]),
        _role("system:public-info-viewer", [{"nonResourceURLs": ["/healthz", "/livez",
                                                                 "/readyz", "/version",
                                                                 "/version/"], "verbs": ["get"]}]),
        _role("system:node", [{"apiGroups": [""], "resources": ["nodes", "nodes/status", "pods",
                                                                "pods/status", "events"],
                               "verbs": READ + WRITE}]),
        _role("system:kube-scheduler", [{"apiGroups": ["", "events.k8s.io"],
                                         "resources": ["events"], "verbs": ["create", "patch", "update"]},
                                        {"apiGroups": [""], "resources": ["pods/binding", "bindings"],
                                         "verbs": ["create"]},
                                        {"apiGroups": [""], "resources": ["nodes", "pods"],
                                         "verbs": READ}]),
        _role("system:kube-controller-manager", [{"apiGroups": ["*"], "resources": ["*"],
                                                  "verbs": READ + WRITE}]),
        _role("system:certificates.k8s.io:certificatesigningrequests:nodeclient",
              [{"apiGroups": ["certificates.k8s.io"],
                "resources": ["certificatesigningrequests/nodeclient"], "verbs": ["create"]}]),
        _binding("cluster-admin", "cluster-admin", [_group("system:masters")]),
        _binding("kubeadm:cluster-admins", "cluster-admin", [_group("kubeadm:cluster-admins")],
                 labels=False),
        _binding("system:basic-user", "system:basic-user", [_group("system:authenticated")]),
        _binding("system:discovery", "system:discovery", [_group("system:authenticated")]),
        _binding("system:public-info-viewer", "system:public-info-viewer",
                 [_group("system:authenticated"), _group("system:unauthenticated")]),
        _binding("system:kube-scheduler", "system:kube-scheduler", [_user("system:kube-scheduler")]),
        _binding("system:kube-controller-manager", "system:kube-controller-manager",
                 [_user("system:kube-controller-manager")]),
    ]
    return out
