"""Patching objects: JSON patch, merge patch, strategic merge patch and kubectl apply's 3-way merge.

Three patch formats reach the API server (`kubectl patch --type json|merge|strategic`):

* RFC 6902 JSON patch: a list of add/remove/replace/move/copy/test operations on JSON
  pointers. Failures carry the wording of the json-patch library the API server uses, e.g.
  `replace operation does not apply: doc is missing key: /spec/foo: missing value`.
* RFC 7386 merge patch: maps merge recursively, `null` deletes, anything else (lists too)
  replaces.
* Strategic merge patch: a merge patch that knows, per field of each built-in kind, which
  lists merge element by element and by which key (containers by name, ports by
  containerPort, conditions by type, ...). Lists without a rule are replaced whole. Patch
  directives: `$patch: replace|delete|merge` (in maps and as list elements),
  `$retainKeys`, `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`.
  As in apimachinery, elements new to a merged list are ordered by the patch and merged in
  front of server-only elements unless `$setElementOrder` says otherwise.

`kubectl apply` sends a strategic patch computed three ways (CreateThreeWayMergePatch):
changes and additions are the diff from the live object (current) to the file (modified);
deletions are the diff from last-applied-configuration (original) to the file, so a field
is deleted only if the user wrote it before and removed it now -- fields set by controllers
or other users survive. `three_way_merge()` applies that patch to the live object (for
custom resources the same three-way diff is a plain JSON merge patch, as kubectl does), and
`with_last_applied()` writes the kubectl.kubernetes.io/last-applied-configuration annotation.

All merge-key knowledge lives in the MERGE_RULES table below. Functions never mutate their
arguments; bad patches raise PatchError (a ValueError) with Kubernetes' wording."""
from __future__ import annotations

import json
from typing import Any, NamedTuple

__all__ = [
    "PatchError", "json_patch", "merge_patch", "strategic_merge_patch",
    "create_three_way_patch", "three_way_merge", "MERGE_RULES", "KIND_ROOTS", "ListRule", "Retain",
    "LAST_APPLIED_ANNOTATION", "last_applied_configuration", "with_last_applied",
    "BUILTIN_KINDS", "supports_strategic",
]


class PatchError(ValueError):
    """A patch that cannot be applied; the message is what the API server would say."""


# ----------------------------------------------------------------------------------------------
# The merge-key table: Go struct tags (patchStrategy / patchMergeKey) of the built-in types.
# ----------------------------------------------------------------------------------------------

class ListRule(NamedTuple):
    """A list with patchStrategy=merge. key: None for a list of scalars (set union), a field
    name, or a tuple of fields with defaults for the ones the API server fills in."""
    key: str | tuple[str, ...] | None = None
    item: str | None = None            # struct name of the elements, for nested rules
    retain_keys: bool = False          # elements carry patchStrategy retainKeys (volumes)
    defaults: tuple = ()               # ((field, default), ...) for composite keys


class Retain(NamedTuple):
    """A nested object with patchStrategy=retainKeys (e.g. Deployment spec.strategy)."""
    struct: str | None = None


_PORT_DEFAULTS = (("protocol", "TCP"),)
_CONDITIONS = ListRule("type")

MERGE_RULES: dict[str, dict[str, Any]] = {
    "ObjectMeta": {
        "finalizers": ListRule(),
        "ownerReferences": ListRule("uid"),
    },
    "Container": {
        # Real SMP keys ports by containerPort alone (so 53/UDP and 53/TCP collide, as in
        # kubectl); ListRule(("containerPort", "protocol"), defaults=_PORT_DEFAULTS) would fix it.
        "ports": ListRule("containerPort"),
        "env": ListRule("name"),
        "volumeMounts": ListRule("mountPath"),
        "volumeDevices": ListRule("devicePath"),
    },
    "PodSpec": {
        "containers": ListRule("name", "Container"),
        "initContainers": ListRule("name", "Container"),
        "ephemeralContainers": ListRule("name", "Container"),
        "volumes": ListRule("name", retain_keys=True),
        "imagePullSecrets": ListRule("name"),
        "hostAliases": ListRule("ip"),
        "topologySpreadConstraints": ListRule("topologyKey"),
        "schedulingGates": ListRule("name"),
        "resourceClaims": ListRule("name", retain_keys=True),
        # tolerations, readinessGates, affinity terms: no strategy -> replaced whole
    },
    "PodStatus": {
        "conditions": _CONDITIONS,
        "podIPs": ListRule("ip"),
        "hostIPs": ListRule("ip"),
        "resourceClaimStatuses": ListRule("name", retain_keys=True),
    },
    "PodTemplateSpec": {"metadata": "ObjectMeta", "spec": "PodSpec"},
    "ConditionsStatus": {"conditions": _CONDITIONS},
    "Pod": {"metadata": "ObjectMeta", "spec": "PodSpec", "status": "PodStatus"},
    "PodTemplate": {"metadata": "ObjectMeta", "template": "PodTemplateSpec"},
    "Deployment": {"metadata": "ObjectMeta", "spec": "DeploymentSpec", "status": "ConditionsStatus"},
    "DeploymentSpec": {"template": "PodTemplateSpec", "strategy": Retain()},
    "WorkloadSpec": {"template": "PodTemplateSpec"},
    "ReplicaSet": {"metadata": "ObjectMeta", "spec": "WorkloadSpec", "status": "ConditionsStatus"},
    "ReplicationController": {"metadata": "ObjectMeta", "spec": "WorkloadSpec", "status": "ConditionsStatus"},
    "StatefulSet": {"metadata": "ObjectMeta", "spec": "WorkloadSpec", "status": "ConditionsStatus"},
    "DaemonSet": {"metadata": "ObjectMeta", "spec": "WorkloadSpec", "status": "ConditionsStatus"},
    "Job": {"metadata": "ObjectMeta", "spec": "WorkloadSpec", "status": "ConditionsStatus"},
    "CronJob": {"metadata": "ObjectMeta", "spec": "CronJobSpec"},
    "CronJobSpec": {"jobTemplate": "JobTemplateSpec"},
    "JobTemplateSpec": {"metadata": "ObjectMeta", "spec": "WorkloadSpec"},
    "Service": {"metadata": "ObjectMeta", "spec": "ServiceSpec", "status": "ConditionsStatus"},
    "ServiceSpec": {"ports": ListRule("port")},
    "Node": {"metadata": "ObjectMeta", "spec": "NodeSpec", "status": "NodeStatus"},
    "NodeSpec": {"podCIDRs": ListRule()},   # taints: no strategy -> replaced whole
    "NodeStatus": {"conditions": _CONDITIONS, "addresses": ListRule("type")},
    "Namespace": {"metadata": "ObjectMeta", "status": "ConditionsStatus"},
    "PersistentVolumeClaim": {"metadata": "ObjectMeta", "status": "ConditionsStatus"},
    "PodDisruptionBudget": {"metadata": "ObjectMeta", "status": "ConditionsStatus"},
    "HorizontalPodAutoscaler": {"metadata": "ObjectMeta", "status": "ConditionsStatus"},
    "ServiceAccount": {"metadata": "ObjectMeta", "secrets": ListRule("name")},
    "Object": {"metadata": "ObjectMeta"},   # any other kind: only metadata lists merge
}

# kind -> root struct in MERGE_RULES (kinds not listed use "Object")
KIND_ROOTS = {k: k for k in (
    "Pod", "PodTemplate", "Deployment", "ReplicaSet", "ReplicationController", "StatefulSet",
    "DaemonSet", "Job", "CronJob", "Service", "Node", "Namespace", "PersistentVolumeClaim",
    "PodDisruptionBudget", "HorizontalPodAutoscaler", "ServiceAccount",
)}


# Built-in kinds whose only merging lists are in metadata. Anything neither here nor in
# KIND_ROOTS is a custom resource: the API server refuses strategic patches for it and
# kubectl apply falls back to a three-way JSON merge patch.
BUILTIN_KINDS = frozenset(KIND_ROOTS) | {
    "ConfigMap", "Secret", "Endpoints", "EndpointSlice", "Event", "LimitRange", "ResourceQuota",
    "PersistentVolume", "StorageClass", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
    "Ingress", "IngressClass", "NetworkPolicy", "PriorityClass", "Lease", "CertificateSigningRequest",
    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "CustomResourceDefinition",
    "APIService", "RuntimeClass", "CSIDriver", "CSINode", "VolumeAttachment", "ControllerRevision",
    "Binding", "ComponentStatus", "TokenReview", "SubjectAccessReview", "SelfSubjectAccessReview",
}


def supports_strategic(kind: str | None) -> bool:
    """Whether the API server accepts strategic merge patches for this kind (built-ins only)."""
    return (kind or "") in BUILTIN_KINDS


def _root(kind: str | None) -> str:
    return KIND_ROOTS.get(kind or "", "Object")


def _rule(struct: str | None, field: str):
    if struct is None:
        return None
    return MERGE_RULES.get(struct, {}).get(field)


def _child_struct(rule) -> str | None:
    if isinstance(rule, str):
        return rule
    if isinstance(rule, Retain):
        return rule.struct
    return None


# ----------------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------------

def _clone(value):
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value


def _equal(a, b) -> bool:
    """JSON equality: 1 == 1.0 but True != 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _go(value) -> str:
    """Render a value the way Go's %v prints decoded JSON (map[k:v], [a b], <nil>)."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{_go(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(_go(v) for v in value) + "]"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _same_kind(a, b) -> bool:
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict)
    if isinstance(a, list) or isinstance(b, list):
        return isinstance(a, list) and isinstance(b, list)
    return True


# ----------------------------------------------------------------------------------------------
# RFC 6902 JSON patch
# ----------------------------------------------------------------------------------------------

_MISSING = object()


def _split_pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f"JSON pointer must be empty or start with a \"/\": {path!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _find_container(doc, parts: list[str]):
    """The container holding the last pointer segment, or None."""
    node = doc
    for part in parts[:-1]:
        if isinstance(node, dict):
            node = node.get(part, _MISSING)
        elif isinstance(node, list):
            idx = _array_index(part, len(node), allow_end=False)
            node = node[idx] if idx is not None else _MISSING
        else:
            return None
        if node is _MISSING or node is None:
            return None
    return node if isinstance(node, (dict, list)) else None


def _array_index(part: str, length: int, allow_end: bool) -> int | None:
    if part == "-":
        return length if allow_end else None
    if not part or not (part.isdigit() or (part[0] == "-" and part[1:].isdigit())):
        return None
    idx = int(part)
    if idx < 0:
        idx += length
    limit = length if allow_end else length - 1
    return idx if 0 <= idx <= limit else None


def _get(container, key: str):
    if isinstance(container, dict):
        return container.get(key, _MISSING)
    idx = _array_index(key, len(container), allow_end=False)
    return container[idx] if idx is not None else _MISSING


def _add(container, key: str, value) -> None:
    if isinstance(container, dict):
        container[key] = value
        return
    idx = _array_index(key, len(container), allow_end=True)
    if idx is None:
        raise PatchError(f"Unable to access invalid index: {key}: invalid index referenced")
    container.insert(idx, value)


def _remove(container, key: str):
    if isinstance(container, dict):
        if key not in container:
            raise PatchError(f"Unable to remove nonexistent key: {key}: missing value")
        return container.pop(key)
    idx = _array_index(key, len(container), allow_end=False)
    if idx is None:
        raise PatchError(f"Unable to access invalid index: {key}: invalid index referenced")
    return container.pop(idx)


def _op_path(op: dict, name: str, field: str = "path") -> list[str]:
    path = op.get(field)
    if not isinstance(path, str):
        raise PatchError(f"{name} operation failed to decode {field}: missing value")
    return _split_pointer(path)


def _apply_op(doc, op: dict):
    if not isinstance(op, dict):
        raise PatchError("json: cannot unmarshal array into Go value of type jsonpatch.Operation")
    kind = op.get("op", "unknown")
    value = op.get("value")
    if kind == "add":
        parts = _op_path(op, "add")
        con = _find_container(doc, parts) if parts else None
        if con is None:
            raise PatchError(f'add operation does not apply: doc is missing path: "{op["path"]}": missing value')
        try:
            _add(con, parts[-1], _clone(value))
        except PatchError as err:
            raise PatchError(f"error in add for path: '{op['path']}': {err}") from None
    elif kind == "remove":
        parts = _op_path(op, "remove")
        con = _find_container(doc, parts) if parts else None
        if con is None:
            raise PatchError(f'remove operation does not apply: doc is missing path: "{op["path"]}": missing value')
        try:
            _remove(con, parts[-1])
        except PatchError as err:
            raise PatchError(f"error in remove for path: '{op['path']}': {err}") from None
    elif kind == "replace":
        parts = _op_path(op, "replace")
        con = _find_container(doc, parts) if parts else None
        if con is None:
            raise PatchError(f"replace operation does not apply: doc is missing path: {op['path']}: missing value")
        if isinstance(con, dict):
            con[parts[-1]] = _clone(value)      # like json-patch v4, a missing key is simply set
        else:
            idx = _array_index(parts[-1], len(con), allow_end=False)
            if idx is None:
                raise PatchError(f"replace operation does not apply: doc is missing key: {op['path']}: missing value")
            con[idx] = _clone(value)
    elif kind in ("move", "copy"):
        src = _op_path(op, kind, "from")
        dst = _op_path(op, kind)
        con = _find_container(doc, src) if src else None
        if con is None:
            raise PatchError(f"{kind} operation does not apply: doc is missing from path: {op['from']}: missing value")
        if kind == "move":
            try:
                moved = _remove(con, src[-1])
            except PatchError as err:
                raise PatchError(f"error in move for path: '{src[-1]}': {err}") from None
        else:
            got = _get(con, src[-1])
            if got is _MISSING and isinstance(con, list):
                raise PatchError(f"error in copy for from: '{op['from']}': Unable to access invalid index: "
                                 f"{src[-1]}: invalid index referenced")
            moved = None if got is _MISSING else _clone(got)
        target = _find_container(doc, dst) if dst else None
        if target is None:
            raise PatchError(f"{kind} operation does not apply: doc is missing destination path: {op['path']}: missing value")
        try:
            _add(target, dst[-1], moved)
        except PatchError as err:
            raise PatchError(f"error in {kind} for path: '{op['path']}': {err}") from None
    elif kind == "test":
        parts = _op_path(op, "test")
        if not parts:
            have = doc
        else:
            con = _find_container(doc, parts)
            if con is None:
                raise PatchError(f"test operation does not apply: is missing path: {op['path']}: missing value")
            have = _get(con, parts[-1])
        if have is _MISSING or have is None:
            if value is None:
                return doc
        elif _equal(have, value):
            return doc
        raise PatchError(f"testing value {op['path']} failed: test failed")
    else:
        raise PatchError(f"Unexpected kind: {kind}")
    return doc


def json_patch(obj, ops):
    """Apply an RFC 6902 patch (a list of operations) and return the new document."""
    if not isinstance(ops, list):
        raise PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = _clone(obj)
    for op in ops:
        doc = _apply_op(doc, op)
    return doc


# ----------------------------------------------------------------------------------------------
# RFC 7386 merge patch
# ----------------------------------------------------------------------------------------------

def merge_patch(obj, patch):
    """Apply an RFC 7386 merge patch and return the new document."""
    if not isinstance(patch, dict):
        return _clone(patch)
    result = _clone(obj) if isinstance(obj, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


# ----------------------------------------------------------------------------------------------
# Strategic merge patch
# ----------------------------------------------------------------------------------------------

PATCH = "$patch"
RETAIN_KEYS = "$retainKeys"
DELETE_PRIMITIVE = "$deleteFromPrimitiveList/"
SET_ORDER = "$setElementOrder/"


def _key_of(item: dict, rule: ListRule):
    key = rule.key
    if isinstance(key, str):
        return item.get(key, _MISSING)
    defaults = dict(rule.defaults)
    return tuple(item.get(k, defaults.get(k, _MISSING)) for k in key)


def _has_key(item, rule: ListRule) -> bool:
    if not isinstance(item, dict):
        return False
    key = rule.key
    names = (key,) if isinstance(key, str) else key[:1]
    return all(n in item for n in names)


def _key_fields(item: dict, rule: ListRule) -> dict:
    names = (rule.key,) if isinstance(rule.key, str) else rule.key
    return {n: item[n] for n in names if n in item}


def _key_label(rule: ListRule) -> str:
    return rule.key if isinstance(rule.key, str) else rule.key[0]


def _strip(value, struct: str | None):
    """A patch value with nothing to merge into: drop nulls and directives."""
    if isinstance(value, dict):
        return _merge_map({}, value, struct, applying=True)
    if isinstance(value, list):   # struct is then the element struct
        return [_strip(v, struct) for v in value if not (isinstance(v, dict) and PATCH in v)]
    return value


def _merge_map(original: dict, patch: dict, struct: str | None, applying: bool):
    """Merge `patch` into `original` (which is modified and returned)."""
    directive = patch.get(PATCH) if applying else None
    if directive is not None:
        if directive == "replace":
            rest = {k: v for k, v in patch.items() if k != PATCH}
            return _strip(rest, struct)
        if directive == "delete":
            return {}               # apimachinery leaves an empty map behind
        if directive != "merge":
            raise PatchError(f"unknown patch type: {directive} in map: {_go(patch)}")
        patch = {k: v for k, v in patch.items() if k != PATCH}

    orders: dict[str, list] = {}
    retain = patch.get(RETAIN_KEYS, _MISSING)
    if retain is not _MISSING:
        if applying:
            if not isinstance(retain, list):
                raise PatchError(f"invalid type for {RETAIN_KEYS} directive: expected a list")
            for k, v in patch.items():
                if v is not None and not k.startswith("$") and k not in retain:
                    raise PatchError("invalid patch format of retainKeys")
            for k in [k for k in original if k not in retain]:
                del original[k]
        else:
            original[RETAIN_KEYS] = _clone(retain)

    if applying:
        for key, value in patch.items():
            if key.startswith(SET_ORDER):
                field = key[len(SET_ORDER):]
                orders[field] = value if isinstance(value, list) else []
                rule = _rule(struct, field)
                if isinstance(patch.get(field), list) and isinstance(rule, ListRule):
                    _check_order(patch[field], orders[field], rule)

    for key, value in patch.items():
        if key == RETAIN_KEYS:
            continue
        if applying and key.startswith(DELETE_PRIMITIVE):
            field = key[len(DELETE_PRIMITIVE):]
            current = original.get(field)
            if isinstance(current, list) and isinstance(value, list):
                original[field] = [v for v in current if not any(_equal(v, d) for d in value)]
            continue
        if applying and key.startswith(SET_ORDER):
            continue
        if value is None:
            original.pop(key, None)
            if not applying:
                original[key] = None    # merging two patches keeps the explicit delete
            continue
        rule = _rule(struct, key)
        if key not in original or original[key] is None:
            if applying and isinstance(value, dict) and PATCH in value:
                continue    # apimachinery drops a directive map that has nothing to act on
            if applying:
                original[key] = _strip(value, _child_struct(rule) or (rule.item if isinstance(rule, ListRule) else None))
            else:
                original[key] = _clone(value)
            continue
        current = original[key]
        if not _same_kind(current, value):
            element = rule.item if isinstance(rule, ListRule) else _child_struct(rule)
            original[key] = _strip(value, element) if applying else _clone(value)
        elif isinstance(value, dict):
            original[key] = _merge_map(current, value, _child_struct(rule), applying)
        elif isinstance(value, list):
            if isinstance(rule, ListRule):
                original[key] = _merge_list(current, value, rule, applying, orders.get(key))
            else:
                original[key] = _strip(value, None) if applying else _clone(value)   # no rule: replace
        else:
            original[key] = value
    for field, order in orders.items():
        if isinstance(original.get(field), list) and field not in patch:
            rule = _rule(struct, field)
            if isinstance(rule, ListRule):
                original[field] = _apply_order(original[field], order, original[field], rule)
    return original


def _index_in(items: list, item, rule: ListRule) -> int:
    if rule.key is None:
        for i, x in enumerate(items):
            if _equal(x, item):
                return i
        return -1
    want = _key_of(item, rule) if isinstance(item, dict) else _MISSING
    for i, x in enumerate(items):
        if isinstance(x, dict) and _key_of(x, rule) == want:
            return i
    return -1


def _check_order(patch_list: list, order: list, rule: ListRule) -> None:
    """validatePatchWithSetOrderList: the patch list must follow $setElementOrder."""
    items = [p for p in patch_list if not (isinstance(p, dict) and PATCH in p)]
    if not items or not order:
        return
    i = j = 0
    while i < len(items) and j < len(order):
        a, b = items[i], order[j]
        if rule.key is None:
            same = _equal(a, b)
        else:
            same = isinstance(a, dict) and isinstance(b, dict) and _key_of(a, rule) == _key_of(b, rule)
        if same:
            i += 1
        j += 1
    if i < len(items):
        raise PatchError(f"The order in patch list:\n{_go(patch_list)}\n doesn't match $setElementOrder list:\n"
                         f"{_go(order)}\n")


def _apply_order(items: list, order: list, server_order: list, rule: ListRule) -> list:
    """$setElementOrder: elements it names follow its order; the others keep their live
    order and are interleaved by position in the live list (setElementOrder > patch > live)."""
    named = [x for x in items if _index_in(order, x, rule) >= 0]
    named.sort(key=lambda x: _index_in(order, x, rule))
    rest = [x for x in items if _index_in(order, x, rule) < 0]
    return _merge_sorted(rest, named, server_order, rule)


def _merge_sorted(left: list, right: list, server_order: list, rule: ListRule) -> list:
    """apimachinery's mergeSortedSlice: interleave server-only items (left) with patch items
    (right), keeping each list's order; a server item goes first only when both are known to
    the server and it came earlier there."""
    out, i, j = [], 0, 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j]); j += 1
        elif j >= len(right):
            out.append(left[i]); i += 1
        else:
            li = _index_in(server_order, left[i], rule)
            ri = _index_in(server_order, right[j], rule)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i]); i += 1
            else:
                out.append(right[j]); j += 1
    return out


def _merge_list(original: list, patch: list, rule: ListRule, applying: bool, order: list | None) -> list:
    if rule.key is None or not any(isinstance(p, dict) for p in patch + original):
        # a set of scalars: union, patch values in patch order, server-only values interleaved
        patched: list = []
        for v in patch:
            if not any(_equal(v, m) for m in patched):
                patched.append(v)
        server_only = [o for o in original if not any(_equal(o, p) for p in patched)]
        if order is not None:
            return _apply_order(server_only + patched, order, original, rule)
        return _merge_sorted(server_only, patched, original, rule)

    original = list(original)
    items = []
    for p in patch:
        if applying and isinstance(p, dict) and PATCH in p:
            directive = p[PATCH]
            if directive == "replace":
                return [_strip(x, rule.item) for x in patch
                        if not (isinstance(x, dict) and PATCH in x)]
            if directive == "delete":
                if not _has_key(p, rule):
                    raise PatchError(f"map: {_go(p)} does not contain declared merge key: {_key_label(rule)}")
                key = _key_of(p, rule)
                original = [o for o in original if not (isinstance(o, dict) and _key_of(o, rule) == key)]
                continue
            if directive == "merge":
                raise PatchError("merging lists cannot yet be specified in the patch")
            raise PatchError(f"unknown patch type: {directive} in map: {_go(p)}")
        items.append(p)

    # Merge each patch element into the element with the same key (or append it); a later
    # patch element with a repeated key merges into the result of the earlier one, as in Go.
    work = list(original)
    touched: list[int] = []
    for p in items:
        if not _has_key(p, rule):
            raise PatchError(f"map: {_go(p)} does not contain declared merge key: {_key_label(rule)}")
        idx = _index_in(work, p, rule)
        if idx >= 0:
            work[idx] = _merge_map(work[idx], p, rule.item, applying)
        else:
            work.append(_strip(p, rule.item) if applying else _clone(p))
            idx = len(work) - 1
        if idx not in touched:
            touched.append(idx)
    patched = [work[i] for i in touched]
    server_only = [x for i, x in enumerate(work) if i not in touched]
    if order is not None:
        return _apply_order(server_only + patched, order, original, rule)
    return _merge_sorted(server_only, patched, original, rule)


def strategic_merge_patch(obj, patch, kind: str | None = "Deployment"):
    """Apply a strategic merge patch to a copy of `obj` using the merge keys of `kind`."""
    if not isinstance(patch, dict):
        raise PatchError("strategic merge patch must be a JSON object")
    if not isinstance(obj, dict):
        obj = {}
    return _merge_map(_clone(obj), patch, _root(kind), applying=True)


# ----------------------------------------------------------------------------------------------
# kubectl apply: the three-way patch
# ----------------------------------------------------------------------------------------------

def _diff_maps(original: dict, modified: dict, struct: str | None, *, additions: bool, deletions: bool,
               retain_keys: bool = False) -> dict:
    patch: dict = {}
    for key, mod in modified.items():
        rule = _rule(struct, key)
        if key not in original:
            if additions:
                patch[key] = _clone(mod)
            continue
        orig = original[key]
        if not _same_kind(orig, mod) or mod is None or orig is None:
            if additions and not _equal(orig, mod):
                patch[key] = _clone(mod)
            continue
        if isinstance(mod, dict):
            sub = _diff_maps(orig, mod, _child_struct(rule), additions=additions, deletions=deletions,
                             retain_keys=isinstance(rule, Retain))
            if sub:
                patch[key] = sub
        elif isinstance(mod, list):
            if isinstance(rule, ListRule):
                _diff_lists(patch, key, orig, mod, rule, additions=additions, deletions=deletions)
            elif additions and not _equal(orig, mod):
                patch[key] = _clone(mod)
        elif additions and not _equal(orig, mod):
            patch[key] = mod
    if deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain_keys:
        # $retainKeys lists the file's keys whenever something changed or the other side
        # holds extra fields (e.g. a defaulted rollingUpdate), so those get cleared.
        keep = sorted(k for k, v in modified.items() if v is not None)
        extra = any(v is not None and modified.get(k) is None for k, v in original.items())
        if keep and (patch or extra):
            patch[RETAIN_KEYS] = keep
    return patch


def _diff_lists(patch: dict, key: str, original: list, modified: list, rule: ListRule, *,
                additions: bool, deletions: bool) -> None:
    maps = any(isinstance(x, dict) for x in original + modified)
    if rule.key is None or not maps:
        added = [m for m in modified if not any(_equal(m, o) for o in original)]
        removed = [o for o in original if not any(_equal(o, m) for m in modified)]
        if additions and added:
            patch[key] = added
        if deletions and removed:
            patch[DELETE_PRIMITIVE + key] = removed
        # the order list goes out on content changes and on order-only changes
        if modified and ((additions and not _equal(original, modified)) or (deletions and removed)):
            patch[SET_ORDER + key] = _clone(modified)
        return
    items = []
    for m in modified:
        if not isinstance(m, dict) or not _has_key(m, rule):
            raise PatchError(f"map: {_go(m)} does not contain declared merge key: {_key_label(rule)}")
        idx = _index_in(original, m, rule)
        if idx < 0:
            if additions:
                items.append(_clone(m))
            continue
        sub = _diff_maps(original[idx], m, rule.item, additions=additions, deletions=deletions,
                         retain_keys=rule.retain_keys)
        if sub:
            sub.update(_key_fields(m, rule))
            items.append(sub)
    if deletions:
        for o in original:
            if isinstance(o, dict) and _index_in(modified, o, rule) < 0 and _has_key(o, rule):
                items.append({**_key_fields(o, rule), PATCH: "delete"})
    if items:
        patch[key] = items
    reordered = additions and [_key_of(m, rule) for m in modified] != [_key_of(o, rule) for o in original
                                                                       if isinstance(o, dict)]
    if modified and (items or reordered):
        patch[SET_ORDER + key] = [_key_fields(m, rule) for m in modified if isinstance(m, dict)]


def create_three_way_patch(original: dict | None, modified: dict, current: dict | None,
                           kind: str | None = "Deployment") -> dict:
    """CreateThreeWayMergePatch: the strategic patch `kubectl apply` sends.

    original: the last-applied-configuration (None if absent), modified: the new manifest,
    current: the live object."""
    struct = _root(kind) if supports_strategic(kind) else None   # custom resources: JSON merge
    original = original or {}
    current = current or {}
    delta = _diff_maps(current, modified, struct, additions=True, deletions=False)
    removals = _diff_maps(original, modified, struct, additions=False, deletions=True)
    merged = _merge_map(removals, delta, struct, applying=False)
    _follow_orders(merged, struct)
    return merged


def _follow_orders(patch: dict, struct: str | None) -> None:
    """Put each patch list in its $setElementOrder order (directive elements last), as the
    server insists on when it applies the patch."""
    for key, value in patch.items():
        rule = _rule(struct, key)
        if isinstance(value, dict):
            _follow_orders(value, _child_struct(rule))
        elif isinstance(value, list) and isinstance(rule, ListRule):
            order = patch.get(SET_ORDER + key)
            if isinstance(order, list):
                def position(item, order=order, rule=rule):
                    if isinstance(item, dict) and PATCH in item:
                        return len(order) + 1
                    i = _index_in(order, item, rule)
                    return i if i >= 0 else len(order)
                value.sort(key=position)
            if rule.item or rule.retain_keys:
                for item in value:
                    if isinstance(item, dict):
                        _follow_orders(item, rule.item)


def three_way_merge(original: dict | None, modified: dict, current: dict | None,
                    kind: str | None = "Deployment") -> dict:
    """The object `kubectl apply` leaves behind: the three-way patch applied to `current`."""
    patch = create_three_way_patch(original, modified, current, kind)
    if not supports_strategic(kind):
        return merge_patch(current or {}, patch)
    return strategic_merge_patch(current or {}, patch, kind)



# ----------------------------------------------------------------------------------------------
# The last-applied-configuration annotation
# ----------------------------------------------------------------------------------------------

LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _go_json(value, sort_keys: bool) -> str:
    """Compact JSON as Go's json.Encoder writes it (HTML characters escaped)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys)
    if any(ch in text for ch in _GO_ESCAPES):
        for ch, esc in _GO_ESCAPES.items():
            text = text.replace(ch, esc)
    return text


def last_applied_configuration(obj: dict, sort_keys: bool = True) -> str:
    """The annotation value kubectl stores: the object minus that annotation, as JSON plus "\\n".

    sort_keys=True is `kubectl apply` (unstructured objects: sorted keys, and an emptied
    annotations map stays as "annotations":{}); sort_keys=False is `--save-config` on a
    generated object (keys in the object's own order, empty annotations omitted)."""
    out = _clone(obj)
    meta = out.get("metadata")
    if not isinstance(meta, dict):
        meta = out["metadata"] = {}
    annotations = dict(meta.get("annotations") or {})
    annotations.pop(LAST_APPLIED_ANNOTATION, None)
    if annotations or sort_keys:
        meta["annotations"] = annotations
    else:
        meta.pop("annotations", None)
    return _go_json(out, sort_keys) + "\n"


def with_last_applied(obj: dict, sort_keys: bool = True) -> dict:
    """A copy of `obj` carrying its own last-applied annotation -- the `modified` side of apply."""
    value = last_applied_configuration(obj, sort_keys)
    out = _clone(obj)
    meta = out.get("metadata")
    if not isinstance(meta, dict):
        meta = out["metadata"] = {}
    meta["annotations"] = {**(meta.get("annotations") or {}), LAST_APPLIED_ANNOTATION: value}
    return out
