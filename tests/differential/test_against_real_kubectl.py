"""kcore's kubectl, byte for byte against the real kubectl v1.35 reading kcore's own objects.

A live kcore cluster is driven through a scenario, frozen (oracle.capture), and its objects
served to the real binary by the loopback stub; `describe` and `get -o yaml|json` are printed
client-side by the real kubectl, so its output is the truth for what kcore should print.
(`get -o wide` is skipped: the stub computes Tables with kcore's own printers, so the real
binary would only echo them.) Where kcore differs today the case is kept, marked
xfail(strict=True) with the difference and the printer that makes it."""
from __future__ import annotations

import difflib

import pytest

from tests.differential import scenarios
from tests.differential.oracle import Oracle


@pytest.fixture(scope="module")
def oracle(real_kubectl):
    with Oracle(real_kubectl) as o:
        yield o


def differs(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


def case(world, argv, id):
    return pytest.param(world, tuple(argv.split()), id=id)


# world: one cluster with one of everything; during/after: a rolling update of Deployment web
CASES = [
    case("world", "describe pod web", "a running pod is described as kubectl describes it"),
    case("world", "describe pod crash", "a crash-looping pod shows its back-off and last state"),
    case("world", "describe pod hungry", "a pending pod shows its FailedScheduling events"),
    case("world", "describe pod gated", "a pod with an init container lists it apart"),
    case("world", "describe pod configured", "a pod with env from a ConfigMap and a Secret shows its env and volumes"),
    case("during", "describe deployment web", "a deployment mid-rollout shows old and new replica sets"),
    case("after", "describe deployment web", "a deployment after its rollout shows the scaled-down set"),
    case("after", "describe replicaset web-6664f4cfd8", "a deployment's new replica set"),
    case("after", "describe replicaset web-7dd4c748c7", "a deployment's old replica set scaled to zero"),
    case("world", "describe replicaset frontend", "a bare replica set with its pods status"),
    case("world", "describe daemonset agent", "a daemon set running on both workers"),
    case("world", "describe job pi", "a completed job with two completions"),
    case("world", "describe cronjob tick", "a cron job that has fired once"),
    case("world", "describe service web", "a cluster IP service with its endpoints"),
    case("world", "describe service web-np", "a node port service with a named port"),
    case("world", "describe node node01", "a worker node with its pods, allocations and lease"),
    case("world", "describe node controlplane", "the control plane node with its taint and static pods"),
    case("world", "describe namespace team", "a namespace with a resource quota and a limit range"),
    case("world", "describe configmap app-config", "a config map"),
    case("world", "describe secret db-secret", "a secret shows sizes, not values"),
    case("world", "describe serviceaccount robot", "a service account"),
    case("world", "describe ingress shop", "an ingress with one rule"),
    case("world", "describe networkpolicy allow-front", "a network policy allowing one pod selector"),
    case("world", "describe persistentvolume pv-data", "a bound persistent volume"),
    case("world", "describe persistentvolumeclaim data", "a bound persistent volume claim"),
    case("world", "describe storageclass manual", "a storage class"),
    case("world", "describe role pod-reader", "a role"),
    case("world", "describe rolebinding read-pods", "a role binding to a user and a service account"),
]

EXTRA_DESCRIBES = [
    case("extras", "describe pod probed", "a pod with probes, ports, a sidecar, tolerations and downward env"),
    case("extras", "describe pod hog", "an OOMKilled pod"),
    case("extras", "describe pod typo", "a pod whose image tag does not exist"),
    case("extras", "describe service db", "a headless service"),
    case("extras", "describe statefulset db", "a stateful set"),
    case("extras", "describe poddisruptionbudget db-pdb", "a pod disruption budget"),
    case("extras", "describe deployment api", "a settled deployment"),
    case("extras", "describe horizontalpodautoscaler api", "a horizontal pod autoscaler on cpu"),
    case("extras", "describe priorityclass high", "a priority class"),
    case("extras", "describe clusterrole node-reader", "a cluster role with a non-resource URL"),
    case("extras", "describe clusterrolebinding read-nodes", "a cluster role binding to a group"),
    case("extras", "describe pod etcd-controlplane -n kube-system", "kubeadm's etcd static pod"),
    case("extras", "describe deployment coredns -n kube-system", "kubeadm's CoreDNS deployment"),
    case("extras", "describe daemonset kube-proxy -n kube-system", "kubeadm's kube-proxy daemon set"),
    case("extras", "describe service kubernetes", "the kubernetes service"),
    case("extras", "describe serviceaccount default", "the default service account"),
    case("extras", "describe namespace default", "the default namespace without quota"),
    case("extras", "describe lease node02 -n kube-node-lease", "a node's lease"),
    case("extras", "describe configmap kube-root-ca.crt", "the root CA config map"),
]
CASES += EXTRA_DESCRIBES

INCIDENT_DESCRIBES = [
    case("incidents", "describe node node01", "a worker whose kubelet stopped is NotReady and tainted"),
    case("incidents", "describe job doomed", "a job that hit its backoff limit"),
    case("incidents", "describe cronjob paused", "a suspended cron job that forbids concurrency"),
    case("incidents", "describe persistentvolumeclaim orphan", "a claim for a storage class that does not exist"),
    case("incidents", "describe service edge", "a load balancer service without an external IP"),
    case("incidents", "describe endpoints edge", "the endpoints of a service with pods on a lost node"),
    case("incidents", "describe deployment web", "a deployment rolled three times has more than twelve events"),
    pytest.param("incidents", ("describe", "endpointslices", "-l", "kubernetes.io/service-name=edge"),
                 id="the endpoint slice of a service with not-ready endpoints"),
    pytest.param("incidents", ("describe", "pods", "-l", "app=web"),
                 id="describe of pods Terminating on a lost node and their replacements"),
    pytest.param("incidents", ("get", "pods", "-l", "app=web", "-o", "yaml"),
                 id="a list with Terminating pods in yaml"),
    pytest.param("incidents", ("get", "events", "-o", "json", "--field-selector", "involvedObject.kind=Node"),
                 id="node events in json"),
]
CASES += INCIDENT_DESCRIBES

VARIETY_DESCRIBES = [
    case("variety", "describe secret site-tls", "a TLS secret"),
    case("variety", "describe secret regcred", "a docker config secret"),
    case("variety", "describe configmap blobs", "a config map with multi-line and binary data"),
    case("variety", "describe priorityclass critical", "a priority class without a description"),
    case("variety", "describe persistentvolume pv-nfs", "an NFS volume with mount options and a recycle policy"),
    case("variety", "describe persistentvolumeclaim shared", "a claim bound to an NFS volume, used by a pod"),
    case("variety", "describe pod guaranteed",
         "a guaranteed pod with a priority class, readiness gate and every volume type"),
    case("variety", "describe service sticky", "a service with session affinity and two named ports"),
    case("variety", "describe service external", "an ExternalName service"),
    case("variety", "describe service local-np", "a node port service with a local traffic policy"),
    case("variety", "describe ingressclass nginx", "the default ingress class"),
    case("variety", "describe ingress secure", "an ingress with TLS, a default backend and a missing service"),
    case("variety", "describe networkpolicy lockdown", "a network policy with egress, ip blocks and expressions"),
    case("variety", "describe job indexed", "an indexed job with a deadline and a TTL"),
    case("variety", "describe daemonset workers-only", "a daemon set updated on delete with a node selector"),
    case("variety", "describe poddisruptionbudget g-pdb", "a pod disruption budget by max unavailable"),
    case("variety", "describe statefulset store", "a stateful set with a claim template"),
    case("variety", "describe persistentvolumeclaim data-store-0", "a claim made from a stateful set's template"),
]
CASES += VARIETY_DESCRIBES

GET_OBJECTS = [("world", kind, name, ns) for kind, name, ns in scenarios.WORLD_OBJECTS] + \
    [("extras", kind, name, ns) for kind, name, ns in scenarios.EXTRA_OBJECTS] + \
    [(w, kind, name, ns) for w in ("during", "after") for kind, name, ns in scenarios.ROLLOUT_OBJECTS]

INCIDENT_GETS = [("incidents", kind, name, ns) for kind, name, ns in scenarios.INCIDENT_OBJECTS
                 if kind not in ("endpointslice",)]
GET_OBJECTS += INCIDENT_GETS + [("variety", kind, name, ns) for kind, name, ns in scenarios.VARIETY_OBJECTS]

for fmt in ("yaml", "json"):
    for w, kind, name, ns in GET_OBJECTS:
        when = {"during": " mid-rollout", "after": " after its rollout",
                "incidents": " after things went wrong", "variety": " (variety)"}.get(w, "")
        where = f" -n {ns}" if ns else ""
        CASES.append(case(w, f"get {kind} {name} -o {fmt}{where}", f"{kind} {name}{when} prints the same {fmt}"))

CASES += [pytest.param("extras", argv, id=label) for argv, label in scenarios.EXTRA_COMMANDS]
CASES += [pytest.param("world", argv, id=label) for argv, label in scenarios.WORLD_COMMANDS]


def snapshot(world):
    if world in ("world", "extras", "variety"):
        return getattr(scenarios, world)()
    if world == "incidents":
        return scenarios.incidents()[0]
    return scenarios.rollout()[world]


CASES += [pytest.param("extras", argv, id=label) for argv, label in scenarios.TEMPLATES]

# Where kcore prints something else today: the exact difference and where it comes from.
DIFFERENCES = {
}
CASES = [pytest.param(*p.values, id=p.id, marks=[differs(DIFFERENCES[p.id])] if p.id in DIFFERENCES else [])
         for p in CASES]
assert {p.id for p in CASES} >= set(DIFFERENCES)


@pytest.mark.parametrize("world, argv", CASES)
def test_kcore_prints_what_real_kubectl_prints(oracle, world, argv):
    snap = snapshot(world)
    ours = snap.ours[argv]
    real_out, real_err, real_code = oracle.run(snap, list(argv), clocked=argv[0] in ("describe", "events"))
    assert real_code == 0 and real_out, f"the oracle itself failed (a scenario drifted?): {real_err}"
    diff = "".join(difflib.unified_diff(real_out.splitlines(True), ours.stdout.splitlines(True),
                                        "real kubectl", "kcore"))
    assert (ours.stdout, ours.returncode) == (real_out, real_code), \
        f"{diff}\nreal stderr: {real_err}\nkcore stderr: {ours.stderr}\nnot served: {oracle.stub.misses}"
