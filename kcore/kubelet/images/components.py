"""Images that *are* cluster components: the control plane and the add-ons.

Starting one of these containers asks the node's component host (wired in by the cluster)
to start the real component, configured from the container's command-line flags — so
editing `--authorization-mode` or breaking `--kubeconfig` in a static pod manifest changes (or
crashes) the component, as on a real node. A component that cannot start logs the reason
and exits 1; the kubelet then restarts it with CrashLoopBackOff."""
from __future__ import annotations

from kcore.kubelet.images import program


@program("component")
class Component:
    SHELL_TOOLS = {"cp", "sh", "bash", "ash", "mkdir", "cat", "echo", "sleep", "ls", "mv",
                   "true", "env"}

    def start(self, proc):
        if proc.argv and proc.argv[0].rsplit("/", 1)[-1] in self.SHELL_TOOLS:
            from kcore.kubelet.images.shell import Shell
            self.handle = None
            Shell().start(proc)
            return
        host = getattr(proc.runtime, "host", None)
        kind = proc.container.image.repository.rsplit("/", 1)[-1]
        self.handle = None
        if host is None:
            proc.log(f"{kind}: no component host on this node", "stderr")
            return
        try:
            self.handle = host.start(kind, proc.argv, proc)
        except ComponentError as exc:
            for line in str(exc).splitlines():
                proc.log(line, "stderr")
            proc.exit(1)

    def terminate(self, proc):
        if self.handle is not None:
            self.handle.stop()
            self.handle = None

    def http(self, proc, method, path, client_ip="127.0.0.1"):
        if self.handle is not None and getattr(self.handle, "healthy", lambda: True)():
            return 200, "ok"
        return 500, "unhealthy"

    def exec(self, proc, argv, stdin=""):
        from kcore.kubelet.images.shell import Shell
        return Shell().exec(proc, argv, stdin)


class ComponentError(Exception):
    """Raised by a component host when the flags do not let the component start."""
