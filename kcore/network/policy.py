"""NetworkPolicy: who may talk to whom.

A pod selected by a policy that lists Ingress accepts only traffic some rule of such a policy
allows (from pods, namespaces or IP blocks, on the listed ports); the same for Egress on the
sending side. Pods no policy selects accept everything — the default in Kubernetes. Enforced
only when the CNI enforces policies (flannel alone does not; kcore assumes one that does,
as the CKA labs do)."""
from __future__ import annotations

import ipaddress


def _sel(selector):
    from kcore.machinery import labels
    return labels.from_label_selector(selector or {})


def _selects(policy, pod) -> bool:
    if policy["metadata"].get("namespace") != pod["metadata"].get("namespace"):
        return False
    return _sel((policy.get("spec") or {}).get("podSelector")).matches(pod["metadata"].get("labels") or {})


def _types(policy):
    spec = policy.get("spec") or {}
    types = spec.get("policyTypes")
    if types:
        return set(types)
    return {"Ingress"} | ({"Egress"} if spec.get("egress") else set())


def _peer_ok(peer, other, other_ns, policy_ns, other_ip) -> bool:
    if "ipBlock" in peer:
        block = peer["ipBlock"]
        try:
            ip = ipaddress.ip_address(other_ip)
            if ip not in ipaddress.ip_network(block.get("cidr", "0.0.0.0/0"), strict=False):
                return False
            return not any(ip in ipaddress.ip_network(e, strict=False) for e in block.get("except") or [])
        except ValueError:
            return False
    if other is None:
        return False
    ns_sel = peer.get("namespaceSelector")
    pod_sel = peer.get("podSelector")
    if ns_sel is not None:
        if not _sel(ns_sel).matches((other_ns.get("metadata", {}).get("labels") or {}) if other_ns else {}):
            return False
    elif other["metadata"].get("namespace") != policy_ns:
        return False
    if pod_sel is not None and not _sel(pod_sel).matches(other["metadata"].get("labels") or {}):
        return False
    return True


def _port_ok(ports, port, named, protocol="TCP") -> bool:
    if not ports:
        return True
    for p in ports:
        if (p.get("protocol") or "TCP") != protocol:
            continue
        want = p.get("port")
        if want is None:
            return True
        if want == port or (isinstance(want, str) and want == named):
            return True
        end = p.get("endPort")
        if isinstance(want, int) and end and want <= port <= end:
            return True
    return False


def allowed(policies, namespaces, src, src_ip, dst, dst_ip, port, named_port="",
            protocol="TCP") -> tuple[bool, str]:
    """(allowed, reason) for src -> dst:port/protocol. src/dst are pods or None (outside the
    cluster)."""
    if dst is not None:
        relevant = [p for p in policies if _selects(p, dst) and "Ingress" in _types(p)]
        if relevant:
            src_ns = namespaces.get(src["metadata"]["namespace"]) if src else None
            ok = any(_port_ok(rule.get("ports"), port, named_port, protocol) and
                     (not rule.get("from") or any(_peer_ok(peer, src, src_ns, p["metadata"]["namespace"], src_ip)
                                                  for peer in rule["from"]))
                     for p in relevant for rule in (p.get("spec") or {}).get("ingress") or [])
            if not ok:
                return False, "ingress denied by NetworkPolicy " + ", ".join(p["metadata"]["name"] for p in relevant)
    if src is not None:
        relevant = [p for p in policies if _selects(p, src) and "Egress" in _types(p)]
        if relevant:
            dst_ns = namespaces.get(dst["metadata"]["namespace"]) if dst else None
            ok = any(_port_ok(rule.get("ports"), port, named_port, protocol) and
                     (not rule.get("to") or any(_peer_ok(peer, dst, dst_ns, p["metadata"]["namespace"], dst_ip)
                                                for peer in rule["to"]))
                     for p in relevant for rule in (p.get("spec") or {}).get("egress") or [])
            if not ok:
                return False, "egress denied by NetworkPolicy " + ", ".join(p["metadata"]["name"] for p in relevant)
    return True, ""
