"""The nbgrader round trip for chapter 02 (Scheduling), as an instructor runs it: generate the
release, autograde what students hand in, generate feedback.

The solution earns every point; the untouched release earns none and runs to the end; each
typical wrong answer loses its task's points, and the feedback tells the student what was
expected, what was found and where to look — for a Pending pod, the scheduler's own reason —
never the hidden tests' source. Last, the committed exercises/ must be exactly what nbgrader
generates from solutions/.

It reuses tests/course/nbgrader_harness.py (round_trip and the checks every assignment makes)
and keeps its own module-scoped round trip, so it does not depend on chapter 01's fixtures."""
from __future__ import annotations

import nbformat
import pytest

from tests.course.nbgrader_harness import (REPO, assert_committed_exercises_are_generated,
                                           assert_feedback_hides_hidden_tests, assert_full_marks,
                                           assert_untouched_earns_nothing_and_runs_to_the_end,
                                           assert_wrong_answer_loses, round_trip)

CH02 = "ch02-scheduling"
TOTAL = 29

# Typical mistakes, grouped so that each submission gets several tasks wrong at once.
CH02_WRONG = {
    "careless": [
        ("ch02-nodeselector-answer", "size: Large", "size: large"),                  # label values are case-sensitive
        ("ch02-limitrange-answer", "memory: 128Mi", "memory: 128M"),                 # M is not Mi
        ("ch02-static-answer", "/etc/kubernetes/manifests/", "/etc/kubernetes/manifest/"),  # wrong folder
    ],
    "half-done": [
        ("ch02-affinity-answer", "      tolerations:\n      - key: spray\n        operator: Exists\n"
                                 "        effect: NoSchedule\n", ""),                 # affinity without toleration
        ("ch02-daemonset-answer", "      tolerations:\n      - operator: Exists\n", ""),  # tainted nodes skipped
        ("ch02-my-scheduler-answer", "- schedulerName: my-scheduler", "- schedulerName: my-schedular"),  # a typo
        ("ch02-jsonpath-answer", "taints_template = r'", "taints_template = '"),   # Python ate the \t and \n
    ],
}


@pytest.fixture(scope="module")
def ch02(tmp_path_factory):
    """Chapter 02 autograded: students solution, untouched, careless and half-done."""
    return round_trip(tmp_path_factory.mktemp("ch02-course"), CH02, CH02_WRONG)


def test_the_solution_earns_full_marks(ch02):
    assert_full_marks(ch02, TOTAL)


def test_there_are_at_least_twelve_graded_tasks(ch02):
    assert len(ch02.grades("solution")) >= 12


def test_the_untouched_release_earns_nothing_and_runs_to_the_end(ch02):
    assert_untouched_earns_nothing_and_runs_to_the_end(ch02, TOTAL)


@pytest.mark.parametrize("student", [
    pytest.param("untouched", id="an untouched release's feedback shows no hidden test"),
    pytest.param("careless", id="a careless submission's feedback shows no hidden test"),
    pytest.param("half-done", id="a half-done submission's feedback shows no hidden test"),
])
def test_feedback_never_shows_hidden_tests(ch02, student):
    assert_feedback_hides_hidden_tests(ch02, student)


@pytest.mark.parametrize("student, cell, lost, message", [
    pytest.param("careless", "ch02-nodeselector-test", 2,
                 "Pod 'big-app' should run on node node02; it is Pending, not scheduled to any node.",
                 id="a nodeSelector with the wrong case loses the nodeSelector task"),
    pytest.param("careless", "ch02-nodeselector-test", 2,
                 "node(s) didn't match Pod's node affinity/selector",
                 id="the nodeSelector feedback quotes the scheduler's reason"),
    pytest.param("careless", "ch02-limitrange-test", 2,
                 "LimitRange 'defaults' should have defaultRequest memory=128Mi for Containers; it is 128M.",
                 id="128M instead of 128Mi loses the LimitRange task"),
    pytest.param("careless", "ch02-static-test", 2,
                 "Expected a static pod 'static-busybox' on node01 (the API shows it as 'static-busybox-node01'",
                 id="a manifest in the wrong folder loses the static pod task"),
    pytest.param("half-done", "ch02-affinity-test", 2,
                 "Deployment 'blue' should have 3 pods running on node01",
                 id="affinity without the toleration loses the affinity task"),
    pytest.param("half-done", "ch02-affinity-test", 2, "3 node(s) had untolerated taint(s)",
                 id="the affinity feedback names the untolerated taint"),
    pytest.param("half-done", "ch02-daemonset-test", 2,
                 "DaemonSet 'logger' should run one ready pod on each of the 4 nodes; 1 are scheduled and 1 ready.",
                 id="a DaemonSet without tolerations loses the DaemonSet task"),
    pytest.param("half-done", "ch02-my-scheduler-test", 3,
                 "The pod asks for schedulerName 'my-scheduler'; is a scheduler with that name running?",
                 id="a second scheduler with a misspelt name loses the scheduler task"),
    pytest.param("half-done", "ch02-use-scheduler-test", 1, "Pod 'nginx-custom' should be Running",
                 id="without my-scheduler the pod that asks for it cannot run either"),
    pytest.param("half-done", "ch02-jsonpath-test", 1, "unterminated quoted string",
                 id="a JSONPath template whose escapes Python ate is rejected as kubectl rejects it"),
])
def test_a_typical_wrong_answer_loses_its_points_and_says_why(ch02, student, cell, lost, message):
    assert_wrong_answer_loses(ch02, student, cell, lost, message)


@pytest.mark.parametrize("student, score", [
    pytest.param("careless", TOTAL - 6, id="three careless mistakes cost exactly their three tasks"),
    pytest.param("half-done", TOTAL - 9, id="four half-done tasks cost those tasks and the one that needs them"),
])
def test_partial_scores_add_up(ch02, student, score):
    assert ch02.score(student) == (score, TOTAL)


def test_committed_exercises_are_what_nbgrader_generates(ch02):
    assert_committed_exercises_are_generated(ch02)


# -- the lab itself, without nbgrader: its start state and what the checks say about it ---------

@pytest.fixture(scope="module")
def lab():
    from kcore.notebook import scenarios, session

    started = scenarios.start(CH02)
    yield started
    session.use(None)  # the lab was made the current cluster; leave none behind
    started.cluster.close()


@pytest.mark.parametrize("pod, says", [
    pytest.param("frontend", "2 node(s) didn't match Pod's node affinity/selector",
                 id="frontend is Pending because its selector matches no node"),
    pytest.param("analytics", "2 node(s) had untolerated taint(s)",
                 id="analytics is Pending because node03's taint is not tolerated"),
    pytest.param("hungry", "2 Insufficient cpu", id="hungry is Pending because it requests more CPU than a node has"),
    pytest.param("custom-app", "The pod asks for schedulerName 'my-scheduler'; is a scheduler with that name running?",
                 id="custom-app is Pending because no scheduler answers to its name"),
])
def test_the_lab_starts_with_four_pods_pending_for_four_reasons(lab, pod, says):
    from kcore.notebook.grading import CheckFailed, check

    with pytest.raises(CheckFailed) as failed:
        check.on(lab.cluster).pod(pod).is_running()
    assert f"Pod '{pod}' should be Running; it is Pending" in str(failed.value)
    assert says in str(failed.value)


def test_every_task_of_the_lab_has_progressive_hints():
    from kcore.notebook import hints, scenarios

    tasks = scenarios.get(CH02).tasks
    assert len(tasks) >= 12
    assert {task: hints.count(task) for task in tasks if hints.count(task) < 2} == {}


def test_every_task_in_the_notebook_points_at_its_hints():
    source = nbformat.read(REPO / "solutions" / CH02 / f"{CH02}.ipynb", 4)
    from kcore.notebook import scenarios

    text = "\n".join(c.source for c in source.cells if c.cell_type == "markdown")
    assert [t for t in scenarios.get(CH02).tasks if f'hint("{t}")' not in text] == []
