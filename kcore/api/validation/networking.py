"""NetworkPolicies and Ingresses: selectors, policy types, ports; ingress paths with a
pathType, absolute paths for Exact and Prefix, and one backend each."""
from __future__ import annotations

from kcore.api import errors as fe
from kcore.api.validation.common import as_dict, as_list, validate_label_selector
from kcore.api.validation.pod import port_num_or_name


def _network_policy(obj):
    spec = as_dict(obj.get("spec"))
    errs = validate_label_selector(spec.get("podSelector"), "spec.podSelector")
    for i, ptype in enumerate(as_list(spec.get("policyTypes"))):
        if ptype not in ("Ingress", "Egress"):
            errs.append(fe.not_supported(f"spec.policyTypes[{i}]", ptype, ("Ingress", "Egress")))
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        for i, rule in enumerate(as_list(spec.get(direction))):
            for j, port in enumerate(as_list(as_dict(rule).get("ports"))):
                p = as_dict(port).get("port")
                if p is not None:
                    errs += port_num_or_name(p, f"spec.{direction}[{i}].ports[{j}].port")
    return errs


def _ingress(obj):
    spec = as_dict(obj.get("spec"))
    errs = []
    if not spec.get("defaultBackend") and not as_list(spec.get("rules")):
        errs.append(fe.invalid("spec", spec, "either `defaultBackend` or `rules` must be specified"))
    for i, rule in enumerate(as_list(spec.get("rules"))):
        paths = as_list(as_dict(as_dict(rule).get("http")).get("paths"))
        for j, p in enumerate(paths):
            p, ppath = as_dict(p), f"spec.rules[{i}].http.paths[{j}]"
            ptype = p.get("pathType")
            if not ptype:
                errs.append(fe.required(f"{ppath}.pathType", "pathType must be specified"))
                continue  # validateHTTPIngressPath returns here
            elif ptype not in ("Exact", "ImplementationSpecific", "Prefix"):
                errs.append(fe.not_supported(f"{ppath}.pathType", ptype, ("Exact", "ImplementationSpecific", "Prefix")))
            if ptype in ("Exact", "Prefix") and not str(p.get("path", "")).startswith("/"):
                errs.append(fe.invalid(f"{ppath}.path", p.get("path", ""), "must be an absolute path"))
            backend = as_dict(p.get("backend"))
            if not backend.get("service") and not backend.get("resource"):
                errs.append(fe.invalid(f"{ppath}.backend", backend, "one backend (service or resource) must be specified"))
    return errs


CHECKS = {
    ("networking.k8s.io", "NetworkPolicy"): _network_policy,
    ("networking.k8s.io", "Ingress"): _ingress,
}
UPDATES: dict = {}
