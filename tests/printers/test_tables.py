"""`kubectl get` tables against the real-kubectl samples of the fidelity reference (§1.3, §1.4).

Each case builds objects whose cells should reproduce a real transcript byte for byte:
column widths, padding, placeholders, the NAMESPACE/LABELS/-L decorations and kind prefixes."""
import pytest

from kcore.cli.kubectl.printers import print_tables, print_names
from tests.printers.builders import NOW, ts, pod, waiting, terminated, running, meta
from tests.printers.goldens import check_golden

POD = ("Pod", "", True)
M, H, D = 60, 3600, 86400


def web_pod(suffix, node, ip, age=4 * H + 37 * M):
    return (pod(f"web-5d8f9c7b6d-{suffix}", age=age).labels(app="web", **{"pod-template-hash": "5d8f9c7b6d"})
            .node(node).ip(ip).running())


PODS = {
    "badimage": pod("badimage", age=537).phase("Pending").container("app", waiting("ImagePullBackOff")),
    "crashy": pod("crashy", age=77 * M).phase("Running").container(
        "app", waiting("CrashLoopBackOff"), restarts=17, last_finished=600),
    "creating": pod("creating", age=445).node("node01").phase("Pending").container("app", waiting("ContainerCreating")),
    "done-job-x2x7q": pod("done-job-x2x7q", age=127 * M).phase("Succeeded").container("app", terminated(0, "Completed")),
    "init-demo": pod("init-demo", age=457).init("setup").phase("Pending")
    .container("setup", running(), init=True).container("app", waiting("PodInitializing")),
    "leaving": pod("leaving", age=12 * M).running().deleting(),
    "multi": pod("multi", age=10 * M, containers=("a", "b")).running(),
    "nginx": pod("nginx", age=567).labels(run="nginx").node("node01").ip("10.244.1.4").running(),
    "oom": pod("oom", age=17 * M).phase("Running").container("app", terminated(137, "OOMKilled"), restarts=3,
                                                             last_finished=520),
    "pending": pod("pending", age=484),
    "web-5d8f9c7b6d-4xk2p": web_pod("4xk2p", "node01", "10.244.1.20"),
    "web-5d8f9c7b6d-9ztwv": web_pod("9ztwv", "node02", "10.244.2.21"),
}


def pods(*names):
    return [PODS[n].obj() for n in names]


def control_plane_pods():
    return [pod(f"{n}-controlplane", namespace="kube-system", age=10 * D).running().obj()
            for n in ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")]


def web_service():
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta("web", 3 * H + 7 * M, "default"),
            "spec": {"type": "NodePort", "clusterIP": "10.102.45.17", "clusterIPs": ["10.102.45.17"],
                     "selector": {"app": "web"}, "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}]}}


POD_CASES = [
    pytest.param("get-pods", [(POD, pods("badimage", "crashy", "creating", "done-job-x2x7q", "init-demo", "leaving",
                                          "multi", "nginx", "oom", "pending", "web-5d8f9c7b6d-4xk2p"))], {},
                 id="the pod list shows every STATUS kubectl computes"),
    pytest.param("get-pods-wide", [(POD, pods("nginx", "creating", "pending", "web-5d8f9c7b6d-9ztwv"))],
                 {"wide": True}, id="wide pods add IP, node, nominated node and readiness gates"),
    pytest.param("get-pods-show-labels", [(POD, pods("nginx", "web-5d8f9c7b6d-4xk2p"))], {"show_labels": True},
                 id="show-labels appends sorted labels"),
    pytest.param("get-pods-label-columns", [(POD, pods("nginx", "web-5d8f9c7b6d-4xk2p"))],
                 {"label_columns": ["run", "app"]}, id="label columns leave a missing label empty"),
    pytest.param("get-pods-all-namespaces", [(POD, control_plane_pods())], {"all_namespaces": True},
                 id="all namespaces puts NAMESPACE first"),
    pytest.param("get-pods-no-headers", [(POD, pods("nginx", "crashy"))], {"no_headers": True},
                 id="no-headers sizes columns from the data alone"),
    pytest.param("get-pods-and-services", [(POD, pods("web-5d8f9c7b6d-4xk2p", "web-5d8f9c7b6d-9ztwv")),
                                           (("Service", "", True), [web_service()])], {},
                 id="two types print two tables with kind prefixes and a blank line"),
]


@pytest.mark.parametrize("golden, sections, options", POD_CASES)
def test_pod_tables(golden, sections, options):
    check_golden(golden, print_tables(sections, NOW, **options))


def test_names_of_pods():
    check_golden("get-pods-name", print_names([(POD, pods("nginx", "crashy"))]))


# ---------------------------------------------------------------- other kinds

def node(name, roles=(), ip="", unschedulable=False):
    labels = {f"node-role.kubernetes.io/{r}": "" for r in roles}
    return {"kind": "Node", "metadata": meta(name, 10 * D, labels=labels),
            "spec": {"unschedulable": True} if unschedulable else {},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                       "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
                       "nodeInfo": {"kubeletVersion": "v1.35.2", "osImage": "Ubuntu 22.04.5 LTS",
                                    "kernelVersion": "5.15.0-139-generic",
                                    "containerRuntimeVersion": "containerd://1.7.27"}}}


def template(image="nginx:1.27", name="nginx", labels=None, node_selector=None):
    spec = {"containers": [{"name": name, "image": image}]}
    if node_selector:
        spec["nodeSelector"] = node_selector
    return {"metadata": {"labels": labels or {}}, "spec": spec}


def svc(name, ns, kind, ip, ports, age, lb=None):
    spec = {"type": kind, "clusterIP": ip, "clusterIPs": [ip], "ports": ports}
    status = {"loadBalancer": {"ingress": lb}} if lb else {}
    return {"kind": "Service", "metadata": meta(name, age, ns), "spec": spec, "status": status}


def tcp(port, node_port=None, proto="TCP"):
    p = {"port": port, "protocol": proto}
    if node_port:
        p["nodePort"] = node_port
    return p


def endpoints(name, age, ips, port):
    return {"kind": "Endpoints", "metadata": meta(name, age, "default"),
            "subsets": [{"addresses": [{"ip": ip} for ip in ips], "ports": [{"port": port}]}]}


def pv(name, size, mode, policy, phase, sc, claim=None):
    spec = {"capacity": {"storage": size}, "accessModes": [mode], "persistentVolumeReclaimPolicy": policy}
    if sc:
        spec["storageClassName"] = sc
    if claim:
        spec["claimRef"] = {"namespace": "default", "name": claim}
    return {"kind": "PersistentVolume", "metadata": meta(name, 60 * M), "spec": spec, "status": {"phase": phase}}


def pvc(name, age, phase, sc=None, volume=None, size=None, mode=None):
    spec = {"resources": {"requests": {"storage": size or "1Gi"}}}
    if sc is not None:
        spec["storageClassName"] = sc
    status = {"phase": phase}
    if volume:
        spec["volumeName"] = volume
        status.update({"capacity": {"storage": size}, "accessModes": [mode]})
    return {"kind": "PersistentVolumeClaim", "metadata": meta(name, age, "default"), "spec": spec, "status": status}


def event(reason, age, message, kind="Pod", name="nginx", type_="Normal"):
    return {"kind": "Event", "metadata": meta(f"{name}.17f3c2a1b2c3d4e5", age, "default"),
            "involvedObject": {"kind": kind, "name": name}, "reason": reason, "message": message, "type": type_,
            "firstTimestamp": ts(age), "lastTimestamp": ts(age), "count": 1, "source": {"component": "kubelet"}}


OTHER_CASES = [
    pytest.param("get-nodes-wide", ("Node", "", False), [
        node("controlplane", ("control-plane",), "192.168.1.10"), node("node01", ip="192.168.1.11"),
        node("node02", ip="192.168.1.12", unschedulable=True)], {"wide": True},
        id="nodes show roles, SchedulingDisabled and the wide node info"),
    pytest.param("get-deployments-wide", ("Deployment", "apps", True), [
        {"kind": "Deployment", "metadata": meta("web", 4 * H + 30 * M, "default"),
         "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": template()},
         "status": {"readyReplicas": 3, "updatedReplicas": 3, "availableReplicas": 3}}], {"wide": True},
        id="deployments show READY as ready over desired and the wide selector"),
    pytest.param("get-daemonsets-all-namespaces", ("DaemonSet", "apps", True), [
        {"kind": "DaemonSet", "metadata": meta("kube-proxy", 10 * D, "kube-system"),
         "spec": {"template": template(node_selector={"kubernetes.io/os": "linux"})},
         "status": {k: 3 for k in ("desiredNumberScheduled", "currentNumberScheduled", "numberReady",
                                   "updatedNumberScheduled", "numberAvailable")}}], {"all_namespaces": True},
        id="daemonsets show their node selector"),
    pytest.param("get-services-all-namespaces", ("Service", "", True), [
        svc("kubernetes", "default", "ClusterIP", "10.96.0.1", [tcp(443)], 10 * D),
        svc("lb", "default", "LoadBalancer", "10.101.3.4", [tcp(80, 31234)], 3 * H),
        svc("web", "default", "NodePort", "10.102.45.17", [tcp(80, 30080)], 3 * H),
        svc("kube-dns", "kube-system", "ClusterIP", "10.96.0.10",
            [tcp(53, proto="UDP"), tcp(53), tcp(9153)], 10 * D)], {"all_namespaces": True},
        id="services show pending load balancers and node ports"),
    pytest.param("get-endpoints", ("Endpoints", "", True), [
        endpoints("kubernetes", 10 * D, ["192.168.1.10"], 6443),
        endpoints("web", 3 * H, ["10.244.1.20", "10.244.2.21", "10.244.1.22", "10.244.2.23"], 80)], {},
        id="endpoints list three addresses then how many more"),
    pytest.param("get-pv", ("PersistentVolume", "", False), [
        pv("pv-free", "1Gi", "ReadWriteOnce", "Delete", "Available", "manual"),
        pv("pv-log", "100Mi", "ReadWriteMany", "Retain", "Bound", "", "claim-log")], {},
        id="persistent volumes abbreviate access modes and show the claim"),
    pytest.param("get-pvc", ("PersistentVolumeClaim", "", True), [
        pvc("claim-log", 58 * M, "Bound", "", "pv-log", "100Mi", "ReadWriteMany"),
        pvc("claim-pending", 108, "Pending", "local-path")], {},
        id="claims leave volume, capacity and modes empty until bound"),
    pytest.param("get-sc", ("StorageClass", "storage.k8s.io", False), [
        {"kind": "StorageClass", "metadata": meta("local-path", 10 * D, annotations={
            "storageclass.kubernetes.io/is-default-class": "true"}), "provisioner": "rancher.io/local-path",
         "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer"},
        {"kind": "StorageClass", "metadata": meta("manual", 60 * M), "provisioner": "kubernetes.io/no-provisioner",
         "reclaimPolicy": "Retain", "allowVolumeExpansion": True}], {},
        id="the default storage class is marked"),
    pytest.param("get-roles", ("Role", "rbac.authorization.k8s.io", True), [
        {"kind": "Role", "metadata": {"name": "pod-reader", "creationTimestamp": "2026-01-15T09:30:00Z"}}], {},
        id="roles have no printer and show CREATED AT"),
    pytest.param("get-rolebindings-wide", ("RoleBinding", "rbac.authorization.k8s.io", True), [
        {"kind": "RoleBinding", "metadata": meta("read-pods", 10 * M, "default"),
         "roleRef": {"kind": "Role", "name": "pod-reader"},
         "subjects": [{"kind": "User", "name": "jane"},
                      {"kind": "ServiceAccount", "name": "mysa", "namespace": "default"}]}], {"wide": True},
        id="role bindings show the role and, wide, their subjects"),
    pytest.param("get-netpol", ("NetworkPolicy", "networking.k8s.io", True), [
        {"kind": "NetworkPolicy", "metadata": meta("allow-web", 308, "default"),
         "spec": {"podSelector": {"matchLabels": {"app": "web"}}}},
        {"kind": "NetworkPolicy", "metadata": meta("default-deny", 308, "default"), "spec": {"podSelector": {}}}],
        {}, id="an empty pod selector prints none"),
    pytest.param("get-ingress", ("Ingress", "networking.k8s.io", True), [
        {"kind": "Ingress", "metadata": meta("web-ing", 208, "default"),
         "spec": {"ingressClassName": "nginx", "rules": [{"host": "web.example.com"}],
                  "tls": [{"hosts": ["web.example.com"], "secretName": "web-tls"}]},
         "status": {"loadBalancer": {"ingress": [{"ip": "192.168.1.240"}]}}}], {},
        id="an ingress with tls serves ports 80 and 443"),
    pytest.param("get-quota", ("ResourceQuota", "", True), [
        {"kind": "ResourceQuota", "metadata": meta("my-quota", 408, "default"),
         "status": {"hard": {"pods": "10", "requests.cpu": "2", "requests.memory": "2Gi", "limits.cpu": "4",
                             "limits.memory": "4Gi"},
                    "used": {"pods": "3", "requests.cpu": "500m", "requests.memory": "256Mi", "limits.cpu": "1",
                             "limits.memory": "512Mi"}}}], {},
        id="quotas split requests from limits"),
    pytest.param("get-events", ("Event", "", True), [
        dict(event("Scheduled", 568, "Successfully assigned default/nginx to node01"),
             source={"component": "default-scheduler"}),
        event("Pulling", 567, 'Pulling image "nginx"'),
        event("Pulled", 564, 'Successfully pulled image "nginx" in 2.874s (2.874s including waiting). '
                             'Image size: 72195292 bytes.'),
        event("Created", 564, "Created container: nginx"),
        event("Started", 563, "Started container nginx")], {},
        id="events show last seen, type, reason, object and message"),
    pytest.param("get-csr", ("CertificateSigningRequest", "certificates.k8s.io", False), [
        {"kind": "CertificateSigningRequest", "metadata": meta("akshay", 54),
         "spec": {"signerName": "kubernetes.io/kube-apiserver-client", "username": "kubernetes-admin"}},
        {"kind": "CertificateSigningRequest", "metadata": meta("csr-7f9xk", 10 * D),
         "spec": {"signerName": "kubernetes.io/kube-apiserver-client-kubelet", "username": "system:node:node01"},
         "status": {"conditions": [{"type": "Approved", "status": "True"}], "certificate": "LS0t"}}], {},
        id="certificate requests show Pending and Approved,Issued"),
    pytest.param("get-cronjobs", ("CronJob", "batch", True), [
        {"kind": "CronJob", "metadata": meta("hello", 10 * M, "default"),
         "spec": {"schedule": "*/5 * * * *", "suspend": False, "jobTemplate": {"spec": {"template": template()}}},
         "status": {"lastScheduleTime": ts(104)}}], {},
        id="cron jobs show schedule, time zone and last schedule"),
]


@pytest.mark.parametrize("golden, info, objects, options", OTHER_CASES)
def test_kind_tables(golden, info, objects, options):
    check_golden(golden, print_tables([(info, objects)], NOW, **options))


def test_nothing_found_prints_nothing():
    assert print_tables([(POD, [])], NOW) == ""
