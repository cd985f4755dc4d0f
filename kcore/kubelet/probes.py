"""Liveness, readiness and startup probes on the virtual clock.

A probe runs its handler (exec in the container, an HTTP GET against the image's server, a
TCP connect to a listening port) after initialDelaySeconds and then every periodSeconds;
failureThreshold failures in a row flip readiness to false or, for liveness, kill the
container (`Container x failed liveness probe, will be restarted`)."""
from __future__ import annotations


class Prober:
    def __init__(self, kubelet):
        self.kubelet = kubelet
        self.loop = kubelet.loop
        self.timers: dict = {}

    def container_started(self, worker, cs) -> None:
        spec = cs.spec
        for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
            probe = spec.get(kind)
            if not probe:
                continue
            delay = float(probe.get("initialDelaySeconds", 0))
            key = (id(worker), cs.name, kind)
            state = {"failures": 0, "successes": 0, "container": cs.container}
            # the first probe is foreground: settle() waits for readiness like a user would
            self.timers[key] = self.loop.call_later(delay, self._run, worker, cs, kind, state,
                                                    background=kind == "livenessProbe")

    def container_stopped(self, worker, cs) -> None:
        for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
            t = self.timers.pop((id(worker), cs.name, kind), None)
            if t is not None:
                t.cancel()

    def _run(self, worker, cs, kind, state) -> None:
        if not worker.alive or cs.container is not state["container"] or cs.running_since is None:
            return
        probe = cs.spec.get(kind) or {}
        ok, detail = self.kubelet.probe_once(worker, cs, probe)
        period = float(probe.get("periodSeconds", 10))
        if ok:
            state["failures"] = 0
            state["successes"] += 1
            if kind == "readinessProbe" and not cs.ready and \
                    state["successes"] >= int(probe.get("successThreshold", 1)):
                cs.ready = True
                self.kubelet.mark_dirty(worker)
        else:
            state["successes"] = 0
            state["failures"] += 1
            label = {"readinessProbe": "Readiness", "livenessProbe": "Liveness",
                     "startupProbe": "Startup"}[kind]
            self.kubelet.event(worker.pod, "Unhealthy", f"{label} probe failed: {detail}",
                               "Warning", field=worker._field(cs))
            if state["failures"] >= int(probe.get("failureThreshold", 3)):
                if kind == "readinessProbe":
                    if cs.ready:
                        cs.ready = False
                        self.kubelet.mark_dirty(worker)
                else:
                    self.kubelet.event(worker.pod, "Killing",
                                       f"Container {cs.name} failed {label.lower()} probe, will be restarted",
                                       field=worker._field(cs))
                    state["failures"] = 0
                    worker.kill_container(cs, "Error")
                    return
        key = (id(worker), cs.name, kind)
        self.timers[key] = self.loop.call_later(period, self._run, worker, cs, kind, state,
                                                background=True)
