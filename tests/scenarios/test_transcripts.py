"""Golden transcripts: a scenario is a list of commands and the exact output a learner sees.

Each file in transcripts/ reads like a terminal session:

    # a rollout and its undo
    # cluster: workers=2 seed=0
    $ kubectl create deployment web --image=nginx:1.27 --replicas=3
    deployment.apps/web created
    @ advance 30
    $ ssh node01 systemctl stop kubelet

Lines starting with `$ kubectl` run kubectl, `$ ssh NODE CMD` the node shell, `@ advance N`
moves virtual time, `@ add-node` joins a worker, `$ cat <<EOF … EOF` blocks feed stdin to the
previous... (see _parse). Everything else is expected output (stdout then stderr, then
`[exit N]` for a non-zero exit). The same seed gives the same bytes: a mismatch is a
regression. Regenerate deliberately with KCORE_UPDATE_GOLDEN=1 and review the diff."""
from __future__ import annotations

import os
import pathlib
import shlex

import pytest

HERE = pathlib.Path(__file__).parent / "transcripts"
FILES = sorted(HERE.glob("*.txt"))


def _parse(text: str):
    header = {}
    steps = []  # (kind, arg, stdin, expected_lines)
    lines = text.splitlines()
    i = 0
    title = ""
    while i < len(lines) and lines[i].startswith("# "):
        line = lines[i][2:]
        if line.startswith("cluster:"):
            for kv in line[len("cluster:"):].split():
                k, _, v = kv.partition("=")
                header[k] = v
        elif not title:
            title = line
        i += 1
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ ") or line.startswith("@ "):
            kind = line[:1]
            arg = line[2:]
            stdin = ""
            i += 1
            if kind == "$" and arg.endswith("<<EOF"):
                arg = arg[: -len("<<EOF")].rstrip()
                buf = []
                while i < len(lines) and lines[i] != "EOF":
                    buf.append(lines[i])
                    i += 1
                i += 1
                stdin = "\n".join(buf) + "\n"
            expected = []
            while i < len(lines) and not (lines[i].startswith("$ ") or lines[i].startswith("@ ")):
                expected.append(lines[i])
                i += 1
            steps.append((kind, arg, stdin, expected))
            continue
        i += 1
    return title, header, steps


def _cluster(header):
    import kcore
    opts = {}
    if "workers" in header:
        opts["workers"] = int(header["workers"])
    if "seed" in header:
        opts["seed"] = int(header["seed"])
    if "cni" in header:
        opts["cni"] = None if header["cni"] == "none" else header["cni"]
    return kcore.Cluster(**opts)


def run_transcript(text: str) -> str:
    title, header, steps = _parse(text)
    c = _cluster(header)
    out = []
    for ln in text.splitlines():
        if not ln.startswith("# "):
            break
        out.append(ln)
    for kind, arg, stdin, _expected in steps:
        heredoc = f"{arg} <<EOF\n{stdin}EOF" if stdin else arg
        out.append(f"{kind} {heredoc}")
        if kind == "@":
            words = arg.split()
            if words[0] == "advance":
                c.advance(float(words[1]))
            elif words[0] == "add-node":
                c.add_node(words[1] if len(words) > 1 else None)
            continue
        words = shlex.split(arg)
        if words[0] == "kubectl":
            r = c.kubectl(words[1:], stdin=stdin)
        elif words[0] == "ssh":
            r = c.ssh(words[1], arg.split(None, 2)[2], stdin=stdin)
        else:
            raise ValueError(f"unknown command in transcript: {arg}")
        text_out = r.stdout + r.stderr
        out.extend(text_out.rstrip("\n").split("\n") if text_out else [])
        if r.returncode:
            out.append(f"[exit {r.returncode}]")
        assert c.last_traceback is None, c.last_traceback
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem.replace("-", " "))
def test_transcript(path):
    text = path.read_text(encoding="utf-8")
    got = run_transcript(text)
    if os.environ.get("KCORE_UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
        return
    assert got == text, f"transcript {path.name} differs; rerun with KCORE_UPDATE_GOLDEN=1 and review the diff"
