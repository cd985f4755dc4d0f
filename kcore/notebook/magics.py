"""IPython magics that make a notebook cell behave like the exam's terminal.

    %kubectl get pods -A -o wide          (also %k, the alias everyone sets up on the exam)
    %%kubectl apply -f -                  the cell body is stdin, like a heredoc
    %kubectl get pods | grep web          pipelines and a final > file run on the control plane
    %ssh node01 systemctl status kubelet  a command in a node's shell
    %%ssh node01 cat > /etc/kubernetes/manifests/web.yaml
    %etcdctl ... / %kubeadm ...           run on the control plane node
    %advance 5m                           move virtual time

Every command goes through the public Cluster contract — `cluster.kubectl(args, stdin=...)`
and `cluster.ssh(node, command, stdin=...)` — and what comes back is printed exactly as a
terminal would show it: stdout, then stderr. Nothing a learner types can produce a Python
traceback: quoting mistakes read like bash's, engine failures like a one-line error.

Lines are not passed through IPython's `{var}`/`$var` expansion: braces belong to JSONPath.
Python code calls `kubectl("get pod " + name)` instead, which prints the same way and
returns the result."""
from __future__ import annotations

import re
import shlex
import sys
from typing import Any

from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class, no_var_expand

from kcore.notebook import session

CONTROL_PLANE_NODE = "controlplane"


class CommandResult:
    """A finished command: `.stdout`, `.stderr`, `.returncode`, like the engine's result.

    Already printed when it is returned, so it displays as nothing when it is a cell's value."""

    __slots__ = ("stdout", "stderr", "returncode")

    def __init__(self, stdout: str = "", stderr: str = "", returncode: int = 0):
        self.stdout, self.stderr, self.returncode = stdout, stderr, returncode

    @classmethod
    def of(cls, result: Any) -> "CommandResult":
        if isinstance(result, cls):
            return result
        return cls(getattr(result, "stdout", "") or "", getattr(result, "stderr", "") or "",
                   int(getattr(result, "returncode", 0) or 0))

    def __repr__(self) -> str:
        return f"CommandResult(returncode={self.returncode}, stdout={self.stdout!r}, stderr={self.stderr!r})"

    def _ipython_display_(self) -> None:
        """Shown already (stdout, stderr); nothing more to display."""


def _failed(stderr: str, returncode: int = 1) -> CommandResult:
    return CommandResult("", stderr, returncode)


def show(result: Any) -> CommandResult:
    """Print a command result the way a terminal shows it (stdout then stderr) and return it."""
    result = CommandResult.of(result)
    out, err = result.stdout, result.stderr
    if out:
        sys.stdout.write(out)
        sys.stdout.flush()
    if err:
        sys.stderr.write(err)
        sys.stderr.flush()
    return result


def split_line(line: str) -> list[str]:
    """Split a command line as bash would; raise ValueError with bash's wording on bad quotes."""
    try:
        return shlex.split(line, comments=False, posix=True)
    except ValueError:
        quote = "'" if line.count("'") % 2 else '"'
        raise ValueError(f"bash: unexpected EOF while looking for matching `{quote}'") from None


def split_pipeline(line: str) -> tuple[list[list[str]], tuple[str, str] | None]:
    """`get pods -o wide | grep node01 > out.txt` ->
    ([["get", "pods", "-o", "wide"], ["grep", "node01"]], (">", "out.txt")).
    A | or > inside quotes stays in its word, as in bash; a redirection must come last."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars="|>")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        tokens = list(lexer)
    except ValueError:
        split_line(line)  # raises with bash's wording
        raise
    redirect = None
    if tokens and tokens[-1] in (">", ">>"):
        raise ValueError("bash: syntax error near unexpected token `newline'")
    if len(tokens) >= 2 and tokens[-2] in (">", ">>"):
        redirect = (tokens[-2], tokens[-1])
        tokens = tokens[:-2]
    stages: list[list[str]] = [[]]
    for token in tokens:
        if token == "|":
            stages.append([])
        elif set(token) <= {"|", ">"}:
            raise ValueError(f"bash: '{token}' is not supported here; use one command, a simple | pipeline"
                             " and at most one > or >> at the end")
        else:
            stages[-1].append(token)
    if any(not stage for stage in stages):
        raise ValueError("bash: syntax error near unexpected token `|'")
    return stages, redirect


def _target(cluster: Any) -> Any:
    """The cluster to act on; a CommandResult carrying the error when none can be had."""
    try:
        return session.resolve(cluster)
    except Exception as exc:
        return _failed(f"error: no cluster to talk to: {exc or type(exc).__name__}\n")


def _guard(call, *args, **kwargs) -> CommandResult:
    """Run an engine call; turn any exception into a kubectl-looking error result."""
    try:
        return CommandResult.of(call(*args, **kwargs))
    except Exception as exc:  # the engine must never show a learner a traceback
        detail = str(exc) or type(exc).__name__
        return _failed(f"error: {detail}\n")


def _stdin(cell: str | None) -> str:
    if cell is None:
        return ""
    return cell if cell.endswith("\n") or not cell else cell + "\n"


def kubectl(args: str | list[str], stdin: str = "", cluster: Any = None, quiet: bool = False) -> CommandResult:
    """Run kubectl on the (current) cluster, print what a terminal would, return the result.

    A string may go on like a terminal line: a pipeline (`get pods | grep web | wc -l`) and a
    final redirection (`run web --image=nginx --dry-run=client -o yaml > web.yaml`). Both run
    in the control plane node's shell — where a learner's exam terminal is — fed kubectl's
    stdout; a redirected file lands in that node's /root."""
    stages, redirect = [list(args)], None
    if isinstance(args, str):
        try:
            stages, redirect = split_pipeline(args)
        except ValueError as exc:
            result = _failed(f"{exc}\n", 2)
            return result if quiet else show(result)
    argv = stages[0]
    if argv and argv[0] == "kubectl":
        argv = argv[1:]
    target = _target(cluster)
    if isinstance(target, CommandResult):
        return target if quiet else show(target)
    result = _guard(target.kubectl, argv, stdin=stdin)
    node = getattr(target, "control_plane_node", None) or CONTROL_PLANE_NODE
    rest = " | ".join(shlex.join(stage) for stage in stages[1:])
    if redirect:
        rest = f"{rest + ' | ' if rest else ''}cat {redirect[0]} {shlex.quote(redirect[1])}"
    if rest:
        tail = _guard(target.ssh, node, rest, stdin=result.stdout)
        # a pipeline's status is its last command's; a plain redirection keeps kubectl's
        status = tail.returncode if stages[1:] else (tail.returncode or result.returncode)
        result = CommandResult(tail.stdout, result.stderr + tail.stderr, status)
    session.changed()
    return result if quiet else show(result)


def ssh(node: str, command: str, stdin: str = "", cluster: Any = None, quiet: bool = False) -> CommandResult:
    """Run a command in a node's shell on the (current) cluster and print it like a terminal."""
    target = _target(cluster)
    if isinstance(target, CommandResult):
        return target if quiet else show(target)
    result = _guard(target.ssh, node, command, stdin=stdin)
    session.changed()
    return result if quiet else show(result)


def node_tool(tool: str, args: str, stdin: str = "", cluster: Any = None) -> CommandResult:
    """Run a control-plane tool (etcdctl, kubeadm, ...): the cluster's own method if it has
    one, otherwise the tool in the control plane node's shell, as on the exam."""
    target = _target(cluster)
    if isinstance(target, CommandResult):
        return show(target)
    method = getattr(target, tool, None)
    if callable(method):
        try:
            argv = split_line(args)
        except ValueError as exc:
            return show(_failed(f"{exc}\n", 2))
        result = _guard(method, argv, stdin=stdin)
        session.changed()
        return show(result)
    node = getattr(target, "control_plane_node", None) or CONTROL_PLANE_NODE
    return ssh(node, f"{tool} {args}".strip(), stdin=stdin, cluster=target)


_DURATION = re.compile(r"(\d+(?:\.\d+)?)([hms]?)")
_UNIT = {"h": 3600, "m": 60, "s": 1, "": 1}


def parse_duration(text: str) -> float:
    """'90' / '30s' / '5m' / '1h30m' / '2.5m' -> seconds; ValueError for anything else."""
    text = text.strip()
    pos, total = 0, 0.0
    if not text:
        raise ValueError("a duration is required, e.g. 30s, 5m or 1h30m")
    while pos < len(text):
        m = _DURATION.match(text, pos)
        if not m:
            raise ValueError(f'invalid duration "{text}": use forms like 90, 30s, 5m, 1h30m')
        total += float(m.group(1)) * _UNIT[m.group(2)]
        pos = m.end()
    return total


def advance(duration: str | float, cluster: Any = None) -> None:
    """Move the (current) cluster's virtual clock forward."""
    seconds = parse_duration(duration) if isinstance(duration, str) else float(duration)
    target = _target(cluster)
    if isinstance(target, CommandResult):
        show(target)
        return
    try:
        target.advance(seconds)
    except Exception as exc:  # never a traceback for a learner
        show(_failed(f"error: {exc or type(exc).__name__}\n"))
    session.changed()


@magics_class
class KcoreMagics(Magics):
    """%kubectl, %%kubectl, %k, %ssh, %%ssh, %etcdctl, %kubeadm, %advance."""

    @no_var_expand
    @line_cell_magic
    def kubectl(self, line: str, cell: str | None = None) -> None:
        kubectl(line, stdin=_stdin(cell))

    @no_var_expand
    @line_cell_magic
    def k(self, line: str, cell: str | None = None) -> None:
        kubectl(line, stdin=_stdin(cell))

    @no_var_expand
    @line_cell_magic
    def ssh(self, line: str, cell: str | None = None) -> None:
        node, _, command = line.strip().partition(" ")
        if not node:
            show(_failed("usage: %ssh NODE COMMAND   (for example: %ssh node01 ls /etc/kubernetes)\n", 2))
            return
        ssh(node, command.strip(), stdin=_stdin(cell))

    @no_var_expand
    @line_cell_magic
    def etcdctl(self, line: str, cell: str | None = None) -> None:
        node_tool("etcdctl", line.strip(), stdin=_stdin(cell))

    @no_var_expand
    @line_cell_magic
    def kubeadm(self, line: str, cell: str | None = None) -> None:
        node_tool("kubeadm", line.strip(), stdin=_stdin(cell))

    @no_var_expand
    @line_magic
    def advance(self, line: str) -> None:
        try:
            seconds = parse_duration(line)
        except ValueError as exc:
            show(_failed(f"error: {exc}\n", 2))
            return
        advance(seconds)


def load(ipython: Any) -> None:
    """Register the magics and the after-cell redraw of live views."""
    ipython.register_magics(KcoreMagics)
    try:
        ipython.events.unregister("post_run_cell", _after_cell)
    except ValueError:
        pass
    ipython.events.register("post_run_cell", _after_cell)


def _after_cell(*_args: Any) -> None:
    session.changed()
