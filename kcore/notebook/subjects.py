"""What each kind of object should look like, checked in layers.

Constructing a subject runs the existence layer (and says what is there instead when the
object is missing); its methods are the state layer, each failing with what was expected,
what was found and where to look. Pods explain why they are not running from the scheduler's
condition, the last warning event and the containers' waiting reasons; workloads explain
unready replicas through their first unready pod; Services explain empty endpoints through
their selector and the labels that exist."""
from __future__ import annotations

import difflib
import json
from typing import Any, Iterable

from kcore.notebook.feedback import CheckFailed, Reader, _ns_flag, _where, dig, explain, same_quantity

# Kinds searched when an object is missing, to say "there is a Deployment named 'web'".
_LOOKALIKE_RESOURCES = ("pods", "deployments", "replicasets", "replicationcontrollers", "daemonsets",
                        "statefulsets", "jobs", "services", "configmaps")


class Subject:
    """One object under check. Construction runs the existence layer; methods the state layer.
    Every method returns self, so checks chain; each accepts hint= to add a task's own hint."""

    resource = ""
    kind = ""
    namespaced = True

    def __init__(self, reader: Reader, name: str, namespace: str | None = "default",
                 hint: str | None = None):
        self.reader, self.name = reader, name
        self.namespace = namespace if self.namespaced else None
        self.obj = reader.get(self.resource, name, self.namespace)
        if self.obj is None:
            raise CheckFailed(self._missing(hint))
        self.kind = self.obj.get("kind") or self.kind

    def __repr__(self) -> str:
        where = f" in namespace '{self.namespace}'" if self.namespaced and self.namespace else ""
        return f"✓ {self.kind or self.resource} '{self.name}'{where} passes these checks"

    # -- layer 1: existence, with what was found instead ------------------------------------
    def _missing(self, hint: str | None) -> str:
        label = self.kind or self.resource
        found, look = [], f"kubectl get {self.resource}{_ns_flag(self.namespace)}"
        if self.namespaced:
            elsewhere = [o for o in self.reader.list(self.resource, all_namespaces=True)
                         if dig(o, "metadata.name") == self.name]
            for o in elsewhere:
                found.append(f"There is a {label} '{self.name}' in namespace '{dig(o, 'metadata.namespace')}'"
                             f" — the task asks for namespace '{self.namespace}' (use -n {self.namespace}).")
            for resource in _LOOKALIKE_RESOURCES:
                if resource == self.resource:
                    continue
                try:
                    other = self.reader.get(resource, self.name, self.namespace)
                except CheckFailed:  # a kind this cluster does not serve: nothing to point at
                    other = None
                if other is not None:
                    found.append(f"There is a {other.get('kind', resource)} named '{self.name}'{_where(self.namespace)}"
                                 f" — the task asks for a {label}.")
                    break
        names = [dig(o, "metadata.name") for o in self.reader.list(self.resource, self.namespace)]
        close = difflib.get_close_matches(self.name, [n for n in names if n], n=1, cutoff=0.75)
        if close:
            found.append(f"There is a {label} named '{close[0]}'{_where(self.namespace)} — check the spelling.")
        return explain(f"Expected a {label} named '{self.name}'{_where(self.namespace)}",
                       "there is none", found, look, hint)

    @classmethod
    def wrap(cls, reader: Reader, obj: dict) -> "Subject":
        """A subject for an object already read (skips the existence layer)."""
        subject = cls.__new__(cls)
        subject.reader, subject.obj = reader, obj
        subject.name = dig(obj, "metadata.name") or ""
        subject.namespace = dig(obj, "metadata.namespace") if cls.namespaced else None
        subject.kind = obj.get("kind") or cls.kind
        return subject

    # -- helpers ---------------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return f"{self.kind} '{self.name}'"

    def _fail(self, expected: str, found: str, details: Iterable[str] = (), look: str | None = None,
              hint: str | None = None) -> None:
        raise CheckFailed(explain(f"{self.title} {expected}", found, details,
                                  look if look is not None else self._describe(), hint))

    def _describe(self) -> str:
        return f"kubectl describe {self.resource} {self.name}{_ns_flag(self.namespace)}"

    def refresh(self) -> "Subject":
        self.obj = self.reader.get(self.resource, self.name, self.namespace) or self.obj
        return self

    # -- layer 3: state, common to all kinds --------------------------------------------------
    def has_label(self, key: str, value: str | None = None, hint: str | None = None) -> "Subject":
        labels = dig(self.obj, "metadata.labels") or {}
        want = f"{key}={value}" if value is not None else key
        if key not in labels:
            shown = ",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "none"
            self._fail(f"should have the label {want}", f"its labels are: {shown}", hint=hint,
                       look=f"kubectl get {self.resource} {self.name}{_ns_flag(self.namespace)} --show-labels")
        if value is not None and labels[key] != value:
            self._fail(f"should have the label {want}", f"it has {key}={labels[key]}", hint=hint,
                       look=f"kubectl get {self.resource} {self.name}{_ns_flag(self.namespace)} --show-labels")
        return self

    def has_field(self, path: str, expected: Any, hint: str | None = None) -> "Subject":
        actual = dig(self.obj, path)
        if actual != expected:
            found = "it is not set" if actual is None else f"it is {json.dumps(actual)}"
            self._fail(f"should have .{path.lstrip('.')} = {json.dumps(expected)}", found, hint=hint,
                       look=f"kubectl get {self.resource} {self.name}{_ns_flag(self.namespace)} -o yaml")
        return self

    def owned_by(self, kind: str, name: str | None = None, hint: str | None = None) -> "Subject":
        owners = dig(self.obj, "metadata.ownerReferences") or []
        if not any(o.get("kind") == kind and (name is None or o.get("name") == name) for o in owners):
            want = f"{kind} '{name}'" if name else f"a {kind}"
            have = ", ".join(f"{o.get('kind')} '{o.get('name')}'" for o in owners) or "no owner"
            self._fail(f"should be owned by {want}", f"its owner is {have}", hint=hint)
        return self


def _container_waiting(pod: dict) -> tuple[str, str] | None:
    for status in (dig(pod, "status.initContainerStatuses") or []) + (dig(pod, "status.containerStatuses") or []):
        waiting = dig(status, "state.waiting")
        if waiting and waiting.get("reason") not in (None, "ContainerCreating", "PodInitializing"):
            return status.get("name", "?"), f"{waiting.get('reason')}: {waiting.get('message', '')}".rstrip(": ")
        terminated = dig(status, "state.terminated")
        if terminated and terminated.get("exitCode", 0) != 0:
            return status.get("name", "?"), (f"{terminated.get('reason', 'Error')}"
                                              f" (exit code {terminated.get('exitCode')})")
    return None


class Pod(Subject):
    resource, kind = "pods", "Pod"

    def why_not_running(self) -> tuple[str, list[str], str]:
        """(found, details, look) for a pod that is not Running and Ready."""
        pod, phase = self.obj, dig(self.obj, "status.phase") or "Unknown"
        describe = f"{self._describe()} (Events)"
        if not dig(pod, "spec.nodeName"):
            details = []
            scheduled = next((c for c in dig(pod, "status.conditions") or [] if c.get("type") == "PodScheduled"), None)
            if scheduled and scheduled.get("message"):
                details.append(f"Scheduler: {scheduled['message']}")
            else:
                warning = [e for e in self.reader.events_for("Pod", self.name, self.namespace)
                           if e.get("reason") == "FailedScheduling"]
                if warning:
                    details.append(f"Scheduler: {warning[-1].get('message', '').strip()}")
            if details:
                look = f"{describe}; the nodes' taints, labels and free resources (kubectl describe nodes)"
                return f"it is {phase}, not scheduled to any node", details, look
            scheduler = dig(pod, "spec.schedulerName") or "default-scheduler"
            if scheduler != "default-scheduler":
                return (f"it is {phase}: no scheduler has placed it",
                        [f"The pod asks for schedulerName '{scheduler}'; is a scheduler with that name running?"],
                        "kubectl get pods -n kube-system; the schedulerName in the profiles of the second "
                        "scheduler's --config file")
            return (f"it is {phase}: no scheduler has placed it",
                    ["No scheduling event: the scheduler has not looked at this pod. Is kube-scheduler running?"],
                    "kubectl get pods -n kube-system; /etc/kubernetes/manifests/kube-scheduler.yaml on the control plane")
        details = [f"It is on node {dig(pod, 'spec.nodeName')}."]
        waiting = _container_waiting(pod)
        if waiting:
            details.append(f"Container '{waiting[0]}': {waiting[1]}")
        warnings = [e for e in self.reader.events_for("Pod", self.name, self.namespace) if e.get("type") == "Warning"]
        if warnings:
            details.append(f"Last warning event: {warnings[-1].get('reason')}: {warnings[-1].get('message', '').strip()}")
        if phase == "Running":
            return "it is Running but not Ready", details, describe
        return f"it is {phase}", details, describe

    def is_running(self, hint: str | None = None) -> "Pod":
        phase = dig(self.obj, "status.phase")
        if phase != "Running":
            found, details, look = self.why_not_running()
            self._fail("should be Running", found, details, look, hint)
        return self

    def is_ready(self, hint: str | None = None) -> "Pod":
        self.is_running(hint)
        ready = next((c for c in dig(self.obj, "status.conditions") or [] if c.get("type") == "Ready"), {})
        if ready.get("status") != "True":
            found, details, look = self.why_not_running()
            self._fail("should be Ready", found, details, look, hint)
        return self

    def runs_on(self, node: str, hint: str | None = None) -> "Pod":
        actual = dig(self.obj, "spec.nodeName")
        if actual != node:
            if actual:
                self._fail(f"should run on node {node}", f"it runs on {actual}",
                           ["nodeSelector: " + json.dumps(dig(self.obj, "spec.nodeSelector") or {})],
                           hint=hint)
            found, details, look = self.why_not_running()
            self._fail(f"should run on node {node}", found, details, look, hint)
        return self

    def _container(self, container: str | None) -> dict:
        containers = dig(self.obj, "spec.containers") or []
        if container is None:
            return containers[0] if containers else {}
        match = next((c for c in containers if c.get("name") == container), None)
        if match is None:
            self._fail(f"should have a container named '{container}'",
                       "its containers are " + ", ".join(repr(c.get("name")) for c in containers))
        return match

    def has_image(self, image: str, container: str | None = None, hint: str | None = None) -> "Pod":
        actual = self._container(container).get("image")
        if actual != image:
            self._fail(f"should run image {image}", f"it runs {actual}", hint=hint)
        return self

    def tolerates(self, key: str, effect: str | None = None, hint: str | None = None) -> "Pod":
        tolerations = dig(self.obj, "spec.tolerations") or []
        if not any(t.get("key") == key and (effect is None or t.get("effect") in (effect, None, ""))
                   for t in tolerations):
            have = ", ".join(f"{t.get('key')}{'=' + t['value'] if t.get('value') else ''}:{t.get('effect', '')}"
                             for t in tolerations if t.get("key")) or "none"
            self._fail(f"should tolerate the taint key '{key}'" + (f" ({effect})" if effect else ""),
                       f"its tolerations are: {have}", hint=hint,
                       look="spec.tolerations in kubectl get pod -o yaml; kubectl describe node | grep Taints")
        return self

    def has_node_selector(self, key: str, value: str, hint: str | None = None) -> "Pod":
        selector = dig(self.obj, "spec.nodeSelector") or {}
        if selector.get(key) != value:
            self._fail(f"should have nodeSelector {key}={value}",
                       f"its nodeSelector is {json.dumps(selector) if selector else 'empty'}", hint=hint)
        return self

    def requires_node_affinity(self, key: str, values: Iterable[str] | None = None, operator: str = "In",
                               hint: str | None = None) -> "Pod":
        """A requiredDuringSchedulingIgnoredDuringExecution term with `key` (`operator`, `values`)."""
        terms = dig(self.obj, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
                              "nodeSelectorTerms") or []
        expressions = [e for t in terms for e in t.get("matchExpressions") or []]
        want = sorted(values) if values is not None else None
        if not any(e.get("key") == key and e.get("operator") == operator
                   and (want is None or sorted(e.get("values") or []) == want) for e in expressions):
            have = "; ".join(f"{e.get('key')} {e.get('operator')} {e.get('values') or ''}".strip()
                             for e in expressions) or "no required node affinity"
            shown = f"{key} {operator} {want}" if want is not None else f"{key} {operator}"
            self._fail(f"should require node affinity {shown}", f"it has {have}", hint=hint,
                       look="spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution")
        return self

    def uses_scheduler(self, name: str, hint: str | None = None) -> "Pod":
        return self.has_field("spec.schedulerName", name, hint)

    def _resources(self, which: str, container: str | None, hint: str | None, **want: str) -> "Pod":
        have = self._container(container).get("resources", {}).get(which, {})
        for resource, value in want.items():
            if resource not in have or not same_quantity(have[resource], value):
                found = f"it is {have[resource]}" if resource in have else "it is not set"
                self._fail(f"should have {which} {resource}={value}", found, hint=hint,
                           look=f"spec.containers[].resources in kubectl get pod {self.name} -o yaml")
        return self

    def requests(self, container: str | None = None, hint: str | None = None, **want: str) -> "Pod":
        return self._resources("requests", container, hint, **want)

    def limits(self, container: str | None = None, hint: str | None = None, **want: str) -> "Pod":
        return self._resources("limits", container, hint, **want)


class _Scalable(Subject):
    def _pods_note(self) -> list[str]:
        """Why the pods of this workload are not ready (first unready pod)."""
        selector = dig(self.obj, "spec.selector.matchLabels") or {}
        for pod in self.reader.list("pods", self.namespace):
            labels = dig(pod, "metadata.labels") or {}
            if selector and all(labels.get(k) == v for k, v in selector.items()) \
                    and dig(pod, "status.phase") != "Running":
                p = Pod.wrap(self.reader, pod)
                found, details, _ = p.why_not_running()
                return [f"Pod '{p.name}': {found}."] + details
        return []

    def has_replicas(self, count: int, hint: str | None = None) -> "_Scalable":
        desired = dig(self.obj, "spec.replicas")
        if desired != count:
            self._fail(f"should have {count} replicas", f"spec.replicas is {desired}", hint=hint,
                       look=f"kubectl scale {self.resource} {self.name} --replicas={count}{_ns_flag(self.namespace)}")
        ready = dig(self.obj, "status.readyReplicas") or 0
        if ready != count:
            self._fail(f"should have {count} ready replicas", f"{ready} are ready", self._pods_note(),
                       look=f"kubectl get pods{_ns_flag(self.namespace)}; {self._describe()}", hint=hint)
        return self

    def has_image(self, image: str, container: str | None = None, hint: str | None = None) -> "_Scalable":
        containers = dig(self.obj, "spec.template.spec.containers") or []
        match = next((c for c in containers if container is None or c.get("name") == container), {})
        if match.get("image") != image:
            self._fail(f"should run image {image}", f"its pod template runs {match.get('image')}", hint=hint)
        return self

    def selects(self, labels: dict[str, str], hint: str | None = None) -> "_Scalable":
        actual = dig(self.obj, "spec.selector.matchLabels") or dig(self.obj, "spec.selector") or {}
        if actual != labels:
            self._fail(f"should select {json.dumps(labels)}", f"its selector is {json.dumps(actual)}", hint=hint)
        return self


class Deployment(_Scalable):
    resource, kind = "deployments", "Deployment"

    def is_available(self, hint: str | None = None) -> "Deployment":
        cond = next((c for c in dig(self.obj, "status.conditions") or [] if c.get("type") == "Available"), {})
        if cond.get("status") != "True":
            self._fail("should be Available", f"Available is {cond.get('status', 'unknown')}"
                       + (f" ({cond.get('message')})" if cond.get("message") else ""), self._pods_note(), hint=hint)
        return self

    def is_rolled_out(self, hint: str | None = None) -> "Deployment":
        want = dig(self.obj, "spec.replicas") or 0
        updated = dig(self.obj, "status.updatedReplicas") or 0
        available = dig(self.obj, "status.availableReplicas") or 0
        if updated != want or available != want:
            self._fail("should be fully rolled out", f"{updated}/{want} replicas are updated and {available} available",
                       self._pods_note(), f"kubectl rollout status deployment/{self.name}{_ns_flag(self.namespace)}", hint)
        return self


class ReplicaSet(_Scalable):
    resource, kind = "replicasets", "ReplicaSet"


class DaemonSet(Subject):
    resource, kind = "daemonsets", "DaemonSet"

    def runs_on_every_node(self, hint: str | None = None) -> "DaemonSet":
        desired = dig(self.obj, "status.desiredNumberScheduled") or 0
        ready = dig(self.obj, "status.numberReady") or 0
        nodes = len(self.reader.list("nodes"))
        if desired != nodes or ready != desired:
            self._fail(f"should run one ready pod on each of the {nodes} nodes",
                       f"{desired} are scheduled and {ready} ready", hint=hint,
                       look=f"kubectl get pods -o wide{_ns_flag(self.namespace)}; the nodes' taints and the tolerations")
        return self


class Service(Subject):
    resource, kind = "services", "Service"

    def has_type(self, kind: str, hint: str | None = None) -> "Service":
        actual = dig(self.obj, "spec.type") or "ClusterIP"
        if actual != kind:
            self._fail(f"should be of type {kind}", f"it is {actual}", hint=hint)
        return self

    def has_port(self, port: int, target_port: int | str | None = None, node_port: int | None = None,
                 hint: str | None = None) -> "Service":
        ports = dig(self.obj, "spec.ports") or []
        match = next((p for p in ports if p.get("port") == port), None)
        shown = ", ".join(f"{p.get('port')}->{p.get('targetPort')}" for p in ports) or "none"
        if match is None:
            self._fail(f"should expose port {port}", f"its ports are {shown}", hint=hint)
        if target_port is not None and match.get("targetPort") != target_port:
            self._fail(f"should send port {port} to targetPort {target_port}", f"targetPort is {match.get('targetPort')}",
                       hint=hint)
        if node_port is not None and match.get("nodePort") != node_port:
            self._fail(f"should use nodePort {node_port}", f"nodePort is {match.get('nodePort')}", hint=hint)
        return self

    def selects(self, labels: dict[str, str], hint: str | None = None) -> "Service":
        actual = dig(self.obj, "spec.selector") or {}
        if actual != labels:
            self._fail(f"should select {json.dumps(labels)}", f"its selector is {json.dumps(actual)}", hint=hint)
        return self

    def has_endpoints(self, count: int | None = None, hint: str | None = None) -> "Service":
        endpoints = self.reader.get("endpoints", self.name, self.namespace) or {}
        addresses = [a for s in endpoints.get("subsets") or [] for a in s.get("addresses") or []]
        if addresses and (count is None or len(addresses) == count):
            return self
        selector = dig(self.obj, "spec.selector") or {}
        pods = self.reader.list("pods", self.namespace)
        matching = [p for p in pods if selector and all((dig(p, "metadata.labels") or {}).get(k) == v
                                                       for k, v in selector.items())]
        if not matching:
            label_sets = sorted({",".join(f"{k}={v}" for k, v in sorted((dig(p, 'metadata.labels') or {}).items()))
                                 for p in pods} - {""})
            details = [f"Its selector {json.dumps(selector)} matches no pod{_where(self.namespace)}."]
            if label_sets:
                details.append("Pod labels there: " + "; ".join(label_sets[:5]))
        else:
            details = [f"{len(matching)} pod(s) match its selector but only {len(addresses)} are ready endpoints."]
        want = f"{count} endpoint(s)" if count is not None else "endpoints"
        self._fail(f"should have {want}", f"it has {len(addresses)}", details,
                   f"kubectl get endpoints {self.name}{_ns_flag(self.namespace)}; kubectl get pods --show-labels", hint)
        return self


class Node(Subject):
    resource, kind, namespaced = "nodes", "Node", False

    def has_taint(self, key: str, value: str | None = None, effect: str | None = None,
                  hint: str | None = None) -> "Node":
        taints = dig(self.obj, "spec.taints") or []
        if not any(t.get("key") == key and (value is None or t.get("value") == value)
                   and (effect is None or t.get("effect") == effect) for t in taints):
            want = key + (f"={value}" if value is not None else "") + (f":{effect}" if effect else "")
            have = ", ".join(f"{t.get('key')}{'=' + t['value'] if t.get('value') else ''}:{t.get('effect')}"
                             for t in taints) or "none"
            self._fail(f"should carry the taint {want}", f"its taints are: {have}", hint=hint)
        return self

    def is_ready(self, hint: str | None = None) -> "Node":
        cond = next((c for c in dig(self.obj, "status.conditions") or [] if c.get("type") == "Ready"), {})
        if cond.get("status") != "True":
            self._fail("should be Ready", f"Ready is {cond.get('status', 'Unknown')}",
                       [cond.get("message", "")], f"{self._describe()}; systemctl status kubelet on the node", hint)
        return self

    def is_schedulable(self, hint: str | None = None) -> "Node":
        if dig(self.obj, "spec.unschedulable"):
            self._fail("should be schedulable", "it is cordoned (SchedulingDisabled)", (),
                       f"kubectl uncordon {self.name}", hint)
        return self
