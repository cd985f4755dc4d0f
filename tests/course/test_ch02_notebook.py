"""course/02-scheduling.ipynb runs top to bottom in a fresh kernel and prints exactly what is
committed — the same mechanism as tests/course/test_notebooks_run.py uses for chapters 00 and 01.

nbval (`pytest --nbval`) re-executes the notebook and compares every cell's outputs with the
committed ones; only widget and picture cells are excused (tag `nbval-ignore-output`), because a
live widget's model id and graphviz's SVG are not the chapter's teaching text. Around that run,
checks nbval cannot make: every code cell was executed, exactly the widget cells are excused,
the cluster is seeded in the first cell, every `##` section of the notes' Scheduling part has
its section with live cells, the chapter shows a SchedulerExplainer, and it says where v1.35
differs from the notes (no default requests without a LimitRange, the scheduler's secure
port 10259, crictl instead of docker). Refresh the outputs with
`jupyter nbconvert --to notebook --execute --inplace course/02-scheduling.ipynb`."""
from __future__ import annotations


import nbformat
import pytest

from tests.course.nbgrader_harness import REPO

NOTEBOOK = "course/02-scheduling.ipynb"

# The `##` sections of the Scheduling part of the course notes, as the chapter titles them.
SECTIONS = ["What is the scheduler", "Manual scheduling", "Labels and selectors", "Taints and tolerations",
            "NodeSelectors", "NodeAffinity / AntiAffinity", "NodeAffinity and tolerations",
            "Resources and limits", "DaemonSets", "Static pods", "Multiple schedulers"]


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


@pytest.mark.parametrize("needle, why", [
    pytest.param("SchedulerExplainer", "the widget", id="the scheduler's decision is drawn by the SchedulerExplainer"),
    pytest.param("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.", "output",
                 id="a pod that does not fit shows the scheduler's own message"),
    pytest.param('{"limits":{"cpu":"1","memory":"512Mi"},"requests":{"cpu":"500m","memory":"256Mi"}}', "output",
                 id="the notes' default requests and limits appear only through a LimitRange"),
    pytest.param("static-web-node01", "output", id="a static pod's mirror is named after its node"),
    pytest.param("my-scheduler   Successfully assigned default/custom", "output",
                 id="a pod that names my-scheduler is placed by it"),
    pytest.param("TaintManagerEviction", "output", id="a NoExecute taint evicts running pods"),
])
def test_the_chapter_shows(needle, why):
    everything = "\n".join(c.source + "\n" + _text(c) for c in _notebook().cells)
    assert needle in everything


@pytest.mark.parametrize("fact", [
    pytest.param("no such defaults", id="it says the 0.5 CPU / 256Mi default is not a Kubernetes default"),
    pytest.param("10259", id="it teaches the scheduler's secure port 10259"),
    pytest.param("`--port` is gone", id="it says the --port flag of the notes no longer exists"),
    pytest.param("crictl", id="it uses crictl where the notes use docker ps"),
])
def test_what_changed_since_the_notes_is_said(fact):
    prose = "\n".join(c.source for c in _notebook().cells if c.cell_type == "markdown")
    assert fact in prose


# -- the SchedulerExplainer adapter the chapter uses (kcore/notebook/labs/ch02.py) ------------------

@pytest.fixture(scope="module")
def explained():
    """A seeded cluster where pods met the scheduler in four different ways."""
    import kcore
    from kcore.notebook.labs import ch02

    c = kcore.Cluster(seed=2)
    c.kubectl("taint nodes node01 app=blue:NoSchedule")
    c.kubectl("run mosquito --image=nginx")
    c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: hungry}\nspec:\n  containers:\n"
                                  "  - {name: app, image: nginx, resources: {requests: {cpu: '3'}}}\n")
    c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: placed}\nspec:\n  nodeName: node02\n"
                                  "  containers: [{name: app, image: nginx}]\n")
    c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: orphan}\nspec:\n"
                                  "  schedulerName: nobody\n  containers: [{name: app, image: nginx}]\n")
    c.kubectl("taint nodes node01 app=blue:NoSchedule-")
    c.kubectl("run two --image=nginx")
    yield c, ch02
    c.close()


def _verdicts(model):
    """{node: the rejecting plugin, or 'pass'} from a scheduler_explain() model."""
    return {n["name"]: next((f["plugin"] for f in n["filters"] if not f["ok"]), "pass") for n in model["nodes"]}


@pytest.mark.parametrize("pod, chosen, verdicts, message", [
    pytest.param("mosquito", "node02", {"controlplane": "TaintToleration", "node01": "TaintToleration", "node02": "pass"},
                 "Only one node passed every filter, so the scheduler skipped scoring.",
                 id="a pod with one feasible node is bound there and scoring is skipped"),
    pytest.param("hungry", None, {"controlplane": "TaintToleration", "node01": "NodeResourcesFit",
                                  "node02": "NodeResourcesFit"},
                 "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.",
                 id="a pod that fits nowhere shows each node's rejecting filter and the scheduler's message"),
    pytest.param("placed", "node02", {}, "This pod was not placed by a scheduler (spec.nodeName was set directly).",
                 id="a pod placed through nodeName has no scheduler decision"),
    pytest.param("orphan", None, {}, "No scheduler named nobody has looked at this pod.",
                 id="a pod that names a missing scheduler says no scheduler looked at it"),
])
def test_the_explainer_model_tells_what_the_scheduler_decided(explained, pod, chosen, verdicts, message):
    cluster, ch02 = explained
    model = ch02.scheduler_explain(cluster, "default", pod)
    assert (model["pod"], model["chosen"], _verdicts(model)) == (f"default/{pod}", chosen, verdicts)
    assert model["message"].startswith(message)


def test_scored_nodes_carry_each_plugins_score_and_the_total(explained):
    cluster, ch02 = explained
    model = ch02.scheduler_explain(cluster, "default", "two")
    scored = [n for n in model["nodes"] if n["total"] is not None]
    assert [n["name"] for n in scored] == ["node01", "node02"]
    for node in scored:
        assert node["total"] == sum(s["normalized"] * s["weight"] for s in node["scores"])
    assert model["chosen"] == max(scored, key=lambda n: n["total"])["name"]


def test_filters_after_the_rejecting_one_did_not_run(explained):
    cluster, ch02 = explained
    model = ch02.scheduler_explain(cluster, "default", "hungry")
    controlplane = next(n for n in model["nodes"] if n["name"] == "controlplane")
    assert [f["plugin"] for f in controlplane["filters"]][-1] == "TaintToleration"
    assert [f["ok"] for f in controlplane["filters"]] == [True] * (len(controlplane["filters"]) - 1) + [False]


def test_the_widget_draws_the_adapters_model(explained):
    cluster, ch02 = explained
    widget = ch02.explainer("hungry", cluster=cluster)
    assert "Insufficient cpu" in widget.canvas.value
