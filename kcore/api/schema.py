"""Strict decoding of objects against Kubernetes v1.35's OpenAPI definitions.

The definitions live in openapi-v1.35.json next to this module (generated from Kubernetes'
swagger.json by tools/gen_schemas.py). kubectl sends `fieldValidation=Strict`, so the
apiserver rejects a manifest whose fields it does not know; decode_errors() walks an object
the way the apiserver's JSON decoder does and reports, as FieldErrors:

- a wrong JSON type first (decoding stops there, as Go's decoder does):
  `json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32`
- otherwise every unknown field, by its path: `unknown field "spec.containers[0].imagee"`.

int-or-string fields take either; quantities take a number or a string that parses as a
quantity; timestamps take strings. null is accepted anywhere (it decodes to the zero value).
strict_error() renders the message kubectl prints after `Error from server (BadRequest): `.

canonicalize_quantities() does the other thing decoding does to a value: a resource.Quantity
is re-emitted in canonical form ("Non-canonical values will still parse ... but will be
re-emitted in their canonical form"), so `cpu: 0.5` is stored and read back as "500m",
`1.5Gi` as "1536Mi" and a JSON number 2 as the string "2"."""
from __future__ import annotations

import functools
import json
from pathlib import Path

from kcore.api import errors, kinds
from kcore.api.errors import FieldError
from kcore.machinery import quantity

__all__ = ["DATA_FILE", "data", "root_type", "type_def", "decode_errors", "strict_error",
           "canonicalize_quantities",
           "go_type", "resolve_path", "kubectl_strict_line", "quantity_error", "UNKNOWN_FIELD", "WRONG_TYPE"]

DATA_FILE = Path(__file__).with_name("openapi-v1.35.json")
UNKNOWN_FIELD = errors.UNKNOWN_FIELD
WRONG_TYPE = errors.WRONG_TYPE

_INT_RANGES = {"int32": (-(2 ** 31), 2 ** 31 - 1), "int64": (-(2 ** 63), 2 ** 63 - 1)}


@functools.lru_cache(maxsize=1)
def data() -> dict:
    """The generated definitions: {"version", "roots": {"apps/v1/Deployment": type}, "types"}."""
    return json.loads(DATA_FILE.read_text())


def root_type(api_version: str, kind: str) -> str | None:
    """The definition name for a top-level kind, e.g. "io.k8s.api.core.v1.Pod"."""
    return data()["roots"].get(f"{api_version}/{kind}")


def type_def(name: str) -> dict:
    return data()["types"][name]


def quantity_error(value) -> str | None:
    """The error resource.ParseQuantity gives for this JSON value, or None if it parses."""
    try:
        quantity.parse(value)
    except quantity.QuantityError as exc:
        return str(exc)
    return None


_B64 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def base64_error(text: str) -> str | None:
    """Go's base64.StdEncoding error for a []byte field (Secret data), or None if valid."""
    data = text.replace("\r", "").replace("\n", "")
    body = data.rstrip("=")
    pad = len(data) - len(body)
    for i, ch in enumerate(body):
        if ch not in _B64:
            return f"illegal base64 data at input byte {i}"
    if pad > 2 or (len(body) + pad) % 4 != 0 or (pad and len(body) % 4 in (0, 1)):
        # Go reports the start of the incomplete 4-character quantum
        return f"illegal base64 data at input byte {len(body) - len(body) % 4}"
    return None


def go_type(spec: dict) -> str:
    """The Go type name Go's decoder reports for a property spec (`int32`, `v1.PodSpec`, ...)."""
    t = spec.get("t")
    if t == "ref":
        pkg, _, name = spec["r"].rpartition(".")
        return f"{pkg.rpartition('.')[2]}.{name}"
    if t == "string":
        return "[]uint8" if spec.get("f") == "byte" else "string"
    if t == "integer":
        return spec.get("f", "int64")
    if t == "number":
        return "float64"
    if t == "boolean":
        return "bool"
    if t == "array":
        return "[]" + go_type(spec.get("i", {}))
    if t == "object":
        return "map[string]" + go_type(spec["a"]) if "a" in spec else "map[string]interface {}"
    return {"int-or-string": "intstr.IntOrString", "quantity": "resource.Quantity",
            "time": "v1.Time"}.get(t, "interface {}")


def _json_kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "object"


class _Decoder:
    def __init__(self):
        self.unknown: list[FieldError] = []

    def fail(self, value, spec, struct: str, go_path: list[str], path: str, what=None):
        what = what or _json_kind(value)
        detail = (f"json: cannot unmarshal {what} into Go struct field "
                  f"{struct}.{'.'.join(go_path)} of type {go_type(spec)}")
        raise _Stop(FieldError(WRONG_TYPE, path, value, detail))

    def value(self, value, spec, struct, go_path, path):
        if value is None:
            return
        t = spec.get("t")
        if t == "ref":
            self.struct(value, spec["r"], spec, struct, go_path, path)
        elif t == "string":
            if not isinstance(value, str):
                self.fail(value, spec, struct, go_path, path)
            if spec.get("f") == "byte":
                problem = base64_error(value)
                if problem:
                    raise _Stop(FieldError(WRONG_TYPE, path, value, problem))
        elif t == "time":
            if not isinstance(value, str):
                self.fail(value, spec, struct, go_path, path)
        elif t == "boolean":
            if not isinstance(value, bool):
                self.fail(value, spec, struct, go_path, path)
        elif t == "integer":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.fail(value, spec, struct, go_path, path)
            lo, hi = _INT_RANGES.get(spec.get("f", "int64"), _INT_RANGES["int64"])
            if isinstance(value, float) and not value.is_integer() or not lo <= value <= hi:
                self.fail(value, spec, struct, go_path, path, what=f"number {_num(value)}")
        elif t == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.fail(value, spec, struct, go_path, path)
        elif t == "int-or-string":
            # IntOrString.UnmarshalJSON: a JSON string, else whatever decodes into an int32
            if isinstance(value, str) or (isinstance(value, (int, float)) and not isinstance(value, bool)
                                          and float(value).is_integer() and -(2 ** 31) <= value < 2 ** 31):
                return
            what = f"number {_num(value)}" if isinstance(value, (int, float)) and not isinstance(value, bool) \
                else _json_kind(value)
            raise _Stop(FieldError(WRONG_TYPE, path, value,
                                   f"json: cannot unmarshal {what} into Go value of type int32"))
        elif t == "quantity":
            problem = quantity_error(value)
            if problem:
                raise _Stop(FieldError(WRONG_TYPE, path, value, problem))
        elif t == "array":
            if not isinstance(value, list):
                self.fail(value, spec, struct, go_path, path)
            for i, item in enumerate(value):
                self.value(item, spec.get("i", {}), struct, go_path, f"{path}[{i}]")
        elif t == "object":
            if not isinstance(value, dict):
                self.fail(value, spec, struct, go_path, path)
            if "a" in spec:
                for k, v in value.items():
                    self.value(v, spec["a"], struct, go_path, _join(path, k))

    def struct(self, value, type_name, spec, struct, go_path, path):
        if not isinstance(value, dict):
            self.fail(value, spec, struct, go_path, path)
        td = type_def(type_name)
        if td.get("open"):
            return
        own = type_name.rpartition(".")[2]
        props = td["p"]
        for key, v in sorted(value.items()):
            sub = _join(path, key)
            if key not in props:
                self.unknown.append(FieldError(UNKNOWN_FIELD, sub, v,
                                               f"unknown field {errors.go_quote(sub)}"))
                continue
            self.value(v, props[key], own, [*go_path, key], sub)


class _Stop(Exception):
    def __init__(self, error: FieldError):
        self.error = error


def _num(v) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def decode_errors(obj: dict, resource_type: kinds.ResourceType | None = None) -> list[FieldError]:
    """Strict-decode obj; [] when the apiserver would accept it.

    The kind comes from obj's apiVersion/kind, or from resource_type when the object does not
    say (as when the URL names the resource). Raises kinds.UnknownKind for a kind kcore does
    not serve."""
    if not isinstance(obj, dict):
        detail = f"json: cannot unmarshal {_json_kind(obj)} into Go value of type map[string]interface {{}}"
        return [FieldError(WRONG_TYPE, "", obj, detail)]
    api_version = obj.get("apiVersion") or (resource_type.api_version if resource_type else "")
    kind = obj.get("kind") or (resource_type.kind if resource_type else "")
    name = root_type(api_version, kind)
    if name is None:
        raise kinds.UnknownKind(api_version, kind)
    dec = _Decoder()
    try:
        dec.struct(obj, name, {"t": "ref", "r": name}, kind, [], "")
    except _Stop as stop:
        return [stop.error]
    return dec.unknown


def strict_error(obj: dict, errs: list[FieldError] | None = None) -> str:
    """The BadRequest message for obj's decode errors (computed if not given); "" if none."""
    errs = decode_errors(obj) if errs is None else errs
    if not errs:
        return ""
    return errors.strict_decoding_message(obj.get("kind", ""), obj.get("apiVersion", ""), errs)


def kubectl_strict_line(obj: dict, filename: str | None = None, verb: str = "creating") -> str:
    """The stderr line kubectl prints for a strict-decoding failure, or "" if obj decodes.

    `Error from server (BadRequest): error when creating "x.yaml": Pod in version "v1" ...`"""
    message = strict_error(obj)
    if not message:
        return ""
    where = f"error when {verb} {errors.go_quote(filename)}: " if filename else ""
    return f"Error from server (BadRequest): {where}{message}"


def field_spec(api_version: str, kind: str, path: list[str]) -> dict | None:
    """The property spec at a field path (list items and map values looked through), or None.

    `field_spec("v1", "Pod", ["spec", "containers"])` -> {"t": "array", "mk": "name",
    "ps": "merge", ...}: `mk`/`ps` are the strategic-merge-patch merge key and strategy that
    kubectl apply and `kubectl patch` need; `d` is the description; `t`/`r`/`i`/`a` the type."""
    name = root_type(api_version, kind)
    if name is None:
        return None
    td, spec = type_def(name), None
    for part in path:
        props = td.get("p", {})
        if part not in props:
            return None
        spec = props[part]
        inner = spec
        while inner.get("t") in ("array", "object") and (inner.get("i") or inner.get("a")):
            inner = inner.get("i") or inner.get("a")
        td = type_def(inner["r"]) if inner.get("t") == "ref" else {"p": {}}
    return spec


def patch_strategy(api_version: str, kind: str, path: list[str]) -> tuple[str, str]:
    """(strategy, merge key) of the list at path for a strategic merge patch: ("merge", "name")
    for spec.containers, ("", "") where lists are replaced whole."""
    spec = field_spec(api_version, kind, path) or {}
    return spec.get("ps", ""), spec.get("mk", "")


def canonicalize_quantities(obj: dict, fields: tuple[str, ...] | None = None) -> None:
    """Rewrite every resource.Quantity in a decodable obj to its canonical string, in place.
    Values that do not parse are left alone (decode_errors reports them). `fields` limits the
    walk to those top-level fields (a status write only brings a new `status`)."""
    if not isinstance(obj, dict):
        return
    name = root_type(obj.get("apiVersion") or "", obj.get("kind") or "")
    if name is None:
        return
    if fields is None:
        _canonical(obj, {"t": "ref", "r": name})
        return
    props = _quantity_props(name)
    for key in fields:
        sub = props.get(key)
        if sub is not None and obj.get(key) is not None:
            obj[key] = _canonical(obj[key], sub)


def _reaches_quantity(spec: dict, seen: frozenset = frozenset()) -> bool:
    """Whether a value under spec can hold a resource.Quantity anywhere below it."""
    t = spec.get("t")
    if t == "quantity":
        return True
    if t == "array":
        return _reaches_quantity(spec.get("i", {}), seen)
    if t == "object":
        return "a" in spec and _reaches_quantity(spec["a"], seen)
    if t == "ref":
        return bool(_quantity_props(spec["r"], seen))
    return False


_QUANTITY_PROPS: dict[str, dict] = {}


def _quantity_props(name: str, seen: frozenset = frozenset()) -> dict:
    """The properties of type name under which a Quantity can appear (and their specs);
    types that cannot hold one map to {} and their whole subtree is skipped."""
    if name in _QUANTITY_PROPS:
        return _QUANTITY_PROPS[name]
    if name in seen:  # a recursive type (JSONSchemaProps) holds no Quantity of its own
        return {}
    td = type_def(name)
    if td.get("open"):
        props = {}
    else:
        inner = seen | {name}
        props = {k: v for k, v in td["p"].items() if _reaches_quantity(v, inner)}
    if not seen:
        _QUANTITY_PROPS[name] = props
    return props


_CANONICAL: dict[tuple, str] = {}   # (type, written value) -> canonical text; a bounded memo


def _canonical(value, spec):
    """The canonical form of value under spec; containers are rewritten in place.
    Only properties that can reach a Quantity are visited (metadata, most of status and
    everything else is skipped)."""
    t = spec.get("t")
    if value is None:
        return value
    if t == "quantity":
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return value
        got = _CANONICAL.get((type(value), value))
        if got is not None:
            return got
        try:
            got = str(quantity.parse(value))
        except quantity.QuantityError:
            return value
        if len(_CANONICAL) >= 4096:
            _CANONICAL.clear()
        _CANONICAL[(type(value), value)] = got
        return got
    if t == "ref" and isinstance(value, dict):
        props = _quantity_props(spec["r"])
        if props:
            for key, sub in props.items():
                v = value.get(key)
                if v is not None:
                    value[key] = _canonical(v, sub)
    elif t == "array" and isinstance(value, list):
        item_spec = spec.get("i", {})
        for i, item in enumerate(value):
            value[i] = _canonical(item, item_spec)
    elif t == "object" and isinstance(value, dict) and "a" in spec:
        for k, v in value.items():
            value[k] = _canonical(v, spec["a"])
    return value
