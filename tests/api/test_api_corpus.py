"""Every Kubernetes-website manifest whose kind kcore serves decodes strictly and validates.

The corpus (/work/shared/corpus/website-examples, listed in INDEX.tsv) holds manifests
written by the Kubernetes project; a real v1.35 apiserver accepts them, so kcore must too.
The few that a v1.35 apiserver itself rejects are listed in EXPECTED_FAILURES with the reason
and the exact messages, so a change in either direction is noticed."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from kcore.api import defaults, kinds, schema, validation

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "website-examples"

# (path, document index) -> (why a v1.35 server rejects it, the messages kcore gives)
EXPECTED_FAILURES = {
    ("pods/emptydir-volume-mode.yaml", 0): (
        "emptyDir.mode is newer than the v1.35 API (CAVEATS.tsv: in the 1.37 API)",
        ['unknown field "spec.volumes[0].emptyDir.mode"']),
    ("pods/pod-with-numeric-toleration.yaml", 0): (
        "toleration operator Gt needs a feature gate that is off by default in v1.35",
        ['spec.tolerations[0].operator: Unsupported value: "Gt": supported values: "Equal", "Exists"']),
}


def _documents():
    index = CORPUS / "INDEX.tsv"
    if not index.exists():
        return []
    docs = []
    for line in index.read_text().splitlines()[1:]:
        path = line.split("\t")[0]
        try:
            loaded = list(yaml.safe_load_all((CORPUS / path).read_text()))
        except (OSError, yaml.YAMLError):
            continue
        for i, doc in enumerate(loaded):
            if not isinstance(doc, dict):
                continue
            try:
                kinds.for_kind(doc.get("apiVersion", ""), doc.get("kind", ""))
            except kinds.UnknownResource:
                continue
            docs.append(pytest.param(path, i, doc, id=f"{path}#{i} ({doc['kind']}) is accepted"
                                     if (path, i) not in EXPECTED_FAILURES else
                                     f"{path}#{i} ({doc['kind']}) is rejected as v1.35 rejects it"))
    return docs


DOCUMENTS = _documents()


def problems(doc: dict) -> list[str]:
    errs = schema.decode_errors(doc)
    if errs:
        return [str(e) for e in errs]
    obj = copy.deepcopy(doc)
    defaults.apply(obj)
    return [str(e) for e in validation.validate(obj)]


@pytest.mark.skipif(not DOCUMENTS, reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize("path, index, doc", DOCUMENTS)
def test_website_example(path, index, doc):
    expected = EXPECTED_FAILURES.get((path, index), ("", []))[1]
    assert problems(doc) == expected


@pytest.mark.skipif(not DOCUMENTS, reason=f"corpus not found at {CORPUS}")
def test_the_corpus_is_large_and_the_failure_table_is_current():
    assert len(DOCUMENTS) > 400
    present = {(p.values[0], p.values[1]) for p in DOCUMENTS}
    assert set(EXPECTED_FAILURES) <= present, "an expected failure no longer exists in the corpus"
