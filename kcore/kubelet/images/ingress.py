"""The ingress-nginx controller image: routes HTTP by Ingress rules once it runs.

A request reaching the controller pod (usually through its NodePort Service) is matched
against the Ingresses of its class (`nginx`, or the default IngressClass) — host first, then
the longest matching path (Exact before Prefix) — and proxied to the backend Service through
the cluster network. No match: nginx's 404 page, as the default backend answers."""
from __future__ import annotations

from kcore.kubelet.images import program

NOT_FOUND = ("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 "
             "Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
CLASS = "nginx"


def _class_ok(ing, classes) -> bool:
    name = (ing.get("spec") or {}).get("ingressClassName") or \
        (ing["metadata"].get("annotations") or {}).get("kubernetes.io/ingress.class")
    if name:
        return name == CLASS
    return any((c["metadata"].get("annotations") or {}).get("ingressclass.kubernetes.io/is-default-class") == "true"
               and c["metadata"]["name"] == CLASS for c in classes)


def route(view, host: str, path: str):
    """(namespace, service, port) for a request, or None."""
    client = view.client
    classes = client.list("ingressclasses", None)["items"]
    best = None
    for ing in client.list("ingresses", None)["items"]:
        if not _class_ok(ing, classes):
            continue
        ns = ing["metadata"]["namespace"]
        spec = ing.get("spec") or {}
        for rule in spec.get("rules") or []:
            rh = rule.get("host")
            if rh and not (rh == host or (rh.startswith("*.") and host.endswith(rh[1:]) and
                                          host.count(".") == rh.count("."))):
                continue
            for p in ((rule.get("http") or {}).get("paths") or []):
                want = p.get("path", "/") or "/"
                kind = p.get("pathType", "Prefix")
                if kind == "Exact":
                    ok = path == want
                else:
                    w = want.rstrip("/")
                    ok = path == w or path.startswith(w + "/") or w == ""
                if not ok:
                    continue
                score = (1 if rh else 0, kind == "Exact", len(want))
                svc = ((p.get("backend") or {}).get("service") or {})
                if best is None or score > best[0]:
                    rewrite = (ing["metadata"].get("annotations") or {}).get(
                        "nginx.ingress.kubernetes.io/rewrite-target")
                    fwd = path
                    if rewrite is not None:
                        rest = path[len(want.rstrip("/")):] if kind != "Exact" else ""
                        fwd = rewrite.replace("$2", rest.lstrip("/")).replace("$1", "")
                        fwd = "/" + fwd.lstrip("/") if rewrite.startswith("/") else fwd
                    best = (score, (ns, svc.get("name"), (svc.get("port") or {}).get("number")
                                    or (svc.get("port") or {}).get("name"), fwd))
        dflt = (spec.get("defaultBackend") or {}).get("service")
        if dflt and best is None:
            best = ((-1,), (ns, dflt.get("name"), (dflt.get("port") or {}).get("number"), path))
    return best[1] if best else None


@program("ingress-nginx")
class IngressController:
    wants_host = True

    def start(self, proc):
        proc.log("-------------------------------------------------------------------------------")
        proc.log("NGINX Ingress controller")
        proc.log("  Release:       v1.12.1")
        proc.log("-------------------------------------------------------------------------------")

    def http(self, proc, method, path, client_ip="", host=""):
        net = getattr(proc.runtime, "network", None)
        if net is None:
            return 503, "503 Service Temporarily Unavailable\n"
        target = route(net.view, (host or "").split(":")[0], path)
        if target is None:
            return 404, NOT_FOUND
        ns, svc, port, path = target
        obj = net.view.service(ns, svc)
        if obj is None:
            return 503, "<html><head><title>503 Service Temporarily Unavailable</title></head></html>\n"
        if isinstance(port, str):
            port = next((p.get("port") for p in (obj.get("spec") or {}).get("ports") or []
                         if p.get("name") == port), 80)
        try:
            return net.request(proc.pod, (proc.pod.get("spec") or {}).get("nodeName", ""),
                               f"{svc}.{ns}.svc.cluster.local", int(port), path)
        except Exception as exc:  # noqa: BLE001 - the network's NetError
            if not hasattr(exc, "kind"):
                raise
            return 503, "<html><head><title>503 Service Temporarily Unavailable</title></head></html>\n"
