"""Liveness, readiness and startup probes on the virtual clock.

A probe runs its handler (exec in the container, an HTTP GET against the image's server, a
TCP connect to a listening port) initialDelaySeconds after the container started and then
every periodSeconds (default 10).

A container without a startupProbe is started as soon as it runs. One with a startupProbe
is not: until that probe first succeeds the container is `started: false` and
`ready: false`, and neither readiness nor liveness is probed. The first success marks it
started, ends startup probing and lets the other two probes begin (ready at once if there
is no readinessProbe; a readinessProbe runs straight away, as the kubelet triggers it).

failureThreshold failures in a row (default 3) flip readiness to false or, for liveness
and startup, kill the container so that it restarts
(`Container x failed startup probe, will be restarted`)."""
from __future__ import annotations

LABELS = {"startupProbe": "Startup", "readinessProbe": "Readiness", "livenessProbe": "Liveness"}


class Prober:
    def __init__(self, kubelet):
        self.kubelet = kubelet
        self.loop = kubelet.loop
        self.timers: dict = {}

    # -- the pod worker's hooks -------------------------------------------------------------
    def container_started(self, worker, cs) -> None:
        if not cs.spec.get("startupProbe"):
            self._probe_after_startup(worker, cs)
            return
        # the pod worker marks a running container started (and ready when nothing probes
        # readiness); a startup probe that has not passed yet takes both back
        cs.started = False
        cs.ready = False
        self._schedule_first(worker, cs, "startupProbe")

    def container_stopped(self, worker, cs) -> None:
        for kind in LABELS:
            t = self.timers.pop((id(worker), cs.name, kind), None)
            if t is not None:
                t.cancel()

    # -- scheduling -------------------------------------------------------------------------
    def _probe_after_startup(self, worker, cs) -> None:
        for kind in ("readinessProbe", "livenessProbe"):
            if cs.spec.get(kind):
                self._schedule_first(worker, cs, kind)

    def _schedule_first(self, worker, cs, kind) -> None:
        """The first probe of a kind, initialDelaySeconds after the container started (at
        once if that is already past). It is foreground, except for liveness: settle()
        waits for a container to start and become ready like a user would."""
        delay = float(cs.spec[kind].get("initialDelaySeconds", 0))
        remaining = cs.running_since + delay - self.loop.now
        state = {"failures": 0, "successes": 0, "container": cs.container}
        self._schedule(worker, cs, kind, state, remaining, background=kind == "livenessProbe")

    def _schedule(self, worker, cs, kind, state, delay, background=True) -> None:
        self.timers[(id(worker), cs.name, kind)] = self.loop.call_later(
            delay, self._run, worker, cs, kind, state, background=background)

    # -- one probe --------------------------------------------------------------------------
    def _run(self, worker, cs, kind, state) -> None:
        if not worker.alive or cs.container is not state["container"] or cs.running_since is None:
            return
        probe = cs.spec.get(kind) or {}
        ok, detail = self.kubelet.probe_once(worker, cs, probe)
        if ok:
            done = self._passed(worker, cs, kind, state, probe)
        else:
            done = self._failed(worker, cs, kind, state, probe, detail)
        if not done:
            self._schedule(worker, cs, kind, state, float(probe.get("periodSeconds", 10)))

    def _passed(self, worker, cs, kind, state, probe) -> bool:
        """Count a success; True when this kind of probe is over for the container."""
        state["failures"] = 0
        state["successes"] += 1
        if kind == "startupProbe":
            self._startup_passed(worker, cs)
            return True
        if kind == "readinessProbe" and not cs.ready and \
                state["successes"] >= int(probe.get("successThreshold", 1)):
            cs.ready = True
            self.kubelet.mark_dirty(worker)
        return False

    def _startup_passed(self, worker, cs) -> None:
        cs.started = True
        cs.ready = not cs.spec.get("readinessProbe")
        self.kubelet.mark_dirty(worker)
        self._probe_after_startup(worker, cs)
        worker.container_started_up(cs)

    def _failed(self, worker, cs, kind, state, probe, detail) -> bool:
        """Count a failure (an Unhealthy event each); True when the container was killed."""
        state["successes"] = 0
        state["failures"] += 1
        label = LABELS[kind]
        self.kubelet.event(worker.pod, "Unhealthy", f"{label} probe failed: {detail}",
                           "Warning", field=worker._field(cs))
        if state["failures"] < int(probe.get("failureThreshold", 3)):
            return False
        if kind == "readinessProbe":
            if cs.ready:
                cs.ready = False
                self.kubelet.mark_dirty(worker)
            return False
        self.kubelet.event(worker.pod, "Killing",
                           f"Container {cs.name} failed {label.lower()} probe, will be restarted",
                           field=worker._field(cs))
        state["failures"] = 0
        worker.kill_container(cs, probe)
        return True
