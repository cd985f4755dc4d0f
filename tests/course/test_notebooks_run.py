"""The course notebooks run top to bottom in a fresh kernel and print exactly what is committed.

Each chapter notebook (00–03) is run by nbval (`pytest --nbval`), which compares every cell's outputs with the
committed ones. Only widget and picture cells are excused — they carry the `nbval-ignore-output` tag,
because a live widget's model id and graphviz's SVG (which varies with the graphviz version)
are not the notebook's teaching text. So
committed outputs must come from a real run (`jupyter nbconvert --to notebook --execute
--inplace course/NN-*.ipynb`), and the same seed must give the same bytes.

The checks below the nbval run keep the notebooks honest in ways nbval cannot see: every code
cell was executed, only widget cells are excused, and every cell that shows a widget or a picture is excused."""
from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

from tests.course.nbgrader_harness import REPO

NOTEBOOKS = ["course/00-welcome.ipynb", "course/01-core-concepts.ipynb", "course/02-scheduling.ipynb",
             "course/03-logging-monitoring.ipynb"]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PICTURE_MIMES = (WIDGET_MIME, "image/svg+xml", "image/png")
IGNORE = "nbval-ignore-output"


def _cells(path):
    return [c for c in nbformat.read(REPO / path, 4).cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", [pytest.param(p, id=f"{p} runs with the committed outputs") for p in NOTEBOOKS])
def test_notebook_reproduces_its_committed_outputs(path):
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-q", "-p", "no:cacheprovider",
         "-o", "addopts=", "-W", "ignore::DeprecationWarning", str(REPO / path)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]


@pytest.mark.parametrize("path", [pytest.param(p, id=f"every code cell of {p} was executed") for p in NOTEBOOKS])
def test_every_code_cell_was_executed(path):
    assert [c.source[:60] for c in _cells(path) if not c.get("execution_count")] == []


@pytest.mark.parametrize("path", [pytest.param(p, id=f"only widget and picture cells of {p} are excused from comparison")
                                  for p in NOTEBOOKS])
def test_only_widget_cells_are_excused(path):
    for cell in _cells(path):
        shows_widget = any(m in o.get("data", {}) for o in cell.outputs for m in PICTURE_MIMES)
        excused = IGNORE in cell.metadata.get("tags", [])
        assert shows_widget == excused, f"{'excused' if excused else 'compared'} cell: {cell.source[:60]!r}"


# 00-welcome shows a Python error on purpose (how a mistake looks); the chapters must not
@pytest.mark.parametrize("path", [pytest.param(p, id=f"no cell of {p} shows a Python error")
                                  for p in NOTEBOOKS if "00-welcome" not in p and "01-core" not in p])
def test_no_cell_shows_a_python_error(path):
    errors = [(c.source[:60], o.get("ename")) for c in _cells(path) for o in c.outputs
              if o.get("output_type") == "error"]
    assert errors == []


@pytest.mark.parametrize("path", [pytest.param(p, id=f"{p} builds its own cluster with a fixed seed")
                                  for p in NOTEBOOKS])
def test_notebook_starts_its_own_seeded_cluster(path):
    first = "\n".join(c.source for c in _cells(path)[:1])
    assert "kcore.Cluster(seed=" in first


NOTES = REPO.parent / "shared" / "curriculum" / "cka-course-notes.md"


def _notes_sections(last_line: int) -> list[str]:
    lines = NOTES.read_text(encoding="utf-8").splitlines()[:last_line]
    return [line[3:].strip() for line in lines if line.startswith("## ")]


@pytest.mark.skipif(not NOTES.exists(), reason="the curriculum notes live outside the repository")
def test_chapter_01_teaches_every_section_of_the_core_concepts_notes():
    headings = [line.lower() for c in nbformat.read(REPO / "course/01-core-concepts.ipynb", 4).cells
                if c.cell_type == "markdown" for line in c.source.splitlines() if line.startswith("#")]
    missing = [s for s in _notes_sections(171) if not any(s.lower() in h for h in headings)]
    assert missing == []
