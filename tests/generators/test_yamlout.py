"""to_yaml / to_json against the real kubectl printer, object by object.

The oracle is `kubectl patch --local -f obj.json --type=merge -p '{}' -o yaml|json`, which
prints a file back through kubectl's own printers without a server."""
from __future__ import annotations

import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from kcore.cli.kubectl.printers.yamlout import go_key_less, to_json, to_yaml, to_yaml_documents
from tests.conftest import run_real_kubectl


def cm(**fields):
    """A ConfigMap carrying arbitrary fields: kubectl prints it without schema checks."""
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, **fields}


def data(**values):
    return cm(data=values)


CASES = [
    pytest.param(data(a="true", b="80", c="1.0", d="", e="null", f="~", g="yes", h="n", i="Off"),
                 id="strings that read back as other types are double-quoted"),
    pytest.param(data(a="0x1F", b="017", c="08", d="1e3", e="1_000", f=".5", g="+1", h="-.inf",
                      i="0b101", j="0o17", k="1:20", l="2001-12-14", m="2001-12-14 21:59:43.10",
                      n="2001-13-01", o="12:30", p="1.2.3", q="0xZZ", r="-", s="+"),
                 id="numbers, base-60 floats and timestamps are quoted but near misses are not"),
    pytest.param(data(a="a: b", b=" lead", c="trail ", d="- x", e="#c", f="x #y", g="@at",
                      h="`bt", i="!tag", j="*al", k="&an", l="%p", m="{a}", n="[b]", o="'q'",
                      p='"dq"', q="a:b", r="a#b", s="?x", t="? x", u=":", v="-x", w="--- x",
                      x="...", y="<<", z="a, b", aa="|", ab=">", ac="50%"),
                 id="indicator characters choose single quotes exactly where libyaml does"),
    pytest.param(data(a="tab\there", b="x\r\ny", c="bell\x07", d="esc\x1b", e="x \ny", f="é ü",
                      g="hi \U0001F600", h="back\\slash", i='say "hi"', j="nb\u00a0sp"),
                 id="non-printable characters force double quotes with libyaml escapes"),
    pytest.param(data(a="a\x85b", b="a \x85  b", c="a\x85\x85b", d="a\x85 \x85\x85b", e="\x85x", g="x\n\x85y"),
                 id="a raw NEL folds as kubectl's JSON-to-YAML round trip folds it"),
    pytest.param(data(a="\ufeffx y\u00e9", b="x\ufeffy"),
                 id="a leading byte-order mark escapes the whole string as go-yaml v2 does"),
    pytest.param(data(a="line1\nline2\n", b="line1\nline2", c="a\n\n", d="  indented\nx\n",
                      e="x\n  y\n", f="\n", g="\nlead", h="trailing\n\n\n", i="x \ny\n",
                      j="#!/bin/sh\necho hi\n", k="key: value\nother: 1\n"),
                 id="multi-line strings become literal blocks with libyaml's chomping and indent hints"),
    pytest.param(data(long="word " * 30 + "end", lq="'q' " + "word " * 30,
                      ld="tab\t " + "word " * 30, ml="line one " + "word " * 30 + "\nsecond",
                      nospace="x" * 200, url="https://example.com/" + "a/" * 60),
                 id="long strings are folded at spaces after column 80"),
    pytest.param(cm(spec={"list": ["x", ["y", "z"], {"k": "v", "l": [1, 2]}, [], {}, None, True,
                                   False, 1.5, 1234567.5, 0.00001, 1e21, 3.0, -2, "m\nl\n", [[1]],
                                   {"m": {"n": [{"o": "p"}]}}]}),
                 id="nested sequences and mappings, empty collections, null, booleans and floats"),
    pytest.param(cm(metadata={"name": "x", "labels": {"key10": "1", "key9": "2", "key1": "3",
                                                       "a_b": "1", "aZ": "2", "a:": "3", "a1": "4",
                                                       "a01": "5", "a001": "6", "a.b": "7", "A": "8",
                                                       "_x": "9", "2a": "12",
                                                       "é": "13", "z": "14", "a1b": "15", "a1_": "16",
                                                       "x-10": "17", "x-9": "18", "x/1": "19"}}),
                 id="map keys follow go-yaml's natural order"),
    pytest.param(cm(labels={"true": "a", "n": "b", "": "c", "80": "d", "a: b": "e", "- x": "f",
                            "k" * 128: "g", "l" * 129: "h", "multi\nline": "i", "ends\n": {"x": 1},
                            "é" * 70: "j"}),
                 id="keys are quoted like values and long or multi-line keys become complex keys"),
    pytest.param(cm(zz="x\n\n"), id="a document ending in a kept literal block adds no blank line"),
    pytest.param(cm(zz="x\n"), id="a document ending in a clipped literal block"),
    pytest.param(cm(spec={"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80}],
                                          "command": ["sh", "-c", "echo hello; sleep 3600"],
                                          "env": [{"name": "A", "value": "1"}], "resources": {}}]},
                    status={}),
                 id="a pod-like object prints sequences unindented under their keys"),
    pytest.param(cm(annotations={"kubectl.kubernetes.io/last-applied-configuration":
                                 json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}},
                                            separators=(",", ":")) + "\n"}),
                 id="a last-applied annotation ending in a newline is a literal block"),
]


def _oracle(binary, obj, fmt):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(obj, fh)
    try:
        proc = run_real_kubectl(binary, ["patch", "--local", "-f", fh.name, "--type=merge", "-p", "{}",
                                         "-o", fmt])
    finally:
        os.unlink(fh.name)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def oracle(real_kubectl):
    jobs = [(i, fmt) for i in range(len(CASES)) for fmt in ("yaml", "json")]
    with ThreadPoolExecutor(max_workers=8) as pool:
        outputs = pool.map(lambda job: _oracle(real_kubectl, CASES[job[0]].values[0], job[1]), jobs)
        return dict(zip(jobs, outputs))


@pytest.mark.parametrize("index", [pytest.param(i, id=c.id) for i, c in enumerate(CASES)])
def test_yaml_matches_kubectl(oracle, index):
    assert to_yaml(CASES[index].values[0]) == oracle[(index, "yaml")]


@pytest.mark.parametrize("index", [pytest.param(i, id=c.id) for i, c in enumerate(CASES)])
def test_json_matches_kubectl(oracle, index):
    assert to_json(CASES[index].values[0]) == oracle[(index, "json")]


_TRICKY = list("ab yZ09:#-?,[]{}&*!|>'\"%@`~.+_\n\t\\/=<") + [
    "é", "\u2028", "\U0001F600", "  ", "\n\n", "true", "null", "0x", "1e", "--- ", "..."]


def _fuzz_object(seed: int) -> dict:
    """A ConfigMap of 300 pseudo-random tricky strings (a fixed LCG: the same bytes every run)."""
    state = [seed]

    def rnd(n):
        state[0] = (state[0] * 1103515245 + 12345) % (2 ** 31)
        return state[0] % n

    def word():
        return "".join(_TRICKY[rnd(len(_TRICKY))] for _ in range(rnd(12)))
    values = {}
    for i in range(300):
        values[f"k{i:03d}"] = " ".join(word() for _ in range(30)) if rnd(10) == 0 else word()
    keys = {word() or "x": "v" for _ in range(50)}

    def nested(depth=0):
        r = rnd(6)
        if depth > 3 or r < 3:
            return word() + ("word " * 20 if r == 0 else "")
        if r == 3:
            return [nested(depth + 1) for _ in range(rnd(4))]
        if r == 4:
            return {word() or "k": nested(depth + 1) for _ in range(rnd(4))}
        return [{"a": nested(depth + 1), "b": [nested(depth + 1)]}]
    return cm(metadata={"name": "x", "labels": keys}, data=values,
              spec={f"f{i}": nested() for i in range(60)})


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"pseudo-random tricky strings, seed {s}")
                                  for s in (1, 2, 3, 4)])
def test_fuzzed_strings_match_kubectl(real_kubectl, seed):
    obj = _fuzz_object(seed)
    with ThreadPoolExecutor(max_workers=2) as pool:
        yaml_out, json_out = pool.map(lambda fmt: _oracle(real_kubectl, obj, fmt), ("yaml", "json"))
    assert to_yaml(obj) == yaml_out
    assert to_json(obj) == json_out


def test_json_escapes_html_characters_like_go():
    assert to_json({"a": "<&>\u2028"}) == '{\n    "a": "\\u003c\\u0026\\u003e\\u2028"\n}\n'


def test_documents_are_separated_by_three_dashes():
    assert to_yaml_documents([{"a": 1}, {"b": 2}]) == "a: 1\n---\nb: 2\n"


@pytest.mark.parametrize("a, b", [
    pytest.param("key9", "key10", id="digit runs compare by value"),
    pytest.param("a_b", "aZ", id="a non-letter sorts before a letter"),
    pytest.param("a1_", "a1b", id="a non-letter sorts before a letter even after a digit"),
])
def test_key_order(a, b):
    assert go_key_less(a, b) and not go_key_less(b, a)
