"""Endpoints: each Service with a selector lists the IPs and ports of the pods behind it.

A pod counts once it has an IP; it is an `address` when Ready and a `notReadyAddress`
otherwise. targetPort resolves by number, or by name through each pod's container ports.
A Service whose selector matches nothing has Endpoints with no subsets — the first thing to
check when a Service "does not work"."""
from __future__ import annotations

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller, key_of, split_key
from kcore.controllers.podcontrol import is_ready


def selected_pods(pods_informer, svc):
    from kcore.machinery import labels
    sel = (svc.get("spec") or {}).get("selector")
    if not sel:
        return None
    s = labels.from_label_selector({"matchLabels": sel})
    ns = svc["metadata"].get("namespace")
    return sorted((p for p in pods_informer.list(ns)
                   if s.matches(p["metadata"].get("labels") or {})
                   and (p.get("status") or {}).get("podIP")
                   and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")),
                  key=lambda p: p["metadata"]["name"])


def resolve_port(pod, target):
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    for c in (pod.get("spec") or {}).get("containers") or []:
        for p in c.get("ports") or []:
            if p.get("name") == target:
                return p.get("containerPort")
    return None


class EndpointsController(Controller):
    name = "endpoints"
    component_name = "endpoint-controller"

    def setup(self) -> None:
        self.services = self.informer("services")
        self.pods = self.informer("pods")
        self.services.add_handler(lambda et, s, old: self.enqueue(key_of(s)))
        self.pods.add_handler(self._on_pod)

    def _on_pod(self, etype, pod, old):
        from kcore.machinery import labels
        ns = pod["metadata"].get("namespace")
        lbls = [pod["metadata"].get("labels") or {}]
        if old is not None:
            lbls.append(old["metadata"].get("labels") or {})
        for svc in self.services.list(ns):
            sel = (svc.get("spec") or {}).get("selector")
            if sel and any(labels.from_label_selector({"matchLabels": sel}).matches(l) for l in lbls):
                self.enqueue(key_of(svc))

    def reconcile(self, key: str):
        ns, name = split_key(key)
        svc = self.services.get(ns, name)
        if svc is None:
            try:
                self.client.delete("endpoints", ns, name)
            except ApiError:
                pass
            return None
        pods = selected_pods(self.pods, svc)
        if pods is None:
            return None  # no selector: endpoints are managed by hand
        ports_spec = (svc.get("spec") or {}).get("ports") or []
        groups: dict = {}
        for pod in pods:
            ports = []
            for sp in ports_spec:
                target = sp.get("targetPort", sp.get("port"))
                num = resolve_port(pod, target)
                if num is None:
                    continue
                port = {"port": num, "protocol": sp.get("protocol", "TCP")}
                if sp.get("name"):
                    port["name"] = sp["name"]
                ports.append(port)
            key_ports = tuple(sorted((p.get("name", ""), p["port"], p["protocol"]) for p in ports))
            g = groups.setdefault(key_ports, {"addresses": [], "notReadyAddresses": [], "ports": ports})
            addr = {"ip": pod["status"]["podIP"], "nodeName": (pod.get("spec") or {}).get("nodeName"),
                    "targetRef": {"kind": "Pod", "name": pod["metadata"]["name"],
                                  "namespace": ns, "uid": pod["metadata"]["uid"]}}
            (g["addresses"] if is_ready(pod) else g["notReadyAddresses"]).append(addr)
        subsets = []
        for g in groups.values():
            sub = {}
            if g["addresses"]:
                sub["addresses"] = sorted(g["addresses"], key=lambda a: a["ip"])
            if g["notReadyAddresses"]:
                sub["notReadyAddresses"] = sorted(g["notReadyAddresses"], key=lambda a: a["ip"])
            if g["ports"] and sub:
                sub["ports"] = g["ports"]
                subsets.append(sub)
        labels_ = dict(svc["metadata"].get("labels") or {})
        labels_["endpoints.kubernetes.io/managed-by"] = "endpoint-controller"
        body = {"apiVersion": "v1", "kind": "Endpoints",
                "metadata": {"name": name, "namespace": ns, "labels": labels_}}
        if subsets:
            body["subsets"] = subsets
        current = self.client.try_get("endpoints", ns, name)
        if current is None:
            self.client.create("endpoints", ns, body)
            return None
        if current.get("subsets") == body.get("subsets") and \
                current["metadata"].get("labels") == labels_:
            return None
        current["subsets"] = body.get("subsets")
        if not subsets:
            current.pop("subsets", None)
        current["metadata"]["labels"] = labels_
        self.client.update("endpoints", ns, current)
        return None
