"""Chapter 02, Scheduling: the lab the graded assignment starts from, its hints, and the few
helpers the chapter's notebooks need.

The lab ("ch02-scheduling") is a kubeadm cluster with three workers, set up the way exam
tasks find a cluster:

- node02 carries the label `disk=ssd`; pod `frontend` asks for `disktype=ssd` and is
  Pending (a selector that matches no node);
- node03 is reserved for analytics: taint `dedicated=analytics:NoSchedule`, label
  `workload=analytics`; pod `analytics` selects it but does not tolerate the taint (Pending);
- pod `hungry` requests 3 CPUs on nodes that have 2 (Pending: Insufficient cpu);
- pod `custom-app` asks for `schedulerName: my-scheduler`, which nobody runs yet (Pending,
  without a single event);
- namespace `limited`, empty, for a LimitRange.

Each graded task has an id (`ch02-taint`, `ch02-toleration`, ...) under which its hints are
registered, easiest nudge first; the assignment tells the learner to call `hint("<id>")`.

Helpers:

- `scheduler_explain(cluster, namespace, pod)` and `ExplainedCluster(cluster)`: the adapter
  the SchedulerExplainer widget reads. The scheduler components keep the Evaluation of each
  pod's last scheduling cycle; this turns its rows into the widget's node × plugin table.
  Filters run in the profile's order and stop at a node's first rejection, so the plugins
  before the rejecting one are shown as passed and the ones after it as not run.
- `bind(pod, node)`: POST a Binding to the pod's `binding` subresource, what a scheduler does
  (and what `curl … /pods/<pod>/binding` does on a real cluster).
- checks this chapter adds: a workload's pods all on one node, a pod template's required node
  affinity, the scheduler that placed a pod, a LimitRange's defaults."""
from __future__ import annotations

import json
from typing import Any

from kcore.notebook import hints, session
from kcore.notebook.grading import CheckFailed, Reader, dig, explain, same_quantity
from kcore.notebook.scenarios import Lab, scenario

LAB = "ch02-scheduling"
SEED = 202

# -- the lab ---------------------------------------------------------------------------------

FRONTEND = """\
apiVersion: v1
kind: Pod
metadata:
  name: frontend
  labels:
    app: frontend
spec:
  nodeSelector:
    disktype: ssd
  containers:
  - name: nginx
    image: nginx
"""

ANALYTICS = """\
apiVersion: v1
kind: Pod
metadata:
  name: analytics
  labels:
    app: analytics
spec:
  nodeSelector:
    workload: analytics
  containers:
  - name: worker
    image: busybox
    command: ["sleep", "3600"]
"""

HUNGRY = """\
apiVersion: v1
kind: Pod
metadata:
  name: hungry
spec:
  containers:
  - name: app
    image: nginx
    resources:
      requests:
        cpu: "3"
        memory: 256Mi
"""

CUSTOM_APP = """\
apiVersion: v1
kind: Pod
metadata:
  name: custom-app
spec:
  schedulerName: my-scheduler
  containers:
  - name: nginx
    image: nginx
"""

TASKS = ("ch02-taint", "ch02-toleration", "ch02-nodename", "ch02-label", "ch02-nodeselector",
         "ch02-fix-selector", "ch02-fix-taint", "ch02-affinity", "ch02-affinity-toleration",
         "ch02-requests", "ch02-limitrange", "ch02-daemonset", "ch02-static", "ch02-my-scheduler",
         "ch02-use-scheduler", "ch02-jsonpath", "ch02-static-path")


@scenario(LAB, "Scheduling: taints, selectors, affinity, resources, DaemonSets, static pods, schedulers",
          tasks=TASKS, workers=3, seed=SEED)
def _scheduling(lab: Lab) -> None:
    """Three workers; four pods Pending for four different reasons (a selector that matches no
    node, an untolerated taint, requests that do not fit, a scheduler that does not exist)."""
    lab.kubectl("label node node02 disk=ssd")
    lab.kubectl("label node node03 workload=analytics")
    lab.kubectl("taint node node03 dedicated=analytics:NoSchedule")
    lab.apply(FRONTEND)
    lab.apply(ANALYTICS)
    lab.apply(HUNGRY)
    lab.apply(CUSTOM_APP)
    lab.kubectl("create namespace limited")
    lab.advance(30)


hints.register(
    "ch02-taint",
    "Taints are set on nodes: `kubectl taint nodes NODE key=value:EFFECT`.",
    "%kubectl taint nodes node01 spray=mortein:NoSchedule",
)
hints.register(
    "ch02-toleration",
    "Tolerations are set on pods, in spec.tolerations: a list of key, operator, value, effect.",
    "Start from `kubectl run bee --image=nginx --dry-run=client -o yaml` and add\n"
    "  tolerations:\n  - key: spray\n    operator: Equal\n    value: mortein\n    effect: NoSchedule",
    "A toleration lets the pod onto node01; it does not send it there. Any node is fine for this task.",
)
hints.register(
    "ch02-nodename",
    "Without the scheduler, a pod runs where spec.nodeName says. Set it when you create the pod.",
    "`kubectl run` cannot set it; write the YAML: spec.nodeName: node02 next to spec.containers.",
    "nodeName cannot be changed on an existing pod: delete and re-create it if it went elsewhere.",
)
hints.register(
    "ch02-label",
    "`kubectl label nodes NODE key=value`.",
    "%kubectl label nodes node02 size=Large",
)
hints.register(
    "ch02-nodeselector",
    "spec.nodeSelector is a map of labels the node must carry.",
    "Add `nodeSelector: {size: Large}` to the pod spec (the label from the previous task).",
)
hints.register(
    "ch02-fix-selector",
    "`kubectl describe pod frontend`: the FailedScheduling event says which filter rejected each node.",
    "Compare the pod's nodeSelector with the node labels: `kubectl get nodes --show-labels`.",
    "A pod's nodeSelector cannot be edited. Delete the pod and create it again with "
    "`nodeSelector: {disk: ssd}` (the label node02 really has).",
)
hints.register(
    "ch02-fix-taint",
    "`kubectl describe pod analytics`: one node matches the selector but has a taint the pod does not tolerate.",
    "`kubectl describe node node03 | grep Taints` shows the taint to tolerate.",
    "Give analytics a toleration for dedicated=analytics:NoSchedule: delete it and create it again with "
    "the same spec plus the toleration (an existing pod accepts added tolerations, not a new nodeSelector).",
)
hints.register(
    "ch02-affinity",
    "Label the node first: `kubectl label node node01 color=blue`.",
    "Generate the Deployment (`kubectl create deployment blue --image=nginx --replicas=3 "
    "--dry-run=client -o yaml`) and add affinity under spec.template.spec.",
    "affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n"
    "      nodeSelectorTerms:\n      - matchExpressions:\n        - key: color\n"
    "          operator: In\n          values: [blue]\n"
    "node01 carries your spray taint: the pods need that toleration too.",
)
hints.register(
    "ch02-affinity-toleration",
    "The control plane node has the label node-role.kubernetes.io/control-plane (empty value): use operator Exists.",
    "Affinity alone is not enough: the control plane is tainted node-role.kubernetes.io/control-plane:NoSchedule.",
    "Under spec.template.spec add a required nodeAffinity term `key: node-role.kubernetes.io/control-plane, "
    "operator: Exists` and a toleration `key: node-role.kubernetes.io/control-plane, operator: Exists, "
    "effect: NoSchedule`.",
)
hints.register(
    "ch02-requests",
    "`kubectl describe pod hungry`: Insufficient cpu. `kubectl describe node node01` shows Allocatable cpu.",
    "Requests cannot be changed on an existing pod: delete it and create it again.",
    "Same pod, with resources.requests cpu: 500m and memory: 256Mi.",
)
hints.register(
    "ch02-limitrange",
    "Defaults for containers come from a LimitRange in the namespace (there is no built-in default).",
    "spec.limits: - type: Container with `defaultRequest` (the requests) and `default` (the limits).",
    "Create the LimitRange first, then the pod: admission fills in the defaults only when a pod is created.",
)
hints.register(
    "ch02-daemonset",
    "A DaemonSet looks like a Deployment without replicas: `kubectl create deployment logger --image=busybox "
    "--dry-run=client -o yaml`, then kind: DaemonSet and remove replicas and strategy.",
    "busybox needs something to do: `command: [\"sleep\", \"3600\"]`.",
    "Every node has a taint except node02 (controlplane, node01's spray, node03's dedicated). "
    "A toleration with only `operator: Exists` tolerates every taint.",
)
hints.register(
    "ch02-static",
    "The kubelet on node01 reads manifests from its staticPodPath: "
    "`%ssh node01 grep staticPodPath /var/lib/kubelet/config.yaml`.",
    "Write the pod manifest there with a cell magic:\n%%ssh node01 cat > /etc/kubernetes/manifests/static-busybox.yaml\n"
    "followed by the YAML (generate it with `kubectl run ... --dry-run=client -o yaml --command -- sleep 1000`).",
    "The API shows the static pod as static-busybox-node01 (the node's name appended).",
)
hints.register(
    "ch02-my-scheduler",
    "custom-app asks for schedulerName my-scheduler; nothing runs under that name "
    "(`kubectl get events` shows no FailedScheduling: no scheduler looks at it).",
    "Copy the command and volumes of /etc/kubernetes/manifests/kube-scheduler.yaml on the control plane "
    "into a pod named my-scheduler in kube-system. v1.35's kube-scheduler has no --scheduler-name flag "
    "(a copy that passes it crash-loops: `kubectl logs -n kube-system my-scheduler`): its name comes from a "
    "KubeSchedulerConfiguration file (apiVersion kubescheduler.config.k8s.io/v1) with "
    "`profiles: [{schedulerName: my-scheduler}]` and `leaderElection: {leaderElect: false}`.",
    "Put that file in a ConfigMap in kube-system, mount it into the pod and start "
    "`kube-scheduler --config=<the mounted file>`. With --config the kubeconfig goes in the file too: "
    "`clientConnection: {kubeconfig: /etc/kubernetes/scheduler.conf}`, which only the control plane has "
    "(mount it with a hostPath volume and set nodeName: controlplane). Drop the probes and the old --port flag.",
)
hints.register(
    "ch02-use-scheduler",
    "spec.schedulerName picks the scheduler.",
    "`kubectl run nginx-custom --image=nginx --dry-run=client -o yaml`, then add `schedulerName: my-scheduler` under spec.",
)
hints.register(
    "ch02-jsonpath",
    "Look at the data first: `kubectl get nodes -o json`; the taints are in .spec.taints, a list.",
    "range over the items: {range .items[*]}...{end}; print a tab with {\"\\t\"} and a newline with {\"\\n\"}.",
    "Use a raw string (r'...'), so that \\t and \\n reach kubectl as written: "
    "taints_template = r'{range .items[*]}{.metadata.name}{\"\\t\"}{.spec.taints[*].key}{\"\\n\"}{end}'",
)
hints.register(
    "ch02-static-path",
    "The kubelet's configuration file is /var/lib/kubelet/config.yaml on each node.",
    "%ssh node01 grep staticPodPath /var/lib/kubelet/config.yaml",
)


# -- the scheduler's decisions, for the SchedulerExplainer widget -------------------------------

def _schedulers(cluster: Any) -> list[Any]:
    """The running scheduler components (kube-scheduler and any second scheduler), by name."""
    components = getattr(cluster, "components", {}) or {}
    return [comp for key, comp in sorted(components.items()) if key.startswith("scheduler/")]


def _filter_order(component: Any, profile: str) -> list[str]:
    framework = (getattr(component.scheduler, "profiles", {}) or {}).get(profile)
    return [plugin.name for plugin in getattr(framework, "filter", [])] if framework is not None else []


def scheduler_explain(cluster: Any, namespace: str, pod: str) -> dict:
    """The last scheduling cycle of a pod as the widget's model:
    {"pod", "chosen", "message", "nodes": [{"name", "total", "filters": [...], "scores": [...]}]}."""
    cluster = session.resolve(cluster)
    found = None
    for component in _schedulers(cluster):
        evaluation = component.explain(namespace, pod)
        if evaluation is not None:
            found = (component, evaluation)
            if getattr(component, "scheduler_name", "") != "default-scheduler":
                break
    key = f"{namespace}/{pod}"
    obj = cluster.kubectl(["get", "pod", pod, "-n", namespace, "-o", "json"])
    if obj.returncode != 0:
        return {"pod": key, "chosen": None, "message": obj.stderr.strip(), "nodes": []}
    status = json.loads(obj.stdout)
    condition = next((c for c in dig(status, "status.conditions") or [] if c.get("type") == "PodScheduled"), {})
    message = condition.get("message", "") if condition.get("status") == "False" else ""
    if found is None:
        name = dig(status, "spec.schedulerName") or "default-scheduler"
        why = (f"No scheduler named {name} has looked at this pod." if not dig(status, "spec.nodeName")
               else "This pod was not placed by a scheduler (spec.nodeName was set directly).")
        return {"pod": key, "chosen": dig(status, "spec.nodeName"), "message": why, "nodes": []}
    component, evaluation = found
    # a PreFilter rejection stops the cycle before any Filter runs: show only that plugin
    order = [] if evaluation.prefilter is not None else _filter_order(component, evaluation.profile)
    nodes = []
    for row in evaluation.rows():
        verdicts = row["filters"]
        rejected = next((p for p in verdicts if verdicts[p] != "pass"), None)
        filters = []
        for plugin in order or list(verdicts):
            if plugin == rejected:
                filters.append({"plugin": plugin, "ok": False, "reason": verdicts[plugin]})
                break
            if row["feasible"] or rejected is not None:
                filters.append({"plugin": plugin, "ok": True, "reason": ""})
        if rejected is not None and rejected not in order:
            filters.append({"plugin": rejected, "ok": False, "reason": verdicts[rejected]})
        scores = [{"plugin": plugin, "raw": s["raw"], "normalized": s["normalized"], "weight": s["weight"]}
                  for plugin, s in row["scores"].items()]
        nodes.append({"name": row["node"], "total": row["total"], "filters": filters, "scores": scores})
    chosen = evaluation.selected or None
    if chosen and len([n for n in nodes if not any(not f["ok"] for f in n["filters"])]) == 1 and not message:
        message = "Only one node passed every filter, so the scheduler skipped scoring."
    return {"pod": key, "chosen": chosen, "message": message, "nodes": nodes}


class ExplainedCluster:
    """The cluster, plus `scheduler_explain(namespace, pod)` for the SchedulerExplainer."""

    def __init__(self, cluster: Any = None):
        self._cluster = session.resolve(cluster)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cluster, name)

    def kubectl(self, *args: Any, **kwargs: Any) -> Any:
        return self._cluster.kubectl(*args, **kwargs)

    def scheduler_explain(self, namespace: str, pod: str) -> dict:
        return scheduler_explain(self._cluster, namespace, pod)


def explainer(pod: str, namespace: str = "default", cluster: Any = None) -> Any:
    """A SchedulerExplainer widget for `pod` on the (current) cluster."""
    from kcore.notebook.widgets import SchedulerExplainer

    return SchedulerExplainer(pod, namespace=namespace, cluster=ExplainedCluster(cluster))


def explain_text(pod: str, namespace: str = "default", cluster: Any = None) -> str:
    """The same decision as plain text: per node, the rejecting filter or its score."""
    model = scheduler_explain(cluster, namespace, pod)
    lines = [f"pod {model['pod']}: " + (f"chosen {model['chosen']}" if model["chosen"] else "no node chosen")]
    for node in model["nodes"]:
        failed = next((f for f in node["filters"] if not f["ok"]), None)
        verdict = f"rejected by {failed['plugin']}: {failed['reason']}" if failed else "passes every filter"
        total = f", score {node['total']}" if node["total"] is not None else ""
        lines.append(f"  {node['name']:<13} {verdict}{total}")
    if model["message"]:
        lines.append(model["message"])
    return "\n".join(lines)


def explain_table(pod: str, namespace: str = "default", cluster: Any = None) -> None:
    """Print explain_text(): the scheduler's verdict per node, as a terminal would show it."""
    print(explain_text(pod, namespace, cluster))


# -- manual binding ---------------------------------------------------------------------------

def bind(pod: str, node: str, namespace: str = "default", cluster: Any = None) -> None:
    """POST a Binding to pods/<pod>/binding, as the scheduler does; prints what the API says."""
    target = session.resolve(cluster)
    body = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": pod, "namespace": namespace},
            "target": {"apiVersion": "v1", "kind": "Node", "name": node}}
    try:
        target.api.create("pods", namespace, body, subresource="binding", name=pod)
    except Exception as exc:  # an ApiError: show it the way kubectl would
        print(f"Error from server: {getattr(exc, 'message', exc)}")
        return
    target.settle()
    session.changed()
    print(f"binding {namespace}/{pod} -> {node}: 201 Created")


# -- checks this chapter adds ------------------------------------------------------------------

def _pods_of(reader: Reader, match: dict, namespace: str) -> list[dict]:
    return [p for p in reader.list("pods", namespace)
            if all((dig(p, "metadata.labels") or {}).get(k) == v for k, v in match.items())]


def check_pods_on(owner: str, match: dict, node: str, count: int, namespace: str = "default",
                  hint: str | None = None) -> None:
    """`count` pods labelled `match` (the pods of `owner`), all running on `node`."""
    reader = Reader()
    pods = _pods_of(reader, match, namespace)
    shown = ", ".join(f"{dig(p, 'metadata.name')} on {dig(p, 'spec.nodeName') or '<none>'}"
                      f" ({dig(p, 'status.phase')})" for p in pods) or "none"
    where = [p for p in pods if dig(p, "spec.nodeName") == node and dig(p, "status.phase") == "Running"]
    if len(where) != count or len(pods) != count:
        details = []
        pending = next((p for p in pods if not dig(p, "spec.nodeName")), None)
        if pending is not None:
            cond = next((c for c in dig(pending, "status.conditions") or [] if c.get("type") == "PodScheduled"), {})
            if cond.get("message"):
                details.append(f"Scheduler, for pod '{dig(pending, 'metadata.name')}': {cond['message']}")
        raise CheckFailed(explain(f"{owner} should have {count} pods running on {node}", f"its pods are: {shown}",
                                  details, f"kubectl get pods -o wide -l {','.join(f'{k}={v}' for k, v in match.items())}"
                                  f"; kubectl describe node {node}", hint))


def check_template_affinity(resource: str, name: str, key: str, operator: str, values: list[str] | None = None,
                            namespace: str = "default", hint: str | None = None) -> None:
    """The workload's pod template requires node affinity `key operator values`."""
    reader = Reader()
    obj = reader.get(resource, name, namespace)
    if obj is None:
        raise CheckFailed(explain(f"Expected a {resource.rstrip('s')} named '{name}'", "there is none", (),
                                  f"kubectl get {resource} -n {namespace}", hint))
    terms = dig(obj, "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
                     "nodeSelectorTerms") or []
    expressions = [e for t in terms for e in t.get("matchExpressions") or []]
    want = sorted(values) if values is not None else None
    if not any(e.get("key") == key and e.get("operator") == operator
               and (want is None or sorted(e.get("values") or []) == want) for e in expressions):
        have = "; ".join(f"{e.get('key')} {e.get('operator')} {e.get('values') or ''}".strip()
                         for e in expressions) or "no required node affinity"
        shown = f"{key} {operator} {want}" if want is not None else f"{key} {operator}"
        raise CheckFailed(explain(f"{obj.get('kind')} '{name}' should require node affinity {shown}",
                                  f"its pod template has {have}", (),
                                  "spec.template.spec.affinity.nodeAffinity.requiredDuringScheduling"
                                  "IgnoredDuringExecution", hint))


def check_scheduled_by(pod: str, scheduler: str, namespace: str = "default", hint: str | None = None) -> None:
    """The pod's Scheduled event came from `scheduler`."""
    reader = Reader()
    events = [e for e in reader.events_for("Pod", pod, namespace) if e.get("reason") == "Scheduled"]
    sources = [dig(e, "source.component") or e.get("reportingComponent") or "?" for e in events]
    if scheduler not in sources:
        found = f"it was scheduled by {', '.join(sources)}" if sources else "no scheduler has placed it"
        raise CheckFailed(explain(f"Pod '{pod}' should have been scheduled by {scheduler}", found,
                                  ["spec.schedulerName picks the scheduler; a scheduler with that name must run."],
                                  f"kubectl get events --field-selector involvedObject.name={pod}", hint))


def check_limitrange_defaults(name: str, namespace: str, request: dict, limit: dict,
                              hint: str | None = None) -> None:
    """A LimitRange whose Container defaults are `request` (defaultRequest) and `limit` (default)."""
    reader = Reader()
    obj = reader.get("limitranges", name, namespace)
    if obj is None:
        others = [dig(o, "metadata.name") for o in reader.list("limitranges", namespace)]
        details = [f"LimitRanges there: {', '.join(others)}."] if others else []
        raise CheckFailed(explain(f"Expected a LimitRange named '{name}' in namespace '{namespace}'", "there is none",
                                  details, f"kubectl get limitrange -n {namespace}", hint))
    item = next((i for i in dig(obj, "spec.limits") or [] if i.get("type") == "Container"), {})
    for field, want in (("defaultRequest", request), ("default", limit)):
        have = item.get(field) or {}
        for resource, value in want.items():
            if resource not in have or not same_quantity(have[resource], value):
                found = f"it is {have[resource]}" if resource in have else "it is not set"
                raise CheckFailed(explain(f"LimitRange '{name}' should have {field} {resource}={value} for Containers",
                                          found, (), f"kubectl describe limitrange {name} -n {namespace}", hint))


def check_placed_by_hand(pod: str, namespace: str = "default", hint: str | None = None) -> None:
    """The pod was placed through spec.nodeName: no scheduler reported a Scheduled event."""
    reader = Reader()
    events = [e for e in reader.events_for("Pod", pod, namespace) if e.get("reason") == "Scheduled"]
    if events:
        source = dig(events[-1], "source.component") or events[-1].get("reportingComponent") or "a scheduler"
        raise CheckFailed(explain(f"Pod '{pod}' should have been placed by hand (spec.nodeName)",
                                  f"{source} scheduled it: {events[-1].get('message', '').strip()}",
                                  ["A nodeSelector or affinity still goes through the scheduler."],
                                  f"kubectl get events --field-selector involvedObject.name={pod}", hint))
