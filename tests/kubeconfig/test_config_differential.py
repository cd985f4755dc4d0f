"""`kubectl config ...` sessions run twice from identical files: once by the real kubectl,
once by config_command(). After every step stdout, stderr, exit code and the file's bytes
must be the same."""
from __future__ import annotations

import os
import shlex
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from kcore.cli.kubectl.kubeconfig import config_command
from tests.conftest import run_real_kubectl

ADMIN_CONF = """apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
    server: https://192.168.1.10:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
- context:
    cluster: kubernetes
    namespace: dev
    user: jane
  name: jane@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
preferences: {}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
    client-key-data: a2V5Cg==
- name: jane
  user:
    token: abc.def
"""

EXEC_CONF = """apiVersion: v1
kind: Config
preferences:
  colors: true
clusters:
- name: c1
  cluster:
    server: https://a
    certificate-authority: pki/ca.crt
    extensions:
    - name: z.example.com/x
      extension:
        foo: bar
    - name: a.example.com/y
      extension: {}
    unknown-field: 1
contexts:
- name: x
  context:
    cluster: c1
    user: u1
users:
- name: u1
  user:
    client-certificate: pki/c.crt
    client-key: pki/c.key
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token]
current-context: x
"""

SESSIONS = {
    "a hand-written file with exec credentials and extensions is normalised like client-go does": (EXEC_CONF, [
        "view", "view --flatten", "view --flatten --minify", "view -o jsonpath={.users[0].user.exec.command}",
        "view -o jsonpath={.nope}", "set-context x --namespace=y", "view -o json",
    ]),
    "the kubeadm admin.conf is viewed, listed and switched": (ADMIN_CONF, [
        "view", "view --raw", "view --minify", "view --minify --raw", "view -o json",
        "view -o jsonpath={.contexts[*].name}", "get-contexts", "get-contexts -o name",
        "get-contexts --no-headers", "get-contexts jane@kubernetes", "get-contexts nope",
        "current-context", "get-clusters", "get-users", "use-context jane@kubernetes",
        "current-context", "use-context nope", "view --minify", "use kubernetes-admin@kubernetes",
    ]),
    "contexts are created, modified, renamed and deleted": (ADMIN_CONF, [
        "set-context --current --namespace=prod", "set-context dev-ctx --cluster=kubernetes --user=jane --namespace=dev",
        "set-context dev-ctx --namespace=n", "set-context dev-ctx -n short", "set-context", "set-context dev-ctx --current",
        "rename-context dev-ctx dev2", "rename-context nope x", "rename-context dev2 jane@kubernetes",
        "delete-context dev2", "delete-context nope", "get-contexts",
        "delete-context kubernetes-admin@kubernetes", "current-context", "set-context --current --namespace=x",
        "view --minify",
    ]),
    "clusters and users are set and deleted": (ADMIN_CONF, [
        "set-cluster other --server=https://10.0.0.1:6443", "set-cluster other --insecure-skip-tls-verify=true",
        "set-cluster other --certificate-authority=pki/ca.crt", "set-cluster emb --server=https://x --certificate-authority=pki/ca.crt --embed-certs",
        "set-cluster other --embed-certs", "set-cluster other --certificate-authority=/nonexist --embed-certs",
        "set-cluster far --certificate-authority=/etc/hostname", "set-cluster tls --tls-server-name=foo",
        "set-credentials bob --token=abc", "set-credentials bob --username=b --password=p",
        "set-credentials carol --client-certificate=pki/c.crt --client-key=pki/c.key",
        "set-credentials dave --client-certificate=pki/c.crt --client-key=pki/c.key --embed-certs",
        "set-credentials erin --as=admin --as-group=g1 --as-group=g2", "set-credentials erin --embed-certs",
        "set-credentials erin --client-certificate=/nonexist --embed-certs",
        "view", "get-clusters", "get-users", "delete-cluster tls", "delete-cluster nope",
        "delete-user erin", "delete-user nope",
    ]),
    "properties are set and unset by path": (ADMIN_CONF, [
        "unset users.jane", "unset contexts.jane@kubernetes.namespace", "unset contexts.nope.namespace",
        "set contexts.new.namespace q", "set clusters.kubernetes.server https://9.9.9.9",
        "set users.kubernetes-admin.client-key-data aGVsbG8=",
        "set users.kubernetes-admin.client-key-data hello --set-raw-bytes",
        "set clusters.kubernetes.insecure-skip-tls-verify yes",
        "set clusters.kubernetes.insecure-skip-tls-verify true", "unset clusters.kubernetes.server",
        "unset users.zz", "unset nope.x", "set current-context new", "unset current-context",
        "current-context", "view",
    ]),
    "exec plugins and auth providers are configured by set-credentials": (ADMIN_CONF, [
        "set-credentials x --exec-command=aws --exec-api-version=client.authentication.k8s.io/v1beta1 "
        "--exec-arg=eks --exec-arg=get-token --exec-env=A=1",
        "set-credentials x --exec-env=B=2", "set-credentials x --exec-env=A- --exec-interactive-mode=Never "
        "--exec-provide-cluster-info=true", "set-credentials x --exec-command=gcloud",
        "set-credentials y --auth-provider=oidc --auth-provider-arg=client-id=foo",
        "set-credentials y --auth-provider-arg=client-secret=bar", "set-credentials y --auth-provider-arg=client-id-",
        "set-credentials y --auth-provider-arg=client-secret-", "set-credentials z --exec-arg=a",
        "set-credentials y --auth-provider=gcp", "view", "view -o json",
    ]),
    "a current context that does not exist": ("apiVersion: v1\nkind: Config\ncurrent-context: ghost\n", [
        "view --minify", "current-context", "get-contexts", "get-contexts -o name nope", "view -o wide",
        "set-context --current --user=u", "view",
    ]),
    "an empty kubeconfig is created by the first change": (None, [
        "view", "get-contexts", "current-context", "get-clusters", "view --minify",
        "set-cluster other --server=https://10.0.0.1:6443", "set-credentials bob --token=abc",
        "set-context dev --cluster=other --user=bob --namespace=n", "use-context dev", "view",
        "delete-context dev",
    ]),
}


def _prepare(directory: str, content: str | None):
    os.makedirs(os.path.join(directory, "pki"), exist_ok=True)
    with open(os.path.join(directory, "pki", "ca.crt"), "w") as fh:
        fh.write("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    with open(os.path.join(directory, "pki", "c.crt"), "w") as fh:
        fh.write("cert\n")
    with open(os.path.join(directory, "pki", "c.key"), "w") as fh:
        fh.write("key\n")
    if content is not None:
        with open(os.path.join(directory, "cfg"), "w") as fh:
            fh.write(content)


def _read(directory: str) -> str | None:
    path = os.path.join(directory, "cfg")
    return open(path).read() if os.path.exists(path) else None


@pytest.fixture(scope="module")
def oracle(real_kubectl, tmp_path_factory):
    def play(item):
        title, (content, steps) = item
        directory = str(tmp_path_factory.mktemp("real"))
        _prepare(directory, content)
        results = []
        for step in steps:
            proc = run_real_kubectl(real_kubectl, ["--kubeconfig=./cfg", "config", *shlex.split(step)],
                                    cwd=directory)
            results.append((proc.stdout, proc.stderr, proc.returncode, _read(directory)))
        return title, results
    with ThreadPoolExecutor(max_workers=5) as pool:
        return dict(pool.map(play, SESSIONS.items()))


def _comparable(step: str, out: str) -> str:
    # kubectl lists clusters and users in Go map order; compare them as sets.
    if step.startswith(("get-clusters", "get-users")):
        lines = out.splitlines()
        return "\n".join(lines[:1] + sorted(lines[1:]))
    return out


@pytest.mark.parametrize("title", list(SESSIONS))
def test_session_matches_kubectl(oracle, tmp_path, title):
    content, steps = SESSIONS[title]
    directory = str(tmp_path)
    _prepare(directory, content)
    for step, (out, err, code, file_after) in zip(steps, oracle[title]):
        mine_out, mine_err, mine_code = config_command(shlex.split(step), "./cfg", cwd=directory)
        assert (_comparable(step, mine_out), mine_code) == (_comparable(step, out), code), step
        assert mine_err.splitlines()[:1] == err.splitlines()[:1], step
        assert _read(directory) == file_after, step
