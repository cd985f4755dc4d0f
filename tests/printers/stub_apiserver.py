"""A throw-away loopback API server so the real kubectl can describe the objects we build.

Only what `kubectl describe` / `kubectl get -o ...` touch is served: legacy discovery for a
few groups, GET of single objects, and lists (selectors are ignored: each test serves only
what kubectl should find). Objects are registered by their API path."""
from __future__ import annotations

import json
import re
import os
import tempfile
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlparse, parse_qs

from tests.loopback import LoopbackServer

RESOURCES = {
    "v1": [("pods", "Pod", True), ("nodes", "Node", False), ("services", "Service", True),
           ("events", "Event", True), ("namespaces", "Namespace", False), ("configmaps", "ConfigMap", True),
           ("secrets", "Secret", True), ("serviceaccounts", "ServiceAccount", True),
           ("persistentvolumes", "PersistentVolume", False),
           ("persistentvolumeclaims", "PersistentVolumeClaim", True),
           ("resourcequotas", "ResourceQuota", True), ("limitranges", "LimitRange", True),
           ("endpoints", "Endpoints", True)],
    "apps/v1": [("deployments", "Deployment", True), ("replicasets", "ReplicaSet", True),
                ("daemonsets", "DaemonSet", True), ("statefulsets", "StatefulSet", True)],
    "batch/v1": [("jobs", "Job", True), ("cronjobs", "CronJob", True)],
    "networking.k8s.io/v1": [("ingresses", "Ingress", True), ("networkpolicies", "NetworkPolicy", True),
                             ("ingressclasses", "IngressClass", False)],
    "discovery.k8s.io/v1": [("endpointslices", "EndpointSlice", True)],
    "coordination.k8s.io/v1": [("leases", "Lease", True)],
    "rbac.authorization.k8s.io/v1": [("roles", "Role", True), ("rolebindings", "RoleBinding", True),
                                     ("clusterroles", "ClusterRole", False),
                                     ("clusterrolebindings", "ClusterRoleBinding", False)],
    "storage.k8s.io/v1": [("storageclasses", "StorageClass", False)],
    "autoscaling/v2": [("horizontalpodautoscalers", "HorizontalPodAutoscaler", True)],
    "policy/v1": [("poddisruptionbudgets", "PodDisruptionBudget", True)],
    "scheduling.k8s.io/v1": [("priorityclasses", "PriorityClass", False)],
}
SHORT_NAMES = {"pods": ["po"], "nodes": ["no"], "services": ["svc"], "events": ["ev"], "namespaces": ["ns"],
               "configmaps": ["cm"], "serviceaccounts": ["sa"], "persistentvolumes": ["pv"],
               "persistentvolumeclaims": ["pvc"], "resourcequotas": ["quota"], "limitranges": ["limits"],
               "endpoints": ["ep"], "deployments": ["deploy"], "replicasets": ["rs"], "daemonsets": ["ds"],
               "statefulsets": ["sts"], "cronjobs": ["cj"], "ingresses": ["ing"], "networkpolicies": ["netpol"],
               "storageclasses": ["sc"], "poddisruptionbudgets": ["pdb"], "priorityclasses": ["pc"], "horizontalpodautoscalers": ["hpa"]}
VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"]


def _kind_of(gv, plural):
    for p, kind, _ in RESOURCES[gv]:
        if p == plural:
            return kind
    return "Unknown"


def _field(obj, dotted):
    cur = obj
    for key in dotted.split("."):
        cur = cur.get(key) if isinstance(cur, dict) else None
    return "" if cur is None else str(cur)


def _matches(obj, query) -> bool:
    """Equality field and label selectors, enough for what describe asks."""
    for term in filter(None, query.get("fieldSelector", "").split(",")):
        key, op, value = re.match(r"([^!=]+)(!=|==|=)(.*)", term).groups()
        if (_field(obj, key) == value) != (op != "!="):
            return False
    labels = (obj.get("metadata") or {}).get("labels") or {}
    for term in filter(None, query.get("labelSelector", "").split(",")):
        key, _, value = term.partition("=")
        if labels.get(key) != value:
            return False
    return True


class StubAPI:
    def __init__(self, now: float = 0.0):
        self.objects: dict[str, dict] = {}
        self.now = now

    def add(self, obj: dict) -> None:
        """Register an object under its API path, from apiVersion/kind/namespace/name."""
        gv = obj["apiVersion"]
        plural = next(p for p, k, _ in RESOURCES[gv] if k == obj["kind"])
        ns = obj["metadata"].get("namespace")
        prefix = "/api/v1" if gv == "v1" else f"/apis/{gv}"
        path = f"{prefix}/namespaces/{ns}/{plural}/{obj['metadata']['name']}" if ns else \
            f"{prefix}/{plural}/{obj['metadata']['name']}"
        self.objects[path] = obj

    def as_table(self, result: dict, query: dict) -> dict:
        """Server-side printing: a meta.k8s.io/v1 Table built by our own printers, the way the
        reference's stub did, so kubectl's client-side decoration can be compared."""
        from kcore.cli.kubectl.printers import table_rows, printer_for
        items = result["items"] if result.get("kind", "").endswith("List") else [result]
        kind = result["kind"][:-4] if result.get("kind", "").endswith("List") else result["kind"]
        printer = printer_for(kind)
        headers = table_rows(kind, items[0], self.now, wide=True)[0] if items else \
            list(printer.headers) + ([] if printer.wide_replaces else list(printer.wide_headers))
        if printer.wide_replaces:
            headers = list(printer.wide_headers)
        defaults = list(printer.headers)
        columns = [{"name": h.title() if h != "NAME" else "Name", "type": "string",
                    "format": "name" if h == "NAME" else "", "description": "",
                    "priority": 0 if h in defaults else 1} for h in headers]
        rows = []
        for obj in items:
            cells = table_rows(kind, obj, self.now, wide=True)[1][0]
            if query.get("includeObject") == "Object":
                embedded = obj
            else:
                embedded = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                            "metadata": obj["metadata"]}
            rows.append({"cells": cells, "object": embedded})
        return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "1"},
                "columnDefinitions": columns, "rows": rows}

    def handle(self, path: str, query: dict | None = None):
        query = query or {}
        parts = path.rstrip("/").split("/")
        if path == "/api":
            return {"kind": "APIVersions", "versions": ["v1"],
                    "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}
        if path == "/apis":
            groups = []
            for gv in RESOURCES:
                if gv == "v1":
                    continue
                group, version = gv.split("/")
                groups.append({"name": group, "versions": [{"groupVersion": gv, "version": version}],
                               "preferredVersion": {"groupVersion": gv, "version": version}})
            return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
        gv = "v1" if path.startswith("/api/v1") else "/".join(parts[2:4]) if path.startswith("/apis/") else None
        base = "/api/v1" if gv == "v1" else f"/apis/{gv}"
        if gv in RESOURCES and path.rstrip("/") == base:
            return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
                    "resources": [{"name": p, "singularName": k.lower(), "namespaced": ns, "kind": k,
                                   "verbs": VERBS, "shortNames": SHORT_NAMES.get(p, [])} for p, k, ns in RESOURCES[gv]]}
        if path in self.objects:
            return self.objects[path]
        if gv in RESOURCES:
            plural = parts[-1]
            items = [o for p, o in self.objects.items() if p.startswith(base) and p.split("/")[-2] == plural
                     and (f"/namespaces/" not in path or p.startswith(path + "/"))
                     and _matches(o, query)]
            kind = _kind_of(gv, plural)
            if kind != "Unknown":
                return {"kind": f"{kind}List", "apiVersion": gv, "metadata": {"resourceVersion": "1"},
                        "items": items}
        name, plural = parts[-1], parts[-2] if len(parts) > 1 else ""
        group = "" if gv in (None, "v1") else "." + gv.split("/")[0]
        return 404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound",
                     "code": 404, "message": f'{plural}{group} "{name}" not found'}

    def __enter__(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                result = api.handle(url.path, query)
                code = 200
                if isinstance(result, tuple):
                    code, result = result
                elif "as=Table" in self.headers.get("Accept", "") and result.get("kind") not in (
                        "APIVersions", "APIGroupList", "APIResourceList"):
                    result = api.as_table(result, query)
                body = json.dumps(result).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = LoopbackServer(("127.0.0.1", 0), Handler)
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()
        self.dir = tempfile.TemporaryDirectory()
        self.kubeconfig = os.path.join(self.dir.name, "config")
        with open(self.kubeconfig, "w") as f:
            json.dump({"apiVersion": "v1", "kind": "Config", "current-context": "stub",
                       "clusters": [{"name": "stub", "cluster": {"server": f"http://127.0.0.1:{self.server.server_port}"}}],
                       "contexts": [{"name": "stub", "context": {"cluster": "stub", "user": "u", "namespace": "default"}}],
                       "users": [{"name": "u", "user": {}}]}, f)
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.dir.cleanup()
