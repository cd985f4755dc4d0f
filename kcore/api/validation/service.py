"""Services: ports (named when several, in range, TCP/UDP/SCTP, unique per protocol), target
ports, type, session affinity, selector labels; the cluster IP may not change once set."""
from __future__ import annotations

from kcore.api import errors as fe
from kcore.api.validation.common import as_dict, as_list, spec_of, validate_labels
from kcore.api.validation.pod import PROTOCOLS, port_num_errors, port_num_or_name
from kcore.machinery import names


def _service(obj):
    spec = as_dict(obj.get("spec"))
    errs = []
    stype = spec.get("type") or "ClusterIP"
    types = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
    if stype not in types:
        errs.append(fe.not_supported("spec.type", stype, types))
    headless = spec.get("clusterIP") == "None"
    ports = as_list(spec.get("ports"))
    if stype == "ExternalName":
        if not spec.get("externalName"):
            errs.append(fe.required("spec.externalName"))
    elif not ports and not headless:
        errs.append(fe.required("spec.ports"))
    seen_names: set[str] = set()
    seen_ports: set[tuple] = set()
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
        errs += [fe.invalid(f"{ppath}.port", port.get("port", 0), m)
                 for m in port_num_errors(port.get("port", 0))]
        protocol = port.get("protocol") or ""
        if not protocol:
            errs.append(fe.required(f"{ppath}.protocol"))
        elif protocol not in PROTOCOLS:
            errs.append(fe.not_supported(f"{ppath}.protocol", protocol, PROTOCOLS))
        errs += port_num_or_name(port.get("targetPort"), f"{ppath}.targetPort")
        if port.get("nodePort") and stype not in ("NodePort", "LoadBalancer"):
            errs.append(fe.forbidden(f"{ppath}.nodePort", "may not be used when `type` is 'ClusterIP'"))
        key = (protocol, port.get("port"))
        if key in seen_ports:
            errs.append(fe.duplicate(ppath, {"port": port.get("port"), "protocol": protocol}))
        seen_ports.add(key)
    errs += validate_labels(spec.get("selector"), "spec.selector")
    affinity = spec.get("sessionAffinity")
    if affinity not in (None, "None", "ClientIP"):
        errs.append(fe.not_supported("spec.sessionAffinity", affinity, ("ClientIP", "None")))
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
