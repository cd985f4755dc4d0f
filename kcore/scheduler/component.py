"""kube-scheduler as a component: informers in, Bindings and events out.

The Scheduler (scheduler.py) decides; this module connects it to the cluster the way the real
binary is connected: shared informers feed it nodes, pods and storage objects; a pending pod
wakes a scheduling pass on the loop; a decision becomes a Binding (`Scheduled` event) or a
FailedScheduling event plus the PodScheduled=False condition the learner sees in describe.
Started by the kube-scheduler static pod's image, configured from its flags and its
`--config` file (a second scheduler takes its name from that file's profiles)."""
from __future__ import annotations

from kcore.apiserver import ApiError
from kcore.client import Client, Informer
from kcore.scheduler.scheduler import Bind, Failed, Scheduler

WATCHED = (("nodes", "Node"), ("pods", "Pod"), ("persistentvolumes", "PersistentVolume"),
           ("persistentvolumeclaims", "PersistentVolumeClaim"),
           ("storageclasses", "StorageClass"), ("priorityclasses", "PriorityClass"),
           ("namespaces", "Namespace"))


class SchedulerComponent:
    def __init__(self, api, user, *, scheduler_name: str = "default-scheduler",
                 profiles=None, leader_elect: bool = True):
        self.api = api
        self.loop = api.loop
        self.client = Client(api, user)
        self.scheduler_name = scheduler_name
        self.scheduler = Scheduler(profiles or [scheduler_name], clock=lambda: self.loop.now,
                                   rng=self.loop.random)
        self.informers: list[Informer] = []
        self.running = False
        self._pass_scheduled = False
        self._wakeup = None
        self.last_evaluations: dict[str, object] = {}

    def start(self) -> None:
        self.running = True
        for resource, kind in WATCHED:
            inf = Informer(self.client, resource)
            self.informers.append(inf)
            inf.add_handler(lambda et, obj, old, kind=kind: self._feed(kind, et, obj))
        self._kick()

    def stop(self) -> None:
        self.running = False
        for inf in self.informers:
            inf.stop()
        self.informers.clear()
        if self._wakeup is not None:
            self._wakeup.cancel()

    def _feed(self, kind, etype, obj) -> None:
        if not self.running:
            return
        self.scheduler.handle(kind, etype, obj)
        self._kick()

    def _kick(self) -> None:
        if not self._pass_scheduled and self.running:
            self._pass_scheduled = True
            self.loop.call_soon(self._pass)

    def _pass(self) -> None:
        self._pass_scheduled = False
        if not self.running:
            return
        sched = self.scheduler
        while sched.has_work():
            d = sched.schedule_one()
            if d is None:
                continue
            self._apply(d)
        wake = sched.next_wakeup()
        if self._wakeup is not None:
            self._wakeup.cancel()
            self._wakeup = None
        if wake is not None:
            # pods waiting out a backoff after a cluster change are work a user waits for;
            # the periodic flush of unschedulable pods is not
            waiting = bool(getattr(sched.queue, "_backoff_entries", None))
            self._wakeup = self.loop.call_at(max(wake, self.loop.now), self._kick,
                                             background=not waiting)

    def _apply(self, d) -> None:
        pod = d.pod
        md = pod["metadata"]
        ns, name = md.get("namespace"), md["name"]
        if getattr(d, "evaluation", None) is not None:
            self.last_evaluations[f"{ns}/{name}"] = d.evaluation
            if len(self.last_evaluations) > 200:
                self.last_evaluations.pop(next(iter(self.last_evaluations)))
        if isinstance(d, Bind):
            self._apply_volumes(d)
            if not d.bound:
                try:
                    self.client.bind(ns, name, d.node)
                except ApiError as exc:
                    self.scheduler.forget(pod, exc.message)
                    return
            self.client.event(pod, "Scheduled", d.message, component=self.scheduler_name)
            return
        if isinstance(d, Failed):
            self.client.event(pod, "FailedScheduling", d.message, type_="Warning",
                              component=self.scheduler_name)
            for victim in d.victims or []:
                vmd = victim["metadata"]
                try:
                    self.client.delete("pods", vmd.get("namespace"), vmd["name"])
                except ApiError:
                    pass
            current = self.client.try_get("pods", ns, name)
            if current is None or (current.get("spec") or {}).get("nodeName"):
                return
            st = dict(current.get("status") or {})
            conds = [c for c in st.get("conditions") or [] if c.get("type") != "PodScheduled"]
            cond = d.condition() if hasattr(d, "condition") else {"reason": "Unschedulable"}
            conds.append({"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                          "lastTransitionTime": self.loop.timestamp(),
                          "reason": cond.get("reason", "Unschedulable"), "message": d.message})
            st["conditions"] = conds
            if d.nominated_node:
                st["nominatedNodeName"] = d.nominated_node
            elif getattr(d, "clear_nomination", False):
                st.pop("nominatedNodeName", None)
            old_cond = next((c for c in (current.get("status") or {}).get("conditions") or []
                             if c.get("type") == "PodScheduled"), None)
            if old_cond and old_cond.get("status") == "False" and old_cond.get("message") == d.message:
                return
            current["status"] = st
            try:
                self.client.update_status("pods", ns, current)
            except ApiError:
                pass

    def _apply_volumes(self, d) -> None:
        """VolumeBinding's decisions: bind chosen PVs to their claims, or ask the provisioner
        for a volume on the chosen node (WaitForFirstConsumer)."""
        for dec in getattr(d, "volume_decisions", None) or []:
            ns, _, claim = dec.get("claim", "/").partition("/")
            pvc = self.client.try_get("persistentvolumeclaims", ns, claim)
            if pvc is None:
                continue
            try:
                if dec.get("provision"):
                    ann = pvc["metadata"].setdefault("annotations", {})
                    if ann.get("volume.kubernetes.io/selected-node") != dec.get("selectedNode"):
                        ann["volume.kubernetes.io/selected-node"] = dec.get("selectedNode")
                        self.client.update("persistentvolumeclaims", ns, pvc)
                elif dec.get("volume") is not None and not (pvc.get("spec") or {}).get("volumeName"):
                    pv = dec["volume"]
                    pvc["spec"]["volumeName"] = pv if isinstance(pv, str) else pv["metadata"]["name"]
                    self.client.update("persistentvolumeclaims", ns, pvc)
            except ApiError:
                pass

    def explain(self, namespace: str, name: str):
        return self.last_evaluations.get(f"{namespace}/{name}")
