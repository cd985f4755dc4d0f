"""kubeadm and the node's package manager, judged by the upgrade lab a CKA candidate runs.

The packages kubeadm, kubelet and kubectl start held at 1.35.0-1.1 (as the install guide
leaves them). apt refuses to change a held package under -y, knows only versions the
pkgs.k8s.io repository of the node's minor has, and kubeadm refuses to upgrade past its own
version or backwards. The read-only table runs first; the upgrade flow runs last, in order."""
from __future__ import annotations

import re

import pytest


def bug(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.fixture(scope="module")
def cluster():
    import kcore
    return kcore.Cluster(workers=1)


# (node, command, a fragment the combined output must hold, exit code)
READ_ONLY = [
    pytest.param("controlplane", "apt-cache madison kubeadm",
                 "   kubeadm | 1.35.1-1.1 | https://pkgs.k8s.io/core:/stable:/v1.35/deb  Packages", 0,
                 id="apt-cache madison lists the patch releases of the node's minor"),
    pytest.param("controlplane", "apt-get install -y kubeadm=1.35.1-1.1",
                 "E: Held packages were changed and -y was used.", 100,
                 id="a held package cannot be upgraded with -y"),
    pytest.param("controlplane", "apt-get install -y nosuchpkg", "E: Unable to locate package nosuchpkg", 100,
                 id="an unknown package cannot be located"),
    pytest.param("controlplane", "apt-mark hold kubeadm", "kubeadm was already set on hold.", 0,
                 id="holding a held package says so"),
    pytest.param("controlplane", "kubeadm version -o short", "v1.35.0", 0,
                 id="kubeadm reports its own version"),
    pytest.param("controlplane", "kubeadm upgrade apply v1.35.1 -y",
                 'Specified version to upgrade to "v1.35.1" is higher than the kubeadm version "v1.35.0"', 1,
                 id="kubeadm cannot upgrade past its own version"),
    pytest.param("controlplane", "kubeadm certs check-expiration",
                 "ca                      Dec 30, 2035 00:00 UTC   9y              no", 0,
                 id="the CAs live ten years"),
    pytest.param("controlplane", "kubeadm foo", 'unknown command "foo" for "kubeadm"', 1,
                 id="an unknown subcommand is refused"),
    pytest.param("controlplane", "apt-mark showhold", "kubeadm\nkubectl\nkubelet\n", 0,
                 id="apt-mark showhold lists the held packages"),
    pytest.param("controlplane", "apt-get install -y kubeadm=1.35.9-1.1",
                 "E: Version '1.35.9-1.1' for 'kubeadm' was not found", 100,
                 id="a version the repository lacks is not found, held or not"),
    pytest.param("controlplane", "kubectl version --client", "Client Version: v1.35.0", 0,
                 id="kubectl on the node is the installed package's version"),
]


@pytest.mark.parametrize("node, command, fragment, code", READ_ONLY)
def test_read_only(cluster, node, command, fragment, code):
    r = cluster.ssh(node, command)
    assert (fragment in r.stdout + r.stderr, r.returncode) == (True, code)


def test_join_command_has_kubeadm_shape(cluster):
    r = cluster.ssh("controlplane", "kubeadm token create --print-join-command")
    assert re.fullmatch(r"kubeadm join 192\.168\.1\.10:6443 --token [a-z0-9]{6}\.[a-z0-9]{16} "
                        r"--discovery-token-ca-cert-hash sha256:[0-9a-f]{64} \n", r.stdout)


def test_a_created_token_is_listed(cluster):
    token = cluster.ssh("controlplane", "kubeadm token create").stdout.strip()
    listed = cluster.ssh("controlplane", "kubeadm token list").stdout
    # a fresh token has 23h59m left, which kubeadm prints as 23h
    assert re.fullmatch(r"[a-z0-9]{6}\.[a-z0-9]{16}", token) and f"\n{token}   23h   " in listed


def test_a_created_token_is_a_bootstrap_secret(cluster):
    token = cluster.ssh("controlplane", "kubeadm token create").stdout.strip()
    secret = cluster.kubectl(["get", "secret", "-n", "kube-system", f"bootstrap-token-{token.split('.')[0]}",
                              "-o", "jsonpath={.type}"]).stdout
    assert secret == "bootstrap.kubernetes.io/token"


def test_deleting_the_secret_revokes_the_token(cluster):
    token = cluster.ssh("controlplane", "kubeadm token create").stdout.strip()
    cluster.kubectl(["delete", "secret", "-n", "kube-system", f"bootstrap-token-{token.split('.')[0]}"])
    assert token not in cluster.ssh("controlplane", "kubeadm token list").stdout


def test_a_downgrade_is_refused(cluster):
    import kcore
    c = kcore.Cluster(workers=1)
    r = c.ssh("controlplane", "kubeadm upgrade apply v1.34.0 -y")
    image = c.ssh("controlplane", "grep image: /etc/kubernetes/manifests/kube-apiserver.yaml").stdout
    assert (r.returncode != 0, "v1.35.0" in image) == (True, True)


def test_the_upgrade_flow_moves_the_control_plane_then_a_worker(cluster):
    """The documented order: kubeadm package, upgrade apply, drain, kubelet package, restart, uncordon."""
    cp = "controlplane"
    steps = [
        (cp, "apt-mark unhold kubeadm kubelet kubectl"),
        (cp, "apt-get install -y kubeadm=1.35.1-1.1"),
        (cp, "kubeadm upgrade apply v1.35.1 -y"),
        (None, "drain controlplane --ignore-daemonsets"),
        (cp, "apt-get install -y kubelet=1.35.1-1.1 kubectl=1.35.1-1.1"),
        (cp, "systemctl daemon-reload"),
        (cp, "systemctl restart kubelet"),
        (None, "uncordon controlplane"),
        ("node01", "apt-mark unhold kubeadm kubelet"),
        ("node01", "apt-get install -y kubeadm=1.35.1-1.1"),
        ("node01", "kubeadm upgrade node"),
        ("node01", "apt-get install -y kubelet=1.35.1-1.1"),
        ("node01", "systemctl restart kubelet"),
    ]
    for node, command in steps:
        r = cluster.kubectl(command) if node is None else cluster.ssh(node, command)
        assert r.returncode == 0, f"{command}: {r.stderr}"
    cluster.advance(20)
    versions = cluster.kubectl(["get", "nodes", "-o",
                                "jsonpath={.items[*].status.nodeInfo.kubeletVersion}"]).stdout
    image = cluster.ssh(cp, "grep image: /etc/kubernetes/manifests/kube-apiserver.yaml").stdout.strip()
    server = cluster.kubectl(["version", "-o", "json"]).stdout
    assert versions == "v1.35.1 v1.35.1"
    assert image == "image: registry.k8s.io/kube-apiserver:v1.35.1"
    assert '"gitVersion": "v1.35.1"' in server
