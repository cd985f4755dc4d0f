"""EndpointSlices: the scalable successor of Endpoints, one slice per Service here.

Each slice is named `<service>-<suffix>`, labelled `kubernetes.io/service-name`, and lists
endpoints with their ready/serving/terminating conditions, node and zone-free topology."""
from __future__ import annotations

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller, key_of, owner_ref, split_key
from kcore.controllers.endpoints import resolve_port, selected_pods
from kcore.controllers.podcontrol import is_ready

SERVICE_NAME = "kubernetes.io/service-name"
MANAGED_BY = "endpointslice.kubernetes.io/managed-by"


class EndpointSliceController(Controller):
    name = "endpointslice"
    component_name = "endpoint-slice-controller"

    def setup(self) -> None:
        self.services = self.informer("services")
        self.pods = self.informer("pods")
        self.slices = self.informer("endpointslices")
        self.services.add_handler(lambda et, s, old: self.enqueue(key_of(s)))
        self.pods.add_handler(self._on_pod)

    def _on_pod(self, etype, pod, old):
        from kcore.machinery import labels
        ns = pod["metadata"].get("namespace")
        lbls = [pod["metadata"].get("labels") or {}] + ([old["metadata"].get("labels") or {}] if old else [])
        for svc in self.services.list(ns):
            sel = (svc.get("spec") or {}).get("selector")
            if sel and any(labels.from_label_selector({"matchLabels": sel}).matches(l) for l in lbls):
                self.enqueue(key_of(svc))

    def _mine(self, ns, name):
        return [s for s in self.slices.list(ns)
                if (s["metadata"].get("labels") or {}).get(SERVICE_NAME) == name
                and (s["metadata"].get("labels") or {}).get(MANAGED_BY) == "endpointslice-controller.k8s.io"]

    def reconcile(self, key: str):
        ns, name = split_key(key)
        svc = self.services.get(ns, name)
        if svc is None:
            return None  # the garbage collector removes owned slices
        pods = selected_pods(self.pods, svc)
        if pods is None:
            return None
        ports, endpoints = [], []
        for sp in (svc.get("spec") or {}).get("ports") or []:
            target = sp.get("targetPort", sp.get("port"))
            num = resolve_port(pods[0], target) if pods else (target if isinstance(target, int) else None)
            p = {"name": sp.get("name", ""), "port": num, "protocol": sp.get("protocol", "TCP")}
            if num is None:
                p.pop("port")
            ports.append(p)
        for pod in pods:
            ready = is_ready(pod)
            term = bool(pod["metadata"].get("deletionTimestamp"))
            endpoints.append({"addresses": [pod["status"]["podIP"]],
                              "conditions": {"ready": ready and not term, "serving": ready,
                                             "terminating": term},
                              "nodeName": (pod.get("spec") or {}).get("nodeName"),
                              "targetRef": {"kind": "Pod", "name": pod["metadata"]["name"],
                                            "namespace": ns, "uid": pod["metadata"]["uid"]}})
        existing = self._mine(ns, name)
        labels_ = dict(svc["metadata"].get("labels") or {})
        labels_.update({SERVICE_NAME: name, MANAGED_BY: "endpointslice-controller.k8s.io"})
        body = {"addressType": "IPv4", "endpoints": endpoints or None, "ports": ports or None}
        if existing:
            cur = existing[0]
            if cur.get("endpoints") == body["endpoints"] and cur.get("ports") == body["ports"]:
                return None
            cur = dict(cur)
            cur["endpoints"], cur["ports"] = body["endpoints"], body["ports"]
            for k in ("endpoints", "ports"):
                if cur[k] is None:
                    cur.pop(k)
            self.client.update("endpointslices", ns, cur)
            return None
        obj = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
               "metadata": {"generateName": f"{name}-", "namespace": ns, "labels": labels_,
                            "ownerReferences": [owner_ref(svc, block=True)]},
               **{k: v for k, v in body.items() if v is not None}}
        try:
            self.client.create("endpointslices", ns, obj)
        except ApiError as exc:
            if exc.reason != "AlreadyExists":
                raise
        return None
