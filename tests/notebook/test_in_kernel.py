"""In a real kernel, as nbgrader runs it: a failed check shows only its explanation (no test
source, no frames), and the magics print like a terminal. One kernel for the whole table."""
from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO

SETUP = f"""import sys; sys.path.insert(0, {str(REPO)!r})
%load_ext kcore.notebook
from kcore.notebook import use
from kcore.notebook.grading import check
from tests.notebook.fakes import FakeCluster, pod
use(FakeCluster().add(pod("web", phase="Pending")))"""

CELLS = {
    "hidden": "SECRET_SOURCE = 1\ncheck.pod('web').is_running()",
    "missing": "check.pod('nope')",
    "magic": "%kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
    "variable": "check.variable('answer')",
}


@pytest.fixture(scope="module")
def outputs():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP)] + [nbformat.v4.new_code_cell(src) for src in CELLS.values()]
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    assert not [o for o in nb.cells[0].outputs if o.output_type == "error"], nb.cells[0].outputs
    return dict(zip(CELLS, (cell.outputs for cell in nb.cells[1:])))


@pytest.mark.parametrize("cell, first_line", [
    pytest.param("hidden", "Pod 'web' should be Running; it is Pending: no scheduler has placed it.",
                 id="a failed check shows its explanation and not the cell's source"),
    pytest.param("missing", "Expected a Pod named 'nope' in namespace 'default'; there is none.",
                 id="a missing object fails with words"),
    pytest.param("variable", "Expected a variable named 'answer'; it is not defined.",
                 id="an unset answer variable fails cleanly instead of a NameError"),
])
def test_failed_checks_show_only_the_explanation(outputs, cell, first_line):
    (error,) = outputs[cell]
    assert error.output_type == "error" and error.ename in ("CheckFailed",)
    assert error.traceback[0] == first_line
    text = "\n".join(error.traceback)
    assert "SECRET_SOURCE" not in text and "check." not in text and "File " not in text


def test_magic_output_is_a_plain_stdout_stream(outputs):
    (stream,) = outputs["magic"]
    assert (stream.output_type, stream.name) == ("stream", "stdout")
    assert stream.text == "ran: get pods -o jsonpath={.items[*].metadata.name}\n"
