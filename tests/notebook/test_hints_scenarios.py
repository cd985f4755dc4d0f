"""Hints come one at a time on request; scenarios are a registry of recipes that fail loudly."""
from __future__ import annotations

import pytest

from kcore.notebook import hints, scenarios, session
from tests.notebook.fakes import FakeCluster, Result


@pytest.fixture
def task():
    hints.register("test-task", "Look at the taints.", "Add a toleration.", "tolerations: [{key: gpu}]")
    yield "test-task"
    hints._HINTS.pop("test-task", None)
    hints.reset()


def test_hints_progress_one_at_a_time(task):
    assert hints.text(task).startswith("Hint 1/3 for test-task — hint('test-task') for the next:\nLook at the taints.")
    assert hints.text(task).endswith("Add a toleration.")
    assert hints.text(task).startswith("Hint 3/3 for test-task (that was the last one):")
    assert hints.text(task).startswith("Hint 3/3"), "asking again repeats the last hint"


def test_a_hint_can_be_asked_for_by_number(task):
    assert hints.text(task, 2).endswith("Add a toleration.")
    assert hints.text(task).startswith("Hint 3/3"), "the next hint follows the furthest one seen"


@pytest.mark.parametrize("task_id, level, message", [
    pytest.param("no-such-task", None, "no hints for task 'no-such-task'", id="an unknown task lists the known ones"),
    pytest.param("test-task", 9, "task 'test-task' has hints 1 to 3; there is no hint 9", id="a hint number out of range"),
])
def test_hint_never_raises_for_a_learner(task, capsys, task_id, level, message):
    hints.hint(task_id, level)
    assert message in capsys.readouterr().out


def test_hint_prints_outside_ipython(task, capsys):
    hints.hint(task)
    assert capsys.readouterr().out.startswith("Hint 1/3 for test-task")


@pytest.fixture
def registry():
    saved = dict(scenarios._REGISTRY)
    yield
    scenarios._REGISTRY.clear()
    scenarios._REGISTRY.update(saved)
    session._current = None


def test_start_builds_runs_the_recipe_and_makes_the_cluster_current(registry):
    @scenarios.scenario("test-taint", "A tainted node", tasks=["test-task"], workers=1)
    def _(lab):
        lab.kubectl("taint nodes node01 gpu=true:NoSchedule")

    made = {}

    def factory(**options):
        made.update(options)
        return FakeCluster()

    lab = scenarios.start("test-taint", cluster_factory=factory)
    assert made == {"workers": 1}
    assert lab.cluster.calls == [("kubectl", "taint nodes node01 gpu=true:NoSchedule".split(), "")]
    assert session.current() is lab.cluster
    assert repr(lab) == "<Lab 'test-taint': A tainted node>"


def test_a_failing_recipe_step_raises_with_its_output(registry):
    @scenarios.scenario("test-broken")
    def _(lab):
        lab.cluster.replies["get nodes"] = Result("", "error: boom\n", 1)
        lab.kubectl("get nodes")

    with pytest.raises(scenarios.ScenarioError, match="step `kubectl get nodes` exited 1\nerror: boom"):
        scenarios.start("test-broken", cluster_factory=FakeCluster)


def test_unknown_scenario_lists_the_known_ones():
    with pytest.raises(scenarios.UnknownScenario, match="no scenario named 'nope'; known scenarios: .*blank"):
        scenarios.start("nope", cluster_factory=FakeCluster)


def test_a_name_cannot_be_registered_twice(registry):
    scenarios.scenario("test-twice")(lambda lab: None)
    with pytest.raises(ValueError, match="already registered"):
        scenarios.scenario("test-twice")(lambda lab: None)


def test_the_hint_button_reveals_the_next_hint_on_each_press(task):
    box = hints.button(task)
    press, out = box.children
    press.click()
    press.click()
    assert hints._seen[task] == 2


def test_a_broken_lab_module_is_named_when_its_scenario_is_missing(registry, monkeypatch):
    monkeypatch.setitem(scenarios._content_errors, "kcore.notebook.labs.chXX", "SyntaxError: oops")
    with pytest.raises(scenarios.UnknownScenario, match=r"lab module kcore.notebook.labs.chXX failed to import: SyntaxError: oops"):
        scenarios.get("chXX-lab")
