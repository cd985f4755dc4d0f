"""Describers for traffic: Service, Endpoints, EndpointSlice, Ingress, IngressClass, NetworkPolicy.

Endpoints come from the EndpointSlices the caller passes in `related["endpointslices"]`
(describe.go lists them by the `kubernetes.io/service-name` label); an Ingress backend is
resolved through `related["services"]` (name -> Service) the same way."""
from __future__ import annotations

from .common import g, format_labels, format_selector, go_time_string
from .describe_writer import Writer, labels_multiline, annotations_multiline, describe_events
from .columns_core import lb_ingress_string

__all__ = ["describe_service", "describe_endpoints", "describe_ingress", "describe_ingressclass",
           "describe_networkpolicy", "describe_endpointslice", "format_endpoint_slices"]


def _join_host_port(ip, port) -> str:
    return f"[{ip}]:{port}" if ":" in str(ip) else f"{ip}:{port}"


def format_endpoint_slices(slices, port_names=None) -> str:
    """describe.go's formatEndpointSlices: ready `ip:port`s, first 3 then ` + N more...`."""
    if not slices:
        return "<none>"
    listed, more, count, limit = [], False, 0, 3
    for eps in slices:
        endpoints = eps.get("endpoints") or []
        ports = eps.get("ports") or []

        def ready(ep):
            value = g(ep, "conditions", "ready")
            return value is None or bool(value)

        if not ports:
            for ep in endpoints:
                if len(listed) == limit:
                    more = True
                if not ready(ep):
                    continue
                if not more:
                    listed.append((ep.get("addresses") or [""])[0])
                count += 1
            continue
        for port in ports:
            if port_names is not None and (port.get("name") or "") not in port_names:
                continue
            for ep in endpoints:
                if len(listed) == limit:
                    more = True
                if not ready(ep):
                    continue
                if not more:
                    listed.append(_join_host_port((ep.get("addresses") or [""])[0], port.get("port")))
                count += 1
    text = ",".join(listed)
    return f"{text} + {count - limit} more..." if more else text


def _slices_for(service_name, slices):
    return [s for s in slices or []
            if g(s, "metadata", "labels", "kubernetes.io/service-name") == service_name]


def describe_service(svc: dict, events, now: float, related=None) -> str:
    related = related or {}
    meta, spec = svc.get("metadata") or {}, svc.get("spec") or {}
    slices = _slices_for(meta.get("name"), related.get("endpointslices"))
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', 'ClusterIP')}\n")
    if spec.get("ipFamilyPolicy"):
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    families = spec.get("ipFamilies") or []
    w.write(0, f"IP Families:\t{','.join(families) if families else '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    ips = spec.get("clusterIPs") or []
    w.write(0, f"IPs:\t{','.join(ips) if ips else '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    ingress = g(svc, "status", "loadBalancer", "ingress", default=[])
    if ingress:
        parts = []
        for item in ingress:
            if item.get("ip"):
                parts.append(item["ip"] + (f" ({item['ipMode']})" if item.get("ipMode") else ""))
            else:
                parts.append(item.get("hostname", ""))
        w.write(0, f"LoadBalancer Ingress:\t{', '.join(parts)}\n")
    for port in spec.get("ports") or []:
        name = port.get("name") or "<unset>"
        proto = port.get("protocol") or "TCP"
        w.write(0, f"Port:\t{name}\t{port.get('port')}/{proto}\n")
        target = port.get("targetPort", port.get("port"))
        w.write(0, f"TargetPort:\t{target}/{proto}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{port['nodePort']}/{proto}\n")
        w.write(0, f"Endpoints:\t{format_endpoint_slices(slices, {port.get('name') or ''})}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', 'None')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy"):
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    describe_events(w, events, now)
    return w.render()


def describe_endpoints(ep: dict, events, now: float, related=None) -> str:
    meta = ep.get("metadata") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Subsets:\n")
    for subset in ep.get("subsets") or []:
        ready = ",".join(a.get("ip", "") for a in subset.get("addresses") or [])
        w.write(1, f"Addresses:\t{ready or '<none>'}\n")
        not_ready = ",".join(a.get("ip", "") for a in subset.get("notReadyAddresses") or [])
        w.write(1, f"NotReadyAddresses:\t{not_ready or '<none>'}\n")
        if subset.get("ports"):
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for port in subset["ports"]:
                w.write(2, f"{port.get('name') or '<unset>'}\t{port.get('port')}\t{port.get('protocol') or 'TCP'}\n")
        w.write(0, "\n")
    describe_events(w, events, now)
    return w.render()


def _backend(backend, namespace, related) -> str:
    if backend.get("service") is not None:
        svc_ref = backend["service"]
        port = svc_ref.get("port") or {}
        port_text = str(port["number"]) if port.get("number") else port.get("name", "")
        label = f"{svc_ref.get('name', '')}:{port_text}"
        service = (related.get("services") or {}).get(svc_ref.get("name"))
        if service is None:
            return f'{label} (<error: services "{svc_ref.get("name", "")}" not found>)'
        port_name = ""
        for sp in g(service, "spec", "ports", default=[]):
            if port.get("number") and port["number"] == sp.get("port"):
                port_name = sp.get("name") or ""
            elif port.get("name") and port["name"] == sp.get("name"):
                port_name = sp.get("name") or ""
        slices = _slices_for(svc_ref.get("name"), related.get("endpointslices"))
        return f"{label} ({format_endpoint_slices(slices, {port_name})})"
    if backend.get("resource") is not None:
        res = backend["resource"]
        return f"APIGroup: {res.get('apiGroup') or '<none>'}, Kind: {res.get('kind', '')}, Name: {res.get('name', '')}"
    return ""


def describe_ingress(ing: dict, events, now: float, related=None) -> str:
    related = related or {}
    meta, spec = ing.get("metadata") or {}, ing.get("spec") or {}
    ns = meta.get("namespace", "")
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    w.write(0, f"Namespace:\t{ns}\n")
    w.write(0, f"Address:\t{lb_ingress_string(g(ing, 'status', 'loadBalancer', 'ingress'), True)}\n")
    w.write(0, f"Ingress Class:\t{spec.get('ingressClassName') or '<none>'}\n")
    default = "<default>"
    if spec.get("defaultBackend") is not None:
        default = _backend(spec["defaultBackend"], ns, related)
    w.write(0, f"Default backend:\t{default}\n")
    if spec.get("tls"):
        w.write(0, "TLS:\n")
        for tls in spec["tls"]:
            hosts = ",".join(tls.get("hosts") or [])
            if tls.get("secretName"):
                w.write(1, f"{tls['secretName']} terminates {hosts}\n")
            else:
                w.write(1, f"SNI routes {hosts}\n")
    w.write(0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(1, "----\t----\t--------\n")
    count = 0
    for rule in spec.get("rules") or []:
        if rule.get("http") is None:
            continue
        count += 1
        w.write(1, f"{rule.get('host') or '*'}\t\n")
        for path in rule["http"].get("paths") or []:
            w.write(2, f"\t{path.get('path', '')} \t{_backend(path.get('backend') or {}, ns, related)}\n")
    if count == 0:
        w.write(1, f"*\t*\t{default}\n")
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    describe_events(w, events, now)
    return w.render()


def describe_ingressclass(ic: dict, events, now: float, related=None) -> str:
    meta, spec = ic.get("metadata") or {}, ic.get("spec") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Controller:\t{spec.get('controller', '')}\n")
    params = spec.get("parameters")
    if params is not None:
        w.write(0, "Parameters:\n")
        if params.get("apiGroup") is not None:
            w.write(1, f"APIGroup:\t{params['apiGroup']}\n")
        w.write(1, f"Kind:\t{params.get('kind', '')}\n")
        w.write(1, f"Name:\t{params.get('name', '')}\n")
    describe_events(w, events, now)
    return w.render()


def _peers(w, rules, key, title, none_text, all_ports, all_peers):
    indent = "    "
    if not rules:
        w.write(0, f"{indent}{none_text}\n")
        return
    for i, rule in enumerate(rules):
        ports = rule.get("ports") or []
        if not ports:
            w.write(0, f"{indent}{all_ports}\n")
        for port in ports:
            proto = port.get("protocol") or "TCP"
            if port.get("endPort") is None:
                w.write(0, f"{indent}To Port: {port.get('port')}/{proto}\n")
            else:
                w.write(0, f"{indent}To Port Range: {port.get('port')}-{port['endPort']}/{proto}\n")
        peers = rule.get(key) or []
        if not peers:
            w.write(0, f"{indent}{all_peers}\n")
        for peer in peers:
            w.write(0, f"{indent}{title}:\n")
            pod_sel, ns_sel, block = peer.get("podSelector"), peer.get("namespaceSelector"), peer.get("ipBlock")
            if pod_sel is not None and ns_sel is not None:
                w.write(1, f"{indent}NamespaceSelector: {format_selector(ns_sel)}\n")
                w.write(1, f"{indent}PodSelector: {format_selector(pod_sel)}\n")
            elif pod_sel is not None:
                w.write(1, f"{indent}PodSelector: {format_selector(pod_sel)}\n")
            elif ns_sel is not None:
                w.write(1, f"{indent}NamespaceSelector: {format_selector(ns_sel)}\n")
            elif block is not None:
                w.write(1, f"{indent}IPBlock:\n")
                w.write(2, f"{indent}CIDR: {block.get('cidr', '')}\n")
                w.write(2, f"{indent}Except: {', '.join(block.get('except') or [])}\n")
        if i != len(rules) - 1:
            w.write(0, f"{indent}----------\n")


def describe_networkpolicy(np: dict, events, now: float, related=None) -> str:
    meta, spec = np.get("metadata") or {}, np.get("spec") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Created on:\t{go_time_string(meta.get('creationTimestamp'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Spec:\n")
    w.write(1, "PodSelector: ")
    selector = spec.get("podSelector") or {}
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        w.write(2, "<none> (Allowing the specific traffic to all pods in this namespace)\n")
    else:
        w.write(2, f"{format_selector(selector)}\n")
    types = spec.get("policyTypes") or []
    if "Ingress" in types:
        w.write(1, "Allowing ingress traffic:\n")
        _peers(w, spec.get("ingress"), "from", "From",
               "<none> (Selected pods are isolated for ingress connectivity)",
               "To Port: <any> (traffic allowed to all ports)", "From: <any> (traffic not restricted by source)")
    else:
        w.write(1, "Not affecting ingress traffic\n")
    if "Egress" in types:
        w.write(1, "Allowing egress traffic:\n")
        _peers(w, spec.get("egress"), "to", "To",
               "<none> (Selected pods are isolated for egress connectivity)",
               "To Port: <any> (traffic allowed to all ports)", "To: <any> (traffic not restricted by destination)")
    else:
        w.write(1, "Not affecting egress traffic\n")
    w.write(1, f"Policy Types: {', '.join(types) if types else '<none>'}\n")
    return w.render()


def describe_endpointslice(eps: dict, events, now: float, related=None) -> str:
    meta = eps.get("metadata") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"AddressType:\t{eps.get('addressType', '')}\n")
    ports = eps.get("ports") or []
    if not ports:
        w.write(0, "Ports: <unset>\n")
    else:
        w.write(0, "Ports:\n")
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for port in ports:
            number = port.get("port")
            w.write(1, f"{port.get('name') or '<unset>'}\t{'<unset>' if number is None else number}\t"
                       f"{port.get('protocol') or 'TCP'}\n")
    endpoints = eps.get("endpoints") or []
    if not endpoints:
        w.write(0, "Endpoints: <none>\n")
    else:
        w.write(0, "Endpoints:\n")
        for ep in endpoints:
            w.write(1, f"- Addresses:\t{', '.join(ep.get('addresses') or []) or '<none>'}\n")
            w.write(2, "Conditions:\n")
            ready = g(ep, "conditions", "ready")
            w.write(3, f"Ready:\t{'<unset>' if ready is None else ('true' if ready else 'false')}\n")
            w.write(2, f"Hostname:\t{ep.get('hostname', '<unset>')}\n")
            if ep.get("targetRef") is not None:
                w.write(2, f"TargetRef:\t{ep['targetRef'].get('kind', '')}/{ep['targetRef'].get('name', '')}\n")
            w.write(2, f"NodeName:\t{ep.get('nodeName', '<unset>')}\n")
            w.write(2, f"Zone:\t{ep.get('zone', '<unset>')}\n")
    describe_events(w, events, now)
    return w.render()
