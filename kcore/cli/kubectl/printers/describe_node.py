"""`kubectl describe node`: identity, taints, lease, conditions, capacity, system info, then
the non-terminated pods with their share of allocatable and the allocated totals.

`related` carries what kubectl would fetch: `pods` (the pods bound to the node) and `lease`
(the node's Lease in kube-node-lease; absent key -> not shown, None -> the NotFound line)."""
from __future__ import annotations

from .common import g, age, quantity_str
from .columns_core import node_roles
from .describe_writer import (Writer, labels_multiline, annotations_multiline, taints_multiline,
                              describe_events, time_or_zero)
from .describe_pod import pod_requests_and_limits

__all__ = ["describe_node"]

_STANDARD = {"cpu", "memory", "ephemeral-storage", "storage", "pods"}


def _q(value):
    from kcore.machinery.quantity import parse, Quantity
    if value is None:
        return Quantity()
    return value if isinstance(value, Quantity) else parse(value)


def _percent(part, whole, milli: bool) -> int:
    total = whole.milli_value() if milli else whole.value()
    if total == 0:
        return 0
    used = part.milli_value() if milli else part.value()
    return int(used / total * 100)


def _node_resources(w: Writer, pods, node, now) -> None:
    pods = [p for p in pods if g(p, "status", "phase") not in ("Succeeded", "Failed")]
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    allocatable = g(node, "status", "allocatable") or g(node, "status", "capacity") or {}
    alloc_cpu, alloc_mem = _q(allocatable.get("cpu")), _q(allocatable.get("memory"))
    totals_req: dict = {}
    totals_lim: dict = {}
    for pod in pods:
        req, lim = pod_requests_and_limits(pod)
        for src, dst in ((req, totals_req), (lim, totals_lim)):
            for k, v in src.items():
                dst[k] = dst[k] + v if k in dst else v
        cr, cl = _q(req.get("cpu")), _q(lim.get("cpu"))
        mr, ml = _q(req.get("memory")), _q(lim.get("memory"))
        w.write(1, f"{g(pod, 'metadata', 'namespace', default='')}\t{g(pod, 'metadata', 'name', default='')}\t\t"
                   f"{cr} ({_percent(cr, alloc_cpu, True)}%)\t{cl} ({_percent(cl, alloc_cpu, True)}%)\t"
                   f"{mr} ({_percent(mr, alloc_mem, False)}%)\t{ml} ({_percent(ml, alloc_mem, False)}%)\t"
                   f"{age(pod, now)}\n")
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    for name, milli in (("cpu", True), ("memory", False), ("ephemeral-storage", False)):
        r, l, a = _q(totals_req.get(name)), _q(totals_lim.get(name)), _q(allocatable.get(name))
        w.write(1, f"{name}\t{r} ({_percent(r, a, milli)}%)\t{l} ({_percent(l, a, milli)}%)\n")
    hugepages = sorted(k for k in allocatable if k.startswith("hugepages-"))
    extended = sorted(k for k in allocatable
                      if not k.startswith("hugepages-") and k not in _STANDARD and "/" in k)
    for name in hugepages:
        r, l, a = _q(totals_req.get(name)), _q(totals_lim.get(name)), _q(allocatable.get(name))
        w.write(1, f"{name}\t{r} ({_percent(r, a, False)}%)\t{l} ({_percent(l, a, False)}%)\n")
    for name in extended:
        w.write(1, f"{name}\t{_q(totals_req.get(name))}\t{_q(totals_lim.get(name))}\n")


def describe_node(node: dict, events, now: float, related=None) -> str:
    related = related or {}
    meta, spec, status = node.get("metadata") or {}, node.get("spec") or {}, node.get("status") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{time_or_zero(meta.get('creationTimestamp'))}\n")
    taints_multiline(w, "Taints", spec.get("taints"))
    w.write(0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    if "lease" in related:
        lease = related["lease"]
        if lease is None:
            w.write(0, f"Lease:\tFailed to get lease: leases.coordination.k8s.io \"{meta.get('name', '')}\" not found\n")
        else:
            lspec = lease.get("spec") or {}
            w.write(0, "Lease:\n")
            w.write(1, f"HolderIdentity:\t{lspec.get('holderIdentity') or '<unset>'}\n")
            w.write(1, f"AcquireTime:\t{time_or_zero(lspec['acquireTime']) if lspec.get('acquireTime') else '<unset>'}\n")
            w.write(1, f"RenewTime:\t{time_or_zero(lspec['renewTime']) if lspec.get('renewTime') else '<unset>'}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \t{time_or_zero(c.get('lastHeartbeatTime'))} \t"
                       f"{time_or_zero(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}\n")
    w.write(0, "Addresses:\n")
    for addr in status.get("addresses") or []:
        w.write(1, f"{addr.get('type', '')}:\t{addr.get('address', '')}\n")
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        values = status.get(key) or {}
        if values:
            w.write(0, f"{title}:\n")
            for name in sorted(values):
                w.write(0, f"  {name}:\t{quantity_str(values[name])}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for title, key in (("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
                       ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"),
                       ("Operating System", "operatingSystem"), ("Architecture", "architecture"),
                       ("Container Runtime Version", "containerRuntimeVersion"),
                       ("Kubelet Version", "kubeletVersion"), ("Kube-Proxy Version", "kubeProxyVersion")):
        w.write(0, f"  {title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    if related.get("pods") is not None:
        _node_resources(w, related["pods"], node, now)
    else:
        w.write(0, "Pods:\tnot authorized\n")
    describe_events(w, events, now)
    return w.render()
