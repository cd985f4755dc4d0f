"""Invariants over random clusters: a bound pod fits its node (requests, pod count, taints,
nodeSelector), and a rejected pod truly fits nowhere."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from kcore.scheduler import CycleState, Failed, PodInfo, Scheduler

from tests.scheduler.builders import node, pod

node_st = st.tuples(st.integers(1, 4), st.integers(1, 4), st.booleans(), st.sampled_from(["a", "b"]))
pod_st = st.tuples(st.integers(0, 3000), st.integers(0, 3), st.booleans(),
                   st.sampled_from([None, "a", "b"]), st.integers(0, 2))


@settings(max_examples=60, deadline=None)
@given(st.lists(node_st, min_size=1, max_size=5), st.lists(pod_st, min_size=1, max_size=12))
def test_bound_pods_fit_and_rejected_pods_fit_nowhere(nodes, pods):
    s = Scheduler()
    objs = {}
    for i, (cpu, pods_cap, tainted, disk) in enumerate(nodes):
        n = node(f"n{i}").cpu(str(cpu)).pods(pods_cap).label("disk", disk)
        if tainted:
            n.taint("dedicated", "x")
        objs[f"n{i}"] = n.obj()
        s.add_node(objs[f"n{i}"])
    for j, (cpu_m, _, tolerates, disk, prio) in enumerate(pods):
        p = pod(f"p{j}").requests(cpu=f"{cpu_m}m").priority(prio)
        if tolerates:
            p.tolerates("dedicated")
        if disk:
            p.node_selector(disk=disk)
        s.add_pod(p.obj())
    for d in s.schedule_all():
        if isinstance(d, Failed):
            for v in d.victims:
                s.remove_pod(v)
    for ni in s.cache.node_list:
        assert ni.cpu <= ni.alloc_cpu
        assert len(ni.pods) <= ni.alloc_pods
        for p in ni.pods.values():
            spec = p.pod["spec"]
            if ni.hard_taints:
                assert spec.get("tolerations")
            sel = spec.get("nodeSelector") or {}
            assert all(ni.labels.get(k) == v for k, v in sel.items())
    # anything still pending must not fit on any node as it stands now
    for key in s.queue.pending()["unschedulable"]:
        q = s.queue.unschedulable[key]
        pi: PodInfo = q.pod_info
        fw = s.profiles["default-scheduler"]
        state = CycleState()
        if fw.run_pre_filter(state, pi, s.cache.node_list) is None:
            assert all(fw.run_filter_with_nominated(state, pi, ni) is not None
                       for ni in s.cache.node_list)


cluster_st = st.lists(st.tuples(st.integers(1, 4), st.booleans(), st.sampled_from(["a", "b", "c"]),
                                st.booleans()), min_size=1, max_size=130)


@settings(max_examples=30, deadline=None)
@given(cluster_st, st.lists(pod_st, min_size=1, max_size=6))
def test_the_batched_filter_path_decides_like_the_node_by_node_path(nodes, pods):
    """explain=True walks nodes one by one; the default path filters in chunks with cached
    static verdicts. Same cluster, same pods: same decisions, same messages."""
    def build():
        s = Scheduler()
        for i, (cpu, tainted, disk, cordoned) in enumerate(nodes):
            n = node(f"n{i:03d}").cpu(str(cpu)).label("disk", disk)
            if tainted:
                n.taint("dedicated", "x")
            if cordoned:
                n.cordon()
            s.add_node(n.obj())
        for j, (cpu_m, _, tolerates, disk, prio) in enumerate(pods):
            p = pod(f"p{j}").requests(cpu=f"{cpu_m}m").priority(prio)
            if tolerates:
                p.tolerates("dedicated")
            if disk:
                p.node_selector(disk=disk)
            s.add_pod(p.obj())
        return s

    fast, slow = build(), build()
    while True:
        a, b = fast.schedule_one(), slow.schedule_one(explain=True)
        if a is None or b is None:
            assert a is None and b is None
            break
        assert type(a) is type(b)
        assert getattr(a, "node", None) == getattr(b, "node", None)
        assert getattr(a, "message", None) == getattr(b, "message", None)
        assert fast.next_start_node_index == slow.next_start_node_index


def test_static_verdicts_follow_node_changes():
    s = Scheduler()
    s.add_node(node("n1").obj())
    s.add_pod(pod("a").node_selector(disk="ssd").obj())
    assert isinstance(s.schedule_one(), Failed)
    s.update_node(node("n1").label("disk", "ssd").obj())
    s.add_pod(pod("b").node_selector(disk="ssd").obj())
    names = {d.pod["metadata"]["name"]: type(d).__name__ for d in s.schedule_all()}
    assert names == {"a": "Bind", "b": "Bind"}
