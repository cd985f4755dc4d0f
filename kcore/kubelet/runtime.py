"""The container runtime (containerd's role): images on the node, containers, their logs.

A container is a Process running an image's Program on the loop. The Program reacts to
start, stop, exec and HTTP requests and ends by calling exit(code). The runtime keeps each
container's log lines (with their virtual timestamps, for `kubectl logs` and `crictl logs`),
its exit code and reason, and the images a node has pulled (for IfNotPresent and
ImageLocality)."""
from __future__ import annotations

from kcore.kubelet import images as _images


class Process:
    """What a Program sees: its argv, environment, files, log, clock, and exit()."""

    def __init__(self, runtime, container, argv, env, files, memory_limit=None):
        self.runtime = runtime
        self.container = container
        self.loop = runtime.loop
        self.argv = list(argv)
        self.env = dict(env)
        self.files = files              # dict path -> str (the container's filesystem view)
        self.memory_limit = memory_limit  # bytes or None
        self.alive = True
        self._timers = []
        self.state: dict = {}

    def log(self, line: str, stream: str = "stdout") -> None:
        self.container.logs.append((self.loop.now, stream, line))

    def later(self, seconds: float, fn, *args, background: bool = False):
        h = self.loop.call_later(seconds, self._guard, fn, args, background=background)
        self._timers.append(h)
        return h

    def _guard(self, fn, args):
        if self.alive:
            fn(*args)

    def exit(self, code: int, reason: str | None = None) -> None:
        if not self.alive:
            return
        self.alive = False
        for t in self._timers:
            t.cancel()
        self.runtime.container_exited(self.container, code, reason)

    def allocate(self, nbytes: int) -> bool:
        """Grow memory use; over the limit the kernel OOM-kills the container (exit 137)."""
        self.container.memory += nbytes
        if self.memory_limit is not None and self.container.memory > self.memory_limit:
            self.exit(137, "OOMKilled")
            return False
        return True

    @property
    def pod(self) -> dict:
        return self.container.pod


class Container:
    def __init__(self, cid, pod, spec, image, ref, kind="container"):
        self.id = cid
        self.pod = pod
        self.spec = spec
        self.name = spec.get("name", "")
        self.image = image
        self.ref = ref
        self.kind = kind  # container | init | sidecar
        self.logs: list = []
        self.previous_logs: list = []
        self.started_at = None
        self.finished_at = None
        self.exit_code = None
        self.reason = None
        self.process: Process | None = None
        self.program = None
        self.memory = 0
        self.on_exit = None


_HEX = "0123456789abcdef"
_RECORDS: dict = {}   # (image, reference) -> the image record nodes share


class Runtime:
    def __init__(self, node_name: str, loop):
        self.node = node_name
        self.loop = loop
        self.images: dict[str, dict] = {}  # normalised repo:tag -> {"id", "size", "ref"}
        self.containers: dict[str, Container] = {}
        self.sandboxes: dict[str, dict] = {}

    def new_id(self) -> str:
        """64 hex digits: the same draws as `random.choice` of a hex digit, 64 times (5 bits,
        retried above 15), without choice()'s per-call overhead."""
        draw = self.loop.random.getrandbits
        out = []
        while len(out) < 64:
            r = draw(5)
            if r < 16:
                out.append(_HEX[r])
        return "".join(out)

    # images -------------------------------------------------------------------------------
    def has_image(self, ref) -> bool:
        return ref.full in self.images

    def pull(self, text: str):
        """Resolve an image; returns (Image, Reference, seconds the pull takes).

        The image is on the node only once the pull completes (pulled())."""
        img, ref = _images.resolve(text)
        cached = any(k.startswith(ref.repository + ":") for k in self.images)
        base = 0.3 if cached else 0.8 + img.size / 60_000_000
        seconds = round(base + self.loop.random.random() * 0.4, 3)
        return img, ref, seconds

    def pulled(self, img, ref) -> None:
        """The image is on the node now. The record is the same on every node (and never
        changed), so nodes share one record per reference."""
        key = (img, ref)
        record = _RECORDS.get(key)
        if record is None:
            record = _RECORDS[key] = {"id": img.digest(ref.tag or ref.digest), "size": img.size,
                                      "ref": ref}
        self.images[ref.full] = record

    # containers ---------------------------------------------------------------------------
    def create(self, pod, spec, image, ref, kind="container") -> Container:
        c = Container(self.new_id(), pod, spec, image, ref, kind)
        self.containers[c.id] = c
        return c

    def start(self, c: Container, argv, env, files, memory_limit, on_exit) -> None:
        c.started_at = self.loop.now
        c.finished_at = None
        c.exit_code = None
        c.reason = None
        c.memory = 0
        c.on_exit = on_exit
        proc = Process(self, c, argv, env, files, memory_limit)
        c.process = proc
        prog_cls = _images.PROGRAMS.get(c.image.program) or _images.PROGRAMS["shell"]
        c.program = prog_cls()
        c.program.start(proc)

    def stop(self, c: Container, grace: float = 30) -> None:
        """SIGTERM, then SIGKILL after the grace period."""
        proc = c.process
        if proc is None or not proc.alive:
            return
        handler = getattr(c.program, "terminate", None)
        if handler is not None:
            handler(proc)
        if not proc.alive:
            return
        if grace <= 0:
            proc.exit(137, "Error")
        elif getattr(c.program, "IGNORES_SIGTERM", False):
            # PID 1 of its own namespace without a SIGTERM handler (sleep, sh, perl): the signal
            # does nothing, and the runtime sends SIGKILL when the grace period is over
            self.loop.call_later(grace, self._kill_after_grace, proc, background=True)
        else:
            proc.exit(0, "Completed")

    @staticmethod
    def _kill_after_grace(proc) -> None:
        if proc.alive:
            proc.exit(137, "Error")

    def container_exited(self, c: Container, code: int, reason: str | None) -> None:
        c.exit_code = code
        c.finished_at = self.loop.now
        c.reason = reason or ("Completed" if code == 0 else "Error")
        if c.on_exit is not None:
            self.loop.call_soon(c.on_exit, c)

    def remove(self, c: Container) -> None:
        self.containers.pop(c.id, None)

    def exec(self, c: Container, argv: list[str], stdin: str = ""):
        """Run a command inside a running container: (stdout, stderr, exit code)."""
        proc = c.process
        if proc is None or not proc.alive:
            return "", "error: unable to upgrade connection: container not found (\"%s\")\n" % c.name, 1
        handler = getattr(c.program, "exec", None)
        if handler is None:
            return "", f'OCI runtime exec failed: exec failed: unable to start container process: exec: "{argv[0]}": executable file not found in $PATH: unknown\n', 126
        return handler(proc, argv, stdin)
