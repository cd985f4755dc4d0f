"""kubectl cluster-info: where the control plane and cluster services are."""
from __future__ import annotations

from kcore.cli.kubectl.flags import Flag

FLAGS = []


def run(ctx, p):
    if p.args and p.args[0] == "dump":
        from kcore.cli.kubectl import KubectlError
        raise KubectlError("cluster-info dump is not available in kcore; use kubectl get ... -o yaml")
    server = ctx.kubeconfig.server
    ctx.client  # refuses when the API server is down
    ctx.out(f"Kubernetes control plane is running at {server}")
    for svc in ctx.client.list("services", "kube-system", label_selector="kubernetes.io/cluster-service=true")["items"]:
        name = svc["metadata"]["name"]
        title = (svc["metadata"].get("labels") or {}).get("kubernetes.io/name", name)
        port = ((svc.get("spec") or {}).get("ports") or [{}])[0].get("name", "")
        ctx.out(f"{title} is running at {server}/api/v1/namespaces/kube-system/services/{name}:{port}/proxy")
    ctx.out("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")
    return 0
