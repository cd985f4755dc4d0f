"""Services: ports (named when several, in range, TCP/UDP/SCTP, unique per protocol), target
ports, type, session affinity, selector labels; the cluster IP may not change once set."""
from __future__ import annotations

from kcore.api import errors as fe
from kcore.api.validation.common import as_dict, as_list, spec_of, validate_labels
from kcore.api.validation.pod import PROTOCOLS, port_num_errors, port_num_or_name
from kcore.machinery import names


TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")


def _service(obj):
    """ValidateService, in its order (the IP-family checks are left to the allocator)."""
    spec = as_dict(obj.get("spec"))
    errs = []
    stype = spec.get("type") or ""
    headless = spec.get("clusterIP") == "None"
    ports = as_list(spec.get("ports"))
    if not ports and not headless and stype != "ExternalName":
        errs.append(fe.required("spec.ports"))
    if stype in ("LoadBalancer", "NodePort") and headless:
        errs.append(fe.invalid("spec.clusterIPs[0]", "None", f"may not be set to 'None' for {stype} services"))
    elif stype == "ExternalName":
        for key in ("ipFamilies", "ipFamilyPolicy"):
            if spec.get(key):
                errs.append(fe.forbidden(f"spec.{key}", "may not be set for ExternalName services"))
        cname = (spec.get("externalName") or "").removesuffix(".")
        if cname:
            errs += [fe.invalid("spec.externalName", cname, m) for m in names.is_dns1123_subdomain(cname)]
        else:
            errs.append(fe.required("spec.externalName"))
    seen_names: set[str] = set()
    for i, port in enumerate(ports):
        port, ppath = as_dict(port), f"spec.ports[{i}]"
        name = port.get("name") or ""
        if len(ports) > 1 and not name:
            errs.append(fe.required(f"{ppath}.name"))
        elif name:
            errs += [fe.invalid(f"{ppath}.name", name, m) for m in names.is_dns1123_label(name)]
            if name in seen_names:
                errs.append(fe.duplicate(f"{ppath}.name", name))
            seen_names.add(name)
        errs += [fe.invalid(f"{ppath}.port", port.get("port", 0), m) for m in port_num_errors(port.get("port", 0))]
        protocol = port.get("protocol") or ""
        if not protocol:
            errs.append(fe.required(f"{ppath}.protocol"))
        elif protocol not in PROTOCOLS:
            errs.append(fe.not_supported(f"{ppath}.protocol", protocol, PROTOCOLS))
        errs += port_num_or_name(port.get("targetPort"), f"{ppath}.targetPort")
    errs += validate_labels(spec.get("selector"), "spec.selector")
    affinity = spec.get("sessionAffinity") or ""
    if not affinity:
        errs.append(fe.required("spec.sessionAffinity"))
    elif affinity not in ("ClientIP", "None"):
        errs.append(fe.not_supported("spec.sessionAffinity", affinity, ("ClientIP", "None")))
    elif affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(fe.forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"))
    if not stype:
        errs.append(fe.required("spec.type"))
    elif stype not in TYPES:
        errs.append(fe.not_supported("spec.type", stype, TYPES))
    if stype == "ClusterIP":
        for i, port in enumerate(ports):
            if as_dict(port).get("nodePort"):
                errs.append(fe.forbidden(f"spec.ports[{i}].nodePort", "may not be used when `type` is 'ClusterIP'"))
    seen_node_ports: set[tuple] = set()
    for i, port in enumerate(ports):
        port = as_dict(port)
        if port.get("nodePort"):
            key = (port.get("protocol"), port.get("nodePort"))
            if key in seen_node_ports:
                errs.append(fe.duplicate(f"spec.ports[{i}].nodePort", port["nodePort"]))
            seen_node_ports.add(key)
    seen_ports: set[tuple] = set()
    for i, port in enumerate(ports):
        port = as_dict(port)
        key = (port.get("protocol"), port.get("port"))
        if key in seen_ports:
            errs.append(fe.duplicate(f"spec.ports[{i}]", {"port": port.get("port"), "protocol": port.get("protocol")}))
        seen_ports.add(key)
    if spec.get("allocateLoadBalancerNodePorts") is not None and stype != "LoadBalancer":
        errs.append(fe.forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"))
    external = stype in ("NodePort", "LoadBalancer") or bool(spec.get("externalIPs"))
    etp = spec.get("externalTrafficPolicy") or ""
    if not external and etp:
        errs.append(fe.invalid("spec.externalTrafficPolicy", etp, "may only be set for externally-accessible services"))
    elif external and not etp:
        errs.append(fe.required("spec.externalTrafficPolicy"))
    elif external and etp not in ("Cluster", "Local"):
        errs.append(fe.not_supported("spec.externalTrafficPolicy", etp, ("Cluster", "Local")))
    itp = spec.get("internalTrafficPolicy")
    if itp is None and stype in ("ClusterIP", "NodePort", "LoadBalancer"):
        errs.append(fe.required("spec.internalTrafficPolicy"))
    elif itp is not None and itp not in ("Cluster", "Local"):
        errs.append(fe.not_supported("spec.internalTrafficPolicy", itp, ("Cluster", "Local")))
    return errs


def _u_service(new, old):
    ns, os_ = spec_of(new), spec_of(old)
    old_ip, new_ip = os_.get("clusterIP"), ns.get("clusterIP")
    if old_ip and new_ip and old_ip != new_ip and os_.get("type") != "ExternalName" \
            and ns.get("type") != "ExternalName":
        return [fe.invalid("spec.clusterIPs[0]", [new_ip], "may not change once set")]
    return []


CHECKS = {
    ("", "Service"): _service,
}
UPDATES = {
    ("", "Service"): _u_service,
}
UPDATE_RULES_FIRST = (("", "Service"),)
