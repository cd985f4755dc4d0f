"""The node shell, judged by what bash, coreutils, systemd and crictl print on a kubeadm node.

`cluster.ssh(node, command)` is what a learner types after `ssh controlplane`. Each case is a
command and the exact stdout, stderr and exit code that Ubuntu 24.04 gives (GNU coreutils,
systemd 255, cri-tools 1.35). Commands that change the node (stopping the kubelet) come
last and put things back. One cluster serves the module."""
from __future__ import annotations

import re

import pytest

CRICTL_WARN = ("WARN[0000] runtime connect using default endpoints: [unix:///run/containerd/containerd.sock "
               "unix:///run/crio/crio.sock unix:///var/run/cri-dockerd.sock]. As the default settings are "
               "now deprecated, you should set the endpoint instead.\n")


def bug(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.fixture(scope="module")
def cluster():
    import kcore
    return kcore.Cluster(workers=1)


# (node, command, stdout, stderr, exit code); None means "not checked"
COMMANDS = [
    pytest.param("controlplane", "ls /etc/kubernetes/manifests",
                 "etcd.yaml\nkube-apiserver.yaml\nkube-controller-manager.yaml\nkube-scheduler.yaml\n", "", 0,
                 id="the control plane's manifests folder holds the four static pods"),
    pytest.param("node01", "ls /etc/kubernetes/manifests", "", "", 0,
                 id="a worker's manifests folder is empty"),
    pytest.param("controlplane", "cat /nope", "", "cat: /nope: No such file or directory\n", 1,
                 id="cat of a missing file is GNU's message and exit 1"),
    pytest.param("controlplane", "ls /nope", "", "ls: cannot access '/nope': No such file or directory\n", 2,
                 id="ls of a missing path exits 2"),
    pytest.param("controlplane", "cat ../../../../../../etc/passwd", "",
                 "cat: ../../../../../../etc/passwd: No such file or directory\n", 1,
                 id="a path climbing out of the node root stays inside it"),
    pytest.param("controlplane", "echo hello > /tmp/x; echo again >> /tmp/x; cat /tmp/x", "hello\nagain\n", "", 0,
                 id="redirections write and append node files"),
    pytest.param("controlplane", "grep -n image: /etc/kubernetes/manifests/etcd.yaml",
                 "34:    image: registry.k8s.io/etcd:3.6.6-0\n", "", 0,
                 id="grep -n numbers the etcd image line"),
    pytest.param("controlplane", "grep data-dir /etc/kubernetes/manifests/etcd.yaml",
                 "    - --data-dir=/var/lib/etcd\n", "", 0,
                 id="grep finds etcd's data dir flag"),
    pytest.param("controlplane", "grep nothing-here /etc/kubernetes/manifests/etcd.yaml", "", "", 1,
                 id="grep without a match exits 1"),
    pytest.param("controlplane", "tail -n 1 /etc/kubernetes/manifests/etcd.yaml", "status: {}\n", "", 0,
                 id="tail -n 1 prints the last line"),
    pytest.param("controlplane", "cd /etc/kubernetes && pwd", "/etc/kubernetes\n", "", 0,
                 id="cd changes the working folder for the rest of the line"),
    pytest.param("controlplane", "mkdir -p /tmp/a/b && ls /tmp/a", "b\n", "", 0,
                 id="mkdir -p creates parents"),
    pytest.param("controlplane", "rm /nope", "", "rm: cannot remove '/nope': No such file or directory\n", 1,
                 id="rm of a missing file fails"),
    pytest.param("controlplane", "sed -i 's/a/b/' /nope", "", "sed: can't read /nope: No such file or directory\n", 2,
                 id="sed -i on a missing file exits 2"),
    pytest.param("controlplane", "systemctl is-active kubelet", "active\n", "", 0,
                 id="the kubelet is active"),
    pytest.param("controlplane", "systemctl status foo", "", "Unit foo.service could not be found.\n", 4,
                 id="status of an unknown unit exits 4"),
    pytest.param("controlplane", "openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -subject",
                 "subject=CN = kube-apiserver\n", "", 0,
                 id="openssl reads the API server certificate's subject"),
    pytest.param("controlplane", "sed -n 2p /etc/kubernetes/manifests/etcd.yaml", "kind: Pod\n", "", 0,
                 id="sed -n Np prints one line"),
    pytest.param("controlplane", "echo $HOME", "/root\n", "", 0,
                 id="the shell expands variables"),
    pytest.param("controlplane", "grep -c -e etcd-servers -e service-cluster-ip-range "
                 "/etc/kubernetes/manifests/kube-apiserver.yaml", "2\n", "", 0,
                 id="grep with several -e patterns matches any"),
    pytest.param("controlplane", "systemctl is-enabled kubelet", "enabled\n", "", 0,
                 id="the kubelet unit is enabled"),
    pytest.param("controlplane", "kubelet --version", "Kubernetes v1.35.0\n", "", 0,
                 id="kubelet --version names the installed kubelet"),
    pytest.param("controlplane", "crictl ps --name etcd -q", None, CRICTL_WARN, 0,
                 id="crictl ps --name -q prints one container ID"),
    pytest.param("controlplane", "grep -- --advertise-client-urls /etc/kubernetes/manifests/etcd.yaml",
                 "    - --advertise-client-urls=https://192.168.1.10:2379\n", "", 0,
                 id="grep -- lets a pattern start with dashes"),
    pytest.param("controlplane", "etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt "
                 "--cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key member list",
                 None, "", 0,
                 id="etcdctl member list shows the addresses etcd.yaml advertises"),
    pytest.param("controlplane", "cat /etc/os-release | grep PRETTY", 'PRETTY_NAME="Ubuntu 24.04.3 LTS"\n', "", 0,
                 id="the node says which Ubuntu it runs"),
]


@pytest.mark.parametrize("node, command, stdout, stderr, code", COMMANDS)
def test_node_command(cluster, node, command, stdout, stderr, code):
    r = cluster.ssh(node, command)
    got = (r.stdout if stdout is not None else None, r.stderr, r.returncode)
    if stdout is None and command.startswith("crictl ps --name etcd -q"):
        assert len(r.stdout.strip()) == 64 and r.stdout.count("\n") == 1
    if stdout is None and "member list" in command:
        assert ", started, controlplane, https://192.168.1.10:2380, https://192.168.1.10:2379, false\n" in r.stdout
    assert got == (stdout, stderr, code)


def test_crictl_lists_the_control_plane_containers(cluster):
    r = cluster.ssh("controlplane", "crictl ps")
    header, *rows = r.stdout.splitlines()
    names = sorted(re.split(r"\s{2,}", row)[4] for row in rows)
    assert header.split()[:3] == ["CONTAINER", "IMAGE", "CREATED"] and r.stderr == CRICTL_WARN
    assert {"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"} <= set(names)


def test_crictl_ids_are_cut_to_13_characters(cluster):
    rows = cluster.ssh("controlplane", "crictl pods").stdout.splitlines()[1:]
    assert rows and all(len(row.split()[0]) == 13 for row in rows)


def test_a_stopped_kubelet_makes_its_node_not_ready(cluster):
    stop = cluster.ssh("node01", "systemctl stop kubelet")
    status = cluster.ssh("node01", "systemctl status kubelet")
    cluster.advance(60)
    ready = cluster.kubectl(["get", "node", "node01", "-o",
                             "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"]).stdout
    cluster.ssh("node01", "systemctl start kubelet")
    cluster.advance(20)
    back = cluster.kubectl(["get", "node", "node01", "-o",
                            "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"]).stdout
    assert (stop.returncode, status.returncode, "inactive (dead)" in status.stdout) == (0, 3, True)
    assert (ready, back) == ("Unknown", "True")


def test_journalctl_tells_the_kubelet_story(cluster):
    cluster.ssh("node01", "systemctl restart kubelet")
    lines = cluster.ssh("node01", "journalctl -u kubelet --no-pager").stdout.splitlines()
    assert lines[-1].endswith("systemd[1]: Started kubelet: The Kubernetes Node Agent.")
    assert all(line.startswith("Jan 01 ") and " node01 " in line for line in lines)


def test_a_manifest_written_through_ssh_starts_a_static_pod(cluster):
    manifest = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\nspec:\n  containers:\n"
                "  - name: c\n    image: busybox\n    command: [sleep, '3600']\n")
    cluster.ssh("node01", "cat > /etc/kubernetes/manifests/probe.yaml", stdin=manifest)
    cluster.advance(10)
    phase = cluster.kubectl(["get", "pod", "probe-node01", "-o", "jsonpath={.status.phase}"]).stdout
    cluster.ssh("node01", "rm /etc/kubernetes/manifests/probe.yaml")
    cluster.advance(10)
    gone = cluster.kubectl("get pod probe-node01").returncode
    assert (phase, gone) == ("Running", 1)


def test_a_broken_manifest_is_logged_and_runs_nothing(cluster):
    cluster.ssh("node01", "cat > /etc/kubernetes/manifests/bad.yaml", stdin="apiVersion: v1\nkind: Pod\n:::\n")
    cluster.advance(10)
    journal = cluster.ssh("node01", "journalctl -u kubelet --no-pager").stdout
    pods = cluster.kubectl("get pods -o name").stdout
    cluster.ssh("node01", "rm /etc/kubernetes/manifests/bad.yaml")
    assert "Could not process manifest file" in journal and "bad" not in pods


# (file on node01, sed expression) — each breaks the kubelet the way a troubleshooting lab does
KUBELET_BREAKS = [
    pytest.param("/var/lib/kubelet/config.yaml",
                 "s#clientCAFile: /etc/kubernetes/pki/ca.crt#clientCAFile: /etc/kubernetes/pki/ca.crtx#",
                 id="a kubelet config pointing at a missing CA keeps the kubelet down"),
    pytest.param("/var/lib/kubelet/config.yaml",
                 "s#apiVersion: kubelet.config.k8s.io/v1beta1#apiVersion: kubelet.config.k8s.io/v1beta1_broken#",
                 id="a kubelet config with a bad apiVersion keeps the kubelet down"),
    pytest.param("/etc/kubernetes/kubelet.conf", "s#:6443#:6433#",
                 id="a kubelet kubeconfig with the wrong API port loses the node"),
]


@pytest.mark.parametrize("path, sed", KUBELET_BREAKS)
def test_a_broken_kubelet_loses_its_node(cluster, path, sed):
    cluster.ssh("node01", f"cp {path} /root/saved")
    cluster.ssh("node01", f"sed -i '{sed}' {path}")
    cluster.ssh("node01", "systemctl restart kubelet")
    cluster.advance(60)
    ready = cluster.kubectl(["get", "node", "node01", "-o",
                             "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"]).stdout
    cluster.ssh("node01", f"cp /root/saved {path}")
    cluster.ssh("node01", "systemctl restart kubelet")
    cluster.advance(30)
    assert ready == "Unknown"


def test_the_kubeadm_drop_in_is_on_disk(cluster):
    r = cluster.ssh("node01", "grep ExecStart= /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf")
    assert r.stdout.endswith("ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS "
                             "$KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS\n")


def test_without_a_cni_config_the_node_is_not_ready(cluster):
    cluster.ssh("node01", "mv /etc/cni/net.d/10-flannel.conflist /root/")
    cluster.advance(30)
    got = cluster.kubectl(["get", "node", "node01", "-o",
                           "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}: "
                           "{.status.conditions[?(@.type==\"Ready\")].message}"]).stdout
    cluster.ssh("node01", "mv /root/10-flannel.conflist /etc/cni/net.d/")
    cluster.advance(30)
    back = cluster.kubectl(["get", "node", "node01", "-o",
                            "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"]).stdout
    assert got == ("False: container runtime network not ready: NetworkReady=false "
                   "reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized")
    assert back == "True"


def test_a_crash_looping_kubelet_says_why_and_comes_back_once_its_file_is_fixed(cluster):
    cfg = "/var/lib/kubelet/config.yaml"
    cluster.ssh("node01", f"cp {cfg} /root/config.yaml")
    cluster.ssh("node01", f"sed -i 's#/etc/kubernetes/pki/ca.crt#/etc/kubernetes/pki/nope.crt#' {cfg}")
    cluster.ssh("node01", "systemctl restart kubelet")
    cluster.advance(15)
    status = cluster.ssh("node01", "systemctl status kubelet")
    journal = cluster.ssh("node01", "journalctl -u kubelet --no-pager").stdout
    cluster.ssh("node01", f"cp /root/config.yaml {cfg}")   # no restart: systemd retries every 10 s
    cluster.advance(15)
    active = cluster.ssh("node01", "systemctl is-active kubelet").stdout
    ready = cluster.kubectl(["get", "node", "node01", "-o",
                             "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"]).stdout
    assert status.returncode == 3
    assert "Active: activating (auto-restart) (Result: exit-code) since" in status.stdout
    assert ('run.go:72] "command failed" err="failed to construct kubelet dependencies: unable to load '
            'client CA file /etc/kubernetes/pki/nope.crt: open /etc/kubernetes/pki/nope.crt: no such file '
            'or directory"') in journal
    assert "systemd[1]: kubelet.service: Scheduled restart job, restart counter is at 1." in journal
    assert (active, ready) == ("active\n", "True")
