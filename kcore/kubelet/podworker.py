"""One pod on one node: from sandbox to running containers, restarts and termination.

The worker walks the pod through what a kubelet does: allocate the sandbox and its IP, run
init containers one at a time, then pull, create and start each container; react to exits
with the pod's restartPolicy and CrashLoopBackOff (10 s doubling to 5 min); on deletion stop
containers within the grace period. It records container states; status.py turns them into
the pod's status, and the kubelet writes that through the API."""
from __future__ import annotations

from kcore.kubelet import images as _images
from kcore.kubelet.containers import resolve_command, resolve_env, ConfigError

BACKOFF_START = 10.0
BACKOFF_MAX = 300.0
SYNC_PERIOD = 60.0   # the kubelet's syncFrequency


class CState:
    """What the kubelet knows of one container (drives containerStatuses)."""

    def __init__(self, spec, kind):
        self.spec = spec
        self.name = spec.get("name", "")
        self.kind = kind  # init | container
        self.waiting = ("ContainerCreating", "")  # (reason, message) or None
        self.running_since = None
        self.terminated = None  # dict(exitCode, reason, startedAt, finishedAt, containerID)
        self.last_terminated = None
        self.restarts = 0
        self.ready = False
        self.started = False
        self.container = None  # runtime Container
        self.previous_logs: list = []  # the last dead instance's logs, for `logs --previous`
        self.image_id = ""
        self.image_ref = ""
        self.backoff = 0.0
        self.pull_backoff = 0.0
        self.timer = None
        self.attempt = 0          # bumped by each start; a pull of an older attempt is dropped
        self.replacing = False    # killed because its image changed: start again at once


def is_sidecar(cs: "CState") -> bool:
    """A native sidecar: an init container with restartPolicy Always (GA in 1.33)."""
    return cs.kind == "init" and cs.spec.get("restartPolicy") == "Always"


class PodWorker:
    def __init__(self, kubelet, pod):
        self.kubelet = kubelet
        self.loop = kubelet.loop
        self.pod = pod
        md = pod["metadata"]
        self.key = f"{md.get('namespace')}/{md['name']}"
        spec = pod.get("spec") or {}
        self.inits = [CState(c, "init") for c in spec.get("initContainers") or []]
        self.containers = [CState(c, "container") for c in spec.get("containers") or []]
        self.ip = None
        self.sandbox_ready = False
        self.init_index = 0
        self.start_time = None
        self.terminating = False
        self.finished = False
        self.conditions_since: dict = {}
        self.alive = True
        self.synced_volumes: dict = {}   # (container, mountPath) -> (volume, folder): volumes.py
        self._volume_sync = None

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        self.start_time = self.loop.now
        self.kubelet.mark_dirty(self)
        self._mount_retry = 2.0
        self._mount_or_wait()

    def _mount_or_wait(self) -> None:
        """The volume manager mounts every volume before the sandbox starts; a ConfigMap or
        Secret that does not exist (and is not optional) keeps the pod ContainerCreating, with a
        FailedMount event each retry (the retries back off up to about two minutes)."""
        if not self.alive or self.terminating:
            return
        missing = self._missing_volume()
        if missing is None:
            self.loop.call_later(self.kubelet.sandbox_seconds, self._sandbox_up)
            return
        volume, kind, name = missing
        self.kubelet.event(self.pod, "FailedMount", f'MountVolume.SetUp failed for volume "{volume}" : '
                           f'{kind} "{name}" not found', "Warning")
        self.loop.call_later(self._mount_retry, self._mount_or_wait, background=True)
        self._mount_retry = min(self._mount_retry * 2, 122.0)

    def _missing_volume(self):
        ns = self.pod["metadata"].get("namespace")
        for v in (self.pod.get("spec") or {}).get("volumes") or []:
            for key, resource, kind, ref in (("configMap", "configmaps", "configmap", "name"),
                                             ("secret", "secrets", "secret", "secretName")):
                src = v.get(key)
                if isinstance(src, dict) and not src.get("optional") and src.get(ref) and \
                        self.kubelet.lookup(resource, ns, src[ref]) is None:
                    return v.get("name", ""), kind, src[ref]
        return None

    def _sandbox_up(self) -> None:
        if not self.alive or self.terminating:
            return
        self.ip = self.kubelet.allocate_ip(self)
        self.sandbox_ready = True
        self.kubelet.step("kubelet", f"create pod sandbox, IP {self.ip}", self.pod)
        self.kubelet.mark_dirty(self)
        if self.inits:
            self._start_container(self.inits[0])
        else:
            for cs in self.containers:
                self._start_container(cs)

    def _start_container(self, cs: CState) -> None:
        if not self.alive or self.terminating:
            return
        spec = cs.spec
        cs.attempt += 1
        attempt = cs.attempt
        image_text = spec.get("image", "")
        policy = spec.get("imagePullPolicy") or "IfNotPresent"
        rt = self.kubelet.runtime
        invalid = _images.reference_error(image_text)
        if invalid is not None:
            # nothing to pull: the kubelet cannot even parse the name (it retries each sync)
            cs.waiting = ("InvalidImageName", invalid)
            self.kubelet.event(self.pod, "InspectFailed", invalid, "Warning", field=self._field(cs))
            self.kubelet.event(self.pod, "Failed", "Error: InvalidImageName", "Warning",
                               field=self._field(cs))
            self.kubelet.mark_dirty(self)
            cs.timer = self.loop.call_later(BACKOFF_START, self._start_container, cs, background=True)
            return
        try:
            ref = _images.parse_reference(image_text)
        except Exception:  # noqa: BLE001
            ref = None
        if ref is not None and policy != "Always" and rt.has_image(ref):
            self.kubelet.event(self.pod, "Pulled", f'Container image "{image_text}" already present '
                               "on machine and can be accessed by the pod", field=self._field(cs))
            img, ref = _images.resolve(image_text)
            self._create(cs, img, ref)
            return
        if policy == "Never":
            cs.waiting = ("ErrImageNeverPull", f'Container image "{image_text}" is not present '
                          "with pull policy of Never")
            self.kubelet.event(self.pod, "ErrImageNeverPull", cs.waiting[1], "Warning",
                               field=self._field(cs))
            self.kubelet.mark_dirty(self)
            return
        self.kubelet.event(self.pod, "Pulling", f'Pulling image "{image_text}"', field=self._field(cs))
        self.kubelet.step("runtime", f"pull image {image_text}", self.pod)
        try:
            img, ref, seconds = rt.pull(image_text)
        except _images.ImageError as exc:
            self.loop.call_later(0.5 + self.loop.random.random(), self._pull_failed, cs, str(exc),
                                 attempt)
            return
        self.loop.call_later(seconds, self._pulled, cs, img, ref, seconds, attempt)

    def _pulled(self, cs, img, ref, seconds, attempt) -> None:
        if not self.alive or self.terminating or attempt != cs.attempt:
            return
        cs.pull_backoff = 0.0
        self.kubelet.runtime.pulled(img, ref)
        self.kubelet.event(self.pod, "Pulled",
                           f'Successfully pulled image "{cs.spec.get("image")}" in '
                           f"{_go_duration(seconds)} ({_go_duration(seconds)} including waiting). "
                           f"Image size: {img.size} bytes.", field=self._field(cs))
        self._create(cs, img, ref)

    def _pull_failed(self, cs, error: str, attempt: int) -> None:
        if not self.alive or self.terminating or attempt != cs.attempt:
            return
        image_text = cs.spec.get("image", "")
        self.kubelet.event(self.pod, "Failed", f'Failed to pull image "{image_text}": {error}',
                           "Warning", field=self._field(cs))
        self.kubelet.event(self.pod, "Failed", "Error: ErrImagePull", "Warning", field=self._field(cs))
        cs.waiting = ("ErrImagePull", error)
        self.kubelet.mark_dirty(self)
        cs.pull_backoff = BACKOFF_START if not cs.pull_backoff else min(cs.pull_backoff * 2, BACKOFF_MAX)

        def to_backoff():
            if not self.alive or self.terminating or attempt != cs.attempt:
                return
            cs.waiting = ("ImagePullBackOff", f'Back-off pulling image "{image_text}": ErrImagePull: {error}')
            self.kubelet.event(self.pod, "BackOff", f'Back-off pulling image "{image_text}"',
                               field=self._field(cs))
            self.kubelet.event(self.pod, "Failed", "Error: ImagePullBackOff", "Warning",
                               field=self._field(cs))
            self.kubelet.mark_dirty(self)
            cs.timer = self.loop.call_later(cs.pull_backoff, self._start_container, cs,
                                            background=True)
        self.loop.call_later(1.0, to_backoff)

    def _create(self, cs, img, ref) -> None:
        cs.image_ref = ref.full if ref.digest else f"{ref.repository}:{ref.tag}"
        cs.image_id = f"{ref.repository}@{img.digest(ref.tag or ref.digest)}"
        try:
            env = resolve_env(self.kubelet, self.pod, cs.spec, img)
            from kcore.kubelet.volumes import container_fs
            files = container_fs(self.kubelet, self, self.pod, cs.spec)
        except ConfigError as exc:
            cs.waiting = ("CreateContainerConfigError", str(exc))
            self.kubelet.event(self.pod, "Failed", f"Error: {exc}", "Warning", field=self._field(cs))
            self.kubelet.mark_dirty(self)
            cs.timer = self.loop.call_later(10, self._start_container, cs, background=True)
            return
        argv = resolve_command(cs.spec, img, env)
        rt = self.kubelet.runtime
        c = rt.create(self.pod, cs.spec, img, ref, cs.kind)
        c.previous_logs = cs.previous_logs
        cs.container = c
        if self.synced_volumes and self._volume_sync is None:
            self._volume_sync = self.loop.call_later(SYNC_PERIOD, self._sync_volumes, background=True)
        self.kubelet.event(self.pod, "Created", f"Created container: {cs.name}", field=self._field(cs))
        limit = self.kubelet.memory_limit(cs.spec)
        rt.start(c, argv, env, files, limit, lambda cont, cs=cs: self._exited(cs, cont))
        if c.exit_code is not None and c.process is not None and not c.process.alive:
            pass  # exited synchronously; _exited is scheduled
        self.kubelet.event(self.pod, "Started", f"Started container {cs.name}", field=self._field(cs))
        self.kubelet.step("runtime", f"start container {cs.name}", self.pod)
        cs.waiting = None
        cs.terminated = None
        cs.running_since = self.loop.now
        cs.started = True
        cs.ready = not cs.spec.get("readinessProbe") and (cs.kind != "init" or is_sidecar(cs))
        self.kubelet.probes.container_started(self, cs)
        self.kubelet.mark_dirty(self)
        if cs.started:
            self.container_started_up(cs)

    def container_started_up(self, cs: CState) -> None:
        """A container counts as started (at once, or when its startupProbe first passes).
        A native sidecar that has started lets the next init container (or the app) go."""
        if is_sidecar(cs) and self.init_index < len(self.inits) and self.inits[self.init_index] is cs:
            self._init_done()

    def _init_done(self) -> None:
        """The current init container finished (or, for a sidecar, started): on to the next."""
        self.init_index += 1
        self.kubelet.mark_dirty(self)
        if self.init_index < len(self.inits):
            self._start_container(self.inits[self.init_index])
        else:
            for k in self.containers:
                self._start_container(k)

    def _exited(self, cs: CState, c) -> None:
        if not self.alive:
            return
        started = cs.running_since if cs.running_since is not None else self.loop.now
        cs.terminated = {"exitCode": c.exit_code, "reason": c.reason,
                         "startedAt": self.loop.timestamp(started),
                         "finishedAt": self.loop.timestamp(), "containerID": f"containerd://{c.id}"}
        cs.running_since = None
        cs.ready = False
        cs.started = False
        self.kubelet.probes.container_stopped(self, cs)
        if self.terminating:
            self.kubelet.mark_dirty(self)
            self._maybe_gone()
            return
        if cs.replacing:
            cs.replacing = False
            cs.last_terminated = cs.terminated
            cs.timer = self.loop.call_soon(self._restart, cs)
            self.kubelet.mark_dirty(self)
            return
        policy = (self.pod.get("spec") or {}).get("restartPolicy", "Always")
        if is_sidecar(cs):
            # a sidecar restarts whatever the pod's policy, until the main containers are done
            if self.finished:
                self.kubelet.mark_dirty(self)
                return
            self._restart_later(cs)
            return
        if cs.kind == "init":
            if c.exit_code == 0:
                self._init_done()
                return
            if policy == "Never":
                self.finished = True
                self.kubelet.mark_dirty(self)
                return
            self._restart_later(cs)
            return
        restart = policy == "Always" or (policy == "OnFailure" and c.exit_code != 0)
        if not restart:
            self.kubelet.mark_dirty(self)
            if all(k.terminated is not None and k.running_since is None for k in self.containers):
                self.finished = True
                self._stop_sidecars()
            return
        self._restart_later(cs)

    def _restart_later(self, cs: CState) -> None:
        ran = self.loop.now - self.loop.parse_timestamp(cs.terminated["startedAt"])
        if ran >= 600:
            cs.backoff = 0.0
        cs.last_terminated = cs.terminated
        first = cs.backoff == 0.0
        delay = 0.0 if first else cs.backoff
        cs.backoff = BACKOFF_START if first else min(cs.backoff * 2, BACKOFF_MAX)
        if first:
            # the first restart is immediate
            cs.timer = self.loop.call_later(0.5, self._restart, cs, background=True)
            self.kubelet.mark_dirty(self)
            return
        ns = self.pod["metadata"].get("namespace")
        name = self.pod["metadata"]["name"]
        uid = self.pod["metadata"].get("uid")
        cs.waiting = ("CrashLoopBackOff", f"back-off {_go_duration(delay)} restarting failed "
                      f"container={cs.name} pod={name}_{ns}({uid})")
        self.kubelet.event(self.pod, "BackOff", f"Back-off restarting failed container {cs.name} "
                           f"in pod {name}_{ns}({uid})", "Warning", field=self._field(cs))
        self.kubelet.mark_dirty(self)
        cs.timer = self.loop.call_later(delay, self._restart, cs, background=True)

    def _restart(self, cs: CState) -> None:
        if not self.alive or self.terminating:
            return
        cs.restarts += 1
        # the dead instance's logs become the next instance's `--previous`, whenever that one is
        # created (an imagePullPolicy: Always restart pulls first, so creation comes later)
        cs.previous_logs = cs.container.logs if cs.container is not None else []
        cs.waiting = None
        self._start_container(cs)

    def _sync_volumes(self) -> None:
        """The periodic pod sync (syncFrequency, 1 min): mounted ConfigMaps and Secrets catch up
        with their objects, so an update shows in the files within about a minute."""
        if not self.alive or self.terminating:
            return
        from kcore.kubelet.volumes import refresh
        refresh(self.kubelet, self.pod["metadata"].get("namespace"), self.synced_volumes)
        self._volume_sync = self.loop.call_later(SYNC_PERIOD, self._sync_volumes, background=True)

    def spec_updated(self) -> None:
        """The pod was updated. The only container field a pod update may change is `image`
        (`kubectl set image pod/…`, `kubectl edit`): the kubelet sees the container's hash
        change, kills a running container ("definition changed, will be restarted") and starts
        the new image, whatever the restartPolicy; a container waiting on a pull or a back-off
        starts again at once (the back-off belonged to the old definition)."""
        spec = self.pod.get("spec") or {}
        for states, key in ((self.inits, "initContainers"), (self.containers, "containers")):
            new_specs = {c.get("name"): c for c in spec.get(key) or []}
            for cs in states:
                new = new_specs.get(cs.name)
                if new is None or new.get("image") == cs.spec.get("image"):
                    continue
                cs.spec = new
                self._image_changed(cs)

    def _image_changed(self, cs: CState) -> None:
        if not self.alive or self.terminating:
            return
        proc = cs.container.process if cs.container is not None else None
        if proc is not None and proc.alive:
            self.kubelet.event(self.pod, "Killing", f"Container {cs.name} definition changed, "
                               "will be restarted", field=self._field(cs))
            cs.replacing = True
            grace = (self.pod.get("spec") or {}).get("terminationGracePeriodSeconds", 30)
            self.kubelet.runtime.stop(cs.container, grace)
            return
        if not self.sandbox_ready:
            return  # the first start, still to come, reads the new spec
        if cs.kind == "init" and self.init_index != self.inits.index(cs):
            return  # not its turn (done, or not reached yet)
        if cs.kind != "init" and self.init_index < len(self.inits):
            return  # still initialising: it starts with the new image when its turn comes
        if cs.waiting is None:
            return  # exited for good, or a restart is already due: either way nothing to do
        if cs.timer is not None:
            cs.timer.cancel()
        cs.backoff = cs.pull_backoff = 0.0
        self._start_container(cs)

    def kill_container(self, cs: CState, probe: dict) -> None:
        """A failed liveness or startup probe: the container is stopped like any other (SIGTERM,
        SIGKILL after the probe's or the pod's terminationGracePeriodSeconds) and restarted
        per policy — nginx exits 0 at once, a sleeping shell dies with 137 after 30 s."""
        if cs.container is not None and cs.container.process is not None:
            grace = probe.get("terminationGracePeriodSeconds")
            if grace is None:
                grace = (self.pod.get("spec") or {}).get("terminationGracePeriodSeconds", 30)
            self.kubelet.runtime.stop(cs.container, grace)

    def _stop_sidecars(self) -> None:
        """The main containers are done: the kubelet stops the sidecars, last started first."""
        for cs in reversed(self.inits):
            if cs.timer is not None:
                cs.timer.cancel()
            if is_sidecar(cs) and cs.container is not None and cs.container.process is not None \
                    and cs.container.process.alive:
                self.kubelet.event(self.pod, "Killing", f"Stopping container {cs.name}",
                                   field=self._field(cs))
                self.kubelet.runtime.stop(cs.container, 30)

    # -- termination ------------------------------------------------------------------------
    def terminate(self, grace: float) -> None:
        if self.terminating:
            return
        self.terminating = True
        for cs in self.inits + self.containers:
            if cs.timer is not None:
                cs.timer.cancel()
            if cs.container is not None and cs.container.process is not None and \
                    cs.container.process.alive:
                self.kubelet.event(self.pod, "Killing", f"Stopping container {cs.name}",
                                   field=self._field(cs))
                self.kubelet.runtime.stop(cs.container, grace)
        self.kubelet.mark_dirty(self)
        self.loop.call_soon(self._maybe_gone)

    def _maybe_gone(self) -> None:
        if not self.alive:
            return
        running = [cs for cs in self.inits + self.containers
                   if cs.container is not None and cs.container.process is not None
                   and cs.container.process.alive]
        if not running:
            self.kubelet.pod_terminated(self)

    def stop(self) -> None:
        self.alive = False
        if self._volume_sync is not None:
            self._volume_sync.cancel()
        for cs in self.inits + self.containers:
            if cs.timer is not None:
                cs.timer.cancel()
            if cs.container is not None and cs.container.process is not None:
                cs.container.process.alive = False
            self.kubelet.probes.container_stopped(self, cs)

    def _field(self, cs: CState) -> str:
        return f"spec.{'initContainers' if cs.kind == 'init' else 'containers'}{{{cs.name}}}"


def _go_duration(seconds: float) -> str:
    """Go's time.Duration String(): 512ms, 2.874s, 1m30s, 5m0s."""
    if seconds < 1:
        ms = round(seconds * 1000, 3)
        return f"{ms:g}ms"
    if seconds < 60:
        return f"{round(seconds, 3):g}s"
    m, s = divmod(seconds, 60)
    if m < 60:
        return f"{int(m)}m{round(s, 3):g}s"
    h, m = divmod(int(m), 60)
    return f"{h}h{m}m{round(s, 3):g}s"
