"""Fixtures for the course tests: one nbgrader round trip per assignment, shared by its tests.

`ch01_round_trip` generates chapter 01's release in a temporary course, hands in the
submissions the tests need — the solution, the untouched release and typical wrong answers —
and autogrades them all once; the tests then only read scores, grades and feedback."""
from __future__ import annotations

import pytest

from tests.course.nbgrader_harness import round_trip

CH01 = "ch01-core-concepts"

# Typical mistakes, grouped so that each submission gets each wrong in a different task:
# every mistake costs exactly its own task's points.
CH01_WRONG = {
    "careless": [
        ("ch01-pod-answer", "nginx:alpine", "nginx"),                        # the image's tag left out
        ("ch01-scale-answer", "--replicas=5", "--replicas=4"),              # off by one
        ("ch01-deploy-ns-answer", " -n dev-ns", ""),                        # forgot the namespace
    ],
    "half-done": [
        ("ch01-rs-image-answer", "\n%kubectl delete pods -l name=busybox-pod", ""),  # old pods kept
        ("ch01-declarative-answer", "--dry-run=client -o yaml | kubectl apply -f -", ""),  # create, not apply
        ("ch01-nodeport-answer", "nodePort: 30080", "nodePort: 30008"),      # a typo in the port
    ],
}


@pytest.fixture(scope="session")
def ch01_round_trip(tmp_path_factory):
    """Chapter 01 autograded: students solution, untouched, careless and half-done."""
    return round_trip(tmp_path_factory.mktemp("ch01-course"), CH01, CH01_WRONG)
