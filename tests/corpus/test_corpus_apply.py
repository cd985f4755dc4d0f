"""Every example manifest of the Kubernetes documentation applies to kcore and reads back whole.

For each file in ../shared/corpus/website-examples/INDEX.tsv, as a user following the docs
would: create the namespaces it needs (its own fresh `corpus-NNN` namespace, or the one the
author pinned), create what its page creates first (prerequisites.tsv: PriorityClasses),
`kubectl apply -f - -n <ns>`, and expect exit 0 with one `<kind>.<group>/<name> created`
line per object. Then `kubectl get <resource> <name> -o json` for each object must hold
every field the author wrote with the value written (corpus_support.missing_or_different
says exactly which server-side canonicalisations are forgiven, and why).

Files share a few clusters (building one costs about a second); corpus_support plans them
so that no cluster-scoped or namespace-pinned name is applied twice in one cluster.

Files that cannot pass are listed in expected_failures.tsv with the reason and the symptom;
they run as strict xfails, so one that starts passing -- or fails differently -- is noticed.
Files a real cluster refuses (an IPv6 Service on an IPv4-only cluster) are listed in
refused_by_real_cluster.tsv and must be refused with the real message instead."""
from __future__ import annotations

import json
import shlex

import pytest

import corpus_support as cs
from corpus_support import ApplyHung, watchdog

if not (cs.CORPUS / "INDEX.tsv").exists():
    pytest.skip(f"corpus not found at {cs.CORPUS}", allow_module_level=True)

import kcore  # noqa: E402  (after the skip: nothing to build without the corpus)

FILES = cs.load_corpus()
EXPECTED = {row["path"]: row for row in cs.read_tsv(cs.HERE / "expected_failures.tsv")}
REFUSED = {row["path"]: row for row in cs.read_tsv(cs.HERE / "refused_by_real_cluster.tsv")}
APPLY_TIMEOUT = 20.0   # seconds of real time before an apply that never returns is a failure


class CorpusMismatch(AssertionError):
    """The file did not apply cleanly or did not read back whole (the message says how)."""


class Clusters:
    """One live cluster at a time: the group the current file belongs to."""

    def __init__(self):
        self.group = None
        self.cluster = None

    def get(self, group: int):
        if self.cluster is None or self.group != group:
            self.cluster, self.group = None, None
            self.cluster, self.group = kcore.Cluster(), group
        return self.cluster

    def discard(self):
        self.cluster, self.group = None, None


@pytest.fixture(scope="module")
def clusters():
    return Clusters()


def kubectl(cluster, args, stdin=""):
    return cluster.kubectl(args, stdin=stdin, settle=False)


def created_line(obj: dict, rt, verb: str = "created") -> str:
    qualified = f"{rt.kind.lower()}.{rt.group}" if rt.group else rt.kind.lower()
    return f"{qualified}/{obj['metadata']['name']} {verb}"


def get_args(cf: cs.CorpusFile, obj: dict, rt) -> list[str]:
    args = ["get", rt.group_resource if rt.group else rt.plural, obj["metadata"]["name"]]
    ns = cf.location(obj, rt)
    return args + (["-n", ns] if ns else [])


def apply_and_read_back(cluster, cf: cs.CorpusFile) -> list[str]:
    """What went wrong applying `cf` and reading it back; [] when it all came back whole."""
    for ns in cf.namespaces_to_create():
        if kubectl(cluster, ["get", "namespace", ns]).returncode:
            r = kubectl(cluster, ["create", "namespace", ns])
            if r.returncode:
                return [f"kubectl create namespace {ns} failed: {r.stderr.strip()}"]
    for row in cf.prerequisites:
        if kubectl(cluster, ["get", row["resource"], row["name"]]).returncode:
            r = kubectl(cluster, shlex.split(row["command"]))
            if r.returncode:
                return [f"prerequisite `kubectl {row['command']}` failed: {r.stderr.strip()}"]

    # what a fresh kubeadm cluster already holds (system:kube-scheduler ...) is configured,
    # not created -- on a real cluster too
    verbs = ["configured" if rt is not None and not kubectl(cluster, get_args(cf, o, rt)).returncode
             else "created" for o, rt in zip(cf.objects, cf.types)]
    args = ["apply", "-f", "-"]
    if any(rt is not None and rt.namespaced for rt in cf.types):
        args += ["-n", cf.namespace]
    r = kubectl(cluster, args, stdin=cf.text)
    if r.returncode:
        return [f"kubectl {' '.join(args)} exited {r.returncode}: {r.stderr.strip()}"]
    problems = []
    if None in cf.types:
        return [f"apply succeeded although kcore does not serve {', '.join(cf.unsupported)}"]
    expected = [created_line(o, rt, verb) for o, rt, verb in zip(cf.objects, cf.types, verbs)]
    if r.stdout.splitlines() != expected:
        problems.append(f"apply printed {r.stdout.splitlines()!r}, expected {expected!r}")

    for obj, rt in zip(cf.objects, cf.types):
        name = obj["metadata"]["name"]
        get = get_args(cf, obj, rt) + ["-o", "json"]
        g = kubectl(cluster, get)
        if g.returncode:
            problems.append(f"kubectl {' '.join(get)} exited {g.returncode}: {g.stderr.strip()}")
            continue
        live = json.loads(g.stdout)
        for line in cs.missing_or_different(cs.expected_view(obj, rt.namespaced), live,
                                             kind=obj["kind"]):
            problems.append(f"{rt.kind}/{name}: {line}")
    return problems


def _param(cf: cs.CorpusFile):
    marks = ()
    row = EXPECTED.get(cf.path)
    if row is not None:
        marks = pytest.mark.xfail(strict=True, raises=CorpusMismatch, reason=row["reason"])
    return pytest.param(cf, marks=marks, id=f"{cf.path} applies and reads back whole")


PARAMS = [_param(cf) for cf in sorted(FILES, key=lambda f: (max(f.group, 0), f.index))
          if cf.path not in REFUSED]


@pytest.mark.parametrize("cf", PARAMS)
def test_manifest_applies_and_reads_back(cf, clusters):
    cluster = clusters.get(max(cf.group, 0))
    try:
        with watchdog(APPLY_TIMEOUT, f"applying {cf.path}"):
            problems = apply_and_read_back(cluster, cf)
    except ApplyHung as exc:
        clusters.discard()   # the loop was interrupted mid-work: start the next file afresh
        problems = [str(exc)]
    if not problems:
        return
    report = f"{cf.path}:\n  " + "\n  ".join(problems)
    row = EXPECTED.get(cf.path)
    if row is not None and row["symptom"] not in report:
        raise AssertionError(f"fails, but not as expected_failures.tsv says "
                             f"({row['symptom']!r}):\n{report}")
    raise CorpusMismatch(report)


def _refused_param(row):
    marks = ()
    if row["kcore_bug"]:
        marks = pytest.mark.xfail(strict=True, reason=f"kcore bug: {row['kcore_bug']}")
    return pytest.param(row, marks=marks, id=f"{row['path']} is refused as on a real cluster")


@pytest.mark.parametrize("row", [_refused_param(r) for r in REFUSED.values()])
def test_refused_like_a_real_cluster(row, clusters):
    cf = next(f for f in FILES if f.path == row["path"])
    cluster = clusters.get(max(cf.group, 0))
    for ns in cf.namespaces_to_create():
        if kubectl(cluster, ["get", "namespace", ns]).returncode:
            assert kubectl(cluster, ["create", "namespace", ns]).returncode == 0
    with watchdog(APPLY_TIMEOUT, f"applying {cf.path}"):
        r = kubectl(cluster, ["apply", "-f", "-", "-n", cf.namespace], stdin=cf.text)
    assert r.returncode == 1, f"applied: {r.stdout!r}"
    assert row["message"] in r.stderr


def test_expected_failures_name_indexed_files():
    """A stale row (file renamed or dropped from the index) is an error, not a silent pass."""
    indexed = {cf.path for cf in FILES}
    assert sorted(set(EXPECTED) - indexed) == []
    assert sorted(set(REFUSED) - indexed) == []
    assert sorted(set(EXPECTED) & set(REFUSED)) == []


def test_prerequisites_name_indexed_files():
    indexed = {cf.path for cf in FILES}
    assert sorted({cf.path for cf in FILES if cf.prerequisites} - indexed) == []
    rows = cs.read_tsv(cs.HERE / "prerequisites.tsv")
    assert sorted({r["path"] for r in rows} - indexed) == []
