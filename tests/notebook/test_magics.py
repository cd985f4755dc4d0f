"""The magics print what a terminal shows and never a traceback; they act on the current cluster."""
from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

import kcore.notebook as nb
from kcore.notebook import magics, session
from tests.notebook.fakes import FakeCluster, Result


@pytest.fixture
def shell():
    ip = InteractiveShell.instance()
    nb.load_ipython_extension(ip)
    return ip


@pytest.fixture
def cluster():
    fake = FakeCluster()
    nb.use(fake)
    yield fake
    session._current = None


@pytest.mark.parametrize("line, argv", [
    pytest.param("get pods -A -o wide", ["get", "pods", "-A", "-o", "wide"], id="words are split like a shell splits them"),
    pytest.param("get pods -o jsonpath='{.items[*].metadata.name}'",
                 ["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"],
                 id="a quoted JSONPath template reaches kubectl whole and unexpanded"),
    pytest.param('get pods -o jsonpath="{range .items[*]}{.metadata.name}{\\"\\n\\"}{end}"',
                 ["get", "pods", "-o", 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}'],
                 id="braces are left alone: there is no Python variable expansion"),
    pytest.param("kubectl get nodes", ["get", "nodes"], id="a leading kubectl is forgiven"),
])
def test_line_magic_passes_argv(shell, cluster, line, argv):
    shell.run_line_magic("kubectl", line)
    assert cluster.calls[-1] == ("kubectl", argv, "")


def test_cell_magic_sends_the_cell_as_stdin(shell, cluster):
    manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web"
    shell.run_cell_magic("kubectl", "apply -f -", manifest)
    assert cluster.calls[-1] == ("kubectl", ["apply", "-f", "-"], manifest + "\n")


@pytest.mark.parametrize("reply, out, err", [
    pytest.param(Result("pod/web created\n"), "pod/web created\n", "", id="stdout is printed exactly"),
    pytest.param(Result("", 'Error from server (NotFound): pods "web" not found\n', 1),
                 "", 'Error from server (NotFound): pods "web" not found\n', id="errors go to stderr as kubectl prints them"),
    pytest.param(Result("a\n", "Warning: x\n", 0), "a\n", "Warning: x\n", id="stdout and stderr both appear"),
    pytest.param(RuntimeError("boom"), "", "error: boom\n", id="an engine exception becomes one error line, no traceback"),
])
def test_output_is_what_a_terminal_shows(shell, cluster, capsys, reply, out, err):
    cluster.replies["get pod web"] = reply
    shell.run_line_magic("kubectl", "get pod web")
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (out, err)


def test_a_pipeline_feeds_kubectl_output_to_the_node_shell(shell, cluster, capsys):
    cluster.replies["get pods -o wide"] = Result("web node01\n", "Warning: w\n", 0)
    shell.run_line_magic("kubectl", "get pods -o wide | grep -i 'node01' | wc -l")
    assert cluster.calls[-1] == ("ssh", "controlplane", "grep -i node01 | wc -l", "web node01\n")
    assert capsys.readouterr() == ("controlplane$ grep -i node01 | wc -l\n", "Warning: w\n")


@pytest.mark.parametrize("line, ssh_command", [
    pytest.param("run web --image=nginx --dry-run=client -o yaml > web.yaml", "cat > web.yaml",
                 id="a redirection writes kubectl's output to a file on the control plane"),
    pytest.param("get pods -o name >> 'my pods.txt'", "cat >> 'my pods.txt'", id="appending, with a quoted name"),
    pytest.param("get pods | grep web > out.txt", "grep web | cat > out.txt", id="a pipeline ending in a file"),
])
def test_redirections(shell, cluster, capsys, line, ssh_command):
    shell.run_line_magic("kubectl", line)
    assert cluster.calls[-1][:3] == ("ssh", "controlplane", ssh_command)
    assert cluster.calls[-1][3].startswith("ran: ")


def test_a_quoted_greater_than_is_an_argument(shell, cluster):
    shell.run_line_magic("kubectl", "get pods -o jsonpath='{.a}>{.b}'")
    assert cluster.calls[-1] == ("kubectl", ["get", "pods", "-o", "jsonpath={.a}>{.b}"], "")


@pytest.mark.parametrize("line, message", [
    pytest.param("get pods |", "bash: syntax error near unexpected token `|'", id="a dangling pipe"),
    pytest.param("get pods >", "bash: syntax error near unexpected token `newline'", id="a redirection without a file"),
    pytest.param("get pods > a > b", "bash: '>' is not supported here", id="two redirections"),
    pytest.param("get pods || true", "bash: '||' is not supported here", id="shell logic is not a pipeline"),
])
def test_bad_pipelines_are_refused_like_bash(shell, cluster, capsys, line, message):
    shell.run_line_magic("kubectl", line)
    assert capsys.readouterr().err.startswith(message)
    assert cluster.calls == []


def test_unbalanced_quote_reads_like_bash(shell, cluster, capsys):
    shell.run_line_magic("kubectl", "get pods -o jsonpath='{.items")
    assert capsys.readouterr().err == "bash: unexpected EOF while looking for matching `''\n"
    assert cluster.calls == []


@pytest.mark.parametrize("magic, line, cell, call", [
    pytest.param("ssh", "node01 ls /etc/kubernetes/manifests", None,
                 ("ssh", "node01", "ls /etc/kubernetes/manifests", ""), id="ssh runs the rest of the line on the node"),
    pytest.param("ssh", "node01 cat > /tmp/x", "hello", ("ssh", "node01", "cat > /tmp/x", "hello\n"),
                 id="the ssh cell magic feeds the cell to the command"),
    pytest.param("etcdctl", "get /registry --prefix --keys-only", None,
                 ("ssh", "controlplane", "etcdctl get /registry --prefix --keys-only", ""),
                 id="etcdctl runs on the control plane node"),
    pytest.param("kubeadm", "upgrade plan", None, ("ssh", "controlplane", "kubeadm upgrade plan", ""),
                 id="kubeadm runs on the control plane node"),
    pytest.param("advance", "1h30m", None, ("advance", 5400.0), id="advance moves virtual time"),
    pytest.param("k", "get nodes", None, ("kubectl", ["get", "nodes"], ""), id="k is kubectl"),
])
def test_other_magics(shell, cluster, magic, line, cell, call):
    if cell is None:
        shell.run_line_magic(magic, line)
    else:
        shell.run_cell_magic(magic, line, cell)
    assert cluster.calls[-1] == call


@pytest.mark.parametrize("text, seconds", [
    pytest.param("90", 90, id="a bare number is seconds"),
    pytest.param("5m", 300, id="minutes"),
    pytest.param("1h30m", 5400, id="hours and minutes together"),
    pytest.param("2.5m", 150, id="fractions"),
])
def test_parse_duration(text, seconds):
    assert magics.parse_duration(text) == seconds


@pytest.mark.parametrize("text", [pytest.param("", id="empty"), pytest.param("5 minutes", id="words"),
                                  pytest.param("-3s", id="negative")])
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError):
        magics.parse_duration(text)


def test_bad_duration_is_one_error_line(shell, cluster, capsys):
    shell.run_line_magic("advance", "soon")
    assert capsys.readouterr().err.startswith('error: invalid duration "soon"')


def test_python_helper_prints_and_returns_the_result(cluster, capsys):
    result = nb.kubectl("get pod web -o name")
    assert capsys.readouterr().out == "ran: get pod web -o name\n"
    assert (result.stdout, result.returncode) == ("ran: get pod web -o name\n", 0)


def test_use_and_current(cluster):
    assert nb.current() is cluster
    other = FakeCluster()
    assert nb.use(other) is other and nb.current() is other


def test_current_without_a_cluster_raises_when_asked_not_to_create():
    session._current = None
    with pytest.raises(nb.NoCluster):
        nb.current(create=False)


def test_without_any_cluster_the_magic_says_so_in_one_line(shell, capsys, monkeypatch):
    def broken(create=True):
        raise ImportError("cannot import name 'Cluster' from 'kcore'")

    monkeypatch.setattr(session, "current", broken)
    shell.run_line_magic("kubectl", "get pods")
    assert capsys.readouterr().err == "error: no cluster to talk to: cannot import name 'Cluster' from 'kcore'\n"
