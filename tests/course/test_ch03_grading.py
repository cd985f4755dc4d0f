"""The nbgrader round trip for chapter 03 (Logging & Monitoring), as an instructor runs it:
generate the release, autograde what students hand in, generate feedback.

The solution earns every point; the untouched release earns none and runs to the end; each
typical wrong answer (the memory column read for CPU, logs read without -c, the current
container's log instead of the previous one, metrics-server installed without
--kubelet-insecure-tls) loses its task's points, and the feedback says why, never showing the
hidden tests' source. Last, the committed exercises/ must be exactly what nbgrader generates
from solutions/.

It reuses tests/course/nbgrader_harness.py (round_trip and the checks every assignment
makes), with its own module-scoped round trip."""
from __future__ import annotations

import nbformat
import pytest

from tests.course.nbgrader_harness import (REPO, assert_committed_exercises_are_generated,
                                           assert_feedback_hides_hidden_tests, assert_full_marks,
                                           assert_untouched_earns_nothing_and_runs_to_the_end,
                                           assert_wrong_answer_loses, round_trip)

CH03 = "ch03-logging-monitoring"
TOTAL = 13
PATCH_LINE = ("%kubectl patch deployment metrics-server -n kube-system --type=json "
              "-p '[{\"op\": \"add\", \"path\": \"/spec/template/spec/containers/0/args/-\", "
              "\"value\": \"--kubelet-insecure-tls\"}]'\n")

# Typical mistakes, grouped so that each submission gets several tasks wrong at once.
CH03_WRONG = {
    "careless": [
        ("ch03-top-pod-answer", 'top_cpu_pod = "checkout"', 'top_cpu_pod = "catalog"'),          # the memory column
        ("ch03-top-node-answer", 'top_memory_node = "node02"', 'top_memory_node = "node01"'),  # the CPU column
        ("ch03-multi-container-answer", 'error_container = "audit"', 'error_container = "app"'),  # forgot -c
    ],
    "half-done": [
        ("ch03-metrics-server-answer", PATCH_LINE, ""),                                         # no insecure TLS
        ("ch03-previous-answer", '"FATAL: database host reports-db.shop.svc not found"',
         '"reporter: waiting for the next report window"'),                                    # forgot -p
    ],
}


@pytest.fixture(scope="module")
def ch03(tmp_path_factory):
    """Chapter 03 autograded: students solution, untouched, careless and half-done."""
    return round_trip(tmp_path_factory.mktemp("ch03-course"), CH03, CH03_WRONG)


def test_the_solution_earns_full_marks(ch03):
    assert_full_marks(ch03, TOTAL)


def test_there_are_at_least_six_graded_tasks(ch03):
    assert len(ch03.grades("solution")) >= 6


def test_the_untouched_release_earns_nothing_and_runs_to_the_end(ch03):
    assert_untouched_earns_nothing_and_runs_to_the_end(ch03, TOTAL)


@pytest.mark.parametrize("student", [
    pytest.param("untouched", id="an untouched release's feedback shows no hidden test"),
    pytest.param("careless", id="a careless submission's feedback shows no hidden test"),
    pytest.param("half-done", id="a half-done submission's feedback shows no hidden test"),
])
def test_feedback_never_shows_hidden_tests(ch03, student):
    assert_feedback_hides_hidden_tests(ch03, student)


@pytest.mark.parametrize("student, cell, lost, message", [
    pytest.param("careless", "ch03-top-pod-test", 2,
                 "'catalog' uses the most memory (401Mi), but only 2m of CPU: the task asks for CPU",
                 id="the pod with the most memory instead of CPU loses the top pod task"),
    pytest.param("careless", "ch03-top-node-test", 2,
                 "'node01' uses the most CPU (534m), not the most memory: compare the MEMORY(bytes) column.",
                 id="the node with the most CPU instead of memory loses the top node task"),
    pytest.param("careless", "ch03-multi-container-test", 2,
                 "without -c shows the first container, app, only",
                 id="logs read without -c lose the multi-container task and the feedback says why"),
    pytest.param("half-done", "ch03-metrics-server-test", 3,
                 "its container needs the argument --kubelet-insecure-tls",
                 id="metrics-server without --kubelet-insecure-tls loses the install task"),
    pytest.param("half-done", "ch03-metrics-server-test", 3, "x509: cannot validate certificate",
                 id="the install feedback quotes metrics-server's own log"),
    pytest.param("half-done", "ch03-sort-by-test", 2, "it fails: error: Metrics API not available",
                 id="without a working metrics-server the sort command fails too"),
    pytest.param("half-done", "ch03-previous-test", 2,
                 "That line is in the current container's log. The container restarted",
                 id="the current container's log instead of the previous one loses the crash task"),
])
def test_a_typical_wrong_answer_loses_its_points_and_says_why(ch03, student, cell, lost, message):
    assert_wrong_answer_loses(ch03, student, cell, lost, message)


@pytest.mark.parametrize("student, score", [
    pytest.param("careless", TOTAL - 6, id="three careless mistakes cost exactly their three tasks"),
    pytest.param("half-done", TOTAL - 7, id="two half-done tasks cost those tasks and the one that needs them"),
])
def test_partial_scores_add_up(ch03, student, score):
    assert ch03.score(student) == (score, TOTAL)


def test_committed_exercises_are_what_nbgrader_generates(ch03):
    assert_committed_exercises_are_generated(ch03)


# -- the lab itself, without nbgrader: what the checks say about typical answers ----------------

@pytest.fixture(scope="module")
def lab():
    from kcore.notebook import scenarios, session

    started = scenarios.start(CH03)
    session.use(started.cluster)
    yield started
    session.use(None)  # the lab was made the current cluster; leave none behind
    started.cluster.close()


def test_top_fails_until_metrics_server_runs(lab):
    from kcore.notebook.grading import CheckFailed
    from kcore.notebook.labs import ch03

    result = lab.cluster.kubectl("top node")
    assert result.returncode != 0 and "Metrics API not available" in result.stderr
    with pytest.raises(CheckFailed, match="Expected the Deployment metrics-server in namespace kube-system"):
        ch03.check_metrics_server()


@pytest.mark.parametrize("command, says", [
    pytest.param("kubectl top pod -A --sort-by=cpu", "Those are sorted by CPU", id="sorted by CPU"),
    pytest.param("kubectl top pod --sort-by=memory", "shows the current namespace only", id="without -A"),
    pytest.param("kubectl top pod -A", "Without --sort-by", id="not sorted"),
    pytest.param("kubectl top pod -A --sort-by=memory | head", "without a pipe", id="a pipe"),
])
def test_a_wrong_sort_command_is_explained(lab, command, says):
    from kcore.notebook.grading import CheckFailed
    from kcore.notebook.labs import ch03

    if not lab.cluster.metrics_available:
        lab.kubectl(f"apply -f {ch03.COMPONENTS}")
        lab.kubectl(["patch", "deployment", "metrics-server", "-n", "kube-system", "--type=json", "-p",
                     '[{"op":"add","path":"/spec/template/spec/containers/0/args/-","value":"--kubelet-insecure-tls"}]'])
        lab.advance(60)
    ch03.check_sort_command("kubectl top pod -A --sort-by=memory")
    with pytest.raises(CheckFailed) as failed:
        ch03.check_sort_command(command)
    assert says in str(failed.value)


def test_every_task_of_the_lab_has_progressive_hints():
    from kcore.notebook import hints, scenarios

    tasks = scenarios.get(CH03).tasks
    assert len(tasks) >= 6
    assert {task: hints.count(task) for task in tasks if hints.count(task) < 2} == {}


def test_every_task_in_the_notebook_points_at_its_hints():
    source = nbformat.read(REPO / "solutions" / CH03 / f"{CH03}.ipynb", 4)
    from kcore.notebook import scenarios

    text = "\n".join(c.source for c in source.cells if c.cell_type == "markdown")
    assert [t for t in scenarios.get(CH03).tasks if f'hint("{t}")' not in text] == []
