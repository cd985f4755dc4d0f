"""A stand-in for kcore.Cluster that honours the public contract the notebook layer uses
(kubectl, ssh, advance, scheduler_explain, trail), backed by a dict of objects, so the layer
is tested without the engine. Builders make the plain dicts the API would return."""
from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class Result:
    stdout: str = ""
    stderr: str = ""
    returncode: int = 0


PLURAL = {"pod": "pods", "po": "pods", "pods": "pods", "deployment": "deployments", "deploy": "deployments",
          "deployments": "deployments", "replicasets": "replicasets", "rs": "replicasets",
          "services": "services", "svc": "services", "service": "services", "nodes": "nodes", "node": "nodes",
          "events": "events", "endpoints": "endpoints", "endpointslices": "endpointslices",
          "daemonsets": "daemonsets", "namespaces": "namespaces", "jobs": "jobs", "configmaps": "configmaps",
          "statefulsets": "statefulsets", "replicationcontrollers": "replicationcontrollers"}
KIND = {"pods": "Pod", "deployments": "Deployment", "replicasets": "ReplicaSet", "services": "Service",
        "nodes": "Node", "events": "Event", "endpoints": "Endpoints", "daemonsets": "DaemonSet"}
CLUSTER_SCOPED = {"nodes", "namespaces"}


@dataclass
class FakeCluster:
    objects: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    replies: dict = field(default_factory=dict)   # " ".join(args) -> Result
    explain: dict | None = None
    steps: list = field(default_factory=list)
    now: float = 0.0

    def add(self, *objs: dict) -> "FakeCluster":
        self.objects.extend(objs)
        return self

    def kubectl(self, args, stdin: str = ""):
        args = args.split() if isinstance(args, str) else list(args)
        self.calls.append(("kubectl", args, stdin))
        key = " ".join(args)
        if key in self.replies:
            reply = self.replies[key]
            if isinstance(reply, Exception):
                raise reply
            return reply
        if args[:1] == ["get"] and "-o" in args and args[args.index("-o") + 1] == "json":
            return self._get(args)
        return Result(f"ran: {key}\n")

    def _get(self, args):
        rest = [a for a in args[1:] if a not in ("-o", "json", "-A")]
        ns = None
        if "-n" in rest:
            i = rest.index("-n")
            ns = rest[i + 1]
            del rest[i:i + 2]
        plural = PLURAL.get(rest[0], rest[0])
        name = rest[1] if len(rest) > 1 else None
        all_ns = "-A" in args
        if not all_ns and ns is None and plural not in CLUSTER_SCOPED:
            ns = "default"
        items = [o for o in self.objects if PLURAL.get(o["kind"].lower(), o["kind"].lower() + "s") == plural
                 and (plural in CLUSTER_SCOPED or all_ns or o["metadata"].get("namespace", "default") == ns)]
        if name is None:
            return Result(json.dumps({"kind": "List", "items": items}))
        for o in items:
            if o["metadata"]["name"] == name:
                return Result(json.dumps(o))
        singular = plural[:-1] if plural != "endpoints" else plural
        group = {"deployments": ".apps", "replicasets": ".apps", "daemonsets": ".apps"}.get(plural, "")
        return Result("", f'Error from server (NotFound): {plural}{group} "{name}" not found\n', 1)

    def ssh(self, node, command, stdin: str = ""):
        self.calls.append(("ssh", node, command, stdin))
        return Result(f"{node}$ {command}\n")

    def advance(self, seconds):
        self.calls.append(("advance", seconds))
        self.now += seconds

    def scheduler_explain(self, namespace, pod):
        return self.explain

    def trail(self):
        return list(self.steps)


def meta(name, namespace="default", **extra):
    return {"name": name, "namespace": namespace, **extra}


def node(name, ready=True, taints=(), labels=None, unschedulable=False):
    spec = {"taints": list(taints)} if taints else {}
    if unschedulable:
        spec["unschedulable"] = True
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels or {}},
            "spec": spec, "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False",
                                                     "message": "" if ready else "Kubelet stopped posting node status."}]}}


def pod(name, namespace="default", node=None, phase="Running", labels=None, image="nginx", tolerations=None,
        scheduled_message=None, waiting=None, scheduler=None, requests=None):
    spec = {"containers": [{"name": name, "image": image, **({"resources": {"requests": requests}} if requests else {})}]}
    if node:
        spec["nodeName"] = node
    if tolerations:
        spec["tolerations"] = tolerations
    if scheduler:
        spec["schedulerName"] = scheduler
    status = {"phase": phase, "conditions": []}
    if scheduled_message:
        status["conditions"].append({"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                                     "message": scheduled_message})
    if phase == "Running" and not waiting:
        status["conditions"].append({"type": "Ready", "status": "True"})
    if waiting:
        status["containerStatuses"] = [{"name": name, "state": {"waiting": {"reason": waiting[0], "message": waiting[1]}}}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta(name, namespace, labels=labels or {}),
            "spec": spec, "status": status}


def deployment(name, replicas=1, ready=None, image="nginx", namespace="default", labels=None):
    labels = labels or {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(name, namespace),
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": name, "image": image}]}}},
            "status": {"readyReplicas": replicas if ready is None else ready}}


def service(name, selector, kind="ClusterIP", ports=((80, 80),), namespace="default"):
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta(name, namespace),
            "spec": {"type": kind, "selector": selector, "clusterIP": "10.96.0.10",
                     "ports": [{"port": p, "targetPort": t} for p, t in ports]}}


def endpoints(name, pods, namespace="default"):
    return {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta(name, namespace),
            "subsets": [{"addresses": [{"ip": f"10.244.1.{i + 2}", "targetRef": {"kind": "Pod", "name": p, "namespace": namespace}}
                                       for i, p in enumerate(pods)]}] if pods else []}


def event(involved_kind, involved_name, reason, message, when, type_="Normal", namespace="default"):
    return {"apiVersion": "v1", "kind": "Event", "metadata": meta(f"{involved_name}.{reason}.{when}", namespace),
            "involvedObject": {"kind": involved_kind, "name": involved_name, "namespace": namespace},
            "reason": reason, "message": message, "type": type_, "lastTimestamp": when}
