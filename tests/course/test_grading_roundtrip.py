"""The nbgrader round trip for chapter 01, as an instructor runs it: generate the release,
autograde what students hand in, generate feedback.

The solution earns every point; the untouched release earns none and runs to the end; each
typical wrong answer loses exactly its task's points, and the feedback tells the student what
was expected, what was found and where to look — never the hidden tests' source. Last, the
committed exercises/ must be exactly what nbgrader generates from solutions/."""
from __future__ import annotations

import pytest

from tests.course.nbgrader_harness import (assert_committed_exercises_are_generated,
                                           assert_feedback_hides_hidden_tests, assert_full_marks,
                                           assert_untouched_earns_nothing_and_runs_to_the_end,
                                           assert_wrong_answer_loses)

TOTAL = 22


def test_the_solution_earns_full_marks(ch01_round_trip):
    assert_full_marks(ch01_round_trip, TOTAL)


def test_there_are_at_least_twelve_graded_tasks(ch01_round_trip):
    assert len(ch01_round_trip.grades("solution")) >= 12


def test_the_untouched_release_earns_nothing_and_runs_to_the_end(ch01_round_trip):
    assert_untouched_earns_nothing_and_runs_to_the_end(ch01_round_trip, TOTAL)


@pytest.mark.parametrize("student", [
    pytest.param("untouched", id="an untouched release's feedback shows no hidden test"),
    pytest.param("careless", id="a careless submission's feedback shows no hidden test"),
    pytest.param("half-done", id="a half-done submission's feedback shows no hidden test"),
])
def test_feedback_never_shows_hidden_tests(ch01_round_trip, student):
    assert_feedback_hides_hidden_tests(ch01_round_trip, student)


@pytest.mark.parametrize("student, cell, lost, message", [
    pytest.param("careless", "ch01-pod-test", 1, "Pod 'nginx-pod' should run image nginx:alpine; it runs nginx.",
                 id="a pod without the image's tag loses the pod task"),
    pytest.param("careless", "ch01-scale-test", 1, "ReplicaSet 'frontend' should have 5 replicas; spec.replicas is 4.",
                 id="scaling to the wrong count loses the scale task"),
    pytest.param("careless", "ch01-deploy-ns-test", 2,
                 "There is a Deployment 'redis-deploy' in namespace 'default' — the task asks for namespace 'dev-ns'",
                 id="a deployment in the default namespace loses the namespace task and says where it is"),
    pytest.param("half-done", "ch01-rs-image-test", 2,
                 "ReplicaSet 'new-replica-set' should have 4 ready replicas; 0 are ready.",
                 id="fixing the template without replacing the pods loses the ReplicaSet task"),
    pytest.param("half-done", "ch01-declarative-test", 2, "should have been created declaratively, with kubectl apply",
                 id="kubectl create instead of apply loses the declarative task"),
    pytest.param("half-done", "ch01-nodeport-test", 2, "should use nodePort 30080; nodePort is 30008.",
                 id="a mistyped nodePort loses the NodePort task"),
])
def test_a_typical_wrong_answer_loses_its_points_and_says_why(ch01_round_trip, student, cell, lost, message):
    assert_wrong_answer_loses(ch01_round_trip, student, cell, lost, message)


@pytest.mark.parametrize("student, score", [
    pytest.param("careless", TOTAL - 4, id="three careless mistakes cost exactly their three tasks"),
    pytest.param("half-done", TOTAL - 6, id="three half-done tasks cost exactly those tasks"),
])
def test_partial_scores_add_up(ch01_round_trip, student, score):
    assert ch01_round_trip.score(student) == (score, TOTAL)


def test_the_pods_not_ready_message_points_at_the_image_pull(ch01_round_trip):
    feedback = ch01_round_trip.feedback("half-done")
    assert "ImagePullBackOff" in feedback or "ErrImagePull" in feedback


def test_committed_exercises_are_what_nbgrader_generates(ch01_round_trip):
    assert_committed_exercises_are_generated(ch01_round_trip)
