"""Chapter 01, Core concepts: the lab the graded assignment starts from, its hints, and two
small helpers the chapter's notebooks need.

The lab ("ch01-core-concepts") is a kubeadm cluster with a few things already in place,
the way an exam task finds them:

- ReplicaSet `new-replica-set`: 4 replicas of an image that does not exist (busybox777),
  every pod in ImagePullBackOff;
- ReplicaSet `frontend`: 2 nginx pods, waiting to be scaled;
- Deployment `shop` (2 nginx pods, app=shop), to be exposed as a NodePort;
- pod `cache` (redis:alpine, app=cache), to be exposed as a ClusterIP service;
- namespace `marketing` with a `db` pod behind the service `db-service`;
- `/root/replicaset-definition-2.yaml` on the control plane: a ReplicaSet manifest with the
  wrong apiVersion and a selector that does not match its template.

Each graded task has an id (`ch01-pod`, `ch01-rs-image`, ...) under which its hints are
registered, easiest nudge first; the assignment tells the learner to call `hint("<id>")`.

Helpers:

- `etcdctl(line)` runs an etcdctl command line on the control plane: through the node
  shell when the shell provides etcdctl, otherwise through kcore's etcdctl directly, with the
  certificates read from the node, so the output is the same either way.
- `TracedCluster(cluster)` presents the cluster's API request trail (`cluster.trail()`:
  verb, resource, name, user, revision) as the component steps RequestFlow draws
  (kubectl → apiserver → etcd → scheduler → kubelet → runtime).
- `check_applied(...)`: a graded check that an object was made declaratively
  (`kubectl apply` leaves the last-applied-configuration annotation; `create` does not)."""
from __future__ import annotations

import json
import re
import shlex
from typing import Any

from kcore.notebook import hints, session
from kcore.notebook.grading import CheckFailed, Reader, explain
from kcore.notebook.scenarios import Lab, scenario

LAB = "ch01-core-concepts"
SEED = 101

# -- the lab ---------------------------------------------------------------------------------

BROKEN_IMAGE_RS = """\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: new-replica-set
spec:
  replicas: 4
  selector:
    matchLabels:
      name: busybox-pod
  template:
    metadata:
      labels:
        name: busybox-pod
    spec:
      containers:
      - name: busybox-container
        image: busybox777
        command: ["sh", "-c", "echo Hello Kubernetes! && sleep 3600"]
"""

FRONTEND_RS = """\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: frontend
  labels:
    app: guestbook
spec:
  replicas: 2
  selector:
    matchLabels:
      tier: frontend
  template:
    metadata:
      labels:
        tier: frontend
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""

MARKETING = """\
apiVersion: v1
kind: Namespace
metadata:
  name: marketing
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  namespace: marketing
  labels:
    app: db
spec:
  containers:
  - name: redis
    image: redis:alpine
---
apiVersion: v1
kind: Service
metadata:
  name: db-service
  namespace: marketing
spec:
  selector:
    app: db
  ports:
  - port: 6379
    targetPort: 6379
"""

# Two mistakes, as in the classic lab: ReplicaSet is in apps/v1, and the selector must match
# the template's labels (the API server refuses it otherwise).
BROKEN_RS_FILE = """\
apiVersion: v1
kind: ReplicaSet
metadata:
  name: replicaset-2
spec:
  replicas: 2
  selector:
    matchLabels:
      tier: frontend
  template:
    metadata:
      labels:
        tier: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
"""

TASKS = ("ch01-pod", "ch01-labels", "ch01-multi", "ch01-rs-fix", "ch01-rs-image", "ch01-scale",
         "ch01-deploy-ns", "ch01-clusterip", "ch01-nodeport", "ch01-dns", "ch01-scheduler",
         "ch01-jsonpath", "ch01-etcd", "ch01-declarative")


@scenario(LAB, "Core concepts: pods, ReplicaSets, Deployments, namespaces and Services",
          tasks=TASKS, seed=SEED)
def _core_concepts(lab: Lab) -> None:
    """A kubeadm cluster with a broken ReplicaSet, one to scale, a deployment and a pod to
    expose, a `marketing` namespace with a database service, and a broken manifest file."""
    lab.apply(BROKEN_IMAGE_RS)
    lab.apply(FRONTEND_RS)
    lab.kubectl("create deployment shop --image=nginx:1.27 --replicas=2")
    lab.kubectl("run cache --image=redis:alpine --labels=app=cache")
    lab.apply(MARKETING)
    lab.ssh("controlplane", "cat > /root/replicaset-definition-2.yaml", stdin=BROKEN_RS_FILE)
    lab.advance(30)


hints.register(
    "ch01-pod",
    "`kubectl run NAME --image=IMAGE` creates a single pod.",
    "The image has a tag: `nginx:alpine`, not `nginx` (that would be nginx:latest).",
    "%kubectl run nginx-pod --image=nginx:alpine",
)
hints.register(
    "ch01-labels",
    "`kubectl run` takes `--labels key=value` (or `-l`).",
    "Check with `kubectl get pod redis --show-labels`.",
    "%kubectl run redis --image=redis:alpine --labels=tier=db",
)
hints.register(
    "ch01-multi",
    "A pod's spec.containers is a list: one `- name: ... image: ...` entry per container.",
    "busybox exits at once unless it has something to do: give it `command: [\"sleep\", \"3600\"]`.",
    "Start from `kubectl run multi --image=nginx --dry-run=client -o yaml`, rename the first "
    "container to web and add a second entry named sidecar with image busybox and the sleep command.",
)
hints.register(
    "ch01-rs-fix",
    "Try it first: `%kubectl create -f /root/replicaset-definition-2.yaml` and read the error.",
    "ReplicaSets live in the apps group: `apiVersion: apps/v1`. Then the API server complains "
    "that the selector does not match the template's labels.",
    "Make spec.selector.matchLabels and spec.template.metadata.labels say the same thing "
    "(e.g. both tier: frontend). On the node: "
    "`%ssh controlplane sed -i 's|tier: nginx|tier: frontend|' /root/replicaset-definition-2.yaml`, "
    "the same with `apiVersion: v1` → `apiVersion: apps/v1`, then create it.",
)
hints.register(
    "ch01-rs-image",
    "`kubectl describe pod` on one of its pods: the Events say why the image cannot be pulled.",
    "Change the ReplicaSet's template: `kubectl set image rs new-replica-set busybox-container=busybox`.",
    "A ReplicaSet does not replace pods that already exist when its template changes: delete them "
    "(`kubectl delete pods -l name=busybox-pod`) and it creates new ones from the fixed template.",
)
hints.register(
    "ch01-scale",
    "`kubectl scale` works on ReplicaSets, Deployments and ReplicationControllers alike.",
    "%kubectl scale rs frontend --replicas=5",
)
hints.register(
    "ch01-deploy-ns",
    "Two steps: the namespace first (`kubectl create namespace`), then the deployment in it.",
    "Every namespaced command takes `-n NAMESPACE`; without it you are in `default`.",
    "%kubectl create deployment redis-deploy --image=redis --replicas=2 -n dev-ns",
)
hints.register(
    "ch01-clusterip",
    "`kubectl expose pod cache ...` makes a Service whose selector is the pod's labels.",
    "ClusterIP is the default type; give the service its name with `--name` and the port with `--port`.",
    "%kubectl expose pod cache --port=6379 --name=redis-service",
)
hints.register(
    "ch01-nodeport",
    "A Service has three ports here: port (the service's), targetPort (the container's) and nodePort (30000-32767).",
    "`kubectl expose` cannot choose the nodePort; write the Service in YAML (`kubectl create service "
    "nodeport shop-service --tcp=8080:80 --node-port=30080 --dry-run=client -o yaml` is a start).",
    "The selector must match the shop pods: `kubectl get pods --show-labels` shows app=shop.",
)
hints.register(
    "ch01-dns",
    "Inside the namespace the short name works; from another namespace you need the full name.",
    "The form is <service>.<namespace>.svc.<cluster domain>; the cluster domain is cluster.local.",
)
hints.register(
    "ch01-scheduler",
    "The component that decides which node a pod runs on is the scheduler; on a kubeadm cluster "
    "it is a static pod in kube-system.",
    "`kubectl get pods -n kube-system` lists it; `-o name` prints only pod/<name>.",
    'scheduler_command = "kubectl get pods -n kube-system -l component=kube-scheduler -o name"',
)
hints.register(
    "ch01-jsonpath",
    "Look at the structure first: `kubectl get pods -n kube-system -l tier=control-plane -o json`.",
    "A list's items are under .items; each pod's containers under .spec.containers; [*] takes all.",
    'images_template = "{.items[*].spec.containers[*].image}"',
)
hints.register(
    "ch01-etcd",
    "etcd is a static pod: its manifest is in /etc/kubernetes/manifests on the control plane.",
    "%ssh controlplane grep data-dir /etc/kubernetes/manifests/etcd.yaml",
)
hints.register(
    "ch01-declarative",
    "Generate the YAML instead of writing it: `kubectl create deployment api --image=httpd:2.4 "
    "--replicas=2 --dry-run=client -o yaml`.",
    "Then apply it: paste it under `%%kubectl apply -f -`, or pipe it: "
    "`%kubectl create deployment ... --dry-run=client -o yaml | kubectl apply -f -`.",
    "`kubectl create` (without --dry-run) makes the object too, but imperatively: no "
    "last-applied-configuration annotation, so later `apply`s cannot compute what to remove.",
)


# -- etcdctl on the control plane ---------------------------------------------------------------

def _shell_has(tool: str) -> bool:
    from kcore.cli import nodeshell

    return tool in nodeshell.EXTERNAL or hasattr(nodeshell.Shell, "cmd_" + tool)


def etcdctl(line: str, cluster: Any = None, quiet: bool = False) -> Any:
    """Run `[ETCDCTL_API=3] etcdctl ... [| grep ...]` on the control plane and print it like a
    terminal."""
    from kcore.notebook.magics import CommandResult, show, ssh

    target = session.resolve(cluster)
    node = getattr(target, "controlplane", "controlplane")
    if _shell_has("etcdctl"):
        return ssh(node, line, cluster=target, quiet=quiet)
    from kcore.cli.etcdctl import etcdctl as run_etcdctl

    line, bar, rest = line.partition(" | ")
    words = shlex.split(line)
    env = {}
    while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    resolve = lambda path: target.host_path(node, path)  # noqa: E731
    try:
        with open(resolve("/etc/kubernetes/pki/etcd/ca.crt"), "rb") as fh:
            ca_pem = fh.read()
    except OSError:
        ca_pem = None
    stdout, stderr, code = run_etcdctl(target.store, words, env, resolve=resolve, etcd_ca_pem=ca_pem)
    result = CommandResult(stdout, stderr, code)
    if bar:  # the rest of a pipeline runs in the node's shell, fed etcdctl's output
        tail = ssh(node, rest, stdin=stdout, cluster=target, quiet=True)
        result = CommandResult(tail.stdout, stderr + tail.stderr, tail.returncode)
    return result if quiet else show(result)


# -- the request trail as component steps ---------------------------------------------------------

_SINGULAR = {"pods": "pod", "services": "service", "replicasets": "replicaset", "deployments": "deployment",
             "endpoints": "endpoints", "endpointslices": "endpointslice", "events": "event", "nodes": "node",
             "leases": "lease", "namespaces": "namespace", "replicationcontrollers": "replicationcontroller"}
_RUNTIME_REASONS = ("Pulling", "Pulled", "Created", "Started", "Failed", "BackOff", "Killing", "ErrImagePull")


def component_of(user: str) -> str:
    """Which component made a request, from the user it authenticated as."""
    if user.startswith("system:node:"):
        return "kubelet"
    if user == "system:kube-scheduler":
        return "scheduler"
    if user == "system:kube-controller-manager" or (
            user.startswith("system:serviceaccount:kube-system:") and user.endswith("-controller")):
        return "controller-manager"
    if user.endswith(":kube-proxy") or user == "system:kube-proxy":
        return "kube-proxy"
    if "coredns" in user:
        return "coredns"
    return "kubectl"


def _object(resource: str, namespace: str | None, name: str) -> str:
    kind = _SINGULAR.get(resource, resource.rstrip("s"))
    return f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"


def _arrival(component: str, previous: str, entry: dict) -> str:
    if previous == "runtime":
        return "container state changed"
    if component == "scheduler":
        return f"watch: pod {entry.get('name')} has no node"
    if component == "kubelet":
        return f"watch: pod {entry.get('name')} is for {str(entry.get('user', '')).split(':')[-1]}"
    return f"watch: {entry.get('resource')} {entry.get('name')} changed"


class TracedCluster:
    """The cluster, with `trail()` in the shape RequestFlow draws: a list of
    {"t", "component", "action", "object"}; everything else is the cluster's own.

    The kubelet's work with the container runtime is not an API request, so it is read from
    the kubelet's events about the pod (Pulling, Pulled, Created, Started, ...), placed before
    the status update that follows them."""

    def __init__(self, cluster: Any = None):
        self._cluster = session.resolve(cluster)
        self._last: dict | None = None
        self._steps: list[dict] = []
        self._where = "kubectl"
        self._shown: set[tuple[str, str]] = set()
        self._greeted: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cluster, name)

    def kubectl(self, *args: Any, **kwargs: Any) -> Any:
        return self._cluster.kubectl(*args, **kwargs)

    def ssh(self, *args: Any, **kwargs: Any) -> Any:
        return self._cluster.ssh(*args, **kwargs)

    def advance(self, seconds: float) -> None:
        self._cluster.advance(seconds)

    def trail(self) -> list[dict]:
        """Steps from the raw trail; earlier steps never change as the trail grows (the
        engine may drop its oldest entries, so the position is found by the last entry seen)."""
        raw = list(self._cluster.trail())
        start = 0
        if self._last is not None:
            start = next((i + 1 for i in range(len(raw) - 1, -1, -1) if raw[i] == self._last), 0)
        fresh = raw[start:]
        if fresh:
            events = self._runtime_events()
            for entry in fresh:
                self._add(entry, events)
            self._last = fresh[-1]
        return list(self._steps)

    def _runtime_events(self) -> list[dict]:
        """The kubelets' runtime events, oldest first."""
        result = self._cluster.kubectl(["get", "events", "-A", "-o", "json"])
        if result.returncode != 0:
            return []
        items = [e for e in json.loads(result.stdout).get("items", [])
                 if (e.get("source") or {}).get("component") == "kubelet" and e.get("reason") in _RUNTIME_REASONS]
        return sorted(items, key=lambda e: (e.get("firstTimestamp") or "",
                                            int((e.get("metadata") or {}).get("resourceVersion") or 0)))

    def _step(self, t: float, component: str, action: str, obj: str) -> None:
        self._steps.append({"t": round(float(t), 3), "component": component, "action": action, "object": obj})
        self._where = component

    def _arrive(self, t: float, component: str, entry: dict, obj: str) -> None:
        if component == "kubectl" or self._where == component:
            return
        if self._where == "runtime":
            label = "container state changed"
        elif component == "scheduler":
            label = f"watch: pod {entry.get('name')} has no node"
        elif component == "kubelet" and obj not in self._greeted:
            self._greeted.add(obj)
            label = f"watch: pod {entry.get('name')} is bound to {str(entry.get('user', '')).split(':')[-1]}"
        else:
            label = "sync pod"
        self._step(t, component, label, obj)

    def _add(self, entry: dict, events: list[dict]) -> None:
        t, verb, resource = entry.get("t", 0), str(entry.get("verb", "")), str(entry.get("resource", ""))
        namespace, name = entry.get("namespace"), str(entry.get("name", ""))
        component = component_of(str(entry.get("user", "")))
        if resource == "events":
            return
        obj = _object(resource, namespace, name)
        self._arrive(t, component, entry, obj)
        if component == "kubelet" and resource == "pods":
            second, done = _stamp(t), []
            for event in events:
                involved = event.get("involvedObject") or {}
                key = ((event.get("metadata") or {}).get("namespace"), (event.get("metadata") or {}).get("name"))
                if key in self._shown or involved.get("name") != name or involved.get("namespace") != namespace \
                        or (event.get("firstTimestamp") or "") > second:
                    continue
                self._shown.add(key)
                done.append(str(event.get("message", "")).split(" in ")[0])
            if done:  # one arrow for what the runtime did since the last status update
                self._step(t, "runtime", "\n".join(done), obj)
            self._arrive(t, component, entry, obj)
        what = verb.replace("/", " ") if "/" in verb else verb
        self._step(t, "apiserver", f"{what} {resource} {name}", obj)
        self._step(t, "etcd", f"store revision {entry.get('revision')}", obj)


def _stamp(t: float) -> str:
    """The RFC 3339 second an event made at virtual time t carries."""
    from datetime import datetime, timezone

    from kcore.sim import EPOCH

    return datetime.fromtimestamp(EPOCH + int(t), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- checks this chapter adds ------------------------------------------------------------------

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def check_applied(resource: str, name: str, namespace: str = "default", hint: str | None = None) -> None:
    """The object exists and was made (or last changed) with `kubectl apply`."""
    reader = Reader()
    obj = reader.get(resource, name, namespace)
    kind = resource.rstrip("s").capitalize()
    if obj is None:
        raise CheckFailed(explain(f"Expected a {kind} named '{name}' in namespace '{namespace}'", "there is none",
                                  (), f"kubectl get {resource} -n {namespace}", hint))
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    if LAST_APPLIED not in annotations:
        raise CheckFailed(explain(
            f"{obj.get('kind', kind)} '{name}' should have been created declaratively, with kubectl apply",
            f"it has no {LAST_APPLIED} annotation, so it was made with kubectl create",
            ["Delete it and apply the manifest instead (kubectl apply -f ...)."],
            f"kubectl get {resource} {name} -n {namespace} -o yaml (metadata.annotations)", hint))


def check_command(command: Any, expected: str, what: str = "command", hint: str | None = None) -> None:
    """A learner's kubectl command (a string), graded by what it prints on the lab cluster."""
    from kcore.notebook.grading import check

    if command is None or not str(command).strip():
        raise CheckFailed(explain(f"Expected your {what}", "it is still empty", (), "the task's answer cell", hint))
    check.output(str(command), expected, what=what, hint=hint)


# -- the NodePort picture the notes draw --------------------------------------------------------

def _items(cluster: Any, *args: str) -> list[dict]:
    result = cluster.kubectl(["get", *args, "-o", "json"])
    if result.returncode != 0:
        return []
    data = json.loads(result.stdout)
    return data.get("items", [data]) if "items" in data else [data]


def nodeport_model(service: str, namespace: str = "default", cluster: Any = None) -> dict:
    """Plain data for the picture: the Service's ports, every node's IP, the ready endpoints."""
    target = session.resolve(cluster)
    svc = (_items(target, "service", service, "-n", namespace) or [{}])[0]
    nodes = [(n["metadata"]["name"], next((a["address"] for a in n.get("status", {}).get("addresses", [])
                                            if a.get("type") == "InternalIP"), ""))
             for n in _items(target, "nodes")]
    endpoints = []
    for piece in _items(target, "endpointslices", "-n", namespace, "-l", f"kubernetes.io/service-name={service}"):
        for ep in piece.get("endpoints") or []:
            if (ep.get("conditions") or {}).get("ready", True):
                endpoints.append({"pod": (ep.get("targetRef") or {}).get("name", "?"), "node": ep.get("nodeName", "?"),
                                  "ip": (ep.get("addresses") or ["?"])[0]})
    spec = svc.get("spec") or {}
    return {"service": service, "namespace": namespace, "type": spec.get("type", "ClusterIP"),
            "clusterIP": spec.get("clusterIP", ""), "ports": spec.get("ports") or [], "nodes": sorted(nodes),
            "endpoints": sorted(endpoints, key=lambda e: (e["node"], e["pod"]))}


def nodeport_dot(model: dict) -> str:
    """DOT for the NodePort path: client → every node's nodePort → Service port → each pod's targetPort."""
    from kcore.notebook.widgets.render import q

    port = (model["ports"] or [{}])[0]
    lines = ["digraph nodeport {", '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.3];',
             '  node [fontname="Helvetica", fontsize=10, shape=box, style="rounded,filled", fillcolor="#ffffff"];',
             '  edge [color="#6b7280", arrowsize=0.6, fontname="Helvetica", fontsize=9];',
             '  "client" [label="client outside\\nthe cluster", shape=oval, fillcolor="#f3f4f6"];']
    svc_label = f"Service {model['service']} ({model['type']})\n{model['clusterIP']}:{port.get('port', '?')}"
    lines.append(f'  "svc" [label={q(svc_label)}, shape=ellipse, fillcolor="#dbeafe"];')
    for name, ip in model["nodes"]:
        node_id = f"node/{name}"
        label = f"{name}  {ip}:{port.get('nodePort', '-')}"
        lines.append(f'  {q(node_id)} [label={q(label)}, fillcolor="#e0e7ff"];')
        lines.append(f'  "client" -> {q(node_id)} [label="nodePort"];')
        lines.append(f'  {q(node_id)} -> "svc" [label={q("port " + str(port.get("port", "?")))}];')
    for ep in model["endpoints"]:
        pod_id = f"pod/{ep['pod']}"
        label = f"pod {ep['pod']}\n{ep['ip']} on {ep['node']}"
        lines.append(f'  {q(pod_id)} [label={q(label)}, fillcolor="#bbf7d0"];')
        lines.append(f"  \"svc\" -> {q(pod_id)} [label={q('targetPort ' + str(port.get('targetPort', '?')))}];")
    if not model["endpoints"]:
        lines.append('  "none" [label="no ready endpoints:\\nthe selector matches no ready pod", shape=plaintext, style=""];')
        lines.append('  "svc" -> "none" [style=dashed];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def nodeport_table(model: dict) -> str:
    from kcore.notebook.widgets.render import html_table

    port = (model["ports"] or [{}])[0]
    rows = [[f"{name} {ip}:{port.get('nodePort', '-')}", f"{model['clusterIP']}:{port.get('port', '?')}",
             ", ".join(f"{e['pod']} {e['ip']}:{port.get('targetPort', '?')}" for e in model["endpoints"]) or "-"]
            for name, ip in model["nodes"]]
    return html_table(["nodePort on", "Service port", "targetPort on pods"], rows,
                      f"Service {model['service']} ({model['type']})")


def nodeport_picture(service: str, namespace: str = "default", cluster: Any = None) -> Any:
    """The picture of the notes' NodePort diagram, drawn from the cluster: SVG with graphviz,
    an HTML table (and how to install graphviz) without it."""
    from IPython.display import HTML, SVG

    from kcore.notebook.widgets.render import dot_available, fallback_html, to_svg

    model = nodeport_model(service, namespace, cluster)
    if dot_available():
        return SVG(to_svg(nodeport_dot(model)))
    return HTML(fallback_html(nodeport_table(model)))
