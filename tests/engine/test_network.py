"""The network a pod sees: CoreDNS names, Services through kube-proxy, NetworkPolicies.

One cluster, several namespaces, each holding one situation from the CKA networking labs:
`web` locks its database behind a default-deny policy that lets exactly the `api` pod and the
`ops` and `egress` namespaces in on port 80; `egress` holds a pod whose egress policy forgets DNS and one
that remembers it. Each case runs a busybox tool inside a pod and compares what it prints and
whether it fails with what a real cluster (a policy-enforcing CNI, busybox 1.36) shows."""
from __future__ import annotations

import json

import pytest

NGINX = "Welcome to nginx!"
TIMEOUT = "wget: download timed out"


def bug(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


def _pod(name, ns, labels, image="busybox", command=("sleep", "3600")):
    c = {"name": name, "image": image}
    if command:
        c["command"] = list(command)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns, "labels": labels},
            "spec": {"containers": [c]}}


def _policy(name, ns, spec):
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": name, "namespace": ns}, "spec": spec}


@pytest.fixture(scope="module")
def cluster():
    import kcore
    c = kcore.Cluster()
    for ns in ("web", "ops", "egress", "elsewhere"):
        c.kubectl(f"create namespace {ns}")
    c.kubectl("label namespace ops team=ops")
    items = [
        _pod("db", "web", {"app": "db"}, image="nginx:1.27", command=None),
        _pod("api", "web", {"role": "api"}), _pod("other", "web", {"role": "other"}),
        _pod("tool", "ops", {"role": "tool"}), _pod("stranger", "elsewhere", {"role": "api"}),
        _pod("nodns", "egress", {"role": "nodns"}), _pod("withdns", "egress", {"role": "withdns"}),
        _pod("client", "default", {"role": "client"}),
        _policy("default-deny", "web", {"podSelector": {}, "policyTypes": ["Ingress"]}),
        _policy("db-in", "web", {"podSelector": {"matchLabels": {"app": "db"}}, "ingress": [
            {"from": [{"podSelector": {"matchLabels": {"role": "api"}}},
                      {"namespaceSelector": {"matchLabels": {"team": "ops"}}},
                      {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "egress"}}}],
             "ports": [{"protocol": "TCP", "port": 80}]}]}),
        _policy("db-only", "egress", {"podSelector": {"matchLabels": {"role": "nodns"}}, "policyTypes": ["Egress"],
                                      "egress": [{"to": [{"namespaceSelector": {}, "podSelector":
                                                          {"matchLabels": {"app": "db"}}}],
                                                  "ports": [{"port": 80}]}]}),
        _policy("db-and-dns", "egress", {"podSelector": {"matchLabels": {"role": "withdns"}},
                                         "policyTypes": ["Egress"], "egress": [
            {"to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"app": "db"}}}],
             "ports": [{"port": 80}]},
            {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}],
             "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}]}),
    ]
    r = c.kubectl("apply -f -", stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
    assert r.returncode == 0, r.stderr
    c.kubectl("expose pod db -n web --port=80")
    c.kubectl("create service externalname ext --external-name=api.example.com")
    c.kubectl("create service clusterip headless --clusterip=None --tcp=80:80")
    c.kubectl(["patch", "service", "headless", "--type=json", "-p",
               '[{"op":"replace","path":"/spec/selector","value":{"role":"client"}}]'])
    c.advance(10)
    return c


def _ip(c, ns, name):
    return c.kubectl(["get", "pod", name, "-n", ns, "-o", "jsonpath={.status.podIP}"]).stdout


def _exec(c, ns, pod, argv):
    argv = [a.replace("{db}", _ip(c, "web", "db")).replace("{client}", _ip(c, "default", "client"))
            for a in argv]
    return c.kubectl(["exec", "-n", ns, pod, "--", *argv])


# (namespace, pod, argv, a fragment of stdout+stderr, should fail)
REACH = [
    pytest.param("web", "api", ["wget", "-qO-", "-T", "2", "http://db"], NGINX, False,
                 id="the api pod is let in to the database"),
    pytest.param("web", "other", ["wget", "-qO-", "-T", "2", "http://db"], TIMEOUT, True,
                 id="another pod of the same namespace is dropped and times out"),
    pytest.param("ops", "tool", ["wget", "-qO-", "-T", "2", "http://db.web"], NGINX, False,
                 id="any pod of a namespace the policy selects is let in"),
    pytest.param("elsewhere", "stranger", ["wget", "-qO-", "-T", "2", "http://db.web"], TIMEOUT, True,
                 id="a podSelector peer without namespaceSelector means the policy's own namespace only"),
    pytest.param("web", "api", ["wget", "-qO-", "-T", "2", "http://{db}:8080"], TIMEOUT, True,
                 id="a port the rule does not list is dropped even for an allowed peer"),
    pytest.param("egress", "withdns", ["wget", "-qO-", "-T", "2", "http://db.web"], NGINX, False,
                 id="an egress policy that allows DNS and the database reaches it by name"),
    pytest.param("egress", "nodns", ["wget", "-qO-", "-T", "2", "http://{db}"], NGINX, False,
                 id="an egress policy without DNS still reaches the database by IP"),
    pytest.param("egress", "nodns", ["wget", "-qO-", "-T", "2", "http://{client}"], TIMEOUT, True,
                 id="egress to a pod the policy does not list is dropped"),
    pytest.param("egress", "nodns", ["wget", "-qO-", "-T", "2", "http://db.web"], "wget: bad address 'db.web'", True,
                 id="an egress policy that forgets DNS breaks name resolution"),
    pytest.param("egress", "nodns", ["nslookup", "db.web"], ";; connection timed out; no servers could be reached", True,
                 id="nslookup from a pod whose egress forgets DNS gets no answer"),
    pytest.param("egress", "withdns", ["nslookup", "db.web"], "Name:\tdb.web.svc.cluster.local", False,
                 id="nslookup from a pod whose egress allows UDP 53 to kube-dns gets its answer"),
    pytest.param("default", "client", ["nslookup", "db"], "** server can't find db.default.svc.cluster.local: NXDOMAIN",
                 True, id="a short name resolves in the pod's own namespace only"),
    pytest.param("default", "client", ["nslookup", "db.web"], "Name:\tdb.web.svc.cluster.local", False,
                 id="service.namespace resolves across namespaces"),
    pytest.param("default", "client", ["nslookup", "ext"],
                 "ext.default.svc.cluster.local\tcanonical name = api.example.com", False,
                 id="an ExternalName service answers with a CNAME"),
    pytest.param("default", "client", ["nslookup", "headless"], "Address: {client}", False,
                 id="a headless service answers with its pods' IPs"),
    pytest.param("default", "client", ["wget", "-qO-", "-T", "2", "http://{client}"],
                 "wget: can't connect to remote host ({client}): Connection refused", True,
                 id="a port nobody listens on is refused, naming the address"),
    pytest.param("default", "client", ["sh", "-c", "curl -s http://db.web"], "sh: curl: not found", True,
                 id="busybox has no curl"),
]


@pytest.mark.parametrize("ns, pod, argv, fragment, fails", REACH)
def test_reach(cluster, ns, pod, argv, fragment, fails):
    r = _exec(cluster, ns, pod, argv)
    fragment = fragment.replace("{client}", _ip(cluster, "default", "client"))
    assert (fragment in r.stdout + r.stderr, r.returncode != 0) == (True, fails)


def test_pod_a_records_answer_for_any_dashed_ip(cluster):
    ip = _ip(cluster, "web", "db")
    r = _exec(cluster, "default", "client", ["nslookup", f"{ip.replace('.', '-')}.web.pod.cluster.local"])
    assert f"Address: {ip}" in r.stdout and r.returncode == 0


def test_describe_networkpolicy_spells_out_the_rule(cluster):
    out = cluster.kubectl("describe networkpolicy db-in -n web").stdout
    assert "  PodSelector:     app=db\n" in out
    assert "    To Port: 80/TCP\n" in out and "      PodSelector: role=api\n" in out
    assert "      NamespaceSelector: team=ops\n" in out


def test_without_coredns_names_do_not_resolve(cluster):
    """Scales CoreDNS away, asks, and scales it back."""
    cluster.kubectl("scale deployment coredns -n kube-system --replicas=0")
    cluster.advance(10)
    r = _exec(cluster, "default", "client", ["nslookup", "kubernetes.default"])
    cluster.kubectl("scale deployment coredns -n kube-system --replicas=2")
    assert ";; connection timed out; no servers could be reached" in r.stdout and r.returncode == 1


@pytest.fixture(scope="module")
def nodeport(cluster):
    cluster.kubectl("create deployment open --image=nginx:1.27")
    cluster.kubectl("expose deployment open --type=NodePort --port=80")
    return cluster.kubectl(["get", "svc", "open", "-o", "jsonpath={.spec.ports[0].nodePort}"]).stdout


# (node, curl command with {np} for the node port, stdout fragment, stderr, exit code)
FROM_NODES = [
    pytest.param("node01", "curl -s http://192.168.1.11:{np}", NGINX, "", 0,
                 id="a NodePort answers on a worker's address"),
    pytest.param("controlplane", "curl -s http://192.168.1.10:{np}", NGINX, "", 0,
                 id="a NodePort answers on every node, the control plane too"),
    pytest.param("controlplane", "curl -s http://192.168.1.10:31999", "", "", 7,
                 id="an unused node port is refused and -s stays silent"),
    pytest.param("controlplane", "curl -sk https://localhost:6443/livez", "ok", "", 0,
                 id="the API server answers its health endpoint on the node"),
    pytest.param("node01", "curl -k https://localhost:6443/livez", "",
                 "curl: (7) Failed to connect to 192.168.1.11 port 6443 after 0 ms: Couldn't connect to server\n", 7,
                 id="nothing listens on 6443 on a worker: the connection is refused"),
]


@pytest.mark.parametrize("node, command, fragment, stderr, code", FROM_NODES)
def test_from_a_node(cluster, nodeport, node, command, fragment, stderr, code):
    r = cluster.ssh(node, command.replace("{np}", nodeport))
    assert (fragment in r.stdout, r.stderr, r.returncode) == (True, stderr, code)


@pytest.fixture(scope="module")
def stateful(cluster):
    ss = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
          "spec": {"serviceName": "nginx", "replicas": 2, "selector": {"matchLabels": {"app": "nginx"}},
                   "template": {"metadata": {"labels": {"app": "nginx"}},
                                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}}
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "nginx"},
           "spec": {"clusterIP": "None", "selector": {"app": "nginx"}, "ports": [{"port": 80}]}}
    empty = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "empty"},
             "spec": {"clusterIP": "None", "selector": {"app": "nobody"}, "ports": [{"port": 80}]}}
    cluster.kubectl("apply -f -", stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": [ss, svc, empty]}))
    cluster.advance(20)
    return cluster


@pytest.mark.parametrize("name, pod, code", [
    pytest.param("web-0.nginx", "web-0", 0, id="a StatefulSet pod has a name under its headless service"),
    pytest.param("web-1.nginx.default.svc.cluster.local", "web-1", 0, id="the full per-pod name resolves too"),
    pytest.param("empty", None, 1,
                 id="a headless service without endpoints is NXDOMAIN"),
])
def test_stateful_names(stateful, name, pod, code):
    r = _exec(stateful, "default", "client", ["nslookup", name])
    want = f"Address: {_ip(stateful, 'default', pod)}\n" if pod else "NXDOMAIN"
    assert (want in r.stdout, r.returncode) == (True, code)


# kubeadm's service network is IPv4 only; (spec fields, what `kubectl apply` says)
FAMILIES = [
    pytest.param({}, "service/fam created\n", id="no families asked for gets IPv4"),
    pytest.param({"ipFamilyPolicy": "PreferDualStack", "ipFamilies": ["IPv4", "IPv6"]},
                 "service/fam created\n", id="PreferDualStack is trimmed to its first family"),
    pytest.param({"ipFamilyPolicy": "RequireDualStack"},
                 'The Service "fam" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": '
                 "this cluster is not configured for dual-stack services\n",
                 id="RequireDualStack is refused on a single-stack cluster"),
    pytest.param({"ipFamilies": ["IPv6"]},
                 'The Service "fam" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": '
                 "not configured on this cluster\n",
                 id="an IPv6 service has no allocator"),
]


@pytest.mark.parametrize("fields, said", FAMILIES)
def test_a_service_gets_only_the_families_the_cluster_has(fields, said):
    import kcore
    c = kcore.Cluster(workers=1)
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "fam"},
           "spec": {"selector": {"app": "x"}, "ports": [{"port": 80}], **fields}}
    r = c.kubectl("apply -f -", stdin=json.dumps(svc))
    assert r.stdout + r.stderr == said
    if r.returncode == 0:
        got = json.loads(c.kubectl("get svc fam -o json").stdout)["spec"]
        assert got["ipFamilies"] == ["IPv4"] and got["clusterIPs"] == [got["clusterIP"]]
    else:
        assert c.kubectl("get svc fam").returncode == 1
