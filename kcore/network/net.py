"""The cluster network as a pod sees it: DNS, Services through kube-proxy, and policies.

`Network.request(src_pod, url)` follows a packet: resolve the name (CoreDNS must be up), map
a ClusterIP or NodePort to a ready endpoint (kube-proxy must run on the sending node), check
NetworkPolicies at both ends, and hand the request to the program listening in the target
container. Failures come back the way the tools report them: unknown host, connection
refused, timed out."""
from __future__ import annotations

from kcore.network import policy as _policy
from kcore.network.dns import DNS


class NetError(Exception):
    def __init__(self, kind: str, detail: str = ""):
        super().__init__(detail)
        self.kind = kind  # resolve | refused | timeout
        self.detail = detail


class View:
    """Read access to what the network needs (services, endpoints, pods, policies)."""

    def __init__(self, client):
        self.client = client

    def services(self, ns=None):
        return self.client.list("services", ns)["items"]

    def service(self, ns, name):
        return self.client.try_get("services", ns, name)

    def pods(self, ns=None):
        return self.client.list("pods", ns)["items"]

    @staticmethod
    def pod_ready(p) -> bool:
        return any(c.get("type") == "Ready" and c.get("status") == "True"
                   for c in (p.get("status") or {}).get("conditions") or [])

    def ready_endpoint_ips(self, ns, name):
        ep = self.client.try_get("endpoints", ns, name) or {}
        return [a["ip"] for s in ep.get("subsets") or [] for a in s.get("addresses") or []]

    def endpoints(self, ns, name):
        return self.client.try_get("endpoints", ns, name)

    def policies(self):
        return self.client.list("networkpolicies", None)["items"]

    def namespaces(self):
        return {n["metadata"]["name"]: n for n in self.client.list("namespaces", None)["items"]}


class Network:
    # ports every node's own processes listen on (kubelet, kube-proxy); with the control
    # plane's (host_listeners), a request to any other port of a node address that no
    # NodePort claims is answered with a reset (connection refused)
    HOST_PORTS = (10249, 10250, 10256)

    def __init__(self, client, hosts):
        self.view = View(client)
        self.dns = DNS(self.view)
        self.hosts = hosts  # node name -> kubelet (to reach the programs in containers)
        self._rr: dict = {}
        # (node IP, port) -> handler(method, path) -> (status, body) for host processes that
        # serve HTTP themselves (the API server's health endpoints); wired in by the cluster
        self.host_servers: dict = {}
        self.host_listeners: set = set()   # (node IP, port) of other host processes

    # -- helpers ----------------------------------------------------------------------------
    def _pod_by_ip(self, ip):
        for p in self.view.pods():
            st = p.get("status") or {}
            if st.get("podIP") == ip and not (p.get("spec") or {}).get("hostNetwork") and \
                    st.get("phase") == "Running":
                return p
        return None

    def _proxy_running(self, node) -> bool:
        for p in self.view.pods("kube-system"):
            if (p["metadata"].get("labels") or {}).get("k8s-app") == "kube-proxy" and \
                    (p.get("spec") or {}).get("nodeName") == node and self.view.pod_ready(p):
                return True
        return False

    def dns_reachable(self, src_pod) -> bool:
        """Whether src_pod's DNS queries (UDP 53 to kube-dns, DNAT-ed to a CoreDNS pod) get past
        the egress NetworkPolicies that select it — the rule people forget when they lock a
        pod's egress down to its database."""
        if src_pod is None:
            return True
        policies = self.view.policies()
        if not policies:
            return True
        src_ip = (src_pod.get("status") or {}).get("podIP", "")
        namespaces = self.view.namespaces()
        for p in self.view.pods("kube-system"):
            if (p["metadata"].get("labels") or {}).get("k8s-app") != "kube-dns" or \
                    not self.view.pod_ready(p):
                continue
            ip = (p.get("status") or {}).get("podIP", "")
            ok, _ = _policy.allowed(policies, namespaces, src_pod, src_ip, p, ip, 53,
                                    named_port="dns", protocol="UDP")
            if ok:
                return True
        return False

    def resolve(self, name, namespace, src_pod=None):
        """IP for a host name (or the IP itself), as src_pod's resolver finds it."""
        if all(part.isdigit() for part in name.split(".")) and name.count(".") == 3:
            return name
        if not self.dns_reachable(src_pod):
            raise NetError("resolve", name)
        ans, _ = self.dns.resolve(name, namespace)
        if ans is None or not ans.ips:
            raise NetError("resolve", name)
        return ans.ips[0]

    def _service_target(self, src_node, ip, port):
        for svc in self.view.services():
            spec = svc.get("spec") or {}
            for sp in spec.get("ports") or []:
                hit = (spec.get("clusterIP") == ip and sp.get("port") == port) or \
                      (sp.get("nodePort") == port and self._is_node_ip(ip))
                if not hit:
                    continue
                if not self._proxy_running(src_node):
                    raise NetError("timeout", f"{ip}:{port}")
                ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
                ep = self.view.endpoints(ns, name) or {}
                addrs = []
                for sub in ep.get("subsets") or []:
                    for p in sub.get("ports") or []:
                        if p.get("name", "") == sp.get("name", "") or len(sub.get("ports") or []) == 1:
                            addrs += [(a["ip"], p["port"]) for a in sub.get("addresses") or []]
                if not addrs:
                    raise NetError("refused", f"{ip}:{port}")
                key = (ns, name, port)
                i = self._rr.get(key, 0)
                self._rr[key] = i + 1
                return addrs[i % len(addrs)]
        return None

    def _is_node_ip(self, ip):
        return any(getattr(kl, "node_ip", None) == ip for kl in self.hosts.values())

    # -- the request ------------------------------------------------------------------------
    def request(self, src_pod, src_node, host, port, path="/", method="GET", host_header=""):
        """(status, body). Raises NetError."""
        host_header = host_header or host
        ns = src_pod["metadata"].get("namespace", "default") if src_pod else "default"
        ip = self.resolve(host, ns, src_pod)
        dialed = f"{ip}:{port}"  # what the client connected to (before kube-proxy's DNAT)
        target = self._service_target(src_node, ip, port)
        if target is not None:
            ip, port = target
        elif self._is_node_ip(ip):
            server = self.host_servers.get((ip, port))
            if server is not None:
                return server(method, path)
            if port not in self.HOST_PORTS and (ip, port) not in self.host_listeners:
                raise NetError("refused", dialed)
        dst = self._pod_by_ip(ip)
        if dst is None:
            raise NetError("timeout", f"{ip}:{port}")
        src_ip = ((src_pod or {}).get("status") or {}).get("podIP", "")
        ok, why = _policy.allowed(self.view.policies(), self.view.namespaces(), src_pod, src_ip,
                                  dst, ip, port)
        if not ok:
            raise NetError("timeout", why)
        kl = self.hosts.get((dst.get("spec") or {}).get("nodeName"))
        worker = kl.workers.get(dst["metadata"]["uid"]) if kl else None
        if worker is None:
            raise NetError("timeout", f"{ip}:{port}")
        for cs in worker.containers:
            c = cs.container
            if c is None or c.process is None or not c.process.alive:
                continue
            listening = port in (c.image.ports or ()) or \
                any(p.get("containerPort") == port for p in cs.spec.get("ports") or [])
            handler = getattr(c.program, "http", None)
            if listening and handler is not None:
                if getattr(c.program, "wants_host", False):
                    return handler(c.process, method, path, src_ip or "10.244.0.1", host=host_header)
                return handler(c.process, method, path, src_ip or "10.244.0.1")
        raise NetError("refused", dialed)
