"""Small pure helpers the scheduler plugins share: quantities, selectors, tolerations, requests.

Everything here reads plain API dicts and returns plain values. Quantities are parsed once per
distinct string (a cache keeps 10,000 identical pods cheap). Selector and toleration matching
follow k8s.io/apimachinery and k8s.io/component-helpers semantics: a nil label selector matches
nothing, an empty one matches everything; an empty node-selector term matches no node."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

_SUFFIX = {
    "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
    "k": Decimal(10) ** 3, "M": Decimal(10) ** 6, "G": Decimal(10) ** 9, "T": Decimal(10) ** 12,
    "P": Decimal(10) ** 15, "E": Decimal(10) ** 18,
    "Ki": Decimal(2) ** 10, "Mi": Decimal(2) ** 20, "Gi": Decimal(2) ** 30, "Ti": Decimal(2) ** 40,
    "Pi": Decimal(2) ** 50, "Ei": Decimal(2) ** 60,
}
_cache: dict[str, Decimal] = {}


class QuantityError(ValueError):
    """A resource quantity string Kubernetes would not accept."""


def _decimal(text) -> Decimal:
    if isinstance(text, (int, float)):
        return Decimal(str(text))
    value = _cache.get(text)
    if value is not None:
        return value
    s = str(text).strip()
    num, suffix = s, ""
    for cand in ("Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E"):
        if s.endswith(cand):
            num, suffix = s[: -len(cand)], cand
            break
    try:
        value = Decimal(num) * _SUFFIX[suffix]
    except (InvalidOperation, KeyError):
        raise QuantityError(f"quantities must match the regular expression "
                            f"'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'") from None
    if not value.is_finite():
        raise QuantityError("quantities must be finite")
    _cache[text] = value
    return value


def milli_value(text) -> int:
    """Quantity as milli-units, rounded up (how resource.Quantity.MilliValue() treats `0.0001`)."""
    d = _decimal(text) * 1000
    i = int(d)
    return i + 1 if d > i else i


def value(text) -> int:
    """Quantity as whole units, rounded up (resource.Quantity.Value())."""
    d = _decimal(text)
    i = int(d)
    return i + 1 if d > i else i


# ----------------------------------------------------------------------------- label selectors

def label_selector_matches(selector: dict | None, labels: dict) -> bool:
    """metav1.LabelSelector semantics: None matches nothing, {} matches everything."""
    if selector is None:
        return False
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for expr in selector.get("matchExpressions") or ():
        key, op, vals = expr.get("key"), expr.get("operator"), expr.get("values") or ()
        if op == "In":
            if key not in labels or labels[key] not in vals:
                return False
        elif op == "NotIn":
            if key in labels and labels[key] in vals:
                return False
        elif op == "Exists":
            if key not in labels:
                return False
        elif op == "DoesNotExist":
            if key in labels:
                return False
        else:
            return False
    return True


def _int_or_none(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def node_selector_requirement_matches(expr: dict, labels: dict) -> bool:
    key, op, vals = expr.get("key"), expr.get("operator"), expr.get("values") or ()
    if op == "In":
        return key in labels and labels[key] in vals
    if op == "NotIn":
        return key not in labels or labels[key] not in vals
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    if op in ("Gt", "Lt"):
        if key not in labels or len(vals) != 1:
            return False
        have, want = _int_or_none(labels[key]), _int_or_none(vals[0])
        if have is None or want is None:
            return False
        return have > want if op == "Gt" else have < want
    return False


def node_selector_term_matches(term: dict, labels: dict, node_name: str) -> bool:
    """All matchExpressions and matchFields hold; a term with neither matches nothing."""
    exprs = term.get("matchExpressions") or ()
    fields = term.get("matchFields") or ()
    if not exprs and not fields:
        return False
    for e in exprs:
        if not node_selector_requirement_matches(e, labels):
            return False
    for f in fields:
        if f.get("key") != "metadata.name":
            return False
        if not node_selector_requirement_matches(
                {"key": "n", "operator": f.get("operator"), "values": f.get("values")},
                {"n": node_name}):
            return False
    return True


def node_selector_matches(node_selector: dict, labels: dict, node_name: str) -> bool:
    """v1.NodeSelector: terms are ORed; no terms matches nothing."""
    return any(node_selector_term_matches(t, labels, node_name)
               for t in node_selector.get("nodeSelectorTerms") or ())


# ----------------------------------------------------------------------------- taints

def toleration_tolerates(tol: dict, taint: dict) -> bool:
    effect = tol.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = tol.get("key") or ""
    if key and key != taint.get("key"):
        return False
    op = tol.get("operator") or "Equal"
    if op == "Exists":
        return True
    if op == "Equal":
        return (tol.get("value") or "") == (taint.get("value") or "")
    return False


def tolerations_tolerate(tolerations, taint: dict) -> bool:
    for t in tolerations:
        if toleration_tolerates(t, taint):
            return True
    return False


def first_untolerated(taints, tolerations):
    """The first taint no toleration covers, or None."""
    for taint in taints:
        if not tolerations_tolerate(tolerations, taint):
            return taint
    return None


# ----------------------------------------------------------------------------- requests

DEFAULT_MILLI_CPU = 100            # schedutil.DefaultMilliCPURequest
DEFAULT_MEMORY = 200 * 1024 * 1024  # schedutil.DefaultMemoryRequest


def _container_requests(c: dict) -> dict:
    res = c.get("resources") or {}
    req = res.get("requests")
    lim = res.get("limits")
    if lim and not req:
        return lim
    if lim:
        merged = dict(lim)
        merged.update(req)
        return merged
    return req or {}


def _add(total: dict, rl: dict, conv: dict):
    for name, q in rl.items():
        total[name] = total.get(name, 0) + conv(name, q)


def _conv(name, q):
    return milli_value(q) if name == "cpu" else value(q)


def pod_requests(pod: dict, non_zero: bool = False) -> dict:
    """resourcehelper.PodRequests: containers + sidecars, max'd with each init step, + overhead.

    Values are ints: `cpu` in millicores, everything else in units. With non_zero, a container
    missing a cpu or memory request counts as 100m / 200Mi (the scoring defaults)."""
    spec = pod.get("spec") or {}

    def reqs(c):
        out = {}
        _add(out, _container_requests(c), _conv)
        if non_zero:
            out.setdefault("cpu", DEFAULT_MILLI_CPU)
            out.setdefault("memory", DEFAULT_MEMORY)
        return out

    total: dict = {}
    for c in spec.get("containers") or ():
        for k, v in reqs(c).items():
            total[k] = total.get(k, 0) + v
    sidecars: dict = {}
    init_max: dict = {}
    for c in spec.get("initContainers") or ():
        r = reqs(c)
        if c.get("restartPolicy") == "Always":
            for k, v in r.items():
                sidecars[k] = sidecars.get(k, 0) + v
            step = dict(sidecars)
        else:
            step = dict(sidecars)
            for k, v in r.items():
                step[k] = step.get(k, 0) + v
        for k, v in step.items():
            if v > init_max.get(k, 0):
                init_max[k] = v
    for k, v in sidecars.items():
        total[k] = total.get(k, 0) + v
    for k, v in init_max.items():
        if v > total.get(k, 0):
            total[k] = v
    pod_level = ((spec.get("resources") or {}).get("requests")) or {}
    for k, q in pod_level.items():
        if k in ("cpu", "memory"):
            total[k] = _conv(k, q)
    _add(total, spec.get("overhead") or {}, _conv)
    return total


def pod_priority(pod: dict) -> int:
    p = (pod.get("spec") or {}).get("priority")
    return p if isinstance(p, int) else 0


def host_ports(pod: dict) -> list[tuple[str, str, int]]:
    """(hostIP, protocol, hostPort) for every container port that asks for a host port."""
    spec = pod.get("spec") or {}
    out = []
    conts = list(spec.get("containers") or ())
    conts += [c for c in spec.get("initContainers") or () if c.get("restartPolicy") == "Always"]
    for c in conts:
        for p in c.get("ports") or ():
            hp = p.get("hostPort") or 0
            if hp > 0:
                out.append((p.get("hostIP") or "0.0.0.0", p.get("protocol") or "TCP", hp))
    return out


def ports_conflict(used: set, wanted) -> bool:
    """HostPortInfo.CheckConflict: same protocol+port and same IP, or either side 0.0.0.0."""
    for ip, proto, port in wanted:
        if ip == "0.0.0.0":
            for uip, uproto, uport in used:
                if uport == port and uproto == proto:
                    return True
        elif (ip, proto, port) in used or ("0.0.0.0", proto, port) in used:
            return True
    return False


def normalized_image_name(name: str) -> str:
    """Append `:latest` to an image with neither tag nor digest (ImageLocality does this)."""
    if name.rfind(":") <= name.rfind("/"):
        return name + ":latest"
    return name
