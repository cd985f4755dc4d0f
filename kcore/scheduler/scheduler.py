"""The Scheduler: fed cluster state, it takes pending pods one at a time and decides.

It knows nothing of loops or clients. Its owner feeds it objects (`handle(kind, event, obj)` or
the add/update/remove methods), calls `schedule_one()` when `has_work()`, and applies the
returned Decision:

    Bind(pod, node)          -> POST the Binding (or it was done through the `bind` callback),
                                emit `Normal Scheduled` with decision.message
    Failed(pod, message, nominated_node, victims)
                             -> emit `Warning FailedScheduling`, set the PodScheduled condition,
                                set status.nominatedNodeName and delete the victims if any

One scheduling cycle, as in kube-scheduler's schedulePod(): PreFilter; the nominated node first;
Filter over the nodes from a rotating start index until `numFeasibleNodesToFind` nodes fit
(percentageOfNodesToScore: adaptive 50 - nodes/125 %, at least 5 % and at least 100 nodes);
PreScore, Score, NormalizeScore, weights; the highest total wins (ties: the `rng`, else the
first). A PreFilterResult (NodeAffinity's matchFields metadata.name, as on DaemonSet pods)
narrows Filter to the nodes it names. On failure PostFilter (DynamicResources, then DefaultPreemption) runs and FitError's
message is rendered by messages.fit_error. Every Decision carries an Evaluation: the per-node,
per-plugin table for the SchedulerExplainer widget."""
from __future__ import annotations

from itertools import compress, repeat
from operator import eq, not_

from . import messages, profile as profile_mod
from .cache import Cache
from .framework import (ERROR, NODE_NAMES, NODE_NAMES_PLUGINS, UNSCHEDULABLE_AND_UNRESOLVABLE,
                        CycleState, Framework, Status)
from .decisions import Bind, Evaluation, Failed, _Evaluated
from .nodeinfo import PodInfo
from .queue import SchedulingQueue

MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5
BASE_PERCENTAGE_OF_NODES_TO_SCORE = 50


def num_feasible_nodes_to_find(num_all_nodes: int, percentage: int = 0) -> int:
    """kube-scheduler's numFeasibleNodesToFind (integer arithmetic as in Go)."""
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return num_all_nodes
    pct = percentage
    if pct <= 0:
        pct = BASE_PERCENTAGE_OF_NODES_TO_SCORE - num_all_nodes // 125
        if pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND:
            pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND
    if pct >= 100:
        return num_all_nodes
    n = num_all_nodes * pct // 100
    return max(n, MIN_FEASIBLE_NODES_TO_FIND)


class _FitError(Exception):
    def __init__(self, message_parts: dict, plugins: set):
        super().__init__("fit error")
        self.parts = message_parts
        self.plugins = plugins


class _SchedError(Exception):
    pass


# ----------------------------------------------------------------------------- scheduler

def _scheduler_name(pod: dict) -> str:
    return (pod.get("spec") or {}).get("schedulerName") or profile_mod.DEFAULT_SCHEDULER_NAME


def _terminal(pod: dict) -> bool:
    return ((pod.get("status") or {}).get("phase")) in ("Succeeded", "Failed")


class Scheduler:
    """kube-scheduler's scheduling logic over dicts. Profiles are keyed by schedulerName."""

    def __init__(self, profiles=None, bind=None, clock=None, rng=None,
                 percentage_of_nodes_to_score: int = 0):
        self.cache = Cache()
        self.clock = clock or (lambda: 0.0)
        self.rng = rng
        self.bind_callback = bind
        self.percentage_of_nodes_to_score = percentage_of_nodes_to_score
        self.profiles: dict[str, Framework] = {}
        for p in profiles or [profile_mod.DEFAULT_SCHEDULER_NAME]:
            if isinstance(p, str):
                fw = profile_mod.build(self.cache, p, bind=bind,
                                    percentage_of_nodes_to_score=percentage_of_nodes_to_score)
            elif isinstance(p, dict):
                fw = profile_mod.from_config(self.cache, p, bind=bind,
                                          percentage_of_nodes_to_score=percentage_of_nodes_to_score)
            else:
                fw = p
            self.profiles[fw.scheduler_name] = fw
        self.nominator: dict[str, list[PodInfo]] = {}
        self._nominated_node: dict[str, str] = {}
        self._pending: dict[str, dict] = {}          # pending pod dicts, to classify updates
        self._static_cache: dict = {}
        for fw in self.profiles.values():
            fw.nominator = self.nominator
            fw.rng = rng
        first = next(iter(self.profiles.values()))
        gates = first.plugin("SchedulingGates")
        # without a clock nothing can wait: backoff is off and pods are retried on events only
        backoff = {} if clock is not None else {"initial_backoff": 0.0, "max_backoff": 0.0,
                                                  "max_in_unschedulable": float("inf")}
        self.queue = SchedulingQueue(
            first.queue_sort.sort_key, self.clock,
            pre_enqueue=gates.pre_enqueue if gates is not None else None, **backoff)
        self._interest = {name: {pl.name: set(pl.events_to_register()) for pl in fw.plugins.values()}
                          for name, fw in self.profiles.items()}
        self.next_start_node_index = 0

    # -- feeding: one entry point for informers -----------------------------------------------
    def handle(self, kind: str, event_type: str, obj: dict) -> None:
        """Apply a watch event: kind is the object kind, event_type ADDED/MODIFIED/DELETED."""
        deleted = event_type == "DELETED"
        if kind == "Node":
            (self.remove_node(obj) if deleted else self.update_node(obj))
        elif kind == "Pod":
            (self.remove_pod(obj) if deleted else self.update_pod(obj))
        else:
            self._set_other(kind, obj, deleted)

    def responsible_for(self, pod: dict) -> bool:
        return _scheduler_name(pod) in self.profiles

    # nodes
    def add_node(self, node: dict) -> None:
        self.update_node(node)

    def update_node(self, node: dict) -> None:
        old = self.cache.get(node["metadata"]["name"])
        before = _node_sig(old.node) if old is not None and old.node is not None else None
        self.cache.set_node(node)
        if before is None:
            self._event(("Node", "Add"))
        elif before != _node_sig(node):
            self._event(("Node", "Update"))

    def remove_node(self, node) -> None:
        name = node if isinstance(node, str) else node["metadata"]["name"]
        self.cache.remove_node(name)
        self._event(("Node", "Delete"))

    # pods
    def add_pod(self, pod: dict) -> None:
        self.update_pod(pod)

    def update_pod(self, pod: dict) -> None:
        pi = self._pod_info(pod)
        key = pi.key
        if _terminal(pod):
            self.remove_pod(pod)
            return
        self._set_nomination(pi, ((pod.get("status") or {}).get("nominatedNodeName")) or "")
        if pi.node_name:
            self.queue.delete(key)
            self._pending.pop(key, None)
            self._drop_nomination(key)
            old = self.cache.pod_info(key)
            self.cache.add_pod(pi, pi.node_name)
            if old is None:
                self._event(("Pod", "Add"))
            elif (old.labels, old.requests, old.node_name) != (pi.labels, pi.requests, pi.node_name):
                self._event(("Pod", "Update"))   # status-only updates (kubelet) wake nobody
            return
        if key in self.cache.pod_nodes and key in self.cache.assumed:
            return   # our own assumed pod; the API has not caught up yet
        if self.responsible_for(pod) and not pi.terminating:
            old = self._pending.get(key)
            self._pending[key] = pod
            self.queue.update(pi, relevant=old is None or _sched_sig(old) != _sched_sig(pod))
        else:
            self.queue.delete(key)
            self._pending.pop(key, None)

    def remove_pod(self, pod) -> None:
        key = pod if isinstance(pod, str) else PodInfo(pod).key
        self.queue.delete(key)
        self._pending.pop(key, None)
        self._drop_nomination(key)
        if self.cache.remove_pod(key) is not None:
            self._event(("Pod", "Delete"))

    def _pod_info(self, pod: dict) -> PodInfo:
        spec = pod.get("spec") or {}
        meta = pod.get("metadata") or {}
        if spec.get("nodeName") and ("priority" in spec or not spec.get("priorityClassName")):
            prev = self.cache.pod_info(f"{meta.get('namespace') or 'default'}/{meta.get('name', '')}")
            if prev is not None:
                pi = prev.reuse_for(pod)
                if pi is not None:
                    return pi
        pi = PodInfo(pod)
        if "priority" not in spec and spec.get("priorityClassName"):
            pc = self.cache.priority_classes.get(spec["priorityClassName"])
            if pc is not None:
                pi.priority = pc.get("value", 0)
        return pi

    # other kinds
    _KINDS = {"PersistentVolume": "pvs", "StorageClass": "storage_classes",
              "Namespace": "namespaces", "PriorityClass": "priority_classes"}

    def _set_other(self, kind: str, obj: dict, deleted: bool = False) -> None:
        meta = obj.get("metadata") or {}
        if kind == "PersistentVolumeClaim":
            key = (meta.get("namespace") or "default", meta.get("name", ""))
            store = self.cache.pvcs
        elif kind in self._KINDS:
            key = meta.get("name", "")
            store = getattr(self.cache, self._KINDS[kind])
        else:
            return
        existed = key in store
        if deleted:
            store.pop(key, None)
            self._event((kind, "Delete"))
        else:
            store[key] = obj
            self._event((kind, "Update" if existed else "Add"))

    def set_pv(self, pv: dict) -> None:
        self._set_other("PersistentVolume", pv)

    def set_pvc(self, pvc: dict) -> None:
        self._set_other("PersistentVolumeClaim", pvc)

    def set_storage_class(self, sc: dict) -> None:
        self._set_other("StorageClass", sc)

    def set_namespace(self, ns: dict) -> None:
        self._set_other("Namespace", ns)

    def set_priority_class(self, pc: dict) -> None:
        self._set_other("PriorityClass", pc)

    def _event(self, event: tuple) -> None:
        if not self.queue.unschedulable:
            return

        seen: dict = {}

        def interested(plugins, ev):
            got = seen.get(plugins)
            if got is None:
                got = seen[plugins] = any(ev in prof.get(p, ()) for prof in self._interest.values()
                                          for p in plugins)
            return got
        self.queue.move_on_event(event, interested)

    # nominations
    def _set_nomination(self, pi: PodInfo, node: str) -> None:
        if self._nominated_node.get(pi.key) == node:
            if node:
                self.nominator[node] = [p for p in self.nominator[node] if p.key != pi.key] + [pi]
            return
        self._drop_nomination(pi.key)
        if node:
            self._nominated_node[pi.key] = node
            self.nominator.setdefault(node, []).append(pi)

    def _drop_nomination(self, key: str) -> None:
        node = self._nominated_node.pop(key, None)
        if node is not None:
            rest = [p for p in self.nominator.get(node, ()) if p.key != key]
            if rest:
                self.nominator[node] = rest
            else:
                self.nominator.pop(node, None)

    # -- the loop's side --------------------------------------------------------------------
    def has_work(self) -> bool:
        return self.queue.has_active()

    def next_wakeup(self) -> float | None:
        return self.queue.next_wakeup()

    def forget(self, pod, error: str = "") -> None:
        """The owner could not bind an assumed pod: un-assume it and retry after backoff."""
        key = pod if isinstance(pod, str) else PodInfo(pod).key
        pi = self.cache.pod_info(key)
        if key in self.cache.assumed:
            self.cache.remove_pod(key)
        if pi is not None:
            q = self.queue.in_flight.get(key)
            if q is None:
                self.queue.add(pi)
                q = self.queue._take(key)
            self.queue.add_unschedulable(q, error=True)

    def schedule_all(self, limit: int = 1_000_000) -> list:
        """Run cycles until nothing is ready (tests and the benchmark)."""
        out = []
        while len(out) < limit:
            d = self.schedule_one()
            if d is None:
                break
            out.append(d)
        return out

    def schedule_one(self, explain: bool = False):
        q = self.queue.pop()
        if q is None:
            return None
        pi = q.pod_info
        fw = self.profiles.get(_scheduler_name(pi.pod))
        if fw is None:
            self.queue.done(pi.key)
            return None
        state = CycleState()
        ev = Evaluation(pi.key, fw.scheduler_name, len(self.cache.node_list),
                        node_infos=self.cache.node_list)
        try:
            node = self._schedule_pod(fw, state, pi, ev, explain)
        except _SchedError as exc:
            self.queue.add_unschedulable(q, error=True)
            return Failed(pi.pod, str(exc), evaluation=ev, reason="SchedulerError")
        except _FitError as fe:
            return self._fail(fw, state, q, ev, fe)
        ev.selected = node
        st = fw.run_reserve(state, pi, node)
        if st is not None:
            self.queue.add_unschedulable(q, {st.plugin}, error=st.code == ERROR)
            return Failed(pi.pod, messages.fit_error(ev.num_nodes, prefilter_msg=st.message()),
                          evaluation=ev)
        self.cache.assume(pi, node)
        st = fw.run_bind(state, pi, node)
        if st is not None:
            fw.run_unreserve(state, pi, node)
            self.cache.remove_pod(pi.key)
            self.queue.add_unschedulable(q, error=True)
            return Failed(pi.pod, messages.binding_failed(st.message()), evaluation=ev,
                          reason="SchedulerError")
        self.queue.done(pi.key)
        self._drop_nomination(pi.key)
        return Bind(pi.pod, node, ev, state.get("VolumeBinding/decisions") or [],
                    bound=fw.bind_callback is not None)

    def _fail(self, fw, state, q, ev, fe: _FitError):
        pi = q.pod_info
        statuses = ev.statuses
        result, pst = fw.run_post_filter(state, pi, statuses) if fw.post_filter else (None, None)
        post_msg = pst.message() if pst is not None and pst.code != 0 else ""
        message = messages.fit_error(ev.num_nodes, (s.reasons for s in statuses.values()),
                                     prefilter_msg=fe.parts.get("prefilter", ""),
                                     postfilter_msg=post_msg)
        nominated, victims, clear = "", [], False
        if result is not None:
            nominated, victims = result.nominated_node, result.victims
            if nominated:
                self._set_nomination(pi, nominated)
            else:
                clear = bool(((pi.pod.get("status") or {}).get("nominatedNodeName")))
                self._drop_nomination(pi.key)
        self.queue.add_unschedulable(q, fe.plugins)
        return Failed(pi.pod, message, nominated, victims, ev, clear_nomination=clear)

    # -- one cycle ----------------------------------------------------------------------------
    def _schedule_pod(self, fw: Framework, state: CycleState, pi: PodInfo, ev: Evaluation,
                      explain: bool) -> str:
        nodes = self.cache.node_list
        if not nodes:
            raise _SchedError(str(messages.NO_NODES))
        st = fw.run_pre_filter(state, pi, nodes)
        if st is not None:
            if st.code == ERROR:
                raise _SchedError(st.message())
            ev.prefilter = st
            for ni in nodes:
                ev.statuses[ni.name] = st
            raise _FitError({"prefilter": st.message()}, {st.plugin})
        ev.filter_plugins = [pl.name for pl in fw.filter if pl.name not in state.skip_filter]
        nominated = ((pi.pod.get("status") or {}).get("nominatedNodeName")) or ""
        if nominated:
            ni = self.cache.get(nominated)
            if ni is not None and ni.node is not None and \
                    fw.run_filter_with_nominated(state, pi, ni) is None:
                ev.evaluated.append(nominated)
                ev.feasible_nodes = [ni]
                return nominated
        pinned = state.get(NODE_NAMES)
        if pinned is not None:
            feasible = self._find_feasible_among(fw, state, pi, pinned, ev, explain)
        else:
            feasible = self._find_feasible(fw, state, pi, nodes, ev, explain)
        if not feasible:
            if pinned is not None:
                self._absent_statuses(state, pinned, ev.statuses)
            plugins = {s.plugin for s in ev.statuses.values() if s.plugin}
            raise _FitError({}, plugins)
        ev.feasible_nodes = feasible
        if len(feasible) == 1 and not explain:
            return feasible[0].name
        st = fw.run_pre_score(state, pi, feasible)
        if st is not None:
            raise _SchedError(st.message())
        totals, table = fw.run_score(state, pi, feasible)
        ev.scores, ev.totals = table, totals
        best = max(totals)
        if self.rng is None or totals.count(best) == 1:
            return feasible[totals.index(best)].name
        ties = list(compress(range(len(totals)), map(eq, repeat(best), totals)))
        return feasible[ties[self.rng.randrange(len(ties))]].name

    def _find_feasible(self, fw, state, pi, nodes, ev, explain):
        n = len(nodes)
        want = num_feasible_nodes_to_find(n, fw.percentage_of_nodes_to_score)
        filters = fw.active_filters(state)
        start = self.next_start_node_index % n
        order = nodes[start:] + nodes[:start] if start else nodes
        feasible = []
        statuses = ev.statuses
        if not filters:
            feasible = order[:want]
            self.next_start_node_index = (start + len(feasible)) % n
            ev.evaluated = [ni.name for ni in feasible]
            return feasible
        if not explain and not self.nominator:
            return self._find_feasible_batched(fw, state, pi, order, want, ev, start)
        nominator = self.nominator
        with_nominated = fw.run_filter_with_nominated
        processed = 0
        for ni in order:
            processed += 1
            if nominator and ni.name in nominator:
                st = with_nominated(state, pi, ni, filters)
            else:
                st = None
                for name, f in filters:
                    st = f(state, pi, ni)
                    if st is not None:
                        if st.code:
                            st.plugin = name
                            break
                        st = None
            if explain:
                ev.filter_detail[ni.name] = {name: f(state, pi, ni) for name, f in filters}
            if st is None:
                feasible.append(ni)
                if len(feasible) >= want:
                    break
            else:
                statuses[ni.name] = st
        self.next_start_node_index = (start + processed) % n
        ev.evaluated = [ni.name for ni in order[:processed]]
        return feasible


    def _find_feasible_among(self, fw, state, pi, names, ev, explain):
        """Filter only the nodes a PreFilterResult names (those that exist), in node-list
        order: a DaemonSet pod costs one node, not the cluster. The rotating start index is
        left where it is (it walks the full node list for the pods that need it)."""
        get = self.cache.node_infos.get
        nodes = sorted((ni for ni in map(get, names) if ni is not None and ni.node is not None),
                       key=_node_index)
        want = num_feasible_nodes_to_find(len(nodes), fw.percentage_of_nodes_to_score)
        filters = fw.active_filters(state)
        nominator = self.nominator
        statuses = ev.statuses
        feasible, evaluated = [], []
        for ni in nodes:
            evaluated.append(ni.name)
            if nominator and ni.name in nominator:
                st = fw.run_filter_with_nominated(state, pi, ni, filters)
            else:
                st = fw.run_filter(state, pi, ni, filters)
            if explain:
                ev.filter_detail[ni.name] = {name: f(state, pi, ni) for name, f in filters}
            if st is None:
                feasible.append(ni)
                if len(feasible) >= want:
                    break
            else:
                statuses[ni.name] = st
        ev.evaluated = evaluated
        return feasible

    def _absent_statuses(self, state, names, statuses) -> None:
        """The nodes a PreFilterResult left out, as kube-scheduler's SetAbsentNodesStatus
        words them (only needed when the pod fails: for the message and preemption)."""
        plugins = state.get(NODE_NAMES_PLUGINS) or ["NodeAffinity"]
        st = Status(UNSCHEDULABLE_AND_UNRESOLVABLE,
                    f"node(s) didn't satisfy plugin(s) [{' '.join(sorted(plugins))}]",
                    plugin=sorted(plugins)[0])
        for ni in self.cache.node_list:
            if ni.name not in names:
                statuses[ni.name] = st

    def _static_verdicts(self, plugins, state, pi):
        """Filters whose verdict depends only on the node object and the pod (not on the pods
        on the node) — a leading run of plugins with `static_key` — are evaluated once per
        (pod signature, node epoch) over the whole node list and reused by every pod with the
        same signature (a Deployment's replicas). Returns (mask, names, statuses, count)."""
        count = 0
        for pl in plugins:
            if getattr(pl, "static_key", None) is None:
                break
            count += 1
        if not count:
            return None
        lead = plugins[:count]
        key = (self.cache.node_epoch, tuple((pl.name, pl.static_key(state, pi)) for pl in lead))
        got = self._static_cache.get(key)
        if got is not None:
            return got
        sts = []
        for ni in self.cache.node_list:
            st = None
            for pl in lead:
                st = pl.filter(state, pi, ni)
                if st is not None and st.code:
                    st.plugin = pl.name
                    break
                st = None
            sts.append(st)
        got = ([st is None for st in sts], [ni.name for ni in self.cache.node_list], sts, count)
        if len(self._static_cache) >= 64:
            self._static_cache.clear()
        self._static_cache[key] = got
        return got

    def _find_feasible_batched(self, fw, state, pi, order, want, ev, start):
        """The same verdicts as the node-by-node loop, computed plugin by plugin over chunks
        of nodes (each plugin sees only the previous plugins' survivors), then cut back to
        exactly the nodes the sequential loop would have examined."""
        n = len(order)
        plugins = [pl for pl in fw.filter if pl.name not in state.skip_filter]
        static = self._static_verdicts(plugins, state, pi)
        if static is not None:
            plugins = plugins[static[3]:]
        statuses = ev.statuses
        feasible: list = []
        pos = 0
        processed = n
        while pos < n:
            need = want - len(feasible)
            # size the chunk by the pass rate seen so far, so a 2/3 pass rate costs 2 rounds
            size = need if not pos else need * pos // max(len(feasible), 1) + 16
            chunk = order[pos: pos + size]
            survivors = chunk
            if static is not None:
                mask = _rot_slice(static[0], start + pos, len(chunk), n)
                survivors = list(compress(chunk, mask))
                if len(survivors) != len(chunk):
                    bad = list(map(not_, mask))
                    statuses.update(zip(compress(_rot_slice(static[1], start + pos, len(chunk), n), bad),
                                        compress(_rot_slice(static[2], start + pos, len(chunk), n), bad)))
            for pl in plugins:
                if not survivors:
                    break
                survivors = pl.filter_nodes(state, pi, survivors, statuses)
            if len(survivors) >= need:
                last = survivors[need - 1]
                cut = chunk.index(last)          # NodeInfo has no __eq__: identity
                for ni in chunk[cut + 1:]:
                    statuses.pop(ni.name, None)
                feasible.extend(survivors[:need])
                processed = pos + cut + 1
                break
            feasible.extend(survivors)
            pos += len(chunk)
        self.next_start_node_index = (start + processed) % n
        ev.evaluated = _Evaluated(self.cache.node_list, n, start, processed)
        return feasible


def _node_index(ni) -> int:
    return ni.index


def _rot_slice(lst: list, a: int, size: int, n: int) -> list:
    """lst[a:a+size] on the ring of length n (a may exceed n)."""
    a %= n
    b = a + size
    return lst[a:b] if b <= n else lst[a:] + lst[: b - n]


def _sched_sig(pod: dict):
    """What a pod update must change to be worth a retry (kube-scheduler ignores status and
    bookkeeping metadata)."""
    meta = pod.get("metadata") or {}
    return (repr(pod.get("spec")), repr(meta.get("labels")), repr(meta.get("annotations")))


def _node_sig(node: dict):
    """The parts of a node that can change a scheduling decision (heartbeats don't)."""
    meta = node.get("metadata") or {}
    spec = node.get("spec") or {}
    status = node.get("status") or {}
    return (repr(meta.get("labels")), repr(spec.get("taints")), bool(spec.get("unschedulable")),
            repr(status.get("allocatable")), len(status.get("images") or ()))
