"""Row cells for the core/v1 kinds, as the API server's printers.go computes them.

Each function takes (object, now) and returns (default cells, wide cells); headers live in
the registry (`columns.py`). Placeholders follow kubectl: `<none>`, `<pending>`, `<unset>`."""
from __future__ import annotations

from .common import g, age, since, format_labels, quantity_str

LB_WIDTH = 16


def node_cells(node, now):
    conds = {c.get("type"): c for c in g(node, "status", "conditions", default=[])}
    status = []
    ready = conds.get("Ready")
    if ready is not None:
        status.append("Ready" if ready.get("status") == "True" else "NotReady")
    if not status:
        status.append("Unknown")
    if g(node, "spec", "unschedulable"):
        status.append("SchedulingDisabled")
    roles = node_roles(node)
    info = g(node, "status", "nodeInfo", default={})
    cells = [g(node, "metadata", "name", default=""), ",".join(status), ",".join(roles) or "<none>",
             age(node, now), info.get("kubeletVersion", "")]
    wide = [node_address(node, "InternalIP"), node_address(node, "ExternalIP"),
            info.get("osImage") or "<unknown>", info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>"]
    return cells, wide


def node_roles(node) -> list[str]:
    roles = set()
    for key, value in (g(node, "metadata", "labels", default={})).items():
        if key.startswith("node-role.kubernetes.io/"):
            role = key[len("node-role.kubernetes.io/"):]
            if role:
                roles.add(role)
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return sorted(roles)


def node_address(node, kind) -> str:
    for addr in g(node, "status", "addresses", default=[]):
        if addr.get("type") == kind:
            return addr.get("address", "")
    return "<none>"


def namespace_cells(ns, now):
    return [g(ns, "metadata", "name", default=""), g(ns, "status", "phase", default=""), age(ns, now)], []


def configmap_cells(cm, now):
    count = len(cm.get("data") or {}) + len(cm.get("binaryData") or {})
    return [g(cm, "metadata", "name", default=""), str(count), age(cm, now)], []


def secret_cells(secret, now):
    return [g(secret, "metadata", "name", default=""), secret.get("type", ""),
            str(len(secret.get("data") or {})), age(secret, now)], []


def serviceaccount_cells(sa, now):
    return [g(sa, "metadata", "name", default=""), str(len(sa.get("secrets") or [])), age(sa, now)], []


def lb_ingress_string(ingress, wide) -> str:
    found = set()
    for item in ingress or []:
        if item.get("ip"):
            found.add(item["ip"])
        elif item.get("hostname"):
            found.add(item["hostname"])
    text = ",".join(sorted(found))
    if not wide and len(text) > LB_WIDTH:
        text = text[:LB_WIDTH - 3] + "..."
    return text


def service_external_ip(svc, wide) -> str:
    spec = svc.get("spec") or {}
    kind = spec.get("type") or "ClusterIP"
    external = spec.get("externalIPs") or []
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "LoadBalancer":
        lb = lb_ingress_string(g(svc, "status", "loadBalancer", "ingress"), wide)
        if external:
            return ",".join((lb.split(",") if lb else []) + external)
        return lb or "<pending>"
    if kind == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def service_ports(ports) -> str:
    pieces = []
    for port in ports or []:
        proto = port.get("protocol") or "TCP"
        if port.get("nodePort"):
            pieces.append(f"{port.get('port')}:{port['nodePort']}/{proto}")
        else:
            pieces.append(f"{port.get('port')}/{proto}")
    return ",".join(pieces)


def service_cells(svc, now, wide=False):
    spec = svc.get("spec") or {}
    ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    cells = [g(svc, "metadata", "name", default=""), spec.get("type") or "ClusterIP",
             ips[0] if ips else "<none>", service_external_ip(svc, wide),
             service_ports(spec.get("ports")) or "<none>", age(svc, now)]
    return cells, [format_labels(spec.get("selector"))]


def _join_host_port(ip, port):
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def format_endpoints(endpoints, port_names=None) -> str:
    subsets = endpoints.get("subsets") or []
    if not subsets:
        return "<none>"
    listed, more, count, limit = [], False, 0, 3
    for subset in subsets:
        addresses = subset.get("addresses") or []
        ports = subset.get("ports") or []
        if not ports:
            count += len(addresses)
            for addr in addresses:
                if len(listed) == limit:
                    more = True
                    break
                listed.append(addr.get("ip", ""))
            continue
        for port in ports:
            if port_names is not None and port.get("name", "") not in port_names:
                continue
            count += len(addresses)
            for addr in addresses:
                if len(listed) == limit:
                    more = True
                    break
                listed.append(_join_host_port(addr.get("ip", ""), port.get("port")))
    text = ",".join(listed)
    return f"{text} + {count - limit} more..." if more else text


def endpoints_cells(ep, now):
    return [g(ep, "metadata", "name", default=""), format_endpoints(ep), age(ep, now)], []


def _list_with_more(items, more, count, limit=3):
    text = ",".join(items)
    if more:
        return f"{text} + {count - limit} more..."
    return text or "<unset>"


def endpointslice_cells(eps, now):
    ports, more, count = [], False, 0
    for port in eps.get("ports") or []:
        if len(ports) < 3:
            if port.get("port") is not None:
                ports.append(str(port["port"]))
            elif port.get("name") is not None:
                ports.append(port["name"])
            else:
                ports.append("*")
        elif len(ports) == 3:
            more = True
        count += 1
    port_text = _list_with_more(ports, more, count)
    addrs, more, count = [], False, 0
    for endpoint in eps.get("endpoints") or []:
        for address in endpoint.get("addresses") or []:
            if len(addrs) < 3:
                addrs.append(address)
            elif len(addrs) == 3:
                more = True
            count += 1
    return [g(eps, "metadata", "name", default=""), eps.get("addressType", ""), port_text,
            _list_with_more(addrs, more, count), age(eps, now)], []


def event_cells(ev, now):
    first = ev.get("firstTimestamp")
    first_text = since(first, now) if first else since(ev.get("eventTime"), now)
    last = ev.get("lastTimestamp")
    last_text = since(last, now) if last else first_text
    count = ev.get("count") or 0
    series = ev.get("series")
    if series:
        last_text = since(series.get("lastObservedTime"), now)
        count = series.get("count") or 0
    elif not count:
        count = 1
    involved = ev.get("involvedObject") or {}
    target = involved.get("kind", "").lower()
    if involved.get("name"):
        target = f"{target}/{involved['name']}"
    message = (ev.get("message") or "").strip()
    source = ev.get("source") or {}
    component = source.get("component") or ev.get("reportingComponent") or ev.get("reportingController") or ""
    host = source.get("host") or ev.get("reportingInstance") or ""
    source_text = f"{component}, {host}" if host else component
    cells = [last_text, ev.get("type", ""), ev.get("reason", ""), target, message]
    wide = [last_text, ev.get("type", ""), ev.get("reason", ""), target,
            involved.get("fieldPath", ""), source_text, message, first_text, str(count),
            g(ev, "metadata", "name", default="")]
    return cells, wide


ACCESS_MODES = [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"),
                ("ReadWriteOncePod", "RWOP")]


def access_modes(modes) -> str:
    modes = modes or []
    return ",".join(short for full, short in ACCESS_MODES if full in modes)


def pv_cells(pv, now):
    spec = pv.get("spec") or {}
    claim = spec.get("claimRef")
    claim_text = f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else ""
    phase = g(pv, "status", "phase", default="")
    if g(pv, "metadata", "deletionTimestamp"):
        phase = "Terminating"
    storage_class = spec.get("storageClassName") or g(
        pv, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class", default="")
    cells = [g(pv, "metadata", "name", default=""), quantity_str(g(spec, "capacity", "storage")),
             access_modes(spec.get("accessModes")), spec.get("persistentVolumeReclaimPolicy", ""),
             phase, claim_text, storage_class, spec.get("volumeAttributesClassName") or "<unset>",
             g(pv, "status", "reason", default=""), age(pv, now)]
    return cells, [spec.get("volumeMode") or "<unset>"]


def pvc_cells(pvc, now):
    spec = pvc.get("spec") or {}
    status = pvc.get("status") or {}
    phase = status.get("phase", "")
    if g(pvc, "metadata", "deletionTimestamp"):
        phase = "Terminating"
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes(status.get("accessModes"))
        capacity = quantity_str(g(status, "capacity", "storage"))
    storage_class = spec.get("storageClassName")
    if storage_class is None:
        storage_class = g(pvc, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class",
                          default="")
    vac = status.get("currentVolumeAttributesClassName") or spec.get("volumeAttributesClassName")
    cells = [g(pvc, "metadata", "name", default=""), phase, spec.get("volumeName", ""), capacity,
             modes, storage_class, vac or "<unset>", age(pvc, now)]
    return cells, [spec.get("volumeMode") or "<unset>"]


def replicationcontroller_cells(rc, now):
    from .columns_ext import container_cells
    spec = rc.get("spec") or {}
    cells = [g(rc, "metadata", "name", default=""), str(spec.get("replicas", 0)),
             str(g(rc, "status", "replicas", default=0)), str(g(rc, "status", "readyReplicas", default=0)),
             age(rc, now)]
    names, images = container_cells(g(spec, "template", "spec", "containers", default=[]))
    return cells, [names, images, format_labels(spec.get("selector"))]
