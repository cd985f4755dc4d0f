"""kubectl: the learner's hands on the cluster.

`run(cluster, argv, stdin)` parses the command line the way kubectl does, finds the verb's
module (one module per verb, looked up in COMMANDS), and returns what a terminal would
show: stdout, stderr and the exit code. Errors never escape as Python exceptions: API errors
print as `Error from server (Reason): …`, command-line mistakes as `error: …`, exit code 1.
"""
from __future__ import annotations

import importlib
import shlex
import traceback
from dataclasses import dataclass

from kcore.cli.kubectl.flags import FlagError, parse, split_command
from kcore.cluster import AccessError

COMMANDS = {
    "get": "get", "describe": "describe", "create": "create", "apply": "apply",
    "delete": "delete", "run": "run_", "expose": "expose", "replace": "replace",
    "patch": "patch", "label": "label", "annotate": "annotate", "set": "set_",
    "scale": "scale", "rollout": "rollout", "taint": "taint", "cordon": "cordon",
    "uncordon": "cordon", "drain": "cordon", "logs": "logs", "exec": "exec_", "top": "top",
    "auth": "auth", "config": "config", "api-resources": "api_resources",
    "api-versions": "api_resources", "explain": "explain", "version": "version",
    "cluster-info": "cluster_info", "certificate": "certificate", "autoscale": "autoscale",
    "edit": "edit", "wait": "wait", "events": "events",
}


@dataclass
class Result:
    stdout: str
    stderr: str
    returncode: int

    def __str__(self) -> str:  # what a terminal shows
        return self.stdout + self.stderr


class KubectlError(Exception):
    """A client-side error: printed as `error: <message>`."""

    def __init__(self, message: str, *, prefix: str = "error: ", usage: str | None = None):
        super().__init__(message)
        self.message = message
        self.prefix = prefix
        self.usage = usage


class Context:
    """What a verb needs: the cluster, who we are, where we are, and the terminal."""

    def __init__(self, cluster, verb: str, stdin: str, global_argv: list[str]):
        self.cluster = cluster
        self.verb = verb
        self.stdin = stdin or ""
        self._out: list[str] = []
        self._err: list[str] = []
        self.global_argv = global_argv
        self.parsed = None
        self._client = None
        self._namespace = None

    # terminal
    def out(self, text: str = "", end: str = "\n") -> None:
        self._out.append(text + end)

    def err(self, text: str = "", end: str = "\n") -> None:
        self._err.append(text + end)

    def warn(self, text: str) -> None:
        self._err.append(f"Warning: {text}\n")

    # identity and place
    @property
    def kubeconfig(self):
        return self.cluster.kubeconfig_for(self.parsed.get("kubeconfig"),
                                           self.parsed.get("context"))

    @property
    def client(self):
        if self._client is None:
            self._client = self.cluster.client_for(self.kubeconfig, as_user=self.parsed.get("as"),
                                                   as_groups=self.parsed.get("as-group") or [],
                                                   token=self.parsed.get("token"))
        return self._client

    @property
    def namespace(self) -> str:
        if self._namespace is None:
            ns = self.parsed.get("namespace")
            if not ns:
                ns = self.kubeconfig.namespace or "default"
            self._namespace = ns
        return self._namespace

    @property
    def explicit_namespace(self) -> bool:
        return self.parsed.was_set("namespace")

    def now(self) -> float:
        return self.cluster.loop.wall()

    def settle(self) -> None:
        self.cluster.settle_after_command()


def _module(verb: str):
    return importlib.import_module(f"kcore.cli.kubectl.{COMMANDS[verb]}")


def run(cluster, argv, stdin: str = "") -> Result:
    if isinstance(argv, str):
        try:
            argv = shlex.split(argv)
        except ValueError as exc:
            return Result("", f"error: {exc}\n", 1)
    argv = list(argv)
    if argv and argv[0] == "kubectl":
        argv = argv[1:]
    before, verb, rest = split_command(argv)
    if verb is None:
        return Result(_root_help(), "", 0)
    if verb not in COMMANDS:
        return Result("", f'error: unknown command "{verb}" for "kubectl"\n', 1)
    ctx = Context(cluster, verb, stdin, before)
    try:
        mod = _module(verb)
    except ModuleNotFoundError:
        return Result("", f"error: kcore does not implement `kubectl {verb}` yet\n", 1)
    code = 0
    try:
        if getattr(mod, "RAW_ARGS", False):  # the verb parses its own flags (config)
            ctx.parsed = parse(before, [])
            code = mod.run(ctx, rest) or 0
        else:
            flags = getattr(mod, "flags_for", None)
            specs = flags(verb, rest) if flags else getattr(mod, "FLAGS", [])
            ctx.parsed = parse(before + rest, specs)
            code = mod.run(ctx, ctx.parsed) or 0
    except FlagError as exc:
        ctx.err(f"error: {exc}\nSee 'kubectl {_usage_name(verb, ctx)} --help' for usage.")
        code = 1
    except KubectlError as exc:
        if getattr(exc, "stdout", ""):
            ctx.out(exc.stdout, end="")
        ctx.err(f"{exc.prefix}{exc.message}")
        if exc.usage:
            ctx.err(exc.usage)
        code = 1
    except AccessError as exc:
        ctx.err(f"{exc.prefix}{exc.message}")
        code = 1
    except Exception as exc:  # an ApiError, or a bug: never a traceback in the terminal
        from kcore.apiserver import ApiError
        if isinstance(exc, ApiError):
            ctx.err(format_api_error(exc))
        else:
            cluster.last_traceback = traceback.format_exc()
            ctx.err(f"error: internal error in kcore ({type(exc).__name__}: {exc}); "
                    "this is a simulator bug, please report it")
        code = 1
    return Result("".join(ctx._out), "".join(ctx._err), code)


def _usage_name(verb, ctx):
    if ctx.parsed is not None and ctx.parsed.args:
        return f"{verb} {ctx.parsed.args[0]}" if verb in ("create", "rollout", "set", "config", "auth") else verb
    return verb


def format_api_error(exc, action: str = "", source: str = "") -> str:
    """kubectl's rendering of a server Status (reference §2.2)."""
    reason = exc.reason or "InternalError"
    msg = exc.message
    if reason == "Invalid":
        return reformat_invalid(exc)
    where = f'error when {action} "{source}": ' if action and source else ""
    return f"Error from server ({reason}): {where}{msg}"


def reformat_invalid(exc) -> str:
    """`The Pod "x" is invalid: <one cause>` or a bulleted list of causes."""
    details = exc.status.get("details") or {}
    kind = details.get("kind", "")
    name = details.get("name", "")
    causes = details.get("causes") or []
    texts = []
    for c in causes:
        f = c.get("field", "")
        texts.append(f"{f}: {c.get('message', '')}" if f else c.get("message", ""))
    if not texts:
        return f"Error from server (Invalid): {exc.message}"
    if len(texts) == 1:
        return f'The {kind} "{name}" is invalid: {texts[0]}'
    return f'The {kind} "{name}" is invalid: \n' + "\n".join(f"* {t}" for t in texts)


def _root_help() -> str:
    return ("kubectl controls the Kubernetes cluster manager.\n\n"
            " Find more information at: https://kubernetes.io/docs/reference/kubectl/\n")
