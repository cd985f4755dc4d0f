"""The Scheduler end to end: decisions, FailedScheduling texts, preemption, queueing, profiles,
percentageOfNodesToScore and the explainer table."""
from __future__ import annotations

import pytest

from kcore.scheduler import Bind, Failed, Scheduler, num_feasible_nodes_to_find

from tests.scheduler.builders import cluster, expr, node, pod, term

CP_TAINT = "node-role.kubernetes.io/control-plane"


def kubeadm(worker_cpu="2"):
    return [node("controlplane").taint(CP_TAINT), node("node01").cpu(worker_cpu),
            node("node02").cpu(worker_cpu)]


def decide(s, p):
    s.add_pod(p.obj() if not isinstance(p, dict) else p)
    return s.schedule_one()


def test_a_pod_is_bound_and_the_event_says_so():
    d = decide(cluster(kubeadm()), pod("nginx").requests(cpu="100m"))
    assert isinstance(d, Bind) and d.node in ("node01", "node02")
    assert d.event() == ("Normal", "Scheduled", f"Successfully assigned default/nginx to {d.node}")


def test_node_affinity_mismatch_message():
    d = decide(cluster(kubeadm()), pod("nginx").node_selector(disktype="ssd"))
    assert isinstance(d, Failed)
    assert d.message == ("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) "
                         "didn't match Pod's node affinity/selector. no new claims to deallocate, "
                         "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    assert d.condition()["reason"] == "Unschedulable"


def test_full_workers_give_the_v1_35_kubeadm_message():
    s = cluster(kubeadm(), [pod("a").requests(cpu="1500m").on("node01"),
                            pod("b").requests(cpu="1500m").on("node02")])
    d = decide(s, pod("big").requests(cpu="1"))
    assert d.message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new "
        "claims to deallocate, preemption: 0/3 nodes are available: 1 Preemption is not helpful "
        "for scheduling, 2 No preemption victims found for incoming pod.")


def test_without_nodes_the_scheduler_says_so():
    d = decide(Scheduler(), pod("p"))
    assert (d.message, d.reason) == ("no nodes available to schedule pods", "SchedulerError")


def test_unbound_immediate_claims_replace_the_node_counts():
    s = cluster(kubeadm(), others=[{"kind": "PersistentVolumeClaim", "metadata": {
        "name": "data", "namespace": "default"}, "spec": {"accessModes": ["ReadWriteOnce"]}}])
    d = decide(s, pod("p").pvc("data"))
    # DynamicResources' PreFilter never ran, so its PostFilter fails reading its state and
    # preemption is not tried (FitError appends PostFilter text without a closing period)
    assert d.message == ("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
                         "not found")


def test_each_pod_sees_the_ones_bound_before_it():
    s = cluster([node("n1").cpu("1"), node("n2").cpu("1")])
    for i in range(3):
        s.add_pod(pod(f"p{i}").requests(cpu="600m").obj())
    d = s.schedule_all()
    assert [type(x).__name__ for x in d] == ["Bind", "Bind", "Failed"]
    assert {d[0].node, d[1].node} == {"n1", "n2"}


def test_higher_priority_pods_are_scheduled_first():
    s = cluster([node("n1")])
    s.add_pod(pod("low").priority(1).obj())
    s.add_pod(pod("high").priority(100).obj())
    assert [d.pod["metadata"]["name"] for d in s.schedule_all()] == ["high", "low"]


def test_preemption_nominates_a_node_and_names_the_victims():
    s = cluster([node("n1").cpu("1")], [pod("low").priority(1).requests(cpu="800m").on("n1"),
                                        pod("tiny").priority(1).requests(cpu="100m").on("n1")])
    d = decide(s, pod("vip").priority(1000).requests(cpu="500m"))
    assert isinstance(d, Failed)
    assert d.message == "0/1 nodes are available: 1 Insufficient cpu."
    assert d.nominated_node == "n1"
    assert [v["metadata"]["name"] for v in d.victims] == ["low"]
    # the victim goes away: the preemptor is retried and lands on the nominated node
    s.remove_pod(d.victims[0])
    d2 = s.schedule_one()
    assert isinstance(d2, Bind) and d2.node == "n1"


def test_preemption_prefers_the_node_with_the_least_important_victims():
    s = cluster([node("n1").cpu("1"), node("n2").cpu("1")],
                [pod("mid").priority(50).requests(cpu="1").on("n1"),
                 pod("low").priority(10).requests(cpu="1").on("n2")])
    d = decide(s, pod("vip").priority(1000).requests(cpu="1"))
    assert (d.nominated_node, [v["metadata"]["name"] for v in d.victims]) == ("n2", ["low"])


def test_nominated_pods_hold_their_room_against_lower_priority_pods():
    s = cluster([node("n1").cpu("1")], [pod("low").priority(1).requests(cpu="800m").on("n1")])
    d = decide(s, pod("vip").priority(1000).requests(cpu="500m"))
    s.remove_pod(d.victims[0])
    s.add_pod(pod("sneaky").priority(0).requests(cpu="600m").obj())
    got = {x.pod["metadata"]["name"]: x for x in s.schedule_all()}
    assert isinstance(got["vip"], Bind)
    assert isinstance(got["sneaky"], Failed)


def test_preemption_policy_never_is_reported():
    s = cluster([node("n1").cpu("1")], [pod("low").priority(1).requests(cpu="1").on("n1")])
    d = decide(s, pod("p").priority(1000).requests(cpu="1").never_preempt())
    assert d.message == ("0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, "
                         "preemption: not eligible due to preemptionPolicy=Never.")


def test_an_unschedulable_pod_is_retried_when_a_node_arrives():
    s = cluster([node("n1").cpu("1")])
    d = decide(s, pod("p").requests(cpu="2"))
    assert isinstance(d, Failed) and s.schedule_one() is None
    s.add_node(node("n2").cpu("4").obj())
    d = s.schedule_one()
    assert isinstance(d, Bind) and d.node == "n2"


def test_an_unrelated_event_does_not_retry_the_pod():
    s = cluster([node("n1")])
    decide(s, pod("p").node_selector(disktype="ssd"))
    s.set_pv({"kind": "PersistentVolume", "metadata": {"name": "pv"}, "spec": {}})
    assert s.schedule_one() is None
    s.update_node(node("n1").label("disktype", "ssd").obj())
    assert isinstance(s.schedule_one(), Bind)


def test_unschedulable_pods_are_flushed_after_five_minutes():
    now = [0.0]
    s = Scheduler(clock=lambda: now[0])
    s.add_node(node("n1").obj())
    decide(s, pod("p").node_selector(disktype="ssd"))
    now[0] = 299.0
    assert s.schedule_one() is None and s.next_wakeup() == 300.0
    now[0] = 300.0
    assert isinstance(s.schedule_one(), Failed)


def test_backoff_delays_a_retry_after_an_event():
    now = [0.0]
    s = Scheduler(clock=lambda: now[0])
    s.add_node(node("n1").obj())
    decide(s, pod("p").node_selector(disktype="ssd"))
    s.add_node(node("n2").label("disktype", "ssd").obj())
    assert s.schedule_one() is None          # still backing off (1s after the first attempt)
    now[0] = 1.0
    assert isinstance(s.schedule_one(), Bind)


def test_a_gated_pod_waits_until_its_gates_are_removed():
    s = cluster([node("n1")])
    s.add_pod(pod("p").gate("example.com/wait").obj())
    assert s.schedule_one() is None and s.queue.pending()["gated"] == ["default/p"]
    s.update_pod(pod("p").obj())
    assert isinstance(s.schedule_one(), Bind)


def test_pods_for_another_scheduler_are_left_alone():
    s = cluster([node("n1")])
    s.add_pod(pod("p").scheduler_name("my-scheduler").obj())
    assert s.schedule_one() is None
    s2 = Scheduler(profiles=["default-scheduler", "my-scheduler"])
    s2.add_node(node("n1").obj())
    s2.add_pod(pod("p").scheduler_name("my-scheduler").obj())
    assert isinstance(s2.schedule_one(), Bind)


def test_a_profile_from_configuration_can_disable_a_plugin():
    cfg = {"schedulerName": "no-taints",
           "plugins": {"multiPoint": {"disabled": [{"name": "TaintToleration"}]}}}
    s = Scheduler(profiles=[cfg])
    s.add_node(node("cp").taint(CP_TAINT).obj())
    d = decide(s, pod("p").scheduler_name("no-taints"))
    assert isinstance(d, Bind) and d.node == "cp"


def test_the_bind_callback_binds_and_its_failure_is_retried():
    calls, fail = [], [True]

    def bind(p, node_name):
        calls.append((p["metadata"]["name"], node_name))
        if fail[0]:
            raise RuntimeError('pods "p" is forbidden')

    now = [0.0]
    s = Scheduler(bind=bind, clock=lambda: now[0])
    s.add_node(node("n1").obj())
    d = decide(s, pod("p"))
    assert isinstance(d, Failed) and d.reason == "SchedulerError"
    assert "default/p" not in s.cache.pod_nodes
    fail[0] = False
    now[0] = 1.0
    d = s.schedule_one()
    assert isinstance(d, Bind) and d.bound and calls == [("p", "n1"), ("p", "n1")]


def test_the_api_confirming_a_binding_replaces_the_assumed_pod():
    s = cluster([node("n1").cpu("1")])
    d = decide(s, pod("p").requests(cpu="600m"))
    bound = dict(d.pod, spec=dict(d.pod["spec"], nodeName=d.node))
    s.update_pod(bound)
    assert s.cache.get("n1").cpu == 600 and "default/p" not in s.cache.assumed


def test_forgetting_an_assumed_pod_frees_its_room():
    s = cluster([node("n1").cpu("1")])
    d = decide(s, pod("p").requests(cpu="600m"))
    s.forget(d.pod, "conflict")
    assert s.cache.get("n1").cpu == 0


@pytest.mark.parametrize("nodes, want", [
    pytest.param(10, 10, id="a small cluster is searched whole"),
    pytest.param(100, 100, id="100 nodes: at least 100 are searched"),
    pytest.param(1000, 420, id="1000 nodes: 42 percent"),
    pytest.param(5000, 500, id="5000 nodes: 10 percent"),
    pytest.param(6000, 300, id="6000 nodes: the 5 percent floor"),
])
def test_num_feasible_nodes_to_find(nodes, want):
    assert num_feasible_nodes_to_find(nodes) == want


def test_the_search_starts_where_the_last_one_stopped():
    s = cluster([node(f"n{i:03d}") for i in range(200)])
    s.add_pod(pod("a").obj())
    s.schedule_one()
    assert s.next_start_node_index == 100


def test_the_explainer_table_has_a_row_per_node():
    s = cluster(kubeadm())
    prefer = term(expr("kubernetes.io/hostname", "In", "node02"))
    s.add_pod(pod("p").requests(cpu="100m").prefer_node(5, prefer).obj())
    d = s.schedule_one(explain=True)
    rows = {r["node"]: r for r in d.evaluation.rows()}
    assert rows["controlplane"]["filters"]["TaintToleration"] == "node(s) had untolerated taint(s)"
    assert not rows["controlplane"]["feasible"]
    assert rows["node02"]["selected"] and d.node == "node02"
    assert rows["node02"]["scores"]["NodeAffinity"] == {"raw": 5, "normalized": 100, "weight": 2,
                                                       "weighted": 200}
    assert rows["node02"]["total"] > rows["node01"]["total"]


def test_preemption_removes_an_anti_affinity_victim():
    s = cluster([node("n1").label("zone", "a")],
                [pod("db").labels(app="db").priority(1).on("n1")])
    d = decide(s, pod("vip").priority(100).pod_affinity("req", "zone", {"app": "db"}, anti=True))
    assert isinstance(d, Failed)
    assert d.message == "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules."
    assert (d.nominated_node, [v["metadata"]["name"] for v in d.victims]) == ("n1", ["db"])


def test_preemption_counts_spread_after_removing_victims():
    zone = "topology.kubernetes.io/zone"
    s = cluster([node("a1").label(zone, "a").pods(1), node("b1").label(zone, "b").pods(3)],
                [pod("x").labels(app="w").priority(50).on("a1"),
                 pod("y").labels(app="w").priority(1).on("b1"),
                 pod("y2").labels(app="w").priority(1).on("b1")])
    d = decide(s, pod("vip").labels(app="w").priority(100).spread(1, zone, {"app": "w"}))
    assert d.message == ("0/2 nodes are available: 1 Too many pods, 1 node(s) didn't match pod "
                         "topology spread constraints.")
    assert (d.nominated_node, [v["metadata"]["name"] for v in d.victims]) == ("b1", ["y2"])


def test_a_status_only_update_does_not_retry_an_unschedulable_pod():
    s = cluster([node("n1")])
    p = pod("p").node_selector(disktype="ssd").obj()
    decide(s, p)
    p2 = dict(p, status={"nominatedNodeName": ""})
    s.update_pod(p2)
    assert s.schedule_one() is None


def test_a_kubelet_status_update_does_not_wake_unschedulable_pods():
    s = cluster([node("n1").cpu("1")], [pod("busy").requests(cpu="1").on("n1")])
    decide(s, pod("p").requests(cpu="1"))
    running = pod("busy").requests(cpu="1").on("n1").obj()
    running["status"] = {"phase": "Running"}
    s.update_pod(running)
    assert s.schedule_one() is None
    s.remove_pod(running)
    assert isinstance(s.schedule_one(), Bind)


def test_node_heartbeats_are_not_cluster_events():
    s = cluster([node("n1")])
    decide(s, pod("p").node_selector(disktype="ssd"))
    beat = node("n1").obj()
    beat["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
    s.update_node(beat)
    assert s.queue.pending()["unschedulable"] == ["default/p"]


def test_a_pending_pod_being_deleted_leaves_the_queue():
    s = cluster([node("n1").cpu("1")])
    p = pod("p").requests(cpu="2").obj()
    s.add_pod(p)
    p["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    s.update_pod(p)
    assert s.schedule_one() is None and len(s.queue) == 0


def test_a_failed_decision_explains_every_node():
    s = cluster(kubeadm())
    s.add_pod(pod("p").requests(cpu="3").obj())
    d = s.schedule_one(explain=True)
    rows = {r["node"]: r["filters"] for r in d.evaluation.rows()}
    assert rows["controlplane"]["TaintToleration"] == "node(s) had untolerated taint(s)"
    assert rows["node01"]["NodeResourcesFit"] == "Insufficient cpu"
    assert rows["node01"]["TaintToleration"] == "pass"


def test_without_explain_the_table_still_shows_which_plugin_stopped_each_node():
    s = cluster(kubeadm())
    s.add_pod(pod("p").requests(cpu="100m").obj())
    rows = {r["node"]: r for r in s.schedule_one().evaluation.rows()}
    assert rows["controlplane"]["filters"] == {"NodeUnschedulable": "pass",
                                               "TaintToleration": "node(s) had untolerated taint(s)",
                                               "NodeResourcesFit": "not run"}
    assert set(rows["node01"]["filters"].values()) == {"pass"}
