"""course/03-logging-monitoring.ipynb runs top to bottom in a fresh kernel and prints exactly what
is committed — the same mechanism as tests/course/test_ch02_notebook.py.

nbval (`pytest --nbval`) re-executes the notebook and compares every cell's outputs with the
committed ones; only picture cells are excused (tag `nbval-ignore-output`). Around that run,
checks nbval cannot make: every code cell was executed, exactly the picture cells are excused,
the cluster is seeded in the first cell, both `##` sections of the notes' Cluster monitoring
part have their section with live cells, the chapter shows the real messages to recognise
(no metrics API, metrics-server's x509 error, the defaulted container, no previous container),
and it says where v1.35 differs from the notes (crictl instead of docker). Refresh the outputs
with `jupyter nbconvert --to notebook --execute --inplace course/03-logging-monitoring.ipynb`."""
from __future__ import annotations


import nbformat
import pytest

from tests.course.nbgrader_harness import REPO

NOTEBOOK = "course/03-logging-monitoring.ipynb"

# The `##` sections of the Cluster monitoring part of the course notes.
SECTIONS = ["Resource monitoring", "Logging"]


def _notebook():
    return nbformat.read(REPO / NOTEBOOK, 4)


def _code_cells():
    return [c for c in _notebook().cells if c.cell_type == "code"]


def _text(cell) -> str:
    out = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            out.append(o.get("text", ""))
        elif "data" in o:
            out.append(str(o["data"].get("text/plain", "")))
    return "".join(out)


@pytest.mark.parametrize("section", [pytest.param(s, id=f"the section '{s}' is taught with live cells")
                                     for s in SECTIONS])
def test_every_section_of_the_notes_is_taught_with_live_cells(section):
    cells = _notebook().cells
    start = next((i for i, c in enumerate(cells) if c.cell_type == "markdown"
                  and c.source.startswith(f"## {section}")), None)
    assert start is not None, f"no '## {section}' heading"
    end = next((i for i in range(start + 1, len(cells)) if cells[i].cell_type == "markdown"
                and cells[i].source.startswith("## ")), len(cells))
    live = [c for c in cells[start:end] if c.cell_type == "code" and _text(c).strip()]
    assert live, f"section '{section}' has no cell with output"


@pytest.mark.parametrize("needle", [
    pytest.param("error: Metrics API not available", id="top without metrics-server fails as kubectl does"),
    pytest.param("x509: cannot validate certificate", id="metrics-server's log explains why it is not ready"),
    pytest.param("--kubelet-insecure-tls", id="the kubeadm fix is shown"),
    pytest.param("MEMORY(%)", id="kubectl top node runs"),
    pytest.param("--sort-by=cpu", id="pods are sorted by CPU"),
    pytest.param("--sort-by=memory", id="pods are sorted by memory"),
    pytest.param("webapp   log-agent", id="--containers splits a pod into its containers"),
    pytest.param('Defaulted container "nginx" out of: nginx, log-agent', id="logs without -c says which container"),
    pytest.param("ERROR log service unreachable", id="the sidecar's error is found with -c"),
    pytest.param("error: container agent is not valid for pod webapp", id="a wrong -c is an error"),
    pytest.param('previous terminated container "counter" in pod "counter" not found',
                 id="a pod that never crashed has no previous log"),
    pytest.param("CrashLoopBackOff", id="a crashing pod is shown"),
    pytest.param("Successfully registered node", id="the kubelet's journal is read on the node"),
])
def test_the_chapter_shows(needle):
    everything = "\n".join(c.source + "\n" + _text(c) for c in _notebook().cells)
    assert needle in everything


def test_previous_and_current_logs_differ():
    cell = next(c for c in _code_cells() if "%kubectl logs crasher -p" in c.source)
    lines = _text(cell).splitlines()
    assert len(lines) == 4 and lines[:2] != lines[2:]


@pytest.mark.parametrize("fact", [
    pytest.param("crictl", id="it uses crictl where the notes use docker"),
    pytest.param("no history", id="it says metrics-server keeps no history"),
    pytest.param("cAdvisor", id="it names cAdvisor in the kubelet"),
])
def test_what_the_notes_say_and_what_changed_is_said(fact):
    prose = "\n".join(c.source for c in _notebook().cells if c.cell_type == "markdown")
    assert fact in prose


def test_the_pipeline_picture_has_a_fallback_without_graphviz():
    from kcore.notebook.labs import ch03

    table = ch03.pipeline_table()
    assert "metrics-server" in table and "metrics.k8s.io" in table
