"""kubeconfig files as kubeadm writes them; checked against real kubectl where available."""
from __future__ import annotations

import base64
import datetime as dt

import pytest
import yaml

from kcore.pki import cert_info, kubeadm_cas, kubeadm_kubeconfigs
from tests.conftest import run_real_kubectl

NOW = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def confs():
    ca = kubeadm_cas(NOW, seed="lab")["ca"]
    return kubeadm_kubeconfigs(ca, "https://192.168.121.10:6443", "controlplane", NOW)


@pytest.mark.parametrize("fname, user, subject", [
    pytest.param("admin.conf", "kubernetes-admin", "CN=kubernetes-admin,O=kubeadm:cluster-admins",
                 id="admin.conf is kubernetes-admin in kubeadm:cluster-admins"),
    pytest.param("super-admin.conf", "kubernetes-super-admin", "CN=kubernetes-super-admin,O=system:masters",
                 id="super-admin.conf is in system:masters"),
    pytest.param("controller-manager.conf", "system:kube-controller-manager", "CN=system:kube-controller-manager",
                 id="the controller manager has its own user"),
    pytest.param("scheduler.conf", "system:kube-scheduler", "CN=system:kube-scheduler",
                 id="the scheduler has its own user"),
    pytest.param("kubelet.conf", "system:node:controlplane", "CN=system:node:controlplane,O=system:nodes",
                 id="the kubelet is a node in system:nodes"),
])
def test_kubeconfig_users(confs, fname, user, subject):
    cfg = yaml.safe_load(confs[fname])
    assert cfg["current-context"] == f"{user}@kubernetes"
    assert cfg["clusters"][0]["name"] == "kubernetes"
    assert cfg["users"][0]["name"] == user
    pem = base64.b64decode(cfg["users"][0]["user"]["client-certificate-data"])
    assert cert_info(pem)["subject"] == subject


def test_admin_conf_layout(confs):
    lines = confs["admin.conf"].splitlines()
    shape = [line.split(":")[0] + (":" if ":" in line else "") for line in lines]
    assert shape == ["apiVersion:", "clusters:", "- cluster:", "    certificate-authority-data:",
                     "    server:", "  name:", "contexts:", "- context:", "    cluster:", "    user:",
                     "  name:", "current-context:", "kind:", "users:", "- name:", "  user:",
                     "    client-certificate-data:", "    client-key-data:"]


def test_real_kubectl_reads_it_back_byte_for_byte(confs, real_kubectl, tmp_path):
    path = tmp_path / "admin.conf"
    path.write_text(confs["admin.conf"])
    proc = run_real_kubectl(real_kubectl, ["config", "view", "--raw", "--kubeconfig", str(path)])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == confs["admin.conf"]
