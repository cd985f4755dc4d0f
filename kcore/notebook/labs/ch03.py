"""Chapter 03, Logging & Monitoring: the lab the graded assignment starts from, its hints, and
the checks the chapter's tasks need.

The lab ("ch03-logging-monitoring") is a kubeadm cluster with two workers and no
metrics-server yet (`kubectl top` fails with "Metrics API not available"):

- namespace `shop`: `checkout` (nginx, busy: ~300m CPU, on node01), `search` (redis, ~120m),
  `catalog` (stress holding 400Mi of memory, on node02 — the memory hog, not the CPU hog),
  `payments` (two containers, `app` and `audit`; only audit logs an ERROR line) and
  `reporter` (crashed once with a FATAL line, then restarted and now waits: its *current*
  log does not show the crash, its previous one does);
- namespace `batch`: `backup` (stress holding 700Mi, on node02), the cluster's biggest pod.

So node01 uses the most CPU and node02 the most memory, and every "most" question has a
different answer for CPU and for memory: choosing the wrong column is caught and explained.

kcore's containers do not burn CPU (a busy loop costs no real time in the simulation); the
lab sets the CPU that `checkout` and `search` report, through `load(...)` below, which the
teaching notebook uses as well.

Each graded task has an id (`ch03-metrics-server`, ...) under which its hints are registered,
easiest nudge first; the assignment tells the learner to call `hint("<id>")`."""
from __future__ import annotations

from typing import Any

from kcore.notebook import hints, session
from kcore.notebook.grading import CheckFailed, Reader, dig, explain
from kcore.notebook.scenarios import Lab, scenario

LAB = "ch03-logging-monitoring"
SEED = 303
COMPONENTS = "https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml"

# -- the lab ---------------------------------------------------------------------------------

SHOP = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Namespace
metadata:
  name: batch
---
apiVersion: v1
kind: Pod
metadata:
  name: checkout
  namespace: shop
  labels: {app: checkout, tier: web}
spec:
  nodeName: node01
  containers:
  - name: nginx
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: search
  namespace: shop
  labels: {app: search, tier: backend}
spec:
  nodeName: node01
  containers:
  - name: redis
    image: redis
---
apiVersion: v1
kind: Pod
metadata:
  name: catalog
  namespace: shop
  labels: {app: catalog, tier: backend}
spec:
  nodeName: node02
  containers:
  - name: cache
    image: polinux/stress
    command: ["stress", "--vm", "1", "--vm-bytes", "400M", "--vm-hang", "1"]
---
apiVersion: v1
kind: Pod
metadata:
  name: payments
  namespace: shop
  labels: {app: payments, tier: backend}
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "echo 'INFO payments service listening on :8080'; echo 'INFO charged order 7730'; echo 'WARN retrying order 7731'; sleep 3600"]
  - name: audit
    image: busybox
    command: ["sh", "-c", "echo 'INFO audit trail opened'; echo 'ERROR order 7731: card issuer unreachable (timeout after 30s)'; echo 'INFO audit trail flushed'; sleep 3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: reporter
  namespace: shop
  labels: {app: reporter, tier: batch}
spec:
  containers:
  - name: reporter
    image: busybox
    command: ["sh", "-c", "if [ -f /state/crashed ]; then echo 'reporter: waiting for the next report window'; sleep 3600; else touch /state/crashed; echo 'reporter: loading /etc/reporter/config.yaml'; echo 'FATAL: database host reports-db.shop.svc not found'; exit 1; fi"]
    volumeMounts:
    - name: state
      mountPath: /state
  volumes:
  - name: state
    emptyDir: {}
---
apiVersion: v1
kind: Pod
metadata:
  name: backup
  namespace: batch
  labels: {app: backup}
spec:
  nodeName: node02
  containers:
  - name: backup
    image: polinux/stress
    command: ["stress", "--vm", "1", "--vm-bytes", "700M", "--vm-hang", "1"]
"""

# the CPU the busy pods report (millicores), as `kubectl top` shows it
LOAD = {("shop", "checkout"): 310, ("shop", "search"): 120}

TASKS = ("ch03-metrics-server", "ch03-top-pod", "ch03-top-node", "ch03-sort-by", "ch03-multi-container",
         "ch03-previous")


def load(millicores: dict[tuple[str, str], int], cluster: Any = None) -> None:
    """Make the (namespace, pod) pods report this much CPU: what a busy process would use.
    kcore's programs cost no real CPU, so a lab sets it; every container of the pod reports it."""
    target = session.resolve(cluster)
    for kubelet in target.hosts.values():
        for worker in kubelet.workers.values():
            meta = worker.pod["metadata"]
            want = millicores.get((meta.get("namespace"), meta["name"]))
            if want is None:
                continue
            for state in worker.containers:
                container = state.container
                if container is not None and container.process is not None:
                    container.process.state["cpu_millis"] = want


@scenario(LAB, "Logging & Monitoring: metrics-server, kubectl top, kubectl logs",
          tasks=TASKS, workers=2, seed=SEED)
def _monitoring(lab: Lab) -> None:
    """Two workers, no metrics-server; a shop whose pods use CPU and memory unevenly, a
    two-container pod with an error in one container, a pod that crashed once."""
    lab.apply(SHOP)
    lab.advance(30)
    load(LOAD, lab.cluster)


hints.register(
    "ch03-metrics-server",
    f"metrics-server is installed from its release manifest: `kubectl apply -f {COMPONENTS}`.",
    "Installed but `kubectl top` still fails? Read its log: "
    "`kubectl logs -n kube-system deploy/metrics-server`.",
    "kubeadm's kubelets serve self-signed certificates without IP SANs. Add `--kubelet-insecure-tls` "
    "to the container's args: `kubectl edit deployment metrics-server -n kube-system`, or a JSON patch "
    "that appends to /spec/template/spec/containers/0/args.",
)
hints.register(
    "ch03-top-pod",
    "`kubectl top pod -n shop` shows each pod's CPU(cores) and MEMORY(bytes).",
    "`kubectl top pod -n shop --sort-by=cpu`: the first row uses the most CPU. Mind the column: CPU, not memory.",
)
hints.register(
    "ch03-top-node",
    "`kubectl top node` shows each node's usage; MEMORY(bytes) is the column to compare.",
    "`kubectl top node --sort-by=memory`: the first row is the answer.",
)
hints.register(
    "ch03-sort-by",
    "`kubectl top pod --sort-by=` accepts cpu or memory.",
    "All namespaces: `-A` (or `--all-namespaces`).",
    "sort_command = \"kubectl top pod -A --sort-by=memory\"",
)
hints.register(
    "ch03-multi-container",
    "`kubectl logs -n shop payments` shows one container only: read the note it prints on stderr.",
    "List the containers: `kubectl get pod payments -n shop -o jsonpath='{.spec.containers[*].name}'`, "
    "then `kubectl logs -n shop payments -c NAME` for each (or `--all-containers --prefix`).",
)
hints.register(
    "ch03-previous",
    "`kubectl get pod reporter -n shop`: RESTARTS is 1. The container you see now is not the one that crashed.",
    "`kubectl logs -n shop reporter -p` (`--previous`) shows the log of the container instance before the restart.",
)


# -- checks ------------------------------------------------------------------------------------

def _usage(cluster: Any) -> Any:
    from kcore.cluster.metrics import Metrics
    return Metrics(cluster)


def _pod_usage(namespace: str | None = None) -> dict[tuple[str, str], tuple[int, int]]:
    """(namespace, pod) -> (cpu millicores, memory bytes), as metrics-server would report."""
    cluster = session.resolve(None)
    metrics = _usage(cluster)
    out = {}
    for pod in Reader().list("pods", namespace, all_namespaces=namespace is None):
        ns, name = dig(pod, "metadata.namespace"), dig(pod, "metadata.name")
        rows = metrics.pod_usage(ns, name)
        if rows:
            out[(ns, name)] = (sum(r[1] for r in rows), sum(r[2] for r in rows))
    return out


def _mi(nbytes: int) -> str:
    return f"{nbytes // (1024 * 1024)}Mi"


def _given(value: Any, what: str, hint: str | None) -> str:
    text = str(value or "").strip()
    if text in ("", "...", "YOUR ANSWER HERE"):
        raise CheckFailed(explain(f"Expected your {what}", "it is still empty", (), "the task's answer cell", hint))
    return text


def check_metrics_server(hint: str | None = None) -> None:
    """metrics-server runs in kube-system, is ready, and the metrics API answers (`kubectl top`)."""
    reader = Reader()
    deployment = reader.get("deployments", "metrics-server", "kube-system")
    if deployment is None:
        raise CheckFailed(explain("Expected the Deployment metrics-server in namespace kube-system",
                                  "there is none", ["`kubectl top` needs the metrics API, which metrics-server serves."],
                                  f"kubectl apply -f {COMPONENTS}", hint))
    top = reader.kubectl(["top", "node"])
    if top.returncode == 0:
        return
    args = dig(deployment, "spec.template.spec.containers[0].args") or []
    if "--kubelet-insecure-tls" in args:
        # an exam grader looks a while after you finish: give a fresh rollout that minute
        reader.cluster.advance(60)
        top = reader.kubectl(["top", "node"])
        if top.returncode == 0:
            return
    details = []
    logs = reader.kubectl(["logs", "-n", "kube-system", "deploy/metrics-server", "--tail=1"])
    if logs.returncode == 0 and logs.stdout.strip():
        details.append(f"metrics-server's log says: {logs.stdout.strip().splitlines()[-1]}")
    if "--kubelet-insecure-tls" not in args:
        details.append("kubeadm's kubelets serve self-signed certificates that metrics-server cannot verify: "
                       "its container needs the argument --kubelet-insecure-tls.")
    raise CheckFailed(explain("`kubectl top node` should show the nodes' usage",
                              f"it fails: {(top.stderr or top.stdout).strip()}", details,
                              "kubectl get pods -n kube-system -l k8s-app=metrics-server; "
                              "kubectl logs -n kube-system deploy/metrics-server", hint))


def check_top_pod(given: Any, namespace: str = "shop", hint: str | None = None) -> None:
    """`given` names the pod of `namespace` using the most CPU."""
    name = _given(given, "pod name", hint)
    usage = {pod: u for (ns, pod), u in _pod_usage(namespace).items()}
    best = max(usage, key=lambda p: usage[p][0])
    if name == best:
        return
    most_memory = max(usage, key=lambda p: usage[p][1])
    if name == most_memory:
        details = [f"'{name}' uses the most memory ({_mi(usage[name][1])}), but only {usage[name][0]}m of CPU: "
                   "the task asks for CPU, the CPU(cores) column."]
    elif name in usage:
        details = [f"'{name}' uses {usage[name][0]}m of CPU; another pod of namespace {namespace} uses more."]
    else:
        details = [f"There is no pod '{name}' in namespace {namespace} (write the name only, without 'pod/')."]
    raise CheckFailed(explain(f"Expected the name of the pod in namespace {namespace} that uses the most CPU",
                              f"you gave {name!r}", details, f"kubectl top pod -n {namespace} --sort-by=cpu", hint))


def _node_usage() -> dict[str, tuple[int, int]]:
    cluster = session.resolve(None)
    metrics = _usage(cluster)
    out = {}
    for node in Reader().list("nodes"):
        name = dig(node, "metadata.name")
        u = metrics.node_usage(name)
        if u is not None:
            out[name] = u
    return out


def check_top_node(given: Any, hint: str | None = None) -> None:
    """`given` names the node using the most memory."""
    name = _given(given, "node name", hint)
    usage = _node_usage()
    best = max(usage, key=lambda n: usage[n][1])
    if name == best:
        return
    most_cpu = max(usage, key=lambda n: usage[n][0])
    if name == most_cpu:
        details = [f"'{name}' uses the most CPU ({usage[name][0]}m), not the most memory: "
                   "compare the MEMORY(bytes) column."]
    elif name in usage:
        details = [f"'{name}' uses {_mi(usage[name][1])} of memory; another node uses more."]
    else:
        details = [f"There is no node '{name}'."]
    raise CheckFailed(explain("Expected the name of the node that uses the most memory", f"you gave {name!r}",
                              details, "kubectl top node --sort-by=memory", hint))


def check_sort_command(command: Any, hint: str | None = None) -> None:
    """`command` is a kubectl command listing the pods of every namespace, most memory first."""
    from kcore.notebook.magics import split_line
    text = _given(command, "command", hint)
    args = split_line(text)
    if args and args[0] == "kubectl":
        args = args[1:]
    if "|" in args:
        raise CheckFailed(explain("Expected one kubectl command, without a pipe", f"you gave {text!r}",
                                  ["kubectl itself can sort: --sort-by."], "kubectl top pod --help", hint))
    result = Reader().kubectl(args)
    if result.returncode != 0:
        raise CheckFailed(explain("Your command should list the pods of all namespaces, most memory first",
                                  f"it fails: {result.stderr.strip()}", (), "kubectl top pod --help", hint))
    rows = [line.split() for line in result.stdout.strip().splitlines()]
    if not rows or rows[0][:2] != ["NAMESPACE", "NAME"] or "MEMORY(bytes)" not in rows[0]:
        shown = " ".join(rows[0]) if rows else "nothing"
        details = ["Without -A (--all-namespaces), kubectl top pod shows the current namespace only."] \
            if not rows or rows[0][0] == "NAME" else []
        raise CheckFailed(explain("Your command should list the pods of all namespaces with their usage "
                                  "(NAMESPACE, NAME, CPU(cores), MEMORY(bytes))", f"its header is {shown!r}",
                                  details, "kubectl top pod -A", hint))
    usage = _pod_usage(None)
    order = sorted(usage, key=lambda k: -usage[k][1])
    got = [(r[0], r[1]) for r in rows[1:] if len(r) >= 2]
    if got[:3] != order[:3]:
        by_cpu = sorted(usage, key=lambda k: -usage[k][0])
        details = (["Those are sorted by CPU: --sort-by=memory sorts by memory."] if got[:3] == by_cpu[:3] else
                   ["Without --sort-by, kubectl top lists the pods by namespace and name."])
        raise CheckFailed(explain(f"Your command should list {order[0][0]}/{order[0][1]} first (it uses the most memory)",
                                  f"it lists {'/'.join(got[0]) if got else 'nothing'} first", details,
                                  "kubectl top pod -A --sort-by=memory", hint))


def _log(namespace: str, pod: str, container: str, previous: bool = False) -> list[str]:
    args = ["logs", "-n", namespace, pod, "-c", container] + (["-p"] if previous else [])
    result = Reader().kubectl(args)
    return result.stdout.splitlines() if result.returncode == 0 else []


def check_error_line(container: Any, line: Any, namespace: str = "shop", pod: str = "payments",
                     hint: str | None = None) -> None:
    """`container` names the container of `pod` that logged an ERROR line, `line` is that line."""
    name = _given(container, "container name", hint)
    text = _given(line, "error line", hint)
    spec = Reader().get("pods", pod, namespace) or {}
    names = [c.get("name") for c in dig(spec, "spec.containers") or []]
    logs = {n: _log(namespace, pod, n) for n in names}
    errors = {n: [x for x in lines if "ERROR" in x] for n, lines in logs.items()}
    culprit = next((n for n in names if errors[n]), None)
    if name != culprit:
        details = [f"Pod {pod} has the containers {', '.join(names)}."]
        if name == names[0]:
            details.append(f"`kubectl logs {pod}` without -c shows the first container, {names[0]}, only "
                           f"(it says so: Defaulted container \"{names[0]}\" out of: {', '.join(names)}); "
                           "its log has no ERROR line. Read the others with -c.")
        raise CheckFailed(explain(f"Expected the container of pod {pod} whose log has an ERROR line",
                                  f"you gave {name!r}", details, f"kubectl logs -n {namespace} {pod} -c CONTAINER",
                                  hint))
    want = errors[culprit][0]
    if " ".join(text.split()) != " ".join(want.split()):
        where = next((n for n, lines in logs.items() if any(" ".join(x.split()) == " ".join(text.split())
                                                             for x in lines)), None)
        details = [f"That line is in container {where}'s log, but it is not the ERROR line."] if where else \
            ["Copy the whole line, exactly as the log prints it."]
        raise CheckFailed(explain(f"Expected the ERROR line of container {culprit}", f"you gave {text!r}", details,
                                  f"kubectl logs -n {namespace} {pod} -c {culprit}", hint))


def check_previous_line(line: Any, namespace: str = "shop", pod: str = "reporter", hint: str | None = None) -> None:
    """`line` is the FATAL line the previous (crashed) instance of the pod's container printed."""
    text = _given(line, "log line", hint)
    spec = Reader().get("pods", pod, namespace) or {}
    container = (dig(spec, "spec.containers[0].name") or pod)
    previous = _log(namespace, pod, container, previous=True)
    want = next((x for x in previous if "FATAL" in x), None)
    norm = " ".join(text.split())
    if want is not None and norm == " ".join(want.split()):
        return
    current = _log(namespace, pod, container)
    details = []
    if any(norm == " ".join(x.split()) for x in current):
        details.append("That line is in the current container's log. The container restarted: the crash is in the "
                       "log of the previous instance, which `kubectl logs` shows with -p (--previous).")
    elif any(norm == " ".join(x.split()) for x in previous):
        details.append("That line is in the previous instance's log, but it is not the FATAL line that explains the "
                       "crash.")
    if want is None:
        details.append(f"Pod {pod} has no previous container now (was it deleted or re-created?).")
    raise CheckFailed(explain("Expected the FATAL line the crashed container printed before it exited",
                              f"you gave {text!r}", details, f"kubectl logs -n {namespace} {pod} -p", hint))


# -- the chapter's picture ---------------------------------------------------------------------

PIPELINE_DOT = """digraph metrics {
  rankdir=LR; node [shape=box, style="rounded,filled", fillcolor="#f3f4f6", fontname="Helvetica", fontsize=11];
  edge [fontname="Helvetica", fontsize=9];
  subgraph cluster_nodes { label="every node"; style=dashed; fontname="Helvetica"; fontsize=10;
    containers [label="containers\\n(cgroups)"]; kubelet [label="kubelet\\n+ cAdvisor", fillcolor="#dbeafe"]; }
  ms [label="metrics-server\\n(kube-system, in memory only)", fillcolor="#dcfce7"];
  api [label="kube-apiserver\\naggregation layer\\n/apis/metrics.k8s.io", fillcolor="#fef9c3"];
  top [label="kubectl top node|pod", shape=note];
  hpa [label="HorizontalPodAutoscaler", shape=note];
  containers -> kubelet [label="CPU, memory"];
  kubelet -> ms [label="GET :10250/metrics/resource\\nevery 15s (TLS)"];
  api -> ms [label="proxies metrics.k8s.io\\n(APIService)"];
  top -> api; hpa -> api;
}"""


def pipeline_table() -> str:
    from kcore.notebook.widgets.render import html_table

    return html_table(["from", "to", "what"], [
        ["containers", "kubelet (cAdvisor)", "CPU and memory per container"],
        ["kubelet", "metrics-server", "GET :10250/metrics/resource every 15s, over TLS"],
        ["kube-apiserver", "metrics-server", "proxies /apis/metrics.k8s.io (aggregation layer)"],
        ["kubectl top, HPA", "kube-apiserver", "read metrics.k8s.io"],
    ], "The metrics pipeline")


def pipeline_picture() -> Any:
    """The metrics pipeline: kubelet/cAdvisor -> metrics-server -> API aggregation -> kubectl top.
    SVG with graphviz, an HTML table without it."""
    from IPython.display import HTML, SVG

    from kcore.notebook.widgets.render import dot_available, fallback_html, to_svg

    if dot_available():
        return SVG(to_svg(PIPELINE_DOT))
    return HTML(fallback_html(pipeline_table()))
