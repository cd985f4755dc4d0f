"""The files the kubelet writes into every container: /etc/resolv.conf from the pod's dnsPolicy
and dnsConfig, /etc/hosts with the pod's own name and its hostAliases."""
from __future__ import annotations

import pytest

from kcore.kubelet.volumes import etc_hosts, resolv_conf


def pod(**spec):
    return {"metadata": {"name": "web", "namespace": "shop"}, "spec": spec,
            "status": {"podIP": "10.244.1.7"}}


RESOLV = [
    ("a ClusterFirst pod searches its namespace first and asks CoreDNS",
     pod(), "search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"),
    ("a Default pod gets the node's resolver", pod(dnsPolicy="Default"), "nameserver 192.168.121.1\n"),
    ("a host-network ClusterFirst pod falls back to the node's resolver",
     pod(hostNetwork=True), "nameserver 192.168.121.1\n"),
    ("ClusterFirstWithHostNet keeps cluster DNS on the host network",
     pod(hostNetwork=True, dnsPolicy="ClusterFirstWithHostNet"),
     "search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"),
    ("dnsPolicy None takes only dnsConfig",
     pod(dnsPolicy="None", dnsConfig={"nameservers": ["1.1.1.1"], "searches": ["corp.example"],
                                      "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}]}),
     "search corp.example\nnameserver 1.1.1.1\noptions ndots:2 edns0\n"),
    ("dnsConfig options override the cluster's ndots",
     pod(dnsConfig={"options": [{"name": "ndots", "value": "1"}]}),
     "search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:1\n"),
]


@pytest.mark.parametrize("p, expected", [pytest.param(p, e, id=i) for i, p, e in RESOLV])
def test_resolv_conf_follows_the_dns_policy(p, expected):
    assert resolv_conf(p) == expected


def test_hosts_names_the_pod_and_adds_its_aliases():
    text = etc_hosts(pod(hostAliases=[{"ip": "1.2.3.4", "hostnames": ["foo.local", "bar.local"]}]))
    assert text.startswith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n")
    assert "10.244.1.7\tweb\n" in text
    assert text.endswith("\n# Entries added by HostAliases.\n1.2.3.4\tfoo.local\tbar.local\n")


def test_hosts_gives_a_pod_with_a_subdomain_its_full_name():
    assert "10.244.1.7\tdb-0.db.shop.svc.cluster.local\tdb-0\n" in etc_hosts(
        {"metadata": {"name": "db-0", "namespace": "shop"},
         "spec": {"hostname": "db-0", "subdomain": "db"}, "status": {"podIP": "10.244.1.7"}})


def test_a_learner_reads_them_through_kubectl_exec():
    import kcore
    c = kcore.Cluster()
    c.kubectl("run b --image=busybox -- sleep 3600")
    c.kubectl("wait --for=condition=Ready pod/b")
    assert "nameserver 10.96.0.10" in c.kubectl("exec b -- cat /etc/resolv.conf").stdout
    assert "\tb\n" in c.kubectl("exec b -- cat /etc/hosts").stdout


DOWNWARD = [
    ("labels are sorted key=\"value\" lines", {"fieldRef": {"fieldPath": "metadata.labels"}},
     'app="web"\ntier="front"'),
    ("one label by its key", {"fieldRef": {"fieldPath": "metadata.labels['tier']"}}, "front"),
    ("the pod's name", {"fieldRef": {"fieldPath": "metadata.name"}}, "web"),
    ("a memory limit in the divisor's unit, rounded up",
     {"resourceFieldRef": {"containerName": "c", "resource": "limits.memory", "divisor": "1Mi"}}, "129"),
    ("a cpu request in millicores", {"resourceFieldRef": {"resource": "requests.cpu", "divisor": "1m"}}, "250"),
]


@pytest.mark.parametrize("item, expected", [pytest.param(i, e, id=n) for n, i, e in DOWNWARD])
def test_downward_api_files(item, expected):
    from kcore.kubelet.volumes import downward_files
    p = {"metadata": {"name": "web", "labels": {"tier": "front", "app": "web"}},
         "spec": {"containers": [{"name": "c", "resources": {
             "requests": {"cpu": "250m"}, "limits": {"memory": "128.5Mi"}}}]}}
    assert downward_files(p, [dict(item, path="f")]) == {"f": expected}
