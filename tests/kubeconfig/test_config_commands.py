"""config_command() on a kubeadm-style admin.conf, checked against the transcripts quoted in
the fidelity reference (§4.8) — these run even where the real kubectl cannot be had."""
from __future__ import annotations

import os

import pytest

from kcore.cli.kubectl.kubeconfig import config_command

ADMIN_CONF = """apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Y2EK
    server: https://192.168.1.10:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    namespace: dev
    user: jane
  name: jane@kubernetes
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
users:
- name: jane
  user:
    token: abc
- name: kubernetes-admin
  user:
    client-certificate-data: Y2VydAo=
    client-key-data: a2V5Cg==
"""


@pytest.fixture
def conf(tmp_path):
    (tmp_path / "config").write_text(ADMIN_CONF)
    return str(tmp_path)


def run(cwd, line):
    return config_command(line.split(), "config", cwd=cwd)


@pytest.mark.parametrize("line, stdout", [
    pytest.param("get-contexts",
                 "CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE\n"
                 "          jane@kubernetes               kubernetes   jane               dev\n"
                 "*         kubernetes-admin@kubernetes   kubernetes   kubernetes-admin   \n",
                 id="get-contexts marks the current context with a star"),
    pytest.param("current-context", "kubernetes-admin@kubernetes\n", id="current-context prints the name"),
    pytest.param("use-context jane@kubernetes", 'Switched to context "jane@kubernetes".\n',
                 id="use-context confirms the switch"),
    pytest.param("set-context dev-ctx --cluster=kubernetes --user=jane --namespace=dev",
                 'Context "dev-ctx" created.\n', id="a new context is created"),
    pytest.param("set-context --current --namespace=prod",
                 'Context "kubernetes-admin@kubernetes" modified.\n', id="--current modifies the current one"),
    pytest.param("set-cluster other --server=https://10.0.0.1:6443", 'Cluster "other" set.\n',
                 id="set-cluster confirms"),
    pytest.param("set-credentials bob --token=abc", 'User "bob" set.\n', id="set-credentials confirms"),
    pytest.param("unset users.jane", 'Property "users.jane" unset.\n', id="unset confirms"),
    pytest.param("get-clusters", "NAME\nkubernetes\n", id="get-clusters lists names"),
    pytest.param("get-contexts -o name", "jane@kubernetes\nkubernetes-admin@kubernetes\n",
                 id="get-contexts -o name prints bare names"),
])
def test_transcripts(conf, line, stdout):
    assert run(conf, line) == (stdout, "", 0)


def test_view_redacts_data_and_tokens(conf):
    out, err, code = run(conf, "view")
    assert "certificate-authority-data: DATA+OMITTED" in out
    assert "client-key-data: DATA+OMITTED" in out
    assert "token: REDACTED" in out
    assert "preferences" not in out


def test_view_raw_shows_data(conf):
    assert "client-key-data: a2V5Cg==" in run(conf, "view --raw")[0]


def test_minify_keeps_only_the_current_context(conf):
    out = run(conf, "view --minify")[0]
    assert "jane" not in out and "kubernetes-admin@kubernetes" in out


def test_rewriting_an_unchanged_file_keeps_its_bytes(conf):
    run(conf, "use-context kubernetes-admin@kubernetes")
    assert open(os.path.join(conf, "config")).read() == ADMIN_CONF


def test_deleting_the_current_context_warns(conf):
    out, err, code = run(conf, "delete-context kubernetes-admin@kubernetes")
    assert out == "deleted context kubernetes-admin@kubernetes from config\n"
    assert err.startswith("warning: this removed your active context")


@pytest.mark.parametrize("line, error", [
    pytest.param("use-context nope", 'error: no context exists with the name: "nope"\n',
                 id="an unknown context cannot be used"),
    pytest.param("set-context", "error: you must specify a non-empty context name or --current\n",
                 id="set-context needs a name"),
    pytest.param("delete-cluster nope", "error: cannot delete cluster nope, not in config\n",
                 id="an unknown cluster cannot be deleted"),
])
def test_refusals(conf, line, error):
    assert run(conf, line) == ("", error, 1)


def test_empty_kubeconfig(tmp_path):
    cwd = str(tmp_path)
    assert run(cwd, "current-context") == ("", "error: current-context is not set\n", 1)
    assert run(cwd, "get-contexts")[0] == "CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n"
    assert run(cwd, "view")[0] == ("apiVersion: v1\nclusters: null\ncontexts: null\ncurrent-context: \"\"\n"
                                   "kind: Config\nusers: null\n")
