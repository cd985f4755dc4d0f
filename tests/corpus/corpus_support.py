"""Helpers for applying the Kubernetes website's example manifests to kcore and reading them back.

The corpus lives next to the repo (`../shared/corpus/website-examples`, see its README): every
file listed in INDEX.tsv is meant to pass `kubectl apply` on a recent cluster. This module
knows how to

- read the index and each file's objects with a YAML reader that is *not* kcore's own (so a
  bug in kcore's parser cannot hide itself), unpacking `kind: List`;
- plan which files share a cluster: a file gets a fresh namespace of its own, so only names
  that escape a namespace can collide -- cluster-scoped objects, and objects the author pinned
  to a namespace. Files are packed first-fit, in index order, into as few clusters as keep
  every such name unique (a Namespace a file *creates* must not exist yet; one it merely
  *needs* is created first if missing, and may be shared);
- compare what the author wrote with what the server returns (`missing_or_different`).

What the comparison forgives, and why (each is something a real API server does too):

- **Quantities** are stored in canonical form: apimachinery's Quantity doc says "1.5 will be
  serialized as 1500m ... Non-canonical values will still parse ... but will be re-emitted in
  their canonical form", so `cpu: 0.5` reads back `"500m"`, `1.5Gi` reads back `"1536Mi"`,
  `cpu: 1000` reads back `"1k"` and a number 2 reads back the string `"2"`. At quantity
  fields (resource maps and the few named quantity fields) the live value must be *exactly*
  the canonical string kcore's quantity parser prints -- keeping the author's spelling
  "1.5" is as wrong as losing it.
- **Secret `stringData`** is write-only: the server merges it into `data` (base64) and never
  returns it. Secret `data` is bytes, so it is compared decoded.
- **null and empty** values: an author's `null` (or an empty `key:`) means "not set"; an empty
  list or map may be omitted on the way back (Go's `omitempty`), which is not a lost field.
- Numbers compare by value (JSON does not tell 1 from 1.0).
- Lists admission appends to: a Pod's `spec.volumes` and each container's `volumeMounts`
  (the ServiceAccount plugin's `kube-api-access-*` token volume) and `spec.tolerations`
  (DefaultTolerationSeconds' not-ready/unreachable tolerations) may be longer than written;
  the author's items must still come first, in order.
- `metadata.namespace` on a cluster-scoped object: the registry clears it (BeforeCreate).

Nothing else is normalised: int-or-string values (`targetPort: "8080"` vs 8080) must come back
with the type the author wrote, as they do from a real server."""
from __future__ import annotations

import base64
import csv
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kcore.api import kinds
from kcore.machinery import quantity

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "website-examples"
HERE = Path(__file__).resolve().parent


class _AuthorLoader(yaml.SafeLoader):
    """YAML 1.1 as kubectl reads it, except timestamps stay strings (sigs.k8s.io/yaml)."""


_AuthorLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def read_tsv(path: Path) -> list[dict]:
    with open(path, newline="") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")),
                                   delimiter="\t"))


def author_objects(text: str) -> list[dict]:
    """The objects a file holds, in order, with `kind: List` unpacked."""
    out = []
    for doc in yaml.load_all(text, Loader=_AuthorLoader):
        if not doc:
            continue
        if doc.get("kind") == "List":
            out.extend(doc.get("items") or [])
        else:
            out.append(doc)
    return out


@dataclass
class CorpusFile:
    """One indexed file, with what applying it needs and claims."""
    index: int
    path: str
    text: str
    objects: list[dict]
    types: list[kinds.ResourceType | None]
    unsupported: list[str] = field(default_factory=list)   # "apiVersion/kind" kcore does not serve
    prerequisites: list[dict] = field(default_factory=list)  # rows of prerequisites.tsv
    group: int = -1                                         # which shared cluster

    @property
    def namespace(self) -> str:
        """Where objects without metadata.namespace go: the file's own namespace, or the one
        namespace the author pinned (kubectl refuses `-n` that disagrees with the file)."""
        pinned = self.author_namespaces
        return pinned[0] if len(pinned) == 1 else f"corpus-{self.index:03d}"

    @property
    def author_namespaces(self) -> list[str]:
        seen = []
        for obj, rt in zip(self.objects, self.types):
            ns = (obj.get("metadata") or {}).get("namespace")
            if rt is not None and rt.namespaced and ns and ns not in seen:
                seen.append(ns)
        return seen

    @property
    def created_namespaces(self) -> list[str]:
        return [o["metadata"]["name"] for o in self.objects if o.get("kind") == "Namespace"]

    def namespaces_to_create(self) -> list[str]:
        """Namespaces a user would create before applying: the file's own (if the author did
        not pin one) and every pinned one the file does not create itself."""
        wanted = [self.namespace] + self.author_namespaces
        out = []
        for ns in wanted:
            if ns not in out and ns not in self.created_namespaces:
                out.append(ns)
        return out

    def location(self, obj: dict, rt: kinds.ResourceType) -> str | None:
        if not rt.namespaced:
            return None
        return (obj.get("metadata") or {}).get("namespace") or self.namespace

    def claims(self) -> tuple[set, set]:
        """(exclusive, shared) names this file takes in a cluster: objects that must not exist
        yet, and namespaces that must exist but may be shared."""
        exclusive, shared = set(), set()
        for obj, rt in zip(self.objects, self.types):
            if rt is None:
                continue
            name = obj["metadata"]["name"]
            ns = self.location(obj, rt)
            if ns is None or ns != f"corpus-{self.index:03d}":
                exclusive.add((rt.plural, ns, name))
        for row in self.prerequisites:
            exclusive.add((row["resource"], None, row["name"]))
        for ns in self.namespaces_to_create():
            if ns != f"corpus-{self.index:03d}":
                shared.add(("namespaces", None, ns))
        return exclusive, shared


def load_corpus() -> list[CorpusFile]:
    """Every indexed file, each assigned to a cluster group (first fit, in index order)."""
    prerequisites: dict[str, list[dict]] = {}
    for row in read_tsv(HERE / "prerequisites.tsv"):
        prerequisites.setdefault(row["path"], []).append(row)
    files = []
    for i, row in enumerate(read_tsv(CORPUS / "INDEX.tsv")):
        text = (CORPUS / row["path"]).read_text()
        objects = author_objects(text)
        types, unsupported = [], []
        for obj in objects:
            try:
                types.append(kinds.for_kind(obj.get("apiVersion", ""), obj.get("kind", "")))
            except kinds.UnknownResource:
                types.append(None)
                unsupported.append(f"{obj.get('apiVersion')}/{obj.get('kind')}")
        files.append(CorpusFile(i, row["path"], text, objects, types, unsupported,
                                prerequisites.get(row["path"], [])))
    _plan_groups(files)
    return files


def _plan_groups(files: list[CorpusFile]) -> None:
    groups: list[tuple[set, set]] = []   # per cluster: exclusive names, shared names
    for f in files:
        if f.unsupported:
            continue
        exclusive, shared = f.claims()
        for gi, (g_excl, g_shared) in enumerate(groups):
            if exclusive & (g_excl | g_shared):
                continue
            f.group = gi
            break
        else:
            groups.append((set(), set()))
            f.group = len(groups) - 1
        groups[f.group][0].update(exclusive)
        groups[f.group][1].update(shared)


# -- comparison -------------------------------------------------------------------------------

QUANTITY_MAPS = {"requests", "limits", "hard", "capacity", "allocatable", "max", "min",
                 "default", "defaultRequest", "maxLimitRequestRatio", "overhead"}
QUANTITY_FIELDS = {"sizeLimit", "averageValue"}


def _is_quantity_path(path: tuple) -> bool:
    if len(path) >= 2 and path[-2] in QUANTITY_MAPS:
        return True
    if path and path[-1] in QUANTITY_FIELDS:
        return True
    return len(path) >= 2 and path[-1] == "value" and path[-2] == "target"


def _canonical_quantity(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        return str(quantity.parse(str(value)))
    except ValueError:
        return None


def _render(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


APPENDED_LISTS = {("spec", "volumes"), ("spec", "tolerations"), ("volumeMounts",)}


def _may_grow(path: tuple, kind: str) -> bool:
    """Lists of a Pod (or a workload's pod template) that admission plugins append to --
    only a Pod's own lists: controllers copy templates verbatim."""
    if kind != "Pod":
        return False
    return path in APPENDED_LISTS or (path[-1:] == ("volumeMounts",) and len(path) == 4
                                      and path[1] in ("containers", "initContainers"))


def expected_view(author: dict, namespaced: bool = True) -> dict:
    """The author's object as a real server would hand it back: Secret stringData folded
    into data (write-only field); no namespace on a cluster-scoped object."""
    if not namespaced and (author.get("metadata") or {}).get("namespace"):
        author = dict(author)
        author["metadata"] = {k: v for k, v in author["metadata"].items() if k != "namespace"}
    if author.get("kind") == "Secret" and author.get("stringData"):
        obj = dict(author)
        data = dict(obj.get("data") or {})
        for k, v in obj.pop("stringData").items():
            data[k] = base64.b64encode(str(v).encode()).decode()
        obj["data"] = data
        return obj
    return author


def missing_or_different(author, live, path: tuple = (), kind: str = "") -> list[str]:
    """Every field the author wrote that the live object lacks or holds differently,
    as `path: wrote X, got Y` lines (empty when the author's object is a subset)."""
    if author is None:
        return []
    if isinstance(author, dict):
        if live is None and not author:
            return []
        if not isinstance(live, dict):
            return [f"{_render(path)}: wrote {author!r}, got {live!r}"]
        problems = []
        for key, value in author.items():
            sub = path + (key,)
            if key not in live:
                if value is None or value == {} or value == []:
                    continue
                problems.append(f"{_render(sub)}: wrote {value!r}, missing")
                continue
            if kind == "Secret" and path == ("data",):
                if _b64(value) != _b64(live[key]):
                    problems.append(f"{_render(sub)}: wrote {value!r}, got {live[key]!r}")
                continue
            problems += missing_or_different(value, live[key], sub, kind)
        return problems
    if isinstance(author, list):
        if live is None and not author:
            return []
        grows = isinstance(live, list) and len(live) > len(author) and _may_grow(path, kind)
        if not isinstance(live, list) or (len(live) != len(author) and not grows):
            return [f"{_render(path)}: wrote {author!r}, got {live!r}"]
        problems = []
        for i, (a, b) in enumerate(zip(author, live)):
            problems += missing_or_different(a, b, path + (i,), kind)
        return problems
    if _is_quantity_path(path) and _canonical_quantity(author) is not None:
        if live == _canonical_quantity(author):
            return []
        return [f"{_render(path)}: wrote {author!r}, got {live!r} "
                f"(a server returns the canonical {_canonical_quantity(author)!r})"]
    if author == live and type(author) is type(live):
        return []
    if (isinstance(author, (int, float)) and not isinstance(author, bool)
            and isinstance(live, (int, float)) and not isinstance(live, bool) and author == live):
        return []
    return [f"{_render(path)}: wrote {author!r}, got {live!r}"]


def _b64(value):
    try:
        return base64.b64decode(str(value).replace("\n", ""), validate=False)
    except ValueError:
        return value


# -- a guard against commands that never return ------------------------------------------------

class ApplyHung(BaseException):
    """A kcore command did not return within the watchdog's time (a loop that never settles).
    A BaseException, so that kubectl's catch-all error handler cannot swallow it."""


@contextmanager
def watchdog(seconds: float, what: str):
    """Turn a kcore command that never returns into an ApplyHung instead of a stuck run
    (SIGALRM; a no-op off the main thread or where setitimer does not exist)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def fire(signum, frame):
        raise ApplyHung(f"{what} did not return within {seconds:.0f} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
