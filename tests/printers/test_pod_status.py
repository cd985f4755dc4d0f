"""The READY / STATUS / RESTARTS cells of `kubectl get pods` (printPod), case by case."""
import pytest

from kcore.cli.kubectl.printers import table_rows
from tests.printers.builders import NOW, pod, waiting, terminated, running

CASES = [
    pytest.param(pod("p").obj(), "0/1", "Pending", "0",
                 id="an unscheduled pod without statuses is Pending"),
    pytest.param(pod("p").phase("Pending").container("app", waiting("ContainerCreating")).obj(),
                 "0/1", "ContainerCreating", "0", id="a waiting reason replaces the phase"),
    pytest.param(pod("p").running().obj(), "1/1", "Running", "0",
                 id="a running ready container counts as ready"),
    pytest.param(pod("p").running(ready=False).obj(), "0/1", "Running", "0",
                 id="a running container that is not ready does not count"),
    pytest.param(pod("p").phase("Running").container("app", waiting("CrashLoopBackOff"), restarts=17,
                                                     last_finished=600).obj(),
                 "0/1", "CrashLoopBackOff", "17 (10m ago)",
                 id="a crash loop shows restarts with the age of the last termination"),
    pytest.param(pod("p").phase("Running").container("app", terminated(137, "OOMKilled"), restarts=3,
                                                     last_finished=520).obj(),
                 "0/1", "OOMKilled", "3 (8m40s ago)", id="a terminated reason is shown as is"),
    pytest.param(pod("p").phase("Failed").container("app", terminated(2)).obj(),
                 "0/1", "ExitCode:2", "0", id="a termination without reason shows the exit code"),
    pytest.param(pod("p").phase("Failed").container("app", terminated(137, signal=9)).obj(),
                 "0/1", "Signal:9", "0", id="a termination by signal shows the signal"),
    pytest.param(pod("p").phase("Succeeded").container("app", terminated(0, "Completed")).obj(),
                 "0/1", "Completed", "0", id="a succeeded pod shows Completed"),
    pytest.param(pod("p", containers=("a", "b")).phase("Running")
                 .container("a", terminated(0, "Completed"))
                 .container("b", running(), ready=True).condition("Ready", "False").obj(),
                 "1/2", "NotReady", "0",
                 id="a completed container beside a running one is NotReady without the Ready condition"),
    pytest.param(pod("p", containers=("a", "b")).phase("Running")
                 .container("a", terminated(0, "Completed"))
                 .container("b", running(), ready=True).condition("Ready").obj(),
                 "1/2", "Running", "0",
                 id="a completed container beside a running one is Running with the Ready condition"),
    pytest.param(pod("p", containers=("a", "b")).phase("Pending")
                 .container("a", waiting("ErrImagePull")).container("b", waiting("ContainerCreating")).obj(),
                 "0/2", "ErrImagePull", "0", id="the first container in spec order with a reason wins"),
    pytest.param(pod("p").init("i1", "i2").obj(), "0/1", "Pending", "0",
                 id="init containers without statuses leave the phase"),
    pytest.param(pod("p").init("i1", "i2").container("i1", running(), init=True)
                 .container("i2", waiting("PodInitializing"), init=True)
                 .container("app", waiting("PodInitializing")).obj(),
                 "0/1", "Init:0/2", "0", id="a running first init container shows Init:0/2"),
    pytest.param(pod("p").init("i1", "i2").container("i1", terminated(0, "Completed"), init=True)
                 .container("i2", running(), init=True).obj(),
                 "0/1", "Init:1/2", "0", id="a finished init container moves the count to Init:1/2"),
    pytest.param(pod("p").init("i1").container("i1", waiting("CrashLoopBackOff"), restarts=4,
                                                last_finished=30, init=True).obj(),
                 "0/1", "Init:CrashLoopBackOff", "4 (30s ago)",
                 id="a crashing init container shows Init:CrashLoopBackOff and its restarts"),
    pytest.param(pod("p").init("i1").container("i1", terminated(1, "Error"), init=True).obj(),
                 "0/1", "Init:Error", "0", id="a failed init container shows Init:Error"),
    pytest.param(pod("p").init("i1").container("i1", terminated(3), init=True).obj(),
                 "0/1", "Init:ExitCode:3", "0", id="a failed init container without reason shows its exit code"),
    pytest.param(pod("p").init("log", sidecar=("log",)).phase("Running")
                 .container("log", running(), ready=True, started=True, init=True)
                 .container("app", running(), ready=True).obj(),
                 "2/2", "Running", "0", id="a started ready sidecar counts towards READY"),
    pytest.param(pod("p").running().deleting().obj(), "1/1", "Terminating", "0",
                 id="a deleted running pod is Terminating"),
    pytest.param(pod("p").running().phase("Running", "NodeLost").deleting().obj(), "1/1", "Unknown", "0",
                 id="a deleted pod on a lost node is Unknown"),
    pytest.param(pod("p").phase("Succeeded").container("app", terminated(0, "Completed")).deleting().obj(),
                 "0/1", "Completed", "0", id="a deleted pod that already finished keeps its status"),
    pytest.param(pod("p").phase("Failed", "Evicted").obj(), "0/1", "Evicted", "0",
                 id="the status reason replaces the phase"),
    pytest.param(pod("p").condition("PodScheduled", "False", "SchedulingGated").obj(), "0/1",
                 "SchedulingGated", "0", id="a scheduling-gated pod says so"),
]


@pytest.mark.parametrize("obj, ready, status, restarts", CASES)
def test_pod_cells(obj, ready, status, restarts):
    headers, rows = table_rows("Pod", obj, NOW)
    assert headers == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert rows[0][1:4] == [ready, status, restarts]


@pytest.mark.parametrize("obj, wide", [
    pytest.param(pod("p").obj(), ["<none>", "<none>", "<none>", "<none>"],
                 id="a pending pod has no IP, node or gates"),
    pytest.param(pod("p").node("node01").ip("10.244.1.4").running().obj(),
                 ["10.244.1.4", "node01", "<none>", "<none>"], id="a running pod shows its IP and node"),
    pytest.param(pod("p").gates("a", "b").condition("a").condition("b", "False").obj(),
                 ["<none>", "<none>", "<none>", "1/2"], id="readiness gates count true conditions"),
])
def test_pod_wide_cells(obj, wide):
    headers, rows = table_rows("Pod", obj, NOW, wide=True)
    assert headers[5:] == ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]
    assert rows[0][5:] == wide
