"""Reading `-f` sources as kubectl does: a file, a directory, `-` (stdin), multi-document
YAML or JSON, and `kind: List` unpacked into its items.

YAML is read with the YAML 1.1 rules Go's yaml.v2 uses, except that timestamps stay strings
(sigs.k8s.io/yaml converts to JSON first). Errors carry kubectl's wording:
`error: error parsing x.yaml: error converting YAML to JSON: yaml: line 9: ...`."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

import yaml

from kcore.cli.kubectl import KubectlError

EXTENSIONS = (".yaml", ".yml", ".json")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


# no implicit timestamps: `date: 2024-01-01` stays a string as in kubectl
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _no_dup_construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    out = {}
    for knode, vnode in node.value:
        key = loader.construct_object(knode, deep=True)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(None, None, "found unhashable key",
                                                    knode.start_mark)
        if not isinstance(key, str):
            key = "true" if key is True else "false" if key is False else "null" if key is None else str(key)
        out[key] = loader.construct_object(vnode, deep=True)
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_dup_construct_mapping)


@dataclass
class Doc:
    source: str  # the file name as the user typed it ("-" -> "STDIN")
    obj: dict


def _yaml_error(exc) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return f"yaml: line {mark.line + 1}: {problem}"
    return f"yaml: {problem}"


def parse_text(text: str, source: str) -> list[Doc]:
    docs: list[Doc] = []
    stripped = text.lstrip()
    try:
        if stripped.startswith("{") or stripped.startswith("["):
            try:
                raw = [json.loads(text)]
            except json.JSONDecodeError:
                raw = list(yaml.load_all(text, Loader=_Loader))
        else:
            raw = list(yaml.load_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        raise KubectlError(f"error parsing {source}: error converting YAML to JSON: "
                           f"{_yaml_error(exc)}") from None
    for obj in raw:
        if obj is None:
            continue
        if not isinstance(obj, dict):
            raise KubectlError(f"error parsing {source}: error converting YAML to JSON: "
                               "yaml: cannot unmarshal into an object")
        if obj.get("kind") == "List" or (str(obj.get("kind", "")).endswith("List")
                                         and isinstance(obj.get("items"), list)):
            for item in obj.get("items") or []:
                if isinstance(item, dict):
                    docs.append(Doc(source, item))
            continue
        docs.append(Doc(source, obj))
    return docs


def read_sources(ctx, filenames: list[str], recursive: bool = False) -> list[Doc]:
    docs: list[Doc] = []
    for fname in filenames:
        if fname == "-":
            docs.extend(parse_text(ctx.stdin, "STDIN"))
            continue
        if fname.startswith(("http://", "https://")):
            from kcore.cluster import catalog
            text = catalog.lookup_url(fname)
            if text is not None:
                docs.extend(parse_text(text, fname))
                continue
            raise KubectlError(f'unable to read URL "{fname}", server reported 404 Not Found, '
                               "status code=404")
        host = resolve_path(ctx, fname)
        if host is None:
            raise KubectlError(f'the path "{fname}" does not exist')
        if os.path.isdir(host):
            for root, dirs, files in os.walk(host):
                dirs.sort()
                for f in sorted(files):
                    if f.endswith(EXTENSIONS):
                        full = os.path.join(root, f)
                        shown = os.path.join(fname, os.path.relpath(full, host))
                        docs.extend(_read_file(full, shown))
                if not recursive:
                    break
        else:
            docs.extend(_read_file(host, fname))
    return docs


def _read_file(host: str, shown: str) -> list[Doc]:
    try:
        with open(host, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise KubectlError(f"error reading {shown}: {exc}") from None
    return parse_text(text, shown)


def resolve_path(ctx, fname: str) -> str | None:
    """kubectl runs on the controlplane as root in /root: paths are looked up there first
    (where `%ssh controlplane cat > x.yaml` and the magics' `> x.yaml` write), then in the
    notebook's own working directory (where `%%writefile x.yaml` writes)."""
    node_path = fname if os.path.isabs(fname) else "/root/" + fname
    host = ctx.cluster.host_path(ctx.cluster.controlplane, node_path)
    if os.path.exists(host):
        return host
    local = fname if os.path.isabs(fname) else os.path.abspath(fname)
    return local if os.path.exists(local) else None


def check_kind(doc: Doc):
    """The client-side checks kubectl makes before sending: apiVersion/kind set and known."""
    from kcore.api import kinds
    missing = [f"{k} not set" for k in ("apiVersion", "kind") if not doc.obj.get(k)]
    if missing:
        raise KubectlError(f'error validating "{doc.source}": error validating data: '
                           f'[{", ".join(missing)}]; if you choose to ignore these errors, turn '
                           "validation off with --validate=false")
    try:
        return kinds.for_kind(str(doc.obj["apiVersion"]), str(doc.obj["kind"]))
    except Exception:  # noqa: BLE001 - any lookup failure is "no matches"
        md = doc.obj.get("metadata") if isinstance(doc.obj.get("metadata"), dict) else {}
        raise KubectlError(f'resource mapping not found for name: "{md.get("name", "")}" '
                           f'namespace: "{md.get("namespace", "")}" from "{doc.source}": no matches '
                           f'for kind "{doc.obj["kind"]}" in version "{doc.obj["apiVersion"]}"\n'
                           "ensure CRDs are installed first") from None
