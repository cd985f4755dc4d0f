"""Cluster DNS as CoreDNS serves it: services, headless services, pods, search paths.

`<svc>.<ns>.svc.cluster.local` resolves to the ClusterIP (or, headless, to each ready pod);
`<a-b-c-d>.<ns>.pod.cluster.local` to the pod IP; StatefulSet pods to
`<hostname>.<subdomain>.<ns>.svc.cluster.local`. A short name walks the pod's search list
(`<ns>.svc.cluster.local svc.cluster.local cluster.local`), ndots:5. Nothing answers when no
CoreDNS pod is ready — which is what `nslookup` shows when DNS is broken."""
from __future__ import annotations

DOMAIN = "cluster.local"
DNS_IP = "10.96.0.10"


class Answer:
    def __init__(self, fqdn: str, ips: list[str], cname: str = ""):
        self.fqdn = fqdn
        self.ips = ips
        self.cname = cname


class DNS:
    def __init__(self, view):
        self.view = view  # NetworkView: services, endpoints, pods lookups

    def serving(self) -> bool:
        return any(self.view.pod_ready(p) for p in self.view.pods("kube-system")
                   if (p["metadata"].get("labels") or {}).get("k8s-app") == "kube-dns")

    def search_list(self, namespace: str) -> list[str]:
        return [f"{namespace}.svc.{DOMAIN}", f"svc.{DOMAIN}", DOMAIN]

    def candidates(self, name: str, namespace: str) -> list[str]:
        name = name.rstrip(".")
        if name.count(".") >= 5 or name.endswith(DOMAIN):
            return [name]
        return [f"{name}.{s}" for s in self.search_list(namespace)] + [name]

    def lookup_fqdn(self, fqdn: str) -> Answer | None:
        parts = fqdn.split(".")
        suffix = DOMAIN.split(".")
        if parts[-len(suffix):] != suffix:
            return None
        head = parts[:-len(suffix)]
        if len(head) == 3 and head[2] == "svc":
            name, ns = head[0], head[1]
            svc = self.view.service(ns, name)
            if svc is None:
                return None
            spec = svc.get("spec") or {}
            if spec.get("type") == "ExternalName":
                return Answer(fqdn, [], cname=spec.get("externalName", ""))
            if spec.get("clusterIP") in (None, "", "None"):
                ips = self.view.ready_endpoint_ips(ns, name)
                return Answer(fqdn, ips) if ips else None
            return Answer(fqdn, [spec["clusterIP"]])
        if len(head) == 4 and head[3] == "svc":  # hostname.subdomain.ns.svc
            host, sub, ns = head[0], head[1], head[2]
            for p in self.view.pods(ns):
                spec = p.get("spec") or {}
                if spec.get("hostname") == host and spec.get("subdomain") == sub and \
                        (p.get("status") or {}).get("podIP"):
                    return Answer(fqdn, [p["status"]["podIP"]])
            return None
        if len(head) == 3 and head[2] == "pod":
            ip = head[0].replace("-", ".")
            return Answer(fqdn, [ip]) if ip.count(".") == 3 else None
        return None

    def resolve(self, name: str, namespace: str) -> tuple[Answer | None, list[str]]:
        """(answer, tried names). Raises TimeoutError when no DNS server is reachable."""
        if not self.serving():
            raise TimeoutError("no servers could be reached")
        tried = []
        for cand in self.candidates(name, namespace):
            tried.append(cand)
            ans = self.lookup_fqdn(cand)
            if ans is not None:
                return ans, tried
        return None, tried

    def reverse_name(self, ip: str) -> str:
        if ip == DNS_IP:
            return f"kube-dns.kube-system.svc.{DOMAIN}"
        for svc in self.view.services():
            if (svc.get("spec") or {}).get("clusterIP") == ip:
                md = svc["metadata"]
                return f"{md['name']}.{md['namespace']}.svc.{DOMAIN}"
        return ""
