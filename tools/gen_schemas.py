"""Generate kcore/api/openapi-v1.35.json from Kubernetes' published OpenAPI definitions.

Source: the `kubernetes-validate` package ships the v1.35 definitions converted from
Kubernetes' swagger.json (kubernetes-json-schema/v1.35.0-local/_definitions.json). We keep only
the types reachable from the kinds in kcore.api.kinds, and per type only what kcore needs:
property types, references, list items and map values, required fields, list merge keys and
descriptions (for `kubectl explain`). Run it when the table of kinds grows:

    python tools/gen_schemas.py [path/to/_definitions.json]

kcore itself never imports kubernetes-validate; the generated file is committed."""
from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kcore.api import kinds  # noqa: E402

OUT = REPO / "kcore" / "api" / "openapi-v1.35.json"
VERSION = "v1.35.0"

# Types with their own JSON representation: kcore checks them by rule, not by structure.
SPECIAL = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "int-or-string",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "quantity",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "time",
    "io.k8s.apimachinery.pkg.runtime.RawExtension": "any",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": "any",
}


def default_source() -> Path:
    import kubernetes_validate  # only the generator needs it

    return (Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
            / f"{VERSION}-local" / "_definitions.json")


def _base_type(t) -> str | None:
    if isinstance(t, list):
        t = [x for x in t if x != "null"]
        return t[0] if t else None
    return t


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def convert(spec: dict, defs: dict, pending: list[str]) -> dict:
    """One property's type as a compact dict: t (type), r (ref), i (items), a (map values)."""
    out: dict = {}
    if "$ref" in spec:
        name = _ref_name(spec["$ref"])
        if name in SPECIAL:
            out["t"] = SPECIAL[name]
        else:
            out["t"], out["r"] = "ref", name
            pending.append(name)
    else:
        t = _base_type(spec.get("type"))
        if t == "array":
            out["t"] = "array"
            out["i"] = convert(spec.get("items", {}), defs, pending)
        elif t == "object":
            out["t"] = "object"
            if isinstance(spec.get("additionalProperties"), dict):
                out["a"] = convert(spec["additionalProperties"], defs, pending)
        elif t is None:
            out["t"] = "any"
        else:
            out["t"] = t
        if spec.get("format") in ("int32", "int64", "byte", "double"):
            out["f"] = spec["format"]
    for src, dst in (("description", "d"), ("x-kubernetes-patch-merge-key", "mk"),
                     ("x-kubernetes-patch-strategy", "ps"), ("x-kubernetes-list-type", "lt"),
                     ("x-kubernetes-list-map-keys", "lk")):
        if spec.get(src):
            out[dst] = spec[src]
    if "enum" in spec:
        out["e"] = spec["enum"]
    return out


def generate(source: Path) -> dict:
    defs = json.loads(source.read_text())["$defs"]
    wanted = {(rt.group, rt.version, rt.kind) for rt in kinds.ALL}
    roots: dict[str, str] = {}
    for name, d in sorted(defs.items()):
        for gvk in d.get("x-kubernetes-group-version-kind", []):
            key = (gvk["group"], gvk["version"], gvk["kind"])
            if key in wanted and "List" not in name.rsplit(".", 1)[-1][-4:]:
                api_version = f"{key[0]}/{key[1]}" if key[0] else key[1]
                roots[f"{api_version}/{key[2]}"] = name
    types: dict[str, dict] = {}
    pending = sorted(set(roots.values()))
    while pending:
        name = pending.pop()
        if name in types or name in SPECIAL:
            continue
        d = defs[name]
        entry: dict = {"d": d.get("description", "")}
        props = {}
        for pname, pspec in d.get("properties", {}).items():
            props[pname] = convert(pspec, defs, pending)
        entry["p"] = props
        if d.get("required"):
            entry["req"] = d["required"]
        if "properties" not in d:
            entry["open"] = True  # free-form object: anything goes
        types[name] = entry
    missing = wanted - {tuple(k.rsplit("/", 1)[0].rpartition("/")[::2]) + (k.rsplit("/", 1)[1],)
                        for k in roots}
    if missing:
        print(f"warning: no definition for {sorted(missing)}", file=sys.stderr)
    return {"version": VERSION, "source": "kubernetes swagger.json via kubernetes-validate",
            "roots": dict(sorted(roots.items())), "types": dict(sorted(types.items()))}


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else default_source()
    data = generate(source)
    OUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=False) + "\n")
    print(f"wrote {OUT} ({len(data['roots'])} kinds, {len(data['types'])} types, "
          f"{OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
